"""Benchmark of the data cross-check (数据比对基准测试) — a script, not a test.

Generates a county's data with known answers (default 100,000 permits and the other tables in
proportion, about a million rows), runs the whole check, and prints the wall time, the peak memory of
the process, rows per second and precision/recall per rule against the generator's truth.

    .venv/bin/python bench/crosscheck.py [--permits 100000] [--seed 7] [--keep DIR]

The generation time is reported separately and is not part of the check's wall time.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xuncha.crosscheck_engine.generator import Truth, generate  # noqa: E402
from xuncha.crosscheck_engine.runner import run_check  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_MB = 2048.0
TARGET_SCORE = 0.98


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--permits", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated data and output here")
    ap.add_argument("--generate-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generate_only:
        generate(args.generate_only, permits=args.permits, seed=args.seed, excel=False)
        return 0

    base = args.keep or Path(tempfile.mkdtemp(prefix="xuncha_bench_"))
    data, out = base / "data", base / "out"
    if data.exists():
        shutil.rmtree(data)
    t = time.perf_counter()
    # generate in a child process, so that the peak memory measured below is the check's own
    subprocess.run([sys.executable, __file__, "--generate-only", str(data), "--permits", str(args.permits),
                    "--seed", str(args.seed)], check=True)
    gen_s = time.perf_counter() - t
    truth = Truth.load(data / "truth.json")
    print(f"generated {sum(truth.counts.values()):,} rows in {gen_s:.1f} s (not part of the check's time): "
          f"{', '.join(f'{k} {v:,}' for k, v in truth.counts.items())}")

    t = time.perf_counter()
    result = run_check(data, None, truth.as_of, out)
    wall = time.perf_counter() - t
    peak = _peak_mb()
    rows = result.rows
    print(f"check: {wall:.1f} s wall, peak RSS {peak:.0f} MB, {rows:,} rows, {rows / wall:,.0f} rows/s")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()))

    got: dict[str, set[str]] = {}
    for h in result.hits:
        got.setdefault(h.rule, set()).add(h.records[0].split(":", 1)[1])
    ok = wall < TARGET_SECONDS and peak < TARGET_MB
    print(f"{'rule':<5}{'truth':>8}{'hits':>8}{'precision':>11}{'recall':>8}")
    for rule in sorted(truth.hits):
        exp, hit = truth.hits[rule], got.get(rule, set())
        tp = len(exp & hit)
        precision = tp / len(hit) if hit else (1.0 if not exp else 0.0)
        recall = tp / len(exp) if exp else 1.0
        ok = ok and precision >= TARGET_SCORE and recall >= TARGET_SCORE
        print(f"{rule:<5}{len(exp):>8}{len(hit):>8}{precision:>11.3f}{recall:>8.3f}")
    print(f"targets (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB, precision and recall ≥ {TARGET_SCORE}): "
          f"{'met' if ok else 'NOT met'}")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
