"""Browser: an anonymous report, a team member's reply, the reporter reads it with code and secret."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_anonymous_report_and_reply(transactional_db, demo, live_server, browser, page, login_page):
    from xuncha.petitions.models import Petition

    page.goto(f"{live_server.url}/public/")
    page.click("text=我要举报")
    page.click("text=2026年人防系统腐败问题专项巡察")
    assert page.is_checked("input[name=anonymous][value='1']")
    page.fill("input[name=subject_name]", "市人防办工程科某科长")
    page.fill("textarea[name=content]", "<b>浏览器测试</b>：反映某科长在验收中收受红包。")
    page.click("button:has-text('提交举报')")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    secret = page.inner_text("#receipt-secret").strip()
    petition = Petition.objects.get(receipt_code=code)
    assert petition.anonymous and petition.channel == Petition.Channel.ONLINE

    # a team member replies
    login_page("zuyuan")
    page.goto(f"{live_server.url}/petitions/{petition.pk}/")
    assert "&lt;b&gt;浏览器测试" in page.content() or "<b>浏览器测试</b>" in page.inner_text("main")
    page.fill("#id_text", "您反映的问题已收到，巡察组正在核实。")
    page.click("button[value=reply]")
    page.wait_for_selector("text=已答复反映人")

    # the reporter comes back in a fresh browser, without any login
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    reporter = context.new_page()
    try:
        reporter.goto(f"{live_server.url}/petitions/public/follow/")
        reporter.fill("input[name=code]", code)
        reporter.fill("input[name=secret]", secret)
        reporter.click("button:has-text('查询')")
        reporter.wait_for_selector("text=巡察组答复")
        body = reporter.inner_text("main")
        assert "您反映的问题已收到，巡察组正在核实。" in body
        assert "市人防办工程科某科长" in body
        reporter.fill("textarea[name=text]", "补充：时间是今年十月。")
        reporter.click("button:has-text('提交补充')")
        reporter.wait_for_selector("text=已收到您补充的材料")
        assert "补充：时间是今年十月。" in reporter.inner_text("main")
    finally:
        context.close()
