"""Normalised company and project names (名称规范化).

A company name becomes ``(norm, core, div)``: the normalised full name, the core without place names and
legal form, and the division codes (GB/T 2260) of the place names written before it or in brackets
anywhere in it (``礼县XX有限公司``, ``XX有限公司（礼县）``, ``（宕昌）XX公司``). A project name becomes
``(core, phase, div)``: kind words around the core (新建, 改扩建, 建设项目, 工程 …) taken off, the phase in
any spelling (``（一期）``, ``【二期】``, ``1期``, ``第一期``, ``一期工程``, ``首期``) as a separate key.

Invisible characters (zero-width spaces, BOMs, soft hyphens, direction marks) and every kind of space
are noise and removed; full-width letters, digits and brackets are folded (NFKC).
"""

from __future__ import annotations

import csv
import gc
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from . import divisions

NO_PLACE: frozenset[str] = frozenset()

# zero-width and format characters (Unicode Cf) that exports carry inside names and codes
INVISIBLE = "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061" \
            "\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
_DROP = {ord(c): None for c in INVISIBLE}
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "﹙": "(", "﹚": ")",
                           "〈": "(", "〉": ")", "「": "", "」": "", "《": "", "》": "", "“": "", "”": "", '"': "",
                           "'": "", "‘": "", "’": "", **_DROP})
# any character that _BRACKETS changes: str.translate (a dictionary lookup per character) only then
_TO_TRANSLATE = re.compile("[" + re.escape("".join(map(chr, _BRACKETS))) + "]")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2007\u202f·•]+")
_LEGAL = ("股份有限公司", "有限公司", "集团公司", "公司")
_BRACKETED = re.compile(r"\(([^()]{2,14})\)")


def clean(text: str) -> str:
    """NFKC, brackets folded, invisible characters, spaces and trailing punctuation removed, upper case."""
    s = unicodedata.normalize("NFKC", text)
    if _TO_TRANSLATE.search(s):
        s = s.translate(_BRACKETS)
    if not s.isalnum():  # only then can it hold spaces, empty brackets or punctuation
        # a full stop or comma typed after a name in a ledger (兴盛建筑有限公司。) is not part of it
        s = _SPACES.sub("", s).replace("()", "").rstrip(".。,，;；、:：")
    return s.upper()


def _bracketed_places(s: str, scope: frozenset[str]) -> tuple[str, frozenset[str]]:
    """Bracketed place names anywhere in ``s`` (``XX有限公司(礼县)``, ``XX(甘肃)建设有限公司``): removed."""
    if "(" not in s:
        return s, NO_PLACE
    div: frozenset[str] = NO_PLACE
    out = s
    for m in _BRACKETED.finditer(s):
        inner = m.group(1)
        codes = divisions.lookup(inner, scope) or divisions.county_short_forms().get(inner)
        if codes is None:
            rest, codes = divisions.strip_prefix(inner, 0, scope)
            if rest or not codes:
                continue
        merged = divisions.merge(div, codes)
        if merged is None:
            continue  # two places that cannot both hold: keep the first
        div = merged
        out = out.replace(m.group(0), "", 1)
    return out, div


class CompanyName(NamedTuple):
    norm: str  # normalised full name (place names kept)
    core: str  # without place names and legal form
    div: frozenset[str]  # division codes of the place names (empty when none)


@lru_cache(maxsize=64)
def _short_starts(scope: frozenset[str]) -> frozenset[str]:
    """First two characters of the short county forms recognised in ``scope``."""
    return frozenset(k[:2] for k, codes in divisions.county_short_forms().items()
                     if len(k) >= 3 or any(c[:4] in scope for c in codes))


def company_name(name: str, scope: frozenset[str] = NO_PLACE) -> CompanyName:
    """``（礼县）兴盛建筑有限责任公司`` → core ``兴盛建筑``, div {礼县}; ``scope``: prefectures (4-digit
    codes) whose counties' short forms (``宕昌XX公司``) count as place names."""
    plain = _PLAIN_COMPANIES.get(name) or _company_name(name, NO_PLACE)
    if plain.core[:2] not in _short_starts(scope):
        return plain
    return _company_name(name, scope)


def company_names(names: Iterable[str], scope: frozenset[str] = NO_PLACE) -> list[CompanyName]:
    """``[company_name(n, scope) for n in names]``, with the lookups hoisted out of the loop."""
    starts = _short_starts(scope)
    plain_of = _PLAIN_COMPANIES.get
    out = []
    for name in names:
        plain = plain_of(name) or _company_name(name, NO_PLACE)
        out.append(plain if plain.core[:2] not in starts else _company_name(name, scope))
    return out


def plain_company(name: str) -> CompanyName:
    """``company_name(name)`` (without scope: the parse ahead, when there is one, is the answer)."""
    return _PLAIN_COMPANIES.get(name) or _company_name(name, NO_PLACE)


@lru_cache(maxsize=1 << 19)
def _company_name(name: str, scope: frozenset[str]) -> CompanyName:
    s = clean(name).replace("有限责任公司", "有限公司")
    norm = s
    s, bracket_div = _bracketed_places(s, scope)
    rest, div = divisions.strip_prefix(s, 2, scope)
    for legal in _LEGAL:
        if rest.endswith(legal) and len(rest) > len(legal) + 1:
            rest = rest[: -len(legal)]
            break
    if bracket_div:
        div = divisions.merge(div, bracket_div) or div
    return CompanyName(norm, rest, div)


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "首": 1}
_PHASE = re.compile(
    r"\(?(?:第?([一二三四五六七八九十]{1,3}|\d{1,2}|I{1,3}|IV|V|VI{1,3}|首)期(?:工程|项目)?"
    r"|([A-H])(?:区|地块)"
    r"|(\d{1,3}|[一二三四五六七八九十]{1,3})号?地块"
    r"|第?([一二三四五六七八九十]{1,3}|\d{1,2})标段)\)?")
# what every match of _PHASE holds (期; A区 … H区; 地块; 标段): most names have none of it
_PHASE_HINT = re.compile("期|[A-H]区|地块|标段")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}
_KIND_AFTER = re.compile(r"(建设项目|建设工程|工程项目|项目工程|新建工程|工程|项目)+$")
# the buildings a 施工许可 is often issued for, after the project's name (锦绣花园1#、2#楼, 3#-5#住宅楼及地下车库,
# A栋, 2号楼): part of the project, not another one
_BUILDING_NO = r"(?:(?:\d{1,3}|[A-Z]{1,2}\d{0,2})#?|[一二三四五六七八九十]{1,3}(?=号))号?"
# a building is numbered 1#, 1号, A (1#楼, 1号楼, A栋, 2幢); 三楼 or 1楼 is a floor, and stays
_BUILDING = re.compile(
    rf"\(?{_BUILDING_NO}(?:[、,\-~至和及]+{_BUILDING_NO})*"
    r"(?:(?<=[#号])(?:住宅|商业|商住|综合|办公|高层|多层|教学|宿舍)?楼|[栋幢座])"
    r"(?:及(?:地下室|地下车库|车库|附属(?:工程|设施|用房)?|配套(?:工程|设施|用房)?|商业|裙楼))*\)?$")
_BUILDING_HINT = re.compile("[楼栋幢座]")
_SEPARATORS = "-—_~·、,"
_KIND_BEFORE_WORDS = ("新建", "改扩建", "新改扩建", "扩建", "改建", "迁建", "续建", "重建")
_KIND_BEFORE = re.compile(f"^({'|'.join(_KIND_BEFORE_WORDS)})")


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


def _strip_kind(s: str) -> str:
    if not s.endswith(("项目", "工程")) and not s.startswith(_KIND_BEFORE_WORDS):
        return s  # most names: nothing to take off (as the loop below would find)
    for _ in range(3):
        before = s
        if len(s) > 3 and s.endswith(("项目", "工程")):
            s = _KIND_AFTER.sub("", s) or before
        m = _KIND_BEFORE.match(s)
        if m and len(s) - m.end() >= 2:
            s = s[m.end():]
        if s == before:
            break
    return s


def project_name(name: str, scope: frozenset[str] = NO_PLACE) -> ProjectName:
    """``礼县新建XX小区（二期）建设项目`` → core ``XX小区``, phase ``P2``, div {礼县}."""
    plain = _project_name(name, NO_PLACE)
    if plain.core[:2] not in _short_starts(scope):
        return plain
    return _project_name(name, scope)


def project_names(names: Iterable[str], scope: frozenset[str] = NO_PLACE) -> list[ProjectName]:
    """``[project_name(n, scope) for n in names]``, with the lookups hoisted out of the loop."""
    starts = _short_starts(scope)
    out = []
    for name in names:
        plain = _project_name(name, NO_PLACE)
        out.append(plain if plain.core[:2] not in starts else _project_name(name, scope))
    return out


@lru_cache(maxsize=1 << 19)
def _project_name(name: str, scope: frozenset[str]) -> ProjectName:
    return _project_parse(clean(name), scope)


def _phase_code(m: re.Match) -> str:
    period, area, plot, section = m.groups()
    if period:
        return f"P{_num(period)}"
    if area:
        return area
    if plot:
        return f"D{_num(plot)}"
    return f"S{_num(section)}"


def _take_phases(s: str) -> tuple[str, str]:
    """``s`` without its phases (:data:`_PHASE`), and the phases as a key (sorted, joined by ``|``)."""
    phases = []

    def take(m: re.Match) -> str:
        phases.append(_phase_code(m))
        return ""

    s = _PHASE.sub(take, s).replace("()", "")
    return s, ("|".join(sorted(set(phases))) if len(phases) > 1 else phases[0]) if phases else ""


def _project_parse(s: str, scope: frozenset[str]) -> ProjectName:
    """The parse of a project name already cleaned (:func:`clean`)."""
    phase = ""
    if _PHASE_HINT.search(s):  # most names: no phase
        s, phase = _take_phases(s)
        s = s.strip(_SEPARATORS)  # 锦绣花园-一期
    s, bracket_div = _bracketed_places(s, scope)
    s = _strip_kind(s)
    if _BUILDING_HINT.search(s):  # most names: no building
        m = _BUILDING.search(s)
        if m and m.start() >= 2:
            s = _strip_kind(s[:m.start()].rstrip(_SEPARATORS))
    rest, div = divisions.strip_prefix(s, 2, scope)
    rest = _strip_kind(rest)
    if bracket_div:
        div = divisions.merge(div, bracket_div) or div
    return ProjectName(rest, phase, div)


# names parsed ahead by :class:`ParsePool` (without scope), consulted before the cache above
_PLAIN_COMPANIES: dict[str, CompanyName] = {}
# fewer distinct names than this are parsed in this process: below it the workers' start, the names sent
# and the parses sent back cost more CPU than the parse itself saves this process (at 20,000 permits,
# about 76,000 names: resolution 2.23 CPU s with workers, 1.96 without; wall time the same on a busy machine)
PARALLEL_MIN = 100_000
WORKERS = 2
_CHUNKS_PER_WORKER = 4
PROJECT_COLUMNS = ("name", "clean", "core", "phase", "div")  # of a file of :func:`write_project_parses`


def _parse_companies(items: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The parses of ``items`` as plain tuples, the division codes sorted in a tuple: pickled and unpickled
    several times faster than named tuples holding frozensets (about 1.5 CPU-seconds at 100,000 permits)."""
    out = []
    for n in items:
        a, b, div = _company_name(n, NO_PLACE)
        out.append((a, b, tuple(sorted(div)) if div else ()))
    return out


def write_project_parses(items: list[str], path: str) -> None:
    """A CSV file (no header) of :data:`PROJECT_COLUMNS`: each project name of ``items``, its cleaned form
    (:func:`clean`) and its parse without scope (``div``: the division codes sorted, joined by commas),
    read by DuckDB: the parses of a run's project names never become Python objects of the checking process."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        for n in items:
            s = clean(n)
            core, phase, div = _project_parse(s, NO_PLACE)
            w.writerow((n, s, core, phase, ",".join(sorted(div)) if div else ""))


def _can_fork() -> bool:
    import multiprocessing

    return (sys.platform == "linux" and (os.cpu_count() or 1) >= 2
            and not multiprocessing.current_process().daemon)


class ParsePool:
    """Parses the distinct company and project names of a run in worker processes while this process
    goes on (the parse is pure Python, about 5 µs a name: 400,000 names are seconds of one core).

    Company names come back as the parses of :func:`company_name` (:meth:`wait_companies`); project names
    are written to CSV files in ``workdir`` (:meth:`project_files`, see :func:`write_project_parses`).
    The results are the same functions' results, only computed elsewhere and earlier, so the output does
    not change. Below :data:`PARALLEL_MIN` names, off Linux, or when no worker can be started, nothing is
    done ahead: company names are parsed as they are used, project names when their files are asked for.
    """

    def __init__(self, company_names: Iterable[str], project_names: Iterable[str], workdir: str | os.PathLike):
        self.pool = None
        self.workdir = workdir
        self.futures: dict[str, list] = {"c": [], "p": []}
        self.items: dict[str, list[list[str]]] = {"c": [], "p": []}
        todo = {"c": list(dict.fromkeys(company_names)), "p": list(dict.fromkeys(project_names))}
        self.projects: list[str] | None = todo["p"]  # until handed to the workers
        if sum(map(len, todo.values())) < PARALLEL_MIN or not _can_fork():
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        divisions.load()  # built once, here, and shared with the workers
        # the workers are forked at the first submit: the objects of this process are moved out of the
        # garbage collector's sight until then, so that the workers' collections do not visit (and so copy)
        # the pages of the parent's heap
        gc.freeze()
        try:
            self.pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"))
            for kind in ("c", "p"):  # companies first: they are needed first
                items = todo[kind]
                size = max(1, -(-len(items) // (WORKERS * _CHUNKS_PER_WORKER)))
                for i in range(0, len(items), size):
                    chunk = items[i:i + size]
                    self.items[kind].append(chunk)
                    self.futures[kind].append(
                        self.pool.submit(_parse_companies, chunk) if kind == "c" else
                        self.pool.submit(write_project_parses, chunk, self._path(len(self.futures[kind]))))
            self.projects = None
        except (OSError, ValueError, RuntimeError):
            self.close()  # every name is parsed here
            self.futures, self.items = {"c": [], "p": []}, {"c": [], "p": []}
        finally:
            gc.unfreeze()

    def _path(self, i: int) -> str:
        return os.path.join(self.workdir, f"project_names_{i}.csv")

    def wait_companies(self) -> None:
        """Take the parsed company names once they are all there."""
        if self.futures["c"]:
            _PLAIN_COMPANIES.clear()
        shared: dict[tuple[str, ...], frozenset[str]] = {(): NO_PLACE}  # one frozenset per place
        for items, future in zip(self.items["c"], self.futures["c"], strict=True):
            try:
                parsed = future.result()
            except Exception:  # noqa: BLE001 - a lost worker: those names are parsed here when used
                continue
            for name, (a, b, codes) in zip(items, parsed, strict=True):
                div = shared.get(codes)
                if div is None:
                    div = shared[codes] = frozenset(codes)
                _PLAIN_COMPANIES[name] = CompanyName(a, b, div)
        self.futures["c"] = []
        self.items["c"] = []

    def project_files(self) -> list[str]:
        """The files of :func:`write_project_parses` that hold every project name, once they are written
        (the names of a lost worker, or all of them without workers, are parsed here)."""
        paths = []
        for i, (items, future) in enumerate(zip(self.items["p"], self.futures["p"], strict=True)):
            try:
                future.result()
            except Exception:  # noqa: BLE001 - a lost worker: those names are parsed here
                write_project_parses(items, self._path(i))
            paths.append(self._path(i))
        if self.projects is not None or not paths:
            paths.append(self._path(len(paths)))
            write_project_parses(self.projects or [], paths[-1])
        self.futures["p"], self.items["p"], self.projects = [], [], None
        return paths

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def forget_parsed() -> None:
    """Drop the names parsed ahead (the lru caches above keep their own bound)."""
    _PLAIN_COMPANIES.clear()


def place_of(text: str | None, scope: frozenset[str] = NO_PLACE) -> frozenset[str]:
    """The division a free text starts with (建设地点 ``甘肃省陇南市文县城关镇…``, 区县 ``文县``, 执收单位
    ``文县人民防空办公室``, 审批文号 ``文县人防审〔2021〕12号``), else a division code it starts with."""
    if not text:
        return NO_PLACE
    s = clean(text)
    codes = divisions.lookup(s, scope) or divisions.county_short_forms().get(s)
    if codes:
        return codes
    _rest, div = divisions.strip_prefix(s, 0, scope)
    return div or divisions.code_county(s)
