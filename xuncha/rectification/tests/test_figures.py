"""The figures match the ledger: the test builds its own ledger and counts it by itself."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from xuncha.orgs.models import Organization

from .. import figures, ledger, records
from ..models import Accountability, Item
from .conftest import accepted, pdf_upload

R = Item.Result


def close(u, item, result):
    ledger.add_evidence(u["rfb"], item, pdf_upload())
    ledger.request_closure(u["rfb"], Item.objects.get(pk=item.pk))
    ledger.approve_closure(u["xcb"], Item.objects.get(pk=item.pk), result=result)


def test_round_figures_match_the_ledger(demo, signed):
    u = demo
    unit = Organization.objects.get(pk=signed.unit_id)
    unit.staff_count = 52
    unit.save()
    f = accepted(u, signed, points={1: "甲\n乙\n丙", 2: "丁\n戊"})
    rows = {i.code: i for i in Item.objects.filter(feedback=f)}
    assert sorted(rows) == ["1-1", "1-2", "1-3", "2-1", "2-2", "4-1"]
    close(u, rows["1-1"], R.DONE)
    close(u, rows["1-2"], R.DONE)
    close(u, rows["2-1"], R.BASIC)
    # 1-3: red card, still open; 2-2: in progress and past its deadline; 4-1 returned
    ledger.add_evidence(u["rfb"], rows["1-3"], pdf_upload())
    ledger.request_closure(u["rfb"], Item.objects.get(pk=rows["1-3"].pk))
    ledger.red_card(u["xcb"], Item.objects.get(pk=rows["1-3"].pk), comments="追缴票据系伪造")
    ledger.report_progress(u["rfb"], rows["2-2"], progress="推进中", amount_recovered="300000")
    ledger.report_progress(u["rfb"], rows["4-1"],
                           progress="已召开专题会", amount_recovered="12.5")
    ledger.add_evidence(u["rfb"], Item.objects.get(pk=rows["4-1"].pk), pdf_upload())
    ledger.request_closure(u["rfb"], Item.objects.get(pk=rows["4-1"].pk))
    ledger.return_item(u["xcb"], Item.objects.get(pk=rows["4-1"].pk), comments="会议纪要不完整")   # 未整改到位
    Item.objects.filter(pk=rows["2-2"].pk).update(deadline=timezone.localdate() - timedelta(days=3))
    Item.objects.filter(pk=rows["1-2"].pk).update(deadline=timezone.localdate() - timedelta(days=3))  # closed: not late
    today = timezone.localdate()
    for name, position, form in (("甲某", "科长", "1"), ("乙某", "副主任", "2"), ("丙某", "科员", "1")):
        records.add_accountability(u["rfb"], f, name=name, position=position, measure="诫勉谈话", form=form,
                                   decided_on=today)
    records.add_rule(u["rfb"], f, title="易地建设费减免审批办法", doc_no="安人防发〔2027〕1号", issued_on=today)

    got = figures.round_figures(f.round)

    # the test's own count, from the rows it just made
    items = list(Item.objects.filter(feedback=f))
    expected_status = {s: sum(1 for i in items if i.status == s) for s in Item.Status.values}
    done = sum(1 for i in items if i.status == Item.Status.CLOSED and i.result == R.DONE)
    basic = sum(1 for i in items if i.status == Item.Status.CLOSED and i.result == R.BASIC)
    assert (done, basic) == (2, 1)
    assert got["problems"] == 3 and got["points"] == 6
    assert got["by_status"] == expected_status == {"not_started": 0, "in_progress": 1, "requested": 0,
                                                   "closed": 3, "returned": 2}
    assert got["by_result"] == {"done": 2, "basic": 1, "not_done": 2, "": 1}
    assert (got["done"], got["basic"], got["closed"]) == (2, 1, 3)
    assert got["done_rate"] == 2 / 6 and got["basic_rate"] == 1 / 6 and got["rectified_rate"] == 3 / 6
    assert got["to_recover"] == Decimal("1250000") and got["recovered"] == Decimal("300012.50")
    assert got["recovered_rate"] == float(Decimal("300012.50") / Decimal("1250000"))
    assert got["accountable"] == 3 and got["by_form"] == {"1": 2, "2": 1, "3": 0, "4": 0}
    assert got["staff"] == 52 and got["accountable_share"] == 3 / 52
    assert (got["red_cards"], got["red_open"]) == (1, 1)
    assert got["overdue"] == 2                 # 2-2 past its deadline, 1-3 under an open red card
    assert got["rules"] == 1
    assert Accountability.objects.count() == 3

    # per jurisdiction: the city's rounds; a county with none has zeros
    city = f.round.jurisdiction
    assert figures.jurisdiction_figures(city)["points"] == 6
    table = figures.county_table(city)
    assert table[0]["jurisdiction"] == city and table[0]["points"] == 6
    assert len(table) == 10 and all(row["points"] == 0 and row["done_rate"] is None for row in table[1:])
    assert figures.jurisdiction_figures(city, year=2026)["points"] == 0


def test_a_unit_inspected_twice_counts_its_staff_once(demo):
    from .conftest import signed_feedback

    u = demo
    first, second = signed_feedback(u, number=1), signed_feedback(u, number=2)
    Organization.objects.filter(pk=first.unit_id).update(staff_count=40)
    for f, name in ((first, "甲某"), (second, "乙某")):
        records.add_accountability(u["rfb"], f, name=name, position="科长", measure="诫勉谈话", form="2",
                                   decided_on=timezone.localdate())
    got = figures.jurisdiction_figures(first.round.jurisdiction)
    assert (got["accountable"], got["staff"], got["accountable_share"]) == (2, 40, 2 / 40)
    assert figures.round_figures(second.round)["accountable_share"] == 1 / 40
