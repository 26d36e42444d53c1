"""Who may see and act on 数据比对 in a round (data files, runs, 疑点, dossiers) and on the policies.

- 疑点 are confidential records of the round: only the round's team and the 巡察办 whose jurisdiction
  scope covers the round see runs, 疑点 and dossiers (``confidential_rounds``); 领导小组, the inspected
  unit (被巡察单位) and the discipline commission (纪委监委) never do.
- upload, run, confirm (确认), dismiss (排除), turn into a clue: the round's team and the office of the
  round's own jurisdiction (``work``); a city office reads its counties' runs without acting.
- reopen (重新核实 a decided 疑点): the team's 组长 / 副组长 only (``reopen``).
- 比对策略 of a jurisdiction and year: the office of that jurisdiction edits them (``manage_policy``,
  ``obj`` a Jurisdiction); offices read those of their scope.
"""

from __future__ import annotations

from xuncha.crosscheck.models import CheckPolicy, CheckRun, Suspicion
from xuncha.orgs.models import Jurisdiction, Role
from xuncha.rounds.models import Round

from .base import ModelPolicy, is_active_user, jurisdiction_scope, own_jurisdiction_id
from .rounds import LEADING_ROLES, can_read_confidential, can_work_on, confidential_rounds, team_role


def _round_of(obj) -> Round:
    if isinstance(obj, Round):
        return obj
    return obj.round


class CrosscheckPolicy(ModelPolicy):
    model = CheckRun
    actions = {"view": "查看", "work": "运行比对和核实", "reopen": "重新核实", "export": "导出"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return CheckRun.objects.none()
        qs = CheckRun.objects.filter(round__in=confidential_rounds(user).values("pk"))
        if action == "view":
            return qs
        ids = [r.pk for r in qs.select_related("round") if self.can(user, action, r)]
        return CheckRun.objects.filter(pk__in=ids)

    def suspicions(self, user):
        """疑点 the user may see."""
        if not is_active_user(user):
            return Suspicion.objects.none()
        return Suspicion.objects.filter(round__in=confidential_rounds(user).values("pk"))

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return confidential_rounds(user).exists()
        round_ = _round_of(obj)
        if action in ("view", "export"):
            return can_read_confidential(user, round_)
        if action == "work":
            return can_work_on(user, round_)
        if action == "reopen":
            return team_role(user, round_) in LEADING_ROLES
        return False

    def readable_rounds(self, user):
        return confidential_rounds(user)

    def denied_message(self, action):
        if action == "reopen":
            return "只有巡察组组长、副组长可以重新核实疑点。"
        return f"您没有权限{self.actions.get(action, action)}（数据比对）。"


crosscheck_policy = CrosscheckPolicy()


class CheckPolicyPolicy(ModelPolicy):
    """比对策略: offices read those of their scope; the office of a jurisdiction edits its own."""

    model = CheckPolicy
    actions = {"view": "查看", "manage_policy": "编辑"}

    def instances(self, user, action="view"):
        if not is_active_user(user) or not user.has_role(Role.OFFICE):
            return CheckPolicy.objects.none()
        if action == "view":
            return CheckPolicy.objects.filter(jurisdiction_id__in=jurisdiction_scope(user))
        return CheckPolicy.objects.filter(jurisdiction_id=own_jurisdiction_id(user))

    def can(self, user, action, obj=None):
        if not is_active_user(user) or not user.has_role(Role.OFFICE):
            return False
        if obj is None:
            return True
        jurisdiction_id = obj.pk if isinstance(obj, Jurisdiction) else obj.jurisdiction_id
        if action == "view":
            return jurisdiction_id in jurisdiction_scope(user)
        if action == "manage_policy":
            return jurisdiction_id == own_jurisdiction_id(user)
        return False


check_policy_policy = CheckPolicyPolicy()
