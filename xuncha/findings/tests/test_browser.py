"""Playwright: a team member registers a problem by hand with evidence, edits it and proposes 边巡边改;
the 组长 finds it in 待我办理, records the leading group's consent, issues the suggestion; the .docx and
the round's .xlsx export are downloaded and read."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone
from docx import Document

from .conftest import PNG

pytestmark = [pytest.mark.browser]


@pytest.fixture
def city(transactional_db, live_server, settings, tmp_path):
    import importlib

    from django.apps import apps

    from xuncha.core import demo

    settings.MEDIA_ROOT = tmp_path / "files"
    importlib.import_module("xuncha.rounds.migrations.0003_builtin_taxonomies").load(apps, None)
    demo.load()
    from xuncha.rounds.models import Round

    return live_server, Round.objects.get(jurisdiction__name="安康市", number=1, year=2026)


def as_user(page, login_page, username):
    page.context.clear_cookies()
    login_page(username)
    assert "工作台" in page.title(), f"login as {username} failed"
    return page


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_problem_by_hand_to_onsite_suggestion_and_export(city, login_page, page, tmp_path):
    from xuncha.rounds.models import Category

    server, r = city
    page.on("dialog", lambda dialog: dialog.accept())
    photo = tmp_path / "验收现场照片.png"
    photo.write_bytes(PNG)

    # 成员: 问题清单 → the round → 登记问题, with one evidence file
    as_user(page, login_page, "zuyuan")
    click_and_wait(page, "nav.mainnav >> text=问题清单")
    click_and_wait(page, f"text={r.title}")
    click_and_wait(page, "text=登记问题")
    page.select_option("#id_found_by", label="调阅资料")
    fee = Category.objects.get(taxonomy_id=r.taxonomy_id, code="RF9-3-2")
    page.select_option("#id_category", value=str(fee.pk))
    page.fill("#id_title", "违规缓缴易地建设费")
    page.fill("#id_description", "2025年对某小区项目缓缴易地建设费86万元，无集体研究记录")
    page.select_option("#id_responsible_unit", label="安康市人民防空办公室")
    page.fill("#id_responsible_person", "刘某（副主任）")
    page.select_option("#id_severity", label="较重")
    page.fill("#id_amount", "860000")
    page.fill("#id_amount_to_recover", "860000")
    page.set_input_files("#id_evidence_files", str(photo))
    click_and_wait(page, "main button[type=submit]")
    text = main_text(page)
    assert "已登记问题5" in text and "违规缓缴易地建设费" in text and "验收现场照片.png" in text
    assert fee.name in text and "刘某（副主任）" in text
    with page.expect_download() as download:
        page.click("#evidence >> text=验收现场照片.png")
    assert download.value.path().read_bytes() == PNG

    # edit
    click_and_wait(page, "main >> text=修改")
    page.fill("#id_title", "违规缓缴易地建设费且未催缴")
    click_and_wait(page, "main button[type=submit]")
    assert "违规缓缴易地建设费且未催缴" in page.locator("h1").inner_text()

    # propose 边巡边改: nothing to mark yet
    page.fill("#id_proposal", "事实清楚，单位可立即催缴")
    click_and_wait(page, "#onsite button[type=submit]")
    assert page.locator("#onsite-status").inner_text() == "待领导小组同意"
    assert "出具整改建议书" not in page.locator("#onsite").inner_text()

    # 组长: 待我办理 leads to the problem; consent, then the suggestion
    as_user(page, login_page, "zuzhang")
    assert "登记领导小组对边巡边改的意见（问题5）" in page.locator("#todo-panel").inner_text()
    click_and_wait(page, "#todo-panel >> text=登记领导小组对边巡边改的意见（问题5）")
    page.fill("#id_consent_by", "李国栋（领导小组组长）")
    page.fill("#id_consent_on", timezone.localdate().isoformat())
    page.fill("#id_consent_document", "安巡领纪〔2026〕9号")
    click_and_wait(page, "#onsite button[type=submit]")
    assert page.locator("#onsite-status").inner_text() == "领导小组已同意"
    page.fill("#id_requirement", "立即催缴缓缴的易地建设费86万元。")
    page.fill("#id_deadline_days", "10")
    click_and_wait(page, "#onsite button.primary")
    assert page.locator("#onsite-status").inner_text() == "已出具整改建议书"
    with page.expect_download() as download:
        page.click("#suggestion-link")
    doc = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "边巡边改整改建议书"
    for phrase in ("中共安康市人民防空办公室党组：", "违规缓缴易地建设费且未催缴", "安巡领纪〔2026〕9号",
                   "李国栋（领导小组组长）", "立即催缴缓缴的易地建设费86万元", "涉及金额86.00万元", "中共安康市委巡察组"):
        assert phrase in text, phrase
    page.goto(f"{server.url}/")
    assert "（问题5）" not in main_text(page)

    # the round's list and its .xlsx
    page.goto(f"{server.url}/problems/round/{r.pk}/")
    page.select_option("select[name=category]", value=str(fee.pk))
    click_and_wait(page, "form.filters button")
    rows = page.locator("#problem-list tbody tr")
    assert "违规缓缴易地建设费且未催缴" in rows.all_inner_texts()[-1]
    assert "边巡边改：已出具整改建议书" in page.locator("#problem-list").inner_text()
    with page.expect_download() as download:
        page.click("text=导出问题清单（Excel）")
    assert download.value.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    ws = wb["问题清单"]
    header = [c.value for c in ws[3]]
    row = next(row for row in ws.iter_rows(min_row=4, values_only=True) if row[0] == 5)
    got = dict(zip(header, row, strict=True))
    assert got["问题概述"] == "违规缓缴易地建设费且未催缴" and got["问题类别"] == fee.name
    assert got["责任单位"] == "安康市人民防空办公室" and got["严重程度"] == "较重"
    assert got["涉及金额（元）"] == 860000 and got["应追缴/挽回金额（元）"] == 860000
    assert got["发现方式"] == "调阅资料" and got["证据材料（件）"] == 1 and got["状态"] == "已确认"
    assert got["边巡边改"].startswith("已出具整改建议书，期限")
