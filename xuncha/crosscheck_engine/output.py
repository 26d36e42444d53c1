"""Output (比对结果): ``findings.jsonl`` for machines and ``疑点清单.xlsx`` for people."""

from __future__ import annotations

import json
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from .rules import CATEGORIES, RULES
from .tables import TABLES

FINDINGS = "findings.jsonl"
WORKBOOK = "疑点清单.xlsx"

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_PRIMARY_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_findings(hits, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for hit in hits:
            fh.write(json.dumps(hit.as_dict(), ensure_ascii=False, default=str))
            fh.write("\n")
    os.replace(tmp, path)


def _sheet_name(rule) -> str:
    name = f"{rule.code} {rule.title}"
    for ch in "/\\?*[]:／":
        name = name.replace(ch, "、")
    return name[:31]


def _head(ws, values):
    cells = []
    for v in values:
        c = WriteOnlyCell(ws, value=v)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        cells.append(c)
    ws.append(cells)


def _summary_sheet(wb, result) -> None:
    ws = wb.create_sheet("汇总")
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["D"].width = 26
    ws.column_dimensions["F"].width = 18
    ws.column_dimensions["G"].width = 40
    ws.append([f"数据比对疑点清单（比对基准日 {result.as_of.isoformat()}）"])
    ws.append(["说明：规则命中的是疑点，须经核实后方可认定为问题。"])
    _head(ws, ["规则", "名称", "类别代码", "类别", "疑点数", "涉及金额（元）", "运行情况"])
    for s in result.stats:
        state = "已运行" if s.ran else "未运行：缺少" + "、".join(f"{TABLES[t].name}（{t}）" for t in s.missing)
        ws.append([s.rule, s.title, s.category, CATEGORIES[s.category], s.hits, round(s.amount, 2), state])
    ws.append(["合计", "", "", "", sum(s.hits for s in result.stats),
               round(sum(s.amount for s in result.stats), 2), ""])
    ws.append([])
    _head(ws, ["表", "中文名", "导入行数", "文件"])
    for code, table in TABLES.items():
        ws.append([code, table.name, result.tables.get(code, 0), "、".join(result.files.get(code, [])) or "（无）"])
    if result.ignored_files:
        ws.append([])
        ws.append(["未识别的文件（文件名不以表代码或中文名开头，未导入）：", "、".join(result.ignored_files)])


def _rule_sheet(wb, rule, hits) -> None:
    ws = wb.create_sheet(_sheet_name(rule))
    primary = TABLES[rule.primary]
    related: list[str] = []
    for h in hits:
        for r in h.evidence["rows"][1:]:
            if r["table"] not in related:
                related.append(r["table"])
    fact_keys: list[str] = []
    for h in hits:
        for k in h.evidence["facts"]:
            if k not in fact_keys:
                fact_keys.append(k)
    header = ["序号", "疑点摘要", "涉及金额（元）", "主记录文件", "主记录行"]
    header += [f"【{primary.name}】{c.header}" for c in primary.columns]
    header += [f"【计算】{k}" for k in fact_keys]
    for t in related:
        header += [f"【{TABLES[t].name}】文件", f"【{TABLES[t].name}】行", f"【{TABLES[t].name}】匹配依据"]
        header += [f"【{TABLES[t].name}】{c.header}" for c in TABLES[t].columns]
    ws.column_dimensions["B"].width = 60
    ws.freeze_panes = "C2"
    _head(ws, header)
    if not hits:
        ws.append(["", "本规则没有疑点"])
        return
    for n, h in enumerate(hits, 1):
        rows = h.evidence["rows"]
        p = rows[0]
        by_table: dict[str, list[dict]] = {}
        for r in rows[1:]:
            by_table.setdefault(r["table"], []).append(r)
        lines = max([1, *(len(v) for v in by_table.values())])
        for i in range(lines):
            line: list = [n]
            if i == 0:
                summary = WriteOnlyCell(ws, value=h.summary)
                summary.alignment = _WRAP
                line += [summary, h.amount, p["file"], p["row"]]
                line += [p["values"].get(c.header) for c in primary.columns]
                line += [h.evidence["facts"].get(k) for k in fact_keys]
            else:
                line += [None] * (4 + len(primary.columns) + len(fact_keys))
            for t in related:
                items = by_table.get(t, [])
                if i < len(items):
                    r = items[i]
                    line += [r["file"], r["row"], r["match"]] + [r["values"].get(c.header) for c in TABLES[t].columns]
                else:
                    line += [None] * (3 + len(TABLES[t].columns))
            ws.append(line)


def write_workbook(result, path: Path) -> None:
    wb = Workbook(write_only=True)
    _summary_sheet(wb, result)
    by_rule: dict[str, list] = {r.code: [] for r in RULES}
    for h in result.hits:
        by_rule[h.rule].append(h)
    ran = {s.rule for s in result.stats if s.ran}
    for rule in RULES:
        if rule.code in ran:
            _rule_sheet(wb, rule, by_rule[rule.code])
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)


def write_all(result, out_dir: Path, progress=None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if progress:
        progress("输出", 0, 2)
    write_findings(result.hits, out_dir / FINDINGS)
    if progress:
        progress("输出", 1, 2)
    write_workbook(result, out_dir / WORKBOOK)
    if progress:
        progress("输出", 2, 2)


def summary_table(result) -> str:
    """Plain-text table of hits and money by rule, and the rules that did not run."""
    lines = [f"{'规则':<4} {'名称':<14} {'类别':<6} {'疑点数':>7} {'涉及金额（元）':>18}"]
    for s in result.stats:
        if s.ran:
            lines.append(f"{s.rule:<6}{s.title:<{max(1, 16 - len(s.title))}} {s.category:<7}"
                         f"{s.hits:>8} {s.amount:>20,.2f}")
    lines.append(f"{'合计':<22}{sum(s.hits for s in result.stats):>16} "
                 f"{sum(s.amount for s in result.stats):>20,.2f}")
    missing = [s for s in result.stats if not s.ran]
    if missing:
        lines.append("未运行的规则（缺少数据表）：")
        for s in missing:
            lines.append(f"  {s.rule} {s.title}：缺少" + "、".join(f"{TABLES[t].name}（{t}）" for t in s.missing))
    if result.ignored_files:
        lines.append("未识别、未导入的文件：" + "、".join(result.ignored_files))
    return "\n".join(lines)
