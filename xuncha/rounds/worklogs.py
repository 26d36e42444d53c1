"""Work logs (工作日志) and the progress briefing (进度通报, seed 000: 截至25日9县开展工作情况)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from xuncha.audit.services import record
from xuncha.policy.rounds import round_policy

from .guards import require_open
from .models import Round, WorkLog

T = WorkLog.WorkType
# The common points of seed 000, one sentence per work type.
COMMON_TEXT = {
    T.STUDY: "加强学习。学习习近平总书记有关指示批示精神、巡察工作会议精神和有关法律法规、政策理论",
    T.INVESTIGATION: "开展调查。到有关部门了解情况，走访干部群众",
    T.DOCUMENTS: "查阅被巡察单位财务资料、会议记录、项目资料",
    T.TALKS: "召开座谈会、开展个别谈话",
    T.DATA_COMPARE: "对有关部门提供的数据进行比对",
    T.SURVEY: "开展问卷调查、民主测评，广泛征求意见",
    T.MEETING: "召开巡察组会议，集中组织学习政策法规、辅导资料和巡察办的工作要求",
    T.CLUES: "与有关部门联系调取问题线索",
    T.PETITION: "受理信访举报",
    T.OTHER: "开展其他工作",
}
ORDINALS = "一二三四五六七八九十"


@transaction.atomic
def add_log(actor, round_: Round, *, day: date, work_type: str, content: str, people_talked: int = 0,
            forms_issued: int = 0, forms_returned: int = 0, request=None) -> WorkLog:
    """记录工作日志: any member of the round's team, while the round is on site or reporting."""
    require_open(round_)
    round_policy.require(actor, "work", round_)
    if round_.stage not in (Round.Stage.PREPARATION, Round.Stage.ONSITE, Round.Stage.REPORTING):
        raise ValidationError("本轮巡察已进入反馈阶段，不能再记录工作日志。")
    if forms_returned > forms_issued:
        raise ValidationError("收回份数不能多于发放份数。")
    log = WorkLog(round=round_, author=actor, date=day, work_type=work_type, content=content.strip(),
                  people_talked=people_talked, forms_issued=forms_issued, forms_returned=forms_returned)
    log.full_clean()
    log.save()
    record(actor, "round.worklog_add", round_, request=request,
           summary=f"记录工作日志 {log}", data={"log": log.pk})
    return log


def logs_for(user, round_: Round):
    """A round's logs: the team sees its own round's; office/leadership see every log of their scope."""
    return round_.work_logs.select_related("author").order_by("-date", "-pk")


@dataclass
class CountyPoints:
    name: str
    round: Round
    points: list[str] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


@dataclass
class Briefing:
    day: date
    rounds: list[Round]
    common: list[str]
    particular: list[CountyPoints]
    silent: list[str]

    @property
    def title(self) -> str:
        counties = all(r.jurisdiction.level == "county" for r in self.rounds)
        who = f"{len(self.rounds)}县" if counties and self.rounds else f"{len(self.rounds)}个巡察组"
        return f"截至{self.day.month}月{self.day.day}日{who}开展工作情况"


def _short(name: str) -> str:
    for suffix in ("县", "市", "区"):
        if name.endswith(suffix) and len(name) > 2:
            return name[:-1]
    return name


def briefing(user, day: date, parent: Round | None = None) -> Briefing:
    """进度通报 for ``day``: work types done by most rounds are common points, the rest per county.

    The rounds are those the user sees (a city office sees its counties' linked rounds); with
    ``parent`` only its linked rounds (联动巡察: "截至25日9县开展工作情况").
    A log of a common type counts as a particular point when it is not the round's first log of
    that type, or when it records people talked to or forms handed out.
    """
    qs = round_policy.instances(user, "view").select_related("jurisdiction")
    if parent is not None:
        qs = qs.filter(parent=parent)
    logs = list(WorkLog.objects.filter(round__in=qs, date__lte=day).order_by("date", "pk"))
    by_round: dict[int, list[WorkLog]] = defaultdict(list)
    for log in logs:
        by_round[log.round_id].append(log)
    rounds = [r for r in qs.order_by("jurisdiction__code", "pk") if by_round.get(r.pk)]
    silent = [r.jurisdiction.name for r in qs.order_by("jurisdiction__code") if not by_round.get(r.pk)]
    types_per_round = {r.pk: {log.work_type for log in by_round[r.pk]} for r in rounds}
    threshold = max(2, (len(rounds) + 1) // 2)   # "most": at least half, and at least two
    counts = defaultdict(int)
    for types in types_per_round.values():
        for t in types:
            counts[t] += 1
    common_types = [t for t in T.values if counts[t] >= threshold]
    common = [f"{ORDINALS[i] if i < 10 else i + 1}是{COMMON_TEXT[T(t)]}（{counts[t]}个组）。"
              for i, t in enumerate(common_types)]
    particular = []
    for r in rounds:
        cp = CountyPoints(name=_short(r.jurisdiction.name), round=r)
        seen: set[str] = set()
        for log in by_round[r.pk]:
            routine = log.work_type in common_types and log.work_type not in seen
            seen.add(log.work_type)
            if not routine or log.people_talked or log.forms_issued:
                cp.points.append(log.content)
        cp.totals = {
            "people": sum(log.people_talked for log in by_round[r.pk]),
            "issued": sum(log.forms_issued for log in by_round[r.pk]),
            "returned": sum(log.forms_returned for log in by_round[r.pk]),
            "days": len({log.date for log in by_round[r.pk]}),
        }
        if not cp.points:
            cp.points.append(by_round[r.pk][-1].content)
        particular.append(cp)
    return Briefing(day=day, rounds=rounds, common=common, particular=particular, silent=silent)
