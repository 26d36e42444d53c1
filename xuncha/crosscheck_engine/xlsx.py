"""A small, fast .xlsx writer for the 疑点清单 (one streaming pass, inline strings).

openpyxl's write-only mode needs about 9 µs per cell; a check that finds tens of thousands of hits with
their evidence side by side writes over a million cells, so the workbook is written here directly as
Office Open XML (about 1 µs per cell). The tests read the result back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

STYLE_PLAIN, STYLE_HEAD, STYLE_WRAP, STYLE_TITLE = 0, 1, 2, 3

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="3"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font>
<font><b/><sz val="14"/><name val="等线"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">
<alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_LETTERS = [_col_letter(i) for i in range(702)]


_PLAIN_TEXT = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # what escaping would change


def _cell(ref: str, value, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if type(value) is str and value and not _PLAIN_TEXT.search(value):  # most cells: text written as it is
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            value = str(value)
        else:
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class Sheet:
    def __init__(self, name: str, widths: dict[int, float] | None = None, freeze: tuple[int, int] | None = None):
        self.name = name
        self.widths = widths or {}
        self.freeze = freeze  # (rows, cols) kept in view
        self.rows: list[str] = []
        self.merges: list[str] = []

    def append(self, values: Iterable, style: int = STYLE_PLAIN, styles: dict[int, int] | None = None) -> None:
        r = len(self.rows) + 1
        # most cells: plain style, text that escaping would not change, or empty: written here as _cell
        # would write them, without a call a cell
        plain = _PLAIN_TEXT.search
        get = styles.get if styles else None
        cells = []
        for i, v in enumerate(values):
            st = get(i, style) if get is not None else style
            if not st:
                if v is None:
                    continue
                if type(v) is str and v and not plain(v):
                    cells.append(f'<c r="{_LETTERS[i]}{r}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>')
                    continue
            cells.append(_cell(f"{_LETTERS[i]}{r}", v, st))
        self.rows.append(f'<row r="{r}">{"".join(cells)}</row>')

    def merge(self, first_col: int, last_col: int) -> None:
        """Merge the cells of the last appended row from ``first_col`` to ``last_col`` (0-based)."""
        r = len(self.rows)
        self.merges.append(f"{_LETTERS[first_col]}{r}:{_LETTERS[last_col]}{r}")

    def xml(self) -> str:
        parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
        if self.freeze:
            rows, cols = self.freeze
            top = f"{_LETTERS[cols]}{rows + 1}"
            attrs = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
            parts.append(f'<sheetViews><sheetView workbookViewId="0"><pane{attrs} topLeftCell="{top}" '
                         f'activePane="bottomRight" state="frozen"/></sheetView></sheetViews>')
        if self.widths:
            cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
                           for i, w in sorted(self.widths.items()))
            parts.append(f"<cols>{cols}</cols>")
        parts.append("<sheetData>")
        parts.extend(self.rows)
        parts.append("</sheetData>")
        if self.merges:
            parts.append(f'<mergeCells count="{len(self.merges)}">'
                         + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>")
        parts.append("</worksheet>")
        return "".join(parts)


def write_workbook(path, sheets: Iterable[Sheet], names: list[str] | None = None) -> None:
    """The workbook of ``sheets``, a list, or with ``names`` (theirs, in order) any iterable: the sheets
    may then be made one by one. Each sheet is written into the file by a second thread while the next
    one is made (deflate runs without the GIL) and dropped once written; the bytes are the same."""
    if names is None:
        sheets = list(sheets)
        names = [s.name for s in sheets]
    n = len(names)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, n + 1))
        + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, name in enumerate(names, 1))
                + "</sheets></workbook>")
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i}" '
                         'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                         f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
               + f'<Relationship Id="rId{n + 1}" '
               'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
               'Target="styles.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        def put(name: str, data: str) -> None:  # a fixed time stamp: the same hits give the same bytes
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=1)

        put("[Content_Types].xml", content_types)
        put("_rels/.rels", rels)
        put("xl/workbook.xml", workbook)
        put("xl/_rels/workbook.xml.rels", wb_rels)
        put("xl/styles.xml", _STYLES)
        todo: queue.SimpleQueue = queue.SimpleQueue()
        errors: list[BaseException] = []

        def write_sheets() -> None:
            try:
                for i, name in enumerate(names, 1):
                    sheet = todo.get()
                    if sheet is None:
                        return
                    if sheet.name != name:
                        raise ValueError(f"sheet {i} is {sheet.name!r}, named {name!r} in the workbook")
                    put(f"xl/worksheets/sheet{i}.xml", sheet.xml())
                    del sheet
            except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
                errors.append(exc)

        writer = threading.Thread(target=write_sheets, name="xuncha-xlsx", daemon=True)
        writer.start()
        made = 0
        try:
            for sheet in sheets:
                if errors:
                    break
                todo.put(sheet)
                made += 1
        finally:
            todo.put(None)
            writer.join()
        if errors:
            raise errors[0]
        if made != n:
            raise ValueError(f"{made} sheets made, {n} named")
