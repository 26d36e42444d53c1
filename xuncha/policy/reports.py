"""Who may see and act on the 巡察报告, its reviews, the 反馈意见 and the round's archive.

巡察报告 (and the 评价表, 综合性汇报材料, 审批记录): the round's team, and 巡察办 / 领导小组 whose
jurisdiction scope covers the round. Never the inspected unit or the discipline commission.
- work (draft, upload a version, 评价与建议): any team member;
- submit (报送): the team's 组长 / 副组长;
- office_review (审核, approve or return with comments) and decide (登记书记专题会议审议结果):
  the 巡察办 of the round's own jurisdiction;
- leadership_review (审批, approve or return): the 领导小组 of the round's own jurisdiction.

反馈意见 (Feedback): the team and the office/leadership scope read every feedback of the round;
the inspected unit (联络员 and 主要负责人) reads its own once issued; the note for the head
(双反馈) is read by the unit's head (主要负责人) once briefed, never by its liaison;
- manage (向主要负责人通报, 反馈): the round's office;
- sign (签收): only the unit's head (Role.UNIT_HEAD), with his own account.

Archive (.zip): the office whose scope covers the round.
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.orgs.models import Role
from xuncha.reports.models import Feedback, Report
from xuncha.rounds.models import Round

from .base import ModelPolicy, is_active_user, jurisdiction_scope, own_jurisdiction_id
from .rounds import LEADING_ROLES, can_read_team_records, is_round_office, team_role

UNIT_ROLES = (Role.UNIT, Role.UNIT_HEAD)


def team_record_rounds(user):
    """Rounds whose team records the user reads (the team; office/leadership of the scope)."""
    if not is_active_user(user):
        return Round.objects.none()
    cond = Q(team__user=user)
    if user.has_role(Role.OFFICE, Role.LEADERSHIP):
        cond |= Q(jurisdiction_id__in=jurisdiction_scope(user))
    return Round.objects.filter(cond).distinct()


def is_round_leadership(user, round_) -> bool:
    return (is_active_user(user) and user.has_role(Role.LEADERSHIP)
            and own_jurisdiction_id(user) == round_.jurisdiction_id)


def is_unit_head(user, unit_id) -> bool:
    return (is_active_user(user) and user.has_role(Role.UNIT_HEAD) and user.organization_id is not None
            and user.organization_id == unit_id)


def is_unit_user(user, unit_id) -> bool:
    return (is_active_user(user) and user.has_role(*UNIT_ROLES) and user.organization_id is not None
            and user.organization_id == unit_id)


class ReportPolicy(ModelPolicy):
    model = Report
    actions = {"view": "查看", "work": "编写", "submit": "报送", "office_review": "审核",
               "leadership_review": "审批", "decide": "登记审议结果"}

    def instances(self, user, action="view"):
        qs = Report.objects.filter(round__in=team_record_rounds(user).values("pk"))
        if action == "view":
            return qs
        return Report.objects.filter(pk__in=[r.pk for r in qs.select_related("round") if self.can(user, action, r)])

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return team_record_rounds(user).exists()
        round_ = obj if isinstance(obj, Round) else obj.round
        if action == "view":
            return can_read_team_records(user, round_)
        if action == "work":
            return team_role(user, round_) is not None
        if action == "submit":
            return team_role(user, round_) in LEADING_ROLES
        if action in ("office_review", "decide"):
            return is_round_office(user, round_)
        if action == "leadership_review":
            return is_round_leadership(user, round_)
        return False

    def readable_rounds(self, user):
        return team_record_rounds(user)


class FeedbackPolicy(ModelPolicy):
    model = Feedback
    actions = {"view": "查看", "view_head_note": "查看主要负责人通报", "manage": "办理", "sign": "签收"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Feedback.objects.none()
        cond = Q(round__in=team_record_rounds(user).values("pk"))
        if user.has_role(*UNIT_ROLES) and user.organization_id:
            own = Q(unit_id=user.organization_id, issued_at__isnull=False)
            if user.has_role(Role.UNIT_HEAD):
                own |= Q(unit_id=user.organization_id, head_briefed_at__isnull=False)
            cond |= own
        qs = Feedback.objects.filter(cond)
        if action == "view":
            return qs
        return Feedback.objects.filter(pk__in=[f.pk for f in qs.select_related("round") if self.can(user, action, f)])

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return user.has_role(*UNIT_ROLES) or team_record_rounds(user).exists()
        if isinstance(obj, Round):
            return action == "manage" and is_round_office(user, obj)
        staff = can_read_team_records(user, obj.round)
        if action == "view":
            return staff or (is_unit_user(user, obj.unit_id) and obj.issued_at is not None) or (
                is_unit_head(user, obj.unit_id) and obj.head_briefed_at is not None)
        if action == "view_head_note":
            return obj.head_briefed_at is not None and (staff or is_unit_head(user, obj.unit_id))
        if action == "manage":
            return is_round_office(user, obj.round)
        if action == "sign":
            return is_unit_head(user, obj.unit_id)
        return False

    def readable_rounds(self, user):
        return team_record_rounds(user)


def can_export_archive(user, round_) -> bool:
    """归档材料 (.zip): the office whose jurisdiction scope covers the round."""
    return (is_active_user(user) and user.has_role(Role.OFFICE)
            and round_.jurisdiction_id in jurisdiction_scope(user))


def sees_unit_feedback(user) -> bool:
    """The inspected unit's menu entry 反馈意见."""
    return is_active_user(user) and user.has_role(*UNIT_ROLES)


report_policy = ReportPolicy()
feedback_policy = FeedbackPolicy()
