"""Import: encodings, title rows, aliases, units, 万元, dates, and errors a person can act on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from xuncha.crosscheck_engine.errors import DataError, DataErrors
from xuncha.crosscheck_engine.reader import read_table_file
from xuncha.crosscheck_engine.tables import normalise_header, table_for_filename

MESSY_PERMITS = (
    "XX县2024年施工许可台账,,,,,,,,\n"
    "单位：万元,,,,,,,,\n"
    "序号,许可证号,工程名称,建设单位名称,信用代码,总建筑面积（㎡）,地上建筑面积(m2),发证时间,行政区,\n"
    '1,Ｐ-001,甲项目（一期）,礼县某某有限责任公司,,"1,200",1000,2024年3月5日,礼县,\n'
    "2,P-002,乙项目,公司B,,500,400.5,20240305,,\n"
    "3,P-003,丙,C,,500㎡,400,2024/3/5,,\n"
    "4,P-004,丁,D,,500,400,2024.3.5,,\n"
    "5,P-005,戊,E,,500,400,2024-03-05,,\n"
    ",,,,,,,,,\n"
    "合计,,,,3200,,,,,\n"
    "制表人：张三,,,,,,,,,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_messy_csv_in_every_encoding(tmp_path, encoding):
    path = tmp_path / "施工许可_2024.csv"
    path.write_bytes(MESSY_PERMITS.encode(encoding))
    code, rows = read_table_file(path)
    assert code == "permits"
    assert [r["施工许可证号"] for r in rows] == ["Ｐ-001", "P-002", "P-003", "P-004", "P-005"]
    assert rows[0]["_row"] == 4  # two title rows and the header above it
    assert rows[0]["总建筑面积"] == 1200.0
    assert rows[2]["总建筑面积"] == 500.0
    assert rows[1]["地上建筑面积"] == 400.5
    assert {r["发证日期"] for r in rows} == {dt.date(2024, 3, 5)}
    assert rows[0]["区县"] == "礼县"
    assert rows[0]["建设单位"] == "礼县某某有限责任公司"


def test_money_in_wan_by_header_and_by_cell(tmp_path):
    path = tmp_path / "fee_receipts.csv"
    path.write_text(
        "缴款书编号,缴款单位,收费项目,缴款金额（万元）,缴款日期\n"
        "F1,甲,易地建设费,12.3456,2024-01-02\n"
        "F2,甲,易地建设费,\"1,234.5\",2024-01-02\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [r["金额"] for r in rows] == [123456.0, 12345000.0]
    path = tmp_path / "contracts.csv"
    path.write_text(
        "合同编号,项目名称,中标单位,类别,采购形式,金额,合同日期\n"
        "C1,甲,乙,工程,询价,450万,2024-01-02\n"
        "C2,甲,乙,货物,询价,\"1,234,567.89\",2024-01-02\n"
        "C3,甲,乙,服务,询价,￥800元,2024-01-02\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [r["合同金额"] for r in rows] == [4500000.0, 1234567.89, 800.0]


def test_money_in_brackets_or_after_rmb_and_dates_with_a_weekday_as_offices_write_them(tmp_path):
    """Beyond the contract's spellings, unambiguous ones real exports carry: a negative in brackets (Excel's
    accounting format, a refund in a finance export), 人民币 / RMB before the figure, a weekday or a closing
    full stop after the date. Each was refused before (the whole file with it)."""
    path = tmp_path / "payments.csv"
    path.write_text(
        "凭证号,日期,摘要,金额,收款方\n"
        "V1,2024-03-05 星期二,退款,\"(1,234.56)\",甲\n"
        "V2,2024/3/5（周二）,付款,（200）,甲\n"
        "V3,2024.3.5.,付款,人民币12345元,甲\n"
        "V4,2024年3月5日 礼拜二,付款,\"RMB 1,000\",甲\n"
        "V5,2024-03-05,付款,CNY 7.5,甲\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [r["金额"] for r in rows] == [-1234.56, -200.0, 12345.0, 1000.0, 7.5]
    assert {r["日期"] for r in rows} == {dt.date(2024, 3, 5)}
    # still refused: brackets around part of a figure, a weekday that is none
    path.write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-03-05,付款,12(3),甲\nV2,2024-03-05 星期八,付款,1,甲\n",
                    encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        read_table_file(path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "金额"), (3, "日期")]


def test_full_width_and_typographic_minus_and_yuan_zheng_in_amounts_and_full_width_slashes_in_codes(tmp_path):
    """A full-width minus (－) is a minus and a full-width solidus (／) a solidus: the two were swapped, so
    －1,234 was refused (read /1234) and a code written with － never met the same code written with -.
    The minus sign of word processors (−, U+2212) is a minus too, and 元整 after a figure is dropped."""
    path = tmp_path / "payments.csv"
    path.write_text(
        "凭证号,日期,摘要,金额,收款方\n"
        "V1,2024-03-05,退款,\"－1,234.00\",甲\n"
        "V2,2024-03-05,退款,−200,甲\n"
        "V3,2024-03-05,付款,1234元整,甲\n"
        "V4,2024-03-05,付款,\"人民币5,000.00元整\",甲\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [r["金额"] for r in rows] == [-1234.0, -200.0, 1234.0, 5000.0]
    import duckdb

    from xuncha.crosscheck_engine.reader import code_norm_expr
    con = duckdb.connect()
    assert con.execute(f"SELECT {code_norm_expr('$1')}", ["ＸＫ－２０２４／１"]).fetchone()[0] == "XK-2024/1"


def test_xlsx_with_merged_title_excel_dates_and_trailing_blanks(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["某县人防审批台账"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(["批复文号", "项目名称", "建设单位", "审批类型", "地上建筑面积（平方米）", "应建防空地下室面积",
               "应缴金额(万元)", "批复日期", None, None])
    ws.append(["人防审〔2024〕1号", "甲", "乙", "结建", 10000, 500, 90, dt.datetime(2024, 3, 5)])
    ws.append(["人防审〔2024〕2号", "甲", "乙", "易地建设", "2,000", 100, 18, 45356])  # Excel serial number
    ws.append([])
    ws.append([None, None, None, None, None, None, None, None, None, None])
    path = tmp_path / "人防审批.xlsx"
    wb.save(path)
    code, rows = read_table_file(path)
    assert code == "approvals"
    assert [r["_row"] for r in rows] == [4, 5]
    assert rows[0]["审批文号"] == "人防审〔2024〕1号"
    assert rows[0]["应缴易地建设费"] == 900000.0
    assert rows[1]["地上建筑面积"] == 2000.0
    assert rows[0]["审批日期"] == rows[1]["审批日期"] == dt.date(2024, 3, 5)


def test_bad_date_names_file_excel_row_column_and_expectation(tmp_path):
    path = tmp_path / "permits.csv"
    path.write_text(MESSY_PERMITS.replace("2024.3.5", "2024-13-45"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table_file(path)
    e = err.value
    assert (e.file, e.row, e.column) == ("permits.csv", 7, "发证日期")
    assert "日期" in e.expected
    assert "permits.csv" in str(e) and "第7行" in str(e) and "发证日期" in str(e) and "2024-13-45" in str(e)


def test_blank_lines_still_count_as_excel_rows(tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,a,1,甲\n\n\nV2,2024-01-01,b,abc,乙\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table_file(path)
    assert err.value.row == 5
    assert err.value.column == "金额"


def test_missing_required_column_and_empty_required_cell(tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("凭证号,日期,摘要,收款方\nV1,2024-01-01,a,甲\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table_file(path)
    assert err.value.column == "金额" and "缺少必填列" in str(err.value)
    path.write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,a,5,\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table_file(path)
    assert (err.value.row, err.value.column) == (2, "收款方")
    assert "不能为空" in str(err.value)


def test_duplicate_keys_and_bad_choices_are_refused(tmp_path):
    path = tmp_path / "contracts.csv"
    path.write_text("合同编号,项目名称,供应商,类别,采购方式,合同金额,签订日期\n"
                    "C1,a,b,工程,询价,1,2024-01-01\nＣ1,a,b,工程,询价,1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table_file(path)
    assert "重复" in str(err.value) and err.value.row == 2
    path.write_text("合同编号,项目名称,供应商,类别,采购方式,合同金额,签订日期\n"
                    "C1,a,b,杂项,询价,1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table_file(path)
    assert err.value.column == "类别" and "工程" in err.value.expected


def test_approval_types_in_the_words_of_the_law_and_square_metres_in_capitals(tmp_path):
    """结建 is 结合民用建筑修建防空地下室 (also 结合建设, 结合修建); 易地建设 is also 易地修建, 异地; 平方米 may be
    written M2. Each was refused before (the whole file with it)."""
    path = tmp_path / "approvals.csv"
    path.write_text(
        "审批文号,项目名称,建设单位,审批类型,地上建筑面积,应建面积,审批日期\n"
        "A1,甲,乙,结合民用建筑修建防空地下室,1000M2,50,2024-01-01\n"
        "A2,甲,乙,结合建设,1000,50,2024-01-01\n"
        "A3,甲,乙,易地修建,1000,50,2024-01-01\n"
        "A4,甲,乙,异地,1000,50,2024-01-01\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [r["审批类型"] for r in rows] == ["结建", "结建", "易地建设", "易地建设"]
    assert rows[0]["地上建筑面积"] == 1000.0


def test_headers_of_finance_software_exports_are_read_and_never_taken_twice(tmp_path):
    """A voucher export of finance software (凭证字号, 凭证日期, 借方金额, 对方单位, 会计科目) is read: these
    headers name a contract column loosely, so they are taken only for a column no other cell names; a file
    that also has 金额 reads 金额 (it was refused for lacking 凭证号 … before, and must not be refused for
    naming the amount twice now)."""
    path = tmp_path / "payments.csv"
    path.write_text(
        "凭证字号,凭证日期,摘要,会计科目,借方金额,贷方金额,对方单位\n"
        "记-1,2024-03-05,付款,商品和服务支出,\"1,200.00\",,甲公司\n"
        "记-2,2024-03-06,付款,商品和服务支出,300,,乙公司\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [(r["凭证号"], r["金额"], r["收款方"], r["科目"]) for r in rows] == [
        ("记-1", 1200.0, "甲公司", "商品和服务支出"), ("记-2", 300.0, "乙公司", "商品和服务支出")]
    path.write_text("凭证号,日期,摘要,借方金额,金额,收款方\nV1,2024-03-05,付款,999,1200,甲公司\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert rows[0]["金额"] == 1200.0
    path = tmp_path / "rentals.csv"
    path.write_text("合同编号,工程名称,承租单位,租赁面积,起租日期,到期日期,年租金\n"
                    "Z1,一号工程,甲公司,100,2023-01-01,2025-12-31,5000\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert (rows[0]["承租人"], rows[0]["面积"], rows[0]["起始日期"]) == ("甲公司", 100.0, dt.date(2023, 1, 1))


def test_a_header_of_two_rows_is_read_as_one(tmp_path):
    """A parent cell over its columns (建筑面积（㎡） over 总建筑面积 / 地上 / 地下; 建设单位 over 名称 / 统一社会信用代码),
    the other cells merged down: read as one header, the data from the row after the second (refused before
    for lacking 总建筑面积 and 地上建筑面积). A units row under it is skipped as under a header of one row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["某县施工许可台账"])
    ws.append(["施工许可证号", "项目名称", "建设单位", None, "建筑面积（㎡）", None, None, "发证日期"])
    ws.append([None, None, "名称", "统一社会信用代码", "总建筑面积", "地上", "地下", None])
    for c in ("A", "B", "H"):
        ws.merge_cells(f"{c}2:{c}3")
    ws.merge_cells("C2:D2")
    ws.merge_cells("E2:G2")
    ws.append(["P1", "甲小区", "乙公司", None, 12000, 10000, 2000, dt.datetime(2024, 1, 5)])
    wb.save(tmp_path / "permits.xlsx")
    _, rows = read_table_file(tmp_path / "permits.xlsx")
    assert [(r["_row"], r["建设单位"], r["总建筑面积"], r["地上建筑面积"], r["地下建筑面积"]) for r in rows] == [
        (4, "乙公司", 12000.0, 10000.0, 2000.0)]
    path = tmp_path / "approvals.csv"
    path.write_text(
        "审批文号,项目名称,建设单位,审批类型,面积,,易地建设费,,审批日期\n"
        ",,,,地上建筑面积,应建面积,应缴,减免金额,\n"
        ",,,,㎡,㎡,万元,万元,\n"
        "A1,甲,乙,结建,1000,50,1.5,0.5,2024-01-01\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [(r["_row"], r["地上建筑面积"], r["应缴易地建设费"], r["减免金额"]) for r in rows] == [(4, 1000.0, 15000.0, 5000.0)]


def test_a_long_number_that_excel_turned_into_a_float_is_refused_with_what_to_do(tmp_path):
    """A 17-digit 施工许可证号 stored as a number in Excel keeps 15–16 digits and reads 5.117…E+16: it could
    never meet the same permit in another table (every one a false 漏审), so it is refused, saying why and
    what to do. A 16-digit number Excel holds exactly is read as its digits."""
    wb = Workbook()
    ws = wb.active
    ws.append(["施工许可证号", "项目名称", "建设单位", "总建筑面积", "地上建筑面积", "发证日期"])
    ws.append([5117032019000001, "甲", "乙", 100, 80, dt.datetime(2024, 1, 5)])
    wb.save(tmp_path / "permits.xlsx")
    _, rows = read_table_file(tmp_path / "permits.xlsx")
    assert rows[0]["施工许可证号"] == "5117032019000001"
    ws.append([51170320190000017, "丙", "丁", 100, 80, dt.datetime(2024, 1, 5)])
    wb.save(tmp_path / "permits.xlsx")
    with pytest.raises(DataError) as caught:
        read_table_file(tmp_path / "permits.xlsx")
    err = caught.value
    assert (err.row, err.column) == (3, "施工许可证号") and "科学计数法" in str(err) and "设为文本" in str(err)


def test_identifiers_kept_as_text_for_excel_by_the_export_are_read_without_their_guards(tmp_path):
    """Exports keep long numbers as text in Excel by writing them ="51170320190000001" or with a leading
    apostrophe; the identifier is the number inside (it never met the same permit written plainly before)."""
    path = tmp_path / "permits.csv"
    path.write_text(
        "施工许可证号,项目名称,建设单位,统一社会信用代码,总建筑面积,地上建筑面积,发证日期\n"
        "=\"51170320190000001\",甲,乙,=\"91621226MA71234560\",100,80,2024-01-05\n"
        "'51170320190000002,甲,乙,,100,80,2024-01-05\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [(r["施工许可证号"], r["统一社会信用代码"]) for r in rows] == [
        ("51170320190000001", "91621226MA71234560"), ("51170320190000002", None)]
    import duckdb

    from xuncha.crosscheck_engine.reader import code_norm_expr
    con = duckdb.connect()  # the form compared across tables
    assert [con.execute(f"SELECT {code_norm_expr('$1')}", [v]).fetchone()[0]
            for v in ['="51170320190000001"', "'ａ-1", "=SUM(A1)"]] == ["51170320190000001", "A-1", "=SUM(A1)"]


def test_unknown_file_name_and_garbage_file(tmp_path):
    path = tmp_path / "说明.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="文件名应以表的代码或中文名开头"):
        read_table_file(path)
    path = tmp_path / "permits.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(DataError, match="无法作为 Excel 文件打开"):
        read_table_file(path)


def test_header_normalisation_and_file_name_matching():
    assert normalise_header("金额（元）") == ("金额", False)
    assert normalise_header(" 合同金额 (万元) ") == ("合同金额", True)
    assert normalise_header("总建筑面积(㎡)") == ("总建筑面积", False)
    assert normalise_header("指导租金(元/㎡·年)") == ("指导租金", False)
    assert table_for_filename("permits.csv").code == "permits"
    assert table_for_filename("施工许可_2024.xlsx").code == "permits"
    assert table_for_filename("人防竣工验收.xls").code == "acceptances"
    assert table_for_filename("人防工程使用台账2024.csv").code == "rentals"
    assert table_for_filename("fee_ledger.csv").code == "fee_ledger"
    assert table_for_filename("readme.csv") is None
    # file names written freely: a table's name or word inside, when one table's is the longest
    assert table_for_filename("2024年施工许可证发放台账.xlsx").code == "permits"
    assert table_for_filename("陇南市人防办收费台账（2019-2025）.xls").code == "fee_ledger"
    assert table_for_filename("2023年非税收入明细.csv").code == "fee_receipts"
    assert table_for_filename("财务2024记账凭证导出.xlsx").code == "payments"
    assert table_for_filename("市住建局竣工验收备案.xlsx").code == "completions"
    assert table_for_filename("县人防办人防工程竣工验收台账.xlsx").code == "acceptances"
    assert table_for_filename("2024_contracts.csv").code == "contracts"
    assert table_for_filename("人防工程竣工验收备案.xlsx").code == "acceptances"  # the longest name wins
    assert table_for_filename("2024年施工许可与人防审批对照.xlsx") is None  # two tables' names, equally long
    assert table_for_filename("工作说明.docx") is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
                          st.integers(min_value=0, max_value=5),
                          st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
                          st.integers(min_value=0, max_value=3)), min_size=1, max_size=20))
def test_every_date_and_money_spelling_parses_back(tmp_path_factory, items):
    date_forms = [lambda d: d.isoformat(), lambda d: f"{d.year}/{d.month}/{d.day}",
                  lambda d: f"{d.year}.{d.month}.{d.day}", lambda d: f"{d.year}年{d.month}月{d.day}日",
                  lambda d: d.strftime("%Y%m%d"), lambda d: f"{d.isoformat()} 00:00:00"]
    money_forms = [lambda v: f"{v}", lambda v: f"{v:,}", lambda v: f"{v / 10000}万", lambda v: f"￥{v:,}元"]
    folder = tmp_path_factory.mktemp("p")
    path = folder / "payments.csv"
    lines = ["凭证号,日期,摘要,金额,收款方"]
    for i, (d, df, v, mf) in enumerate(items):
        lines.append(f'V{i},{date_forms[df](d)},a,"{money_forms[mf](v)}",甲')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows = read_table_file(path)
    assert [r["日期"] for r in rows] == [d for d, *_ in items]
    assert [r["金额"] for r in rows] == [pytest.approx(float(v), abs=0.005) for _d, _f, v, _m in items]


def test_legacy_xls_with_merged_title_and_date_cell():
    """``data/人防竣工验收_2024.xls`` was written once with xlwt 1.3.0 (not a dependency) as a BIFF8 sample."""
    code, rows = read_table_file(Path(__file__).with_name("data") / "人防竣工验收_2024.xls")
    assert code == "acceptances"
    assert [(r["_row"], r["验收编号"], r["实建面积"], r["验收日期"]) for r in rows] == [
        (4, "YS001", 480.5, dt.date(2024, 3, 5)), (5, "YS002", 1200.0, dt.date(2024, 3, 6))]


def test_headers_in_the_spellings_exports_use(tmp_path):
    """名称 after a party, 编号/编码/号 after a number, 时间 for 日期, and more names of the credit code are read as
    the contract's columns — only where no other cell names that column (then the cell is left alone)."""
    path = tmp_path / "fee_receipts.csv"
    path.write_text(
        "缴款书编码,缴款人名称,统一信用代码,收入项目名称,缴款金额,缴款时间,入库时间\n"
        "F1,甲公司,91610900MA70XXXX0X,易地建设费,100,2024-01-02,2024-01-05\n", encoding="utf-8")
    _, [row] = read_table_file(path)
    assert (row["缴款书号"], row["缴款人"], row["收入项目"], row["缴款日期"], row["入库日期"]) == \
        ("F1", "甲公司", "易地建设费", dt.date(2024, 1, 2), dt.date(2024, 1, 5))
    assert row["统一社会信用代码"] == "91610900MA70XXXX0X"
    # the contract's own column wins; the other spelling beside it is not a second 缴款日期 (no error)
    path.write_text("缴款书号,缴款人,收入项目,金额,缴款日期,缴款时间\nF1,甲,易地建设费,1,2024-01-02,2024-03-04\n",
                    encoding="utf-8")
    _, [row] = read_table_file(path)
    assert row["缴款日期"] == dt.date(2024, 1, 2)
    # two other spellings of one column: neither is taken (which would be a guess), the header is not found
    ledger = tmp_path / "fee_ledger.csv"
    ledger.write_text("收据编号,收据编码,缴款人,金额,收款日期\nL1,L2,甲,1,2024-01-02\n", encoding="utf-8")
    with pytest.raises(DataError, match="找不到表头"):
        read_table_file(ledger)
    path.write_text("缴款书编号,缴款书编码,缴款人,收入项目,金额,缴款日期\nF1,F2,甲,易地建设费,1,2024-01-02\n",
                    encoding="utf-8")
    _, [row] = read_table_file(path)   # 缴款书编号 is the contract's alias; 缴款书编码 is then left alone
    assert row["缴款书号"] == "F1"
    payments = tmp_path / "payments.xlsx"
    wb = Workbook()
    wb.active.append(["凭证编号", "记账日期", "摘要", "金额", "收款单位名称"])
    wb.active.append(["记-001", "2024-02-03", "付款", 5, "乙公司"])
    wb.save(payments)
    _, [row] = read_table_file(payments)
    assert (row["凭证号"], row["收款方"]) == ("记-001", "乙公司")


_DATE_PARTS = ["2021", "1", "01", "12", "13", "31", "0", "/", ".", "-", "年", "月", "日", " ", "T", "20210101", "x"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_DATE_PARTS), min_size=1, max_size=7).map("".join), min_size=1,
                max_size=200))
def test_quick_date_formats_read_as_the_whole_list_reads(cells):
    """The quick date path tries each format only on the cells holding its separator: the same dates as
    trying the whole list of formats on every cell."""
    import duckdb

    from xuncha.crosscheck_engine.reader import parse_expr
    from xuncha.crosscheck_engine.tables import DATE, Column

    con = duckdb.connect()
    con.execute("CREATE TABLE v (s VARCHAR)")
    con.executemany("INSERT INTO v VALUES (?)", [[c] for c in cells])
    whole = ("coalesce(try_cast(s AS DATE), try_strptime(s, ['%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y%m%d', "
             "'%Y-%m-%d'])::DATE)")
    quick = parse_expr(Column("日期", "d", DATE), "s", False).split(", CASE WHEN regexp_full_match")[0] + ")"
    assert con.execute(f"SELECT count(*) FROM v WHERE ({whole}) IS DISTINCT FROM ({quick})").fetchone()[0] == 0


def test_a_sheet_whose_key_is_in_another_spelling_and_whose_header_is_broken_is_refused_not_skipped(tmp_path):
    """A second sheet naming the key column as 凭证编号 but missing 摘要 is a broken header of this table
    (refused, naming it), not another kind of sheet to pass over."""
    path = tmp_path / "payments.xlsx"
    wb = Workbook()
    wb.active.title = "2023"
    wb.active.append(["凭证号", "日期", "摘要", "金额", "收款方"])
    wb.active.append(["记-001", "2023-02-03", "付款", 5, "乙公司"])
    other = wb.create_sheet("2024")
    other.append(["凭证编号", "日期", "金额", "收款方"])
    other.append(["记-002", "2024-02-03", 6, "乙公司"])
    wb.save(path)
    with pytest.raises(DataError, match="2024.*摘要"):
        read_table_file(path)
