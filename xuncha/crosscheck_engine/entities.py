"""Entity resolution (同一单位、同一项目识别) across departments.

Companies: a valid 统一社会信用代码 (GB 32100-2015 check character, via ``stdnum.cn.uscc``) is decisive;
an invalid one is ignored. Names are normalised (width, brackets, spaces, 有限责任公司 → 有限公司, a leading
place name kept apart as a *division* that must be compatible), then compared exactly and, behind a
deletion-neighbourhood block (names one edit apart share a key), by rapidfuzz similarity.

Projects: the normalised 项目名称 without place prefix and 项目/工程 suffix, the phase (一期, 2期, A区,
3号地块, 二标段) as a separate key that must be equal, and the builder company, which must be the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz
from stdnum.cn import uscc

from . import divisions

COMPANY_FUZZY_MIN = 85.0  # rapidfuzz ratio of two normalised company names
PROJECT_FUZZY_MIN = 85.0
FUZZY_MIN_CORE = 4  # shorter cores (people's names, 城投) are compared exactly only
MAX_BLOCK = 50  # a deletion key shared by more names than this is too common to block on

_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "﹙": "(", "﹚": ")",
                           "「": "", "」": "", "《": "", "》": "", "“": "", "”": "", '"': "", "'": ""})
_SPACES = re.compile(r"[\s\u3000\u00a0·]+")
_LEGAL = ("股份有限公司", "有限公司", "集团公司", "公司")


_ALPHABET = uscc._alphabet  # GB 32100-2015 character set, as python-stdnum has it
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@lru_cache(maxsize=1 << 18)
def valid_uscc(code: str | None) -> bool:
    """统一社会信用代码 with a correct check character (GB 32100-2015).

    Same answer as ``stdnum.cn.uscc.is_valid`` on a code already without spaces (a test pins this), but
    about twenty times faster, because the check runs on every distinct code of a million-row import.
    """
    if not code or len(code) != 18 or not code[:8].isdigit():
        return False
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(code[:17], _WEIGHTS, strict=True))
        return _VALUE[code[17]] == (31 - total % 31) % 31 and all(ch in _VALUE for ch in code[8:])
    except KeyError:
        return False


def valid_uscc_reference(code: str) -> bool:
    """python-stdnum's check (the reference the fast check is tested against)."""
    return uscc.is_valid(code)


def _base(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    if not s.isalnum():  # only then can it hold spaces or empty brackets
        s = _SPACES.sub("", s).replace("()", "")
    return s.upper()


class CompanyName(NamedTuple):
    norm: str  # normalised full name (place prefix kept)
    core: str  # without place prefix and legal form
    div: frozenset[str]  # division codes of the place prefix (empty when none)


@lru_cache(maxsize=1 << 18)
def company_name(name: str) -> CompanyName:
    """Normalise a company (or person) name: ``（礼县）兴盛建筑有限责任公司`` → core ``兴盛建筑``, div 礼县."""
    s = _base(name).replace("有限责任公司", "有限公司")
    norm = s
    if s.startswith("("):
        s = re.sub(r"^\(([^()]{2,12})\)", r"\1", s)  # (礼县)XX公司
    rest, div = divisions.strip_prefix(s)
    for legal in _LEGAL:
        if rest.endswith(legal) and len(rest) > len(legal) + 1:
            rest = rest[: -len(legal)]
            break
    return CompanyName(norm, rest, div)


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PHASE = re.compile(
    r"\(?(?:第?([一二三四五六七八九十]{1,3}|\d{1,2}|I{1,3}|IV|V)期"
    r"|([A-H])(?:区|地块)"
    r"|(\d{1,3}|[一二三四五六七八九十]{1,3})号?地块"
    r"|第?([一二三四五六七八九十]{1,3}|\d{1,2})标段)\)?")
_PHASE_HINT = re.compile("[期区块段]")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_PROJECT_SUFFIX = re.compile(r"(建设项目|建设工程|工程项目|项目|工程)+$")


def _num(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _ROMAN:
        return _ROMAN[text]
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUM[text[1]]
    if len(text) >= 2 and text[1] == "十":
        return _CN_NUM[text[0]] * 10 + (_CN_NUM[text[2]] if len(text) > 2 else 0)
    return _CN_NUM.get(text, 0)


class ProjectName(NamedTuple):
    core: str
    phase: str  # "" when none; e.g. "P2", "A", "D3", "S1", combined "P1|A"
    div: frozenset[str]


@lru_cache(maxsize=1 << 18)
def project_name(name: str) -> ProjectName:
    """Normalise a project name: ``礼县XX小区（二期）建设项目`` → core ``XX小区``, phase ``P2``."""
    s = _base(name)
    phases = []

    def take(m: re.Match) -> str:
        period, area, plot, section = m.groups()
        if period:
            phases.append(f"P{_num(period)}")
        elif area:
            phases.append(area)
        elif plot:
            phases.append(f"D{_num(plot)}")
        else:
            phases.append(f"S{_num(section)}")
        return ""

    if _PHASE_HINT.search(s):
        s = _PHASE.sub(take, s).replace("()", "")
    if s.endswith(("项目", "工程")):
        s = _PROJECT_SUFFIX.sub("", s) or s
    rest, div = divisions.strip_prefix(s)
    if rest.endswith(("项目", "工程")):
        rest = _PROJECT_SUFFIX.sub("", rest) or rest
    return ProjectName(rest, "|".join(sorted(phases)), div)


_NO_CODES: frozenset[str] = frozenset()


class UnionFind:
    """Disjoint sets that remember the valid credit codes of each set (only sets that have some)."""

    def __init__(self):
        self.parent: dict = {}
        self.codes: dict = {}  # root → frozenset of valid credit codes, when not empty

    def add(self, x, code: str | None = None):
        if x not in self.parent:
            self.parent[x] = x
        if code:
            self.codes[x] = self.codes.get(x, _NO_CODES) | {code}

    def find(self, x):
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> bool:
        """Join two sets unless they carry different valid credit codes (then they are different units)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ca, cb = self.codes.get(ra, _NO_CODES), self.codes.get(rb, _NO_CODES)
        if ca and cb and ca != cb:
            return False
        self.parent[rb] = ra
        if cb:
            self.codes[ra] = ca | cb
            del self.codes[rb]
        return True


def _deletion_keys(s: str) -> set[str]:
    return {s, *(s[:i] + s[i + 1:] for i in range(len(s)))}


def _similar_pairs(strings: Iterable[str], min_len: int = FUZZY_MIN_CORE) -> Iterable[tuple[str, str]]:
    """Pairs of distinct strings at most one or two edits apart (deletion-neighbourhood blocking)."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for s in strings:
        if len(s) >= min_len:
            for key in _deletion_keys(s):
                buckets[key].append(s)
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a != b:
                    pair = (a, b) if a < b else (b, a)
                    if pair not in seen:
                        seen.add(pair)
                        yield pair


def company_similarity(a: str, b: str) -> float:
    """rapidfuzz ratio (0–100) of two normalised company names, compared by characters."""
    return fuzz.ratio(company_name(a).norm, company_name(b).norm)


def resolve_companies(mentions: Iterable[tuple[str, str | None]],
                      counts: Iterable[int] | None = None) -> dict[tuple[str, str | None], str]:
    """Map each (name, credit code) mention to a company id; ``counts``: rows behind each mention.

    Valid credit codes decide; names join a code when the normalised name carries exactly one valid
    code; a name without a place prefix joins the one compatible prefixed name of the same core; names
    one edit apart (rapidfuzz ratio ≥ ``COMPANY_FUZZY_MIN``) with compatible places are joined too. Two
    sets with different valid codes are never joined.
    """
    mentions = list(mentions)
    weights = list(counts) if counts is not None else [1] * len(mentions)
    uf = UnionFind()
    node_codes: dict[tuple, set[str]] = defaultdict(set)
    by_core: dict[str, set[frozenset]] = defaultdict(set)
    for name, code in mentions:
        cn = company_name(name)
        node = ("N", cn.core, cn.div)
        uf.add(node)
        by_core[cn.core].add(cn.div)
        if valid_uscc(code):
            uf.add(("U", code), code)
            node_codes[node].add(code)
    # 1. a name that carries exactly one valid code is that company
    for node, codes in node_codes.items():
        if len(codes) == 1:
            uf.union(("U", next(iter(codes))), node)
    # 2. place prefixes: a less specific name joins the single more specific one it is compatible with
    for core, divs in by_core.items():
        if len(divs) < 2:
            continue
        ordered = sorted(divs, key=lambda d: -max((divisions.level(c) for c in d), default=0))
        for d in ordered:
            spec = max((divisions.level(c) for c in d), default=0)
            partners = {uf.find(("N", core, o)) for o in divs
                        if o != d and max((divisions.level(c) for c in o), default=0) > spec
                        and divisions.compatible(d, o)}
            if len(partners) == 1:
                uf.union(next(iter(partners)), ("N", core, d))
    # 3. typos: cores one edit apart, compatible places. The rarer spelling of a pair is taken for the
    # typo; a typo within one edit of several companies joins the one whose full name is clearly the
    # most similar, and none when two are equally similar.
    support: dict[tuple, int] = defaultdict(int)  # rows behind each set (after steps 1 and 2)
    spellings: dict[tuple, set[str]] = defaultdict(set)
    for (name, _code), n in zip(mentions, weights, strict=True):
        cn = company_name(name)
        node = ("N", cn.core, cn.div)
        support[uf.find(node)] += n
        if len(spellings[node]) < 4:
            spellings[node].add(cn.norm)
    pairs = []
    candidates: dict[tuple, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))  # node → root → nodes
    for a, b in _similar_pairs(by_core):
        if fuzz.ratio(a, b) < COMPANY_FUZZY_MIN and _long_ratio(a, b) < COMPANY_FUZZY_MIN:
            continue
        for da in by_core[a]:
            for db in by_core[b]:
                if divisions.compatible(da, db):
                    x, y = ("N", a, da), ("N", b, db)
                    rx, ry = uf.find(x), uf.find(y)
                    if rx != ry:
                        pairs.append((x, y))
                        candidates[x][ry].append(y)
                        candidates[y][rx].append(x)

    def closeness(node, others) -> float:
        return max(fuzz.ratio(p, q) + (0.5 if node[2] == o[2] else 0)
                   for o in others for p in spellings[node] for q in spellings[o])

    def chooses(typo, other) -> bool:
        """Would the spelling ``typo`` be taken for a misspelling of ``other``'s company?"""
        own = support[uf.find(typo)]
        roots = candidates[typo]
        strong = [r for r in roots if support[r] > own] or list(roots)  # rarer neighbours are typos too
        target = uf.find(other)
        if target not in strong:
            return False
        if len(strong) == 1:
            return True
        scored = sorted(((closeness(typo, roots[r]), support[r], r) for r in strong), reverse=True)
        return scored[0][2] == target and scored[0][:2] > scored[1][:2]

    decided = []
    for x, y in pairs:
        sx, sy = support[uf.find(x)], support[uf.find(y)]
        if (sx < sy and chooses(x, y)) or (sy < sx and chooses(y, x)) or (
                sx == sy and chooses(x, y) and chooses(y, x)):
            decided.append((x, y))
    for x, y in decided:  # decided on the sets as they were, then joined
        uf.union(x, y)
    out: dict[tuple[str, str | None], str] = {}
    ids: dict = {}
    for name, code in mentions:
        cn = company_name(name)
        node = ("U", code) if valid_uscc(code) else ("N", cn.core, cn.div)
        root = uf.find(node)
        out[(name, code)] = ids.setdefault(root, f"C{len(ids) + 1}")
    return out


def _long_ratio(a: str, b: str) -> float:
    """Similarity with the legal form put back, so that one typo in a long name scores like a person would."""
    return fuzz.ratio(a + "有限公司", b + "有限公司")


def resolve_projects(mentions: Iterable[tuple[str, str | None]],
                     links: Iterable[tuple[tuple[str, str | None], tuple[str, str | None]]] = ()
                     ) -> dict[tuple[str, str | None], str]:
    """Map each (项目名称, builder company id or None) mention to a project id.

    Same builder, same phase, and the same normalised core (or one edit apart, ratio ≥ PROJECT_FUZZY_MIN).
    A name without phase joins the single phased project of that core and builder; a mention without
    builder joins the single project of that core and phase. ``links`` (e.g. the same 施工许可证号) join
    mentions directly.
    """
    parsed: dict[tuple[str, str | None], ProjectName] = {}
    places: dict[tuple, set[frozenset]] = defaultdict(set)
    for mention in mentions:
        if mention not in parsed:
            pn = parsed[mention] = project_name(mention[0])
            places[(mention[1], pn.core, pn.phase)].add(pn.div)
    # one builder's same-named projects in two counties (礼县… and 西和县…) stay apart: their cores get
    # the place as a tag, and a mention without place there is ambiguous and stays alone
    conflicts = {key for key, divs in places.items() if len(divs) > 1 and not all(
        divisions.compatible(a, b) for a in divs for b in divs)}
    node_of: dict[tuple[str, str | None], tuple] = {}
    for mention, pn in parsed.items():
        core = pn.core
        if (mention[1], core, pn.phase) in conflicts:
            core = f"{core}@{','.join(sorted(pn.div)) or '?'}"
        node_of[mention] = (mention[1], core, pn.phase)
    uf = UnionFind()
    by_builder: dict[str | None, dict[str, set[str]]] = defaultdict(dict)
    for node in set(node_of.values()):
        uf.add(node)
        builder, core, phase = node
        cores = by_builder[builder]
        if core in cores:
            cores[core].add(phase)
        else:
            cores[core] = {phase}
    for builder, cores in by_builder.items():
        if builder is None:
            continue
        # typos within one builder and phase
        if len(cores) > 1:
            for a, b in _similar_pairs(c for c in cores if "@" not in c):
                common = cores[a] & cores[b]
                if common and (fuzz.ratio(a, b) >= PROJECT_FUZZY_MIN or _long_ratio(a, b) >= PROJECT_FUZZY_MIN):
                    for phase in common:
                        uf.union((builder, a, phase), (builder, b, phase))
        # a name without phase joins the single phased project of the same core and builder
        for core, phases in cores.items():
            if "" in phases and len(phases) > 1:
                phased = {uf.find((builder, core, p)) for p in phases if p}
                if len(phased) == 1:
                    uf.union(next(iter(phased)), (builder, core, ""))
    # a mention without builder joins the single builder's project of that core and phase
    loose = by_builder.get(None)
    if loose:
        by_core_phase: dict[tuple[str, str], set] = defaultdict(set)
        for builder, cores in by_builder.items():
            if builder is not None:
                for core, phases in cores.items():
                    if core in loose:
                        for p in phases:
                            by_core_phase[(core, p)].add(uf.find((builder, core, p)))
        for core, phases in loose.items():
            for p in phases:
                cands = by_core_phase.get((core, p), set())
                if len(cands) == 1:
                    uf.union(next(iter(cands)), (None, core, p))
    for a, b in links:
        na, nb = node_of.get(a), node_of.get(b)
        if na is not None and nb is not None:
            uf.union(na, nb)
    out: dict[tuple[str, str | None], str] = {}
    ids: dict = {}
    for mention, node in node_of.items():
        root = uf.find(node)
        pid = ids.get(root)
        if pid is None:
            pid = ids[root] = f"P{len(ids) + 1}"
        out[mention] = pid
    return out


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
    return f"名称模糊匹配（rapidfuzz 相似度 {max(fuzz.ratio(ca.core, cb.core), _long_ratio(ca.core, cb.core)):.0f}）"


def project_basis(name_a: str, name_b: str, permit_link: bool = False) -> str:
    """Why two project mentions were taken for the same project."""
    if permit_link:
        return "施工许可证号一致"
    pa, pb = project_name(name_a), project_name(name_b)
    if _base(name_a) == _base(name_b):
        return "项目名称一致"
    if pa.core == pb.core and pa.phase == pb.phase:
        return "项目名称规范化后一致"
    if pa.core == pb.core:
        return "项目名称一致，一方未写分期"
    score = max(fuzz.ratio(pa.core, pb.core), _long_ratio(pa.core, pb.core))
    return f"项目名称模糊匹配（rapidfuzz 相似度 {score:.0f}）"
