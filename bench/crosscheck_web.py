"""Benchmark: the cross-check as a web job (数据比对 in a round) against the command line, same data,
same run of this script — a script, not a test.

Generates a prefecture's messy data (default 100,000 permits, about a million rows, as bench/crosscheck.py
does), then, alternating ``--repeat`` times:

- command line: ``xuncha check DATA --policy default_policy.toml --as-of … --out OUT`` in a child process;
- web job: the same files uploaded to a round of the demo city (upload and its checks not timed), one run
  queued through ``xuncha.crosscheck.services.start_run``, then ``xuncha worker --batch`` in a child
  process: from its start to its exit (Django start-up, recovery, copying the stored files, the engine
  writing its DuckDB database and both output files, 疑点 saved with fingerprints, the workbook stored).

Prints each time (wall clock, and the CPU seconds of the child process, user + system, all threads: the
steadier figure on a shared machine), the best of each, the ratio web / CLI (target ≤ 1.2, on the wall
clock) and the machine's load average, which matters: this machine is shared.

    .venv/bin/python bench/crosscheck_web.py [--permits 100000] [--repeat 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xuncha.crosscheck_engine.generator import AS_OF, generate  # noqa: E402

EXCEL = ("completions", "acceptances", "fee_ledger", "rentals", "contracts")
TARGET_RATIO = 1.2
SETUP = """
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from xuncha.core import demo
from xuncha.crosscheck import services
from xuncha.orgs.models import User
from xuncha.rounds.models import Round
import datetime as dt
demo.load()
user = User.objects.get(username="zuyuan")
r = Round.objects.get(jurisdiction__parent=None, number=1, year=2026)
if not r.data_files.exists():
    services.upload_files(user, r, [SimpleUploadedFile(p.name, p.read_bytes())
                                    for p in sorted(Path({data!r}).iterdir())])
run = services.start_run(user, r, as_of=dt.date.fromisoformat({as_of!r}))
print("RUN", run.pk)
"""


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def xuncha(env, *args, capture=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "xuncha.cli", *args], env=env, cwd=ROOT, text=True,
                          capture_output=capture)
    if proc.returncode != 0:
        sys.exit(f"xuncha {' '.join(args[:2])} failed:\n{(proc.stderr or '')[-3000:]}")
    return proc


def time_cli(env, data: Path, work: Path) -> tuple[float, float, int]:
    out = work / "cli_out"
    shutil.rmtree(out, ignore_errors=True)
    policy = ROOT / "xuncha" / "crosscheck_engine" / "default_policy.toml"
    t0, c0 = time.perf_counter(), cpu_children()
    xuncha(env, "check", str(data), "--policy", str(policy), "--as-of", AS_OF.isoformat(), "--out", str(out))
    elapsed, cpu = time.perf_counter() - t0, cpu_children() - c0
    with open(out / "findings.jsonl", encoding="utf-8") as fh:
        hits = sum(1 for _ in fh)
    return elapsed, cpu, hits


def time_web(env, data: Path, db: Path) -> tuple[float, float, float, dict, int, str]:
    out = xuncha(env, "manage", "shell", "-c", SETUP.format(data=str(data), as_of=AS_OF.isoformat())).stdout
    run_id = int(out.split("RUN")[1].split()[0])
    t0, c0 = time.perf_counter(), cpu_children()
    xuncha(env, "worker", "--batch", "--interval", "0")
    elapsed, cpu = time.perf_counter() - t0, cpu_children() - c0
    con = sqlite3.connect(db)
    status, hits, started, finished, timings = con.execute(
        "SELECT status, hits, started_at, finished_at, timings FROM crosscheck_checkrun WHERE id = ?",
        [run_id]).fetchone()
    con.close()
    from datetime import datetime

    job = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    return elapsed, cpu, job, json.loads(timings or "{}"), hits, status


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--permits", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the generated data and the web home here")
    args = ap.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="xuncha_bench_web_"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    if not data.exists():
        t0 = time.perf_counter()
        generate(data, permits=args.permits, seed=args.seed, excel=EXCEL)
        for extra in ("truth.json", "truth_entities.json"):
            (data / extra).unlink(missing_ok=True)
        print(f"生成数据：{args.permits:,} 个施工许可，{sum(p.stat().st_size for p in data.iterdir()) / 1e6:.0f} MB，"
              f"{time.perf_counter() - t0:.0f} 秒（不计入）")
    home = work / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"XUNCHA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    xuncha(env, "manage", "migrate", "-v0")
    cli, web, cli_cpu, web_cpu = [], [], [], []
    for i in range(args.repeat):
        load = os.getloadavg()[0]
        t_cli, c_cli, hits_cli = time_cli(env, data, work)
        t_web, c_web, t_job, parts, hits_web, status = time_web(env, data, home / "xuncha.sqlite3")
        if status != "succeeded" or hits_web != hits_cli:
            sys.exit(f"web job {status}, {hits_web} 疑点 vs command line {hits_cli}")
        cli.append(t_cli)
        web.append(t_web)
        cli_cpu.append(c_cli)
        web_cpu.append(c_web)
        print(f"第{i + 1}轮（开始时 1 分钟负载 {load:.1f}）：命令行 {t_cli:.1f} 秒（CPU {c_cli:.1f} 秒）；"
              f"网页任务 {t_web:.1f} 秒（CPU {c_web:.1f} 秒；其中任务本身 {t_job:.1f} 秒，引擎 {parts.get('total', 0):.1f} 秒"
              f"（CPU {parts.get('cpu', {}).get('total', 0):.1f}），保存疑点 {parts.get('save', 0):.1f} 秒"
              f"（CPU {parts.get('cpu', {}).get('save', 0):.1f}））；"
              f"{hits_cli} 个疑点；比值 {t_web / t_cli:.2f}（CPU {c_web / c_cli:.2f}）")
    ratio = min(web) / min(cli)
    print(f"最好成绩：命令行 {min(cli):.1f} 秒（CPU {min(cli_cpu):.1f} 秒），网页任务 {min(web):.1f} 秒"
          f"（CPU {min(web_cpu):.1f} 秒），比值 {ratio:.2f}（CPU {min(web_cpu) / min(cli_cpu):.2f}）"
          f"（目标 ≤ {TARGET_RATIO}）{'达标' if ratio <= TARGET_RATIO else '未达标'}；"
          f"结束时负载 {' / '.join(f'{x:.1f}' for x in os.getloadavg())}，{os.cpu_count()} 核")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
