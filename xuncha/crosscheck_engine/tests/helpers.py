"""Helpers of the cross-check tests: write small tables, run the check, read the hits."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from xuncha.crosscheck_engine.runner import CheckResult, run_check
from xuncha.crosscheck_engine.tables import TABLES

AS_OF = dt.date(2025, 6, 30)


def write_table(folder: Path, code: str, rows: list[dict], name: str | None = None,
                encoding: str = "utf-8") -> Path:
    """A CSV of ``code`` with the canonical Chinese headers used in ``rows`` (in the contract's order)."""
    used = {k for r in rows for k in r}
    unknown = used - {c.header for c in TABLES[code].columns}
    assert not unknown, unknown
    headers = [c.header for c in TABLES[code].columns if c.header in used]
    path = Path(folder) / f"{name or code}.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for r in rows:
            w.writerow(["" if r.get(h) is None else r.get(h) for h in headers])
    return path


def run(folder: Path, as_of: dt.date = AS_OF, policy=None, out: Path | None = None) -> CheckResult:
    return run_check(folder, policy, as_of, out)


def hits(result: CheckResult, rule: str) -> dict[str, object]:
    """Primary key → hit, for one rule."""
    return {h.records[0].split(":", 1)[1]: h for h in result.hits if h.rule == rule}


def permit(no, project, builder, ground=10000.0, use="住宅", issue="2023-05-01", code=None, county=None):
    return {"施工许可证号": no, "项目名称": project, "建设单位": builder, "统一社会信用代码": code,
            "区县": county, "建筑用途": use, "总建筑面积": ground * 1.2, "地上建筑面积": ground,
            "发证日期": issue}


def approval(no, project, builder, ground=10000.0, required=None, kind="结建", approved=None, offsite=None,
             fee=None, waiver=None, basis=None, deferral=None, deferral_due=None, use="住宅",
             date="2023-04-01", code=None, permit_no=None):
    required = ground * 0.05 if required is None else required
    return {"审批文号": no, "项目名称": project, "建设单位": builder, "统一社会信用代码": code,
            "施工许可证号": permit_no, "建筑用途": use, "审批类型": kind, "地上建筑面积": ground,
            "应建面积": required, "批准建设面积": approved, "易地建设面积": offsite, "应缴易地建设费": fee,
            "减免金额": waiver, "减免依据": basis, "缓缴金额": deferral, "缓缴期限": deferral_due,
            "审批日期": date}


def receipt(no, payer, amount, day, item="防空地下室易地建设费", project=None, treasury=None, code=None):
    return {"缴款书号": no, "缴款人": payer, "统一社会信用代码": code, "项目名称": project, "收入项目": item,
            "金额": amount, "缴款日期": day, "入库日期": treasury}


def contract(no, supplier, amount, day, method="询价", kind="服务", project="人防工程维护"):
    return {"合同编号": no, "项目名称": project, "供应商": supplier, "类别": kind, "采购方式": method,
            "合同金额": amount, "签订日期": day}
