"""Entity resolution (同一单位、同一项目识别): the names other modules and the tests use.

The work is done by :mod:`names` (normalisation), :mod:`credit` (统一社会信用代码), :mod:`companies`
(company resolution), :mod:`projects` and :mod:`projects_db` (project resolution) and :mod:`resolve` (on
the imported tables).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
from rapidfuzz import fuzz

from . import projects_db
from .companies import decide_typos, long_ratio, resolve_names, similar_pairs
from .credit import valid_uscc, valid_uscc_reference
from .names import NO_PLACE, CompanyName, ProjectName, clean, company_name, project_name, write_project_parses

__all__ = ["CompanyName", "ProjectName", "company_basis", "company_name", "project_basis", "project_name",
           "resolve_companies", "resolve_projects", "similar_pairs", "valid_uscc", "valid_uscc_reference"]


def resolve_companies(mentions: Iterable[tuple[str, str | None]],
                      counts: Iterable[int] | None = None) -> dict[tuple[str, str | None], str]:
    """(name, credit code) → company id, at the level of names only: a name that fits several companies
    is left apart (the check decides such rows by their context, see :mod:`resolve`)."""
    mentions = list(mentions)
    weights = list(counts) if counts is not None else [1] * len(mentions)
    res = resolve_names([(n, c or "", k) for (n, c), k in zip(mentions, weights, strict=True)])
    cl = res.clusters
    for src, target, _why in decide_typos(res, {}):
        cl.union(target, src)
    roots = {m: cl.find(res.node_of[(m[0], m[1] or "")]) for m in mentions}
    ids = {r: f"C{i}" for i, r in enumerate(sorted(set(roots.values())), 1)}
    return {m: ids[r] for m, r in roots.items()}


def resolve_projects(mentions: Iterable[tuple[str, str | None]],
                     links: Iterable[tuple[tuple[str, str | None], tuple[str, str | None]]] = (),
                     scope: frozenset[str] = NO_PLACE) -> dict[tuple[str, str | None], str]:
    """(项目名称, builder id or None) → project id (P1, P2 …), computed as the check does
    (:func:`projects_db.project_ids`, in an in-memory DuckDB) on these mentions and 施工许可证号 links."""
    mentions = list(dict.fromkeys(mentions))
    links = list(links)
    con = duckdb.connect()
    try:
        with tempfile.TemporaryDirectory() as d:
            path = str(Path(d) / "names.csv")
            write_project_parses(sorted({n for n, _c in mentions}), path)
            projects_db.load_names(con, [path], scope)
        con.execute("CREATE TEMP TABLE m AS SELECT unnest($1::VARCHAR[]) AS name, unnest($2::VARCHAR[]) AS cid",
                    [[n for n, _c in mentions], [c for _n, c in mentions]])
        con.execute("CREATE TEMP TABLE l AS SELECT unnest($1::VARCHAR[]) AS a, unnest($2::VARCHAR[]) AS ac, "
                    "unnest($3::VARCHAR[]) AS b, unnest($4::VARCHAR[]) AS bc",
                    [[a[0] for a, _b in links], [a[1] for a, _b in links],
                     [b[0] for _a, b in links], [b[1] for _a, b in links]])
        projects_db.project_ids(con, "SELECT name, cid FROM m", "SELECT a, ac, b, bc FROM l")
        pid = {(n, c): p for n, c, p in con.execute("SELECT name, cid, pid FROM pj_map").fetchall()}
    finally:
        con.close()
    return {(n, c): pid[(n, c or "")] for n, c in mentions}


def company_basis(name_a: str, code_a: str | None, name_b: str, code_b: str | None) -> str:
    """Why two mentions were taken for the same company (shown in the evidence)."""
    if valid_uscc(code_a) and code_a == code_b:
        return f"统一社会信用代码一致（{code_a}）"
    ca, cb = company_name(name_a), company_name(name_b)
    if ca.norm == cb.norm:
        return "名称规范化后一致"
    if ca.core == cb.core:
        return "名称规范化后一致（地名前缀省略）"
    if valid_uscc(code_a) or valid_uscc(code_b):
        return f"经同名单位的统一社会信用代码关联；名称相似度 {fuzz.ratio(ca.norm, cb.norm):.0f}"
    return f"名称模糊匹配（rapidfuzz 相似度 {max(fuzz.ratio(ca.core, cb.core), long_ratio(ca.core, cb.core)):.0f}）"


def project_basis(name_a: str, name_b: str, permit_link: bool = False) -> str:
    """Why two project mentions were taken for the same project."""
    if permit_link:
        return "施工许可证号一致"
    pa, pb = project_name(name_a), project_name(name_b)
    if clean(name_a) == clean(name_b):
        return "项目名称一致"
    if pa.core == pb.core and pa.phase == pb.phase:
        return "项目名称规范化后一致"
    if pa.core == pb.core:
        return "项目名称一致，一方未写分期"
    score = max(fuzz.ratio(pa.core, pb.core), long_ratio(pa.core, pb.core))
    return f"项目名称模糊匹配（rapidfuzz 相似度 {score:.0f}）"
