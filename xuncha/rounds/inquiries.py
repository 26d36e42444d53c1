"""函询: requests for existing clues sent to 纪检/组织/政法/审计/信访 (seed 001, 准备阶段)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.policy.rounds import round_policy
from xuncha.workdays.services import add_working_days

from .guards import require_open
from .models import Inquiry, Round


@transaction.atomic
def send_inquiry(actor, round_: Round, *, recipient: str, subject: str, sent_on: date, due_days: int = 5,
                 recipient_org=None, request=None) -> Inquiry:
    """登记函询 and compute its due date in working days."""
    require_open(round_)
    round_policy.require(actor, "inquire", round_)
    if due_days < 1:
        raise ValidationError("回复时限至少 1 个工作日。")
    due_on, estimated = add_working_days(sent_on, due_days)
    inquiry = Inquiry(round=round_, recipient=recipient, recipient_org=recipient_org, subject=subject.strip(),
                      sent_on=sent_on, due_days=due_days, due_on=due_on, due_estimated=estimated,
                      created_by=actor)
    inquiry.full_clean()
    inquiry.save()
    record(actor, "round.inquiry_send", round_, request=request,
           summary=f"函询{inquiry.get_recipient_display()}：{inquiry.subject}，{due_on:%Y-%m-%d}前回复",
           data={"inquiry": inquiry.pk, "due_on": due_on})
    return inquiry


@transaction.atomic
def record_reply(actor, inquiry: Inquiry, *, replied_on: date, reply: str, request=None) -> Inquiry:
    """登记函询回复."""
    require_open(inquiry.round)
    round_policy.require(actor, "inquire", inquiry.round)
    if replied_on < inquiry.sent_on:
        raise ValidationError("回复日期不能早于发函日期。")
    if replied_on > timezone.localdate():
        raise ValidationError("回复日期不能晚于今天。")
    if not reply.strip():
        raise ValidationError("请填写回复情况。")
    inquiry.replied_on, inquiry.reply = replied_on, reply.strip()
    inquiry.save(update_fields=["replied_on", "reply"])
    record(actor, "round.inquiry_reply", inquiry.round, request=request,
           summary=f"登记函询回复：{inquiry}", data={"inquiry": inquiry.pk})
    return inquiry
