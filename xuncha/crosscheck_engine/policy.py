"""Policy file (比对策略, TOML): every number a rule uses.

A value left out takes the contract's example value (``default_policy.toml``). A wrong type, a value
out of range or an unknown key is refused with a Chinese message naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.toml")


@dataclass(frozen=True)
class Policy:
    shelter_ratio: float
    min_ground_area: float
    exempt_uses: tuple[str, ...]
    area_tolerance: float
    fee_rates: tuple[tuple[dt.date, float], ...]  # (from, yuan/㎡), sorted by date
    waiver_eligible: dict[str, float]
    waiver_require_basis: bool
    treasury_max_days: int
    acceptance_grace_days: int
    rent_min_ratio: float
    thresholds: dict[str, float]
    tender_methods: tuple[str, ...]
    split_window_days: int
    duplicate_window_days: int
    subsidy_keywords: tuple[str, ...]

    def rate_on(self, day: dt.date | None) -> float:
        """易地建设费 rate in force on a day (0 before the first ``from``)."""
        rate = 0.0
        if day is None:
            return rate
        for start, value in self.fee_rates:
            if start <= day:
                rate = value
        return rate


_SCHEMA: dict[str, dict[str, str]] = {
    "shelter": {"ratio": "ratio", "min_ground_area": "nonneg", "exempt_uses": "strings",
                "area_tolerance": "ratio"},
    "waivers": {"eligible": "shares", "require_basis": "bool"},
    "treasury": {"max_days": "days"},
    "acceptance": {"grace_days": "days"},
    "rent": {"min_ratio_to_guidance": "nonneg"},
    "procurement": {"thresholds": "thresholds", "tender_methods": "strings", "split_window_days": "days"},
    "payments": {"duplicate_window_days": "days", "subsidy_keywords": "strings"},
}

_EXPECT = {
    "ratio": "0 到 1 之间的数字", "nonneg": "不小于 0 的数字", "strings": "文字列表，如 [\"a\", \"b\"]",
    "bool": "true 或 false", "days": "不小于 0 的整数（天）",
    "shares": "用途 = 比例（0 到 1）的表，如 { \"廉租住房\" = 0.5 }",
    "thresholds": "类别 = 金额（元）的表，须含 工程、货物、服务",
}


def _is_num(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _check(kind: str, v) -> bool:
    if kind == "ratio":
        return _is_num(v) and 0 <= v <= 1
    if kind == "nonneg":
        return _is_num(v) and v >= 0
    if kind == "strings":
        return isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "days":
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if kind == "shares":
        return isinstance(v, dict) and all(_is_num(x) and 0 <= x <= 1 for x in v.values())
    if kind == "thresholds":
        return (isinstance(v, dict) and {"工程", "货物", "服务"} <= set(v)
                and all(_is_num(x) and x > 0 for x in v.values()))
    raise ValueError(kind)


def _load(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(f"策略文件 {path} 不存在", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"策略文件 {path.name} 不是有效的 TOML：{exc}", file=str(path)) from None


def _merge(base: dict, override: dict, name: str) -> dict:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for section, values in override.items():
        if section == "fee_rates":
            out["fee_rates"] = values
            continue
        if section not in _SCHEMA:
            raise DataError(f"策略文件 {name}：未知的节 [{section}]；可用的节：{'、'.join(_SCHEMA)}、fee_rates",
                            file=name)
        if not isinstance(values, dict):
            raise DataError(f"策略文件 {name}：[{section}] 应为一个节（表）", file=name)
        for key, value in values.items():
            if key not in _SCHEMA[section]:
                raise DataError(f"策略文件 {name}：[{section}] 中未知的参数 {key}；可用的参数："
                                f"{'、'.join(_SCHEMA[section])}", file=name)
            out.setdefault(section, {})[key] = value
    return out


def _rates(raw, name: str) -> tuple[tuple[dt.date, float], ...]:
    if not isinstance(raw, list) or not raw:
        raise DataError(f"策略文件 {name}：[[fee_rates]] 至少要有一项（from = 日期，rate = 元/㎡）", file=name)
    rates = []
    for i, item in enumerate(raw, 1):
        start = item.get("from") if isinstance(item, dict) else None
        rate = item.get("rate") if isinstance(item, dict) else None
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start.strip())
            except ValueError:
                start = None
        elif isinstance(start, dt.datetime):
            start = start.date()
        if not isinstance(start, dt.date) or not _is_num(rate) or rate < 0:
            raise DataError(f"策略文件 {name}：第 {i} 个 [[fee_rates]] 应为 from = \"YYYY-MM-DD\" 和 "
                            f"rate = 不小于 0 的数字（元/㎡），实际为 {item!r}", file=name)
        extra = set(item) - {"from", "rate"}
        if extra:
            raise DataError(f"策略文件 {name}：第 {i} 个 [[fee_rates]] 中未知的参数 {'、'.join(sorted(extra))}",
                            file=name)
        rates.append((start, float(rate)))
    return tuple(sorted(rates))


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy file; ``None`` gives the contract's defaults."""
    default = _load(DEFAULT_POLICY_PATH)
    name = DEFAULT_POLICY_PATH.name
    if path is not None:
        path = Path(path)
        name = path.name
        merged = _merge(default, _load(path), name)
    else:
        merged = default
    for section, keys in _SCHEMA.items():
        for key, kind in keys.items():
            value = merged[section][key]
            if not _check(kind, value):
                raise DataError(f"策略文件 {name}：[{section}] {key} 应为{_EXPECT[kind]}，实际为 {value!r}",
                                file=name)
    s, w, p, pay = merged["shelter"], merged["waivers"], merged["procurement"], merged["payments"]
    return Policy(
        shelter_ratio=float(s["ratio"]),
        min_ground_area=float(s["min_ground_area"]),
        exempt_uses=tuple(x.strip() for x in s["exempt_uses"]),
        area_tolerance=float(s["area_tolerance"]),
        fee_rates=_rates(merged.get("fee_rates"), name),
        waiver_eligible={k.strip(): float(v) for k, v in w["eligible"].items()},
        waiver_require_basis=bool(w["require_basis"]),
        treasury_max_days=int(merged["treasury"]["max_days"]),
        acceptance_grace_days=int(merged["acceptance"]["grace_days"]),
        rent_min_ratio=float(merged["rent"]["min_ratio_to_guidance"]),
        thresholds={k.strip(): float(v) for k, v in p["thresholds"].items()},
        tender_methods=tuple(x.strip() for x in p["tender_methods"]),
        split_window_days=int(p["split_window_days"]),
        duplicate_window_days=int(pay["duplicate_window_days"]),
        subsidy_keywords=tuple(x.strip() for x in pay["subsidy_keywords"]),
    )
