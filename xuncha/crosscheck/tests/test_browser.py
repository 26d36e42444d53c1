"""Playwright (Done when): a team member uploads a messy data folder with one broken file and sees the
error named, uploads the fixed file, watches the job finish (a real django-tasks-db worker), opens a
project dossier, confirms one 疑点 and dismisses another, re-runs and finds both decisions kept, and finds
the confirmed one in the round's problem list and in its .xlsx export."""

from __future__ import annotations

import io
import threading

import openpyxl
import pytest

from .conftest import AS_OF, BROKEN, BROKEN_COLUMN, BROKEN_ROW, broken_bytes

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


@pytest.fixture
def worker(city):
    """django-tasks-db's worker loop in a thread of this process (it shares the test database)."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    w = Worker(queue_names=["*"], interval=0.2, batch=False, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="browser-test", excluded_queue_names=[])

    def loop():
        try:
            w.run()
        finally:
            connection.close()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    yield w
    w.running = False
    t.join(timeout=30)


def payloads(folder, broken=False):
    return [{"name": p.name, "mimeType": "application/octet-stream",
             "buffer": broken_bytes(folder) if broken and p.name == BROKEN else p.read_bytes()}
            for p in sorted(folder.iterdir())]


def run_and_wait(page):
    page.fill("input[name=as_of]", AS_OF.isoformat())
    with page.expect_navigation():
        page.click("button[name=run]")
    page.wait_for_selector("#progress[data-status=succeeded]", timeout=120_000)
    assert "100%" in page.locator("#progress").inner_text()
    return page.url


def test_upload_fix_run_dossier_decide_rerun_problem_list(city, worker, login_page, page, messy_dir):
    from xuncha.crosscheck.models import Suspicion
    from xuncha.findings.models import Problem

    server, r = city
    login_page("zuyuan")
    page.goto(f"{server.url}/rounds/{r.pk}/")
    with page.expect_navigation():
        page.click("text=数据比对")
    page.set_input_files("input[name=files]", payloads(messy_dir, broken=True))
    with page.expect_navigation():
        page.click("button[name=upload]")
    assert f"其中 1 个有错误：{BROKEN}" in page.locator("body").inner_text()
    err = page.locator("table.file-errors tbody tr").first.locator("td").all_inner_texts()
    assert err[:3] == [BROKEN, str(BROKEN_ROW), BROKEN_COLUMN] and err[4] == "四千元整"
    # the fixed file replaces it
    page.set_input_files("input[name=files]", [{"name": BROKEN, "mimeType": "text/csv",
                                                "buffer": (messy_dir / BROKEN).read_bytes()}])
    with page.expect_navigation():
        page.click("button[name=upload]")
    assert page.locator("table.file-errors").count() == 0
    run_url = run_and_wait(page)
    # the run's 疑点清单 (made on this first export): a sheet per rule that ran, every 疑点 in it
    with page.expect_download() as download:
        page.click("text=导出疑点清单（.xlsx）")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) > 2
    total = next(row for row in book["汇总"].iter_rows(values_only=True) if row[0] == "合计")
    assert total[4] == Suspicion.objects.filter(run__number=1).count() > 0
    # the run's list, sorted by money; a 疑点 touching a project; its dossier
    with page.expect_navigation():
        page.click("text=疑点（")
    page.select_option("select[name=sort]", "amount_desc")
    with page.expect_navigation():
        page.click("form.filters button")
    sus = Suspicion.objects.filter(run__number=1)
    first = next(s for s in sus.order_by("-amount", "finding_no") if any(e.startswith("P") for e in s.entities))
    second = sus.exclude(pk=first.pk).order_by("-amount", "finding_no").first()
    page.goto(f"{server.url}/crosscheck/suspicion/{first.pk}/")
    assert "各部门记录对照" in page.locator("main").inner_text()
    project = next(e for e in first.entities if e.startswith("P"))
    with page.expect_navigation():
        page.click(f"a:text-is('{project}')")
    body = page.locator("main").inner_text()
    assert "时间线" in body and "差额" in body and f"疑点{first.finding_no}" in body
    # confirm one, dismiss another
    page.goto(f"{server.url}/crosscheck/suspicion/{first.pk}/")
    with page.expect_navigation():
        page.click("#confirm button[type=submit]")
    assert page.locator("#status").inner_text().startswith("已确认")
    page.goto(f"{server.url}/crosscheck/suspicion/{second.pk}/")
    page.fill("#dismiss textarea[name=reason]", "经查阅原始凭证，款项已于次月补缴入库")
    with page.expect_navigation():
        page.click("#dismiss button[type=submit]")
    assert page.locator("#status").inner_text().startswith("已排除")
    # re-run on the same data: both decisions kept
    page.goto(f"{server.url}/crosscheck/round/{r.pk}/")
    run2_url = run_and_wait(page)
    assert run2_url != run_url
    again = {s.key: s for s in Suspicion.objects.filter(run__number=2, key__in=[first.key, second.key])}
    page.goto(f"{server.url}/crosscheck/suspicion/{again[first.key].pk}/")
    assert page.locator("#status").inner_text().startswith("已确认")
    assert "未变化" in page.locator("main").inner_text()
    page.goto(f"{server.url}/crosscheck/suspicion/{again[second.key].pk}/")
    assert page.locator("#status").inner_text().startswith("已排除")
    assert "款项已于次月补缴入库" in page.locator("main").inner_text()
    # the confirmed one in the round's problem list and its .xlsx
    problem = Problem.objects.get(round=r, source=Problem.Source.SUSPICION)
    page.goto(f"{server.url}/problems/round/{r.pk}/")
    assert problem.title[:30] in page.locator("#problem-list").inner_text()
    with page.expect_download() as download:
        page.click("text=导出问题清单（Excel）")
    ws = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))["问题清单"]
    header = [c.value for c in ws[3]]
    rows = [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=4, values_only=True)]
    mine = next(row for row in rows if row[header[0]] == problem.number)
    assert mine["问题概述"] == problem.title and mine["涉及金额（元）"] == float(first.amount)
