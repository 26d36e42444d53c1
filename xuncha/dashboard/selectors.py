"""The dashboard's reads: filters (year, county, round) within the viewer's scope, the figures of the
rounds in view, and the ledger rows behind one figure (the drill-down)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone

from xuncha.core.params import id_param
from xuncha.orgs.models import Jurisdiction
from xuncha.policy import dashboard as policy
from xuncha.rounds.models import Round

from . import figures


@dataclass
class Filters:
    """年度 / 县（区）/ 巡察轮次 chosen on the page; a value outside the viewer's scope is dropped."""

    year: int | None = None
    county: Jurisdiction | None = None
    round: Round | None = None
    errors: list[str] = field(default_factory=list)

    def query(self, **extra) -> str:
        params = {"year": self.year or "", "county": self.county.pk if self.county else "",
                  "round": self.round.pk if self.round else ""}
        params.update(extra)
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    @property
    def title(self) -> str:
        parts = []
        if self.round:
            return self.round.title
        if self.year:
            parts.append(f"{self.year}年")
        if self.county:
            parts.append(self.county.name)
        return "".join(parts) or "全部"


def _int(raw: str | None) -> int | None:
    return id_param(raw)


def parse_filters(user, params) -> Filters:
    f = Filters()
    scoped = policy.rounds(user)
    for name, label in (("year", "年度"), ("county", "县（区）"), ("round", "巡察轮次")):
        if params.get(name, "").strip() and _int(params.get(name)) is None:
            f.errors.append(f"筛选条件“{label}”不正确，已忽略。")
    f.year = _int(params.get("year"))
    county_id = _int(params.get("county"))
    if county_id is not None:
        f.county = Jurisdiction.objects.filter(pk=county_id, pk__in=policy.jurisdictions(user)).first()
        if f.county is None:
            f.errors.append("所选县（区）不在本级管辖范围内，已忽略。")
    round_id = _int(params.get("round"))
    if round_id is not None:
        f.round = scoped.select_related("jurisdiction").filter(pk=round_id).first()
        if f.round is None:
            f.errors.append("所选巡察轮次不在本级管辖范围内，已忽略。")
    return f


def rounds_in_view(user, f: Filters):
    qs = policy.rounds(user)
    if f.round:
        return qs.filter(pk=f.round.pk)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.county:
        qs = qs.filter(jurisdiction=f.county)
    return qs


def choices(user, f: Filters) -> dict:
    scoped = policy.rounds(user)
    years = sorted(set(scoped.values_list("year", flat=True)), reverse=True)
    counties = Jurisdiction.objects.filter(pk__in=policy.jurisdictions(user)).order_by("level", "code", "pk")
    rounds = scoped.select_related("jurisdiction").order_by("-year", "-number", "jurisdiction__code")
    if f.year:
        rounds = rounds.filter(year=f.year)
    if f.county:
        rounds = rounds.filter(jurisdiction=f.county)
    return {"years": years, "counties": counties, "rounds": rounds, "stage_names": [label for _, label in Round.Stage.choices]}


def all_figures(user, f: Filters, today=None) -> dict:
    """Every figure of the rounds in view (one query or two per figure, whatever the volume)."""
    today = today or timezone.localdate()
    rounds = rounds_in_view(user, f)
    jids = [f.round.jurisdiction_id] if f.round else ([f.county.pk] if f.county else policy.jurisdictions(user))
    money: dict = {}
    rect = figures.rectification(rounds, today)
    figs = {
        "stage": figures.rounds_by_stage(rounds),
        "county": figures.progress_by_jurisdiction(rounds, jids),
        "problems": figures.problems_by_category(rounds, totals=money),   # money: same rows, same scan
        "money": money,
        "clues_disposal": figures.clues_by_disposal(rounds),
        "clues_form": figures.clues_by_form(rounds),
        "accountable": figures.accountability(rounds),
        "overdue": figures.overdue(rounds, today, rect_overdue=rect["overdue"]),
        "suspicions": figures.suspicions_by_status(rounds),
        "rect": rect,
    }
    figs["totals"] = {
        "rounds": sum(i.value for i in figs["stage"]),
        "problems": sum(i.value for i in figs["problems"]),
        "clues": sum(i.value for i in figs["clues_disposal"]),
        "overdue": sum(i.value for i in figs["overdue"]),
        "suspicions": sum(i.value for i in figs["suspicions"]),
    }
    return figs


def _items(items, figure, link) -> dict:
    links = [link(figure, i.key) if figure else link(i.key) for i in items]
    return {"labels": [i.label for i in items], "values": [i.value for i in items], "links": links,
            "rows": [{"label": i.label, "value": i.value, "amount": i.amount, "link": u} for i, u in zip(items, links, strict=True)]}


def chart_data(figs: dict, f: Filters, link) -> dict:
    """What ``dashboard.js`` draws: labels, values and the drill-down link of each bar or slice."""
    county = figs["county"]
    rect = _items(figs["rect"]["results"], "rect_result", link)
    for row, item in zip(rect["rows"], figs["rect"]["results"], strict=True):
        row["share"] = figs["rect"]["shares"][item.key]
    return {
        "stage": {"type": "bar", "title": "巡察轮次（按阶段）", **_items(figs["stage"], "stage", link)},
        "county": {"type": "progress", "title": "各县（区）巡察进度（%）", "labels": [c["name"] for c in county],
                   "values": [c["percent"] for c in county], "links": [link("county", str(c["id"])) for c in county]},
        "problems": {"type": "bar", "title": "发现问题（按问题类别）", **_items(figs["problems"], "problems", link)},
        "clues_disposal": {"type": "pie", "title": "问题线索（按处置方式）",
                           **_items(figs["clues_disposal"], "clues_disposal", link)},
        "clues_form": {"type": "pie", "title": "问题线索办结（按四种形态）", **_items(figs["clues_form"], "clues_form", link)},
        "overdue": {"type": "bar", "title": "逾期事项", **_items(figs["overdue"], "", link)},
        "suspicions": {"type": "pie", "title": "数据比对疑点（按核实状态）", **_items(figs["suspicions"], "suspicions", link)},
        "rect_result": {"type": "pie", "title": "整改台账（按整改结果）", **rect},
    }


# ---- the rows behind a figure -------------------------------------------------------------------

ROW_FIGURES = {
    "stage": ("巡察轮次", lambda r, key, today: figures.stage_rows(r, key)),
    "county": ("巡察轮次", lambda r, key, today: figures.stage_rows(r).filter(jurisdiction_id=key or 0)),
    "problems": ("问题清单", lambda r, key, today: figures.problem_rows(r, key)),
    "money": ("问题清单（涉及金额）", lambda r, key, today: figures.money_rows(r)),
    "clues_disposal": ("问题线索", lambda r, key, today: figures.clue_rows(r, key)),
    "clues_form": ("问题线索（办结）", lambda r, key, today: figures.form_rows(r, key)),
    "accountable": ("问题线索（查办处理）", lambda r, key, today: figures.accountable_rows(r)),
    "transfers": ("问题线索（移交逾期）", lambda r, key, today: figures.transfer_rows(r, today)),
    "inquiries": ("函询（逾期未回复）", lambda r, key, today: figures.inquiry_rows(r, today)),
    "suspicions": ("数据比对疑点", lambda r, key, today: figures.suspicion_rows(r, key)),
    "rect_result": ("整改台账", lambda r, key, today: figures.rect_rows(r, key)),
    "rect_overdue": ("整改台账（逾期）", lambda r, key, today: figures.rect_overdue_rows(r, today)),
    "rect_accountable": ("追责问责", lambda r, key, today: figures.rect_accountable_rows(r, key)),
}
ID_KEYED = {"county", "problems"}   # figures whose key is a database id
ROW_KIND = {"stage": "round", "county": "round", "problems": "problem", "money": "problem",
            "clues_disposal": "clue", "clues_form": "clue", "accountable": "clue", "transfers": "clue",
            "inquiries": "inquiry", "suspicions": "suspicion", "rect_result": "rect", "rect_overdue": "rect",
            "rect_accountable": "accountability"}


def rows(user, figure: str, key: str | None, f: Filters, today=None):
    """The ledger rows behind one figure, on the rounds in view that the user may read rows of."""
    today = today or timezone.localdate()
    readable = policy.row_rounds(user, figure)
    rounds = rounds_in_view(user, f).filter(pk__in=readable.values("pk"))
    title, query = ROW_FIGURES[figure]
    if figure in ID_KEYED and key and key != figures.NO_CATEGORY and _int(key) is None:
        key = "0"   # not an id (a malformed link): no rows rather than an error
    return title, query(rounds, key or None, today)
