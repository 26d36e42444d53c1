"""Playwright: one round from plan to 进驻, each step by the right role; wrong roles refused."""

import pytest

from .conftest import ANNOUNCEMENT

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_demo(transactional_db, live_server):
    from xuncha.core import demo

    demo.load()
    return live_server


def as_user(page, login_page, username):
    page.context.clear_cookies()
    login_page(username)
    assert "工作台" in page.title(), f"login as {username} failed"
    return page


def post_raw(page, server, path):
    """POST the way a crafted form would (CSRF token from the cookie), without the page's buttons."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(f"{server.url}{path}", headers={"X-CSRFToken": token, "Referer": f"{server.url}/"},
                             max_redirects=0)


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_round_from_plan_to_onsite(browser_demo, login_page, page):
    from xuncha.orgs.models import Organization, User
    from xuncha.rounds.models import Round

    server = browser_demo
    page.on("dialog", lambda dialog: dialog.accept())
    users = {u.username: u.pk for u in User.objects.all()}
    rfb_org = Organization.objects.get(name="安康市人民防空办公室").pk

    # 巡察办 creates the round (工作方案), forms the team and chooses the target
    as_user(page, login_page, "xcb")
    page.goto(f"{server.url}/rounds/new/")
    page.fill("input[name=title]", "2027年人防系统专项巡察（浏览器）")
    page.select_option("select[name=kind]", "special")
    page.fill("input[name=year]", "2027")
    page.fill("input[name=number]", "9")
    page.fill("input[name=planned_start]", "2027-03-01")
    page.fill("input[name=planned_end]", "2027-04-02")
    page.fill("textarea[name=focus]", "易地建设费随意“减免缓”")
    click_and_wait(page, "main button[type=submit]")
    assert "已新建巡察轮次" in page.locator("main").inner_text()
    pk = Round.objects.get(title="2027年人防系统专项巡察（浏览器）").pk
    detail = f"/rounds/{pk}/"
    page.goto(f"{server.url}/rounds/{pk}/team/")
    for username, role in (("zuzhang", "leader"), ("zuyuan", "member")):
        page.select_option("select[name=user]", str(users[username]))
        page.select_option("select[name=team_role]", role)
        click_and_wait(page, "button[value=add_member]")
    page.check(f"input[name=targets][value='{rfb_org}']")
    click_and_wait(page, "button[value=targets]")
    assert "已保存被巡察单位" in page.locator("main").inner_text()

    # a team member cannot start 进驻, nor approve
    as_user(page, login_page, "zuyuan")
    page.goto(f"{server.url}{detail}")
    assert page.locator("button[value=start_onsite]").count() == 0
    assert post_raw(page, server, f"/rounds/{pk}/do/start_onsite/").status == 403
    assert post_raw(page, server, f"/rounds/{pk}/do/approve_plan/").status == 403
    assert Round.objects.get(pk=pk).plan_approved_at is None

    # 领导小组 approves the plan
    as_user(page, login_page, "leader")
    page.goto(f"{server.url}{detail}")
    click_and_wait(page, "button[value=approve_plan]")
    assert "已审批同意工作方案" in page.locator("main").inner_text()

    # 巡察办: announcement, publish, 进驻
    as_user(page, login_page, "xcb")
    page.goto(f"{server.url}/rounds/{pk}/announcement/")
    for name, value in ANNOUNCEMENT.items():
        page.fill(f"input[name={name}]", value)
    click_and_wait(page, "button[value=save_announcement]")
    click_and_wait(page, "button[value=publish]")
    assert "已发布巡察公告" in page.locator("main").inner_text()
    page.goto(f"{server.url}{detail}")
    click_and_wait(page, "button[value=start_onsite]")
    assert page.locator("#stage-badge").inner_text() == "进驻"

    # a team member still cannot move the stage: the crafted POST is refused, the stage stays
    as_user(page, login_page, "zuyuan")
    assert post_raw(page, server, f"/reports/round/{pk}/do/start_feedback/").status == 403
    assert page.goto(f"{server.url}/rounds/{pk}/team/").status == 403

    # 巡察报告 → 审核 → 反馈 → 签收 → 归档 in the browser: xuncha/reports/tests/test_browser.py
