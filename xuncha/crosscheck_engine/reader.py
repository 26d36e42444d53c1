"""Reading and validating one input file (导入与校验).

A file is turned into a plain UTF-8 CSV of strings (CSV files that are already UTF-8 are read as they
are), read by DuckDB as text, and parsed column by column in SQL (money, area, dates, choices). Every
cell that does not parse is reported with the file, the row as Excel shows it, the column and what was
expected. A file with errors creates no table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .errors import DataError, DataErrors
from .tables import (
    AREA,
    CHOICE,
    CODE,
    DATE,
    KIND_EXPECTED,
    MONEY,
    NUMBER,
    Column,
    Table,
    header_index,
    normalise_header,
    table_for_filename,
)

SUFFIXES = (".csv", ".xlsx", ".xls", ".xlsm")
HEADER_SCAN_ROWS = 30
MAX_ERRORS_PER_FILE = 20

_FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ（）［］〔〕【】．－／，："
_HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()()()()./-,:"
assert len(_FULL) == len(_HALF)
_SPACE = "[\\s\u3000\u00a0]"
_FOOTER = r"^(制表|填表|审核|复核|备注|说明|注[:：]|数据来源|单位负责人)"
_TOTAL = r"^(合计|总计|小计|累计)"


@dataclass
class FileLayout:
    """Where the header is and what each column means."""

    path: Path
    table: Table
    csv_path: Path  # UTF-8 CSV DuckDB reads (the file itself or a converted copy)
    header_row: int  # Excel row of the header (1-based)
    skip_lines: int  # physical lines DuckDB skips to reach the first data line
    width: int  # number of columns DuckDB reads
    columns: dict[int, Column]  # position (0-based, without _row) → column
    wan: set[str] = field(default_factory=set)  # fields whose header says 万元
    has_row_column: bool = False  # True when the CSV carries the Excel row in its first column
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None  # the worksheet of a workbook (None for CSV)


def _decode_csv(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise DataError(f"文件 {path.name}：无法识别文字编码（应为 UTF-8 或 GBK/GB18030）", file=path.name,
                        expected="UTF-8 或 GBK/GB18030 编码") from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _find_header(path: Path, table: Table, rows: list[tuple[int, list[str]]]) -> tuple[int, dict[int, Column],
                                                                                       set[str], int]:
    """Pick the header among the first rows: the first row holding the key column and most columns."""
    index = header_index(table)
    best = None
    for pos, (excel_row, cells) in enumerate(rows):
        mapped: dict[int, Column] = {}
        wan: set[str] = set()
        seen: dict[str, int] = {}
        for i, cell in enumerate(cells):
            bare, says_wan = normalise_header(cell)
            col = index.get(bare)
            if col is None:
                continue
            if col.field in seen:
                raise DataError(
                    f"文件 {path.name} 第{excel_row}行（表头）：列「{col.header}」出现了两次"
                    f"（第{seen[col.field] + 1}列和第{i + 1}列），请只保留一列",
                    file=path.name, row=excel_row, column=col.header, expected="每列只出现一次")
            seen[col.field] = i
            mapped[i] = col
            if says_wan and col.kind == MONEY:
                wan.add(col.field)
        has_key = any(c is table.key for c in mapped.values())
        if has_key and (best is None or len(mapped) > len(best[1])):
            best = (excel_row, mapped, wan, pos)
        if has_key and all(any(c is col for c in mapped.values()) for col in table.columns if col.required):
            break
    if best is None:
        raise DataError(
            f"文件 {path.name}：前 {HEADER_SCAN_ROWS} 行中找不到表头（应有「{table.key.header}」等列，"
            f"见《数据比对接口规范》{table.name}表）",
            file=path.name, column=table.key.header, expected=f"{table.name}表的表头")
    excel_row, mapped, wan, pos = best
    present = {c.field for c in mapped.values()}
    missing = [c.header for c in table.columns if c.required and c.field not in present]
    if missing:
        raise DataError(
            f"文件 {path.name} 第{excel_row}行（表头）：缺少必填列「{'」「'.join(missing)}」",
            file=path.name, row=excel_row, column=missing[0], expected="必填列")
    # a title row above the header that says 单位：万元 applies to every money column
    for _r, cells in rows[:pos]:
        text = "".join(cells).replace(" ", "")
        if "单位:万元" in text or "单位：万元" in text or "(万元)" in text or "（万元）" in text:
            wan |= {c.field for c in mapped.values() if c.kind == MONEY}
    return excel_row, mapped, wan, pos


def _layout_csv(path: Path, table: Table, workdir: Path) -> FileLayout:
    text, encoding = _decode_csv(path)
    first = text[:200_000]
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
    header_row, mapped, wan, pos = _find_header(path, table, rows)
    width = max(len(rows[pos][1]), max(mapped) + 1)
    csv_path = path
    if encoding != "utf-8" or delim != ",":
        csv_path = workdir / f"{os.getpid()}_{id(path)}_{path.stem}.csv"
        if delim == ",":
            csv_path.write_text(text, encoding="utf-8")
        else:
            with open(csv_path, "w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerows(csv.reader(io.StringIO(text), delimiter=delim))
    return FileLayout(path, table, csv_path, header_row, line_after[pos], width, mapped, wan,
                      has_row_column=False, encoding=encoding, delimiter=delim)


def _layout_excel(path: Path, table: Table, workdir: Path) -> FileLayout:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - any reader failure means the file is unusable
        raise DataError(f"文件 {path.name}：无法作为 Excel 文件打开（{exc}）", file=path.name,
                        expected="有效的 .xlsx 或 .xls 文件") from None
    last_error: DataError | None = None
    for sheet_name in book.sheet_names:
        sheet = book.get_sheet_by_name(sheet_name)
        data = sheet.to_python(skip_empty_area=False)
        rows = [(i + 1, [_cell_text(v).strip() for v in r]) for i, r in enumerate(data[:HEADER_SCAN_ROWS])]
        try:
            header_row, mapped, wan, pos = _find_header(path, table, rows)
        except DataError as exc:
            last_error = last_error or exc
            continue
        width = max(mapped) + 1
        csv_path = workdir / f"{os.getpid()}_{id(path)}_{path.stem}.csv"
        with open(csv_path, "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out)
            w.writerow(["_row", *[f"c{i}" for i in range(width)]])
            for i in range(pos + 1, len(data)):
                cells = [_cell_text(v) for v in data[i][:width]]
                if any(c.strip() for c in cells):
                    w.writerow([i + 1, *cells, *[""] * (width - len(cells))])
        return FileLayout(path, table, csv_path, header_row, 1, width, mapped, wan, has_row_column=True)
    raise last_error or DataError(f"文件 {path.name}：没有工作表", file=path.name)


def layout_of(path: Path, table: Table, workdir: Path) -> FileLayout:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _layout_csv(path, table, workdir)
    if suffix in (".xlsx", ".xls", ".xlsm"):
        return _layout_excel(path, table, workdir)
    raise DataError(f"文件 {path.name}：不支持的文件类型 {suffix}（应为 .xlsx、.xls 或 .csv）", file=path.name,
                    expected=".xlsx、.xls 或 .csv")


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


_TRIM_CHARS = " \t\r\n\u3000\u00a0"


def _trim(x: str) -> str:
    return f"nullif(trim({x}, {_sql_str(_TRIM_CHARS)}), '')"


def _half(x: str) -> str:
    """Full-width forms → half-width; the costly translate only runs on cells that have them."""
    chars = "".join(sorted(set(_FULL))) + "\u3000"
    return (f"(CASE WHEN regexp_matches({x}, {_sql_str('[' + chars + ']')}) "
            f"THEN translate({x}, {_sql_str(_FULL)}, {_sql_str(_HALF)}) ELSE {x} END)")


def parse_expr(col: Column, raw: str, wan: bool) -> str:
    """SQL expression parsing the text cell ``raw`` as the column's kind (NULL when it does not parse).

    Each kind has a fast path (a plain cast) and a slow path for messy cells; DuckDB evaluates the slow
    path (inside ``coalesce``) only for the cells the fast path could not parse.
    """
    half = _half(raw)
    if col.kind == CODE:
        return _trim(raw)
    if col.kind == MONEY:
        s = f"regexp_replace({half}, '[,{_SPACE[1:-1]}元¥￥]', '', 'g')"
        scale = "10000.0" if wan else f"(CASE WHEN contains({s}, '万') THEN 10000.0 ELSE 1.0 END)"
        slow = f"try_cast(replace({s}, '万', '') AS DOUBLE) * {scale}"
        return f"round(coalesce(try_cast({raw} AS DOUBLE) * {10000.0 if wan else 1.0}, {slow}), 2)"
    if col.kind in (AREA, NUMBER):
        s = f"regexp_replace({half}, '[,{_SPACE[1:-1]}]|㎡|m²|平方米|平米|m2$|层$', '', 'g')"
        return f"coalesce(try_cast({raw} AS DOUBLE), try_cast({s} AS DOUBLE))"
    if col.kind == DATE:
        s = f"trim(regexp_replace({half}, '{_SPACE}+', ' ', 'g'))"
        d = (f"regexp_replace(regexp_replace(regexp_replace({s}, '[年月./]', '-', 'g'), '[日号]', '', 'g'), "
             f"'T', ' ')")
        parsed = (f"try_strptime({d}, ['%Y-%m-%d', '%Y%m%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', "
                  f"'%Y-%m-%d %H:%M:%S.%f'])::DATE")
        serial = (f"CASE WHEN regexp_full_match({s}, '\\d{{5}}(\\.\\d+)?') "
                  f"THEN DATE '1899-12-30' + CAST(floor(try_cast({s} AS DOUBLE)) AS INTEGER) END")
        return f"coalesce(try_cast({raw} AS DATE), {serial}, {parsed})"
    if col.kind == CHOICE:
        s = f"regexp_replace({half}, '{_SPACE}', '', 'g')"
        cases = " ".join(f"WHEN {_sql_str(k)} THEN {_sql_str(v)}" for k, v in col.choices.items())
        return f"(CASE {s} {cases} END)"
    return _trim(raw)


DATE_MIN, DATE_MAX = "1900-01-01", "2100-12-31"


def code_norm_expr(raw: str) -> str:
    """SQL: an identifier compared across tables (full-width → half-width, no spaces, upper case)."""
    half = _half(raw)
    return (f"nullif(upper(CASE WHEN regexp_matches({half}, '{_SPACE}') "
            f"THEN regexp_replace({half}, '{_SPACE}', '', 'g') ELSE {half} END), '')")


def _expected(col: Column) -> str:
    if col.kind == CHOICE:
        return "、".join(dict.fromkeys(col.choices.values()))
    return KIND_EXPECTED.get(col.kind, "文字")


def _excel_row_csv(layout: FileLayout, ordinal: int) -> int:
    """Excel row of the ``ordinal``-th non-blank record after the header (DuckDB skips blank lines)."""
    text, _ = _decode_csv(layout.path)
    reader = csv.reader(io.StringIO(text), delimiter=layout.delimiter)
    seen = 0
    for n, rec in enumerate(reader, 1):
        if n <= layout.header_row:
            continue
        if rec:
            seen += 1
        if seen == ordinal:
            return n
    return layout.header_row + ordinal


def load_file(con: duckdb.DuckDBPyConnection, path: Path, table: Table, workdir: Path,
              target: str) -> int:
    """Read, parse and validate one file into table ``target`` (created or appended). Returns rows."""
    layout = layout_of(path, table, workdir)
    cols = ", ".join([*(["'_row': 'BIGINT'"] if layout.has_row_column else []),
                      *[f"'c{i}': 'VARCHAR'" for i in range(layout.width)]])
    src = (f"read_csv({_sql_str(str(layout.csv_path))}, skip={layout.skip_lines}, header=false, "
           f"auto_detect=false, null_padding=true, parallel=false, delim=',', quote='\"', escape='\"', "
           f"strict_mode=false, columns={{{cols}}})")
    row_expr = "_row" if layout.has_row_column else f"(row_number() OVER () + {layout.header_row})"
    stage = f"_stage_{target}"
    raw_sel = ", ".join(f"c{i}" for i in range(layout.width))
    key_pos = next(i for i, c in layout.columns.items() if c is table.key)
    cells = [f"nullif(trim(c{i}), '')" for i in range(layout.width)]
    non_null = " + ".join(f"({c} IS NOT NULL)::INT" for c in cells)
    joined = f"concat_ws('|', {', '.join(cells)})"
    key_blank = f"(trim(coalesce(c{key_pos}, '')) = '')"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {stage} AS
        SELECT * FROM (SELECT {row_expr} AS _row, {raw_sel} FROM {src})
        WHERE NOT (CASE WHEN {key_blank}
                        THEN ({non_null}) = 0 OR regexp_matches({joined}, '(^|\\|){_TOTAL[1:]}')
                             OR (({non_null}) = 1 AND regexp_matches({joined}, '{_FOOTER}'))
                        ELSE regexp_matches(trim(c{key_pos}), '{_TOTAL}|{_FOOTER}') END)
    """)
    parsed = []
    by_field = {c.field: i for i, c in layout.columns.items()}
    for col in table.columns:
        if col.field in by_field:
            raw = f"c{by_field[col.field]}"
            parsed.append(f"{parse_expr(col, raw, col.field in layout.wan)} AS {col.field}")
            if col.kind == CODE:
                parsed.append(f"{code_norm_expr(raw)} AS {col.field}_n")
        else:
            parsed.append(f"NULL::{_sql_type(col)} AS {col.field}")
            if col.kind == CODE:
                parsed.append(f"NULL::VARCHAR AS {col.field}_n")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage}_p AS SELECT _row, {raw_sel}, {', '.join(parsed)} "
                f"FROM {stage}")
    errors = _validate(con, layout, f"{stage}_p")
    if errors:
        con.execute(f"DROP TABLE IF EXISTS {stage}; DROP TABLE IF EXISTS {stage}_p")
        raise DataErrors(errors) if len(errors) > 1 else errors[0]
    fields = ", ".join(table_fields(table))
    source_name = f"{_sql_str(path.name)} AS _file, {_sql_str(layout.sheet) if layout.sheet else 'NULL'}::VARCHAR AS _sheet"
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [target]).fetchone()[0]
    if exists:
        con.execute(f"INSERT INTO {target} SELECT {source_name}, _row, {fields} FROM {stage}_p")
    else:
        con.execute(f"CREATE TABLE {target} AS SELECT {source_name}, _row, {fields} FROM {stage}_p")
    n = con.execute(f"SELECT count(*) FROM {stage}_p").fetchone()[0]
    con.execute(f"DROP TABLE IF EXISTS {stage}; DROP TABLE IF EXISTS {stage}_p")
    return n


def table_fields(table: Table) -> list[str]:
    """Fields of the DuckDB table of ``table``: each column, plus ``<field>_n`` for identifiers."""
    out = []
    for col in table.columns:
        out.append(col.field)
        if col.kind == CODE:
            out.append(f"{col.field}_n")
    return out


def _sql_type(col: Column) -> str:
    return {MONEY: "DOUBLE", AREA: "DOUBLE", NUMBER: "DOUBLE", DATE: "DATE"}.get(col.kind, "VARCHAR")


def _validate(con, layout: FileLayout, stage: str) -> list[DataError]:
    table = layout.table
    by_field = {c.field: i for i, c in layout.columns.items()}
    errors: list[DataError] = []
    checks = []  # (column, SQL condition of a bad cell)
    for col in table.columns:
        if col.field not in by_field:
            continue
        raw = f"c{by_field[col.field]}"
        blank = f"(trim(coalesce({raw}, ''), {_sql_str(_TRIM_CHARS)}) = '')"
        bad = f"{col.field} IS NULL"
        if col.kind == DATE:
            bad = f"({col.field} IS NULL OR {col.field} NOT BETWEEN DATE '{DATE_MIN}' AND DATE '{DATE_MAX}')"
        cond = f"(NOT {blank} AND {bad})"
        if col.required:
            cond = f"({cond} OR {blank})"
        checks.append((col, raw, cond))
    if checks:
        flags = ", ".join(f"{cond} AS f{i}" for i, (_c, _r, cond) in enumerate(checks))
        raws = ", ".join(raw for _c, raw, _x in checks)
        any_bad = " OR ".join(cond for _c, _r, cond in checks)
        rows = con.execute(f"SELECT _row, {raws}, {flags} FROM {stage} WHERE {any_bad} ORDER BY _row "
                           f"LIMIT {MAX_ERRORS_PER_FILE}").fetchall()
        n = len(checks)
        for rec in rows:
            for i, (col, _raw, _cond) in enumerate(checks):
                if rec[1 + n + i]:
                    errors.append(_cell_error(layout, rec[0], col, rec[1 + i]))
    key = table.key.field
    for value, rows in con.execute(
            f"SELECT min({key}), list(_row ORDER BY _row) FROM {stage} WHERE {key}_n IS NOT NULL "
            f"GROUP BY {key}_n HAVING count(*) > 1 ORDER BY min(_row) LIMIT 5").fetchall():
        rows = [_fix_row(layout, r) for r in rows[:5]]
        errors.append(DataError(
            f"文件 {layout.path.name} 第{'、'.join(map(str, rows))}行：「{table.key.header}」{value} 重复"
            f"（每行的{table.key.header}应唯一）",
            file=layout.path.name, row=rows[0], column=table.key.header,
            expected=f"唯一的{table.key.header}", value=value))
    errors.sort(key=lambda e: (e.row or 0))
    return errors[:MAX_ERRORS_PER_FILE]


def _fix_row(layout: FileLayout, row: int) -> int:
    if layout.has_row_column:
        return row
    return _excel_row_csv(layout, row - layout.header_row)


def _cell_error(layout: FileLayout, row: int, col: Column, value) -> DataError:
    row = _fix_row(layout, row)
    name = layout.path.name
    blank = value is None or not str(value).strip()
    if blank:
        msg = f"文件 {name} 第{row}行「{col.header}」列：必填，不能为空"
        expected = "必填" + ("" if col.kind == "text" else f"，{_expected(col)}")
    else:
        expected = _expected(col)
        msg = f"文件 {name} 第{row}行「{col.header}」列：应为{expected}，实际为「{str(value).strip()}」"
    return DataError(msg, file=name, row=row, column=col.header, expected=expected,
                     value=None if blank else str(value))


def discover(data_dir: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """Files of DATA_DIR by table code, and the files that belong to no table."""
    found: dict[str, list[Path]] = {}
    unknown: list[Path] = []
    for path in sorted(Path(data_dir).iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        if path.suffix.lower() not in SUFFIXES:
            continue
        table = table_for_filename(path.name)
        if table is None:
            unknown.append(path)
        else:
            found.setdefault(table.code, []).append(path)
    return found, unknown


def read_table_file(path: str | os.PathLike, table_code: str | None = None) -> tuple[str, list[dict]]:
    """Validate one uploaded file and return (table code, rows keyed by the canonical Chinese header).

    Raises :class:`DataError` (file, Excel row, column, expected) when the file is unusable.
    """
    from .tables import TABLES

    path = Path(path)
    table = TABLES.get(table_code) if table_code else table_for_filename(path.name)
    if table is None:
        names = "、".join(f"{t.code}/{t.name}" for t in TABLES.values())
        raise DataError(f"文件 {path.name}：文件名应以表的代码或中文名开头（{names}）", file=path.name,
                        expected="以表代码或中文名开头的文件名")
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="xuncha_read_") as tmp:
        load_file(con, path, table, Path(tmp), table.code)
        fields = [c.field for c in table.columns]
        result = con.execute(f"SELECT _row, {', '.join(fields)} FROM {table.code} ORDER BY _row").fetchall()
    con.close()
    rows = []
    for rec in result:
        row = {"_row": rec[0]}
        row.update({c.header: v for c, v in zip(table.columns, rec[1:], strict=True)})
        rows.append(row)
    return table.code, rows
