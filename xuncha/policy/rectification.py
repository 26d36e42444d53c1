"""Who may see and act on the rectification (整改督办) of a feedback: plan, ledger, reports, visits.

Records hang on a signed ``Feedback`` (one inspected unit of a round):
- view: the round's team and 巡察办 / 领导小组 whose jurisdiction scope covers the round (read);
  the inspected unit (联络员 and 主要负责人) its own feedback once signed — never another unit's;
- unit (报送整改方案, 报告进展, 上传佐证材料, 申请销号, 追责问责和建章立制登记, 整改报告, 整改情况公开):
  the inspected unit's own users;
- office (审核整改方案, 同意销号, 退回, 虚假整改红牌, 回访, 追责登记): the 巡察办 of the round's own
  jurisdiction;
- oversee (逾期督办 list, figures): 巡察办 and 领导小组 (their jurisdiction scope).
Accountability and rules may be recorded by the unit or the round's office (``record``).
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.orgs.models import Role
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

from .base import ModelPolicy, is_active_user, jurisdiction_scope
from .reports import UNIT_ROLES, is_unit_user, team_record_rounds
from .rounds import can_read_team_records, is_round_office, reads_overview


class RectificationPolicy(ModelPolicy):
    model = Feedback
    actions = {"view": "查看整改情况", "unit": "办理整改", "office": "审核整改", "record": "登记追责和制度"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Feedback.objects.none()
        cond = Q(round__in=team_record_rounds(user).values("pk"))
        if user.has_role(*UNIT_ROLES) and user.organization_id:
            cond |= Q(unit_id=user.organization_id)
        qs = Feedback.objects.filter(cond, signed_at__isnull=False)
        if action == "view":
            return qs
        return Feedback.objects.filter(pk__in=[f.pk for f in qs.select_related("round") if self.can(user, action, f)])

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            if action == "unit":
                return user.has_role(*UNIT_ROLES)
            if action == "office":
                return user.has_role(Role.OFFICE)
            return sees_unit_rectification(user) or sees_oversight(user) or team_record_rounds(user).exists()
        if isinstance(obj, Round):       # the round's whole ledger (export): staff who read its team records
            return action == "view" and can_read_team_records(user, obj)
        if obj.signed_at is None:
            return False
        unit = is_unit_user(user, obj.unit_id)
        if action == "view":
            return unit or can_read_team_records(user, obj.round)
        if action == "unit":
            return unit
        if action == "office":
            return is_round_office(user, obj.round)
        if action == "record":
            return unit or is_round_office(user, obj.round)
        return False

    def readable_rounds(self, user):
        return team_record_rounds(user)


def sees_unit_rectification(user) -> bool:
    """The inspected unit's menu entry 整改 (its own plan and ledger)."""
    return is_active_user(user) and user.has_role(*UNIT_ROLES)


def sees_oversight(user) -> bool:
    """逾期督办 and the figures: 巡察办 and 领导小组."""
    return reads_overview(user)


def oversight_rounds(user):
    """Rounds whose rectification the user oversees (office/leadership of the scope)."""
    if not sees_oversight(user):
        return Round.objects.none()
    return Round.objects.filter(jurisdiction_id__in=jurisdiction_scope(user))


rectification_policy = RectificationPolicy()


def sees_rectification(user) -> bool:
    """The menu entry 整改: the inspected unit, 巡察办 and 领导小组 (the team reaches it from its rounds)."""
    return sees_unit_rectification(user) or sees_oversight(user)
