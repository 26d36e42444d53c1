"""Who may see and act on inspection rounds (巡察轮次).

- 巡察办 / 领导小组: every round of their jurisdiction scope (a city also sees its counties' rounds);
  only the office of the round's own jurisdiction manages it (plan, team, stage changes).
- 巡察组 (组长、副组长、成员、联络员): only the rounds of their own team; 组长/副组长 lead.
- 被巡察单位 (联络员 and 主要负责人): only rounds in which their organisation is inspected (for feedback
  and rectification).
- 纪委监委: no rounds; they see only the clues transferred to them.

Actions: manage (巡察办), approve (领导小组 of the round's jurisdiction), lead (组长/副组长),
work (any team member), inquire (函询: office or team lead), team_records (工作日志、函询、公文: team,
office and leadership of the scope), create (a new round: the office of that jurisdiction, ``obj`` a
Jurisdiction), brief (进度通报) and overview (阶段统计): office and leadership. 反馈签收 is the feedback's own action
(``policy/reports.py``: only the unit's 主要负责人).
联动巡察: only the office of a 联动巡察 round's own jurisdiction sets up the counties' rounds under it
(``link``, ``obj`` the city's round); a county office attaches its own round to a 联动巡察 round of
the jurisdiction directly above it (``attach``, ``obj`` that round; ``linkable_parents``).
Who may serve on a team (巡察组干部 or 巡察办人员 of the round's jurisdiction) is ``team_candidates``.
Taxonomies: everyone signed in reads the built-in ones and those of his scope; an office edits its own.
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.orgs.models import Jurisdiction, Role, User
from xuncha.rounds.models import Category, Round, Taxonomy, TeamMembership

from .base import ModelPolicy, is_active_user, jurisdiction_scope, own_jurisdiction_id

LEADING_ROLES = (TeamMembership.TeamRole.LEADER, TeamMembership.TeamRole.DEPUTY)


def team_role(user, round_) -> str | None:
    """The user's role in this round's team, or None."""
    if not is_active_user(user):
        return None
    cache = getattr(user, "_team_roles", None)
    if cache is None:
        cache = dict(TeamMembership.objects.filter(user=user).values_list("round_id", "team_role"))
        user._team_roles = cache
    return cache.get(round_.pk)


def is_round_office(user, round_) -> bool:
    """The office of the jurisdiction that runs the round."""
    return (
        is_active_user(user)
        and user.has_role(Role.OFFICE)
        and own_jurisdiction_id(user) == round_.jurisdiction_id
    )


# ---- round scopes shared by the records of a round ------------------------------------------
#
# Two scopes, used by every policy of records that belong to a round:
# - confidential records (信访件, 问题线索, 疑点, 问题清单): the round's team and the 巡察办 whose
#   jurisdiction scope covers the round (a city office reads its counties' rounds); never 领导小组,
#   被巡察单位 or 纪委监委 (纪委监委 see only clues transferred to them, decided in policy/clues.py);
# - team records (工作日志, 函询, 公文): the team, and 巡察办 / 领导小组 whose scope covers the round.
# Acting on either (登记, 办理) is for the team and the office of the round's own jurisdiction.

def office_scope(user) -> frozenset[int]:
    """Jurisdictions whose rounds' confidential records an office user may read."""
    if not is_active_user(user) or not user.has_role(Role.OFFICE):
        return frozenset()
    return jurisdiction_scope(user)


def confidential_rounds(user):
    """Rounds whose confidential records (petitions, clues, findings) the user may read."""
    if not is_active_user(user):
        return Round.objects.none()
    cond = Q(team__user=user)
    scope = office_scope(user)
    if scope:
        cond |= Q(jurisdiction_id__in=scope)
    return Round.objects.filter(cond).distinct()


def can_read_confidential(user, round_) -> bool:
    return team_role(user, round_) is not None or round_.jurisdiction_id in office_scope(user)


def can_work_on(user, round_) -> bool:
    """Register and handle a round's records: the round's team or the office of its own jurisdiction."""
    return team_role(user, round_) is not None or is_round_office(user, round_)


def reads_overview(user) -> bool:
    """巡察办 and 领导小组: the jurisdiction-wide views (进度通报, 阶段统计, 函询 of every round)."""
    return is_active_user(user) and user.has_role(Role.OFFICE, Role.LEADERSHIP)


def can_read_team_records(user, round_) -> bool:
    """Team records (工作日志, 函询, 公文): the team, and office/leadership whose scope covers the round."""
    if team_role(user, round_) is not None:
        return True
    return reads_overview(user) and round_.jurisdiction_id in jurisdiction_scope(user)


def inquiry_rounds(user):
    """Rounds whose 函询 deadlines the user watches: office/leadership of the scope, the round's leaders."""
    if reads_overview(user):
        return Round.objects.filter(jurisdiction_id__in=jurisdiction_scope(user))
    return round_policy.instances(user, "inquire")


def team_candidates(round_):
    """Who may serve on the round's team (组建巡察组): active 巡察组干部 or 巡察办人员 of its jurisdiction
    (or one below it). 回避 (conflicts with the targets) is checked by the service on top of this."""
    return User.objects.filter(
        is_active=True, role_assignments__role__in=[Role.INSPECTOR, Role.OFFICE],
        organization__jurisdiction_id__in=round_.jurisdiction.descendant_ids(),
    ).distinct()


def may_serve_on_team(user, round_) -> bool:
    return team_candidates(round_).filter(pk=user.pk).exists()


def _link_heads():
    return Round.objects.filter(parent__isnull=True).filter(
        Q(kind=Round.Kind.LINKED) | Q(linked_rounds__isnull=False)).distinct()


def is_link_head(round_) -> bool:
    """A city's 联动巡察 round (its kind, or counties' rounds already under it), itself under none."""
    return round_.parent_id is None and (round_.kind == Round.Kind.LINKED or round_.linked_rounds.exists())


def linkable_parents(user):
    """联动巡察 rounds of the jurisdiction directly above the user's that his office may attach to."""
    if not is_active_user(user) or not user.has_role(Role.OFFICE) or not user.organization_id:
        return Round.objects.none()
    above = user.organization.jurisdiction.parent_id
    if above is None:
        return Round.objects.none()
    return _link_heads().filter(jurisdiction_id=above).exclude(stage=Round.Stage.ARCHIVED).order_by(
        "-year", "-number")


class RoundPolicy(ModelPolicy):
    model = Round
    actions = {
        "view": "查看",
        "manage": "管理",          # plan, team, targets, stage changes (巡察办)
        "lead": "主持",            # team leader's acts (组长、副组长)
        "work": "开展工作",        # team member's acts
        "approve": "审批",         # leadership approves plans and reports
        "inquire": "函询",         # office or team lead sends 函询
        "create": "新建",          # a new round of the office's own jurisdiction
        "team_records": "查看工作记录",  # 工作日志、函询、公文
        "brief": "查看进度通报",
        "overview": "查看统计",
        "link": "部署联动巡察",     # the city office creates the counties' rounds under its 联动巡察
        "attach": "关联联动巡察",   # a county office links its round under the city's 联动巡察
    }

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Round.objects.none()
        if action == "view":
            cond = Q(team__user=user)
            scope = jurisdiction_scope(user)
            if scope:
                cond |= Q(jurisdiction_id__in=scope)
            if user.has_role(Role.UNIT, Role.UNIT_HEAD) and user.organization_id:
                cond |= Q(targets=user.organization_id)
            return Round.objects.filter(cond).distinct()
        ids = [r.pk for r in Round.objects.filter(
            Q(team__user=user) | Q(jurisdiction_id=own_jurisdiction_id(user))
        ).distinct() if self.can(user, action, r)]
        return Round.objects.filter(pk__in=ids)

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return self._can_at_all(user, action)
        if action == "create":
            return (isinstance(obj, Jurisdiction) and user.has_role(Role.OFFICE)
                    and own_jurisdiction_id(user) == obj.pk)
        if action == "view":
            return self.instances(user, "view").filter(pk=obj.pk).exists()
        if action == "team_records":
            return can_read_team_records(user, obj)
        if action == "manage":
            return is_round_office(user, obj)
        if action == "link":
            return is_round_office(user, obj) and obj.stage != Round.Stage.ARCHIVED and is_link_head(obj)
        if action == "attach":
            return linkable_parents(user).filter(pk=obj.pk).exists()
        if action == "approve":
            return user.has_role(Role.LEADERSHIP) and own_jurisdiction_id(user) == obj.jurisdiction_id
        role = team_role(user, obj)
        if action == "inquire":
            return is_round_office(user, obj) or role in LEADING_ROLES
        if action == "lead":
            return role in LEADING_ROLES
        if action == "work":
            return role is not None
        return False

    MESSAGES = {
        "team_records": "您没有权限查看本轮巡察的工作日志、函询和公文。",
        "brief": "进度通报仅供巡察办和领导小组查看。",
    }

    def denied_message(self, action):
        return self.MESSAGES.get(action) or super().denied_message(action)

    def _can_at_all(self, user, action):
        if action in ("manage", "create", "link", "attach"):
            return user.has_role(Role.OFFICE)
        if action in ("brief", "overview"):
            return reads_overview(user)
        if action == "approve":
            return user.has_role(Role.LEADERSHIP)
        if action in ("lead", "work"):
            return TeamMembership.objects.filter(user=user).exists()
        if action == "inquire":
            return user.has_role(Role.OFFICE) or TeamMembership.objects.filter(
                user=user, team_role__in=LEADING_ROLES).exists()
        return True


round_policy = RoundPolicy()


class TaxonomyPolicy(ModelPolicy):
    """问题分类体系: built-in ones are read-only (copy them); an office edits its jurisdiction's own."""

    model = Taxonomy
    actions = {"view": "查看", "manage": "编辑"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Taxonomy.objects.none()
        if action == "manage":
            if not user.has_role(Role.OFFICE):
                return Taxonomy.objects.none()
            return Taxonomy.objects.filter(jurisdiction_id=own_jurisdiction_id(user), builtin=False)
        if not user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.INSPECTOR, Role.ADMIN):
            return Taxonomy.objects.none()
        scope = set(jurisdiction_scope(user))
        own = own_jurisdiction_id(user)
        if own:
            scope.add(own)
        return Taxonomy.objects.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction_id__in=scope))

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            if action == "manage":
                return user.has_role(Role.OFFICE)
            return user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.INSPECTOR, Role.ADMIN)
        return self.instances(user, action).filter(pk=obj.pk).exists()


taxonomy_policy = TaxonomyPolicy()


def category_editable(user, category: Category) -> bool:
    return taxonomy_policy.can(user, "manage", category.taxonomy)
