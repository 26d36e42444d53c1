"""State changes of rounds (巡察轮次): plan, team, targets, announcement and the stage machine.

One function per change: it checks the role through ``round_policy``, checks the prerequisites,
changes inside ``transaction.atomic()`` and writes the audit trail. Stages (seed 001):
准备 → 进驻 → 汇报 → 反馈 → 整改 → 归档; the 汇报, 反馈 and 归档 transitions (巡察报告, 双反馈,
签收, 归档) live in ``xuncha.reports.services``. Every write first refuses an archived round
(``guards.require_open``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.orgs.models import Organization
from xuncha.policy.rounds import may_serve_on_team, round_policy
from xuncha.reports import reviews
from xuncha.reports.models import Review

from . import recusal
from .guards import require_open
from .models import Round, StageChange, TeamMembership

S = Round.Stage
PLAN_FIELDS = ["kind", "year", "number", "title", "taxonomy", "planned_start", "planned_end",
               "planned_report", "planned_feedback", "focus", "basis", "tasks", "requirements", "parent",
               "plan_doc_no", "plan_recipients", "meeting_at", "meeting_place", "meeting_attendees"]
ANNOUNCEMENT_FIELDS = ["ann_phone", "ann_postbox", "ann_email", "ann_letterbox_place", "ann_hours",
                       "ann_reception_place"]
REQUIRED_ANNOUNCEMENT = {"ann_phone": "值班电话", "ann_postbox": "邮政信箱", "ann_email": "电子邮箱",
                         "ann_letterbox_place": "举报信箱设置地点", "ann_hours": "受理时间"}


def _lock(round_: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round_.pk)


def _require_stage(round_: Round, *stages) -> None:
    if round_.stage not in stages:
        names = "、".join(S(s).label for s in stages)
        raise ValidationError(f"本轮巡察当前处于“{round_.get_stage_display()}”阶段，此操作只能在“{names}”阶段进行。")


def _move(actor, round_: Round, to_stage: str, *, request=None, summary: str = "") -> Round:
    before = round_.stage
    round_.stage = to_stage
    round_.save(update_fields=["stage"])
    StageChange.objects.create(round=round_, from_stage=before, to_stage=to_stage, actor=actor)
    record(actor, f"round.stage_{to_stage}", round_, request=request,
           summary=summary or f"{round_.title}：{S(before).label} → {S(to_stage).label}",
           data={"from": before, "to": to_stage})
    return round_


def _check_parent(actor, parent: Round) -> None:
    """联动巡察: a county office links its round only under a 联动巡察 round of the city above it."""
    if not round_policy.can(actor, "attach", parent):
        raise ValidationError("只能关联上级党委正在进行的联动巡察轮次。")


# ---- plan, team, targets -------------------------------------------------------------------

@transaction.atomic
def create_round(actor, *, jurisdiction, request=None, **fields) -> Round:
    """新建巡察轮次（制定工作方案）: only an office, for its own jurisdiction."""
    round_policy.require(actor, "manage")
    if not round_policy.can(actor, "create", jurisdiction):
        raise ValidationError("只能为本级党委新建巡察轮次。")
    if Round.objects.filter(jurisdiction=jurisdiction, year=fields["year"], number=fields["number"]).exists():
        raise ValidationError(f"{fields['year']}年第{fields['number']}轮巡察已存在。")
    if fields.get("parent") is not None:
        _check_parent(actor, fields["parent"])
        fields["kind"] = Round.Kind.LINKED
    round_ = Round(jurisdiction=jurisdiction, created_by=actor, stage=S.PREPARATION,
                   **{k: v for k, v in fields.items() if k in PLAN_FIELDS})
    round_.full_clean()
    round_.save()
    StageChange.objects.create(round=round_, from_stage="", to_stage=S.PREPARATION, actor=actor)
    record(actor, "round.create", round_, request=request, summary=f"新建巡察轮次“{round_.title}”",
           data={"year": round_.year, "number": round_.number, "kind": round_.kind})
    return round_


@transaction.atomic
def update_plan(actor, round_: Round, *, request=None, **fields) -> Round:
    """修改工作方案: only before 进驻; an approved plan goes back to approval when changed."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION)
    if fields.get("parent") is not None and fields["parent"].pk != round_.parent_id:
        _check_parent(actor, fields["parent"])
    if fields.get("parent") is not None:
        fields["kind"] = Round.Kind.LINKED
    changed = []
    for key, value in fields.items():
        if key in PLAN_FIELDS and getattr(round_, key) != value:
            setattr(round_, key, value)
            changed.append(key)
    if changed and round_.plan_approved_at:
        round_.plan_approved_at = None
        round_.plan_approved_by = None
    round_.full_clean()
    round_.save()
    record(actor, "round.update_plan", round_, request=request, summary=f"修改“{round_.title}”工作方案",
           data={"fields": changed})
    return round_


@transaction.atomic
def add_team_member(actor, round_: Round, *, user, team_role: str, request=None) -> TeamMembership:
    """组建巡察组: add or change a member's team role (巡察办)."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    _require_stage(round_, S.PREPARATION, S.ONSITE)
    if not may_serve_on_team(user, round_):
        raise ValidationError("只能选择本级巡察组干部或巡察办人员。")
    recusal.require_no_conflict(round_, user)
    if team_role == TeamMembership.TeamRole.LEADER and round_.team.filter(
            team_role=team_role).exclude(user=user).exists():
        raise ValidationError("本轮巡察组已有组长，请先移除原组长。")
    membership, created = TeamMembership.objects.update_or_create(
        round=round_, user=user, defaults={"team_role": team_role})
    record(actor, "round.team_add" if created else "round.team_change", round_, request=request,
           summary=f"“{round_.title}”巡察组：{user.display_name} 任{membership.get_team_role_display()}",
           data={"user": user.pk, "team_role": team_role})
    return membership


@transaction.atomic
def remove_team_member(actor, membership: TeamMembership, *, request=None) -> None:
    round_ = membership.round
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    _require_stage(round_, S.PREPARATION, S.ONSITE)
    record(actor, "round.team_remove", round_, request=request,
           summary=f"“{round_.title}”巡察组：移除 {membership.user.display_name}",
           data={"user": membership.user_id})
    membership.delete()


@transaction.atomic
def set_targets(actor, round_: Round, targets, *, request=None) -> Round:
    """确定被巡察单位: inspectable units of the round's jurisdiction (or below it)."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    _require_stage(round_, S.PREPARATION)
    targets = list(targets)
    allowed = set(round_.jurisdiction.descendant_ids())
    for org in targets:
        if not org.inspectable or org.jurisdiction_id not in allowed:
            raise ValidationError(f"“{org.name}”不是本级可被巡察的单位。")
    tied = recusal.team_conflicts(round_, targets)
    if tied:
        raise ValidationError("巡察组成员应当回避：" + "；".join(tied) + "。请调整巡察组或记录回避例外。")
    round_.targets.set(targets)
    record(actor, "round.targets", round_, request=request,
           summary=f"“{round_.title}”被巡察单位：{'、'.join(o.name for o in targets) or '无'}",
           data={"targets": [o.pk for o in targets]})
    return round_


def target_choices(round_: Round):
    return Organization.objects.filter(
        jurisdiction_id__in=round_.jurisdiction.descendant_ids(), inspectable=True).order_by(
        "jurisdiction_id", "name")


@transaction.atomic
def approve_plan(actor, round_: Round, *, comments: str = "", request=None) -> Round:
    """领导小组审批工作方案: the plan needs targets, a 组长 and planned dates; a returned plan first
    goes back through the office (``resubmit_plan``)."""
    require_open(round_)
    round_policy.require(actor, "approve", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION)
    if round_.plan_approved_at:
        raise ValidationError("工作方案已经审批同意。")
    if reviews.plan_returned(round_):
        raise ValidationError("工作方案已退回修改，待巡察办修改后重新报批。")
    missing = plan_missing(round_)
    if missing:
        raise ValidationError("工作方案尚不完整：" + "、".join(missing) + "。")
    round_.plan_approved_at = timezone.now()
    round_.plan_approved_by = actor
    round_.save(update_fields=["plan_approved_at", "plan_approved_by"])
    reviews.record_review(actor, round_, subject=Review.Subject.PLAN, step=Review.Step.LEADERSHIP,
                          outcome=Review.Outcome.APPROVED, comments=comments)
    record(actor, "round.approve_plan", round_, request=request, summary=f"审批同意“{round_.title}”工作方案")
    return round_


@transaction.atomic
def return_plan(actor, round_: Round, *, comments: str, request=None) -> Round:
    """领导小组退回工作方案, with its written opinion (审批意见); the office revises and resubmits."""
    require_open(round_)
    round_policy.require(actor, "approve", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION)
    if round_.plan_approved_at:
        raise ValidationError("工作方案已经审批同意，不能退回。")
    if reviews.plan_returned(round_):
        raise ValidationError("工作方案已退回，待巡察办修改后重新报批。")
    text = reviews.clean_comments(comments)
    reviews.record_review(actor, round_, subject=Review.Subject.PLAN, step=Review.Step.LEADERSHIP,
                          outcome=Review.Outcome.RETURNED, comments=text)
    record(actor, "round.return_plan", round_, request=request,
           summary=f"退回“{round_.title}”工作方案：{text[:100]}", data={"comments": text})
    return round_


@transaction.atomic
def resubmit_plan(actor, round_: Round, *, note: str = "", request=None) -> Round:
    """巡察办修改工作方案后重新报领导小组审批 (after a return)."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION)
    if not reviews.plan_returned(round_):
        raise ValidationError("工作方案没有被退回，无需重新报批。")
    missing = plan_missing(round_)
    if missing:
        raise ValidationError("工作方案尚不完整：" + "、".join(missing) + "。")
    reviews.record_review(actor, round_, subject=Review.Subject.PLAN, step=Review.Step.OFFICE,
                          outcome=Review.Outcome.SUBMITTED, comments=note)
    record(actor, "round.resubmit_plan", round_, request=request,
           summary=f"修改后重新报批“{round_.title}”工作方案", data={"note": (note or "").strip()})
    return round_


def plan_missing(round_: Round) -> list[str]:
    missing = []
    if not round_.targets.exists():
        missing.append("未确定被巡察单位")
    if not round_.team.filter(team_role=TeamMembership.TeamRole.LEADER).exists():
        missing.append("未确定组长")
    if not (round_.planned_start and round_.planned_end):
        missing.append("未填写巡察时间")
    return missing


# ---- announcement -------------------------------------------------------------------------

@transaction.atomic
def save_announcement(actor, round_: Round, *, request=None, **fields) -> Round:
    """填写巡察公告的联系方式 (phone, post box, e-mail, letter-box place, hours)."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION, S.ONSITE)
    for key in ANNOUNCEMENT_FIELDS:
        if key in fields:
            setattr(round_, key, (fields[key] or "").strip())
    round_.full_clean()
    round_.save()
    record(actor, "round.announcement_save", round_, request=request,
           summary=f"修改“{round_.title}”巡察公告", data={k: getattr(round_, k) for k in ANNOUNCEMENT_FIELDS})
    return round_


@transaction.atomic
def publish_announcement(actor, round_: Round, *, request=None) -> Round:
    """发布巡察公告: needs an approved plan and the full contact details."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION)
    if not round_.plan_approved_at:
        raise ValidationError("工作方案尚未经领导小组审批，不能发布巡察公告。")
    missing = [label for key, label in REQUIRED_ANNOUNCEMENT.items() if not getattr(round_, key)]
    if missing:
        raise ValidationError("巡察公告缺少：" + "、".join(missing) + "。")
    round_.announcement_published_at = timezone.now()
    round_.save(update_fields=["announcement_published_at"])
    record(actor, "round.announcement_publish", round_, request=request,
           summary=f"发布“{round_.title}”巡察公告")
    return round_


# ---- stage machine ------------------------------------------------------------------------

@transaction.atomic
def start_onsite(actor, round_: Round, *, request=None) -> Round:
    """准备 → 进驻 (巡察办): only after the plan is approved and the announcement published."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.PREPARATION)
    if not round_.plan_approved_at:
        raise ValidationError("工作方案尚未经领导小组审批，不能进驻。")
    if not round_.announcement_published_at:
        raise ValidationError("巡察公告尚未发布，不能进驻。")
    return _move(actor, round_, S.ONSITE, request=request)
