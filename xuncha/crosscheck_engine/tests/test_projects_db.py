"""Project resolution in DuckDB (projects_db, the check's and the only one): the ids of a set of mentions
that meets every rule (the groups and their numbering written out), and why in each case."""

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


# the projects of MENTIONS and LINKS, in the order of their ids P1, P2 …: the smallest node (builder or '',
# core, phase) of each project first; the county tags (core@code) sort by code, the tag of no place ('?') last
PROJECTS = [
    [("西山广场", None), ("西山广场", "C3")],  # without builder: joins the single builder's project
    [("东湖家园", "C1"), ("东湖家圆", "C1")],  # one edit apart
    [("锦绣花园一期", "C1"), ("锦绣花园（一期）项目", "C1"), ("锦 绣 花 园 一期", "C1")],
    [("锦绣花园二期", "C1")],  # another phase
    [("阳光小区", "C1"), ("阳光小区一期", "C1")],  # without phase: joins the single phased project
    [("锦绣花园一期", "C2")],  # another builder
    [("锦绣花园", "C4")],  # without phase, two phased projects: not guessed
    [("锦绣花园一期", "C4")],
    [("锦绣花园二期", "C4")],
    [("一号楼", "C5"), ("锦绣花园", "C5")],  # the same 施工许可证号
    [("西和县锦绣花园", "C6")],  # one builder's same-named projects of two counties stay apart,
    [("礼县锦绣花园", "C6"), ("礼县锦绣花园项目", "C6")],
    [("锦绣花园", "C6")],  # and the name without place there is ambiguous
    [("阳光小区", "C6"), ("礼县阳光小区", "C6")],  # one county only: no conflict
]


def test_project_ids_and_why(tmp_path):
    got = _run(tmp_path)
    assert {m: pid for m, (pid, _why) in got.items()} == {
        m: f"P{i}" for i, project in enumerate(PROJECTS, 1) for m in project}
    assert resolve_projects(MENTIONS, LINKS) == {m: pid for m, (pid, _why) in got.items()}  # the tests' path
    assert got[("锦绣花园一期", "C1")][1] == "项目名称一致"
    assert got[("锦 绣 花 园 一期", "C1")][1] == "项目名称一致"  # the same name once cleaned
    assert got[("锦绣花园（一期）项目", "C1")][1] == "项目名称规范化后一致（「锦 绣 花 园 一期」）"
    assert got[("阳光小区一期", "C1")][1] == "项目名称一致，一方未写分期（「阳光小区」）"
    assert got[("东湖家圆", "C1")][1] == "项目名称模糊匹配（「东湖家园」，rapidfuzz 相似度 88）"
    assert got[("阳光小区", "C6")][1] == "项目名称规范化后一致（「礼县阳光小区」）"
    assert got[("锦绣花园", "C5")][1] == "施工许可证号一致（「一号楼」）"
    assert got[("西山广场", None)][1] == "项目名称一致；未写建设单位，按项目名称归入唯一的同名项目"
