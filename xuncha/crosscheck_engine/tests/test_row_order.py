"""Resolution puts its narrow working tables beside the imported tables by position (POSITIONAL JOIN): the
result must not depend on the imported tables' physical row order."""

from __future__ import annotations

from xuncha.crosscheck_engine.generator import generate
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH


def test_resolution_does_not_depend_on_the_imported_tables_being_in_row_id_order(tmp_path, monkeypatch):
    """Resolution puts its narrow tables beside the imported ones by position: an imported table whose rows
    are not in the order of ``_rid`` is sorted first, and every row keeps its own company and project."""
    import duckdb

    from xuncha.crosscheck_engine import runner
    from xuncha.crosscheck_engine.resolve import COMPANY_COLS, PROJECT_COLS

    data = tmp_path / "data"
    generate(data, permits=300, seed=4, excel=False)
    real = runner._number_rows

    def reversed_rows(con, code):
        real(con, code)
        con.execute(f"CREATE OR REPLACE TABLE {code} AS SELECT * FROM {code} ORDER BY _rid DESC")

    runs = []
    for label in ("sorted", "reversed"):
        if label == "reversed":
            monkeypatch.setattr(runner, "_number_rows", reversed_rows)
        result = runner.run_check(data, DEFAULT_POLICY_PATH, None, None, database=tmp_path / f"{label}.duckdb")
        con = duckdb.connect(str(result.database), read_only=True)
        runs.append({t: con.execute(f"SELECT _rid, {COMPANY_COLS[t][0]}, company_id, company_match, company_group"
                                    + (", project_id, project_match" if t in PROJECT_COLS else "")
                                    + f" FROM {t} ORDER BY _rid").fetchall() for t in COMPANY_COLS})
        con.close()
    assert runs[0]["permits"] and runs[1] == runs[0]


def test_resolution_runs_on_one_duckdb_thread_and_gives_the_setting_back(tmp_path, monkeypatch):
    """The resolution's small queries run on one DuckDB thread (a second one cost more CPU than it saved);
    the rules that follow get the connection's own setting back."""
    from xuncha.crosscheck_engine import resolve as resolve_module
    from xuncha.crosscheck_engine import runner

    data = tmp_path / "data"
    generate(data, permits=100, seed=4, excel=False)
    seen = {}
    stage, outer = resolve_module._resolve_stage, resolve_module.resolve

    def watched_stage(con, *args):
        seen["inside"] = con.execute("SELECT current_setting('threads')").fetchone()[0]
        return stage(con, *args)

    def watched(con, *args):
        con.execute("SET threads = 3")
        out = outer(con, *args)
        seen["after"] = con.execute("SELECT current_setting('threads')").fetchone()[0]
        return out

    monkeypatch.setattr(resolve_module, "_resolve_stage", watched_stage)
    monkeypatch.setattr(runner, "resolve", watched)
    runner.run_check(data, DEFAULT_POLICY_PATH, None, None)
    assert seen == {"inside": 1, "after": 3}


def test_resolution_runs_without_garbage_collection_and_gives_it_back(tmp_path, monkeypatch):
    """No collection during the resolution (what it makes lives on and is frozen after it); the collector
    is on again after the run, as it was before."""
    import gc

    from xuncha.crosscheck_engine import runner

    data = tmp_path / "data"
    generate(data, permits=100, seed=4, excel=False)
    seen = []
    real = runner.resolve

    def watched(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(runner, "resolve", watched)
    assert gc.isenabled()
    runner.run_check(data, DEFAULT_POLICY_PATH, None, None)
    assert seen == [False] and gc.isenabled()
