"""Company resolution (同一单位识别) on the distinct names of the data.

``resolve_names(mentions, scope)`` takes every distinct (name, credit code) of the data with its number of
rows and decides, at the level of names, which are one company:

1. A valid 统一社会信用代码 (GB 32100-2015 check character) is decisive; an invalid one is ignored. A
   spelling that carries exactly one valid code is that company.
2. A name without county (``城投有限公司``, ``陇南市城投``) joins the single company of the same core whose
   county is compatible. When it fits companies of two counties (twins) it is *pending*: each of its rows
   is decided by its context (:func:`decide_row`), and left apart when the context does not decide.
3. Spellings one edit apart (deletion-neighbourhood blocking, rapidfuzz ≥ 85 by characters) are only
   *candidates*: a spelling joins another company when its own rows say so (the same project, a row linked
   by 施工许可证号 or 审批文号), never on the look of the name alone (:func:`decide_typos`).

Guards that no step can break: a company never holds two different valid codes nor two incompatible
places (礼县 and 西和县), so different companies are never merged, and no chain of look-alike names is
followed (a spelling joins a company it is itself one edit from). Every order is fixed, so the result
does not depend on hash seeds or on the order of the input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from . import divisions
from .credit import valid_uscc
from .names import NO_PLACE, company_names

COMPANY_FUZZY_MIN = 85.0  # rapidfuzz ratio of two normalised company names, by characters
FUZZY_MIN_CORE = 4  # shorter cores (people's names, 城投) are compared exactly only
MAX_BLOCK = 50  # a deletion key shared by more names than this is too common to block on

MATCH_CODE = "统一社会信用代码一致"
MATCH_NAME = "名称规范化后一致"
MATCH_PLACE = "名称一致，地名省略或写法不同"



def find_root(parent: list[int], x: int) -> int:
    """The root of ``x`` in a union-find kept as a list of parents, halving the path on the way."""
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root

class Clusters:
    """Union-find over int nodes that refuses to join two valid codes or two incompatible places."""

    def __init__(self):
        self.parent: list[int] = []
        self.code: list[str | None] = []
        self.place: list[frozenset[str]] = []
        self.rows: list[int] = []

    def add(self, code: str | None, place: frozenset[str], rows: int) -> int:
        self.parent.append(len(self.parent))
        self.code.append(code)
        self.place.append(place)
        self.rows.append(rows)
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        return find_root(self.parent, x)

    def can_join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ca, cb = self.code[ra], self.code[rb]
        if ca and cb and ca != cb:
            return False
        return divisions.merge(self.place[ra], self.place[rb]) is not None

    def union(self, a: int, b: int) -> bool:
        """Join the sets of a and b (the smaller index stays root, so the result is order-free)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.can_join(ra, rb):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.code[ra] = self.code[ra] or self.code[rb]
        self.place[ra] = divisions.merge(self.place[ra], self.place[rb])
        self.rows[ra] += self.rows[rb]
        return True


@dataclass
class Pending:
    """A name whose rows are decided one by one from their context."""

    kind: str  # "twin": fits companies of several counties; "typo": one edit from other companies
    candidates: tuple[int, ...]  # cluster nodes it may belong to


@dataclass
class NameResolution:
    clusters: Clusters
    node_of: dict[tuple[str, str], int]  # (name, code) → node
    match: dict[tuple[str, str], str]  # (name, code) → why it belongs to its cluster
    pending: dict[tuple[str, str], Pending] = field(default_factory=dict)
    # cluster → {cluster: (score, the first two characters, the 字号's head, are the same)}
    typo_candidates: dict[int, dict[int, tuple[float, bool]]] = field(default_factory=dict)
    label: dict[int, str] = field(default_factory=dict)  # node → a spelling to show
    core: dict[int, str] = field(default_factory=dict)  # name node → its core (without place, legal form)
    div: dict[int, frozenset[str]] = field(default_factory=dict)  # name node → the place its spelling names


def similar_pairs(strings: Iterable[str], min_len: int = FUZZY_MIN_CORE) -> list[tuple[str, str]]:
    """Sorted pairs of distinct strings at most one edit apart (deletion-neighbourhood blocking)."""
    first: dict[str, str] = {}  # deletion key → the first string that has it
    shared: dict[str, list[str]] = {}  # deletion key → its strings, for the keys of two strings or more
    for s in sorted(set(strings)):
        if len(s) >= min_len:
            keys = {s[:i] + s[i + 1:] for i in range(len(s))}
            keys.add(s)
            for key in keys:
                f = first.setdefault(key, s)
                if f is not s:  # each string comes once per key: another object is another string
                    members = shared.get(key)
                    if members is None:
                        shared[key] = [f, s]
                    else:
                        members.append(s)
    seen: set[tuple[str, str]] = set()
    for members in shared.values():
        if len(members) > MAX_BLOCK:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a != b:
                    seen.add((a, b) if a < b else (b, a))
    return sorted(seen)


def few_similar_pairs(strings: list[str], min_len: int = FUZZY_MIN_CORE) -> list[tuple[str, str]]:
    """:func:`similar_pairs` of a few distinct strings (a builder's project cores), pair by pair: two
    distinct strings share a deletion key exactly when their lengths differ by at most one and their Indel
    distance (insertions and deletions) is at most 2, i.e. the shorter loses at most one character to become
    a common subsequence of both. Up to ``MAX_BLOCK`` strings no key is too common to block on."""
    if len(strings) > MAX_BLOCK:
        return similar_pairs(strings, min_len)
    long = sorted(s for s in strings if len(s) >= min_len)
    out = []
    for i, a in enumerate(long):
        n = len(a)
        for b in long[i + 1:]:
            if -1 <= len(b) - n <= 1 and Indel.distance(a, b, score_cutoff=2) <= 2:
                out.append((a, b))
    return out


def _joined_by_place(cl: Clusters, node: int, members: list[int], own: dict[int, frozenset[str]]) -> bool:
    """Is ``node`` in one company with a spelling of its core that names another place (``own``: the
    place each spelling names, not its company's)?"""
    parent = cl.parent
    root = find_root(parent, node)
    return any(m != node and find_root(parent, m) == root and own[m] != own[node] for m in members)


def long_ratio(a: str, b: str) -> float:
    """Similarity with the legal form put back, so that one typo in a long name scores like a person would."""
    return fuzz.ratio(a + "有限公司", b + "有限公司")


_SPECIFICITY: dict[frozenset[str], int] = {}


def _specificity(div: frozenset[str]) -> int:
    spec = _SPECIFICITY.get(div)
    if spec is None:
        spec = _SPECIFICITY[div] = max((divisions.level(c) for c in div), default=0)
    return spec


def resolve_names(mentions: Iterable[tuple[str, str | None, int]], scope: frozenset[str] = NO_PLACE
                  ) -> NameResolution:
    """Decide at the level of names; see the module's docstring. ``mentions``: (name, code, rows)."""
    mentions = sorted({(n, c or ""): k for n, c, k in mentions}.items())
    cl = Clusters()
    nodes: dict[tuple[str, frozenset[str]], int] = {}
    node_of: dict[tuple[str, str], int] = {}
    codes_of_node: dict[int, dict[str, int]] = defaultdict(dict)
    code_node: dict[str, int] = {}
    by_core: dict[str, list[int]] = defaultdict(list)
    core_of: dict[int, str] = {}
    label: dict[int, str] = {}
    rows_of = cl.rows
    for (mention, rows), (_norm, core, div) in zip(mentions, company_names([n for (n, _c), _k in mentions], scope),
                                                   strict=True):
        name, code = mention
        key = (core, div)
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = cl.add(None, div, 0)
            by_core[core].append(node)
            core_of[node] = core
            label[node] = name
        rows_of[node] += rows
        node_of[mention] = node
        if code and valid_uscc(code):
            codes_of_node[node][code] = codes_of_node[node].get(code, 0) + rows
            if code not in code_node:
                code_node[code] = cl.add(code, NO_PLACE, 0)
                label[code_node[code]] = name
    match: dict[tuple[str, str], str] = {}
    pending: dict[tuple[str, str], Pending] = {}
    # which less specific names fit companies of two incompatible places (twins)
    twin: dict[int, list[int]] = {}
    by_core_sorted = sorted(by_core.items())  # sorted once (by_core does not change below)
    for _core, members in by_core_sorted:
        if len(members) < 2:
            continue
        for n in members:
            spec = _specificity(cl.place[n])
            if spec == 3:
                continue
            partners = [m for m in members if _specificity(cl.place[m]) > spec
                        and divisions.compatible(cl.place[n], cl.place[m])]
            places = [cl.place[m] for m in partners if _specificity(cl.place[m]) == 3]
            if any(not divisions.compatible(a, b) for i, a in enumerate(places) for b in places[i + 1:]):
                twin[n] = partners
    # 1. a spelling that carries exactly one valid code is that company
    for node, codes in sorted(codes_of_node.items()):
        if len(codes) == 1 and node not in twin:
            cl.union(code_node[next(iter(codes))], node)
    # 2. a less specific name joins the single compatible more specific company. How specific a name is
    # is its own spelling's place (``own``), not its company's: a bare spelling that carries a code of a
    # company written 礼县… elsewhere is still a bare spelling, which joins 礼县's company of its core
    own = {n: div for (_c, div), n in nodes.items()}
    for _core, members in by_core_sorted:
        if len(members) < 2:
            continue
        for n in sorted(members, key=lambda m: (-_specificity(own[m]), m)):
            spec = _specificity(own[n])
            if spec == 3:
                continue
            partners = sorted({cl.find(m) for m in members if _specificity(own[m]) > spec
                               and divisions.compatible(cl.place[n], cl.place[m])})
            if n in twin or len(partners) > 1:
                twin[n] = partners
            elif len(partners) == 1:
                cl.union(partners[0], n)
    # mentions: code first, then the name's own set
    parent = cl.parent
    for mention, _rows in mentions:
        name, code = mention
        node = node_of[mention]
        several = node in codes_of_node and len(codes_of_node[node]) > 1
        if code and code in code_node and (node in twin or several):
            cnode = node_of[mention] = code_node[code]  # the row's own valid code decides
            match[mention] = MATCH_CODE
            if node in twin:
                # which twin the code's company is: the county its other spellings name (康县…, a typo of
                # the name with the code), else, for a code seen only here, the county that registered it
                region = cl.place[cl.find(cnode)]
                if not region and code[2:8] in divisions.current():
                    region = frozenset([code[2:8]])
                fit = sorted({cl.find(m) for m in twin[node]
                              if divisions.is_county(cl.place[cl.find(m)])
                              and divisions.compatible(cl.place[cl.find(m)], region)})
                if len(fit) == 1 and divisions.is_county(region):
                    cl.union(fit[0], cnode)
        elif node in twin or several:
            members = twin.get(node) or [code_node[c] for c in sorted(codes_of_node[node])]
            cands = tuple(sorted({cl.find(m) for m in members}))
            if len(cands) > 1:
                pending[mention] = Pending("twin", cands)
            elif cands and cl.union(cands[0], node):
                match[mention] = MATCH_PLACE
            else:
                match[mention] = MATCH_NAME
        elif code and code in code_node and find_root(parent, code_node[code]) == find_root(parent, node):
            match[mention] = MATCH_CODE
        elif find_root(parent, node) != node or len(by_core[core_of[node]]) > 1:
            match[mention] = MATCH_PLACE if _joined_by_place(cl, node, by_core[core_of[node]], own) \
                else MATCH_NAME
        else:
            match[mention] = MATCH_NAME
    # 3. typos: cores one edit apart are candidates only
    typo: dict[int, dict[int, tuple[float, bool]]] = defaultdict(dict)
    for a, b in similar_pairs(by_core):
        score = max(fuzz.ratio(a, b), long_ratio(a, b))
        if score < COMPANY_FUZZY_MIN:
            continue
        head = a[:2] == b[:2]
        for x in by_core[a]:
            for y in by_core[b]:
                if x in twin or y in twin:
                    continue
                rx, ry = cl.find(x), cl.find(y)
                if rx != ry and cl.can_join(rx, ry):
                    typo[rx][ry] = max(typo[rx].get(ry, (0.0, head)), (score, head))
                    typo[ry][rx] = max(typo[ry].get(rx, (0.0, head)), (score, head))
    return NameResolution(cl, node_of, match, pending, dict(typo), label, core_of, own)


@dataclass
class RowContext:
    """What a row says about its company besides the name."""

    places: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # (what, division codes)
    linked: list[tuple[str, int]] = field(default_factory=list)  # (what, cluster of a linked row)
    projects: list[tuple[str, str]] = field(default_factory=list)  # (core, phase) of its project


def decide_row(candidates: Iterable[int], ctx: RowContext, cl: Clusters,
               owners: dict[tuple[str, str], set[int]], show) -> tuple[int | None, str]:
    """The one candidate company the row's context fits (contract 1.1), or None; and why."""
    cands = sorted({cl.find(c) for c in candidates})
    fits = cands
    reasons = []
    for what, place in ctx.places:
        if divisions.is_county(place):
            kept = [c for c in fits if divisions.compatible(cl.place[c], place)]
            if kept != fits and kept:
                reasons.append(f"{what}：{place_name(place)}")
            fits = kept
    linked = sorted({cl.find(c) for _w, c in ctx.linked} & set(cands))
    if len(linked) == 1:
        if linked[0] not in fits:  # the linked row's company is of another county than the row's context
            return None, f"未能确定：关联记录的单位「{show(linked[0])}」与本行所写区县不符"
        what = next(w for w, c in ctx.linked if cl.find(c) == linked[0])
        return linked[0], f"按上下文确定（{what}）"
    owned = [c for c in fits if any(c in {cl.find(o) for o in owners.get(p, ())} for p in ctx.projects)]
    if owned and owned != fits:
        reasons.append("该单位有同名项目")
        fits = owned
    if len(fits) == 1 and reasons:
        return fits[0], f"按上下文确定（{'；'.join(reasons)}）"
    names = "、".join(f"「{show(c)}」" for c in (fits or cands)[:4])
    return None, f"未能确定：可能是{names}"


def place_name(place: frozenset[str]) -> str:
    now = divisions.current()
    return "、".join(sorted(now.get(c, c) for c in place))


LONE_TYPO_TARGET_ROWS = 5  # a one-row spelling with nothing else to go by joins a company of this many rows


def decide_typos(res: NameResolution, evidence: dict[int, list[tuple[int, str]]]) -> list[tuple[int, int, str]]:
    """Joins of look-alike spellings (one edit apart).

    ``evidence``: cluster → [(cluster its row points to, what)], from the rows' projects and linked rows.
    A spelling joins a candidate when its rows point to that one candidate only. With nothing to go by, a
    spelling of a single row without valid code joins only the one candidate within one edit that has at
    least ``LONE_TYPO_TARGET_ROWS`` rows or a valid code, and only when the difference is not in the first two characters
    of the name (the 字号 that tells two companies apart). A cluster that joins another receives none (no
    chains). Returns (source, target, why), sorted.
    """
    cl = res.clusters
    edges: dict[int, tuple[int, str]] = {}
    for src in sorted(res.typo_candidates):
        cands = res.typo_candidates[src]
        pointed = sorted({cl.find(t) for t, _w in evidence.get(src, ()) if cl.find(t) in cands})
        if len(pointed) == 1:
            target = pointed[0]
            edges[src] = (target, "且" + next(w for t, w in evidence[src] if cl.find(t) == target))
        elif not evidence.get(src) and len(cands) == 1 and cl.rows[src] == 1 and not cl.code[src]:
            target, (_score, head) = next(iter(cands.items()))
            if head and (cl.rows[target] >= LONE_TYPO_TARGET_ROWS or cl.code[cl.find(target)]):
                edges[src] = (target, f"该写法仅此一行且无信用代码，「{res.label.get(target, '')}」有"
                                      f"{cl.rows[target]}行" + ("及有效信用代码" if cl.code[cl.find(target)] else ""))
    out = []
    for src, (target, what) in sorted(edges.items()):
        if edges.get(target, (None,))[0] == src:  # both point at each other: the rarer is the typo
            if (cl.rows[src], -src) > (cl.rows[target], -target):
                continue
        out.append((src, target, f"名称与「{res.label.get(target, '')}」相差一字（相似度 "
                                 f"{res.typo_candidates[src][target][0]:.0f}），{what}"))
    sources = {s for s, _t, _w in out}
    return [(s, t, w) for s, t, w in out if t not in sources]
