"""Guards every write service of a round's records calls first (归档 freezes a round)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

ARCHIVED_MESSAGE = "本轮巡察已归档，不能再修改。"


def require_open(round_) -> None:
    """Refuse any change to an archived round or to a record that belongs to one.

    The stage is read from the database too: a record's cached ``.round`` (or a round held by a long
    job) may predate the 归档.
    """
    from .models import Round

    if round_.stage == Round.Stage.ARCHIVED or (
            round_.pk and Round.objects.filter(pk=round_.pk, stage=Round.Stage.ARCHIVED).exists()):
        raise ValidationError(ARCHIVED_MESSAGE)


#: Checks run before a round is archived; each returns the reasons (Chinese sentences) that block it.
#: Apps register theirs in ``AppConfig.ready`` (e.g. rectification: items not yet 销号).
ARCHIVE_CHECKS: list[Callable[[object], list[str]]] = []


def archive_blockers(round_) -> list[str]:
    return [reason for check in ARCHIVE_CHECKS for reason in check(round_)]
