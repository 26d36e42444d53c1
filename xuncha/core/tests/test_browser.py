"""Playwright drives Debian's Chromium: two roles log in and see what each may see."""

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_demo(transactional_db, live_server):
    from xuncha.core import demo

    demo.load()
    return live_server


def nav_labels(page):
    return [t.strip() for t in page.locator("nav.mainnav a").all_inner_texts()]


def test_office_admin_and_unit_see_different_things(browser_demo, login_page, page):
    login_page("admin")
    assert "工作台" in page.title()
    labels = nav_labels(page)
    assert {"工作台", "巡察轮次", "组织机构", "用户管理", "审计日志"} <= set(labels)
    page.click("nav.mainnav >> text=巡察轮次")
    body = page.locator("main").inner_text()
    assert "2026年人防系统腐败问题专项巡察" in body
    assert "石泉县2026年人防系统专项巡察（联动）" in body        # a city office sees its counties
    page.click("nav.mainnav >> text=用户管理")
    assert "sq_rfb" in page.locator("main").inner_text()
    page.click("text=退出")
    page.wait_for_load_state()
    assert "登录" in page.title()

    login_page("rfb")
    labels = nav_labels(page)
    assert "用户管理" not in labels and "组织机构" not in labels and "审计日志" not in labels
    page.click("nav.mainnav >> text=巡察轮次")
    body = page.locator("main").inner_text()
    assert "2026年人防系统腐败问题专项巡察" in body
    assert "石泉县" not in body
    response = page.goto(f"{browser_demo.url}/orgs/users/")
    assert response.status == 403
    assert "无权访问" in page.locator("main").inner_text()


def test_wrong_password_shows_message(browser_demo, login_page, page):
    login_page("zuzhang", "not-the-password")
    assert "用户名或密码不正确" in page.locator("main").inner_text()


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_layout_fits_desktop_and_phone(browser_demo, browser, viewport):
    from xuncha.core.demo import DEMO_PASSWORD

    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{browser_demo.url}/accounts/login/")
    page.fill("input[name=username]", "xcb")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in ("/", "/rounds/", "/orgs/"):
        page.goto(browser_demo.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {viewport}"
    if viewport["width"] < 700:
        assert not page.locator("nav.mainnav").is_visible()
        page.click("label.menu-button")
        assert page.locator("nav.mainnav").is_visible()
    else:
        assert page.locator("nav.mainnav").is_visible()
    context.close()
