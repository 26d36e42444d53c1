"""Each rule R01–R14: the hits it must find and the near misses it must leave alone."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc

from xuncha.crosscheck_engine.rules import CATEGORIES, RULES

from .helpers import approval, contract, hits, permit, receipt, run, write_table

XINGSHENG = "礼县兴盛建筑有限公司"


def _code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _wrong_check(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def test_every_rule_has_a_category_of_the_five_classes():
    assert [r.code for r in RULES] == [f"R{i:02d}" for i in range(1, 15)]
    for r in RULES:
        assert r.category in CATEGORIES
    assert {r.code for r in RULES if r.category == "RF-SP"} == {"R01", "R02", "R07", "R08"}
    assert {r.code for r in RULES if r.category == "RF-YD"} == {"R03", "R04", "R05", "R06"}


def test_r01_unapproved_permit_and_its_near_misses(tmp_path):
    hengda = _code("91621226" + "MA7HD0001")
    write_table(tmp_path, "permits", [
        permit("P1", "锦绣花园一期", XINGSHENG),
        permit("P2", "锦绣花园二期", XINGSHENG),  # phase 2 beside an approved phase 1
        permit("P3", "物流仓库", XINGSHENG, use="仓储"),  # exempt use
        permit("P4", "阳光小区", "兴盛建筑有限责任公司"),  # same company, no county prefix
        permit("P5", "城投大厦", "礼县城市建设投资有限公司"),  # namesake of another county approved
        permit("P6", "恒达广场", "恒达建设有限公司", code=hengda),
        permit("P7", "恒达花园", "恒达建设有限公司", code=hengda),
        permit("P8", "东湖家园", "礼县兴盛建筑有限公司", ground=20000),
    ])
    write_table(tmp_path, "approvals", [
        approval("A1", "锦绣花园（一期）项目", "兴盛建筑有限公司"),
        approval("A4", "礼县阳光小区", XINGSHENG),
        approval("A5", "城投大厦", "西和县城市建设投资有限公司"),
        # another company whose mistyped code is one character away from 恒达's
        approval("A6", "恒达广场", "宏远置业有限公司", code=_wrong_check(hengda)),
        # 恒达 itself with a mistyped code: its name still matches
        approval("A7", "恒达花园", "恒达建设有限责任公司", code=_wrong_check(hengda)),
        approval("A8", "东湖家园项目", "兴盛建築有限公司"),  # a typo in the company name
    ])
    r01 = hits(run(tmp_path), "R01")
    assert set(r01) == {"P2", "P5", "P6"}
    assert r01["P2"].amount == pytest.approx(10000 * 0.05 * 1800)
    assert r01["P2"].category == "RF-SP"
    assert "锦绣花园二期" in r01["P2"].summary


def test_r02_required_area_cut(tmp_path):
    write_table(tmp_path, "permits", [permit("P1", "锦绣花园", XINGSHENG, ground=10000),
                                      permit("P2", "阳光小区", XINGSHENG, ground=10000)])
    write_table(tmp_path, "approvals", [
        approval("A1", "锦绣花园", XINGSHENG, ground=8000, required=400),  # permit says 10000 → 500
        approval("A2", "阳光小区", XINGSHENG, ground=10000, required=497),  # inside 1 % tolerance
        approval("A3", "无许可项目", XINGSHENG, ground=2000, required=50),  # own area: should be 100
        approval("A4", "另一项目", XINGSHENG, ground=2000, required=100),
    ])
    r02 = hits(run(tmp_path), "R02")
    assert set(r02) == {"A1", "A3"}
    assert r02["A1"].amount == pytest.approx(100 * 1800)
    assert r02["A1"].records == ["approvals:A1", "permits:P1"]
    assert r02["A3"].evidence["facts"]["面积来源"] == "人防审批"


def test_r03_fee_short_and_installments_that_add_up(tmp_path):
    write_table(tmp_path, "approvals", [
        approval("A1", "锦绣花园", "礼县兴盛建筑有限责任公司", kind="易地建设", approved=0, required=100, fee=180000),
        approval("A2", "阳光小区", "恒达建设有限公司", kind="易地建设", approved=0, required=50),  # 应缴 computed
        approval("A3", "东湖家园", "宏远置业有限公司", kind="易地建设", approved=0, required=100, fee=180000,
                 waiver=None, deferral=100000, deferral_due="2026-01-01"),
    ])
    write_table(tmp_path, "fee_receipts", [
        receipt("F1", "兴盛建筑有限公司", 100000, "2023-05-01", project="锦绣花园项目"),
        receipt("F2", "礼县兴盛建筑有限公司", "80,000.00", "2023-06-01", project="锦绣花园"),
        receipt("F3", "恒达建设有限公司", 50000, "2023-05-01", project="阳光小区"),
        receipt("F4", "恒达建设有限公司", 40000, "2023-05-01", project="阳光小区", item="人防工程使用费"),
        receipt("F5", "宏远置业有限公司", 80000, "2023-05-01", project="东湖家园"),
    ])
    r03 = hits(run(tmp_path), "R03")
    assert set(r03) == {"A2"}
    assert r03["A2"].amount == pytest.approx(50 * 1800 - 50000)
    assert r03["A2"].records == ["approvals:A2", "fee_receipts:F3"]


def test_r04_waivers(tmp_path):
    write_table(tmp_path, "approvals", [
        approval("A1", "廉租一号", XINGSHENG, use="廉租住房", kind="易地建设", approved=0, fee=100000,
                 waiver=50000, basis="人防办〔2023〕15号"),  # lawful waiver with its basis
        approval("A2", "廉租二号", XINGSHENG, use="廉租住房", kind="易地建设", approved=0, fee=100000,
                 waiver=60000, basis="人防办〔2023〕16号"),  # above the share
        approval("A3", "商品房", XINGSHENG, use="住宅", kind="易地建设", approved=0, fee=100000,
                 waiver=20000, basis="领导批示"),  # use not eligible
        approval("A4", "经适房", XINGSHENG, use="经济适用住房", kind="易地建设", approved=0, fee=100000,
                 waiver=30000),  # no basis
    ])
    r04 = hits(run(tmp_path), "R04")
    assert set(r04) == {"A2", "A3", "A4"}
    assert r04["A2"].amount == pytest.approx(10000)
    assert r04["A3"].amount == pytest.approx(20000)
    assert r04["A4"].evidence["facts"]["原因"] == "无减免依据"


def test_r05_overdue_deferral(tmp_path):
    write_table(tmp_path, "approvals", [
        approval("A1", "一号", "甲建设有限公司", kind="易地建设", approved=0, fee=100000, deferral=30000,
                 deferral_due="2025-01-01"),
        approval("A2", "二号", "乙建设有限公司", kind="易地建设", approved=0, fee=100000, deferral=30000,
                 deferral_due="2025-12-31"),  # not yet due
        approval("A3", "三号", "丙建设有限公司", kind="易地建设", approved=0, fee=100000, deferral=30000,
                 deferral_due="2025-01-01"),  # paid after all
    ])
    write_table(tmp_path, "fee_receipts", [
        receipt("F1", "甲建设有限公司", 70000, "2023-05-01", project="一号"),
        receipt("F2", "乙建设有限公司", 70000, "2023-05-01", project="二号"),
        receipt("F3", "丙建设有限公司", 70000, "2023-05-01", project="三号"),
        receipt("F4", "丙建设有限公司", 30000, "2024-12-20", project="三号"),
    ])
    result = run(tmp_path)
    r05 = hits(result, "R05")
    assert set(r05) == {"A1"}
    assert r05["A1"].amount == pytest.approx(30000)
    assert hits(result, "R03") == {}


def test_r06_ledger_money_not_in_treasury(tmp_path):
    write_table(tmp_path, "fee_ledger", [
        {"收据号": "L1", "缴款人": "甲建设有限公司", "金额": 50000, "收款日期": "2025-03-01"},
        {"收据号": "L2", "缴款人": "乙建设有限公司", "金额": 20000, "收款日期": "2025-03-01"},  # 9 days late
        {"收据号": "L3", "缴款人": "丙建设有限公司", "金额": 8800, "收款日期": "2025-02-01"},  # never paid in
        {"收据号": "L4", "缴款人": "丁建设有限公司", "金额": 6600, "收款日期": "2025-06-28"},  # window still open
        {"收据号": "L5", "缴款人": "戊建设有限公司", "金额": 5000, "收款日期": "2025-03-01"},  # other amount
    ])
    write_table(tmp_path, "fee_receipts", [
        receipt("F1", "甲建设有限责任公司", 50000, "2025-03-02", treasury="2025-03-05"),
        receipt("F2", "乙建设有限公司", 20000, "2025-03-02", treasury="2025-03-10"),
        receipt("F5", "戊建设有限公司", 4000, "2025-03-02", treasury="2025-03-03"),
    ])
    r06 = hits(run(tmp_path), "R06")
    assert set(r06) == {"L2", "L3", "L5"}
    assert r06["L3"].amount == pytest.approx(8800)


def test_r07_built_less_than_approved(tmp_path):
    write_table(tmp_path, "approvals", [approval("A1", "一号", XINGSHENG, required=500, approved=500),
                                        approval("A2", "二号", XINGSHENG, required=500, approved=500),
                                        approval("A3", "三号", XINGSHENG, required=500)])
    write_table(tmp_path, "acceptances", [
        {"验收编号": "Y1", "审批文号": "A1", "实建面积": 400, "验收日期": "2024-05-01"},
        {"验收编号": "Y2", "审批文号": "A2", "实建面积": 497, "验收日期": "2024-05-01"},
    ])
    r07 = hits(run(tmp_path), "R07")
    assert set(r07) == {"A1"}
    assert r07["A1"].amount == pytest.approx(100 * 1800)
    assert r07["A1"].records == ["approvals:A1", "acceptances:Y1"]


def test_r08_completed_but_not_accepted(tmp_path):
    write_table(tmp_path, "permits", [permit("P1", "一号", XINGSHENG), permit("P2", "二号", XINGSHENG),
                                      permit("P3", "三号", XINGSHENG), permit("P4", "四号", XINGSHENG)])
    write_table(tmp_path, "approvals", [
        approval("A1", "一号", XINGSHENG), approval("A2", "二号", XINGSHENG), approval("A3", "三号", XINGSHENG),
        approval("A4", "四号", XINGSHENG, kind="易地建设", approved=0)])
    write_table(tmp_path, "completions", [
        {"备案编号": "B1", "施工许可证号": "P1", "项目名称": "一号工程", "备案日期": "2024-10-01"},
        {"备案编号": "B2", "项目名称": "二号", "建设单位": XINGSHENG, "备案日期": "2025-03-01"},  # grace
        {"备案编号": "B3", "施工许可证号": "P3", "项目名称": "三号", "备案日期": "2024-01-01"},
        {"备案编号": "B4", "施工许可证号": "P4", "项目名称": "四号", "备案日期": "2024-01-01"},
    ])
    write_table(tmp_path, "acceptances", [
        {"验收编号": "Y3", "审批文号": "A3", "实建面积": 500, "验收日期": "2024-05-01"}])
    r08 = hits(run(tmp_path), "R08")
    assert set(r08) == {"A1"}
    assert r08["A1"].records == ["approvals:A1", "permits:P1", "completions:B1"]
    assert r08["A1"].amount == 0


def test_r09_low_rent_and_unfounded_waiver(tmp_path):
    base = {"工程名称": "人防工程", "面积": 1000, "起始日期": "2024-01-01", "终止日期": "2026-12-31",
            "指导租金": 80}
    write_table(tmp_path, "rentals", [
        {**base, "合同编号": "Z1", "承租人": "甲商贸有限公司", "年租金": 50000},  # 50 < 64
        {**base, "合同编号": "Z2", "承租人": "乙商贸有限公司", "年租金": 64000},  # exactly the floor
        {**base, "合同编号": "Z3", "承租人": "丙商贸有限公司", "年租金": 80000, "减免金额": 5000},
        {**base, "合同编号": "Z4", "承租人": "丁商贸有限公司", "年租金": 80000, "减免金额": 5000,
         "减免依据": "疫情减免通知"},
    ])
    r09 = hits(run(tmp_path), "R09")
    assert set(r09) == {"Z1", "Z3"}
    assert r09["Z1"].amount == pytest.approx(30000)
    assert r09["Z3"].amount == pytest.approx(5000)


def test_r10_rent_not_received(tmp_path):
    write_table(tmp_path, "rentals", [
        {"合同编号": "Z1", "工程名称": "一号人防工程", "承租人": "甲商贸有限公司", "面积": 1000,
         "起始日期": "2023-01-01", "终止日期": "2025-12-31", "年租金": 100000},
        {"合同编号": "Z2", "工程名称": "二号人防工程", "承租人": "乙商贸有限公司", "面积": 1000,
         "起始日期": "2025-01-01", "终止日期": "2027-12-31", "年租金": 100000},
        {"合同编号": "Z3", "工程名称": "三号人防工程", "承租人": "丙商贸有限公司", "面积": 1000,
         "起始日期": "2022-01-01", "终止日期": "2022-12-31", "年租金": 100000},  # one year, ended
    ])
    write_table(tmp_path, "fee_receipts", [
        receipt("F1", "甲商贸有限公司", 100000, "2023-01-05", item="人防工程使用费"),
        receipt("F2", "甲商贸有限责任公司", 100000, "2024-01-05", item="人防工程租金"),
        receipt("F3", "乙商贸有限公司", 100000, "2025-01-05", item="人防工程使用费"),
        receipt("F4", "丙商贸有限公司", 100000, "2022-01-05", item="人防工程使用费"),
        receipt("F5", "甲商贸有限公司", 90000, "2025-01-05", item="防空地下室易地建设费"),  # not rent
    ])
    r10 = hits(run(tmp_path), "R10")
    assert set(r10) == {"Z1"}
    assert r10["Z1"].amount == pytest.approx(100000)
    assert r10["Z1"].records == ["rentals:Z1", "fee_receipts:F1", "fee_receipts:F2"]


def test_r11_split_purchase_and_cheap_contracts_far_apart(tmp_path):
    write_table(tmp_path, "contracts", [
        contract("C1", "甲科技有限公司", 400000, "2024-01-01"),
        contract("C2", "甲科技有限责任公司", 350000, "2024-01-31"),
        contract("C3", "礼县甲科技有限公司", 300000, "2024-03-01"),
        contract("C4", "乙科技有限公司", 600000, "2024-01-01"),
        contract("C5", "乙科技有限公司", 600000, "2024-07-19"),  # 200 days later
        contract("C6", "丙科技有限公司", 600000, "2024-01-01", method="公开招标"),
        contract("C7", "丙科技有限公司", 600000, "2024-01-15", method="公开招标"),
        contract("C8", "丁科技有限公司", 600000, "2024-01-01", kind="服务"),
        contract("C9", "丁科技有限公司", 600000, "2024-01-15", kind="货物"),  # other category
    ])
    r11 = hits(run(tmp_path), "R11")
    assert set(r11) == {"C1"}
    assert r11["C1"].records == ["contracts:C1", "contracts:C2", "contracts:C3"]
    assert r11["C1"].amount == pytest.approx(1050000)


def test_r12_tender_required(tmp_path):
    write_table(tmp_path, "contracts", [
        {"合同编号": "C1", "项目名称": "指挥所", "供应商": "甲", "类别": "工程", "采购方式": "竞争性谈判",
         "合同金额": "450万", "签订日期": "2024-01-01"},
        {"合同编号": "C2", "项目名称": "指挥所", "供应商": "乙", "类别": "工程", "采购方式": "公开招标",
         "合同金额": 4500000, "签订日期": "2024-01-01"},
        {"合同编号": "C3", "项目名称": "指挥所", "供应商": "丙", "类别": "工程", "采购方式": "询价",
         "合同金额": 3999999, "签订日期": "2024-01-01"},
    ])
    r12 = hits(run(tmp_path), "R12")
    assert set(r12) == {"C1"}
    assert r12["C1"].amount == pytest.approx(4500000)


def test_r13_duplicate_payment_but_not_monthly_salary(tmp_path):
    rows = [{"凭证号": f"S{m}", "日期": dt.date(2024, m, 15).isoformat(), "摘要": f"发放{m}月工资",
             "金额": 5000, "收款方": "张伟"} for m in range(1, 13)]
    rows += [
        {"凭证号": "V1", "日期": "2024-03-01", "摘要": "支付维修费", "金额": 12345.6, "收款方": XINGSHENG},
        {"凭证号": "V2", "日期": "2024-03-10", "摘要": "支付维修费", "金额": "12,345.60",
         "收款方": "兴盛建筑有限责任公司"},
        {"凭证号": "V3", "日期": "2024-05-01", "摘要": "支付印刷费", "金额": 800, "收款方": "甲印务有限公司"},
        {"凭证号": "V4", "日期": "2024-05-21", "摘要": "支付印刷费", "金额": 800, "收款方": "甲印务有限公司"},
    ]
    write_table(tmp_path, "payments", rows)
    r13 = hits(run(tmp_path), "R13")
    assert set(r13) == {"V1"}
    assert r13["V1"].records == ["payments:V1", "payments:V2"]
    assert r13["V1"].amount == pytest.approx(12345.6)


def test_r14_subsidy_keywords(tmp_path):
    write_table(tmp_path, "payments", [
        {"凭证号": "V1", "日期": "2024-02-01", "摘要": "发放春节过节费", "金额": 30000, "收款方": "工会"},
        {"凭证号": "V2", "日期": "2024-02-01", "摘要": "购买办公用品", "金额": 3000, "收款方": "甲商贸有限公司"},
    ])
    result = run(tmp_path)
    r14 = hits(result, "R14")
    assert set(r14) == {"V1"}
    assert "过节费" in r14["V1"].summary
    assert result.not_run["R01"] == ["permits", "approvals"]
    assert "R13" not in result.not_run
