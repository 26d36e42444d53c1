"""Reads of confidential records (信访件、问题线索), fetched through their policy and audited here.

This is the one place where a person's look at a confidential record is written to the audit
trail: views never call ``record_view`` themselves, they ask the app's selector, which calls
``read_record`` (one record: view, print, attachment) or ``read_round`` (a round's ledger export).
Whoever may not see the record gets the policy's 404/403 and nothing is logged.
"""

from __future__ import annotations

from django.db import models

from .models import AuditEntry
from .services import record

#: what the person did with the record, as the audit summary says it
PURPOSES = {
    "view": "查阅",
    "print": "查阅并打印",
    "attachment": "下载附件",
    "export": "导出",
}


def audit_read(user, target, purpose: str, *, request=None, what: str = "", data: dict | None = None):
    """Write the audit entry of one confidential read (``kind=view``)."""
    verb = PURPOSES[purpose]
    if what:
        label = what
    elif isinstance(target, models.Model):
        label = f"{target._meta.verbose_name} {target.code if hasattr(target, 'code') else target}"
    else:
        label = str(target)
    return record(user, f"read.{purpose}", target, request=request, summary=f"{verb}{label}",
                  data={"purpose": purpose, **(data or {})}, kind=AuditEntry.Kind.VIEW)


def read_record(policy, request, purpose: str, *, action: str = "view", data: dict | None = None,
                **lookup):
    """One record the user may see (404/403 otherwise), with its read audited."""
    obj = policy.get(request.user, action, **lookup)
    audit_read(request.user, obj, purpose, request=request, data=data)
    return obj


def read_round(policy, request, round_id, *, action: str = "export", what: str):
    """The round whose confidential records (``what``, e.g. 问题线索台账) the user exports, audited."""
    round_ = policy.round_for(request.user, action, round_id)
    audit_read(request.user, round_, "export", request=request, what=f"{what}（{round_.title}）",
               data={"records": str(policy.model._meta.verbose_name)})
    return round_
