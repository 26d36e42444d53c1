"""The problem list pages, driven through the Django test client as the team uses them."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.clues.models import Clue
from xuncha.findings.models import OnSiteRectification, Problem
from xuncha.rounds.models import Category

from .conftest import png

pytestmark = pytest.mark.django_db


def _form(city_round, **over):
    data = {"found_by": "documents", "title": "易地建设费减免未经集体研究", "description": "2024年减免3个项目",
            "category": Category.objects.get(taxonomy_id=city_round.taxonomy_id, code="RF9-3-2").pk,
            "responsible_unit": city_round.targets.get().pk, "responsible_person": "李某（副主任）",
            "severity": "serious", "amount": "1250000", "amount_to_recover": "1250000"}
    data.update(over)
    return data


def test_create_by_hand_with_evidence(client_as, city_round):
    c = client_as("zuyuan")
    r = c.post(reverse("findings:create", args=[city_round.pk]), {**_form(city_round), "evidence_files": [png()]})
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Problem.objects.get(round=city_round, title="易地建设费减免未经集体研究")
    assert p.source == Problem.Source.MANUAL and p.found_by == "documents" and p.severity == "serious"
    assert p.evidence.count() == 1 and p.amount == Decimal("1250000.00")
    page = c.get(reverse("findings:detail", args=[p.pk])).content.decode()
    assert "现场照片.png" in page and "李某（副主任）" in page
    f = p.evidence.get()
    body = b"".join(c.get(reverse("findings:evidence", args=[p.pk, f.pk])).streaming_content)
    assert body.startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(action="read.attachment", object_id=str(p.pk)).exists()


def test_bad_money_is_named_in_the_form(client_as, city_round):
    r = client_as("zuyuan").post(reverse("findings:create", args=[city_round.pk]), _form(city_round, amount="十万"))
    assert r.status_code == 200 and "涉及金额" in r.content.decode()
    assert not Problem.objects.filter(title="易地建设费减免未经集体研究").exists()


def test_bad_evidence_is_named_and_nothing_saved(client_as, city_round):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("台账.exe", b"MZ\x90\x00" * 10)
    r = client_as("zuyuan").post(reverse("findings:create", args=[city_round.pk]),
                                 {**_form(city_round), "evidence_files": [bad]})
    assert r.status_code == 200 and "台账.exe" in r.content.decode()
    assert not Problem.objects.filter(title="易地建设费减免未经集体研究").exists()


def test_list_filters_and_pages(client_as, city_round, make_problem, demo):
    fee = Category.objects.get(taxonomy_id=city_round.taxonomy_id, code="RF9-3-2")
    for i in range(22):
        make_problem(title=f"批量问题{i}")
    c = client_as("zuzhang")
    url = reverse("findings:round", args=[city_round.pk])
    first = c.get(url).content.decode()
    assert "批量问题0" in first and "page=2" in first
    assert "批量问题21" in c.get(url + "?page=2").content.decode()
    only_fee = c.get(url, {"category": fee.pk}).content.decode()
    assert "易地建设费随意减免缓" in only_fee and "批量问题0" not in only_fee
    top = fee.parent
    assert "易地建设费随意减免缓" in c.get(url, {"category": top.pk}).content.decode()
    assert "批量问题0" not in c.get(url, {"source": "clue"}).content.decode()
    p = Problem.objects.get(title="批量问题3")
    from xuncha.findings import services
    services.withdraw_problem(demo["zuzhang"], p, reason="重复")
    withdrawn = c.get(url, {"status": "withdrawn"}).content.decode()
    assert "批量问题3" in withdrawn and "批量问题4" not in withdrawn


def test_edit_and_withdraw(client_as, make_problem):
    p = make_problem()
    c = client_as("zuyuan")
    r = c.post(reverse("findings:edit", args=[p.pk]), {
        "found_by": "talk", "title": "验收把关不严（已核实）", "description": "新的事实", "severity": "grave",
        "amount": "200000", "amount_to_recover": "0", "responsible_person": "王某"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.title == "验收把关不严（已核实）" and p.severity == "grave" and p.category_id is None
    # a member may not withdraw; the leader must give a reason
    assert c.post(reverse("findings:withdraw", args=[p.pk]), {"reason": "x"}).status_code == 403
    lead = client_as("zuzhang")
    lead.post(reverse("findings:withdraw", args=[p.pk]), {"reason": ""})
    assert Problem.objects.get(pk=p.pk).status == Problem.Status.CONFIRMED
    page = lead.get(reverse("findings:detail", args=[p.pk])).content.decode()
    assert 'data-confirm="撤销后不能恢复' in page
    lead.post(reverse("findings:withdraw", args=[p.pk]), {"reason": "经核实系重复登记"})
    p.refresh_from_db()
    assert p.status == Problem.Status.WITHDRAWN and p.withdrawn_reason == "经核实系重复登记"


def test_onsite_needs_consent_then_issues_docx(client_as, make_problem, demo):
    p = make_problem()
    member, lead = client_as("zuyuan"), client_as("zuzhang")
    member.post(reverse("findings:onsite_propose", args=[p.pk]), {"proposal": "事实清楚，可立行立改"})
    item = OnSiteRectification.objects.get(problem=p)
    assert item.status == "proposed"
    # marking before consent is refused
    lead.post(reverse("findings:onsite_issue", args=[p.pk]), {"requirement": "补办手续", "deadline_days": 10})
    item.refresh_from_db()
    assert item.status == "proposed" and item.suggestion is None
    home = lead.get("/").content.decode()
    assert "登记领导小组对边巡边改的意见" in home
    for other in ("zuyuan", "lianluo", "rfb", "rfb_head", "leader", "jiwei"):   # not theirs to act on
        assert "边巡边改" not in client_as(other).get("/").content.decode(), other
    assert "登记领导小组对边巡边改的意见" in client_as("xcb").get("/").content.decode()
    from django.utils import timezone
    today = timezone.localdate().isoformat()
    lead.post(reverse("findings:onsite_consent", args=[p.pk]), {
        "consent_by": "张某（领导小组副组长）", "consent_on": today, "consent_document": "安巡领〔2026〕5号"})
    item.refresh_from_db()
    assert item.status == "consented" and item.consent_by == "张某（领导小组副组长）"
    assert "领导小组已同意边巡边改：出具整改建议书" in lead.get("/").content.decode()
    lead.post(reverse("findings:onsite_issue", args=[p.pk]), {"requirement": "补办验收手续", "deadline_days": 10})
    item.refresh_from_db()
    assert item.status == "issued" and item.suggestion is not None and item.deadline is not None
    r = lead.get(reverse("findings:onsite_file", args=[p.pk, "suggestion"]))
    import docx
    text = "\n".join(par.text for par in docx.Document(io.BytesIO(b"".join(r.streaming_content))).paragraphs)
    assert "边巡边改整改建议书" in text and "安巡领〔2026〕5号" in text and "补办验收手续" in text
    assert "中共安康市人民防空办公室党组" in text or "安康市人民防空办公室" in text
    assert "领导小组已同意边巡边改：出具整改建议书" not in lead.get("/").content.decode()


def test_export_xlsx(client_as, city_round, make_problem):
    p = make_problem(evidence_files=[png()])
    r = client_as("xcb").get(reverse("findings:export", args=[city_round.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb["问题清单"]
    assert ws["A1"].value == "巡察发现问题清单"
    header = [c.value for c in ws[3]]
    assert header[:5] == ["序号", "大类", "问题类别", "问题概述", "问题事实"] and "应追缴/挽回金额（元）" in header
    rows = {row[0]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    mine = rows[p.number]
    assert mine[3] == "人防工程验收把关不严" and mine[8] == 120000 and mine[12] == 1 and mine[15] == "已确认"
    assert "统计" in wb.sheetnames
    assert AuditEntry.objects.filter(action="read.export", object_id=str(city_round.pk)).exists()


def test_problem_from_clue_and_back(client_as, city_round, demo):
    from xuncha.clues import services as clue_services

    clue = clue_services.create_clue(demo["zuzhang"], city_round, clue_services.ClueData(
        person="某科长", summary="违规减免易地建设费20万元"))
    c = client_as("zuyuan")
    page = c.get(reverse("clues:detail", args=[clue.pk])).content.decode()
    assert reverse("findings:from_clue", args=[clue.pk]) in page
    r = c.post(reverse("findings:from_clue", args=[clue.pk]), _form(city_round, title="由线索形成的问题"))
    assert r.status_code == 302
    p = Problem.objects.get(title="由线索形成的问题")
    assert p.source == Problem.Source.CLUE and p.source_clue == clue
    assert "由线索形成的问题" in c.get(reverse("clues:detail", args=[clue.pk])).content.decode()
    # twice from the same clue is refused
    r = c.post(reverse("findings:from_clue", args=[clue.pk]), _form(city_round, title="再一次"))
    assert "已形成问题" in r.content.decode() and not Problem.objects.filter(title="再一次").exists()
    # and a hand-entered problem turned into a clue, through the clue ledger
    other = Problem.objects.filter(round=city_round, source=Problem.Source.MANUAL).first()
    c.post(reverse("findings:to_clue", args=[other.pk]), {"person": "王某", "position": "科长", "level": "general"})
    other.refresh_from_db()
    clue2 = other.referred_clue
    assert clue2 is not None and clue2.source == Clue.Source.INSPECTION and clue2.person == "王某"
    assert f"问题{other.number}" in c.get(reverse("clues:detail", args=[clue2.pk])).content.decode()
    assert clue2.code in c.get(reverse("findings:detail", args=[other.pk])).content.decode()


@pytest.mark.parametrize("username", ["xcb", "zuzhang"])
def test_index_counts_confirmed_problems_once(client_as, city_round, make_problem, demo, username):
    from xuncha.findings import services

    gone = make_problem()
    services.withdraw_problem(demo["zuzhang"], gone, reason="重复")
    want = Problem.objects.filter(round=city_round, status=Problem.Status.CONFIRMED).count()
    page = client_as(username).get(reverse("findings:index")).content.decode()
    row = page[page.index(city_round.title):]
    row = row[:row.index("</tr>")]
    assert f'<td class="num">{want}</td>' in row, row


def test_archived_round_pages_offer_no_writes_and_say_why(client_as, city_round, make_problem):
    from xuncha.rounds.models import Round

    p = make_problem()
    Round.objects.filter(pk=city_round.pk).update(stage=Round.Stage.ARCHIVED)
    c = client_as("zuzhang")
    page = c.get(reverse("findings:detail", args=[p.pk])).content.decode()
    assert p.title in page
    for form in ("findings:withdraw", "findings:to_clue", "findings:onsite_propose", "findings:add_evidence"):
        assert reverse(form, args=[p.pk]) not in page, form
    r = c.post(reverse("findings:create", args=[city_round.pk]), _form(city_round, title="归档后登记"))
    assert r.status_code == 200 and "本轮巡察已归档" in r.content.decode()
    r = c.post(reverse("findings:withdraw", args=[p.pk]), {"reason": "x"}, follow=True)
    assert "本轮巡察已归档" in r.content.decode()
    assert not Problem.objects.filter(title="归档后登记").exists()
    assert Problem.objects.get(pk=p.pk).status == Problem.Status.CONFIRMED
    assert c.get(reverse("findings:export", args=[city_round.pk])).status_code == 200   # reading stays


def test_problem_page_links_the_suspicion_it_came_from(client_as, city_round, make_problem):
    """A problem confirmed from a 疑点 names it and links to it (rows made directly: no background job)."""
    from datetime import date

    from xuncha.crosscheck.models import CheckRun, Suspicion

    p = make_problem(source=Problem.Source.SUSPICION, found_by=Problem.FoundBy.DATA, rule_code="R03")
    run = CheckRun.objects.create(round=city_round, number=1, as_of=date(2026, 11, 1), policy_label="测试",
                                  policy_toml="", policy_sha256="0" * 64, engine_version="t")
    s = Suspicion.objects.create(run=run, round=city_round, finding_no=1, rule="R03", title="缓缴到期未缴",
                                 category="RF-YD", summary="某项目缓缴到期未缴", primary_record="P1", key="R03|P1",
                                 fingerprint="f" * 64, status=Suspicion.Status.CONFIRMED, problem=p)
    link = reverse("crosscheck:suspicion", args=[s.pk])
    page = client_as("xcb").get(reverse("findings:detail", args=[p.pk])).content.decode()
    assert link in page and s.code in page and "规则 R03" in page
    assert client_as("rfb").get(reverse("findings:detail", args=[p.pk])).status_code == 404
