"""Who may see and act on problem clues (问题线索).

- 巡察组 of the round and the 巡察办 of its jurisdiction: see them (a city office sees its counties'
  rounds read-only); team members and that office register clues; the office and the team's
  组长/副组长 decide the disposal (处置).
- 纪委监委: only the clues transferred to their own organisation; they record the receipt and how
  they handled each (谈话函询 … 立案审查, 四种形态).
- 被巡察单位, 领导小组 and everyone else: nothing.
"""

from __future__ import annotations

from django.db.models import Q

from xuncha.clues.models import Clue, Disposal
from xuncha.orgs.models import Role
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


def current_disposal(clue: Clue) -> Disposal | None:
    """The clue's disposal read afresh (a cached "none yet" on an old instance must not decide)."""
    return Disposal.objects.filter(clue_id=clue.pk).first() if clue.pk else None


def receives_clues(user) -> bool:
    """纪委监委 users: they receive clues transferred to their own commission."""
    return bool(is_active_user(user) and user.has_role(Role.DISCIPLINE) and user.organization_id)


def received_clues(user):
    """Clues transferred to the user's 纪委监委 (the only clues such a user sees)."""
    if not receives_clues(user):
        return Clue.objects.none()
    return Clue.objects.filter(disposal__kind=Disposal.Kind.DISCIPLINE,
                               disposal__receiver_id=user.organization_id)


def is_discipline_receiver(user, clue: Clue, disposal: Disposal | None = None) -> bool:
    disposal = disposal or current_disposal(clue)
    return bool(
        receives_clues(user) and disposal is not None
        and disposal.kind == Disposal.Kind.DISCIPLINE and disposal.receiver_id == user.organization_id
    )


class CluePolicy(ModelPolicy):
    model = Clue
    actions = {"view": "查看", "manage": "登记", "dispose": "处置", "handle_result": "登记办理结果",
               "export": "导出", "receive": "接收"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Clue.objects.none()
        cond = Q(round__in=confidential_rounds(user).values("pk"))
        if receives_clues(user):
            cond |= Q(pk__in=received_clues(user).values("pk"))
        qs = Clue.objects.filter(cond)
        if action == "view":
            return qs
        ids = [c.pk for c in qs.select_related("round", "disposal") if self.can(user, action, c)]
        return Clue.objects.filter(pk__in=ids)

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if obj is None:
            if action == "receive":
                return receives_clues(user)
            return confidential_rounds(user).exists() or receives_clues(user)
        if isinstance(obj, Round):
            return self._can_round(user, action, obj)
        readable = can_read_confidential(user, obj.round)
        disposal = current_disposal(obj)
        receiver = is_discipline_receiver(user, obj, disposal)
        if action == "view":
            return readable or receiver
        if action == "handle_result":
            if disposal is None or not disposal.is_transfer:
                return False
            if disposal.kind == Disposal.Kind.DISCIPLINE:
                return receiver or is_round_office(user, obj.round)
            return is_round_office(user, obj.round)
        return self._can_round(user, action, obj.round)

    def _can_round(self, user, action, round_):
        if action in ("view", "export"):
            return can_read_confidential(user, round_)
        if action == "manage":
            return can_work_on(user, round_)
        if action == "dispose":
            return is_round_office(user, round_) or team_role(user, round_) in LEADING_ROLES
        return False

    def readable_rounds(self, user):
        return confidential_rounds(user)


clue_policy = CluePolicy()
