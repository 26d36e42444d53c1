"""归档: refused while rectification is open (naming the unit and what is open); the package holds the
ledger, the reports and every evidence file under 07-整改."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from xuncha.reports import archive
from xuncha.reports import services as reports
from xuncha.reports.tests.conftest import fresh
from xuncha.rounds.models import Round

from .. import ledger, plans, records
from ..models import Item
from .conftest import full_plan, pdf_upload


def test_archive_waits_for_plan_and_every_row_closed_then_packs_the_rectification(demo, signed):
    u, f = demo, signed
    r = fresh(f.round)
    reports.start_rectification(u["xcb"], r)
    with pytest.raises(ValidationError, match="安康市人民防空办公室的整改方案尚未经巡察办审核通过"):
        reports.archive(u["xcb"], fresh(r))
    plans.file_plan(u["rfb"], f, full_plan(f))
    with pytest.raises(ValidationError, match="整改方案尚未经巡察办审核通过"):
        reports.archive(u["xcb"], fresh(r))
    plans.accept_plan(u["xcb"], fresh(f))
    with pytest.raises(ValidationError, match="尚有3项整改未销号"):
        reports.archive(u["xcb"], fresh(r))
    for n, item in enumerate(Item.objects.filter(feedback=f).order_by("problem__number")):
        ledger.add_evidence(u["rfb"], item, pdf_upload(f"佐证{n}.pdf"))
        ledger.request_closure(u["rfb"], Item.objects.get(pk=item.pk))
        if n == 2:
            with pytest.raises(ValidationError, match="尚有1项整改未销号"):
                reports.archive(u["xcb"], fresh(r))
        ledger.approve_closure(u["xcb"], Item.objects.get(pk=item.pk), result=Item.Result.DONE)
    records.generate_report(u["rfb"], fresh(f), kind="progress")
    reports.archive(u["xcb"], fresh(r))
    assert fresh(r).stage == Round.Stage.ARCHIVED

    data, _name, _sha = archive.build(fresh(r))
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in zf.namelist() if n.startswith("07-整改/")]
    assert any(n.endswith("整改台账.xlsx") for n in names)
    assert sum("佐证" in n and n.endswith(".pdf") for n in names) == 3
    assert any("整改落实情况报告第1稿" in n for n in names)
    ledger_name = next(n for n in names if n.endswith("整改台账.xlsx"))
    wb = load_workbook(io.BytesIO(zf.read(ledger_name)))
    assert wb.sheetnames == ["整改台账", "整改方案各稿", "追责问责", "建章立制", "回访"]
    rows = [row for row in wb["整改台账"].iter_rows(min_row=4, values_only=True) if row[0]]
    assert [row[0] for row in rows] == ["1-1", "2-1", "4-1"] and {row[8] for row in rows} == {"已销号"}
    manifest = zf.read("manifest-sha256.txt").decode()
    assert all(n in manifest for n in names)


def test_a_feedback_without_problems_asks_for_no_plan_and_does_not_block(demo):
    from xuncha.reports.tests.conftest import issue_all, make_round, to_feedback

    from .. import selectors
    from ..reminders import send_reminders

    u = demo
    r = to_feedback(u, make_round(u, number=4))          # no problem at all
    issue_all(u, r)
    f = r.feedbacks.get()
    reports.mark_read(u["rfb_head"], f)
    reports.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    assert not plans.needs_plan(fresh(f))
    assert not any("整改方案" in i["what"] for i in selectors.todo_items(u["rfb"]))
    from datetime import timedelta

    assert send_reminders(fresh(f).report_due + timedelta(days=30)).created == []
    reports.start_rectification(u["xcb"], fresh(r))
    reports.archive(u["xcb"], fresh(r))
    assert fresh(r).stage == Round.Stage.ARCHIVED
