"""指挥舱 benchmark — a script, not a test.

Fills a fresh database with the demo plus real volume — 100 rounds over 10 counties (the demo's 9 and
one more), 10,000 problems, 5,000 clues (most disposed, some concluded in the 四种形态, some overdue)
and, when the cross-check app is installed, 100,000 疑点 — then requests each dashboard page
repeatedly in-process (Django test client, logged in, the whole middleware stack; no network) and
prints the server time per page: median and 95th percentile of the wall-clock time, and the median CPU
time of the Django process (on SQLite that includes the database's work; on PostgreSQL the database
server's CPU is not in it). Target: under 300 ms each.

Runs on SQLite (a temporary file) and on PostgreSQL (the database given, dropped and recreated).

    .venv/bin/python bench/dashboard.py [--repeat 30] [--sqlite-only]
        [--database postgres://postgres@127.0.0.1:5432/xuncha_dashboard]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300
COUNTIES, ROUNDS, PROBLEMS, CLUES, SUSPICIONS = 10, 100, 10_000, 5_000, 100_000


def fill() -> dict:
    """Bulk-fill the volume; returns the ids the pages are requested with."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from xuncha.clues.models import Clue, Disposal
    from xuncha.core import demo
    from xuncha.findings.models import Problem
    from xuncha.orgs.models import Jurisdiction
    from xuncha.rounds.models import Category, Inquiry, Round, Taxonomy

    rnd = random.Random(12)
    demo.load()
    city = Jurisdiction.objects.get(name="安康市", parent=None)
    with transaction.atomic():
        Jurisdiction.objects.create(name="基准县", level=Jurisdiction.Level.COUNTY, parent=city, code="610999")
        counties = list(Jurisdiction.objects.filter(parent=city).order_by("code"))
        assert len(counties) == COUNTIES, len(counties)
        rf9 = Taxonomy.objects.get(code="RF-9")
        cats = list(Category.objects.filter(taxonomy=rf9))
        existing = Round.objects.count()
        head = Round.objects.create(jurisdiction=city, kind=Round.Kind.LINKED, year=2025, number=90,
                                    title="安康市2025年联动巡察（基准）", taxonomy=rf9)
        stages = list(Round.Stage.values)
        rounds = [head]
        n = 0
        while existing + len(rounds) < ROUNDS:
            county = counties[n % COUNTIES]
            rounds.append(Round(jurisdiction=county, parent=head if n % 2 == 0 else None,
                                kind=Round.Kind.LINKED if n % 2 == 0 else Round.Kind.REGULAR,
                                year=2024 + n % 3, number=10 + n // COUNTIES, title=f"{county.name}基准巡察{n}",
                                taxonomy=rf9, stage=stages[n % len(stages)]))
            n += 1
        Round.objects.bulk_create(rounds[1:])
        all_rounds = list(Round.objects.all())
        today = timezone.localdate()
        problems, per_round = [], {}
        for i in range(PROBLEMS):
            r = all_rounds[i % len(all_rounds)]
            per_round[r.pk] = per_round.get(r.pk, 1000) + 1
            problems.append(Problem(round=r, number=per_round[r.pk], source=Problem.Source.MANUAL,
                                    title=f"基准问题{i}", category=rnd.choice(cats + [None]),
                                    amount=Decimal(rnd.randint(0, 500000)), amount_to_recover=Decimal(rnd.randint(0, 9999)),
                                    status=Problem.Status.WITHDRAWN if i % 17 == 0 else Problem.Status.CONFIRMED))
        Problem.objects.bulk_create(problems, batch_size=2000)
        clues, per_round = [], {}
        for i in range(CLUES):
            r = all_rounds[i % len(all_rounds)]
            per_round[r.pk] = per_round.get(r.pk, 1000) + 1
            clues.append(Clue(round=r, number=per_round[r.pk], source=Clue.Source.INSPECTION, person=f"人员{i}",
                              summary="基准线索"))
        Clue.objects.bulk_create(clues, batch_size=2000)
        kinds = list(Disposal.Kind.values)
        forms = list(Disposal.Form.values)
        disposals = []
        for i, clue in enumerate(Clue.objects.filter(summary="基准线索").order_by("pk")):
            if i % 10 < 3:
                continue
            concluded = i % 3 == 0
            disposals.append(Disposal(clue=clue, kind=kinds[i % len(kinds)], decided_on=today - timedelta(days=60),
                                      deadline=today + timedelta(days=rnd.randint(-30, 30)),
                                      form=rnd.choice(forms) if concluded else "",
                                      concluded_on=today - timedelta(days=2) if concluded else None))
        Disposal.objects.bulk_create(disposals, batch_size=2000)
        Inquiry.objects.bulk_create([
            Inquiry(round=all_rounds[i % len(all_rounds)], recipient=Inquiry.Recipient.AUDIT, subject="基准函询",
                    sent_on=today - timedelta(days=20), due_on=today - timedelta(days=i % 10 - 5))
            for i in range(300)])
    suspicions = fill_suspicions(all_rounds, rnd)
    rect_items = fill_rectification(all_rounds, rnd)
    from django.db import connection

    with connection.cursor() as cursor:     # planner statistics after a bulk load, as autovacuum would gather
        cursor.execute("ANALYZE")
    county_round = Round.objects.filter(jurisdiction=counties[0]).order_by("pk").first()
    return {"city": city.pk, "county": counties[0].pk, "round": county_round.pk, "head": head.pk,
            "rounds": Round.objects.count(), "problems": Problem.objects.count(), "clues": Clue.objects.count(),
            "suspicions": suspicions, "rect_items": rect_items}


def fill_suspicions(rounds, rnd) -> int | str:
    """100,000 疑点 in the cross-check app's own model, when it is installed."""
    from django.apps import apps

    if not apps.is_installed("xuncha.crosscheck"):
        return "未安装 xuncha.crosscheck，未填充疑点"
    from django.utils import timezone

    from xuncha.crosscheck.models import CheckRun, Suspicion

    runs = CheckRun.objects.bulk_create([
        CheckRun(round=r, number=900, status=CheckRun.Status.SUCCEEDED, as_of=timezone.localdate(),
                 policy_label="基准", policy_toml="", policy_sha256="0" * 64, engine_version="bench") for r in rounds])
    statuses = list(Suspicion.Status.values)
    batch = []
    for i in range(SUSPICIONS):
        run = runs[i % len(runs)]
        batch.append(Suspicion(run=run, round_id=run.round_id, finding_no=i + 1, rule=f"R{i % 14 + 1:02d}",
                               title="基准疑点", category="RF-CZ", amount=rnd.randint(0, 100000), summary="基准疑点",
                               primary_record=f"记录{i}", key=f"R:{i}", fingerprint=f"{i:064d}",
                               status=statuses[i % len(statuses)]))
        if len(batch) == 5000:
            Suspicion.objects.bulk_create(batch)
            batch = []
    Suspicion.objects.bulk_create(batch)
    return Suspicion.objects.count()


def fill_rectification(rounds, rnd) -> int | str:
    """A feedback per round of the demo city's units and 5,000 整改台账 rows with results, money, red cards."""
    from datetime import timedelta
    from decimal import Decimal

    from django.apps import apps
    from django.utils import timezone

    if not apps.is_installed("xuncha.rectification"):
        return "未安装 xuncha.rectification，未填充整改台账"
    from xuncha.findings.models import Problem
    from xuncha.orgs.models import Organization
    from xuncha.rectification.models import Accountability, Item
    from xuncha.reports.models import Feedback

    today = timezone.localdate()
    units = {}
    for org in Organization.objects.filter(inspectable=True).order_by("pk"):
        units.setdefault(org.jurisdiction_id, org)
    city_unit = next(iter(units.values()))
    feedbacks = Feedback.objects.bulk_create([
        Feedback(round=r, unit=units.get(r.jurisdiction_id, city_unit), signed_at=timezone.now()) for r in rounds])
    problems = {}
    for pk, round_id in Problem.objects.values_list("pk", "round_id"):
        problems.setdefault(round_id, pk)
    results = ["done", "basic", "not_done", ""]
    statuses = ["not_started", "in_progress", "requested", "closed", "returned"]
    items = []
    for i in range(5000):
        fb = feedbacks[i % len(feedbacks)]
        items.append(Item(feedback=fb, problem_id=problems[fb.round_id], point_no=i + 1, point="基准", measures="措施",
                          leader="领导", person="责任人", deadline=today + timedelta(days=rnd.randint(-60, 60)),
                          status=statuses[i % 5], result=results[i % 4], amount_recovered=Decimal(rnd.randint(0, 9999)),
                          red_cards=1 if i % 50 == 0 else 0, red_card_open=i % 100 == 0))
    Item.objects.bulk_create(items, batch_size=2000)
    Accountability.objects.bulk_create([
        Accountability(feedback=feedbacks[i % len(feedbacks)], name=f"干部{i}", position="科长", measure="诫勉",
                       form=str(i % 4 + 1), decided_on=today) for i in range(500)])
    return Item.objects.count()


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, user, url) of each page measured."""
    return [
        ("指挥舱（市，全部）", "xcb", "/dashboard/"),
        ("指挥舱（市，2025年）", "xcb", "/dashboard/?year=2025"),
        ("指挥舱（领导小组）", "leader", "/dashboard/"),
        ("指挥舱（下钻到县）", "xcb", f"/dashboard/?county={ids['county']}"),
        ("指挥舱（下钻到轮次）", "xcb", f"/dashboard/?round={ids['round']}"),
        ("指挥舱（县巡察办）", "hy_xcb", "/dashboard/"),
        ("台账明细：问题清单", "xcb", "/dashboard/rows/problems/"),
        ("台账明细：问题线索", "xcb", "/dashboard/rows/clues_disposal/?key=discipline"),
        ("台账明细：移交逾期", "xcb", "/dashboard/rows/transfers/"),
        ("通报导出 .docx", "xcb", "/dashboard/export.docx"),
        ("统计表导出 .xlsx", "xcb", "/dashboard/export.xlsx"),
        ("联动巡察各县进度", "xcb", f"/rounds/{ids['head']}/linked/"),
    ]


def measure(ids: dict, repeat: int) -> list[dict]:
    from django.test import Client

    from xuncha.orgs.models import User

    clients = {}
    results = []
    for name, username, url in pages(ids):
        if username not in clients:
            c = Client()
            c.force_login(User.objects.get(username=username))
            clients[username] = c
        c = clients[username]
        assert c.get(url).status_code == 200, url          # warm-up, and the page works
        times, cpu = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            resp = c.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert resp.status_code == 200, url
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results.append({"page": name, "url": url, "median": statistics.median(times), "p95": p95,
                        "cpu": statistics.median(cpu)})
    return results


def worker(repeat: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    ids = fill()
    ids["fill_seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps({"ids": ids, "results": measure(ids, repeat)}, ensure_ascii=False))


def run(label: str, env_extra: dict, repeat: int) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xuncha.settings", "XUNCHA_SECRET_KEY": "bench-only",
           "XUNCHA_MIN_FREE_MB": "0", "XUNCHA_ALLOWED_HOSTS": "testserver", **env_extra}
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, __file__, "--worker", "--repeat", str(repeat)], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{label} 基准运行失败：\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    ids = data["ids"]
    print(f"\n== {label} ==  轮次 {ids['rounds']}，问题 {ids['problems']}，线索 {ids['clues']}，"
          f"疑点 {ids['suspicions']}，整改台账 {ids['rect_items']}；填充用时 {ids['fill_seconds']} 秒")
    print(f"{'页面':<22}{'中位数 ms':>10}{'P95 ms':>10}{'CPU ms':>10}  达标(<{TARGET_MS}ms)")
    for r in data["results"]:
        ok = "是" if r["p95"] < TARGET_MS else "否"
        print(f"{r['page']:<22}{r['median']:>10.1f}{r['p95']:>10.1f}{r['cpu']:>10.1f}  {ok}")
    return data


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/xuncha_dashboard")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.repeat)
        return
    print(f"机器负载（1/5/15 分钟平均）：{os.getloadavg()}，CPU 核数：{os.cpu_count()}")
    failed = []
    with tempfile.TemporaryDirectory() as home:
        data = run("SQLite", {"XUNCHA_HOME": home, "DATABASE_URL": ""}, args.repeat)
        failed += [f"SQLite {r['page']}" for r in data["results"] if r["p95"] >= TARGET_MS]
    if not args.sqlite_only:
        recreate(args.database)
        with tempfile.TemporaryDirectory() as home:
            data = run("PostgreSQL", {"XUNCHA_HOME": home, "DATABASE_URL": args.database}, args.repeat)
            failed += [f"PostgreSQL {r['page']}" for r in data["results"] if r["p95"] >= TARGET_MS]
    print(f"\n机器负载（结束时）：{os.getloadavg()}")
    print("全部达标。" if not failed else "未达标：" + "；".join(failed))


if __name__ == "__main__":
    main()
