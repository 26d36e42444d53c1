"""演示数据载入 benchmark — a script, not a test.

How long ``demo.load()`` takes (what ``xuncha demo`` / ``./start.sh`` adds to the first start; a later
start finds the data and skips it) with and without the rectification stories (``quick=True`` leaves out
``SLOW_APPS``). Each run loads into a fresh copy of one migrated SQLite data folder (migration is not
timed), in its own process; the two variants alternate so that the machine's load hits both alike.
Prints the wall-clock and CPU seconds of each run and the medians.

    .venv/bin/python bench/demo.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
XUNCHA = [sys.executable, "-m", "xuncha.cli"]
TIMED = """
import json, time
from xuncha.core import demo
wall, cpu = time.perf_counter(), time.process_time()
assert demo.load(quick={quick})
print(json.dumps({{"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}}))
"""


def _run(home: Path, *args: str) -> str:
    env = {**os.environ, "XUNCHA_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([*XUNCHA, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True,
                          timeout=900)
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    import json

    with tempfile.TemporaryDirectory(prefix="xuncha-bench-demo-") as tmp:
        template = Path(tmp) / "migrated"
        _run(template, "manage", "migrate", "-v0")
        times: dict[str, list[dict]] = {"without stories (quick=True)": [], "full (xuncha demo)": []}
        for i in range(repeat):
            for label, quick in (("without stories (quick=True)", True), ("full (xuncha demo)", False)):
                home = Path(tmp) / f"run{i}{quick}"
                shutil.copytree(template, home)
                out = _run(home, "manage", "shell", "-c", TIMED.format(quick=quick))
                figures = json.loads(out.strip().splitlines()[-1])
                times[label].append(figures)
                print(f"{label:<30} run {i + 1}: {figures['wall']:.2f} s wall, {figures['cpu']:.2f} s CPU", flush=True)
                shutil.rmtree(home)
    print(f"load average {os.getloadavg()[0]:.2f} (machine has {os.cpu_count()} CPUs)")
    for label, runs in times.items():
        print(f"{label:<30} median {statistics.median(r['wall'] for r in runs):.2f} s wall, "
              f"{statistics.median(r['cpu'] for r in runs):.2f} s CPU")


if __name__ == "__main__":
    main()
