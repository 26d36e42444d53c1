"""Who may see and handle petitions and reports (信访举报件).

- 巡察组 of the round (组长、副组长、成员、联络员): see and handle its petitions.
- 巡察办 of the round's jurisdiction: see and handle; a city office sees its counties' rounds read-only.
- Reporter identity: only that 巡察办 and the round's 组长 may reveal it, giving a reason.
- 领导小组, 被巡察单位, 纪委监委 and everyone else: nothing (纪委监委 see only transferred clues).
"""

from __future__ import annotations

from xuncha.petitions.models import Petition
from xuncha.rounds.models import Round, TeamMembership

from .base import ModelPolicy, is_active_user
from .rounds import can_read_confidential, can_work_on, confidential_rounds, is_round_office, team_role


def can_reveal_round(user, round_) -> bool:
    """Reveal a reporter's identity: the round's office and its 组长 only."""
    return is_round_office(user, round_) or team_role(user, round_) == TeamMembership.TeamRole.LEADER


class PetitionPolicy(ModelPolicy):
    model = Petition
    actions = {"view": "查看", "handle": "办理", "reveal": "查看反映人身份", "intake": "登记"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Petition.objects.none()
        qs = Petition.objects.filter(round__in=confidential_rounds(user).values("pk"))
        if action == "view":
            return qs
        ids = [p.pk for p in qs.select_related("round") if self.can(user, action, p)]
        return Petition.objects.filter(pk__in=ids)

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            return confidential_rounds(user).exists()
        round_ = obj if isinstance(obj, Round) else obj.round
        if not can_read_confidential(user, round_):
            return False
        if action in ("view", "export"):
            return True
        if action in ("handle", "intake"):
            return can_work_on(user, round_)
        if action == "reveal":
            return can_reveal_round(user, round_)
        return False

    def readable_rounds(self, user):
        return confidential_rounds(user)


petition_policy = PetitionPolicy()
