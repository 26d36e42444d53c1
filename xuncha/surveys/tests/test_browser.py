"""Browser: the team prints code slips, residents answer on a phone by scanning a slip, a code used twice is
refused, and the results page shows the right 知晓率 (Issue 15, Done when)."""

from __future__ import annotations

import pytest

from xuncha.surveys.models import Survey
from xuncha.surveys.results import pct, wilson

from .qr import decode_png

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


def test_print_codes_answer_on_a_phone_and_read_the_rates(transactional_db, live_server, browser, page,
                                                         login_page, settings):
    from xuncha.core import demo as demo_module
    from xuncha.orgs.models import User
    from xuncha.reports.tests.conftest import make_round

    from .conftest import restore_builtin

    settings.XUNCHA_PUBLIC_URL = live_server.url
    restore_builtin()
    demo_module.load()
    r = make_round({u.username: u for u in User.objects.all()})
    # the team leader builds the 知晓率 survey from the shipped template, opens it and prints 3 slips
    login_page("zuzhang")
    page.goto(f"{live_server.url}/rounds/{r.pk}/")
    page.click("text=问卷测评")
    page.select_option("#id_template", label="人防宣传知晓率调查（随系统提供）")
    page.click("button:has-text('建立')")
    page.wait_for_selector("text=已建立本轮问卷")
    page.once("dialog", lambda d: d.accept())
    page.click("button:has-text('开始收集')")
    page.wait_for_selector("#survey-status:has-text('收集中')")
    page.fill("#id_count", "3")
    with page.expect_popup() as popup:
        page.click("button:has-text('生成并打印问卷条')")
    slips = popup.value
    slips.wait_for_selector(".slip")
    codes = [c.strip() for c in slips.locator(".slip .code").all_inner_texts()]
    assert len(codes) == 3 and len(set(codes)) == 3
    # a phone's camera reads the first slip's QR code
    scanned = decode_png(slips.locator(".slip svg").first.screenshot())
    assert len(scanned) == 1 and scanned[0].startswith(f"{live_server.url}/surveys/a/#")
    assert scanned[0].endswith(codes[0].replace("-", ""))

    survey = Survey.objects.get(round=r)
    q = list(survey.questions.all())
    phone_ctx = browser.new_context(**PHONE)
    phone = phone_ctx.new_page()
    try:
        def answer(url_or_code, knows: bool, group: str, *, half=False):
            if url_or_code.startswith("http"):
                phone.goto(url_or_code)                        # the QR link fills in the code by itself
            else:
                phone.goto(f"{live_server.url}/surveys/a/")
                phone.fill("#id_code", url_or_code.lower())    # typed by hand, any case
                phone.click("button:has-text('开始作答')")
            phone.wait_for_selector("text=您是否知道防空警报信号")
            # a phone-sized page: nothing wider than the screen
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            phone.check(f"input[name=group][value='{group}']")
            phone.check(f"input[name=q{q[0].pk}][value='{0 if knows else 2}']")
            if half:       # forgets the others: told what is missing, what was chosen stays chosen
                phone.click("button:has-text('提交')")
                phone.wait_for_selector("#answer-error")
                assert "第2题为必答题" in phone.inner_text("main")
                assert phone.is_checked(f"input[name=q{q[0].pk}][value='{0 if knows else 2}']")
            for other in q[1:4]:
                phone.check(f"input[name=q{other.pk}][value='0']")
            phone.click("button:has-text('提交')")
            phone.wait_for_selector("#answer-done")

        answer(scanned[0], True, "社区居民", half=True)
        answer(codes[1], True, "学生")
        answer(codes[2], False, "社区居民")

        # the first slip again: refused, nothing counted twice
        phone.goto("about:blank")
        phone.goto(scanned[0])
        phone.wait_for_selector("#answer-error")
        assert "已经使用过" in phone.inner_text("#answer-error")
        phone.goto(f"{live_server.url}/surveys/a/")
        phone.fill("#id_code", "AAAAA-BBBBB")
        phone.click("button:has-text('开始作答')")
        assert "这个码不存在" in phone.inner_text("#answer-error")
    finally:
        phone_ctx.close()
    assert survey.responses.count() == 3

    # the results: 知晓率 of question 1 is 2/3 with its Wilson interval
    page.goto(f"{live_server.url}/surveys/{survey.pk}/results/")
    assert page.inner_text("#total") == "3"
    first = page.locator("#question-1")
    lo, hi = wilson(2, 3)
    assert first.locator(".rate-value").inner_text() == "66.7%"
    assert f"{pct(lo)}～{pct(hi)}" in first.inner_text()
    assert "2/3" in first.inner_text()
    assert first.locator("svg.chart rect").count() == 3
    # question 2: everyone knows → 100%
    assert page.locator("#question-2 .rate-value").inner_text() == "100.0%"
    page.select_option("#id_group", "学生")
    page.click("button:has-text('筛选')")
    page.wait_for_selector("text=（学生）")
    assert page.locator("#question-1 .rate-value").inner_text() == "100.0%"
