"""Output (比对结果): ``findings.jsonl`` for machines and ``疑点清单.xlsx`` for people.

A caller that seldom needs the workbook (the platform: a run's 疑点清单 is exported now and then, while the
list, the evidence and the dossier read ``findings.jsonl`` and the database) may write it later: with
``workbook=False`` the run leaves ``result.json`` (everything of the workbook but the 疑点 themselves) beside
``findings.jsonl``, and :func:`workbook_later` makes the same workbook, byte for byte, when it is asked for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
import unicodedata
from pathlib import Path

from . import xlsx
from .rules import CATEGORIES, RULES
from .tables import TABLES

FINDINGS = "findings.jsonl"
WORKBOOK = "疑点清单.xlsx"
#: what the workbook needs besides the 疑点, written instead of it with ``write_all(..., workbook=False)``
RESULT = "result.json"
SUMMARY_SHEET, UNRESOLVED_SHEET = "汇总", "未定单位名称"


def write_findings(hits, path: Path) -> None:
    """``findings.jsonl`` at ``path`` (strict JSON: a number that is not finite is a bug, never written)."""
    # one encoder for every line: json.dumps with these options makes a new one a call
    encode = json.JSONEncoder(ensure_ascii=False, default=str, allow_nan=False).encode
    with open(path, "w", encoding="utf-8") as fh:
        for hit in hits:
            fh.write(encode(hit.as_dict()))
            fh.write("\n")


def _sheet_name(rule) -> str:
    name = f"{rule.code} {rule.title}"
    for ch in "/\\?*[]:／":
        name = name.replace(ch, "、")
    return name[:31]


def _summary_sheet(result) -> xlsx.Sheet:
    ws = xlsx.Sheet(SUMMARY_SHEET, widths={0: 8, 1: 28, 2: 10, 3: 26, 4: 10, 5: 18, 6: 48})
    ws.append([f"数据比对疑点清单（比对基准日 {result.as_of.isoformat()}）"], style=xlsx.STYLE_TITLE)
    ws.merge(0, 6)
    ws.append(["说明：规则命中的是疑点，须经核实后方可认定为问题；证据见各规则工作表。"])
    ws.append(["规则", "名称", "类别代码", "类别", "疑点数", "涉及金额（元）", "运行情况"], style=xlsx.STYLE_HEAD)
    for st in result.stats:
        state = "已运行" if st.ran else "未运行：缺少" + "、".join(f"{TABLES[t].name}（{t}）" for t in st.missing)
        ws.append([st.rule, st.title, st.category, CATEGORIES[st.category], st.hits, round(st.amount, 2), state])
    ws.append(["合计", "", "", "", sum(st.hits for st in result.stats),
               round(sum(st.amount for st in result.stats), 2), ""], style=xlsx.STYLE_HEAD)
    ws.append([])
    ws.append(["表", "中文名", "导入行数", "文件"], style=xlsx.STYLE_HEAD)
    for code, table in TABLES.items():
        ws.append([code, table.name, result.tables.get(code, 0), "、".join(result.files.get(code, [])) or "（无）"])
    if result.ignored_files:
        ws.append([])
        ws.append(["未识别的文件（文件名不以表代码或中文名开头，未导入）：", "、".join(result.ignored_files)])
    if result.skipped:
        ws.append([])
        ws.append(["未导入的工作表：", "；".join(result.skipped)])
    ws.append([])
    ws.append(["未能确定所属单位的名称（见“未定单位名称”表）：",
               f"{len({u['name'] for u in result.unresolved})} 个名称，{len(result.unresolved)} 行"])
    return ws


def _unresolved_sheet(result) -> xlsx.Sheet:
    ws = xlsx.Sheet(UNRESOLVED_SHEET, widths={0: 14, 1: 24, 2: 12, 3: 8, 4: 30, 5: 70}, freeze=(1, 0))
    ws.append(["表", "文件", "工作表", "行", "名称", "说明"], style=xlsx.STYLE_HEAD)
    for u in result.unresolved:
        ws.append([TABLES[u["table"]].name, u["file"], u["sheet"], u["row"], u["name"], u["reason"]])
    return ws


def _rule_sheet(rule, hits) -> xlsx.Sheet:
    primary = TABLES[rule.primary]
    related: list[str] = []
    fact_keys: list[str] = []
    for h in hits:
        for r in h.evidence["rows"][1:]:
            if r["table"] not in related:
                related.append(r["table"])
        for k in h.evidence["facts"]:
            if k not in fact_keys:
                fact_keys.append(k)
    header = ["序号", "疑点摘要", "涉及金额（元）", "主记录文件", "主记录行"]
    header += [f"【{primary.name}】{c.header}" for c in primary.columns]
    header += [f"【计算】{k}" for k in fact_keys]
    for t in related:
        name = TABLES[t].name
        header += [f"【{name}】文件", f"【{name}】行", f"【{name}】匹配依据"]
        header += [f"【{name}】{c.header}" for c in TABLES[t].columns]
    widths = {1: 60, 2: 16}
    col = len(header) - sum(3 + len(TABLES[t].columns) for t in related)
    for t in related:
        widths[col + 2] = 40
        col += 3 + len(TABLES[t].columns)
    ws = xlsx.Sheet(_sheet_name(rule), widths=widths, freeze=(1, 2))
    ws.append(header, style=xlsx.STYLE_HEAD)
    if not hits:
        ws.append(["", "本规则没有疑点"])
        return ws
    blank_primary = [None] * (4 + len(primary.columns) + len(fact_keys))
    wrap = {1: xlsx.STYLE_WRAP}
    for n, h in enumerate(hits, 1):
        rows = h.evidence["rows"]
        p = rows[0]
        by_table: dict[str, list[dict]] = {}
        for r in rows[1:]:
            by_table.setdefault(r["table"], []).append(r)
        lines = max([1, *(len(v) for v in by_table.values())])
        for i in range(lines):
            if i == 0:
                line = [n, h.summary, h.amount, p["file"], p["row"]]
                line += [p["values"].get(c.header) for c in primary.columns]
                line += [h.evidence["facts"].get(k) for k in fact_keys]
            else:
                line = [n, *blank_primary]
            for t in related:
                items = by_table.get(t, [])
                if i < len(items):
                    r = items[i]
                    line += [r["file"], r["row"], r["match"]]
                    line += [r["values"].get(c.header) for c in TABLES[t].columns]
                else:
                    line += [None] * (3 + len(TABLES[t].columns))
            ws.append(line, styles=wrap if i == 0 else None)
    return ws


def write_workbook(result, path: Path) -> None:
    by_rule: dict[str, list] = {r.code: [] for r in RULES}
    for h in result.hits:
        by_rule[h.rule].append(h)
    ran = {st.rule for st in result.stats if st.ran}
    rules = [rule for rule in RULES if rule.code in ran]
    names = [SUMMARY_SHEET, *(_sheet_name(rule) for rule in rules)] + ([UNRESOLVED_SHEET] if result.unresolved else [])

    def sheets():  # made one by one, each written (and dropped) while the next is made
        yield _summary_sheet(result)
        for rule in rules:
            yield _rule_sheet(rule, by_rule[rule.code])
        if result.unresolved:
            yield _unresolved_sheet(result)

    xlsx.write_workbook(path, sheets(), names)


def write_all(result, out_dir: Path, progress=None, workbook: bool = True) -> None:
    """Both files are written aside and moved into place only when both are whole: a failure leaves the
    output folder as it was (no new findings.jsonl beside an old workbook, no temporary files).
    ``workbook=False``: ``result.json`` instead of the workbook (:func:`workbook_later` makes it)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    second = WORKBOOK if workbook else RESULT
    tmp_findings = out_dir / f".{FINDINGS}.{os.getpid()}.tmp"
    tmp_second = out_dir / f".{second}.{os.getpid()}.tmp"
    child: int | None = None
    try:
        if progress:
            progress("输出", 0, 2)
        child = _fork_workbook(result, tmp_second) if workbook else None
        write_findings(result.hits, tmp_findings)
        if progress:
            progress("输出", 1, 2)
        if workbook:
            done = child is not None and _child_succeeded(child)
            child = None
            if not done:  # here, also when the child failed: its error, if any, is raised here
                write_workbook(result, tmp_second)
        else:
            tmp_second.write_text(json.dumps(_result_dict(result), ensure_ascii=False, allow_nan=False),
                                  encoding="utf-8")
        os.replace(tmp_second, out_dir / second)
        os.replace(tmp_findings, out_dir / FINDINGS)
        (out_dir / (RESULT if workbook else WORKBOOK)).unlink(missing_ok=True)  # the other kind, of an earlier run
        if progress:
            progress("输出", 2, 2)
    finally:
        if child is not None:  # this process failed while the child was writing: no workbook is wanted
            import signal

            try:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        tmp_findings.unlink(missing_ok=True)
        tmp_second.unlink(missing_ok=True)


#: from this many hits on, the workbook is written by a forked child process while this one writes
#: ``findings.jsonl`` (both are Python: one core each); below, forking costs more than it saves
FORK_MIN_HITS = 5000


def _fork_workbook(result, path: Path) -> int | None:
    """The pid of a child process (a fork of this one) writing the workbook of ``result`` at ``path``, or
    None: too few hits, not on Linux, or no child could be started (the caller then writes it itself)."""
    import gc
    import sys

    if len(result.hits) < FORK_MIN_HITS or sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    status = 1
    try:  # the child: the workbook only, then out without running anything of the parent's
        gc.freeze()  # its collections would visit (and so copy) the pages of the heap it shares
        write_workbook(result, path)
        status = 0
    finally:
        os._exit(status)


def _child_succeeded(pid: int) -> bool:
    try:
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): whether it succeeded is unknown
        return False
    return os.waitstatus_to_exitcode(status) == 0


def _result_dict(result) -> dict:
    return {"as_of": result.as_of.isoformat(), "stats": [dataclasses.asdict(st) for st in result.stats],
            "tables": result.tables, "files": result.files, "ignored_files": result.ignored_files,
            "skipped": result.skipped, "unresolved": result.unresolved}


def workbook_later(out_dir: Path) -> Path:
    """The workbook of a run written with ``workbook=False``, from its ``result.json`` and ``findings.jsonl``
    (the same bytes ``write_all`` would have written), put in place whole as ``out_dir / WORKBOOK``.
    Raises ``FileNotFoundError`` when either file is missing, ``ValueError`` when one is damaged."""
    from .runner import CheckResult, Hit, RuleStat

    out_dir = Path(out_dir)
    done = json.loads((out_dir / RESULT).read_text(encoding="utf-8"))
    with open(out_dir / FINDINGS, encoding="utf-8") as fh:
        hits = [Hit(**json.loads(line)) for line in fh]
    result = CheckResult(dt.date.fromisoformat(done["as_of"]), hits, [RuleStat(**st) for st in done["stats"]],
                         done["tables"], done["files"], done["ignored_files"], {}, unresolved=done["unresolved"],
                         skipped=done["skipped"])
    if sum(st.hits for st in result.stats) != len(hits):
        raise ValueError(f"{FINDINGS} 有 {len(hits)} 个疑点，{RESULT} 记的却是 {sum(st.hits for st in result.stats)} 个")
    path = out_dir / WORKBOOK
    tmp = out_dir / f".{WORKBOOK}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        write_workbook(result, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def summary_table(result) -> str:
    """Plain-text table of hits and money by rule, and the rules that did not run."""
    lines = [f"{_pad('规则', 6)}{_pad('类别', 8)}{_pad('疑点数', 8, True)}{_pad('涉及金额（元）', 20, True)}  名称"]
    for st in result.stats:
        if st.ran:
            lines.append(f"{_pad(st.rule, 6)}{_pad(st.category, 8)}{_pad(f'{st.hits:,}', 8, True)}"
                         f"{_pad(f'{st.amount:,.2f}', 20, True)}  {st.title}")
    total_hits = sum(st.hits for st in result.stats)
    total_amount = sum(st.amount for st in result.stats)
    lines.append(f"{_pad('合计', 14)}{_pad(f'{total_hits:,}', 8, True)}{_pad(f'{total_amount:,.2f}', 20, True)}")
    missing = [st for st in result.stats if not st.ran]
    if missing:
        lines.append("未运行的规则（缺少数据表）：")
        for st in missing:
            lines.append(f"  {st.rule} {st.title}：缺少" + "、".join(f"{TABLES[t].name}（{t}）" for t in st.missing))
    if result.ignored_files:
        lines.append("未识别、未导入的文件：" + "、".join(result.ignored_files))
    if result.skipped:
        lines.append("未导入的工作表：" + "；".join(result.skipped))
    if result.unresolved:
        lines.append(f"未能确定所属单位的名称：{len({u['name'] for u in result.unresolved})} 个（{len(result.unresolved)} 行），"
                     f"这些行未与任何单位合并，见疑点清单.xlsx“未定单位名称”表")
    return "\n".join(lines)
