"""整改方案: the unit files it (per problem: measures, 责任领导, 责任人, 整改时限, 具体问题); the office
accepts it or returns it with comments ("不合格的要退回重来", seed 002); every version is kept.
Acceptance opens the 整改台账 (one ``Item`` per problem and specific point)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.findings.models import Problem
from xuncha.policy.rectification import rectification_policy
from xuncha.reports.models import Feedback
from xuncha.reports.reviews import clean_comments
from xuncha.workdays.services import is_working_day, working_days_between

from .common import clean_text, lock_feedback, require_rectifying
from .models import Item, Plan, PlanMeasure, PlanVersion

PS = Plan.Status


@dataclass
class MeasureData:
    """One problem's part of the plan as the unit fills it in."""

    problem_id: int
    measures: str = ""
    leader: str = ""
    person: str = ""
    deadline: date | None = None
    points: str = ""


def feedback_problems(feedback: Feedback) -> list[Problem]:
    """The problems fed back to the unit's Party organisation (as issued; the head's own are his)."""
    numbers = (feedback.content or {}).get("problem_numbers") or []
    return list(Problem.objects.filter(round_id=feedback.round_id, number__in=numbers).order_by("number"))


def needs_plan(feedback: Feedback) -> bool:
    """A feedback with no problem for the organisation (e.g. a clean unit) asks for no 整改方案."""
    return bool((feedback.content or {}).get("problem_numbers"))


def plan_of(feedback: Feedback) -> Plan:
    plan, _ = Plan.objects.get_or_create(feedback=feedback)
    return plan


def latest_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first() if plan.pk else None


def _clean_measure(problem: Problem, data: MeasureData | None, today: date) -> dict:
    where = f"问题{problem.number}（{problem.title[:20]}）"
    if data is None:
        raise ValidationError(f"{where}没有填写整改措施：整改方案须逐个问题制定措施。")
    try:
        values = {"measures": clean_text(data.measures, "整改措施"),
                  "leader": clean_text(data.leader, "责任领导", max_length=50),
                  "person": clean_text(data.person, "责任人", max_length=50),
                  "points": clean_text(data.points, "具体问题", required=False)}
    except ValidationError as exc:
        raise ValidationError(f"{where}：{'；'.join(exc.messages)}") from exc
    if data.deadline is None:
        raise ValidationError(f"{where}：请填写“整改时限”。")
    if data.deadline < today:
        raise ValidationError(f"{where}：整改时限 {data.deadline:%Y-%m-%d} 早于今天。")
    working, estimated = is_working_day(data.deadline)
    if not working:
        raise ValidationError(f"{where}：整改时限 {data.deadline:%Y-%m-%d} 不是工作日，请选择工作日。")
    _, est_between = working_days_between(today, data.deadline)
    values.update(deadline=data.deadline, deadline_estimated=estimated or est_between)
    return values


@transaction.atomic
def file_plan(actor, feedback: Feedback, measures: list[MeasureData], *, note: str = "",
              request=None) -> PlanVersion:
    """报送整改方案 (the unit): a new version covering every problem of the feedback."""
    require_rectifying(feedback)
    rectification_policy.require(actor, "unit", feedback)
    feedback = lock_feedback(feedback)
    plan = Plan.objects.select_for_update().get(pk=plan_of(feedback).pk)
    if plan.status == PS.SUBMITTED:
        raise ValidationError("整改方案已报送，正在等待巡察办审核。")
    if plan.status == PS.ACCEPTED:
        raise ValidationError("整改方案已审核通过，请在整改台账中办理。")
    problems = feedback_problems(feedback)
    if not problems:
        raise ValidationError("反馈意见中没有需要整改的问题。")
    by_problem = {m.problem_id: m for m in measures}
    today = timezone.localdate()
    cleaned = [(p, _clean_measure(p, by_problem.get(p.pk), today)) for p in problems]
    number = (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = PlanVersion.objects.create(plan=plan, number=number, note=clean_text(note, "修改说明", required=False),
                                         submitted_by=actor)
    PlanMeasure.objects.bulk_create([PlanMeasure(version=version, problem=p, **v) for p, v in cleaned])
    plan.status = PS.SUBMITTED
    plan.save(update_fields=["status"])
    record(actor, "rectification.plan_file", plan, request=request,
           summary=f"{feedback.unit.name}报送整改方案第{number}稿", data={"version": number})
    return version


def _pending(plan: Plan) -> PlanVersion:
    version = latest_version(plan)
    if plan.status != PS.SUBMITTED or version is None or version.outcome != PlanVersion.Outcome.PENDING:
        raise ValidationError("整改方案不在待审核状态。")
    return version


@transaction.atomic
def return_plan(actor, feedback: Feedback, *, comments: str, request=None) -> PlanVersion:
    """退回整改方案 with written comments (巡察办); the unit revises and files a new version."""
    require_rectifying(feedback)
    rectification_policy.require(actor, "office", feedback)
    feedback = lock_feedback(feedback)
    plan = Plan.objects.select_for_update().get(pk=plan_of(feedback).pk)
    version = _pending(plan)
    text = clean_comments(comments)
    version.outcome, version.comments = PlanVersion.Outcome.RETURNED, text
    version.reviewed_by, version.reviewed_at = actor, timezone.now()
    version.save()
    plan.status = PS.RETURNED
    plan.save(update_fields=["status"])
    record(actor, "rectification.plan_return", plan, request=request,
           summary=f"退回{feedback.unit.name}整改方案第{version.number}稿：{text[:100]}", data={"comments": text})
    return version


@transaction.atomic
def accept_plan(actor, feedback: Feedback, *, comments: str = "", request=None) -> PlanVersion:
    """审核通过整改方案 (巡察办): the 整改台账 is opened from the accepted version."""
    require_rectifying(feedback)
    rectification_policy.require(actor, "office", feedback)
    feedback = lock_feedback(feedback)
    plan = Plan.objects.select_for_update().get(pk=plan_of(feedback).pk)
    version = _pending(plan)
    now = timezone.now()
    version.outcome, version.comments = PlanVersion.Outcome.ACCEPTED, clean_text(comments, "审核意见", required=False)
    version.reviewed_by, version.reviewed_at = actor, now
    version.save()
    plan.status, plan.accepted_at = PS.ACCEPTED, now
    plan.save(update_fields=["status", "accepted_at"])
    items = []
    for m in version.measures.select_related("problem").order_by("problem__number"):
        points = m.point_list() or [m.problem.title]
        for i, point in enumerate(points, start=1):
            items.append(Item(feedback=feedback, problem=m.problem, point_no=i, point=point, measures=m.measures,
                              leader=m.leader, person=m.person, deadline=m.deadline,
                              deadline_estimated=m.deadline_estimated,
                              amount_to_recover=m.problem.amount_to_recover if i == 1 else 0))
    Item.objects.bulk_create(items)
    record(actor, "rectification.plan_accept", plan, request=request,
           summary=f"审核通过{feedback.unit.name}整改方案第{version.number}稿，建立整改台账{len(items)}项",
           data={"version": version.number, "items": len(items)})
    return version
