"""Policy file: defaults, overrides and refusals in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from xuncha.crosscheck_engine.errors import DataError
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH, load_policy


def test_defaults_are_the_contract_example():
    p = load_policy(None)
    assert p == load_policy(DEFAULT_POLICY_PATH)
    assert p.shelter_ratio == 0.05 and p.area_tolerance == 0.01
    assert p.exempt_uses == ("工业厂房", "仓储")
    assert p.rate_on(dt.date(2020, 1, 1)) == 1800 and p.rate_on(dt.date(2014, 1, 1)) == 0
    assert p.thresholds == {"工程": 4000000, "货物": 2000000, "服务": 1000000}
    assert p.split_window_days == 90 and p.duplicate_window_days == 15
    assert "过节费" in p.subsidy_keywords


def test_a_partial_file_keeps_the_other_defaults(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[shelter]\nratio = 0.07\n[[fee_rates]]\nfrom = "2015-01-01"\nrate = 1800\n'
                    '[[fee_rates]]\nfrom = "2024-01-01"\nrate = 2500\n', encoding="utf-8")
    p = load_policy(path)
    assert p.shelter_ratio == 0.07 and p.min_ground_area == 0
    assert p.rate_on(dt.date(2023, 12, 31)) == 1800 and p.rate_on(dt.date(2024, 1, 1)) == 2500


@pytest.mark.parametrize("text, words", [
    ("[shelter]\nratio = 5\n", ["[shelter] ratio", "0 到 1"]),
    ("[shelter]\nration = 0.05\n", ["未知的参数 ration"]),
    ("[payment]\nduplicate_window_days = 3\n", ["未知的节 [payment]"]),
    ("[procurement]\nthresholds = { \"工程\" = 1 }\n", ["thresholds", "货物"]),
    ('[[fee_rates]]\nfrom = "2015-13-01"\nrate = 1800\n', ["fee_rates", "YYYY-MM-DD"]),
    ("[shelter\nratio = 0.05\n", ["不是有效的 TOML"]),
])
def test_bad_policy_is_refused_with_a_chinese_message(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_policy(path)
    for w in words:
        assert w in str(err.value)
    assert "bad.toml" in str(err.value)
