"""Playwright: the city office creates a 联动巡察 round with two county rounds under it, the test gives
those rounds problems and clues, and the dashboard shows the figures they imply — charts drawn, no
console errors, drill-down city → county → round → ledger rows; a county office sees only its own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser]

# (county, amount) of each problem, and (county, disposal kind) of each clue the test registers
PROBLEMS = [("汉阴县", "1200"), ("汉阴县", "800"), ("石泉县", "50")]
CLUES = [("汉阴县", "discipline"), ("石泉县", None), ("石泉县", "keep")]


@pytest.fixture
def browser_demo(transactional_db, live_server):
    from xuncha.core import demo

    demo.load()
    return live_server


def _login(page, login_page, username):
    page.context.clear_cookies()
    login_page(username)
    assert "工作台" in page.title(), f"login as {username} failed"


def _kpi(page, name):
    return page.locator(f"[data-kpi={name}]").inner_text().strip()


def _charts_drawn(page):
    page.wait_for_selector("[data-chart][data-rendered='1'] canvas")
    charts = page.locator("[data-chart]")
    assert charts.count() == 8
    for i in range(charts.count()):
        assert charts.nth(i).locator("canvas").count() >= 1, charts.nth(i).get_attribute("data-chart")


def _give_data(rounds):
    from xuncha.clues.models import Clue, Disposal
    from xuncha.findings.models import Problem

    today = timezone.localdate()
    for n, (county, amount) in enumerate(PROBLEMS, start=1):
        Problem.objects.create(round=rounds[county], number=n, source=Problem.Source.MANUAL, title=f"浏览器问题{n}",
                               amount=Decimal(amount))
    for n, (county, kind) in enumerate(CLUES, start=1):
        clue = Clue.objects.create(round=rounds[county], number=n, source=Clue.Source.INSPECTION,
                                   person=f"人员{n}", summary="线索内容")
        if kind:
            Disposal.objects.create(clue=clue, kind=kind, decided_on=today - timedelta(days=3))


def test_linked_round_and_dashboard(browser_demo, login_page, page):
    from xuncha.rounds.models import Round

    server = browser_demo
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # the city office creates the 联动巡察 round and deploys two counties under it
    _login(page, login_page, "xcb")
    page.goto(f"{server.url}/rounds/new/")
    page.fill("input[name=title]", "安康市2027年联动巡察（浏览器）")
    page.select_option("select[name=kind]", "linked")
    page.fill("input[name=year]", "2027")
    page.fill("input[name=number]", "5")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    city = Round.objects.get(title="安康市2027年联动巡察（浏览器）")
    page.click("text=联动巡察（各县进度）")
    page.check("#link-form label:has-text('汉阴县') input")
    page.check("#link-form label:has-text('石泉县') input")
    with page.expect_navigation():
        page.click("#link-form button[type=submit]")
    assert "已为2个县（区）新建联动巡察轮次" in page.locator("main").inner_text()
    assert page.locator("#linked-rounds tr[data-county='汉阴县'] .stage").inner_text() == "准备"
    rounds = {r.jurisdiction.name: r for r in Round.objects.filter(parent=city).select_related("jurisdiction")}
    assert set(rounds) == {"汉阴县", "石泉县"}
    _give_data(rounds)

    # the city's dashboard for 2027: the figures of the test's data, charts drawn
    page.goto(f"{server.url}/dashboard/?year=2027")
    _charts_drawn(page)
    assert _kpi(page, "rounds") == "3"
    assert _kpi(page, "problems") == str(len(PROBLEMS))
    assert _kpi(page, "money_found") == f"{sum(Decimal(a) for _c, a in PROBLEMS):.2f}"
    assert _kpi(page, "clues") == str(len(CLUES))
    pending = page.locator("table[data-figure=clues_disposal] tr:has-text('待处置') td.num").inner_text()
    assert pending == str(sum(1 for _c, k in CLUES if k is None))

    # a click on a bar of the chart opens the rows behind it: the 准备 bar of rounds by stage
    page.locator("[data-chart=stage]").scroll_into_view_if_needed()
    box = page.locator("[data-chart=stage]").bounding_box()
    x, y = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=stage]'));
        return chart.convertToPixel({seriesIndex: 0}, [0, 1]);
    }""")
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert "/dashboard/rows/stage/" in page.url and "key=preparation" in page.url
    assert page.locator("#ledger-rows tbody tr").count() == 3     # the city's round and the two county rounds
    page.go_back()

    # drill down: county → its round → the problems behind the figure
    with page.expect_navigation():
        page.click("table[data-figure=county] a:text-is('汉阴县')")
    _charts_drawn(page)
    assert _kpi(page, "problems") == str(sum(1 for c, _a in PROBLEMS if c == "汉阴县"))
    with page.expect_navigation():
        page.click(f"#county-rounds a:text-is('{rounds['汉阴县'].title}')")
    assert rounds["汉阴县"].title in page.locator("#dash-path").inner_text()
    with page.expect_navigation():
        page.click("table[data-figure=problems] td.num a")
    rows = page.locator("#ledger-rows tbody tr")
    assert rows.count() == 2
    assert sorted(rows.nth(i).locator("td").nth(4).inner_text() for i in range(2)) == ["浏览器问题1", "浏览器问题2"]

    # a county office sees only its own county
    _login(page, login_page, "sq_xcb")
    page.goto(f"{server.url}/dashboard/?year=2027")
    _charts_drawn(page)
    assert _kpi(page, "rounds") == "1"
    assert _kpi(page, "problems") == str(sum(1 for c, _a in PROBLEMS if c == "石泉县"))
    assert _kpi(page, "clues") == str(sum(1 for c, _k in CLUES if c == "石泉县"))
    assert "汉阴县" not in page.locator("main").inner_text()
    assert errors == []
