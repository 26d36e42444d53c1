"""整改 figures computed from the ledger (for the dashboard and the office's pages).

Plain functions, no permission checks (callers ask ``xuncha.policy.rectification`` first):

- ``round_figures(round_)``: one round;
- ``jurisdiction_figures(jurisdiction, year=None)``: every round run by that city or county;
- ``county_table(jurisdiction, year=None)``: the jurisdiction and each one below it, one row each;
- ``figures(items, feedbacks)``: the same from any querysets of ``Item`` and ``Feedback``.

Each returns a ``dict``:

=====================  =====================================================================
problems, points       问题 with ledger rows; rows (问题及具体问题, 台账条目)
by_status              {status code: n} for 未启动/整改中/申请销号/已销号/退回 (every code present)
by_result              {"done"/"basic"/"not_done"/"": n} (整改到位/基本整改到位/未整改到位/未定)
closed                 已销号 rows
done_rate, basic_rate  整改到位 / 基本整改到位 rows as a share of all rows (0..1, None when no rows)
rectified_rate         (整改到位 + 基本整改到位) / rows
to_recover, recovered  Decimal: 应追缴/挽回 and 已追缴/挽回 money (元); recovered_rate their ratio
accountable, by_form   people held accountable (追责问责), and by 四种形态 {"1".."4": n}
staff, accountable_share  在编人数 of the units concerned (``Organization.staff_count``, each unit once
                       however many rounds inspected it) and the share accountable / staff
red_cards, red_open    红牌 given (sum) and rows whose 虚假整改 is not yet corrected
overdue                rows overdue (past the 整改时限, not 已销号) or under an open red card
rules                  建章立制 records
=====================  =====================================================================
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xuncha.orgs.models import Jurisdiction
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

from .models import Accountability, Item, RuleMade

IS = Item.Status


def _share(part, whole):
    if not whole:
        return None
    return float(Decimal(part) / Decimal(whole))


def overdue_q(today: date | None = None) -> Q:
    """Ledger rows on the 督办 list: not 已销号 and past the 整改时限, or under an open red card."""
    today = today or timezone.localdate()
    return (Q(deadline__lt=today) & ~Q(status=IS.CLOSED)) | Q(red_card_open=True)


def figures(items: QuerySet, feedbacks: QuerySet, today: date | None = None) -> dict:
    items = items.order_by()
    points = items.count()
    by_status = {code: 0 for code in IS.values}
    for row in items.values("status").annotate(n=Count("pk")):
        by_status[row["status"]] = row["n"]
    by_result = {code: 0 for code in [*Item.Result.values, ""]}
    for row in items.values("result").annotate(n=Count("pk")):
        by_result[row["result"]] = row["n"]
    money = items.aggregate(to_recover=Sum("amount_to_recover"), recovered=Sum("amount_recovered"),
                            red_cards=Sum("red_cards"))
    to_recover = money["to_recover"] or Decimal("0")
    recovered = money["recovered"] or Decimal("0")
    feedback_ids = feedbacks.values("pk")
    people = Accountability.objects.filter(feedback__in=feedback_ids)
    by_form = {code: 0 for code in Accountability.Form.values}
    for row in people.order_by().values("form").annotate(n=Count("pk")):
        by_form[row["form"]] = row["n"]
    accountable = sum(by_form.values())
    units = {f.unit_id: f.unit.staff_count or 0 for f in feedbacks.select_related("unit")}   # a unit counts once
    staff = sum(units.values())
    # 整改到位 / 基本整改到位 are only given by the office's 销号 (a 退回 or red card sets 未整改到位)
    done, basic = by_result[Item.Result.DONE], by_result[Item.Result.BASIC]
    return {
        "problems": items.values("problem_id").distinct().count(),
        "points": points,
        "by_status": by_status,
        "by_result": by_result,
        "closed": by_status[IS.CLOSED],
        "done": done,
        "basic": basic,
        "done_rate": _share(done, points),
        "basic_rate": _share(basic, points),
        "rectified_rate": _share(done + basic, points),
        "to_recover": to_recover,
        "recovered": recovered,
        "recovered_rate": _share(recovered, to_recover),
        "accountable": accountable,
        "by_form": by_form,
        "staff": staff,
        "accountable_share": _share(accountable, staff),
        "red_cards": money["red_cards"] or 0,
        "red_open": items.filter(red_card_open=True).count(),
        "overdue": items.filter(overdue_q(today)).count(),
        "rules": RuleMade.objects.filter(feedback__in=feedback_ids).count(),
    }


def round_figures(round_: Round, today: date | None = None) -> dict:
    return figures(Item.objects.filter(feedback__round=round_), Feedback.objects.filter(round=round_), today)


def jurisdiction_figures(jurisdiction: Jurisdiction, year: int | None = None, today: date | None = None) -> dict:
    """Every round run by this jurisdiction (a county's own rounds; a city's own, not its counties')."""
    rounds = Round.objects.filter(jurisdiction=jurisdiction)
    if year is not None:
        rounds = rounds.filter(year=year)
    rounds = rounds.values("pk")
    return figures(Item.objects.filter(feedback__round__in=rounds), Feedback.objects.filter(round__in=rounds), today)


def county_table(jurisdiction: Jurisdiction, year: int | None = None, today: date | None = None) -> list[dict]:
    """One row per jurisdiction (this one first, then those directly below it): {"jurisdiction", **figures}."""
    rows = [jurisdiction, *Jurisdiction.objects.filter(parent=jurisdiction).order_by("code", "name")]
    return [{"jurisdiction": j, **jurisdiction_figures(j, year, today)} for j in rows]
