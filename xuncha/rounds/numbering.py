"""Numbers of a round's records (编号): one mechanism for 信访件, 问题线索 and whatever comes next.

A number reads ``{组织巡察的党委所在区域}{种类代码}{年度}-{轮次}-{序号}``, e.g. ``安康市XF2026-1-003``
(安康市, 2026年第1轮, 信访举报件第3件) or ``石泉县XS2026-1-001`` (石泉县 问题线索). A round is unique by
(jurisdiction, year, number), and the serial is unique and gapless within the round and kind, so the
number is unique within the jurisdiction and across the jurisdictions a city oversees (the city's
纪委监委 lists clues of its own and its counties' rounds side by side).

Usage in a model: a ``serial`` integer field, and ``code = numbering.code(round, PREFIX, serial)``;
in the service, inside the transaction that creates the record: ``next_serial(round, KIND)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import RecordCounter, Round

#: kind of record -> the letters in its number
PREFIXES = {"petition": "XF", "clue": "XS"}


def next_serial(round_: Round, kind: str) -> int:
    """The next serial of this kind in the round (call inside ``transaction.atomic``)."""
    if kind not in PREFIXES:
        raise ValueError(kind)
    RecordCounter.objects.get_or_create(round=round_, kind=kind)
    counter = RecordCounter.objects.select_for_update().get(round=round_, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def code(round_: Round, kind: str, serial: int) -> str:
    return f"{round_.jurisdiction.name}{PREFIXES[kind]}{round_.year}-{round_.number}-{serial:03d}"


@dataclass(frozen=True)
class Parsed:
    place: str
    kind: str
    year: int
    round_number: int
    serial: int


_CODE = re.compile(r"^\s*(?P<place>[^\W\d_A-Za-z]*)\s*(?P<prefix>[A-Za-z]{2})\s*(?P<year>\d{4})\s*-\s*"
                   r"(?P<round>\d{1,3})\s*-\s*(?P<serial>\d{1,6})\s*$")


def parse(text: str) -> Parsed | None:
    """Read a number typed by a person (``安康市XF2026-1-003``, spaces and case forgiven); None if it is none."""
    m = _CODE.match(text or "")
    if m is None:
        return None
    kinds = {v: k for k, v in PREFIXES.items()}
    kind = kinds.get(m["prefix"].upper())
    if kind is None:
        return None
    return Parsed(place=m["place"], kind=kind, year=int(m["year"]), round_number=int(m["round"]),
                  serial=int(m["serial"]))


def serial_in_round(text: str, round_: Round, kind: str) -> int | None:
    """The serial a person means in this round: a full number of this round, or just the serial ("3")."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    parsed = parse(text)
    if parsed is None or parsed.kind != kind or (parsed.year, parsed.round_number) != (round_.year, round_.number):
        return None
    if parsed.place and parsed.place != round_.jurisdiction.name:
        return None
    return parsed.serial
