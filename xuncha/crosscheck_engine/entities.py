"""Entity resolution (同一单位、同一项目识别): the names other modules and the tests use.

The work is done by :mod:`names` (normalisation), :mod:`credit` (统一社会信用代码), :mod:`companies`
(company resolution), :mod:`projects` (project resolution) and :mod:`resolve` (on the imported tables).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from .companies import decide_typos, long_ratio, resolve_names, similar_pairs
from .credit import valid_uscc, valid_uscc_reference
from .names import CompanyName, ProjectName, clean, company_name, project_name
from .projects import number_projects
from .projects import resolve_projects as _resolve_projects

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
                     links: Iterable[tuple[tuple[str, str | None], tuple[str, str | None]]] = ()
                     ) -> dict[tuple[str, str | None], str]:
    """(项目名称, builder id or None) → project id."""
    return number_projects(_resolve_projects(mentions, links))


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
