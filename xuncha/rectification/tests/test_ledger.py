"""整改台账 (销号制): progress, evidence, 申请销号, 同意销号 only by the office, 退回, 虚假整改 red card."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from .. import ledger
from ..models import Item, ItemEvent
from .conftest import accepted, pdf_upload

IS, R = Item.Status, Item.Result


@pytest.fixture
def rows(demo, signed):
    f = accepted(demo, signed, points={1: "项目甲减免50万元\n项目乙减免75万元"})
    return {i.code: i for i in Item.objects.filter(feedback=f)}


def get(item):
    return Item.objects.get(pk=item.pk)


def test_progress_evidence_request_approve(demo, rows):
    u, item = demo, rows["1-1"]
    with pytest.raises(ValidationError, match="上传佐证材料"):
        ledger.request_closure(u["rfb"], ledger.report_progress(u["rfb"], item, progress="已下达追缴通知"))
    assert get(item).status == IS.IN_PROGRESS
    ledger.report_progress(u["rfb"], get(item), progress="已追缴50万元", amount_recovered="500,000")
    assert get(item).amount_recovered == Decimal("500000.00")
    ledger.add_evidence(u["rfb"], get(item), pdf_upload())
    ledger.request_closure(u["rfb"], get(item), comments="已全部追缴")
    assert get(item).status == IS.REQUESTED
    with pytest.raises(ValidationError, match="不能上传佐证材料"):
        ledger.add_evidence(u["rfb"], get(item), pdf_upload())
    for who in ("rfb", "rfb_head", "zuzhang", "leader", "hy_xcb"):        # 销号 only after the office approves
        with pytest.raises(PermissionDenied):
            ledger.approve_closure(u[who], get(item), result=R.DONE)
    with pytest.raises(ValidationError, match="只能为"):
        ledger.approve_closure(u["xcb"], get(item), result=R.NOT_DONE)
    ledger.approve_closure(u["xcb"], get(item), result=R.DONE)
    closed = get(item)
    assert (closed.status, closed.result, closed.closed_by.username) == (IS.CLOSED, R.DONE, "xcb")
    with pytest.raises(ValidationError, match="已销号"):
        ledger.report_progress(u["rfb"], closed, progress="再改")


def test_evidence_moves_a_row_into_progress_and_bad_files_are_refused(demo, rows):
    u, item = demo, rows["2-1"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="“说明.exe”的类型不允许"):
        ledger.add_evidence(u["rfb"], item, SimpleUploadedFile("说明.exe", b"MZ\x90\x00"))
    assert get(item).status == IS.NOT_STARTED and not get(item).evidence.exists()
    ledger.add_evidence(u["rfb_head"], item, pdf_upload())
    assert get(item).status == IS.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        ledger.add_evidence(u["xcb"], get(item), pdf_upload())
    with pytest.raises(ValidationError, match="应为数字"):
        ledger.report_progress(u["rfb"], get(item), progress="x", amount_recovered="五十万")
    with pytest.raises(ValidationError, match="不小于 0"):
        ledger.report_progress(u["rfb"], get(item), progress="x", amount_recovered="-1")


def test_return_and_red_card(demo, rows):
    u, item = demo, rows["4-1"]
    ledger.add_evidence(u["rfb"], item, pdf_upload())
    ledger.request_closure(u["rfb"], get(item))
    with pytest.raises(ValidationError, match="理由"):
        ledger.red_card(u["xcb"], get(item), comments="")
    with pytest.raises(PermissionDenied):
        ledger.red_card(u["rfb"], get(item), comments="自己给自己红牌")
    ledger.red_card(u["xcb"], get(item), comments="会议记录系事后补写，属虚假整改")
    carded = get(item)
    assert (carded.status, carded.result, carded.red_cards, carded.red_card_open) == (IS.RETURNED, R.NOT_DONE, 1, True)
    # the old evidence does not count again: new evidence is needed
    with pytest.raises(ValidationError, match="退回后须上传新的佐证材料"):
        ledger.request_closure(u["rfb"], carded)
    ledger.add_evidence(u["rfb"], get(item), pdf_upload("新会议记录.pdf"))
    ledger.request_closure(u["rfb"], get(item))
    ledger.return_item(u["xcb"], get(item), comments="仍缺少研究落实的具体措施")
    assert get(item).status == IS.RETURNED and get(item).red_card_open            # still open until approved
    ledger.add_evidence(u["rfb"], get(item), pdf_upload("措施.pdf"))
    ledger.request_closure(u["rfb"], get(item))
    ledger.approve_closure(u["xcb"], get(item), result=R.BASIC)
    done = get(item)
    assert (done.status, done.result, done.red_cards, done.red_card_open) == (IS.CLOSED, R.BASIC, 1, False)
    kinds = list(ItemEvent.objects.filter(item=item).values_list("kind", flat=True))
    assert kinds == ["request", "red_card", "request", "return", "request", "approve"]
