"""Where the data of a file is (文件版式): encoding, delimiter, sheets, header row, units row, columns.

A CSV that is UTF-8 without blank lines after the header is read by DuckDB as it is; anything else (GBK,
tabs, blank lines, workbooks) is turned into a UTF-8 CSV that carries the worksheet and the Excel row of
every record, so that every row keeps the number the user sees in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError
from .tables import MONEY, Column, Table, header_index, loose_index, normalise_header, unit_of, variant_column

HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 500  # a file wider than this is not a department's table (1,000 empty columns …)
MAX_CELL = 32_767  # Excel's own limit of characters in a cell
csv.field_size_limit(64 * 1024 * 1024)  # long cells are refused with a message, not by the csv module


@dataclass
class FileLayout:
    """Where the header is and what each column means."""

    path: Path
    table: Table
    csv_path: Path  # UTF-8 CSV DuckDB reads (the file itself or a converted copy)
    header_row: int  # Excel row of the header (1-based; of the first sheet read)
    first_record: int  # records DuckDB reads before the first data record (CSV read as it is)
    row_offset: int  # Excel row = record ordinal + row_offset (CSV read as it is)
    width: int  # number of columns DuckDB reads
    columns: dict[int, Column]  # position (0-based, without _sheet/_row) → column
    wan: set[str] = field(default_factory=set)  # fields whose header says 万元
    has_row_column: bool = False  # True when the CSV carries _sheet and _row in its first columns
    encoding: str = "utf-8"
    delimiter: str = ","
    sheets: list[str] = field(default_factory=list)  # worksheets read
    skipped: list[str] = field(default_factory=list)  # worksheets not read, with the reason


def _err(path: Path, message: str, **kw) -> DataError:
    return DataError(f"文件 {path.name}：{message}", file=path.name, **kw)


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _utf8_line(line: bytes) -> bool:
    """Whether a line is UTF-8 rather than GBK. A short GBK line may be valid UTF-8 by chance (the units
    cell 元 is D4 AA in GBK, Armenian Ԫ in UTF-8): when both decode, the reading with Chinese wins (a UTF-8
    Chinese character is three bytes, read as GBK it makes at most one and a half)."""
    try:
        u = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        g = line.decode("gb18030")
    except UnicodeDecodeError:
        return True
    return 3 * _cjk(u) >= 2 * _cjk(g)


def decode_csv(path: Path) -> tuple[str, str]:
    """The text of a CSV and its encoding; a file that mixes UTF-8 and GBK is refused naming the line."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    first_utf8 = first_gbk = None
    for n, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        if _utf8_line(line):
            first_utf8 = first_utf8 or n
        else:
            first_gbk = first_gbk or n
        if first_utf8 and first_gbk:
            later, kind, other = (first_gbk, "GBK", "UTF-8") if first_utf8 < first_gbk else \
                (first_utf8, "UTF-8", "GBK")
            raise _err(path, f"第{later}行是 {kind} 编码，前面的行是 {other} 编码；一个文件只能用一种编码，"
                             f"请整个另存为 UTF-8 或 GBK", row=later, expected="统一的 UTF-8 或 GBK 编码")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _err(path, f"第{line}行无法识别文字编码（应为 UTF-8 或 GBK/GB18030）", row=line,
                   expected="UTF-8 或 GBK/GB18030 编码") from None


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # a whole number as Excel holds it exactly (a permit number of 16 digits too), else as Python writes it
        return str(int(value)) if value.is_integer() and abs(value) <= 2 ** 53 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _map_cells(path: Path, index: dict[str, Column], loose: dict[str, Column], cells: list[str],
               excel_row: int, where: str) -> tuple[dict[int, Column], set[str]]:
    """Position → column of one header row, and the money columns it says are in 万元."""
    mapped: dict[int, Column] = {}
    wan: set[str] = set()
    seen: dict[str, int] = {}
    later: list[tuple[int, str, bool]] = []
    for i, cell in enumerate(cells):
        bare, says_wan = normalise_header(cell)
        col = index.get(bare)
        if col is None:
            if bare:
                later.append((i, bare, says_wan))
            continue
        if col.field in seen:
            raise _err(path, f"{where}第{excel_row}行（表头）：列「{col.header}」出现了两次（第{seen[col.field] + 1}"
                             f"列和第{i + 1}列），请只保留一列",
                       row=excel_row, column=col.header, expected="每列只出现一次")
        seen[col.field] = i
        mapped[i] = col
        if says_wan and col.kind == MONEY:
            wan.add(col.field)
    # a cell that names no column as it is may name one in another spelling (header_variants), for a
    # column no other cell names; two such cells for one column leave it to neither
    guesses: dict[str, list[tuple[int, Column, bool]]] = {}
    for i, bare, says_wan in later:
        col = variant_column(index, bare, loose)
        if col is not None and col.field not in seen:
            guesses.setdefault(col.field, []).append((i, col, says_wan))
    for [(i, col, says_wan)] in (g for g in guesses.values() if len(g) == 1):
        seen[col.field] = i
        mapped[i] = col
        if says_wan and col.kind == MONEY:
            wan.add(col.field)
    return mapped, wan


def _two_level(index: dict[str, Column], loose: dict[str, Column], parent: list[str], child: list[str]) -> list[str]:
    """One header row from a header of two rows (建筑面积（㎡） over 总建筑面积 / 地上 / 地下; 建设单位 over 名称 /
    统一社会信用代码): each column's child cell, the child before or after its parent (the parent cell spreads
    over the empty cells to its right, as a merged cell does), or the parent alone under which nothing is
    written (a cell merged down), whichever names a column first."""
    width = max(len(parent), len(child))
    parent = parent + [""] * (width - len(parent))
    child = child + [""] * (width - len(child))
    out, above = [], ""
    for p, c in zip(parent, child, strict=True):
        above = p or (above if c else "")
        if not c:
            out.append(p)
            continue
        bare = normalise_header(above)[0]
        options = [c, c + above, bare + c, bare + normalise_header(c)[0]]
        out.append(next((o for o in options if (b := normalise_header(o)[0]) in index
                         or variant_column(index, b, loose) is not None), c))
    return out


def find_header(path: Path, table: Table, rows: list[tuple[int, list[str]]], where: str = ""
                ) -> tuple[int, dict[int, Column], set[str], int, int]:
    """The header among the first rows: the first row holding the key column and most columns; a header of
    two rows (a parent cell merged over its columns' cells) is read as one when it names more columns.

    Returns (Excel row, position → column, fields in 万元, index in ``rows``, rows between the header row and
    the data: a second header row, a units row).
    """
    index, loose = header_index(table), loose_index(table)
    best = None
    for pos, (excel_row, cells) in enumerate(rows):
        mapped, wan = _map_cells(path, index, loose, cells, excel_row, where)
        extra = 0
        required = [col for col in table.columns if col.required]
        if pos + 1 < len(rows) and not all(any(c is col for c in mapped.values()) for col in required) \
                and any(rows[pos + 1][1]):
            try:
                two = _map_cells(path, index, loose, _two_level(index, loose, cells, rows[pos + 1][1]),
                                 excel_row, where)
            except DataError:
                two = None  # not a header of two rows
            if two is not None and len(two[0]) > len(mapped) and any(c is table.key for c in two[0].values()):
                (mapped, wan), extra = two, 1
        has_key = any(c is table.key for c in mapped.values())
        if has_key and (best is None or len(mapped) > len(best[1])):
            best = (excel_row, mapped, wan, pos, extra)
        if has_key and all(any(c is col for c in mapped.values()) for col in required):
            break
    if best is None:
        raise _err(path, f"{where}前 {HEADER_SCAN_ROWS} 行中找不到表头（应有「{table.key.header}」等列，"
                         f"见《数据比对接口规范》{table.name}表）",
                   column=table.key.header, expected=f"{table.name}表的表头")
    excel_row, mapped, wan, pos, extra = best
    present = {c.field for c in mapped.values()}
    missing = [c.header for c in table.columns if c.required and c.field not in present]
    if missing:
        raise _err(path, f"{where}第{excel_row}行（表头）：缺少必填列「{'」「'.join(missing)}」",
                   row=excel_row, column=missing[0], expected="必填列")
    # a title row above the header that says 单位：万元 applies to every money column
    for _r, cells in rows[:pos]:
        text = "".join(cells).replace(" ", "")
        if "单位:万元" in text or "单位：万元" in text or "(万元)" in text or "（万元）" in text:
            wan |= {c.field for c in mapped.values() if c.kind == MONEY}
    after = pos + 1 + extra
    if after < len(rows):  # a row of units under the header: 元, ㎡, 万元
        cells = rows[after][1]
        said = {i: unit_of(c) for i, c in enumerate(cells) if str(c).strip()}
        if said and all(u is not None for u in said.values()):
            extra += 1
            wan |= {mapped[i].field for i, u in said.items() if i in mapped and "万" in u and mapped[i].kind == MONEY}
    return excel_row, mapped, wan, pos, extra


def _check_width(path: Path, width: int, row: int) -> None:
    if width > MAX_COLUMNS:
        raise _err(path, f"第{row}行有 {width} 列，超过 {MAX_COLUMNS} 列的上限：请删除多余的空列后再导入",
                   row=row, expected=f"不超过 {MAX_COLUMNS} 列")


def layout_csv(path: Path, table: Table, workdir: Path) -> FileLayout:
    text, encoding = decode_csv(path)
    first = text[:1_000_000]
    first_lines = first.splitlines()[:HEADER_SCAN_ROWS]
    delim = "\t" if sum(x.count("\t") for x in first_lines) > sum(x.count(",") for x in first_lines) else ","
    reader = csv.reader(io.StringIO(first), delimiter=delim)
    rows: list[tuple[int, list[str]]] = []
    line_after: list[int] = []
    for n, rec in enumerate(reader, 1):
        rows.append((n, rec))
        line_after.append(reader.line_num)
        if n >= HEADER_SCAN_ROWS:
            break
    header_row, mapped, wan, pos, units = find_header(path, table, rows)
    _check_width(path, len(rows[pos][1]), header_row)
    width = max(len(rows[pos][1]), max(mapped) + 1)
    data_from = pos + 1 + units  # index in ``rows`` of the first data record
    # blank lines: DuckDB skips them, Excel shows them as rows; they decide how rows are counted
    head_end = _nth_newline(text, line_after[data_from - 1]) if data_from <= len(line_after) else len(text)
    rest = text[head_end:]
    blank_after = rest.startswith(("\n", "\r\n")) or "\n\n" in rest or "\n\r\n" in rest
    blank_before = sum(1 for _n, rec in rows[:data_from] if not rec)
    if encoding in ("utf-8", "utf-8-sig") and delim == "," and not blank_after:
        return FileLayout(path, table, path, header_row, data_from - blank_before, blank_before, width, mapped,
                          wan, encoding=encoding, delimiter=delim)
    csv_path = workdir / f"{os.getpid()}_{id(path)}_{path.stem}.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["_sheet", "_row", *[f"c{i}" for i in range(width)]])
        for n, rec in enumerate(csv.reader(io.StringIO(text), delimiter=delim), 1):
            if n > data_from and any(c.strip() for c in rec):
                _check_width(path, len(rec), n)
                cells = rec[:width]
                w.writerow(["", n, *cells, *[""] * (width - len(cells))])
    return FileLayout(path, table, csv_path, header_row, 0, 0, width, mapped, wan, has_row_column=True,
                      encoding=encoding, delimiter=delim)


def _nth_newline(text: str, n: int) -> int:
    """Position just after the ``n``-th newline of ``text``."""
    pos = 0
    for _ in range(n):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def layout_excel(path: Path, table: Table, workdir: Path) -> FileLayout:
    """Every sheet whose header is recognised, into one CSV in the order of the table's columns."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - any reader failure means the file is unusable
        raise _err(path, f"无法作为 Excel 文件打开（{exc}）", expected="有效的 .xlsx 或 .xls 文件") from None
    columns = {i: c for i, c in enumerate(table.columns)}
    csv_path = workdir / f"{os.getpid()}_{id(path)}_{path.stem}.csv"
    sheets, skipped = [], []
    first_error: DataError | None = None
    header_row = None
    with open(csv_path, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["_sheet", "_row", *[f"c{i}" for i in range(len(columns))]])
        for sheet_name in book.sheet_names:
            data = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            rows = [(i + 1, [cell_text(v).strip() for v in r]) for i, r in enumerate(data[:HEADER_SCAN_ROWS])]
            if not any(any(c for c in cells) for _n, cells in rows):
                skipped.append(f"工作表「{sheet_name}」为空")
                continue
            try:
                hrow, mapped, wan, pos, units = find_header(path, table, rows, f"工作表「{sheet_name}」")
            except DataError as exc:
                if any(c is table.key for c in _mapped_anywhere(table, rows)):
                    raise  # the key column is there: a broken header, not another kind of sheet
                first_error = first_error or exc
                skipped.append(f"工作表「{sheet_name}」没有{table.name}表的表头")
                continue
            header_row = header_row or hrow
            sheets.append(sheet_name)
            where = {c.field: i for i, c in mapped.items()}
            order = [where.get(c.field) for c in table.columns]
            wan_pos = {where[f] for f in wan}
            # most rows are as wide as the header and most cells text: those go the short way
            full = None not in order
            need = max((j for j in order if j is not None), default=-1) + 1
            wan_at = [k for k, j in enumerate(order) if j in wan_pos]
            for i in range(pos + 1 + units, len(data)):
                raw = data[i]
                if full and len(raw) >= need:
                    cells = [v if type(v) is str else cell_text(v) for v in map(raw.__getitem__, order)]
                else:
                    cells = [cell_text(raw[j]) if j is not None and j < len(raw) else "" for j in order]
                if not any(c.strip() for c in cells):
                    continue
                for k in wan_at:
                    if cells[k].strip() and "万" not in cells[k]:
                        cells[k] += "万"
                if max(map(len, cells)) > MAX_CELL:
                    k = next(k for k, c in enumerate(cells) if len(c) > MAX_CELL)
                    raise _err(path, f"工作表「{sheet_name}」第{i + 1}行「{table.columns[k].header}」列：单元格有"
                                     f" {len(cells[k]):,} 个字符，超过 {MAX_CELL:,} 个字符的上限",
                               row=i + 1, column=table.columns[k].header, expected=f"不超过 {MAX_CELL} 个字符")
                w.writerow([sheet_name, i + 1, *cells])
    if not sheets:
        raise first_error or _err(path, "没有工作表")
    return FileLayout(path, table, csv_path, header_row or 1, 0, 0, len(columns), columns, set(),
                      has_row_column=True, sheets=sheets, skipped=skipped)


def _mapped_anywhere(table: Table, rows) -> list[Column]:
    """The columns any cell of these rows names, as written or in another spelling (``variant_column``)."""
    index, loose = header_index(table), loose_index(table)
    out = []
    for _n, cells in rows:
        for cell in cells:
            bare = normalise_header(cell)[0]
            col = (index.get(bare) or variant_column(index, bare, loose)) if bare else None
            if col is not None:
                out.append(col)
    return out


def layout_of(path: Path, table: Table, workdir: Path) -> FileLayout:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return layout_csv(path, table, workdir)
    if suffix in (".xlsx", ".xls", ".xlsm"):
        return layout_excel(path, table, workdir)
    raise _err(path, f"不支持的文件类型 {suffix}（应为 .xlsx、.xls 或 .csv）", expected=".xlsx、.xls 或 .csv")
