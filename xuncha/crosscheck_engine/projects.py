"""Project resolution (同一项目识别): the rules, applied by :mod:`projects_db` (the check's) with
:func:`join_nodes`.

Two mentions are one project when the builder company is the same (the resolved company of 建设单位 /
缴款人 / 承租人), the phase is the same, and the core is equal or one edit apart (rapidfuzz ≥ 85). A name
without phase joins the single phased project of that core; a mention without builder (竣工验收备案
without 建设单位) joins the single builder's project of that core and phase; the same 施工许可证号 joins
mentions directly. One builder's same-named projects of two counties stay apart (their cores are tagged
with the place by :func:`projects_db.project_ids`). Every order is fixed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from .companies import few_similar_pairs, find_root, long_ratio

PROJECT_FUZZY_MIN = 85.0


def _union(parent: list[int], a: int, b: int) -> None:
    """The smaller node (the nodes are numbered in their sorted order) stays root."""
    ra, rb = find_root(parent, a), find_root(parent, b)
    if ra != rb:
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra


def join_nodes(nodes: list[tuple], pairs: Iterable[tuple[int, int]] = ()) -> list[int]:
    """The union-find (a list of parents, see :func:`companies.find_root`) of the project nodes (builder
    or None, core, phase), given sorted by (builder or '', core, phase) and numbered in that order (as
    :func:`projects_db.project_ids` numbers them): typos and names without phase within one builder,
    mentions without builder, then ``pairs`` of node numbers whose mentions are linked by 施工许可证号.
    Each root is the smallest number of its set."""
    index = {node: i for i, node in enumerate(nodes)}
    parent = list(range(len(nodes)))
    by_builder: dict[str | None, dict[str, set[str]]] = defaultdict(dict)
    for builder, core, phase in nodes:
        by_builder[builder].setdefault(core, set()).add(phase)
    for builder in sorted(by_builder, key=lambda b: b or ""):
        if builder is None:
            continue
        cores = by_builder[builder]
        if len(cores) > 1:  # typos within one builder and phase
            for a, b in few_similar_pairs([c for c in cores if "@" not in c]):
                common = cores[a] & cores[b]
                if common and (fuzz.ratio(a, b) >= PROJECT_FUZZY_MIN or long_ratio(a, b) >= PROJECT_FUZZY_MIN):
                    for phase in sorted(common):
                        _union(parent, index[(builder, a, phase)], index[(builder, b, phase)])
        # a name without phase joins the single phased project
        bare = [c for c, phases in cores.items() if "" in phases and len(phases) > 1]
        for core in sorted(bare) if len(bare) > 1 else bare:
            phased = {find_root(parent, index[(builder, core, p)]) for p in cores[core] if p}
            if len(phased) == 1:
                _union(parent, next(iter(phased)), index[(builder, core, "")])
    loose = by_builder.get(None)
    if loose:  # a mention without builder joins the single builder's project of that core and phase
        by_core_phase: dict[tuple[str, str], set] = defaultdict(set)
        for builder, cores in by_builder.items():
            if builder is not None:
                for core, phases in cores.items():
                    if core in loose:
                        for p in phases:
                            by_core_phase[(core, p)].add(find_root(parent, index[(builder, core, p)]))
        for core in sorted(loose):
            for p in sorted(loose[core]):
                cands = by_core_phase.get((core, p), set())
                if len(cands) == 1:
                    _union(parent, next(iter(cands)), index[(None, core, p)])
    # the smaller root stays root whatever the order of the unions: the pairs' order does not matter
    for a, b in pairs:
        _union(parent, a, b)
    return parent
