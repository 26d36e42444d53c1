"""Project resolution in DuckDB (projects_db, the check's) gives the ids of projects.resolve_projects (the
Python functions the other tests read) on the same mentions, and says why in each case (the reasons
checked against the Python function the check used before, on these mentions)."""

from __future__ import annotations

import duckdb

from xuncha.crosscheck_engine import projects_db
from xuncha.crosscheck_engine.entities import resolve_projects
from xuncha.crosscheck_engine.names import write_project_parses

MENTIONS = [
    ("锦绣花园一期", "C1"), ("锦绣花园（一期）项目", "C1"), ("锦绣花园二期", "C1"), ("锦绣花园一期", "C2"),
    ("阳光小区", "C1"), ("阳光小区一期", "C1"), ("东湖家园", "C1"), ("东湖家圆", "C1"),
    ("西山广场", None), ("西山广场", "C3"), ("锦绣花园", "C4"), ("锦绣花园一期", "C4"), ("锦绣花园二期", "C4"),
    ("一号楼", "C5"), ("锦绣花园", "C5"), ("礼县锦绣花园", "C6"), ("西和县锦绣花园", "C6"), ("锦绣花园", "C6"),
    ("礼县锦绣花园项目", "C6"), ("阳光小区", "C6"), ("礼县阳光小区", "C6"), ("锦 绣 花 园 一期", "C1"),
]
LINKS = [(("一号楼", "C5"), ("锦绣花园", "C5"))]


def _run(tmp_path):
    con = duckdb.connect()
    write_project_parses(sorted({n for n, _c in MENTIONS}), str(tmp_path / "names.csv"))
    projects_db.load_names(con, [str(tmp_path / "names.csv")], frozenset())
    con.execute("CREATE TABLE m AS SELECT unnest($1::VARCHAR[]) AS name, unnest($2::VARCHAR[]) AS cid",
                [[n for n, _c in MENTIONS], [c for _n, c in MENTIONS]])
    con.execute("CREATE TABLE l AS SELECT unnest($1::VARCHAR[]) a, unnest($2::VARCHAR[]) ac, "
                "unnest($3::VARCHAR[]) b, unnest($4::VARCHAR[]) bc",
                [[a[0] for a, _b in LINKS], [a[1] for a, _b in LINKS], [b[0] for _a, b in LINKS],
                 [b[1] for _a, b in LINKS]])
    projects_db.project_ids(con, "SELECT name, cid FROM m", "SELECT * FROM l")
    return {(n, c or None): (pid, why) for n, c, pid, why in con.execute("SELECT * FROM pj_map").fetchall()}


def test_project_ids_in_duckdb_are_those_of_resolve_projects(tmp_path):
    got = _run(tmp_path)
    assert {m: pid for m, (pid, _why) in got.items()} == resolve_projects(MENTIONS, LINKS)
    assert got[("锦绣花园一期", "C1")][1] == "项目名称一致"
    assert got[("锦 绣 花 园 一期", "C1")][1] == "项目名称一致"  # the same name once cleaned
    assert got[("锦绣花园（一期）项目", "C1")][1] == "项目名称规范化后一致（「锦 绣 花 园 一期」）"
    assert got[("阳光小区一期", "C1")][1] == "项目名称一致，一方未写分期（「阳光小区」）"
    assert got[("东湖家圆", "C1")][1] == "项目名称模糊匹配（「东湖家园」，rapidfuzz 相似度 88）"
    assert got[("阳光小区", "C6")][1] == "项目名称规范化后一致（「礼县阳光小区」）"
    assert got[("锦绣花园", "C5")][1] == "施工许可证号一致（「一号楼」）"
    assert got[("西山广场", None)][1] == "项目名称一致；未写建设单位，按项目名称归入唯一的同名项目"
