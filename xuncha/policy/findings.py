"""Who may see and act on a round's problem list (问题清单).

Problems are confidential records of the round (like 信访件 and 问题线索):
- view / export (导出 .xlsx): the round's team and the 巡察办 whose jurisdiction scope covers the
  round (a city office reads its counties' rounds). Never 领导小组, 被巡察单位 or 纪委监委: the unit
  learns its problems only through the 反馈意见 the office issues (``policy/reports.py``).
- manage (登记、修改、上传证据、由线索形成问题、转为问题线索、提出边巡边改): the round's team and
  the 巡察办 of the round's own jurisdiction.
- withdraw (撤销问题), consent (登记领导小组同意边巡边改) and rectify (标记边巡边改并出具整改建议书):
  the team's 组长 / 副组长 and the 巡察办 of the round's own jurisdiction.
"""

from __future__ import annotations

from xuncha.findings.models import Problem
from xuncha.rounds.models import Round

from .base import ModelPolicy, is_active_user
from .rounds import (
    LEADING_ROLES,
    can_read_confidential,
    can_work_on,
    confidential_rounds,
    is_round_office,
    team_role,
)


def leads_round(user, round_) -> bool:
    """The team's 组长 / 副组长 or the office of the round's own jurisdiction."""
    return is_round_office(user, round_) or team_role(user, round_) in LEADING_ROLES


class ProblemPolicy(ModelPolicy):
    model = Problem
    actions = {"view": "查看", "export": "导出", "manage": "登记或修改", "withdraw": "撤销",
               "consent": "登记领导小组同意", "rectify": "标记边巡边改"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Problem.objects.none()
        qs = Problem.objects.filter(round__in=confidential_rounds(user).values("pk"))
        if action == "view":
            return qs
        ids = [p.pk for p in qs.select_related("round") if self.can(user, action, p)]
        return Problem.objects.filter(pk__in=ids)

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return confidential_rounds(user).exists()
        round_ = obj if isinstance(obj, Round) else obj.round
        if action in ("view", "export"):
            return can_read_confidential(user, round_)
        if action == "manage":
            return can_work_on(user, round_)
        if action in ("withdraw", "consent", "rectify"):
            return leads_round(user, round_)
        return False

    def readable_rounds(self, user):
        return confidential_rounds(user)


problem_policy = ProblemPolicy()
