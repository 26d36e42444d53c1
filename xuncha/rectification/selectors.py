"""Reads for the rectification pages: what the user sees and may do now."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from xuncha.policy.rectification import oversight_rounds, rectification_policy
from xuncha.reports.models import Feedback
from xuncha.reports.services import clock_state

from .common import OPEN_STAGES
from .docs import feedback_figures
from .figures import overdue_q
from .models import Disclosure, Item, Plan, PlanVersion, RectReport, Reminder
from .plans import feedback_problems, latest_version, needs_plan

IS = Item.Status
PS = Plan.Status
REMINDER_DAYS = 7          # 待我办理 shows the reminders of the last week


def plan_state(feedback: Feedback) -> Plan:
    return Plan.objects.filter(feedback=feedback).first() or Plan(feedback=feedback)


def item_clock(item: Item, today: date | None = None) -> dict | None:
    if item.status == IS.CLOSED:
        return None
    return clock_state(item.deadline, item.deadline_estimated, today)


def feedback_context(user, feedback: Feedback) -> dict:
    plan = plan_state(feedback)
    versions = list(plan.versions.prefetch_related("measures__problem").select_related(
        "submitted_by", "reviewed_by").order_by("-number")) if plan.pk else []
    latest = versions[0] if versions else None
    open_ = feedback.round.stage in OPEN_STAGES and feedback.signed_at is not None
    unit = open_ and rectification_policy.can(user, "unit", feedback)
    office = open_ and rectification_policy.can(user, "office", feedback)
    items = list(Item.objects.filter(feedback=feedback).select_related("problem").prefetch_related(
        "evidence__file", "events__actor").order_by("problem__number", "point_no"))
    today = timezone.localdate()
    rows = [{"item": i, "clock": item_clock(i, today)} for i in items]
    returned = latest if latest is not None and latest.outcome == PlanVersion.Outcome.RETURNED else None
    return {
        "fb": feedback, "round": feedback.round, "plan": plan, "versions": versions, "latest": latest,
        "returned": returned, "problems": feedback_problems(feedback), "rows": rows,
        "report_clock": clock_state(feedback.report_due, feedback.report_due_estimated),
        "plan_clock": clock_state(feedback.plan_due, feedback.plan_due_estimated) if plan.status in (
            PS.NOT_FILED, PS.RETURNED) else None,
        "can_file": unit and plan.status in (PS.NOT_FILED, PS.RETURNED) and needs_plan(feedback),
        "needs_plan": needs_plan(feedback),
        "can_review": office and plan.status == PS.SUBMITTED,
        "unit": unit, "office": office,
        "can_record": open_ and rectification_policy.can(user, "record", feedback),
        "reports": RectReport.objects.filter(feedback=feedback).select_related("file", "submitted_by").order_by(
            "kind", "-number"),
        "reminders": Reminder.objects.filter(feedback=feedback)[:20],
        "people": feedback.rect_accountability.select_related("item__problem"),
        "rules": feedback.rect_rules.select_related("item__problem"),
        "visits": feedback.rect_visits.select_related("created_by"),
        "disclosure": Disclosure.objects.filter(feedback=feedback).first(),
        "figures": feedback_figures(feedback) if items else None,
    }


def item_context(user, item: Item) -> dict:
    feedback = item.feedback
    open_ = feedback.round.stage in OPEN_STAGES
    unit = open_ and rectification_policy.can(user, "unit", feedback)
    office = open_ and rectification_policy.can(user, "office", feedback)
    working = item.status in (IS.NOT_STARTED, IS.IN_PROGRESS, IS.RETURNED)
    return {
        "item": item, "fb": feedback, "round": feedback.round, "clock": item_clock(item),
        "evidence": item.evidence.select_related("file", "uploaded_by"),
        "events": item.events.select_related("actor"),
        "can_work": unit and working,
        "can_request": unit and item.status in (IS.IN_PROGRESS, IS.RETURNED),
        "can_review": office and item.status == IS.REQUESTED,
    }


def rectification_rows(user) -> list[dict]:
    """Every signed feedback the user may read, with its plan state and ledger counts."""
    rows = []
    qs = rectification_policy.instances(user, "view").select_related("round__jurisdiction", "unit").order_by(
        "-round__year", "-round__number", "unit_id")
    for f in qs:
        plan = plan_state(f)
        items = Item.objects.filter(feedback=f)
        rows.append({"feedback": f, "plan": plan, "points": items.count(),
                     "closed": items.filter(status=IS.CLOSED).count(),
                     "overdue": items.filter(overdue_q()).count()})
    return rows


def overdue_rows(user, today: date | None = None) -> dict:
    """督办: overdue plans, overdue or red-carded ledger rows in the user's oversight scope."""
    today = today or timezone.localdate()
    rounds = oversight_rounds(user).filter(stage__in=OPEN_STAGES).values("pk")
    feedbacks = Feedback.objects.filter(round__in=rounds, signed_at__isnull=False).select_related("round", "unit")
    plans = []
    for f in feedbacks.filter(plan_due__lt=today).order_by("plan_due"):
        plan = plan_state(f)
        if plan.status in (PS.NOT_FILED, PS.RETURNED) and needs_plan(f):
            plans.append({"feedback": f, "plan": plan, "clock": clock_state(f.plan_due, f.plan_due_estimated, today)})
    items = (Item.objects.filter(feedback__in=feedbacks.values("pk")).filter(overdue_q(today))
             .select_related("feedback__round", "feedback__unit", "problem").order_by("deadline", "pk"))
    return {"plans": plans, "items": [{"item": i, "clock": item_clock(i, today)} for i in items]}


def latest_plan_version(feedback: Feedback):
    plan = Plan.objects.filter(feedback=feedback).first()
    return latest_version(plan) if plan else None


def _url(feedback: Feedback) -> str:
    return reverse("rectification:feedback", args=[feedback.pk])


def todo_items(user) -> list[dict]:
    """待我办理: the unit's plan and returned rows; the office's plans to review and 销号 requests."""
    items = []
    if not rectification_policy.can(user, "view"):
        return items
    today = timezone.localdate()
    for f in rectification_policy.instances(user, "view").filter(round__stage__in=OPEN_STAGES).select_related(
            "round", "unit").order_by("round_id", "unit_id"):
        plan = plan_state(f)
        ledger = Item.objects.filter(feedback=f)
        if rectification_policy.can(user, "unit", f) and needs_plan(f):
            if plan.status == PS.NOT_FILED:
                clock = clock_state(f.plan_due, f.plan_due_estimated, today)
                items.append({"round": f.round, "what": "报送整改方案", "url": _url(f),
                              "note": f"期限 {clock['due'].label}，{clock['text']}" if clock else ""})
            elif plan.status == PS.RETURNED:
                items.append({"round": f.round, "what": "整改方案被退回：按意见修改后重新报送", "url": _url(f)})
            back = ledger.filter(status=IS.RETURNED).count()
            if back:
                items.append({"round": f.round, "what": f"{back}项整改被退回（含虚假整改）：继续整改后重新申请销号",
                              "url": _url(f)})
            late = ledger.filter(overdue_q(today)).exclude(status=IS.RETURNED).count()
            if late:
                items.append({"round": f.round, "what": f"{late}项整改已逾期", "url": _url(f)})
            recent = Reminder.objects.filter(feedback=f, created_at__date__gte=today - timedelta(days=REMINDER_DAYS))
            items.extend({"round": f.round, "what": f"提醒：{r.text}", "url": _url(f)} for r in recent[:5])
        if rectification_policy.can(user, "office", f):
            if plan.status == PS.SUBMITTED:
                items.append({"round": f.round, "what": f"审核{f.unit.name}整改方案", "url": _url(f)})
            asked = ledger.filter(status=IS.REQUESTED).count()
            if asked:
                items.append({"round": f.round, "what": f"审核{f.unit.name}{asked}项销号申请", "url": _url(f)})
            late = ledger.filter(overdue_q(today)).count()
            if late:
                items.append({"round": f.round, "what": f"督办{f.unit.name}{late}项逾期或虚假整改未纠正的整改",
                              "url": reverse("rectification:oversight")})
    return items


def published_disclosures():
    return (Disclosure.objects.filter(published_at__isnull=False)
            .select_related("feedback__unit", "feedback__round").order_by("-published_at", "-pk"))


def public_entry() -> dict | None:
    """群众入口: a link to the published 整改情况公开 texts, once there is one."""
    if not published_disclosures().exists():
        return None
    return {"title": "巡察整改情况公开", "text": "被巡察单位落实巡察反馈意见的整改情况，接受干部群众监督。",
            "url": reverse("rectification:public"), "link_text": "查看整改情况公开"}
