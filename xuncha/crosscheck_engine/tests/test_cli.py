"""The command: exit status, Chinese messages, output files, missing tables, no Django."""

from __future__ import annotations

import json
import subprocess
import sys

from openpyxl import load_workbook

from xuncha.crosscheck_engine import cli
from xuncha.crosscheck_engine.generator import Truth, generate
from xuncha.crosscheck_engine.output import FINDINGS, WORKBOOK
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH


def test_importing_the_engine_does_not_import_django():
    code = ("import sys, importlib, pkgutil, xuncha.crosscheck_engine as e\n"
            "for m in pkgutil.iter_modules(e.__path__):\n"
            "    if m.name != 'tests': importlib.import_module('xuncha.crosscheck_engine.' + m.name)\n"
            "print('django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_check_of_generated_messy_data_matches_the_truth(tmp_path, capsys):
    data, out = tmp_path / "data", tmp_path / "out"
    truth = generate(data, permits=400, seed=11)
    assert any(p.suffix == ".xlsx" for p in data.iterdir()) and any(p.suffix == ".csv" for p in data.iterdir())
    status = cli.main([str(data), "--policy", str(DEFAULT_POLICY_PATH), "--as-of", truth.as_of.isoformat(),
                       "--out", str(out)])
    assert status == 0
    printed = capsys.readouterr().out
    assert "R01" in printed and "合计" in printed
    findings = [json.loads(line) for line in (out / FINDINGS).read_text(encoding="utf-8").splitlines()]
    got: dict[str, set[str]] = {}
    for f in findings:
        assert set(f) == {"rule", "title", "category", "records", "amount", "summary", "evidence"}
        assert f["records"][0].split(":")[0] in {"permits", "approvals", "fee_ledger", "rentals", "contracts",
                                                 "payments"}
        got.setdefault(f["rule"], set()).add(f["records"][0].split(":", 1)[1])
    for rule, expected in truth.hits.items():
        assert expected, f"the generator planted no {rule}"
        tp = len(expected & got.get(rule, set()))
        assert tp / len(expected) >= 0.95, rule
        assert tp / max(1, len(got.get(rule, set()))) >= 0.95, rule
    wb = load_workbook(out / WORKBOOK, read_only=True)
    assert wb.sheetnames[0] == "汇总" and [n[:3] for n in wb.sheetnames[1:15]] == [f"R{i:02d}" for i in range(1, 15)]
    head = next(wb["R03 易地建设费少收未收"].iter_rows(values_only=True))
    assert "【人防审批】审批文号" in head and "【非税收入缴款】匹配依据" in head


def test_generator_is_deterministic_by_seed(tmp_path):
    a = generate(tmp_path / "a", permits=120, seed=5, excel=False)
    b = generate(tmp_path / "b", permits=120, seed=5, excel=False)
    c = generate(tmp_path / "c", permits=120, seed=6, excel=False)
    assert a.hits == b.hits and a.hits != c.hits
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes()
    assert Truth.load(tmp_path / "a" / "truth.json").hits == a.hits


def test_bad_input_exits_2_with_chinese_message_and_writes_nothing(tmp_path, capsys):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    (data / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-01-01,a,1,甲\nV2,2024-02-30,b,2,乙\n",
                                       encoding="utf-8")
    (data / "contracts.csv").write_text("合同编号,项目名称,供应商,类别,采购方式,合同金额,签订日期\n"
                                        "C1,a,b,工程,询价,abc,2024-01-01\n", encoding="utf-8")
    status = cli.main([str(data), "--policy", str(DEFAULT_POLICY_PATH), "--out", str(out)])
    assert status == 2
    err = capsys.readouterr().err
    assert "payments.csv 第3行「日期」列" in err and "contracts.csv 第2行「合同金额」列" in err
    assert not out.exists()


def test_bad_arguments_and_bad_policy_exit_2(tmp_path, capsys):
    assert cli.main([str(tmp_path), "--policy", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "策略文件" in capsys.readouterr().err
    try:
        cli.main([str(tmp_path), "--policy", "x.toml", "--as-of", "2024/01/01", "--out", "o"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_missing_tables_are_reported_and_progress_is_called(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "财务支出凭证.csv").write_text("凭证号,记账日期,摘要,金额,收款人\nV1,2024-01-01,发放福利,100,甲\n",
                                          encoding="utf-8")
    (data / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    calls = []
    from xuncha.crosscheck_engine.runner import run_check

    result = run_check(data, None, None, tmp_path / "out", progress=lambda s, d, t: calls.append((s, d, t)))
    assert [h.rule for h in result.hits] == ["R14"]
    assert result.not_run["R03"] == ["approvals", "fee_receipts"]
    assert result.ignored_files == ["notes.csv"]
    assert {s for s, _d, _t in calls} >= {"导入", "识别单位和项目", "规则", "输出"}
    assert all(0 <= d <= t for _s, d, t in calls)
    wb = load_workbook(tmp_path / "out" / WORKBOOK, read_only=True)
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert any(r[0] == "R01" and "未运行" in str(r[6]) for r in rows)


def test_a_key_repeated_in_two_files_of_one_table_is_refused(tmp_path):
    from xuncha.crosscheck_engine.errors import DataError
    from xuncha.crosscheck_engine.runner import run_check

    head = "凭证号,日期,摘要,金额,收款方\n"
    (tmp_path / "payments_2023.csv").write_text(head + "V1,2023-01-01,a,1,甲\n", encoding="utf-8")
    (tmp_path / "payments_2024.csv").write_text(head + "V2,2024-01-01,a,1,甲\nV1,2024-01-02,b,2,乙\n",
                                                encoding="utf-8")
    try:
        run_check(tmp_path, None, None, None)
    except DataError as exc:
        assert "payments_2023.csv 第2行" in str(exc) and "payments_2024.csv 第3行" in str(exc)
    else:
        raise AssertionError("duplicate key across files was accepted")
    (tmp_path / "payments_2024.csv").write_text(head + "V2,2024-01-01,a,1,甲\n", encoding="utf-8")
    assert run_check(tmp_path, None, None, None).tables == {"payments": 2}


def test_bad_cells_of_files_of_several_tables_are_all_reported_in_file_order(tmp_path):
    """The tables are read by two threads: every file's errors are still reported, in the files' order,
    and nothing is written."""
    from xuncha.crosscheck_engine.errors import DataErrors
    from xuncha.crosscheck_engine.runner import run_check

    head = "凭证号,日期,摘要,金额,收款方\n"
    (tmp_path / "payments_2023.csv").write_text(head + "V1,2023-01-01,a,abc,甲\n", encoding="utf-8")
    (tmp_path / "payments_2024.csv").write_text(head + "V2,2024-13-01,a,1,甲\n", encoding="utf-8")
    (tmp_path / "contracts.csv").write_text("合同编号,项目名称,供应商,类别,采购方式,合同金额,签订日期\n"
                                            "H1,道路,甲,其他,询价,5,2024-01-01\n", encoding="utf-8")
    out, db = tmp_path / "out", tmp_path / "run.duckdb"
    try:
        run_check(tmp_path, None, None, out, database=db)
    except DataErrors as exc:
        got = [(e.file, e.row, e.column) for e in exc.errors]
        assert got == [("contracts.csv", 2, "类别"), ("payments_2023.csv", 2, "金额"),
                       ("payments_2024.csv", 2, "日期")]
    else:
        raise AssertionError("bad cells were accepted")
    assert not out.exists() and not db.exists()
