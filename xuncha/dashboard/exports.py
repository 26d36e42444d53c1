"""通报 export of the dashboard's figures: .docx in the GB/T 9704 layout and .xlsx (one sheet per figure).

Both are written from the same ``all_figures`` dict the page shows, so the printed figures are the
page's figures.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from xuncha.documents import gbt9704 as g
from xuncha.documents.services import cn_date, docx_response
from xuncha.petitions import xlsx
from xuncha.rounds.models import Round

from .selectors import Filters

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_SIZE = Pt(12)       # 小四 in tables
STAGE_NAMES = [label for _, label in Round.Stage.choices]


def _yuan(value) -> str:
    """Money as a 通报 writes it: 万元 from ten thousand up, else 元."""
    if value >= 10000:
        return f"{value / 10000:,.2f}万元"
    return f"{value:,.2f}元"


def _items_text(items) -> str:
    parts = [f"{i.label}{i.value}" for i in items if i.value]
    return "，".join(parts) if parts else "无"


def title_of(f: Filters) -> str:
    return f"关于{f.title if f.title != '全部' else ''}巡察工作进展和成效情况的通报"


def _table(document, header: list[str], rows: list[list]):
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (row, values) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        for cell, value in zip(row.cells, values, strict=True):      # row.cells once: table.cell() rescans
            para = cell.paragraphs[0]
            para.paragraph_format.first_line_indent = None
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(str(value))
            g.set_run_font(run, g.HEADING_FONT if r == 0 else g.BODY_FONT, TABLE_SIZE)
    return table


def document(user, f: Filters, figs: dict) -> bytes:
    today = timezone.localdate()
    t = figs["totals"]
    doc = g.new_document()
    g.title(doc, title_of(f))
    g.blank(doc)
    g.body(doc, f"截至{cn_date(today)}，{f.title if f.title != '全部' else '本级及所辖县（区）'}巡察工作进展和成效情况通报如下。")
    g.heading1(doc, "一、巡察工作进展")
    g.body(doc, f"共开展巡察{t['rounds']}轮，其中" + _items_text(figs["stage"]).replace("，", "轮，") + "轮。"
           if t["rounds"] else "尚未开展巡察。")
    _table(doc, ["县（区）", "轮次", *STAGE_NAMES, "平均进度"],
           [[c["name"], c["rounds"], *c["stages"], f"{c['percent']}%"] for c in figs["county"]])
    g.heading1(doc, "二、发现问题情况")
    m = figs["money"]
    g.body(doc, f"共发现问题{t['problems']}个，涉及金额{_yuan(m['found'])}，应追缴（挽回）金额{_yuan(m['to_recover'])}。")
    for i, item in enumerate(figs["problems"], start=1):
        g.body(doc, f"{i}. {item.label}{item.value}个，涉及金额{_yuan(item.amount)}。")
    g.heading1(doc, "三、问题线索处置情况")
    g.body(doc, f"共受理问题线索{t['clues']}件：{_items_text(figs['clues_disposal'])}。")
    g.body(doc, f"承办单位已办结的线索中：{_items_text(figs['clues_form'])}；查办处理{figs['accountable']['clues']}人。")
    g.heading1(doc, "四、数据比对疑点核实情况")
    g.body(doc, f"数据比对共发现疑点{t['suspicions']}个：{_items_text(figs['suspicions'])}。" if t["suspicions"]
           else "尚无数据比对疑点。")
    g.heading1(doc, "五、整改情况")
    rect = figs["rect"]
    if rect["points"]:
        shares = "，".join(f"{i.label}{i.value}项（占{rect['shares'][i.key]}%）" for i in rect["results"] if i.value)
        g.body(doc, f"整改台账共{rect['points']}项：{shares}。已追缴（挽回）金额{_yuan(rect['recovered'])}"
                    f"（台账应追缴{_yuan(rect['to_recover'])}）；追责问责{rect['accountable']}人；"
                    f"虚假整改红牌{rect['red_cards']}次。")
    else:
        g.body(doc, "尚无整改台账。")
    g.heading1(doc, "六、逾期事项")
    g.body(doc, f"{_items_text(figs['overdue'])}。" if t["overdue"] else "无逾期事项。")
    g.blank(doc)
    who = user.organization.name if user.organization_id else "巡察办"
    g.signature(doc, who, cn_date(today))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response_for(user, f: Filters, figs: dict) -> HttpResponse:
    return docx_response(document(user, f, figs), f"{title_of(f)}.docx")


def workbook(user, f: Filters, figs: dict) -> bytes:
    wb = xlsx.new_workbook()
    sub = f"范围：{f.title}；统计截至{cn_date(timezone.localdate())}"
    ws = wb.active
    ws.title = "进度"
    xlsx.ledger_sheet(ws, "各县（区）巡察进度", [("县（区）", 14), ("轮次", 8)] + [(s, 8) for s in STAGE_NAMES]
                      + [("平均进度（%）", 12)],
                      [[c["name"], c["rounds"], *c["stages"], c["percent"]] for c in figs["county"]], subtitle=sub)
    m = figs["money"]
    rect = figs["rect"]
    sheets = [
        ("阶段", "巡察轮次（按阶段）", [[i.label, i.value] for i in figs["stage"]], None),
        ("问题类别", "发现问题（按问题类别）", [[i.label, i.value, float(i.amount)] for i in figs["problems"]],
         "涉及金额（元）"),
        ("线索处置", "问题线索（按处置方式）", [[i.label, i.value] for i in figs["clues_disposal"]], None),
        ("四种形态", "问题线索办结（按四种形态）", [[i.label, i.value] for i in figs["clues_form"]], None),
        ("逾期事项", "逾期事项", [[i.label, i.value] for i in figs["overdue"]], None),
        ("疑点", "数据比对疑点（按核实状态）", [[i.label, i.value] for i in figs["suspicions"]], None),
        ("整改结果", "整改台账（按整改结果）", [[i.label, i.value, rect["shares"][i.key]] for i in rect["results"]],
         "占比（%）"),
        ("成效", "成效", [["问题涉及金额（元）", float(m["found"])], ["应追缴/挽回金额（元）", float(m["to_recover"])],
                        ["已追缴/挽回金额（元，整改台账）", float(rect["recovered"])],
                        ["查办处理人数（问题线索）", figs["accountable"]["clues"]],
                        ["追责问责人数（整改）", rect["accountable"]], ["虚假整改红牌（次）", rect["red_cards"]]], None),
    ]
    for name, heading, rows, extra in sheets:
        columns = [("项目", 36), ("数值", 14)] + ([(extra, 16)] if extra else [])
        xlsx.ledger_sheet(wb.create_sheet(name), heading, columns, rows, subtitle=sub)
    return xlsx.to_bytes(wb)


def xlsx_response(user, f: Filters, figs: dict) -> HttpResponse:
    response = HttpResponse(workbook(user, f, figs), content_type=XLSX_MIME)
    response["Content-Disposition"] = xlsx.disposition(f"{title_of(f).removesuffix('的通报')}统计表.xlsx")
    response["Cache-Control"] = "no-store"
    return response
