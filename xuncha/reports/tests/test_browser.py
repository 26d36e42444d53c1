"""Playwright ("Done when"): a round with problems from the report draft, through a 巡察办 return, a new
version, the approvals and the feedback, to the head's 签收 and its deadlines; then 归档, and the
archive verifies — and fails, naming the file, once one file inside is altered."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from django.utils import timezone
from docx import Document

from xuncha.reports.models import Feedback, Report, ReportVersion
from xuncha.rounds.models import Round
from xuncha.workdays.services import Deadline, add_months, working_deadline

from .conftest import add_problems, make_round

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_round(transactional_db, live_server):
    import importlib

    from django.apps import apps

    from xuncha.core import demo

    # transactional tests before this one may have flushed the built-in taxonomies of the data migration
    importlib.import_module("xuncha.rounds.migrations.0003_builtin_taxonomies").load(apps, None)
    demo.load()
    from xuncha.orgs.models import User

    users = {u.username: u for u in User.objects.all()}
    r = make_round(users, number=11)
    add_problems(r)
    return live_server, r


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


def test_report_to_signature_to_verified_archive(browser_round, login_page, page, tmp_path, monkeypatch):
    from xuncha.rounds import guards

    server, r = browser_round
    page.on("dialog", lambda dialog: dialog.accept())
    detail = f"{server.url}/rounds/{r.pk}/"

    # 组长: the draft assembled from the round, saved as the first version, submitted
    as_user(page, login_page, "zuzhang")
    page.goto(detail)
    click_and_wait(page, "#report-section a.button")
    with page.expect_download() as download:
        page.click("text=巡察报告草稿（.docx）")
    draft = download.value.path().read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(draft)).paragraphs)
    assert "易地建设费随意减免" in text and "巡察共发现问题4个" in text
    click_and_wait(page, "button[value=save_draft]")
    assert "第1稿" in main_text(page)
    click_and_wait(page, "button[value=submit]")
    assert "已报送巡察报告" in main_text(page)
    assert page.locator("#report-status").inner_text() == "待巡察办审核"

    # 巡察办: from 待我办理, returns it with written comments
    as_user(page, login_page, "xcb")
    click_and_wait(page, "#todo-panel >> text=审核巡察报告")
    page.fill("textarea[name=comments]", "问题一未写明减免依据，请补充")
    click_and_wait(page, "button[value=return]")
    assert page.locator("#report-status").inner_text() == "已退回修改"

    # 组长: sees the comments, edits the draft in "Word", uploads the new version, submits again
    as_user(page, login_page, "zuzhang")
    assert "巡察报告被退回" in page.locator("#todo-panel").inner_text()
    click_and_wait(page, "#todo-panel >> text=巡察报告被退回")
    assert "问题一未写明减免依据" in page.locator("#return-comments").inner_text()
    edited = Document(io.BytesIO(draft))
    edited.add_paragraph("（补充）减免依据：无集体研究记录，无减免审批文件。")
    path = tmp_path / "巡察报告第2稿.docx"
    edited.save(path)
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=note]", "按巡察办意见补充减免依据")
    click_and_wait(page, "button[value=upload]")
    assert "第2稿" in main_text(page)
    click_and_wait(page, "button[value=submit]")
    report = Report.objects.get(round=r)
    assert report.status == Report.Status.OFFICE_REVIEW and report.current_version.number == 2
    assert ReportVersion.objects.get(report=report, number=2).created_by.username == "zuzhang"

    # 巡察办 approves, 领导小组 approves, 巡察办 records the 书记专题会议 decision, starts 反馈
    as_user(page, login_page, "xcb")
    page.goto(f"{server.url}/reports/round/{r.pk}/report/")
    click_and_wait(page, "button[value=office_approve]")
    as_user(page, login_page, "leader")
    click_and_wait(page, "#todo-panel >> text=审批巡察报告")
    click_and_wait(page, "button[value=approve]")
    assert page.locator("#report-status").inner_text() == "待书记专题会议审议"
    as_user(page, login_page, "xcb")
    click_and_wait(page, "#todo-panel >> text=登记书记专题会议审议结果")
    page.fill("input[name=meeting_date]", timezone.localdate().isoformat())
    page.fill("input[name=minute_no]", "市委书记专题会议纪要〔2027〕8号")
    click_and_wait(page, "button[value=decision]")
    assert page.locator("#report-status").inner_text() == "已审定"
    page.goto(detail)
    click_and_wait(page, "button[value=start_feedback]")
    assert page.locator("#stage-badge").inner_text() == "反馈"

    # 双反馈: the head first, then the Party organisation
    click_and_wait(page, "#feedback-section a")
    click_and_wait(page, "button[value=brief]")
    click_and_wait(page, "button[value=issue]")
    assert "待主要负责人签收" in main_text(page)

    # the liaison reads but cannot sign; the head reads and signs with his own account
    as_user(page, login_page, "rfb")
    page.goto(f"{server.url}/reports/feedback/")
    click_and_wait(page, "main table a")
    assert "易地建设费随意减免" in main_text(page) and page.locator("#sign").count() == 0
    assert "主任违规干预人防工程审批" not in main_text(page)            # the head's own problem is his
    as_user(page, login_page, "rfb_head")
    click_and_wait(page, "#todo-panel >> text=阅读并签收巡察反馈意见")
    assert "主任违规干预人防工程审批" in page.locator("#head-note").inner_text()
    assert "易地建设费随意减免" in page.locator("#feedback-text").inner_text()
    page.check("#id_confirmed")
    click_and_wait(page, "button[value=sign]")
    assert "已签收巡察反馈意见" in main_text(page)
    feedback = Feedback.objects.get(round=r)
    signed_on = timezone.localtime(feedback.signed_at).date()
    plan = working_deadline(signed_on, 10)
    assert feedback.signed_by.username == "rfb_head" and feedback.signer_name == "郑卫东"
    assert (feedback.plan_due, feedback.report_due) == (plan.due, add_months(signed_on, 2))
    assert plan.label in page.locator("#plan-due").inner_text()
    assert Deadline(feedback.report_due).label in page.locator("#report-due").inner_text()
    assert "rfb_head" in page.locator("#signed").inner_text()
    with page.expect_download() as download:
        page.click("text=签收回执（.docx）")
    receipt = download.value.path().read_bytes()
    assert "rfb_head" in "".join(c.text for t in Document(io.BytesIO(receipt)).tables for row in t.rows
                                  for c in row.cells)

    # 整改 and 归档 (rectification's own 销号 checks are tested in that app), then the archive
    monkeypatch.setattr(guards, "ARCHIVE_CHECKS", [])
    as_user(page, login_page, "xcb")
    page.goto(detail)
    click_and_wait(page, "button[value=start_rectification]")
    click_and_wait(page, "button[value=archive]")
    assert page.locator("#stage-badge").inner_text() == "归档"
    assert Round.objects.get(pk=r.pk).stage == Round.Stage.ARCHIVED
    with page.expect_download() as download:
        page.click("#archive-download")
    package = tmp_path / "归档材料.zip"
    download.value.save_as(package)
    verify = [sys.executable, "-m", "xuncha.cli", "archive", "verify"]
    ok = subprocess.run([*verify, str(package)], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "核验通过" in ok.stdout, ok.stdout
    names = zipfile.ZipFile(package).namelist()
    assert any("巡察报告第2稿" in n for n in names) and any(n.endswith("签收回执.docx") for n in names)

    # one file altered inside the package: named, exit 1
    target = next(n for n in names if "巡察报告第2稿" in n)
    tampered = tmp_path / "改过的归档材料.zip"
    with zipfile.ZipFile(package) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data + b"\x00" if info.filename == target else data)
    bad = subprocess.run([*verify, str(tampered)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and f"被修改：{target}" in bad.stdout, bad.stdout
