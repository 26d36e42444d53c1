"""比对策略 as the app keeps it: TOML text, validated by the engine's own loader, edited field by field.

``validate(text)`` runs the engine's ``load_policy`` on the text (every field, range and unknown key is
checked there, with the engine's Chinese message); ``to_fields`` / ``from_fields`` map the policy file
to the form's fields and back; ``policy_for(round_, year)`` is the policy a run uses: the round's
jurisdiction's policy of that year, else the one of the jurisdiction above, else the contract's default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError

from xuncha.crosscheck_engine.errors import DataError
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH, Policy, load_policy

from .models import CheckPolicy

DEFAULT_LABEL = "《数据比对接口规范》默认策略"
MAX_TOML = 100_000


def default_toml() -> str:
    return DEFAULT_POLICY_PATH.read_text(encoding="utf-8")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate(text: str, name: str = "策略文件.toml") -> Policy:
    """The engine's own check of a policy file; a refusal is a ValidationError with its message."""
    if len(text) > MAX_TOML:
        raise ValidationError(f"{name} 太大（超过 {MAX_TOML} 个字符）。")
    with tempfile.TemporaryDirectory(prefix="xuncha_policy_") as tmp:
        path = Path(tmp) / (Path(name).name or "策略文件.toml")
        path.write_text(text, encoding="utf-8")
        try:
            return load_policy(path)
        except DataError as exc:
            raise ValidationError(exc.message) from None


def policy_for(round_, year: int) -> tuple[CheckPolicy | None, str, str]:
    """(policy row or None, label, TOML text) that a run of this round in that year uses."""
    j = round_.jurisdiction
    while j is not None:
        found = CheckPolicy.objects.filter(jurisdiction=j, year=year).first()
        if found is not None:
            return found, str(found), found.toml
        j = j.parent
    return None, DEFAULT_LABEL, default_toml()


# ---- form fields ⇄ policy file --------------------------------------------------------------------

def _lines(values) -> str:
    return "\n".join(str(v) for v in values)


def _num(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def to_fields(text: str) -> dict:
    """Initial values of the form from a (valid) policy file; missing keys take the defaults."""
    p = validate(text)
    return {
        "shelter_ratio": p.shelter_ratio, "min_ground_area": p.min_ground_area,
        "exempt_uses": _lines(p.exempt_uses), "area_tolerance": p.area_tolerance,
        "fee_rates": _lines(f"{start.isoformat()} {_num(rate)}" for start, rate in p.fee_rates),
        "waiver_eligible": _lines(f"{use} {_num(share)}" for use, share in p.waiver_eligible.items()),
        "waiver_require_basis": p.waiver_require_basis, "treasury_max_days": p.treasury_max_days,
        "acceptance_grace_days": p.acceptance_grace_days, "rent_min_ratio": p.rent_min_ratio,
        "threshold_works": p.thresholds.get("工程"), "threshold_goods": p.thresholds.get("货物"),
        "threshold_services": p.thresholds.get("服务"),
        "tender_methods": _lines(p.tender_methods), "split_window_days": p.split_window_days,
        "duplicate_window_days": p.duplicate_window_days, "subsidy_keywords": _lines(p.subsidy_keywords),
    }


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _arr(values) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _table(pairs: dict) -> str:
    return "{ " + ", ".join(f"{_s(k)} = {_num(v)}" for k, v in pairs.items()) + " }"


def from_fields(d: dict) -> str:
    """The policy file (TOML) of the form's cleaned values (lists and tables already parsed)."""
    rates = "\n".join(f"[[fee_rates]]\nfrom = {_s(start.isoformat())}\nrate = {_num(rate)}\n"
                      for start, rate in d["fee_rates"])
    thresholds = {"工程": d["threshold_works"], "货物": d["threshold_goods"], "服务": d["threshold_services"]}
    return f"""# 比对策略（在巡察工作平台中编辑）

[shelter]
ratio = {_num(d["shelter_ratio"])}
min_ground_area = {_num(d["min_ground_area"])}
exempt_uses = {_arr(d["exempt_uses"])}
area_tolerance = {_num(d["area_tolerance"])}

{rates}
[waivers]
eligible = {_table(d["waiver_eligible"])}
require_basis = {"true" if d["waiver_require_basis"] else "false"}

[treasury]
max_days = {int(d["treasury_max_days"])}

[acceptance]
grace_days = {int(d["acceptance_grace_days"])}

[rent]
min_ratio_to_guidance = {_num(d["rent_min_ratio"])}

[procurement]
thresholds = {_table(thresholds)}
tender_methods = {_arr(d["tender_methods"])}
split_window_days = {int(d["split_window_days"])}

[payments]
duplicate_window_days = {int(d["duplicate_window_days"])}
subsidy_keywords = {_arr(d["subsidy_keywords"])}
"""


def parse_rates(text: str) -> list[tuple[dt.date, float]]:
    out = []
    for i, line in enumerate(_split(text), 1):
        parts = line.replace("，", " ").replace(",", " ").split()
        try:
            start, rate = dt.date.fromisoformat(parts[0]), float(parts[1])
            if len(parts) != 2 or rate < 0:
                raise ValueError
        except (ValueError, IndexError):
            raise ValidationError(f"第 {i} 行“{line}”应为：起始日期 每平方米收费标准（元），"
                                  f"如 2015-01-01 1800") from None
        out.append((start, rate))
    if not out:
        raise ValidationError("至少填写一行收费标准（起始日期 元/㎡）。")
    return out


def parse_shares(text: str) -> dict[str, float]:
    out = {}
    for i, line in enumerate(_split(text), 1):
        parts = line.replace("=", " ").replace("：", " ").split()
        try:
            use, share = " ".join(parts[:-1]), float(parts[-1])
            if not use or not 0 <= share <= 1:
                raise ValueError
        except (ValueError, IndexError):
            raise ValidationError(f"第 {i} 行“{line}”应为：建筑用途 可减免比例（0 到 1），如 廉租住房 0.5") from None
        out[use] = share
    return out


def parse_list(text: str) -> list[str]:
    return list(_split(text))


def _split(text: str):
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            yield line


def check_toml_syntax(text: str) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"不是有效的 TOML：{exc}") from None
