"""回避 when forming a team (组建巡察组): the check the team services call, and the office's
recorded exception (回避例外) with its reason, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.audit.services import record
from xuncha.orgs.recusal import ties
from xuncha.policy.rounds import round_policy

from .guards import require_open
from .models import RecusalException, Round

MIN_REASON = 6


def conflicts(round_: Round, user, targets=None) -> list[str]:
    """The user's ties to the round's targets (or to ``targets``) that no recorded exception covers."""
    found = ties(user, round_.targets.all() if targets is None else targets)
    if found and RecusalException.objects.filter(round=round_, user=user).exists():
        return []
    return found


def require_no_conflict(round_: Round, user, targets=None) -> None:
    found = conflicts(round_, user, targets)
    if found:
        raise ValidationError(f"{user.display_name}应当回避：" + "；".join(found)
                              + "。如确需参加，请由巡察办记录回避例外及理由。")


def team_conflicts(round_: Round, targets) -> list[str]:
    """Members of the round's team tied to the new targets (one sentence each)."""
    lines = []
    for m in round_.team.select_related("user__organization"):
        found = conflicts(round_, m.user, targets)
        if found:
            lines.append(f"{m.user.display_name}（{m.get_team_role_display()}）：" + "；".join(found))
    return lines


@transaction.atomic
def record_exception(actor, round_: Round, user, *, reason: str, request=None) -> RecusalException:
    """记录回避例外: the office lets a tied cadre serve anyway, with the reason (audited)."""
    round_policy.require(actor, "manage", round_)
    require_open(round_)
    found = ties(user, round_.targets.all())
    if not found:
        raise ValidationError(f"{user.display_name}与本轮被巡察单位没有需要回避的情形，无需记录例外。")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(f"请写明例外理由（至少 {MIN_REASON} 个字）。")
    exception, _ = RecusalException.objects.update_or_create(
        round=round_, user=user,
        defaults={"conflicts": "；".join(found), "reason": reason, "recorded_by": actor})
    record(actor, "round.recusal_exception", round_, request=request,
           summary=f"“{round_.title}”巡察组：{user.display_name}回避例外，理由：{reason}",
           data={"user": user.pk, "conflicts": found, "reason": reason})
    return exception
