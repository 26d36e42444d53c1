"""Ledgers as Excel (台账 .xlsx): title row, styled header, widths, landscape print with repeated header."""

from __future__ import annotations

import io
from datetime import date, datetime
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
FONT = "宋体"
DATE_FORMAT = "yyyy-mm-dd"


def _safe(value):
    """Text that starts like a formula is written as text (no formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def ledger_sheet(ws, title: str, columns: list[tuple[str, int]], rows, subtitle: str = "") -> None:
    """Fill a sheet: row 1 title, row 2 subtitle, row 3 header, then data; print setup."""
    ncols = len(columns)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = Font(name="方正小标宋简体", size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = subtitle
    ws["A2"].font = Font(name=FONT, size=11)
    for i, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=name)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[3].height = 30
    r = 3
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=_safe(value))
            cell.font = Font(name=FONT, size=10)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, date | datetime):      # a real date cell (sorts and filters in Excel)
                cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(vertical="top", horizontal="center")
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if r >= 4:
        ws.print_area = f"A1:{last}{r}"


def summary_sheet(ws, title: str, groups: list[tuple[str, list[tuple[str, int]]]]) -> None:
    """统计 sheet: one block per grouping (e.g. 按来源方式, 按问题类别)."""
    ws["A1"] = title
    ws["A1"].font = Font(name="黑体", size=14, bold=True)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 12
    r = 3
    for heading, items in groups:
        for c, text in enumerate((heading, "件数"), start=1):
            cell = ws.cell(row=r, column=c, value=text)
            cell.font = Font(name="黑体", bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
        r += 1
        for label, n in items:
            ws.cell(row=r, column=1, value=_safe(label)).border = BORDER
            ws.cell(row=r, column=2, value=n).border = BORDER
            r += 1
        r += 1
    ws.page_setup.orientation = "portrait"


def new_workbook() -> Workbook:
    return Workbook()


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def disposition(filename: str) -> str:
    return f"attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{quote(filename)}"
