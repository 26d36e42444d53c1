"""Read-side queries for rounds: timeline, the actions a user may take now, lists."""

from __future__ import annotations

from django.utils import timezone

from xuncha.policy.rounds import is_link_head, round_policy, taxonomy_policy, team_role
from xuncha.reports.reviews import plan_returned

from .models import Round, TeamMembership
from .services import plan_missing

S = Round.Stage


def rounds_for(user, *, q: str | None = None, stage: str | None = None):
    qs = round_policy.instances(user, "view").select_related("jurisdiction")
    if q:
        qs = qs.filter(title__icontains=q)
    if stage in S.values:
        qs = qs.filter(stage=stage)
    return qs.order_by("-year", "-number", "jurisdiction__code")


def timeline(round_: Round) -> list[dict]:
    """Each stage with its planned date and the date it was actually entered."""
    entered = {}
    for change in round_.stage_changes.order_by("at"):
        entered.setdefault(change.to_stage, change)
    planned = {
        S.PREPARATION: round_.created_at.date() if round_.created_at else None,
        S.ONSITE: round_.planned_start,
        S.REPORTING: round_.planned_report or round_.planned_end,
        S.FEEDBACK: round_.planned_feedback,
    }
    from xuncha.reports.services import rectification_deadlines

    deadlines = rectification_deadlines(round_)
    if deadlines:
        planned[S.RECTIFICATION] = deadlines["plan"].due
        planned[S.ARCHIVED] = deadlines["report"].due
    order = list(S.values)
    current = order.index(round_.stage)
    rows = []
    for i, (code, label) in enumerate(S.choices):
        change = entered.get(code)
        rows.append({
            "stage": label, "planned": planned.get(code), "actual": change.at if change else None,
            "actor": change.actor if change else None,
            "state": "done" if i < current else ("current" if i == current else "todo"),
        })
    return rows


def milestones(round_: Round) -> list[tuple[str, object]]:
    return [
        ("工作方案审批", round_.plan_approved_at),
        ("巡察公告发布", round_.announcement_published_at),
        ("巡察报告报送", round_.report_submitted_at),
        ("巡察报告审定", round_.report_approved_at),
        ("反馈意见签收", round_.feedback_signed_at),
    ]


def _crosscheck_policy():
    from xuncha.policy.crosscheck import crosscheck_policy

    return crosscheck_policy


def available_actions(user, round_: Round) -> dict:
    """What this user may do on this round now (the template shows only these buttons)."""
    manage = round_policy.can(user, "manage", round_)
    approve = round_policy.can(user, "approve", round_)
    st = round_.stage
    return {
        "manage": manage,
        "edit_plan": manage and st == S.PREPARATION,
        "edit_team": manage and st in (S.PREPARATION, S.ONSITE),
        "approve_plan": approve and st == S.PREPARATION and not round_.plan_approved_at
        and not plan_returned(round_),
        "publish": manage and st == S.PREPARATION and not round_.announcement_published_at,
        "start_onsite": manage and st == S.PREPARATION,
        "work": round_policy.can(user, "work", round_),
        "documents": round_policy.can(user, "team_records", round_),
        "inquire": round_policy.can(user, "inquire", round_),
        "crosscheck": _crosscheck_policy().can(user, "view", round_),   # 数据比对 (issue 9)
        "team_role": TeamMembership.TeamRole(team_role(user, round_)).label
        if team_role(user, round_) else None,
    }


ROLE_ORDER = {code: i for i, code in enumerate(TeamMembership.TeamRole.values)}


def team_of(round_: Round) -> list:
    """The team in the order 组长, 副组长, 成员, 联络员."""
    return sorted(round_.team.select_related("user__organization"),
                  key=lambda m: (ROLE_ORDER.get(m.team_role, 9), m.user.username))


NEXT_STEP = {
    S.PREPARATION: "巡察办组建巡察组、确定被巡察单位，报领导小组审批工作方案；审批后发布巡察公告，然后开始进驻。",
    S.ONSITE: "巡察组开展工作、记录工作日志；巡察结束后由组长报送巡察报告。",
    S.REPORTING: "巡察办审核、领导小组审批巡察报告，书记专题会议审议同意后，巡察办开始反馈。",
    S.FEEDBACK: "先向主要负责人通报、再向党组织反馈；被巡察单位主要负责人签收反馈意见后，巡察办转入整改阶段。",
    S.RECTIFICATION: "被巡察单位在期限内报送整改方案和整改落实情况报告；整改完成后由巡察办归档。",
    S.ARCHIVED: "本轮巡察已归档。",
}


def detail_context(user, round_: Round) -> dict:
    return {
        "round": round_,
        "next_step": NEXT_STEP[S(round_.stage)],
        "team": team_of(round_),
        "targets": round_.targets.select_related("jurisdiction"),
        "acts": available_actions(user, round_),
        "missing": plan_missing(round_) if round_.stage == S.PREPARATION else [],
        "milestones": milestones(round_),
        "today": timezone.localdate(),
        "can_view_parent": bool(round_.parent_id)
        and round_policy.instances(user).filter(pk=round_.parent_id).exists(),
        "is_link_head": is_link_head(round_),
        "can_view_taxonomy": bool(round_.taxonomy_id) and taxonomy_policy.can(user, "view", round_.taxonomy),
    }
