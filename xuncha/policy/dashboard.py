"""Who may see the 指挥舱 (dashboard of progress and results) and the ledger rows behind its figures.

- 巡察办 and 领导小组: the figures of every round of their jurisdiction scope — a city sees itself and
  its counties (联动巡察), a county only itself. Nobody else sees the dashboard.
- The ledger rows behind a figure: rounds (阶段) and overdue 函询 are team records, and the 整改台账 and
  追责问责 records are read by office and leadership of the scope (``policy/rectification.py``), so
  office and leadership of the scope read them; problems, clues and 疑点 are confidential records (see
  ``policy/rounds.py``): only the 巡察办 whose scope covers the round reads them, never 领导小组 —
  a leader sees the counts, not the rows.
"""

from __future__ import annotations

from xuncha.rounds.models import Round

from .base import jurisdiction_scope
from .rounds import office_scope, reads_overview

#: figure → which rows it stands on: "team" records (office + leadership) or "confidential" (office only)
ROW_KINDS = {
    "stage": "team", "county": "team", "inquiries": "team",
    "rect_result": "team", "rect_overdue": "team", "rect_accountable": "team",
    "problems": "confidential", "money": "confidential", "clues_disposal": "confidential",
    "clues_form": "confidential", "accountable": "confidential", "transfers": "confidential",
    "suspicions": "confidential",
}


def can_view(user) -> bool:
    """巡察办 / 领导小组 with a jurisdiction."""
    return reads_overview(user) and bool(jurisdiction_scope(user))


def jurisdictions(user) -> frozenset[int]:
    """Jurisdictions whose figures the user sees: his own and those below it."""
    return jurisdiction_scope(user) if can_view(user) else frozenset()


def rounds(user):
    """Rounds whose figures the user sees."""
    return Round.objects.filter(jurisdiction_id__in=jurisdictions(user))


def can_read_rows(user, figure: str) -> bool:
    """Whether the user may open the ledger rows behind ``figure`` (on the rounds of his scope)."""
    kind = ROW_KINDS.get(figure)
    if kind == "team":
        return can_view(user)
    if kind == "confidential":
        return can_view(user) and bool(office_scope(user))
    return False


def row_rounds(user, figure: str):
    """Rounds whose rows behind ``figure`` the user reads (none if he may not)."""
    if not can_read_rows(user, figure):
        return Round.objects.none()
    if ROW_KINDS[figure] == "confidential":
        return Round.objects.filter(jurisdiction_id__in=office_scope(user))
    return rounds(user)
