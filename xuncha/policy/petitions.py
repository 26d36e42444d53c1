"""Who may see and handle petitions and reports (信访举报件).

- 巡察组 of the round (组长、副组长、成员、联络员): see and handle its petitions.
- 巡察办 of the round's jurisdiction: see and handle; a city office sees its counties' rounds read-only.
- Reporter identity: only that 巡察办 and the round's 组长 may reveal it, giving a reason.
- 领导小组, 被巡察单位, 纪委监委 and everyone else: nothing (纪委监委 see only transferred clues).
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.orgs.models import Role
from xuncha.petitions.models import Petition
from xuncha.rounds.models import Round, TeamMembership

from .base import ModelPolicy, is_active_user, jurisdiction_scope
from .rounds import is_round_office, team_role


def office_scope(user) -> frozenset[int]:
    """Jurisdictions whose rounds' petitions and clues an office user may read."""
    if not is_active_user(user) or not user.has_role(Role.OFFICE):
        return frozenset()
    return jurisdiction_scope(user)


def readable_rounds(user):
    """Rounds whose petitions and clues the user may read (team or office scope)."""
    if not is_active_user(user):
        return Round.objects.none()
    cond = Q(team__user=user)
    scope = office_scope(user)
    if scope:
        cond |= Q(jurisdiction_id__in=scope)
    return Round.objects.filter(cond).distinct()


def can_read_round(user, round_) -> bool:
    return team_role(user, round_) is not None or round_.jurisdiction_id in office_scope(user)


def can_handle_round(user, round_) -> bool:
    """Take in, reply, triage: the round's team or the office of the round's own jurisdiction."""
    return team_role(user, round_) is not None or is_round_office(user, round_)


def can_reveal_round(user, round_) -> bool:
    """Reveal a reporter's identity: the round's office and its 组长 only."""
    return is_round_office(user, round_) or team_role(user, round_) == TeamMembership.TeamRole.LEADER


class PetitionPolicy(ModelPolicy):
    model = Petition
    actions = {"view": "查看", "handle": "办理", "reveal": "查看反映人身份", "intake": "登记"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Petition.objects.none()
        qs = Petition.objects.filter(round__in=readable_rounds(user).values("pk"))
        if action == "view":
            return qs
        ids = [p.pk for p in qs.select_related("round") if self.can(user, action, p)]
        return Petition.objects.filter(pk__in=ids)

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return readable_rounds(user).exists()
        round_ = obj if isinstance(obj, Round) else obj.round
        if not can_read_round(user, round_):
            return False
        if action in ("view", "export"):
            return True
        if action in ("handle", "intake"):
            return can_handle_round(user, round_)
        if action == "reveal":
            return can_reveal_round(user, round_)
        return False

    def round_for(self, user, action, round_id):
        """The round whose petitions the user acts on: 404 if he may not read it, 403 if not act."""
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        round_ = readable_rounds(user).filter(pk=round_id).first()
        if round_ is None:
            raise Http404("记录不存在或无权查看。")
        if not self.can(user, action, round_):
            raise PermissionDenied(self.denied_message(action))
        return round_


petition_policy = PetitionPolicy()
