"""Playwright ("Done when"): the unit files its 整改方案, the office returns it with comments, the unit files
again, the office accepts; the unit uploads evidence and requests 销号 for two rows; the office red-cards one
as 虚假整改 (it goes back to the unit and onto the overdue list) and approves the other."""

from __future__ import annotations

import pytest

from xuncha.reports.tests.test_browser import as_user, click_and_wait, main_text

from ..models import Item, Plan, PlanVersion
from .conftest import a_working_day

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_feedback(transactional_db, live_server, tmp_path, settings):
    import importlib

    from django.apps import apps

    from xuncha.core import demo
    from xuncha.orgs.models import User

    settings.MEDIA_ROOT = tmp_path / "files"
    importlib.import_module("xuncha.rounds.migrations.0003_builtin_taxonomies").load(apps, None)
    demo.load()
    from .conftest import signed_feedback

    users = {u.username: u for u in User.objects.all()}
    return live_server, signed_feedback(users, number=12)


def fill_plan(page, person: str) -> None:
    deadline = a_working_day().isoformat()
    for box in page.locator("#plan-form textarea[name^=measures_]").all():
        box.fill("对照问题逐项整改，限期追缴")
    for box in page.locator("#plan-form input[name^=leader_]").all():
        box.fill("王副主任")
    for box in page.locator("#plan-form input[name^=person_]").all():
        box.fill(person)
    for box in page.locator("#plan-form input[name^=deadline_]").all():
        box.fill(deadline)


def test_unit_plan_return_refile_accept_evidence_red_card_and_closure(browser_feedback, login_page, page, tmp_path):
    server, f = browser_feedback
    page.on("dialog", lambda dialog: dialog.accept())
    evidence = tmp_path / "追缴凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # the unit: from 待我办理 to its own page; files the plan (a missing 责任人 is named first)
    as_user(page, login_page, "rfb")
    click_and_wait(page, "#rect-todo-panel >> text=报送整改方案")
    assert "易地建设费随意减免" in main_text(page) and "主任违规干预人防工程审批" not in main_text(page)
    fill_plan(page, "")
    click_and_wait(page, "button[value=file_plan]")
    assert "责任人" in main_text(page) and not PlanVersion.objects.filter(plan__feedback=f).exists()
    fill_plan(page, "李科长")
    page.fill("#plan-form textarea[name^=points_]", "项目甲减免50万元\n项目乙减免75万元")
    click_and_wait(page, "button[value=file_plan]")
    assert page.locator("#plan-status").inner_text() == "待巡察办审核"

    # the office returns it with comments
    as_user(page, login_page, "xcb")
    click_and_wait(page, "#rect-todo-panel >> text=审核安康市人民防空办公室整改方案")
    page.fill("#plan-comments", "问题一未写明追缴期限和方式，请补充")
    click_and_wait(page, "#plan-review button[value=return]")
    assert page.locator("#plan-status").inner_text() == "已退回修改"

    # the unit sees the comments, revises (the form keeps its last text) and files again
    as_user(page, login_page, "rfb")
    click_and_wait(page, "#rect-todo-panel >> text=整改方案被退回")
    assert "问题一未写明追缴期限和方式" in page.locator("#plan-return-comments").inner_text()
    page.fill("#plan-form textarea[name^=measures_]", "下达追缴通知书，30日内追缴到位，逾期申请法院强制执行")
    page.fill("#plan-form textarea[name=note]", "按巡察办意见补充追缴期限和方式")
    click_and_wait(page, "button[value=file_plan]")

    # the office accepts: the ledger opens, one row per problem and specific point
    as_user(page, login_page, "xcb")
    click_and_wait(page, "#rect-todo-panel >> text=审核安康市人民防空办公室整改方案")
    click_and_wait(page, "#plan-review button[value=accept]")
    assert page.locator("#plan-status").inner_text() == "已审核通过"
    assert page.locator("#ledger tbody tr").count() == 4
    versions = list(PlanVersion.objects.filter(plan__feedback=f).order_by("number").values_list("number", "outcome"))
    assert versions == [(1, "returned"), (2, "accepted")]

    # the unit uploads evidence and requests 销号 for 1-1 and 1-2
    as_user(page, login_page, "rfb")
    for code in ("1-1", "1-2"):
        page.goto(f"{server.url}/rectification/feedback/{f.pk}/")
        click_and_wait(page, f"#item-{code} a")
        page.set_input_files("#evidence-form input[name=file]", str(evidence))
        click_and_wait(page, "button[value=evidence]")
        assert "追缴凭证.pdf" in page.locator("#evidence-section").inner_text()
        click_and_wait(page, "button[value=request]")
        assert page.locator("#item-status").inner_text() == "申请销号"

    # the office: 1-1 is 虚假整改 (red card), 1-2 is approved
    as_user(page, login_page, "xcb")
    click_and_wait(page, "#rect-todo-panel >> text=审核安康市人民防空办公室2项销号申请")
    click_and_wait(page, "#item-1-1 a")
    page.fill("#review-section textarea[name=comments]", "凭证金额与财务账面不符，属虚假整改")
    click_and_wait(page, "button[value=red_card]")
    assert page.locator("#item-status").inner_text() == "退回" and page.locator("#red-card").count() == 1
    page.goto(f"{server.url}/rectification/feedback/{f.pk}/")
    click_and_wait(page, "#item-1-2 a")
    page.select_option("#review-section select[name=result]", "basic")
    click_and_wait(page, "button[value=approve]")
    assert page.locator("#item-status").inner_text() == "已销号"
    assert page.locator("#item-result").inner_text() == "基本整改到位"
    page.goto(f"{server.url}/rectification/oversight/")
    assert "1-1" in page.locator("#overdue-items").inner_text()
    assert "虚假整改未纠正" in page.locator("#overdue-items").inner_text()

    # back at the unit: the red-carded row waits for it
    as_user(page, login_page, "rfb")
    assert "1项整改被退回" in page.locator("#rect-todo-panel").inner_text()
    rows = {i.code: i for i in Item.objects.filter(feedback=f)}
    assert (rows["1-1"].status, rows["1-1"].red_cards, rows["1-1"].red_card_open) == ("returned", 1, True)
    assert (rows["1-2"].status, rows["1-2"].result, rows["1-2"].closed_by.username) == ("closed", "basic", "xcb")
    assert Plan.objects.get(feedback=f).status == Plan.Status.ACCEPTED
