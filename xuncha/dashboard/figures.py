"""The figures of the 指挥舱, one function per source ledger.

Each ``*_rows`` function is the ledger query a figure stands on, and the figure is an aggregate of
exactly that query, so a figure and the rows behind it always agree (the drill-down opens the same
rows). Every function takes the rounds in view (a ``Round`` queryset already scoped and filtered).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from xuncha.clues.models import Clue, Disposal
from xuncha.findings.models import Problem
from xuncha.orgs.models import Jurisdiction
from xuncha.rounds.models import Inquiry, Round

S = Round.Stage
STAGES = list(S.values)
ZERO = Decimal("0")
NO_CATEGORY = "none"
PENDING = "pending"
#: 四种形态 that hold a person accountable (第一种至第四种形态; 不予处理 does not)
ACCOUNTABLE_FORMS = [Disposal.Form.FIRST, Disposal.Form.SECOND, Disposal.Form.THIRD, Disposal.Form.FOURTH]


@dataclass
class Item:
    """One bar or slice: ``key`` names it for the drill-down."""

    key: str
    label: str
    value: int
    amount: Decimal | None = None


def _ids(rounds):
    return rounds.values("pk")


# ---- rounds ----------------------------------------------------------------------------------

def stage_rows(rounds, key: str | None = None):
    qs = Round.objects.filter(pk__in=_ids(rounds)).select_related("jurisdiction")
    return qs.filter(stage=key) if key else qs


def rounds_by_stage(rounds) -> list[Item]:
    counts = dict(stage_rows(rounds).values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return [Item(code, label, counts.get(code, 0)) for code, label in S.choices]


def percent(stage: str) -> int:
    """进度: 准备 0% … 归档 100%, by the stages passed."""
    return round(100 * STAGES.index(stage) / (len(STAGES) - 1))


def progress_by_jurisdiction(rounds, jurisdiction_ids) -> list[dict]:
    """Per county (and the city itself): rounds by stage and the mean progress of its rounds."""
    counts: dict[int, dict[str, int]] = {}
    for jid, stage, n in stage_rows(rounds).values_list("jurisdiction_id", "stage").annotate(n=Count("pk")):
        counts.setdefault(jid, {})[stage] = n
    result = []
    for j in Jurisdiction.objects.filter(pk__in=jurisdiction_ids).order_by("level", "code", "pk"):
        by_stage = counts.get(j.pk, {})
        total = sum(by_stage.values())
        mean = round(sum(percent(s) * n for s, n in by_stage.items()) / total) if total else 0
        result.append({"id": j.pk, "name": j.name, "level": j.level, "rounds": total, "percent": mean,
                       "stages": [by_stage.get(code, 0) for code in STAGES]})
    return result


# ---- problems (问题清单) -----------------------------------------------------------------------

def problem_rows(rounds, key: str | None = None):
    """Confirmed problems (withdrawn ones are not problems); ``key`` a top category id or ``none``."""
    qs = Problem.objects.filter(round__in=_ids(rounds), status=Problem.Status.CONFIRMED)
    if key == NO_CATEGORY:
        qs = qs.filter(category__isnull=True)
    elif key:
        qs = qs.filter(Q(category_id=key, category__parent__isnull=True) | Q(category__parent_id=key))
    return qs.select_related("round__jurisdiction", "category__parent", "responsible_unit")


def problems_by_category(rounds, totals: dict | None = None) -> list[Item]:
    """By 大类 of the round's taxonomy (a category's parent, or the category itself when it is a 大类).

    ``totals``, when given, receives the money sums of the same rows (one scan serves both figures)."""
    groups: dict[str, Item] = {}
    rows = problem_rows(rounds).values_list(
        "category_id", "category__name", "category__parent_id", "category__parent__name",
        "category__taxonomy__name").annotate(n=Count("pk"), amount=Sum("amount"),
                                             recover=Sum("amount_to_recover")).order_by()
    found = to_recover = ZERO
    for cid, name, pid, pname, taxonomy, n, amount, recover in rows:
        found += amount or ZERO
        to_recover += recover or ZERO
        if cid is None:
            key, label = NO_CATEGORY, "未分类"
        elif pid is None:
            key, label = str(cid), f"{name}（{taxonomy}）"
        else:
            key, label = str(pid), f"{pname}（{taxonomy}）"
        item = groups.setdefault(key, Item(key, label, 0, ZERO))
        item.value += n
        item.amount += amount or ZERO
    if totals is not None:
        totals.update(found=found, to_recover=to_recover)
    return sorted(groups.values(), key=lambda i: (i.key == NO_CATEGORY, -i.value, i.label))


def money_rows(rounds, key: str | None = None):
    """Problems with money found or to recover."""
    return problem_rows(rounds).filter(Q(amount__gt=0) | Q(amount_to_recover__gt=0))


# ---- clues (问题线索) -------------------------------------------------------------------------

def clue_rows(rounds, key: str | None = None):
    """Clues by disposal: ``key`` a 处置方式 or ``pending`` (not disposed yet)."""
    qs = Clue.objects.filter(round__in=_ids(rounds))
    if key == PENDING:
        qs = qs.filter(disposal__isnull=True)
    elif key:
        qs = qs.filter(disposal__kind=key)
    return qs.select_related("round__jurisdiction", "disposal__receiver")


def clues_by_disposal(rounds) -> list[Item]:
    counts = dict(clue_rows(rounds).values_list("disposal__kind").annotate(n=Count("pk")).order_by())
    items = [Item(PENDING, "待处置", counts.get(None, 0))]
    items += [Item(code, label, counts.get(code, 0)) for code, label in Disposal.Kind.choices]
    return items


def form_rows(rounds, key: str | None = None):
    """Clues the receiver concluded, by 四种形态 (``key`` the form)."""
    qs = clue_rows(rounds).filter(disposal__concluded_on__isnull=False).exclude(disposal__form="")
    return qs.filter(disposal__form=key) if key else qs


def clues_by_form(rounds) -> list[Item]:
    counts = dict(form_rows(rounds).values_list("disposal__form").annotate(n=Count("pk")).order_by())
    return [Item(code, label, counts.get(code, 0)) for code, label in Disposal.Form.choices]


def accountable_rows(rounds, key: str | None = None):
    """查办处理: concluded clues whose person was dealt with in one of the 四种形态."""
    return form_rows(rounds).filter(disposal__form__in=ACCOUNTABLE_FORMS)


def accountability(rounds) -> dict:
    """People held accountable through the clues: one person per concluded clue in 第一至第四种形态."""
    return {"clues": accountable_rows(rounds).count()}


# ---- overdue (逾期事项) ------------------------------------------------------------------------

def transfer_rows(rounds, today, key: str | None = None):
    """Transferred clues the receiver has not concluded by their 办理时限."""
    kinds = [Disposal.Kind.DISCIPLINE, Disposal.Kind.ORGANIZATION, Disposal.Kind.PARTY_ORG]
    return clue_rows(rounds).filter(disposal__kind__in=kinds, disposal__deadline__lt=today,
                                    disposal__concluded_on__isnull=True)


def inquiry_rows(rounds, today, key: str | None = None):
    """函询 not replied by their 回复期限."""
    return Inquiry.objects.filter(round__in=_ids(rounds), replied_on__isnull=True, due_on__lt=today).select_related(
        "round__jurisdiction", "recipient_org")


def overdue(rounds, today, rect_overdue: int | None = None) -> list[Item]:
    """``rect_overdue``: the rectification figures' own count of ``rect_overdue_rows``, when already known."""
    if rect_overdue is None:
        rect_overdue = rect_overdue_rows(rounds, today).count()
    return [Item("transfers", "移交线索逾期未办结", transfer_rows(rounds, today).count()),
            Item("inquiries", "函询逾期未回复", inquiry_rows(rounds, today).count()),
            Item("rect_overdue", "整改逾期（含虚假整改未纠正）", rect_overdue)]


# ---- 疑点 (数据比对, xuncha.crosscheck) ----------------------------------------------------------

def suspicion_rows(rounds, key: str | None = None):
    """疑点 of the rounds' 比对运行; ``key`` a 核实状态 (待核实 / 已确认 / 已排除)."""
    from xuncha.crosscheck.models import Suspicion

    qs = Suspicion.objects.filter(round__in=_ids(rounds))
    return (qs.filter(status=key) if key else qs).select_related("round__jurisdiction", "run")


def suspicions_by_status(rounds) -> list[Item]:
    from xuncha.crosscheck.models import Suspicion

    counts = dict(Suspicion.objects.filter(round__in=_ids(rounds)).values_list("status").annotate(n=Count("*"))
                  .order_by())
    return [Item(code, label, counts.get(code, 0)) for code, label in Suspicion.Status.choices]


# ---- 整改 (xuncha.rectification: its own ``figures`` over the rounds' ledgers) -----------------------

UNDECIDED = "undecided"


def _rect(rounds):
    from xuncha.rectification.models import Item as RectItem
    from xuncha.reports.models import Feedback

    ids = _ids(rounds)
    return RectItem.objects.filter(feedback__round__in=ids), Feedback.objects.filter(round__in=ids)


def rect_rows(rounds, key: str | None = None):
    """整改台账 rows; ``key`` a 整改结果 or ``undecided`` (未定)."""
    items, _ = _rect(rounds)
    if key == UNDECIDED:
        items = items.filter(result="")
    elif key:
        items = items.filter(result=key)
    return items.select_related("feedback__round__jurisdiction", "feedback__unit", "problem")


def rect_overdue_rows(rounds, today, key: str | None = None):
    """整改逾期: past the 整改时限 and not 已销号, or under an open 虚假整改 red card (rectification's rule)."""
    from xuncha.rectification.figures import overdue_q

    return rect_rows(rounds).filter(overdue_q(today))


def rect_accountable_rows(rounds, key: str | None = None):
    """追责问责 records of the rounds' feedbacks; ``key`` a 四种形态."""
    from xuncha.rectification.models import Accountability

    qs = Accountability.objects.filter(feedback__round__in=_ids(rounds))
    return (qs.filter(form=key) if key else qs).select_related("feedback__round__jurisdiction", "feedback__unit")


def rectification(rounds, today) -> dict:
    """整改 figures as the rectification app computes them, plus the result shares as ``Item``s."""
    from xuncha.rectification import figures as rect_figures
    from xuncha.rectification.models import Item as RectItem

    items, feedbacks = _rect(rounds)
    figs = rect_figures.figures(items, feedbacks, today)
    labels = dict(RectItem.Result.choices)
    by_result = [Item(code, labels[code], figs["by_result"].get(code, 0)) for code in RectItem.Result.values]
    by_result.append(Item(UNDECIDED, "未定", figs["by_result"].get("", 0)))
    points = figs["points"]
    return {**figs, "results": by_result,
            "shares": {i.key: (round(100 * i.value / points, 1) if points else None) for i in by_result}}
