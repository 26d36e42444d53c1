"""整改提醒: before a deadline (within ``SOON`` working days) and once it has passed, in the app (a
``Reminder`` row, shown on the unit's pages and 待我办理) and by e-mail through Django's mail settings.

``send_reminders(today)`` is what ``xuncha remind`` runs (daily, e.g. from cron or a systemd timer). It is
idempotent: a reminder is one row per (feedback, item, kind, due date), created once; its e-mail is sent
once — a failed sending (mail server down) is retried on the next run, a sent one never again. A new
deadline (a new due date) is a new reminder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.orgs.models import Role, User
from xuncha.reports.models import Feedback
from xuncha.workdays.services import Deadline, working_days_between

from .common import OPEN_STAGES
from .models import Item, Plan, RectReport, Reminder
from .plans import needs_plan

log = logging.getLogger(__name__)
SOON = 3                 # working days before the deadline
K = Reminder.Kind
PS = Plan.Status


@dataclass
class Outcome:
    created: list[Reminder] = field(default_factory=list)
    emailed: int = 0
    failed: int = 0


def _state(due: date, today: date) -> str | None:
    """"overdue", "soon" (0..SOON working days left) or None."""
    if due < today:
        return "overdue"
    left, _ = working_days_between(today, due)
    return "soon" if left <= SOON else None


def _text(kind: str, feedback: Feedback, due: date, today: date, what: str) -> str:
    label = Deadline(due).label
    if kind.endswith("overdue"):
        late, _ = working_days_between(due, today)
        return f"{feedback.unit.name}：{what}已逾期（期限{label}，已逾期{late}个工作日），请抓紧办理。"
    left, _ = working_days_between(today, due)
    when = "今日到期" if left == 0 else f"剩{left}个工作日"
    return f"{feedback.unit.name}：{what}即将到期（期限{label}，{when}）。"


def due_reminders(feedback: Feedback, today: date) -> list[tuple[str, Item | None, date, str]]:
    """What should be reminded about this feedback today: (kind, item, due, text)."""
    out = []
    plan = Plan.objects.filter(feedback=feedback).first()
    if feedback.plan_due and needs_plan(feedback) and (plan is None or plan.status in (PS.NOT_FILED, PS.RETURNED)):
        state = _state(feedback.plan_due, today)
        if state:
            kind = K.PLAN_OVERDUE if state == "overdue" else K.PLAN_SOON
            out.append((kind, None, feedback.plan_due, _text(kind, feedback, feedback.plan_due, today, "整改方案报送")))
    if feedback.report_due and needs_plan(feedback) and not RectReport.objects.filter(feedback=feedback,
                                                             kind=RectReport.Kind.PROGRESS).exists():
        state = _state(feedback.report_due, today)
        if state:
            kind = K.REPORT_OVERDUE if state == "overdue" else K.REPORT_SOON
            out.append((kind, None, feedback.report_due,
                        _text(kind, feedback, feedback.report_due, today, "整改落实情况报告报送")))
    for item in Item.objects.filter(feedback=feedback).exclude(
            status__in=[Item.Status.CLOSED, Item.Status.REQUESTED]).select_related("problem"):
        state = _state(item.deadline, today)
        if state:
            kind = K.ITEM_OVERDUE if state == "overdue" else K.ITEM_SOON
            out.append((kind, item, item.deadline,
                        _text(kind, feedback, item.deadline, today, f"整改事项{item.code}（{item.point[:30]}）")))
    return out


def recipients(feedback: Feedback, kind: str) -> list[str]:
    """The unit's users; for overdue reminders also the office of the round's jurisdiction."""
    roles = [Role.UNIT, Role.UNIT_HEAD]
    users = User.objects.filter(is_active=True, organization=feedback.unit, role_assignments__role__in=roles)
    emails = set(users.exclude(email="").values_list("email", flat=True))
    if kind.endswith("overdue"):
        office = User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE,
                                     organization__jurisdiction=feedback.round.jurisdiction).exclude(email="")
        emails |= set(office.values_list("email", flat=True))
    return sorted(emails)


def _email(reminder: Reminder) -> bool:
    to = [a for a in reminder.recipients.split(",") if a]
    if not to:
        return False
    try:
        send_mail(f"【整改提醒】{reminder.get_kind_display()}", reminder.text + "\n\n请登录巡察工作平台办理。",
                  settings.DEFAULT_FROM_EMAIL, to)
    except Exception as exc:          # the mail server may be down: retried on the next run
        log.warning("整改提醒邮件发送失败（%s）：%s", reminder.pk, exc)
        return False
    Reminder.objects.filter(pk=reminder.pk).update(emailed=True)
    return True


def send_reminders(today: date | None = None) -> Outcome:
    """Create today's reminders (each once) and e-mail every reminder not e-mailed yet."""
    today = today or timezone.localdate()
    outcome = Outcome()
    feedbacks = Feedback.objects.filter(signed_at__isnull=False, round__stage__in=OPEN_STAGES).select_related(
        "round__jurisdiction", "unit")
    for feedback in feedbacks:
        for kind, item, due, text in due_reminders(feedback, today):
            if Reminder.objects.filter(feedback=feedback, item=item, kind=kind, due=due).exists():
                continue
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(feedback=feedback, item=item, kind=kind, due=due,
                                                       text=text[:300],
                                                       recipients=",".join(recipients(feedback, kind)))
            except IntegrityError:      # another run created it meanwhile
                continue
            outcome.created.append(reminder)
    for reminder in Reminder.objects.filter(emailed=False).exclude(recipients=""):
        if _email(reminder):
            outcome.emailed += 1
        else:
            outcome.failed += 1
    return outcome
