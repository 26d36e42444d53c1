"""Reading and validating one input file (导入与校验).

A file is turned into a plain UTF-8 CSV of strings (CSV files that are already UTF-8 are read as they
are), read by DuckDB as text, and parsed column by column in SQL (money, area, dates, choices). Every
cell that does not parse is reported with the file, the row as Excel shows it, the column and what was
expected. A file with errors creates no table.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from .errors import DataError, DataErrors
from .layouts import MAX_CELL, FileLayout, layout_of
from .names import INVISIBLE
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
    table_for_filename,
)

SUFFIXES = (".csv", ".xlsx", ".xls", ".xlsm")
MAX_ERRORS_PER_FILE = 20

_FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ（）［］〔〕【】．－／，："
_HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()()()().-/,:"
assert len(_FULL) == len(_HALF)
assert _HALF[_FULL.index("－")] == "-" and _HALF[_FULL.index("／")] == "/"
_SPACE = "[\\s\u3000\u00a0\u2007\u202f" + INVISIBLE + "]"
# ="…" and '… around an identifier: how exports keep a long number as text in Excel
_EXCEL_TEXT = r"""^(?:=\s*"(.*)"|'(.*))$"""
_FOOTER = r"^(制表|填表|审核|复核|备注|说明|注[:：]|数据来源|单位负责人)"
_TOTAL = r"^(合计|总计|小计|累计)"


def sql_literal(s: str = "") -> str:
    """A string as an SQL literal (quotes doubled): for the few values that cannot be parameters."""
    return "'" + s.replace("'", "''") + "'"


_TRIM_CHARS = " \t\r\n\u3000\u00a0\u2007\u202f" + INVISIBLE
# text fields the rules compare or search: invisible characters inside them are taken out
_CLEAN_TEXT = {"use", "income_item", "method", "summary", "waiver_basis", "conclusion"}


def _trim(x: str) -> str:
    return f"nullif(trim({x}), '')"


def _fast(x: str, needs: str, fast: str, slow: str) -> str:
    """``fast`` on cells without any character of the class ``needs``, ``slow`` on the others only.

    DuckDB evaluates the arguments of ``coalesce`` lazily, so the slow path (translate, regular
    expressions) only costs for the few cells that need it; ``slow`` must not be wrapped in CASE or
    nullif, which DuckDB evaluates for every row.
    """
    return f"coalesce(CASE WHEN NOT regexp_matches({x}, {sql_literal(needs)}) THEN {fast} END, {slow})"


_ODD = "[" + "".join(sorted(set(_FULL))) + "\u3000\u00a0\u2007\u202f\t\r\n" + INVISIBLE + "]"


_FULL_CLASS = "[" + "".join(sorted(set(_FULL))) + "]"
# full-width brackets that whole columns hold (人防审〔2020〕12号, company names with （）): replaced first, as
# translate would (DuckDB's translate costs about 4 µs a cell, replace a tenth of that)
_COMMON_FULL = (("〔", "("), ("〕", ")"), ("（", "("), ("）", ")"))


def _half(x: str) -> str:
    """Full-width forms → half-width (translate only on the cells that have some beyond the common brackets)."""
    pre = x
    for full, half in _COMMON_FULL:
        pre = f"replace({pre}, {sql_literal(full)}, {sql_literal(half)})"
    return _fast(x, _FULL_CLASS, x, _fast(pre, _FULL_CLASS, pre, f"translate({pre}, {sql_literal(_FULL)}, {sql_literal(_HALF)})"))


def _excel_text(raw: str) -> str:
    """SQL: an identifier without the guards exports put around long numbers so that Excel keeps them as
    text: ``="51170320190000001"`` (a formula in a CSV file) and a leading apostrophe; only the cells that
    start with ``=`` or ``'`` pay for the regular expression."""
    slow = f"regexp_replace(trim({raw}), {sql_literal(_EXCEL_TEXT)}, '\\1\\2')"
    return f"coalesce(CASE WHEN left(ltrim({raw}), 1) NOT IN ('=', {sql_literal(chr(39))}) THEN {raw} END, {slow})"


def parse_expr(col: Column, raw: str, wan: bool) -> str:
    """SQL expression parsing the text cell ``raw`` as the column's kind (NULL when it does not parse).

    Each kind has a fast path (a plain cast) and a slow path for messy cells; DuckDB evaluates the slow
    path (inside ``coalesce``) only for the cells the fast path could not parse. A number that is not
    finite (nan, inf) is kept as it is here and refused by the validation.
    """
    if col.kind == CODE:
        return _trim(_excel_text(raw))
    half = _half(raw)
    if col.kind == MONEY:
        # 人民币 / RMB before the figure, and a negative in brackets as the accounting format shows it:
        # (1,234.56) is −1,234.56 (a refund or a red-ink entry in a finance export)
        # the minus sign of word processors (U+2212) is a minus; 元整 after the figure (1234元整) is dropped
        s = (f"regexp_replace(regexp_replace(replace({half}, '\u2212', '-'), "
             f"'[,{_SPACE[1:-1]}元¥￥]|人民币|(?i:rmb|cny)|整$', '', 'g'), '^\\((.*)\\)$', '-\\1')")
        scale = "10000.0" if wan else f"(CASE WHEN contains({s}, '万') THEN 10000.0 ELSE 1.0 END)"
        slow = f"try_cast(replace({s}, '万', '') AS DOUBLE) * {scale}"
        return f"round(coalesce(try_cast({raw} AS DOUBLE) * {10000.0 if wan else 1.0}, {slow}), 2)"
    if col.kind in (AREA, NUMBER):
        s = f"regexp_replace({half}, '[,{_SPACE[1:-1]}]|㎡|(?i:m²|m2$)|平方米|平米|层$', '', 'g')"
        return f"coalesce(try_cast({raw} AS DOUBLE), try_cast({s} AS DOUBLE))"
    if col.kind == DATE:
        # try_strptime({raw}, ['%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y%m%d', '%Y-%m-%d']), each format tried
        # only on the cells that hold its separator (no other format of the list can read them): a list of
        # formats costs DuckDB every format it tries
        quick = (f"(CASE WHEN contains({raw}, '/') THEN try_strptime({raw}, '%Y/%m/%d') "
                 f"WHEN contains({raw}, '.') THEN try_strptime({raw}, '%Y.%m.%d') "
                 f"WHEN contains({raw}, '年') THEN try_strptime({raw}, '%Y年%m月%d日') "
                 f"ELSE try_strptime({raw}, ['%Y%m%d', '%Y-%m-%d']) END)::DATE")
        # a weekday after the date (2024-03-05 星期二, 周二) and a closing full stop (2024.3.5.) are dropped
        s = (f"trim(regexp_replace(regexp_replace({half}, '{_SPACE}+', ' ', 'g'), "
             f"'[({_SPACE[1:-1]}]*(星期|周|礼拜)[一二三四五六日天][)]?$|\\.$', ''))")
        d = (f"regexp_replace(regexp_replace(regexp_replace({s}, '[年月./]', '-', 'g'), '[日号]', '', 'g'), "
             f"'T', ' ')")
        parsed = (f"try_strptime({d}, ['%Y-%m-%d', '%Y%m%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', "
                  f"'%Y-%m-%d %H:%M:%S.%f'])::DATE")
        serial = (f"CASE WHEN regexp_full_match({s}, '\\d{{5}}(\\.\\d+)?') "
                  f"THEN DATE '1899-12-30' + CAST(floor(try_cast({s} AS DOUBLE)) AS INTEGER) END")
        return f"coalesce(try_cast({raw} AS DATE), {quick}, {serial}, {parsed})"
    if col.field in _CLEAN_TEXT:
        return f"nullif({_fast(raw, '[' + INVISIBLE + ']', f'trim({raw})', f'trim(translate({raw}, {sql_literal(INVISIBLE)}, {sql_literal()}))')}, '')"
    if col.kind == CHOICE:
        s = f"regexp_replace({half}, '{_SPACE}', '', 'g')"
        cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}" for k, v in col.choices.items())
        return f"coalesce(CASE {raw} {cases} END, CASE {s} {cases} END)"
    return _trim(raw)


DATE_MIN, DATE_MAX = "1900-01-01", "2100-12-31"
# 5.11703201900001E+16: how a long number stored as a float in Excel reads as text
_SCIENTIFIC = r"[0-9](\.[0-9]+)?[eE][+]?[0-9]+"


def code_norm_expr(raw: str) -> str:
    """SQL: an identifier compared across tables (full-width → half-width, no spaces or invisible
    characters, upper case, without the text guards of :func:`_excel_text`); translate and replace only
    run on the cells that need them."""
    raw = _excel_text(raw)
    return (f"nullif({_fast(raw, _ODD + '|[a-z ]', raw, f'upper(regexp_replace({_half(raw)}, {sql_literal(_SPACE)}, {sql_literal()}, {sql_literal(chr(103))}))')}"
            f", '')")


def _expected(col: Column) -> str:
    if col.kind == CHOICE:
        return "、".join(dict.fromkeys(col.choices.values()))
    return KIND_EXPECTED.get(col.kind, "文字")


def load_file(con: duckdb.DuckDBPyConnection, path: Path, table: Table, workdir: Path,
              target: str, numbered: bool = False) -> tuple[int, list[str]]:
    """Read, parse and validate one file into table ``target`` (created or appended).

    ``numbered``: the file is the table's only one: ``target`` is created with its row id ``_rid`` first,
    in the order (sheet, row), as the runner's numbering of a table's rows would make it.
    Returns the rows imported and the worksheets that were not read (each with the reason).
    """
    layout = layout_of(path, table, workdir)
    try:
        return _load(con, layout, target, numbered), layout.skipped
    except duckdb.Error as exc:
        raise DataError(f"文件 {path.name}：无法读取（{str(exc).splitlines()[0]}）", file=path.name,
                        expected="规范的 CSV 或 Excel 文件") from None
    finally:
        if layout.csv_path != path:
            layout.csv_path.unlink(missing_ok=True)


def _load(con, layout: FileLayout, target: str, numbered: bool = False) -> int:
    path, table = layout.path, layout.table
    pre = ["'_sheet': 'VARCHAR'", "'_row': 'BIGINT'"] if layout.has_row_column else []
    cols = ", ".join([*pre, *[f"'c{i}': 'VARCHAR'" for i in range(layout.width)]])
    src = (f"read_csv({sql_literal(str(layout.csv_path))}, header={str(layout.has_row_column).lower()}, "
           f"auto_detect=false, null_padding=true, parallel=false, delim=',', quote='\"', escape='\"', "
           f"strict_mode=false, max_line_size=33554432, columns={{{cols}}})")
    if layout.has_row_column:
        inner = f"SELECT nullif(_sheet, '') AS _sheet, _row, {', '.join(f'c{i}' for i in range(layout.width))} FROM {src}"
    else:
        inner = (f"SELECT * FROM (SELECT NULL::VARCHAR AS _sheet, row_number() OVER () AS _ord, "
                 f"_ord + {layout.row_offset} AS _row, * FROM {src}) WHERE _ord > {layout.first_record}")
    stage = f"_stage_{target}"
    raw_sel = ", ".join(f"c{i}" for i in range(layout.width))
    key_pos = next(i for i, c in layout.columns.items() if c is table.key)
    cells = [f"nullif(trim(c{i}), '')" for i in range(layout.width)]
    non_null = " + ".join(f"({c} IS NOT NULL)::INT" for c in cells)
    joined = f"concat_ws('|', {', '.join(cells)})"
    key_blank = f"(trim(coalesce(c{key_pos}, '')) = '')"
    kept = f"""
        SELECT _sheet, _row, {raw_sel} FROM ({inner})
        WHERE NOT (CASE WHEN {key_blank}
                        THEN ({non_null}) = 0 OR regexp_matches({joined}, '(^|\\|){_TOTAL[1:]}')
                             OR (({non_null}) = 1 AND regexp_matches({joined}, '{_FOOTER}'))
                        ELSE regexp_matches(c{key_pos}, '^\\s*({_TOTAL[2:-1]}|{_FOOTER[2:-1]})') END)
    """
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
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage}_p AS SELECT _sheet, _row, {raw_sel}, {', '.join(parsed)} "
                f"FROM ({kept})")
    errors = _long_cells(con, layout, f"{stage}_p") or _validate(con, layout, f"{stage}_p")
    if errors:
        con.execute(f"DROP TABLE IF EXISTS {stage}_p")
        raise DataErrors(errors) if len(errors) > 1 else errors[0]
    fields = ", ".join(table_fields(table))
    source_name = f"{sql_literal(path.name)} AS _file, _sheet"
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [target]).fetchone()[0]
    if numbered and not exists:  # one table written, not written and then numbered and written again
        con.execute(f"CREATE TABLE {target} AS SELECT row_number() OVER (ORDER BY _sheet, _row) AS _rid, "
                    f"{source_name}, _row, {fields} FROM {stage}_p ORDER BY _rid")
    elif exists:
        con.execute(f"INSERT INTO {target} SELECT {source_name}, _row, {fields} FROM {stage}_p")
    else:
        con.execute(f"CREATE TABLE {target} AS SELECT {source_name}, _row, {fields} FROM {stage}_p")
    n = con.execute(f"SELECT count(*) FROM {stage}_p").fetchone()[0]
    con.execute(f"DROP TABLE IF EXISTS {stage}_p")
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
        # parsed NULL while the cell is not blank; a blank required cell; a number that is not finite
        bad = f"{col.field} IS NULL"
        if col.kind == DATE:
            bad = f"({col.field} IS NULL OR {col.field} NOT BETWEEN DATE '{DATE_MIN}' AND DATE '{DATE_MAX}')"
        elif col.kind in (MONEY, AREA, NUMBER):
            bad = f"({col.field} IS NULL OR NOT isfinite({col.field}))"
        elif col.kind == CODE:  # a long number Excel turned into a float: its last digits are lost
            bad = f"({col.field} IS NULL OR regexp_full_match({col.field}, {sql_literal(_SCIENTIFIC)}))"
        cond = bad if col.required else f"({bad} AND {_trim(raw)} IS NOT NULL)"
        checks.append((col, raw, cond))
    if checks:
        flags = ", ".join(f"{cond} AS f{i}" for i, (_c, _r, cond) in enumerate(checks))
        raws = ", ".join(raw for _c, raw, _x in checks)
        any_bad = " OR ".join(cond for _c, _r, cond in checks)
        rows = con.execute(f"SELECT _sheet, _row, {raws}, {flags} FROM {stage} WHERE {any_bad} "
                           f"ORDER BY _sheet NULLS FIRST, _row LIMIT {MAX_ERRORS_PER_FILE}").fetchall()
        n = len(checks)
        for rec in rows:
            for i, (col, _raw, _cond) in enumerate(checks):
                if rec[2 + n + i]:
                    errors.append(_cell_error(layout, rec[0], rec[1], col, rec[2 + i]))
    key = table.key.field
    dups = [k for (k,) in con.execute(f"SELECT {key}_n FROM {stage} WHERE {key}_n IS NOT NULL GROUP BY {key}_n "
                                      f"HAVING count(*) > 1 LIMIT 5").fetchall()]
    if dups:
        for value, places, first in con.execute(
                f"SELECT min({key}), list(CASE WHEN _sheet IS NULL THEN '' ELSE '工作表「' || _sheet || '」' END "
                f"|| '第' || _row || '行' ORDER BY _sheet NULLS FIRST, _row), min(_row) FROM {stage} "
                f"WHERE {key}_n IN (SELECT unnest($k)) GROUP BY {key}_n ORDER BY min(_row)", {"k": dups}).fetchall():
            errors.append(DataError(
                f"文件 {layout.path.name} {'、'.join(places[:5])}：「{table.key.header}」{value} 重复"
                f"（每行的{table.key.header}应唯一）",
                file=layout.path.name, row=first, column=table.key.header,
                expected=f"唯一的{table.key.header}", value=value))
    return errors[:MAX_ERRORS_PER_FILE]


def _long_cells(con, layout: FileLayout, stage: str) -> list[DataError]:
    """Cells longer than Excel allows are refused (a broken export, not data)."""
    lengths = [f"length(coalesce(c{i}, ''))" for i in range(layout.width)]
    rec = con.execute(f"SELECT _sheet, _row, {', '.join(lengths)} FROM {stage} "
                      f"WHERE greatest({', '.join(lengths)}) > {MAX_CELL} "
                      f"ORDER BY _sheet NULLS FIRST, _row LIMIT 1").fetchone()
    if rec is None:
        return []
    sheet, row = rec[:2]
    n = max(rec[2:])
    pos = rec[2:].index(n)
    col = layout.columns.get(pos)
    name = col.header if col else f"第{pos + 1}列"
    where = f"工作表「{sheet}」" if sheet else ""
    return [DataError(f"文件 {layout.path.name} {where}第{row}行「{name}」列：单元格有 {n:,} 个字符，超过 "
                      f"{MAX_CELL:,} 个字符的上限（Excel 单元格的上限），请检查导出的文件",
                      file=layout.path.name, row=row, column=name, expected=f"不超过 {MAX_CELL} 个字符")]


def _cell_error(layout: FileLayout, sheet: str | None, row: int, col: Column, value) -> DataError:
    name = layout.path.name
    where = f"{name} 工作表「{sheet}」" if sheet else name
    blank = value is None or not str(value).strip()
    if blank:
        msg = f"文件 {where} 第{row}行「{col.header}」列：必填，不能为空"
        expected = "必填" + ("" if col.kind == "text" else f"，{_expected(col)}")
    elif col.kind == CODE:
        expected = "文本格式的编号（Excel 中把该列设为文本后再导出）"
        msg = (f"文件 {where} 第{row}行「{col.header}」列：「{str(value).strip()}」是 Excel 把长编号存成数字后的"
               f"科学计数法，后几位数字已经丢失，无法与其他表比对：请把该列设为文本、重新填入编号后再导出")
    else:
        expected = _expected(col)
        msg = f"文件 {where} 第{row}行「{col.header}」列：应为{expected}，实际为「{str(value).strip()}」"
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
        raise DataError(f"文件 {path.name}：文件名应以表的代码或中文名开头，或含有一张表的名称（{names}）", file=path.name,
                        expected="以表代码或中文名开头的文件名")
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="xuncha_read_") as tmp:
        load_file(con, path, table, Path(tmp), table.code)
        fields = [c.field for c in table.columns]
        result = con.execute(f"SELECT _sheet, _row, {', '.join(fields)} FROM {table.code} "
                             f"ORDER BY _sheet NULLS FIRST, _row").fetchall()
    con.close()
    rows = []
    for rec in result:
        row = {"_row": rec[1]}
        if rec[0] is not None:
            row["_sheet"] = rec[0]
        row.update({c.header: v for c, v in zip(table.columns, rec[2:], strict=True)})
        rows.append(row)
    return table.code, rows
