"""The two 整改报告 generated from the ledger (.docx, GB/T 9704 fonts) and the 整改情况公开 draft: their
figures are the ledger's."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document

from xuncha.orgs.models import Organization

from .. import docs, ledger, records
from ..models import Item, RectReport
from .conftest import accepted, pdf_upload


def text_of(report: RectReport) -> str:
    with report.file.file.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in doc.paragraphs)


def test_generated_reports_and_disclosure_follow_the_ledger(demo, signed):
    u = demo
    Organization.objects.filter(pk=signed.unit_id).update(staff_count=52)
    f = accepted(u, signed, points={1: "项目甲减免50万元\n项目乙减免75万元"})
    first = Item.objects.get(feedback=f, problem__number=1, point_no=1)
    ledger.report_progress(u["rfb"], first, progress="追缴到位", amount_recovered="500000")
    ledger.add_evidence(u["rfb"], Item.objects.get(pk=first.pk), pdf_upload())
    ledger.request_closure(u["rfb"], Item.objects.get(pk=first.pk))
    ledger.approve_closure(u["xcb"], Item.objects.get(pk=first.pk), result=Item.Result.DONE)
    records.add_accountability(u["rfb"], f, name="甲某", position="科长", measure="诫勉谈话", form="1",
                               decided_on=timezone.localdate())
    records.add_rule(u["rfb"], f, title="易地建设费减免集体研究制度", issued_on=timezone.localdate())

    progress = records.generate_report(u["rfb"], f, kind="progress")
    text = text_of(progress)
    assert "关于" in text and "整改落实情况的报告" in text
    assert "巡察反馈问题3项4个具体问题，已整改到位1个、基本整改到位0个，整改完成率25.0%" in text
    assert "应追缴（挽回）资金125.00万元，已追缴（挽回）50.00万元" in text
    assert "追责问责1人（第一种形态1人），占在职干部职工约1.9%" in text
    assert "项目甲减免50万元" in text and "甲某（科长）：诫勉谈话（第一种形态）" in text
    assert "《易地建设费减免集体研究制度》" in text
    head = records.generate_report(u["rfb_head"], f, kind="head")
    text = text_of(head)
    assert "主要负责人履行整改第一责任人职责情况的报告" in text.replace("\n", "") and "共报送1稿" in text
    assert (progress.number, head.number, progress.source) == (1, 1, "generated")
    with head.file.file.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28       # GB/T 9704 margins
    draft = docs.disclosure_draft(f)
    assert "整改情况的通报" in draft and "已整改到位1个" in draft and "1-1 项目甲减免50万元：整改到位。" in draft
