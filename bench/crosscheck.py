"""Benchmark of the data cross-check (数据比对基准测试) — a script, not a test.

Generates a prefecture's data with known answers and every kind of messiness the generator knows
switched on (look-alike companies: twins of two counties written without county, 字号 one character
apart; county forms; kind words and phases; invisible characters; title rows, units rows, header line
breaks, several sheets, GBK …): by default 100,000 permits and the other tables in proportion, about a
million rows. Runs the whole check in a child process (import, resolution, rules, evidence, both output
files, as `xuncha check` does; a second run, not timed, writes the run's database for the company
metrics) and prints each stage, the wall time, the peak memory of the checking process, rows per
second, the companies merged and split against the truth, the names left unresolved and precision/recall
per rule.

    .venv/bin/python bench/crosscheck.py [--permits 100000] [--seed 7] [--keep DIR] [--scaling]

``--scaling`` also runs 20,000 permits and prints how the cost grew against rows × log rows. The
generation time is reported separately and is not part of the check's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xuncha.crosscheck_engine.generator import Truth, generate  # noqa: E402
from xuncha.crosscheck_engine.runner import cpu_seconds  # noqa: E402

TARGET_SECONDS = 15.0
TARGET_MB = 1536.0
TARGET_SCORE = 0.98
# mid-sized tables as .xlsx (several sheets, notes sheets); the big ones as CSV, as departments export them
EXCEL = ("completions", "acceptances", "fee_ledger", "rentals", "contracts")


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux: KiB


def _child_check(data: Path, out: Path, db: Path) -> dict:
    """The check itself, in this (child) process: its peak memory is the check's own."""
    import duckdb

    from xuncha.crosscheck_engine.generator.scoring import engine_companies, pairwise, truth_rows
    from xuncha.crosscheck_engine.runner import run_check

    # only the date before the check: the truth of every row (truth_entities.json, about 320 MB of Python
    # objects at 100,000 permits) is loaded after it, so that the peak memory measured is the check's own
    as_of = dt.date.fromisoformat(json.loads((data / "truth.json").read_text(encoding="utf-8"))["as_of"])
    t = time.perf_counter()
    cpu = cpu_seconds()
    result = run_check(data, None, as_of, out)   # what `xuncha check` does: both output files, no database
    wall, cpu = time.perf_counter() - t, cpu_seconds() - cpu
    peak, worker_peak = _peak_mb(), _peak_mb(resource.RUSAGE_CHILDREN)
    # the companies of every row, for the merges and splits against the truth, come from the run's database:
    # a second run, not timed, writes it (the same input gives the same output; checked here on both files)
    again = out.with_name(out.name + "_with_database")
    run_check(data, None, as_of, again, database=db)
    for name in ("findings.jsonl", "疑点清单.xlsx"):
        if (out / name).read_bytes() != (again / name).read_bytes():
            raise SystemExit(f"the run with the database wrote another {name}")
    truth = Truth.load(data / "truth.json")
    con = duckdb.connect(str(db), read_only=True)
    true_rows = truth_rows(truth.companies)
    predicted = engine_companies(con)
    score = pairwise(predicted, true_rows)
    silent = [_says_nothing_else(con, true_rows, predicted, ids) for ids in score.examples]
    con.close()
    got: dict[str, list[str]] = {}
    for h in result.hits:
        got.setdefault(h.rule, []).append(h.records[0].split(":", 1)[1])
    return {"wall": wall, "cpu": cpu, "peak": peak, "worker_peak": worker_peak, "rows": result.rows, "timings": result.timings,
            "cpu_timings": result.cpu_timings,
            "hits": got, "score": score.__dict__, "silent": silent, "unresolved": len(result.unresolved),
            "unresolved_names": len({u["name"] for u in result.unresolved}), "skipped": len(result.skipped)}


def _says_nothing_else(con, true_rows: dict, predicted: dict, ids: list[str]) -> list[str]:
    """Of the true companies ``ids`` that the check put in one company, those whose every row in it says
    nothing but a name that another of them is also written with: no county in the name, no valid credit
    code, no place in the row's other texts, no 施工许可证号 or 审批文号 that links it to another row. Nothing
    in the data tells such rows from the other company: the merge cannot be avoided by any reading of it."""
    from collections import Counter

    from xuncha.crosscheck_engine.credit import valid_uscc
    from xuncha.crosscheck_engine.names import company_name, place_of
    from xuncha.crosscheck_engine.resolve import COMPANY_COLS, LINKS, PLACE_COLS
    from xuncha.crosscheck_engine.tables import TABLES

    # the check's company that holds rows of two or more of them
    held = Counter(c for c, _t in {(predicted.get(k), t) for k, t in true_rows.items() if t in ids})
    merged = next((c for c, n in held.most_common() if n > 1 and c is not None), None)
    rows: dict[str, list[tuple[str, str]]] = {}
    for (table, key), true_id in true_rows.items():
        if true_id in ids and predicted.get((table, key)) == merged:
            rows.setdefault(true_id, []).append((table, key))
    cores: dict[str, set[str]] = {}
    quiet: dict[str, bool] = {}
    for true_id, keys in rows.items():
        cores[true_id], quiet[true_id] = set(), True
        for table, key in keys:
            name_col, code_col = COMPANY_COLS[table]
            texts = [c for c, _w in PLACE_COLS[table]]
            links = [(col, other, ocol) for t, col, other, ocol, _w in LINKS if t == table]
            cols = [name_col, code_col or "NULL", *texts]
            where = f"WHERE {TABLES[table].key.field} = ?"
            rec = con.execute(f"SELECT {', '.join(cols)} FROM {table} {where}", [key]).fetchone()
            if rec is None or rec[0] is None:
                continue
            name = company_name(rec[0])
            cores[true_id].add(name.core)
            # a number that links the row to a row of another table (an 审批文号 no 收费台账 row names links nothing)
            linked = any(con.execute(f"SELECT count(*) FROM {other} WHERE {ocol} = (SELECT {col} FROM {table} {where})",
                                     [key]).fetchone()[0] for col, other, ocol in links)
            if name.div or valid_uscc(rec[1]) or any(place_of(t) for t in rec[2:] if t) or linked:
                quiet[true_id] = False
    return sorted(t for t in rows if quiet[t] and any(cores[t] & cores[o] for o in rows if o != t))


def _run(permits: int, seed: int, base: Path) -> tuple[Truth, dict, float]:
    data, out, db = base / "data", base / "out", base / "run.duckdb"
    if data.exists():
        shutil.rmtree(data)
    t = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--generate-only", str(data), "--permits", str(permits),
                    "--seed", str(seed)], check=True)
    gen_s = time.perf_counter() - t
    truth = Truth.load(data / "truth.json")
    proc = subprocess.run([sys.executable, __file__, "--check-only", str(data), str(out), str(db)],
                          check=True, capture_output=True, text=True)
    return truth, json.loads(proc.stdout.strip().splitlines()[-1]), gen_s


def _report(truth: Truth, r: dict, gen_s: float) -> bool:
    print(f"generated {sum(truth.counts.values()):,} rows in {gen_s:.1f} s (not part of the check's time): "
          f"{', '.join(f'{k} {v:,}' for k, v in truth.counts.items())}")
    print(f"check: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU (all threads of the process and its name-parsing "
          f"workers), peak RSS {r['peak']:.0f} MB (largest worker process {r['worker_peak']:.0f} MB, mostly pages "
          f"shared with the checking process by fork), {r['rows']:,} rows, {r['rows'] / r['wall']:,.0f} rows/s")
    print("stages, wall: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["timings"].items()))
    print("stages, CPU of the process (all threads) and its workers: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in r["cpu_timings"].items()))
    s = r["score"]
    print(f"companies (pairwise over {s['rows']:,} rows against the truth): precision {s['precision']:.4f}, "
          f"recall {s['recall']:.4f}, F1 {s['f1']:.4f}; merges (clusters holding two or more true companies) "
          f"{s['merges']}, true companies split {s['splits']}")
    if s["examples"]:
        print(f"  merged, e.g.: {s['examples']}")
        for ids, silent in zip(s["examples"], r["silent"], strict=True):
            if silent:
                print(f"  {ids}: every row of {', '.join(silent)} joined there says nothing but a name the other is "
                      "also written with (no county, code, place or linking number): no reading of the data tells them apart")
    print(f"unresolved names (left apart, counted in the output): {r['unresolved_names']:,} names, "
          f"{r['unresolved']:,} rows; sheets not read (named in the output): {r['skipped']}")
    # a merge counts against the target unless one of its companies says nothing but the other's name
    avoidable = s["merges"] - sum(1 for silent in r["silent"] if silent)
    print(f"merges the data could have told apart: {avoidable} (of {s['merges']})")
    ok = r["wall"] < TARGET_SECONDS and r["peak"] < TARGET_MB and avoidable == 0
    print(f"{'rule':<5}{'truth':>8}{'hits':>8}{'precision':>11}{'recall':>8}")
    for rule in sorted(truth.hits):
        exp, hit = truth.hits[rule], set(r["hits"].get(rule, []))
        tp = len(exp & hit)
        precision = tp / len(hit) if hit else (1.0 if not exp else 0.0)
        recall = tp / len(exp) if exp else 1.0
        ok = ok and precision >= TARGET_SCORE and recall >= TARGET_SCORE
        print(f"{rule:<5}{len(exp):>8}{len(hit):>8}{precision:>11.3f}{recall:>8.3f}")
    print(f"targets (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB, no merge the data could tell apart, precision and recall ≥ "
          f"{TARGET_SCORE}): {'met' if ok else 'NOT met'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--permits", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated data and output here")
    ap.add_argument("--scaling", action="store_true", help="also run 20,000 permits and compare the growth")
    ap.add_argument("--generate-only", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--check-only", nargs=3, type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generate_only:
        generate(args.generate_only, permits=args.permits, seed=args.seed, excel=EXCEL)
        return 0
    if args.check_only:
        print(json.dumps(_child_check(*args.check_only), ensure_ascii=False, default=str))
        return 0
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)")
    base = args.keep or Path(tempfile.mkdtemp(prefix="xuncha_bench_"))
    truth, r, gen_s = _run(args.permits, args.seed, base)
    ok = _report(truth, r, gen_s)
    if args.scaling:
        small = base / "small"
        small.mkdir(exist_ok=True)
        n0 = max(1, args.permits // 5)
        t0, r0, _g = _run(n0, args.seed, small)
        rows0, rows1 = r0["rows"], r["rows"]
        bound = rows1 * math.log(rows1) / (rows0 * math.log(rows0))
        grew = r["cpu"] / r0["cpu"]  # CPU time: the wall time follows the load of the shared machine
        print(f"scaling: {n0:,} permits ({rows0:,} rows) {r0['cpu']:.1f} s CPU ({r0['wall']:.1f} s wall) → "
              f"{args.permits:,} permits ({rows1:,} rows) {r['cpu']:.1f} s CPU ({r['wall']:.1f} s wall): "
              f"×{grew:.2f} CPU (rows × log rows allows ×{bound:.2f}); resolution "
              f"×{r['cpu_timings']['resolve'] / r0['cpu_timings']['resolve']:.2f} CPU")
        ok = ok and grew <= bound
        shutil.rmtree(small, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
