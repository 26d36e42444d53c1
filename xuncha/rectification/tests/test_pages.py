"""Every rectification page and action, tried by every role along the plan's and the ledger's life: what the
allowed roles get (content, state changes) and that every other role is refused (403, or 404 when it may
not even see the record). The unit's accounts never reach another unit's records."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.reports.tests.conftest import fresh
from xuncha.reports.tests.test_pages import ALL, OFFICE, STAFF, Walk

from ..models import Accountability, Evidence, Item, Plan, PlanVersion, RectReport, RuleMade, Visit
from ..plans import feedback_problems
from .conftest import a_working_day, pdf_upload

UNIT = ["rfb", "rfb_head"]
READERS = STAFF + UNIT


def plan_data(f, *, person="李科长", points=None):
    data = {"note": "初稿"}
    for p in feedback_problems(f):
        data.update({f"measures_{p.pk}": f"问题{p.number}措施", f"leader_{p.pk}": "王副主任", f"person_{p.pk}": person,
                     f"deadline_{p.pk}": a_working_day().isoformat(),
                     f"points_{p.pk}": (points or {}).get(p.number, "")})
    return data


def refused(w, url, data=None, allowed=(), method="post"):
    for who in ALL:
        if who in allowed:
            continue
        client = w.c[who]
        resp = client.post(url, data or {}) if method == "post" else client.get(url)
        assert resp.status_code in (403, 404), (who, url, resp.status_code)


def test_rectification_pages_by_every_role(demo, client_as, signed):
    f = signed
    w = Walk(client_as, f.round)
    page = reverse("rectification:feedback", args=[f.pk])

    # the list: the unit sees its own feedback, other units and offices of other counties do not
    for who in ALL:
        resp = w.get(who, reverse("rectification:list"))
        if who == "jiwei":
            assert resp.status_code == 403
            continue
        assert resp.status_code == 200, who
        assert (f'href="{page}"' in resp.content.decode()) == (who in READERS), who
    # the feedback's page
    for who in ALL:
        resp = w.get(who, page)
        assert resp.status_code == (200 if who in READERS else 404), who
    body = w.get("rfb", page).content.decode()
    assert 'id="plan-form"' in body and "易地建设费随意减免" in body and "主任违规干预人防工程审批" not in body
    assert 'id="plan-form"' not in w.get("xcb", page).content.decode()
    assert "报送整改方案" in w.home("rfb") and "报送整改方案" in w.home("rfb_head")

    # file: the unit only; a missing field is named and nothing is saved
    url = reverse("rectification:plan_file", args=[f.pk])
    refused(w, url, plan_data(f), allowed=UNIT)
    assert "责任人" in w.post("rfb", url, plan_data(f, person=""))
    assert not PlanVersion.objects.exists()
    w.post("rfb", url, plan_data(f))
    assert Plan.objects.get(feedback=f).status == Plan.Status.SUBMITTED
    assert "审核安康市人民防空办公室整改方案" in w.home("xcb")
    assert 'id="plan-review"' in w.get("xcb", page).content.decode()
    assert 'id="plan-review"' not in w.get("leader", page).content.decode()

    # review: the round's office only; return with comments, the unit sees them and files again
    review = reverse("rectification:plan_review", args=[f.pk])
    refused(w, review, {"do": "return", "comments": "措施不具体"}, allowed=OFFICE)
    assert "退回意见" in w.post("xcb", review, {"do": "return", "comments": ""})
    w.post("xcb", review, {"do": "return", "comments": "问题一的措施不具体"})
    assert "问题一的措施不具体" in w.get("rfb_head", page).content.decode()
    assert "整改方案被退回" in w.home("rfb")
    w.post("rfb_head", url, plan_data(f, points={1: "项目甲\n项目乙"}))
    w.post("admin", review, {"do": "accept", "comments": ""})
    assert Plan.objects.get(feedback=f).status == Plan.Status.ACCEPTED
    assert PlanVersion.objects.filter(plan__feedback=f).count() == 2
    items = {i.code: i for i in Item.objects.filter(feedback=f)}
    assert sorted(items) == ["1-1", "1-2", "2-1", "4-1"]

    # a ledger row's page and its actions
    item = items["1-1"]
    item_url = reverse("rectification:item", args=[item.pk])
    for who in ALL:
        assert w.get(who, item_url).status_code == (200 if who in READERS else 404), who
    assert 'id="evidence-form"' in w.get("rfb", item_url).content.decode()
    assert 'id="evidence-form"' not in w.get("xcb", item_url).content.decode()
    progress = reverse("rectification:item_progress", args=[item.pk])
    refused(w, progress, {"progress": "x"}, allowed=UNIT)
    w.post("rfb", progress, {"progress": "已下达追缴通知", "amount_recovered": "1,000"})
    assert "应为数字" in w.post("rfb", progress, {"progress": "x", "amount_recovered": "一千"})
    assert str(fresh(item).amount_recovered) == "1000.00"
    evidence = reverse("rectification:item_evidence", args=[item.pk])
    refused(w, evidence, {"file": pdf_upload()}, allowed=UNIT)
    w.c["rfb"].post(evidence, {"file": pdf_upload("追缴凭证.pdf"), "note": "凭证"})
    stored = Evidence.objects.get(item=item)
    download = reverse("rectification:evidence", args=[stored.pk])
    for who in ALL:
        resp = w.get(who, download)
        assert resp.status_code == (200 if who in READERS else 404), who
    request = reverse("rectification:item_request", args=[item.pk])
    refused(w, request, {}, allowed=UNIT)
    w.post("rfb", request, {"comments": "已完成"})
    assert fresh(item).status == Item.Status.REQUESTED
    assert "审核安康市人民防空办公室1项销号申请" in w.home("xcb")
    review_item = reverse("rectification:item_review", args=[item.pk])
    refused(w, review_item, {"do": "approve", "result": "done"}, allowed=OFFICE)
    w.post("xcb", review_item, {"do": "red_card", "comments": "凭证金额与账面不符"})
    assert (fresh(item).status, fresh(item).red_cards) == (Item.Status.RETURNED, 1)
    assert "虚假整改未纠正" in w.get("xcb", reverse("rectification:oversight")).content.decode()
    w.c["rfb"].post(evidence, {"file": pdf_upload("更正凭证.pdf")})
    w.post("rfb", request, {})
    w.post("xcb", review_item, {"do": "approve", "result": "done"})
    assert (fresh(item).status, fresh(item).result) == (Item.Status.CLOSED, "done")

    # records: accountability and rules by the unit or the office; visits by the office
    acc = reverse("rectification:accountability", args=[f.pk])
    data = {"name": "甲某", "position": "科长", "measure": "诫勉谈话", "form": "1", "decided_on": "2026-11-02"}
    refused(w, acc, data, allowed=UNIT + OFFICE)
    w.post("rfb", acc, data)
    w.post("xcb", acc, data | {"name": "乙某", "form": "2", "item": item.pk})     # tied to its ledger row
    assert Accountability.objects.get(feedback=f, name="乙某").item == item
    refusal = w.post("xcb", acc, data | {"name": "丙某", "item": 10**8})          # not a row of this ledger
    assert "对应整改事项" in refusal and not Accountability.objects.filter(name="丙某").exists()
    assert Accountability.objects.filter(feedback=f).count() == 2
    assert f"<td>{item.code}</td>" in w.get("rfb", page).content.decode()
    rule = reverse("rectification:rule", args=[f.pk])
    refused(w, rule, {"title": "制度", "issued_on": "2026-11-02"}, allowed=UNIT + OFFICE)
    w.post("rfb_head", rule, {"title": "易地建设费减免集体研究制度", "issued_on": "2026-11-02", "item": item.pk})
    assert RuleMade.objects.get(feedback=f).item == item
    visit = reverse("rectification:visit", args=[f.pk])
    vdata = {"visited_on": "2026-11-03", "visitors": "巡察办张三", "findings": "抽查台账", "conclusion": "basic"}
    refused(w, visit, vdata, allowed=OFFICE)
    w.post("xcb", visit, vdata)
    assert Visit.objects.filter(feedback=f).count() == 1
    gen = reverse("rectification:report_generate", args=[f.pk, "progress"])
    refused(w, gen, allowed=UNIT)
    w.post("rfb", gen)
    w.post("rfb_head", reverse("rectification:report_generate", args=[f.pk, "head"]))
    upload = reverse("rectification:report_upload", args=[f.pk])
    refused(w, upload, {"kind": "progress", "file": pdf_upload()}, allowed=UNIT)
    w.c["rfb"].post(upload, {"kind": "progress", "file": pdf_upload("整改报告定稿.pdf")})
    assert list(RectReport.objects.filter(feedback=f).order_by("kind", "number").values_list("kind", "number")) == [
        ("head", 1), ("progress", 1), ("progress", 2)]
    rep = RectReport.objects.get(feedback=f, kind="head")
    for who in ALL:
        assert w.get(who, reverse("rectification:report_download", args=[rep.pk])).status_code == (
            200 if who in READERS else 404), who
    disclose = reverse("rectification:disclosure", args=[f.pk])
    refused(w, disclose, {"text": "公开"}, allowed=UNIT)
    w.post("rfb", disclose, {"text": "整改情况公开：已整改到位1个具体问题。"})
    assert "已整改到位1个具体问题" in w.get("leader", page).content.decode()
    public = reverse("rectification:public")
    anonymous = Client()
    assert "已整改到位1个具体问题" not in anonymous.get(public).content.decode()      # not before the office publishes
    assert "查看整改情况公开" not in anonymous.get("/public/").content.decode()
    publish = reverse("rectification:disclosure_publish", args=[f.pk])
    refused(w, publish, allowed=OFFICE)
    w.post("xcb", publish)
    body = anonymous.get(public).content.decode()
    assert anonymous.get(public).status_code == 200 and "已整改到位1个具体问题" in body
    assert "查看整改情况公开" in anonymous.get("/public/").content.decode()
    w.post("rfb", disclose, {"text": "整改情况公开（修订）。"})                        # a changed text is withdrawn
    body = anonymous.get(public).content.decode()
    assert "修订" not in body and "已整改到位1个具体问题" not in body

    # exports: the unit's ledger, the round's ledger
    ledger_url = reverse("rectification:feedback_ledger", args=[f.pk])
    for who in ALL:
        resp = w.get(who, ledger_url)
        assert resp.status_code == (200 if who in READERS else 404), who
    wb = load_workbook(io.BytesIO(w.get("rfb", ledger_url).content))
    assert [r[0] for r in wb["整改台账"].iter_rows(min_row=4, values_only=True) if r[0]] == ["1-1", "1-2", "2-1",
                                                                                          "4-1"]
    round_url = reverse("rectification:round_ledger", args=[f.round_id])
    for who in ALL:
        assert w.get(who, round_url).status_code == (200 if who in STAFF else 404), who
    # 督办: office and leadership
    for who in ALL:
        resp = w.get(who, reverse("rectification:oversight"))
        assert resp.status_code == (200 if who in ("admin", "xcb", "leader", "sq_xcb") else 403), who
    city = w.get("leader", reverse("rectification:oversight")).content.decode()
    assert "安康市" in city and "虚假整改未纠正" not in city                 # 1-1 was approved since
    county = w.get("sq_xcb", reverse("rectification:oversight")).content.decode()
    assert "石泉县" in county and "安康市人民防空办公室" not in county
