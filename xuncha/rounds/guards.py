"""Guards every write service of a round's records calls first (归档 freezes a round)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

ARCHIVED_MESSAGE = "本轮巡察已归档，不能再修改。"


def require_open(round_) -> None:
    """Refuse any change to an archived round or to a record that belongs to one."""
    from .models import Round

    if round_.stage == Round.Stage.ARCHIVED:
        raise ValidationError(ARCHIVED_MESSAGE)
