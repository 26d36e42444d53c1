"""Benchmark: the cross-check as a web job (数据比对 in a round) against the command line, same data,
same run of this script — a script, not a test.

Generates a prefecture's messy data (default 100,000 permits, about a million rows, as bench/crosscheck.py
does), then, alternating ``--repeat`` times:

- command line: ``xuncha check DATA --policy default_policy.toml --as-of … --out OUT`` in a child process;
- web job: the same files uploaded to a round of the demo city (upload and its checks not timed), a task
  worker started as a server starts it (``xuncha worker``) and waited for until it is idle, then one run
  queued through ``xuncha.crosscheck.services.start_run`` and timed from the moment the run was queued
  (``CheckRun.created_at``) to the moment it was saved as finished (``finished_at``): the worker taking the
  job, placing the stored files, the engine writing its DuckDB database and ``findings.jsonl``, the 疑点
  saved with fingerprints and the previous run's decisions carried over. Its CPU seconds are the worker
  process's (``/proc``: user + system, all threads, and its finished child processes — the engine's
  name-parsing workers) from before the run was queued to after it finished. The worker's own start-up
  (Django, recovery; once per server start, not per run) is printed beside it and not counted.

Prints for each round the wall clock and the CPU seconds (for the command line: user + system of the
child process, all its threads and its worker processes: the steadier figure on a shared machine) of
both paths, the ratios web / CLI of both, the machine's load average at the start and the end of the
round (this machine is shared), and judges each round on its own: met when both ratios are at most 1.2.
Exit status 0 only when every round met it.

    .venv/bin/python bench/crosscheck_web.py [--permits 100000] [--repeat 2] [--keep DIR] [--data DIR]

``--data DIR`` reuses the data generated in DIR by an earlier run (generated there when DIR does not
exist yet); the web home is always new.
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
if {queue!r}:
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


def proc_cpu(pid: int) -> float:
    """CPU seconds of a running process: user + system of all its threads and of its waited-for children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _when(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


def time_web(env, data: Path, db: Path) -> dict:
    """One run as a web job on a worker that is already up and idle (see the module's docstring)."""
    setup = ["manage", "shell", "-c"]
    xuncha(env, *setup, SETUP.format(data=str(data), as_of=AS_OF.isoformat(), queue=False))
    con = sqlite3.connect(db, timeout=30)
    t0, c0 = time.perf_counter(), cpu_children()
    worker = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "worker", "--interval", "0.2"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while not con.execute("SELECT 1 FROM tasks_workerheartbeat WHERE pid = ? AND stopped_at IS NULL",
                              [worker.pid]).fetchone():
            if worker.poll() is not None:
                sys.exit(f"xuncha worker exited: {worker.stderr.read()[-3000:]}")
            time.sleep(0.05)
        start_wall = time.perf_counter() - t0
        time.sleep(2)   # it settles (gc) and polls the queue: idle from here
        start_cpu = proc_cpu(worker.pid)
        out = xuncha(env, *setup, SETUP.format(data=str(data), as_of=AS_OF.isoformat(), queue=True)).stdout
        run_id = int(out.split("RUN")[1].split()[0])
        while True:
            row = con.execute("SELECT status, hits, created_at, finished_at, timings FROM crosscheck_checkrun "
                              "WHERE id = ?", [run_id]).fetchone()
            if row[0] in ("succeeded", "failed"):
                break
            if worker.poll() is not None:
                sys.exit(f"xuncha worker exited: {worker.stderr.read()[-3000:]}")
            time.sleep(0.05)
        cpu = proc_cpu(worker.pid) - start_cpu
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        con.close()
    status, hits, created, finished, timings = row
    if cpu_children() - c0 < cpu:
        raise RuntimeError("worker CPU read wrong")
    return {"wall": (_when(finished) - _when(created)).total_seconds(), "cpu": cpu, "hits": hits,
            "status": status, "parts": json.loads(timings or "{}"), "start_wall": start_wall, "start_cpu": start_cpu}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--permits", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the generated data and the web home here")
    ap.add_argument("--data", type=Path, help="the generated data folder to reuse (generated there if missing)")
    args = ap.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="xuncha_bench_web_"))
    work.mkdir(parents=True, exist_ok=True)
    data = args.data or work / "data"
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
    met = []
    for i in range(args.repeat):
        load = _load()
        t_cli, c_cli, hits_cli = time_cli(env, data, work)
        web = time_web(env, data, home / "xuncha.sqlite3")
        if web["status"] != "succeeded" or web["hits"] != hits_cli:
            sys.exit(f"web job {web['status']}, {web['hits']} 疑点 vs command line {hits_cli}")
        t_web, c_web, parts = web["wall"], web["cpu"], web["parts"]
        wall, cpu = t_web / t_cli, c_web / c_cli
        met.append(wall <= TARGET_RATIO and cpu <= TARGET_RATIO)
        cpu_parts = parts.get("cpu", {})
        print(f"第{i + 1}轮（负载 开始 {load}，结束 {_load()}）：{hits_cli} 个疑点\n"
              f"  命令行   墙钟 {t_cli:6.1f} 秒，CPU {c_cli:6.1f} 秒\n"
              f"  网页任务 墙钟 {t_web:6.1f} 秒，CPU {c_web:6.1f} 秒（从排队到完成；其中任务本身 "
              f"{parts.get('job', 0):.1f} 秒，CPU {cpu_parts.get('job', 0):.1f}；引擎 {parts.get('total', 0):.1f} 秒，"
              f"CPU {cpu_parts.get('total', 0):.1f}；保存疑点 {parts.get('save', 0):.1f} 秒，CPU "
              f"{cpu_parts.get('save', 0):.1f}）\n"
              f"  比值（网页 / 命令行）墙钟 {wall:.2f}，CPU {cpu:.2f}（目标 ≤ {TARGET_RATIO}）："
              f"{'达标' if met[-1] else '未达标'}\n"
              f"  （任务进程启动，每次启动服务一次、不计入：{web['start_wall']:.1f} 秒，CPU {web['start_cpu']:.1f} 秒）",
              flush=True)
    print(f"{sum(met)}/{len(met)} 轮达标（每轮单独判定，墙钟和 CPU 都 ≤ {TARGET_RATIO}）；{os.cpu_count()} 核")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(met) else 1


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())

if __name__ == "__main__":
    raise SystemExit(main())
