"""Who may read the audit trail: system administrators, for the records of their jurisdiction scope.

An entry belongs to the jurisdiction of the record it is about (``AuditEntry.jurisdiction_id``, set when
it is written: the record's own, its round's, its organization's, else the actor's). Entries that
belong to no jurisdiction (backups, installation, entries older than the field) are for the
administrators of a top-level jurisdiction only, who alone also see the whole chain's figures.
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.audit.models import AuditEntry
from xuncha.orgs.models import Role

from .base import ModelPolicy, is_active_user, jurisdiction_scope


def _admin(user) -> bool:
    return is_active_user(user) and user.has_role(Role.ADMIN) and bool(user.organization_id)


def _top_level(user) -> bool:
    return _admin(user) and user.organization.jurisdiction.parent_id is None


class AuditPolicy(ModelPolicy):
    model = AuditEntry
    actions = {"view": "查看", "verify": "核验", "whole_chain": "查看全系统审计链"}

    def instances(self, user, action="view"):
        if not _admin(user):
            return AuditEntry.objects.none()
        scope = jurisdiction_scope(user)
        legacy = Q(jurisdiction_id__isnull=True) & Q(actor__organization__jurisdiction_id__in=scope)
        visible = Q(jurisdiction_id__in=scope) | legacy
        if _top_level(user):
            visible |= Q(jurisdiction_id__isnull=True)
        return AuditEntry.objects.filter(visible)

    def can(self, user, action, obj=None):
        if not _admin(user):
            return False
        if action == "whole_chain":
            return _top_level(user)
        return obj is None or self.instances(user).filter(pk=obj.pk).exists()


audit_policy = AuditPolicy()
