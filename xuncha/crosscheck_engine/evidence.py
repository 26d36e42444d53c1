"""Evidence of a hit (疑点证据): the source rows side by side, why they were matched, the facts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from . import entities
from .rules import Rule
from .tables import AREA, DATE, MONEY, NUMBER, TABLES

FACT_LABELS = {
    "project": "项目名称", "builder": "建设单位", "ground_area": "地上建筑面积(㎡)", "use": "建筑用途",
    "required_area": "应建面积(㎡)", "should_area": "按比例应建面积(㎡)", "area_source": "面积来源",
    "fee_due": "应缴易地建设费(元)", "waiver": "减免金额(元)", "deferral": "缓缴金额(元)", "paid": "已缴(元)",
    "due_now": "应收(元)", "share": "可减免比例", "reason": "原因", "basis": "减免依据",
    "deferral_due": "缓缴期限", "payer": "缴款人", "receive_date": "收款日期", "approved_area": "批准建设面积(㎡)",
    "built_area": "实建面积(㎡)", "record_date": "竣工验收备案日期", "days": "距备案天数", "shelter": "工程名称",
    "tenant": "承租人", "supplier": "供应商", "yearly_rent": "年租金(元)", "area": "面积(㎡)", "guide_rent": "指导租金(元/㎡·年)",
    "unit_rent": "实际单价(元/㎡·年)", "years": "已开始的租期年数", "due": "应缴租金(元)", "n": "笔数",
    "category": "类别", "threshold": "限额(元)", "first_date": "最早日期", "last_date": "最晚日期",
    "method": "采购方式", "each_amount": "单笔金额(元)", "payee": "收款方", "summary": "摘要",
    "pay_date": "日期", "words": "命中关键词",
}

# the company and project columns compared when explaining a match
_COMPANY = {"permits": ("建设单位", "统一社会信用代码"), "approvals": ("建设单位", "统一社会信用代码"),
            "completions": ("建设单位", None), "fee_receipts": ("缴款人", "统一社会信用代码"),
            "fee_ledger": ("缴款人", None), "rentals": ("承租人", "统一社会信用代码"),
            "contracts": ("供应商", "统一社会信用代码"), "payments": ("收款方", None)}
_PROJECT = {"permits": "项目名称", "approvals": "项目名称", "completions": "项目名称",
            "fee_receipts": "项目名称", "rentals": "工程名称"}


def _plain(v):
    t = type(v)
    if t is str or t is int or v is None:  # most values: as they are
        return v
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return _round2(v)
    return v


def _round2(v: float) -> float:
    """``round(v, 2)`` (about 1.5 µs: a decimal conversion), at once for a value already in cents: k / 100
    with k whole is the double nearest to that decimal, so round() would give ``v`` itself."""
    k = v * 100.0
    if k.is_integer() and -1e13 < v < 1e13 and k / 100.0 == v:
        return v
    return round(v, 2)


def fetch_rows(con, wanted: dict[str, set[str]]) -> dict[tuple[str, str], dict]:
    """Source rows by (table, key): {"file", "row", "values": {header: value}, "norm": {...}}."""
    out: dict[tuple[str, str], dict] = {}
    for code, keys in wanted.items():
        if not keys:
            continue
        table = TABLES[code]
        fields = [c.field for c in table.columns]
        extra = [f for f in ("permit_no_n", "approval_no_n") if f in _columns(con, code)]
        # what _plain makes of each value, by the kind of its column: dates as ISO text already in SQL
        # (every date was checked to lie in 1900–2100 at import), amounts and areas (DOUBLE) rounded here,
        # text as it is
        cols = [f"strftime(t.{c.field}, '%Y-%m-%d')" if c.kind == DATE else f"t.{c.field}" for c in table.columns]
        headers = [c.header for c in table.columns]
        rounded = [c.header for c in table.columns if c.kind in (MONEY, AREA, NUMBER)]
        n = len(fields)
        sql = (f"SELECT t._file, t._row, {', '.join(cols + ['t.' + f for f in extra])} FROM {code} t "
               f"JOIN (SELECT unnest($keys) AS k) w ON w.k = t.{table.key.field}")
        for rec in con.execute(sql, {"keys": sorted(keys)}).fetchall():
            values = {h: v for h, v in zip(headers, rec[2:2 + n], strict=True) if v is not None}
            for h in rounded:
                v = values.get(h)
                if v is not None:
                    values[h] = _round2(v)
            norm = dict(zip(extra, rec[2 + n:], strict=True))
            out[(code, rec[2])] = {"file": rec[0], "row": rec[1], "values": values, "norm": norm}
    return out


def _columns(con, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def match_basis(primary_table: str, primary: dict, table: str, row: dict) -> str:
    """Why ``row`` belongs with the primary record."""
    if table == "acceptances" or (table == "approvals" and primary_table == "fee_ledger"):
        return "审批文号一致"
    parts = []
    pn, rn = primary["norm"], row["norm"]
    if {primary_table, table} == {"approvals", "permits"} and pn.get("permit_no_n") and \
            pn.get("permit_no_n") == rn.get("permit_no_n"):
        return "施工许可证号一致"
    if primary_table in _PROJECT and table in _PROJECT:
        a, b = primary["values"].get(_PROJECT[primary_table]), row["values"].get(_PROJECT[table])
        if a and b:
            parts.append("项目：" + entities.project_basis(a, b))
        elif a and not b and table == "fee_receipts":
            parts.append("项目：缴款未写项目名称，该单位仅此一个项目")
    if primary_table in _COMPANY and table in _COMPANY:
        (na, ca), (nb, cb) = _COMPANY[primary_table], _COMPANY[table]
        a, b = primary["values"].get(na), row["values"].get(nb)
        if a and b:
            code_a = primary["values"].get(ca) if ca else None
            code_b = row["values"].get(cb) if cb else None
            parts.append("单位：" + entities.company_basis(a, _norm_code(code_a), b, _norm_code(code_b)))
    return "；".join(parts)


def _norm_code(code):
    if not code:
        return None
    return "".join(str(code).split()).upper()


class _Facts(dict):
    def __missing__(self, key):
        return "—"


class _WithParams(dict):
    """A hit's facts; a key it lacks is a policy parameter (``params``), else "—"."""

    params: dict

    def __missing__(self, key):
        return self.params.get(key, "—")


def summary_text(rule: Rule, pk: str, facts: dict, params: dict, plain_params: dict | None = None) -> str:
    """``plain_params``: ``params`` already made plain (the same for every hit of a run)."""
    values = _Facts(plain_params if plain_params is not None else {k: _plain(v) for k, v in params.items()})
    values.update({k: (_plain(v) if v is not None else "—") for k, v in facts.items()})
    values["pk"] = pk
    try:
        return rule.summary.format_map(values)
    except (ValueError, TypeError):
        return f"{rule.title}：{pk}，涉及金额{float(facts.get('amount') or 0):,.0f}元。"


def build_hits(con, hits_raw: list, params: dict, progress) -> list:
    return format_hits(hits_raw, fetch_rows(con, wanted_rows(hits_raw)), params, progress)


def wanted_rows(hits_raw: list) -> dict[str, set[str]]:
    """The source rows the evidence of ``hits_raw`` shows: table → keys."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for rule, facts, refs in hits_raw:
        wanted[rule.primary].add(facts["pk"])
        for t, k in refs:
            wanted[t].add(k)
    return wanted


def format_hits(hits_raw: list, rows: dict, params: dict, progress) -> list:
    """The hits with their evidence, from the rows ``fetch_rows`` gave (Python only: no database)."""
    from .runner import Hit

    plain_params = {k: _plain(v) for k, v in params.items()}
    hits = []
    total = len(hits_raw)
    for i, (rule, facts, refs) in enumerate(hits_raw):
        if i % 2000 == 0:
            progress("整理证据", i, total)
        pk = facts["pk"]
        primary = rows.get((rule.primary, pk), {"file": None, "row": None, "values": {}, "norm": {}})
        ev_rows = [_ev(rule.primary, pk, primary, "主记录")]
        for t, k in refs:
            row = rows.get((t, k), {"file": None, "row": None, "values": {}, "norm": {}})
            permits = [rows.get(("permits", k2)) for t2, k2 in refs if t2 == "permits"] \
                if t == "completions" else None
            if permits and permits[0]:
                link = permits[0]["norm"].get("permit_no_n") and \
                    permits[0]["norm"].get("permit_no_n") == row["norm"].get("permit_no_n")
                basis = "与施工许可：" + ("施工许可证号一致" if link else
                                     match_basis("permits", permits[0], t, row))
            else:
                basis = match_basis(rule.primary, primary, t, row)
            ev_rows.append(_ev(t, k, row, basis))
        amount = _round2(float(facts.get("amount") or 0))
        plain = {k: _plain(v) for k, v in facts.items() if v is not None}  # each fact made plain once
        fact_view = {FACT_LABELS.get(k, k): v for k, v in plain.items() if k not in ("pk", "amount")}
        # what summary_text(rule, pk, {**facts, "amount": amount}, params, plain_params) gives, the
        # policy parameters looked up only when the summary names one (not copied for every hit)
        values = _WithParams(dict.fromkeys(facts, "—"))
        values.update(plain)
        values["amount"] = _plain(amount)
        values["pk"] = pk
        values.params = plain_params
        try:
            summary = rule.summary.format_map(values)
        except (ValueError, TypeError):
            summary = f"{rule.title}：{pk}，涉及金额{amount:,.0f}元。"
        hits.append(Hit(
            rule=rule.code, title=rule.title, category=rule.category,
            records=[f"{rule.primary}:{pk}", *[f"{t}:{k}" for t, k in refs]],
            amount=amount, summary=summary, evidence={"facts": fact_view, "rows": ev_rows}))
    progress("整理证据", total, total)
    return hits


def _ev(table: str, key: str, row: dict, basis: str) -> dict:
    return {"table": table, "table_name": TABLES[table].name, "key": key, "file": row["file"],
            "row": row["row"], "match": basis, "values": row["values"]}


__all__ = ["build_hits", "fetch_rows", "format_hits", "match_basis", "wanted_rows"]
