"""Amounts exactly as the contract words them: R03 net of 缓缴, R09 by whichever condition hit."""

from __future__ import annotations

import pytest

from .helpers import approval, hits, receipt, run, write_table


def test_r03_shortfall_is_net_of_deferral(tmp_path):
    # 应缴 1,000,000, 减免 100,000, 缓缴 300,000, paid 500,000: 600,000 was due now, 100,000 is short
    write_table(tmp_path, "approvals", [
        approval("宕昌〔2021〕375", "锦绣花园", "宕昌县兴盛建筑有限公司", use="廉租住房", kind="易地建设",
                 approved=0, fee=1_000_000, waiver=100_000, basis="人防办〔2021〕3号", deferral=300_000,
                 deferral_due="2026-12-31")])
    write_table(tmp_path, "fee_receipts", [
        receipt("F1", "宕昌县兴盛建筑有限公司", 500_000, "2021-06-01", project="锦绣花园")])
    r03 = hits(run(tmp_path), "R03")
    assert r03["宕昌〔2021〕375"].amount == pytest.approx(100_000)
    assert r03["宕昌〔2021〕375"].evidence["facts"]["应收(元)"] == pytest.approx(600_000)


def _rental(no, rent, area=100, guide=100, waiver=None, basis=None):
    return {"合同编号": no, "工程名称": f"{no}人防工程", "承租人": f"{no}商贸有限公司", "面积": area,
            "起始日期": "2024-01-01", "终止日期": "2025-12-31", "年租金": rent, "指导租金": guide,
            "减免金额": waiver, "减免依据": basis}


def test_r09_amount_counts_the_condition_that_hit(tmp_path):
    write_table(tmp_path, "rentals", [
        _rental("Z1", 6000),  # low: 60/㎡ < 80: the gap to the guidance, 10,000 − 6,000
        _rental("Z2", 9000, waiver=1000),  # unfounded waiver only (90/㎡ is above the floor): 1,000
        _rental("Z3", 6000, waiver=500),  # both: 4,000 + 500
        _rental("Z4", 6000, waiver=500, basis="疫情减免通知〔2022〕3号"),  # low, waiver founded: 4,000
        _rental("Z5", 8000),  # exactly at the floor: no hit
        _rental("Z6", 9000, waiver=800, basis="无"),  # a basis that says 无 is none: 800
        _rental("Z7", 5000, guide=None),  # no guidance: no low-rent test
    ])
    r09 = hits(run(tmp_path), "R09")
    assert {k: h.amount for k, h in r09.items()} == {"Z1": 4000, "Z2": 1000, "Z3": 4500, "Z4": 4000, "Z6": 800}
