"""Project resolution (同一项目识别).

Two mentions are one project when the builder company is the same (the resolved company of 建设单位 /
缴款人 / 承租人), the phase is the same, and the core is equal or one edit apart (rapidfuzz ≥ 85). A name
without phase joins the single phased project of that core; a mention without builder (竣工验收备案
without 建设单位) joins the single builder's project of that core and phase; the same 施工许可证号 joins
mentions directly. One builder's same-named projects of two counties stay apart. Every order is fixed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from . import divisions
from .companies import few_similar_pairs, find_root, long_ratio
from .names import NO_PLACE, ProjectName, project_names

PROJECT_FUZZY_MIN = 85.0


def _key(node):
    return tuple("" if v is None else v for v in node)


def _mention_key(mention: tuple[str, str | None]) -> tuple[str, str]:
    """``_key`` of a (name, builder) mention, without a generator (sorting 300,000 of them)."""
    name, builder = mention
    return ("" if name is None else name, "" if builder is None else builder)


def _node_key(node: tuple) -> tuple[str, str, str]:
    """``_key`` of a (builder, core, phase) node."""
    builder, core, phase = node
    return ("" if builder is None else builder, "" if core is None else core, "" if phase is None else phase)


def _sorted_nodes(nodes: Iterable[tuple]) -> list[tuple]:
    """Nodes sorted by ``_node_key``: by one string per node when no part holds a NUL (the same order,
    as NUL sorts before every other character, and several times faster than comparing tuples)."""
    nodes = list(nodes)
    keys = [f"{'' if b is None else b}\0{c}\0{p}" for b, c, p in nodes]
    if any(k.count("\0") != 2 for k in keys):
        return sorted(nodes, key=_node_key)
    return [n for _k, n in sorted(zip(keys, nodes, strict=True), key=lambda kn: kn[0])]


def resolve_projects(mentions: Iterable[tuple[str, str | None]],
                     links: Iterable[tuple[tuple[str, str | None], tuple[str, str | None]]] = (),
                     scope: frozenset[str] = NO_PLACE) -> dict[tuple[str, str | None], tuple]:
    """Map each (项目名称, builder company id or None) mention to its project's root node (sortable)."""
    order, _parsed, nodes, root_of = _resolve(mentions, links, scope)
    return {mention: nodes[r] for mention, r in zip(order, root_of, strict=True)}


def _union(parent: list[int], a: int, b: int) -> None:
    """The smaller node (in ``_node_key`` order, which is the nodes' numbering) stays root."""
    ra, rb = find_root(parent, a), find_root(parent, b)
    if ra != rb:
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra


def _resolve(mentions, links, scope):
    """The mentions in ``_mention_key`` order, their parses, the nodes (builder, core, phase) sorted by
    ``_node_key``, and the number of each mention's root node. Nodes are numbers in a union-find
    (a list) in their sorted order: the smaller number is the smaller ``_node_key``, which stays root."""
    order = sorted(dict.fromkeys(mentions), key=_mention_key)  # mostly sorted already: fast
    parsed: dict[tuple[str, str | None], ProjectName] = dict(zip(order, project_names([m[0] for m in order], scope),
                                                                 strict=True))
    mention_node = [(builder, pn.core, pn.phase) for (_name, builder), pn in parsed.items()]
    # one builder's same-named projects in two counties (礼县… and 西和县…) stay apart: their cores get
    # the place as a tag, and a mention without place there is ambiguous and stays alone
    first_div: dict[tuple, frozenset] = {}
    places: dict[tuple, set[frozenset]] = {}  # only the nodes whose mentions name two places or more
    for node, pn in zip(mention_node, parsed.values(), strict=True):
        div = first_div.setdefault(node, pn.div)
        if div != pn.div:
            places.setdefault(node, {div}).add(pn.div)
    conflicts = {key for key, divs in places.items() if not all(
        divisions.compatible(a, b) for a in divs for b in divs)}
    if conflicts:
        for i, ((builder, core, phase), pn) in enumerate(zip(mention_node, parsed.values(), strict=True)):
            if (builder, core, phase) in conflicts:
                mention_node[i] = (builder, f"{core}@{','.join(sorted(pn.div)) or '?'}", phase)
    nodes = _sorted_nodes(set(mention_node))
    index = {node: i for i, node in enumerate(nodes)}
    node_of = dict(zip(order, mention_node, strict=True))
    pairs = []
    for a, b in links:
        na, nb = node_of.get(a), node_of.get(b)
        if na is not None and nb is not None:
            pairs.append((index[na], index[nb]))
    parent = join_nodes(nodes, pairs)
    return order, parsed, nodes, [find_root(parent, index[node]) for node in mention_node]


def join_nodes(nodes: list[tuple], pairs: Iterable[tuple[int, int]] = ()) -> list[int]:
    """The union-find (a list of parents, see :func:`companies.find_root`) of the project nodes (builder
    or None, core, phase), given sorted by ``_node_key`` and numbered in that order: typos and names
    without phase within one builder, mentions without builder, then ``pairs`` of node numbers whose
    mentions are linked by 施工许可证号. Each root is the smallest number of its set."""
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


def number_projects(roots: dict[tuple[str, str | None], tuple]) -> dict[tuple[str, str | None], str]:
    """Project ids P1, P2 … in the order of the roots (stable for the same input)."""
    ids = {root: f"P{i}" for i, root in enumerate(_sorted_nodes(set(roots.values())), 1)}
    return {m: ids[r] for m, r in roots.items()}
