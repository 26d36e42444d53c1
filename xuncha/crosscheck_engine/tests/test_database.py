"""run_check(database=…): the run's DuckDB file with the tables the web app relies on."""

from __future__ import annotations

import duckdb
import pytest

from xuncha.crosscheck_engine.errors import DataError
from xuncha.crosscheck_engine.runner import run_check

from .helpers import AS_OF, approval, permit, receipt, write_table


def test_database_holds_the_resolved_tables_and_the_findings(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_table(data, "permits", [permit("P1", "锦绣花园一期", "礼县兴盛建筑有限公司"),
                                  permit("P2", "阳光小区", "礼县兴盛建筑有限公司")])
    write_table(data, "approvals", [approval("A1", "锦绣花园（一期）项目", "兴盛建筑有限责任公司", fee=90000,
                                             kind="易地建设", approved=0)])
    write_table(data, "fee_receipts", [receipt("R1", "兴盛建筑有限公司", 10000, "2023-05-01", project="锦绣花园一期")])
    db = tmp_path / "runs" / "run1.duckdb"
    result = run_check(data, None, AS_OF, None, database=db)
    assert result.database == db and db.exists()
    assert not [p for p in db.parent.iterdir() if p != db]  # the temporary file is gone
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT _file, _sheet, _row, permit_no, company_id, project_id FROM permits "
                       "ORDER BY _row").fetchall()
    assert [r[:4] for r in rows] == [("permits.csv", None, 2, "P1"), ("permits.csv", None, 3, "P2")]
    company = rows[0][4]
    assert company and rows[1][4] == company
    a = con.execute("SELECT company_id, project_id, approval_no_n FROM approvals").fetchone()
    assert a == (company, rows[0][5], "A1")
    assert con.execute("SELECT company_id, project_id FROM fee_receipts").fetchone() == (company, rows[0][5])
    assert con.execute("SELECT rows FROM companies WHERE company_id = ?", [company]).fetchone() == (4,)
    assert con.execute("SELECT count(*) FROM company_names WHERE company_id = ?", [company]).fetchone()[0] == 3
    assert con.execute("SELECT company_id FROM projects WHERE project_id = ?", [rows[0][5]]).fetchone() == (company,)
    found = con.execute("SELECT finding_no, rule, amount FROM findings ORDER BY finding_no").fetchall()
    assert [(r[1], r[2]) for r in found] == [(h.rule, h.amount) for h in result.hits]
    r01 = next(n for n, rule, _a in found if rule == "R01")
    assert con.execute("SELECT table_code, record_key FROM finding_records WHERE finding_no = ? AND position = 0",
                       [r01]).fetchone() == ("permits", "P2")
    con.execute("SELECT table_code, _file, _sheet, _row, name, candidates FROM unresolved_names").fetchall()
    con.close()


def test_database_is_not_written_on_bad_input_and_an_old_one_stays(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "payments.csv").write_text("凭证号,日期,摘要,金额,收款方\nV1,2024-02-30,a,1,甲\n", encoding="utf-8")
    db = tmp_path / "run.duckdb"
    db.write_bytes(b"old")
    with pytest.raises(DataError):
        run_check(data, None, AS_OF, None, database=db)
    assert db.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["data", "run.duckdb"]


def _small(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_table(data, "permits", [permit("P1", "锦绣花园一期", "礼县兴盛建筑有限公司"),
                                  permit("P2", "阳光小区", "礼县兴盛建筑有限公司")])
    write_table(data, "approvals", [approval("A1", "锦绣花园（一期）项目", "兴盛建筑有限责任公司", fee=90000,
                                             kind="易地建设", approved=0)])
    return data


def test_database_and_output_written_together(tmp_path):
    """The database file is written while the output files are (a thread): both are whole."""
    out, db = tmp_path / "out", tmp_path / "runs" / "run.duckdb"
    result = run_check(_small(tmp_path), None, AS_OF, out, database=db)
    assert result.hits and result.database == db and (out / "疑点清单.xlsx").exists()
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == len(lines) == len(result.hits)
    con.close()
    assert not [p for p in db.parent.iterdir() if p != db]


def test_output_failing_while_the_database_is_written_leaves_no_database(tmp_path):
    db = tmp_path / "runs" / "run.duckdb"
    blocked = tmp_path / "out"
    blocked.write_text("a file where the output folder should go")
    with pytest.raises(OSError):
        run_check(_small(tmp_path), None, AS_OF, blocked, database=db)
    assert not db.exists() and not list(db.parent.iterdir())


def _tables(db) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: con.execute(f"SELECT * FROM {n}").fetchall() for n in names}
    finally:
        con.close()


def test_database_tables_writes_only_those_and_the_same_rows(tmp_path):
    data = _small(tmp_path)
    full = run_check(data, None, AS_OF, None, database=tmp_path / "full.duckdb")
    wanted = {"approvals", "permits", "projects", "companies", "finding_records"}
    part = run_check(data, None, AS_OF, None, database=tmp_path / "part.duckdb", database_tables=wanted)
    assert [h.as_dict() for h in part.hits] == [h.as_dict() for h in full.hits]
    everything, some = _tables(full.database), _tables(part.database)
    assert set(some) == wanted and {"company_names", "findings", "approval_fee"} <= set(everything)
    assert some == {name: everything[name] for name in wanted}
    assert some["finding_records"] and some["projects"] and some["companies"]


def test_database_tables_must_be_known(tmp_path):
    db = tmp_path / "run.duckdb"
    with pytest.raises(ValueError, match="approval_fee"):
        run_check(_small(tmp_path), None, AS_OF, None, database=db, database_tables={"permits", "approval_fee"})
    assert not db.exists()
