"""Import without silent loss (contract 1.1): several sheets, header line breaks, units rows, numbers that
must be finite, over-long cells and over-wide files, look-alike headers, mixed encodings, whole outputs."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from xuncha.crosscheck_engine import cli, output
from xuncha.crosscheck_engine.errors import DataError
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH
from xuncha.crosscheck_engine.runner import run_check

from .helpers import AS_OF, hits

HEAD = ["凭证号", "日期", "摘要", "金额", "收款方"]


def _book(path, sheets: dict[str, list[list]]):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def test_every_sheet_with_a_recognised_header_is_read_and_a_skipped_one_is_named(tmp_path):
    _book(tmp_path / "payments.xlsx", {
        "2023年": [["2023年财务支出凭证"], HEAD, ["V1", "2023-01-05", "发放福利", 100, "甲"]],
        "2024年": [HEAD, ["V2", "2024-01-05", "发放补贴", 200, "乙"], ["V3", "2024-02-05", "办公用品", 300, "丙"]],
        "填表说明": [["金额单位为元"]],
    })
    result = run_check(tmp_path, None, AS_OF, None)
    assert result.tables == {"payments": 3}
    assert set(hits(result, "R14")) == {"V1", "V2"}
    assert result.skipped == ["payments.xlsx：工作表「填表说明」没有财务支出凭证表的表头，未导入"]
    r14 = hits(result, "R14")
    assert r14["V2"].evidence["rows"][0]["row"] == 2


def test_a_key_repeated_on_two_sheets_is_refused_naming_both(tmp_path):
    _book(tmp_path / "payments.xlsx", {"A": [HEAD, ["V1", "2023-01-05", "a", 100, "甲"]],
                                       "B": [HEAD, ["V1", "2024-01-05", "b", 200, "乙"]]})
    with pytest.raises(DataError, match="工作表「A」第2行、工作表「B」第2行"):
        run_check(tmp_path, None, AS_OF, None)


def test_header_cells_with_line_breaks_keep_every_row_and_its_number(tmp_path):
    (tmp_path / "payments.csv").write_text(
        '凭证号,"记账\n日期",摘要,"金\r\n额",收款方\nV1,2024-01-01,发放福利,100,甲\nV2,2024-01-02,发放补贴,abc,乙\n',
        encoding="utf-8")
    with pytest.raises(DataError) as err:
        run_check(tmp_path, None, AS_OF, None)
    assert "payments.csv 第3行「金额」列" in str(err.value)
    (tmp_path / "payments.csv").write_text(
        '凭证号,"记账\n日期",摘要,金额,收款方\nV1,2024-01-01,发放福利,100,甲\nV2,2024-01-02,发放补贴,200,乙\n',
        encoding="utf-8")
    result = run_check(tmp_path, None, AS_OF, None)
    assert {k: h.evidence["rows"][0]["row"] for k, h in hits(result, "R14").items()} == {"V1": 2, "V2": 3}


def test_a_units_row_under_the_header_is_read_as_units(tmp_path):
    (tmp_path / "payments.csv").write_text(
        "凭证号,日期,摘要,金额,收款方\n,,,万元,\nV1,2024-01-01,发放福利,1.5,甲\n", encoding="utf-8")
    result = run_check(tmp_path, None, AS_OF, None)
    assert result.tables == {"payments": 1}
    h = hits(result, "R14")["V1"]
    assert h.amount == 15000 and h.evidence["rows"][0]["row"] == 3


def test_blank_lines_keep_the_row_numbers_excel_shows(tmp_path):
    (tmp_path / "payments.csv").write_text(
        "财务支出凭证\n\n凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,发放福利,100,甲\n\nV2,2024-01-02,x,1e999,乙\n",
        encoding="utf-8")
    with pytest.raises(DataError, match="payments.csv 第6行「金额」列"):
        run_check(tmp_path, None, AS_OF, None)


def test_nan_and_inf_are_refused_and_findings_are_strict_json(tmp_path):
    (tmp_path / "payments.csv").write_text(
        "凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,发放福利,nan,甲\nV2,2024-01-01,发放福利,-inf,甲\n"
        "V3,2024-01-01,发放福利,Infinity,甲\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        run_check(tmp_path, None, AS_OF, None)
    assert [e.row for e in err.value.errors] == [2, 3, 4]
    (tmp_path / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,发放福利,100,甲\n",
                                           encoding="utf-8")
    out = tmp_path / "out"
    run_check(tmp_path, None, AS_OF, out)
    for line in (out / output.FINDINGS).read_text(encoding="utf-8").splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))


def test_an_over_long_cell_and_a_file_of_a_thousand_columns_are_refused_with_a_message(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01," + "字" * 131_072 + ",100,甲\n",
                                       encoding="utf-8")
    assert cli.main([str(data), "--policy", str(DEFAULT_POLICY_PATH), "--out", str(tmp_path / "o")]) == 2
    assert "第2行「摘要」列：单元格有 131,072 个字符" in capsys.readouterr().err
    (data / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方" + "," * 1000 + "\nV1,2024-01-01,a,1,甲"
                                       + "," * 1000 + "\n", encoding="utf-8")
    assert cli.main([str(data), "--policy", str(DEFAULT_POLICY_PATH), "--out", str(tmp_path / "o")]) == 2
    assert "有 1005 列" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_amount_in_words_beside_amount_is_not_a_duplicate_column(tmp_path):
    (tmp_path / "payments.csv").write_text(
        "凭证号,日期,摘要,金额（小写）,金额（大写）,收款方\nV1,2024-01-01,发放福利,100,壹佰元整,甲\n", encoding="utf-8")
    result = run_check(tmp_path, None, AS_OF, None)
    assert hits(result, "R14")["V1"].amount == 100


def test_a_file_mixing_utf8_and_gbk_is_refused_naming_the_line(tmp_path):
    (tmp_path / "payments.csv").write_bytes(
        "凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,发放福利,100,甲\n".encode()
        + "V2,2024-01-02,发放补贴,200,乙\n".encode("gbk"))
    with pytest.raises(DataError, match="第3行是 GBK 编码"):
        run_check(tmp_path, None, AS_OF, None)


def test_a_gbk_file_whose_units_row_is_also_valid_utf8_is_read(tmp_path):
    # 元 is D4 AA in GBK, which is also UTF-8 (Ԫ): the generator's own receipts were refused as mixed
    (tmp_path / "payments.csv").write_bytes(
        "凭证号,日期,摘要,金额,收款方\n,,,元,\nV1,2024-01-01,发放福利,100,甲公司\n".encode("gbk"))
    result = run_check(tmp_path, None, AS_OF, None)
    assert result.tables == {"payments": 1} and set(hits(result, "R14")) == {"V1"}


def test_output_files_appear_whole_or_not_at_all(tmp_path, monkeypatch):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    (data / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,发放福利,100,甲\n",
                                       encoding="utf-8")
    run_check(data, None, AS_OF, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (data / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,发放福利,300,甲\n",
                                       encoding="utf-8")

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(output.xlsx, "write_workbook", broken)
    with pytest.raises(OSError):
        run_check(data, None, AS_OF, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
