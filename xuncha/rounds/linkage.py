"""联动巡察 (city–county linked rounds, seed 000: 市委联动巡察, "截至25日9县开展工作情况").

A city office runs a 联动巡察 round and sets up the counties' rounds under it (``create_county_rounds``);
a county office may also link a round of its own under it from the round form (``services._check_parent``).
``county_progress`` is what the city sees of each county: its round, stage and progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum

from xuncha.audit.services import record
from xuncha.orgs.models import Jurisdiction
from xuncha.policy.base import jurisdiction_scope
from xuncha.policy.rounds import round_policy

from .guards import require_open
from .models import Round, StageChange, WorkLog

S = Round.Stage
STAGES = list(S.values)


def county_choices(parent: Round):
    """Counties directly below the city's jurisdiction that have no round under ``parent`` yet."""
    taken = parent.linked_rounds.values_list("jurisdiction_id", flat=True)
    return Jurisdiction.objects.filter(parent_id=parent.jurisdiction_id).exclude(pk__in=taken).order_by("code", "pk")


def _title(parent: Round, county: Jurisdiction) -> str:
    base = parent.title
    city = parent.jurisdiction.name
    if base.startswith(city):
        base = base[len(city):]
    return f"{county.name}{base}（联动）"[:200]


def _next_number(county: Jurisdiction, year: int) -> int:
    last = Round.objects.filter(jurisdiction=county, year=year).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


@transaction.atomic
def create_county_rounds(actor, parent: Round, counties, *, request=None) -> list[Round]:
    """部署联动巡察: the city office creates one round per chosen county under its 联动巡察 round.

    Each county round starts in 准备 with the city's taxonomy, dates and focus; the county's own office
    then manages it (team, targets, plan approval) as any of its rounds.
    """
    require_open(parent)
    round_policy.require(actor, "link", parent)
    counties = list(counties)
    if not counties:
        raise ValidationError("请选择至少一个县（区）。")
    allowed = {j.pk for j in county_choices(parent)}
    created = []
    for county in counties:
        if county.pk not in allowed:
            raise ValidationError(f"{county.name}不是本市所辖县（区），或已有本轮联动巡察。")
        r = Round(jurisdiction=county, parent=parent, kind=Round.Kind.LINKED, year=parent.year,
                  number=_next_number(county, parent.year), title=_title(parent, county),
                  taxonomy=parent.taxonomy, planned_start=parent.planned_start, planned_end=parent.planned_end,
                  focus=parent.focus, created_by=actor, stage=S.PREPARATION)
        r.full_clean()
        r.save()
        StageChange.objects.create(round=r, from_stage="", to_stage=S.PREPARATION, actor=actor)
        record(actor, "round.create", r, request=request, summary=f"部署联动巡察，新建“{r.title}”",
               data={"year": r.year, "number": r.number, "kind": r.kind, "parent": parent.pk})
        created.append(r)
    record(actor, "round.link_counties", parent, request=request,
           summary=f"“{parent.title}”部署{len(created)}个县（区）联动巡察：" + "、".join(r.jurisdiction.name for r in created),
           data={"rounds": [r.pk for r in created]})
    return created


@dataclass
class CountyProgress:
    county: Jurisdiction
    round: Round | None
    stage_label: str
    step: int            # 1..6 (准备 … 归档); 0 when the county has no round yet
    percent: int         # stages passed, of the five steps from 准备 to 归档
    log_days: int
    people_talked: int
    last_log: date | None


def progress_of(round_: Round | None) -> tuple[int, int]:
    """(step, percent) of a round along 准备 → 进驻 → 汇报 → 反馈 → 整改 → 归档."""
    if round_ is None:
        return 0, 0
    i = STAGES.index(round_.stage)
    return i + 1, round(100 * i / (len(STAGES) - 1))


def county_progress(user, parent: Round) -> list[CountyProgress]:
    """Each county below the city: its round under ``parent`` (those the user may see), stage, progress."""
    rounds = {r.jurisdiction_id: r for r in round_policy.instances(user, "view").filter(parent=parent)}
    logs = {row["round"]: row for row in WorkLog.objects.filter(round__in=[r.pk for r in rounds.values()])
            .values("round").annotate(days=Count("date", distinct=True), people=Sum("people_talked"),
                                      last=Max("date"))}
    counties = Jurisdiction.objects.filter(parent_id=parent.jurisdiction_id, pk__in=jurisdiction_scope(user))
    result = []
    for county in counties.order_by("code", "pk"):
        r = rounds.get(county.pk)
        step, percent = progress_of(r)
        row = logs.get(r.pk, {}) if r else {}
        result.append(CountyProgress(county=county, round=r, stage_label=r.get_stage_display() if r else "未部署",
                                     step=step, percent=percent, log_days=row.get("days", 0),
                                     people_talked=row.get("people") or 0, last_log=row.get("last")))
    return result
