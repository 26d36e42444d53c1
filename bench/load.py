"""Load benchmark (负载基准测试) — a script, not a test.

Starts ``xuncha serve`` on 127.0.0.1 backed by a fresh PostgreSQL database filled with the demo,
then drives it with locust (headless): 50 simulated users of mixed roles (office, team members,
the inspected unit, the public) for 5 minutes. Prints requests, failures, median / 95th / 99th
percentile per page and overall, the machine's load average, and whether the target is met
(no errors, 95th percentile under 300 ms). Needs the ``load`` extra: pip install -e '.[load]'.

    .venv/bin/python bench/load.py [--users 50] [--minutes 5] [--port 8108] [--threads 8]
        [--database postgres://postgres@127.0.0.1:5432/xuncha_ops_load] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 300


def sh(env, *args, **kw):
    return subprocess.run([sys.executable, "-m", "xuncha.cli", *args], env=env, check=True, **kw)


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


PLAN_SCRIPT = """
import json
from xuncha.core.demo import DEMO_PASSWORD
from xuncha.orgs.models import Role, UserRole
from xuncha.rounds.models import Round, TeamMembership
def names(qs): return sorted(set(qs))
plan = {
  "password": DEMO_PASSWORD,
  "users": {
    "office": names(UserRole.objects.filter(role=Role.OFFICE).values_list("user__username", flat=True)),
    "team": names(TeamMembership.objects.values_list("user__username", flat=True)),
    "unit": names(UserRole.objects.filter(role=Role.UNIT).values_list("user__username", flat=True)),
  },
  "public_rounds": list(Round.objects.filter(stage=Round.Stage.ONSITE).values_list("pk", flat=True)),
  "public_reports": 4,
}
print(json.dumps(plan))
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(port: int, proc) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("xuncha serve exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("xuncha serve did not start")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--port", type=int, default=8108)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/xuncha_ops_load")
    ap.add_argument("--keep", help="keep the data folder and locust CSV files here")
    args = ap.parse_args(argv)

    work = Path(args.keep or tempfile.mkdtemp(prefix="xuncha-load-"))
    work.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    home.mkdir(exist_ok=True, mode=0o700)
    env = {**os.environ, "XUNCHA_HOME": str(home), "DATABASE_URL": args.database,
           "DJANGO_SETTINGS_MODULE": "xuncha.settings", "XUNCHA_LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    print(f"准备：新建数据库 {args.database.rsplit('/', 1)[1]}，载入演示数据 …", flush=True)
    recreate_database(args.database)
    server = None
    try:
        sh(env, "manage", "migrate", "--noinput", "-v", "0")
        sh(env, "manage", "shell", "-c", "from xuncha.core import demo; demo.load()")
        plan = subprocess.run([sys.executable, "-m", "xuncha.cli", "manage", "shell", "-c", PLAN_SCRIPT],
                              env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        (work / "plan.json").write_text(plan)
        counts = {k: len(v) for k, v in json.loads(plan)["users"].items()}
        log = open(work / "serve.log", "wb")
        server = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "serve", "--host", "127.0.0.1",
                                   "--port", str(args.port), "--threads", str(args.threads), "--no-migrate"],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(args.port, server)
        load_before = os.getloadavg()
        cpu_before = cpu_seconds(server.pid)
        print(f"开始：{args.users} 个模拟用户（账号 {counts}），{args.minutes:g} 分钟，"
              f"服务 http://127.0.0.1:{args.port}/（waitress {args.threads} 线程），开始时负载 {load_before[0]:.2f}",
              flush=True)
        started = time.monotonic()
        subprocess.run(
            [str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "-u", str(args.users), "-r", "5", "-t", f"{int(args.minutes * 60)}s",
             "--host", f"http://127.0.0.1:{args.port}", "--csv", str(work / "locust"), "--only-summary",
             "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
            env={**env, "XUNCHA_LOAD_PLAN": str(work / "plan.json")}, check=True,
            stdout=open(work / "locust.out", "w"), stderr=subprocess.STDOUT)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        drop_database(args.database)

    rows = list(csv.DictReader(open(work / "locust_stats.csv")))
    print(f"\n{'页面':<46}{'请求':>7}{'失败':>6}{'中位':>7}{'P95':>7}{'P99':>7}  (ms)")
    for row in rows:
        name = "合计" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(f"{name[:45]:<46}{row['Request Count']:>7}{row['Failure Count']:>6}"
              f"{row['Median Response Time']:>7}{row['95%']:>7}{row['99%']:>7}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    p95 = float(total["95%"])
    rps = float(total["Requests/s"])
    print(f"\n共 {total['Request Count']} 个请求，{rps:.1f} 请求/秒，失败 {failures}，"
          f"中位 {total['Median Response Time']} ms，P95 {p95:.0f} ms，P99 {total['99%']} ms；"
          f"用时 {elapsed:.0f} s；负载（1 分钟平均）开始 {load_before[0]:.2f}、结束 {load_after[0]:.2f}。")
    requests = int(total["Request Count"])
    print(f"服务进程 CPU 时间 {server_cpu:.1f} s，平均每个请求 {server_cpu * 1000 / max(requests, 1):.1f} ms"
          f"（占 {server_cpu * 100 / elapsed:.0f}% 个 CPU 核；不含 PostgreSQL）。")
    errors = work / "locust_failures.csv"
    if failures and errors.exists():
        print(errors.read_text()[:3000])
    met = failures == 0 and p95 < TARGET_P95_MS
    print("达到目标（无错误，P95 < 300 ms）。" if met else "未达到目标（无错误，P95 < 300 ms）。")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
