"""The same input gives the same output, byte for byte (contract 1.1): whatever the hash seed of the
process and whatever order the files were written and listed in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from xuncha.crosscheck_engine.generator import generate
from xuncha.crosscheck_engine.output import FINDINGS, WORKBOOK
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH


def _check(data, out, seed: int) -> None:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    subprocess.run([sys.executable, "-m", "xuncha.crosscheck_engine.cli", str(data), "--policy",
                    str(DEFAULT_POLICY_PATH), "--as-of", "2025-06-30", "--out", str(out)],
                   check=True, env=env, capture_output=True)


def test_output_is_byte_identical_across_hash_seeds_and_file_order(tmp_path):
    data = tmp_path / "data"
    generate(data, permits=300, seed=21, excel=False)
    again = tmp_path / "again"  # the same files, written in the opposite order
    again.mkdir()
    for path in sorted(data.iterdir(), reverse=True):
        shutil.copyfile(path, again / path.name)
    outs = []
    for i, (folder, seed) in enumerate([(data, 0), (again, 1), (data, 12345)]):
        out = tmp_path / f"out{i}"
        _check(folder, out, seed)
        outs.append(out)
    first = (outs[0] / FINDINGS).read_bytes()
    assert first.count(b"\n") > 50
    for out in outs[1:]:
        assert (out / FINDINGS).read_bytes() == first
        assert (out / WORKBOOK).read_bytes() == (outs[0] / WORKBOOK).read_bytes()


def test_names_parsed_by_worker_processes_give_the_same_output(tmp_path, monkeypatch):
    """Above ``names.PARALLEL_MIN`` distinct names the parse runs in worker processes: the database
    (every row's company and project and why) and both output files are those of a run parsed here."""
    import duckdb

    from xuncha.crosscheck_engine import names
    from xuncha.crosscheck_engine.runner import run_check

    data = tmp_path / "data"
    generate(data, permits=400, seed=8, excel=False)
    runs = {}
    for label, minimum in (("here", 10**9), ("workers", 0)):
        monkeypatch.setattr(names, "PARALLEL_MIN", minimum)
        names._company_name.cache_clear()
        names._project_name.cache_clear()
        started = []
        real = names.ParsePool.__init__

        def spy(self, *args, _real=real, _started=started):
            _real(self, *args)
            _started.append(self.pool is not None)

        monkeypatch.setattr(names.ParsePool, "__init__", spy)
        out = tmp_path / label
        result = run_check(data, DEFAULT_POLICY_PATH, None, out, database=tmp_path / f"{label}.duckdb")
        assert started == [label == "workers"]
        con = duckdb.connect(str(result.database), read_only=True)
        rows = {t: con.execute(f"SELECT _rid, company_id, company_match, company_group FROM {t} ORDER BY _rid")
                .fetchall() for t in ("permits", "approvals", "fee_receipts", "payments")}
        rows["projects"] = con.execute("SELECT project_id, project_match FROM approvals ORDER BY _rid").fetchall()
        con.close()
        runs[label] = (rows, (out / FINDINGS).read_bytes(), (out / WORKBOOK).read_bytes())
    assert runs["here"][1].count(b"\n") > 50
    assert runs["workers"] == runs["here"]


def test_every_rule_breaks_ties_of_file_and_row_by_import_order():
    """Sheets of one workbook share row numbers (a 收费台账 with a sheet per year), so file and row do not
    order hits: left there, DuckDB's parallel sort ordered such ties differently from run to run (at 20,000
    generated permits, 2 different findings.jsonl in 4 runs). Every rule's hits, and R13's vouchers within a
    hit, are ordered by import position (``_rid``) last."""
    import re

    from xuncha.crosscheck_engine.rules import RULES

    for rule in RULES:
        final_order = re.findall(r"ORDER BY ([^\n]*)\n\s*$", rule.sql)
        assert final_order, rule.code
        assert re.fullmatch(r"(\w+\.)?_file, (\w+\.)?_row, ((\w+\.)?_rid|min\(_rid\))", final_order[0].strip()), \
            (rule.code, final_order[0])
        for window in re.findall(r"ORDER BY pay_date, _file, _row[^)]*\)", rule.sql):
            assert window.endswith(", _rid)"), (rule.code, window)


def test_a_workbook_written_later_is_the_one_written_with_the_run(tmp_path):
    """``workbook=False`` leaves ``result.json`` instead of the workbook; ``workbook_later`` makes the very
    bytes the run would have written (a caller such as the platform exports it only when asked)."""
    from xuncha.crosscheck_engine import output
    from xuncha.crosscheck_engine.runner import run_check

    data = tmp_path / "data"
    generate(data, permits=300, seed=5, excel=("fee_ledger",))
    now, later = tmp_path / "now", tmp_path / "later"
    run_check(data, DEFAULT_POLICY_PATH, None, now)
    result = run_check(data, DEFAULT_POLICY_PATH, None, later, workbook=False)
    assert result.unresolved and result.hits
    assert sorted(p.name for p in later.iterdir()) == sorted([FINDINGS, output.RESULT])
    assert sorted(p.name for p in now.iterdir()) == sorted([FINDINGS, WORKBOOK])
    assert (later / FINDINGS).read_bytes() == (now / FINDINGS).read_bytes()
    assert output.workbook_later(later) == later / WORKBOOK
    assert (later / WORKBOOK).read_bytes() == (now / WORKBOOK).read_bytes()
    # a run with its workbook over the same folder leaves no result.json of the earlier one
    run_check(data, DEFAULT_POLICY_PATH, None, later)
    assert output.RESULT not in {p.name for p in later.iterdir()}


def test_a_workbook_is_not_made_later_from_files_that_do_not_agree(tmp_path):
    import pytest

    from xuncha.crosscheck_engine import output
    from xuncha.crosscheck_engine.runner import run_check

    data = tmp_path / "data"
    generate(data, permits=200, seed=6, excel=False)
    out = tmp_path / "out"
    run_check(data, DEFAULT_POLICY_PATH, None, out, workbook=False)
    lines = (out / FINDINGS).read_bytes().splitlines(keepends=True)
    (out / FINDINGS).write_bytes(b"".join(lines[:-1]))
    with pytest.raises(ValueError, match="疑点"):
        output.workbook_later(out)
    assert not (out / WORKBOOK).exists() and not list(out.glob(".*.tmp"))
    (out / output.RESULT).unlink()
    with pytest.raises(FileNotFoundError):
        output.workbook_later(out)


def test_a_workbook_written_by_a_forked_child_is_the_one_written_here(tmp_path, monkeypatch):
    """From ``FORK_MIN_HITS`` hits on, a forked child writes the workbook while the run writes
    ``findings.jsonl``: the same bytes; a child that fails leaves the workbook to the run itself."""
    from xuncha.crosscheck_engine import output
    from xuncha.crosscheck_engine.runner import run_check

    data = tmp_path / "data"
    generate(data, permits=300, seed=5, excel=("fee_ledger",))
    here, forked, failed = tmp_path / "here", tmp_path / "forked", tmp_path / "failed"
    monkeypatch.setattr(output, "FORK_MIN_HITS", 10 ** 9)
    run_check(data, DEFAULT_POLICY_PATH, None, here)
    monkeypatch.setattr(output, "FORK_MIN_HITS", 0)
    forks = []
    real_fork = os.fork

    def fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    run_check(data, DEFAULT_POLICY_PATH, None, forked)
    assert forks
    parent, real_write = os.getpid(), output.write_workbook

    def write_here_only(result, path):
        if os.getpid() != parent:
            raise RuntimeError("a child that fails")
        real_write(result, path)

    monkeypatch.setattr(output, "write_workbook", write_here_only)
    run_check(data, DEFAULT_POLICY_PATH, None, failed)
    assert len(forks) == 2
    for out in (forked, failed):
        assert sorted(p.name for p in out.iterdir()) == sorted([FINDINGS, WORKBOOK])
        assert (out / FINDINGS).read_bytes() == (here / FINDINGS).read_bytes()
        assert (out / WORKBOOK).read_bytes() == (here / WORKBOOK).read_bytes()
