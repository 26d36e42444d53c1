"""Who may see and act on questionnaires (问卷调查、民主测评、征求意见、知晓率调查).

Templates (``Survey.round`` empty): 巡察办, 领导小组, 巡察组干部 and 系统管理员 read the shipped ones and
those of their jurisdiction scope; an office edits (and builds, copies) its own jurisdiction's only.
Shipped templates are read-only (copy them), and only an office reloads them.

A round's questionnaires and their results are team records: the round's team, and 巡察办 / 领导小组
whose jurisdiction scope covers the round read them. Never the inspected unit (its leaders are the
ones rated) or the discipline commission.
- manage (build from a template, edit, open and close collection, print and void codes):
  the team's 组长 / 副组长 and the 巡察办 of the round's own jurisdiction;
- enter (录入纸质问卷): any team member and the round's office;
- log (记入工作日志): any team member (the work log is the team's).
Answering online needs no account: a one-time code is the only key (``xuncha/surveys/collect.py``).
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.orgs.models import Role
from xuncha.rounds.models import Round
from xuncha.surveys.models import Survey

from .base import ModelPolicy, is_active_user, jurisdiction_scope, own_jurisdiction_id
from .reports import team_record_rounds
from .rounds import LEADING_ROLES, can_read_team_records, is_round_office, team_role

TEMPLATE_READERS = (Role.OFFICE, Role.LEADERSHIP, Role.INSPECTOR, Role.ADMIN)


class SurveyTemplatePolicy(ModelPolicy):
    model = Survey
    actions = {"view": "查看", "manage": "编辑"}

    def instances(self, user, action="view"):
        base = Survey.objects.filter(round__isnull=True)
        if not self.can(user, action):
            return base.none()
        if action == "manage":
            return base.filter(jurisdiction_id=own_jurisdiction_id(user), builtin=False)
        scope = set(jurisdiction_scope(user))
        own = own_jurisdiction_id(user)
        if own:
            scope.add(own)
        return base.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction_id__in=scope))

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if action == "manage":
            allowed = user.has_role(Role.OFFICE) and own_jurisdiction_id(user) is not None
        else:
            allowed = user.has_role(*TEMPLATE_READERS)
        if obj is None or not allowed:
            return allowed
        return self.instances(user, action).filter(pk=obj.pk).exists()


class SurveyPolicy(ModelPolicy):
    """A round's questionnaires; ``obj`` is a Survey of a round, or the Round itself."""

    model = Survey
    actions = {"view": "查看", "manage": "管理", "enter": "录入", "log": "记入工作日志"}

    def instances(self, user, action="view"):
        qs = Survey.objects.filter(round__in=team_record_rounds(user).values("pk"))
        if action == "view":
            return qs
        return Survey.objects.filter(pk__in=[s.pk for s in qs.select_related("round") if self.can(user, action, s)])

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return team_record_rounds(user).exists()
        round_ = obj if isinstance(obj, Round) else obj.round
        if round_ is None:
            return False
        if action == "view":
            return can_read_team_records(user, round_)
        role = team_role(user, round_)
        if action == "manage":
            return role in LEADING_ROLES or is_round_office(user, round_)
        if action == "enter":
            return role is not None or is_round_office(user, round_)
        if action == "log":
            return role is not None
        return False

    def readable_rounds(self, user):
        return team_record_rounds(user)


survey_template_policy = SurveyTemplatePolicy()
survey_policy = SurveyPolicy()
