"""Reads of 数据比对: the 疑点 list with its filters, the side-by-side evidence, and the 一项目一档 dossier
(read from the run's DuckDB database, the engine's stable interface). Reads of confidential records
(a 疑点, a dossier, an export) are audited here (``xuncha.audit.reads``)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
from django.core.exceptions import ValidationError
from django.db.models import Q

from xuncha.audit.reads import audit_read
from xuncha.crosscheck_engine.output import FINDINGS
from xuncha.crosscheck_engine.rules import CATEGORIES, RULES
from xuncha.crosscheck_engine.tables import TABLES
from xuncha.policy.crosscheck import crosscheck_policy

from .models import CheckRun, Suspicion

SORTS = {"amount_desc": "-amount", "amount_asc": "amount", "no": "finding_no"}


def rule_choices():
    return [(r.code, f"{r.code} {r.title}") for r in RULES]


def category_choices():
    return list(CATEGORIES.items()) if isinstance(CATEGORIES, dict) else list(CATEGORIES)


def _money(value: str):
    try:
        return Decimal(value.replace(",", "").strip()) if value and value.strip() else None
    except InvalidOperation:
        return None


def filter_suspicions(qs, params) -> tuple[object, dict, list[str]]:
    """Apply the list's filters (rule, category, county, money range, status, change) and sort."""
    f = {k: (params.get(k) or "").strip() for k in ("rule", "category", "county", "min", "max", "status",
                                                    "change", "sort", "q")}
    problems = []
    if f["rule"]:
        qs = qs.filter(rule=f["rule"])
    if f["category"]:
        qs = qs.filter(category=f["category"])
    if f["county"]:
        qs = qs.filter(county__contains=f["county"])
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["change"]:
        qs = qs.filter(change=f["change"])
    if f["q"]:
        qs = qs.filter(Q(summary__contains=f["q"]) | Q(primary_record__contains=f["q"]))
    for key, op in (("min", "gte"), ("max", "lte")):
        if f[key]:
            value = _money(f[key])
            if value is None:
                problems.append(f"金额“{f[key]}”不是数字，已忽略。")
            else:
                qs = qs.filter(**{f"amount__{op}": value})
    qs = qs.order_by(SORTS.get(f["sort"], "finding_no"), "finding_no")
    return qs, f, problems


def counties(run: CheckRun) -> list[str]:
    return list(run.suspicions.exclude(county="").order_by("county").values_list("county", flat=True).distinct())


def read_suspicion(request, pk: int) -> Suspicion:
    """One 疑点 the user may see (404 otherwise), its read audited."""
    s = crosscheck_policy.suspicions(request.user).select_related("run", "round", "problem", "clue").filter(
        pk=pk).first()
    if s is None:
        from django.http import Http404

        raise Http404("记录不存在或无权查看。")
    audit_read(request.user, s, "view", request=request, what=f"疑点 {s.code}（{s.rule}）",
               data={"run": s.run_id})
    return s


class EvidenceUnavailable(ValidationError):
    """The 疑点's line of its run's findings.jsonl cannot be read (file gone, damaged or replaced)."""


def run_folder(run: CheckRun) -> Path | None:
    """The folder a finished run left its output in (``workdir`` is recorded when the run succeeds),
    found under today's data directory: still found after a restore into another one."""
    from .jobs import run_dir

    return run_dir(run) if run.workdir else None


def findings_file(run: CheckRun) -> Path | None:
    folder = run_folder(run)
    return folder / "out" / FINDINGS if folder else None


def hit_of(s: Suspicion) -> dict:
    """The 疑点 as the engine wrote it (rule, records, amount, summary, evidence): its line of the run's
    ``findings.jsonl`` (byte offset and size kept on the 疑点), or, for runs saved before that, the
    copy kept in the database. Raises :class:`EvidenceUnavailable` with the reason in Chinese."""
    cached = getattr(s, "_hit", None)
    if cached is not None:
        return cached
    if s.line_at is None:
        hit = {"rule": s.rule, "records": s.records or [], "summary": s.summary, "evidence": s.evidence or {}}
    else:
        path = findings_file(s.run)
        try:
            with open(path, "rb") as fh:  # type: ignore[arg-type]
                fh.seek(s.line_at)
                raw = fh.read(s.line_size)
        except (OSError, TypeError) as exc:
            raise EvidenceUnavailable(f"{s.code} 的证据读不到：该次比对的结果文件（{FINDINGS}）已不在。"
                                      "请重新运行比对，在新的疑点上核实。") from exc
        try:
            whole = len(raw) == s.line_size and raw.startswith(b"{") and raw.endswith(b"\n")
            hit = json.loads(raw.decode("utf-8")) if whole else None
        except ValueError:
            hit = None
        if not isinstance(hit, dict) or hit.get("rule") != s.rule or hit.get("summary") != s.summary:
            raise EvidenceUnavailable(f"{s.code} 的证据读不到：该次比对的结果文件（{FINDINGS}）已损坏或被改动，"
                                      "与保存的疑点对不上。请重新运行比对，在新的疑点上核实。")
    s._hit = hit
    return hit


def evidence_of(s: Suspicion) -> dict:
    """The evidence of a 疑点: ``facts`` (the figures the rule computed) and ``rows`` (each department
    row with its file, row number, values and why it was matched)."""
    return hit_of(s).get("evidence") or {}


def side_by_side(s: Suspicion) -> dict:
    """Evidence rows as columns (one per department row) and fields as lines, with match reasons."""
    evidence = evidence_of(s)
    rows = evidence.get("rows") or []
    fields: list[str] = []
    for r in rows:
        for k in (r.get("values") or {}):
            if k not in fields:
                fields.append(k)
    return {
        "heads": [{"table": r.get("table_name") or r.get("table"), "file": r.get("file"), "row": r.get("row"),
                   "key": r.get("key"), "match": r.get("match")} for r in rows],
        "lines": [{"field": k, "cells": [(r.get("values") or {}).get(k, "") for r in rows]} for k in fields],
        "facts": list((evidence.get("facts") or {}).items()),
    }


# ---- 一项目一档 ------------------------------------------------------------------------------------

#: (table, date field, event label) of the timeline; a row may give several events
EVENTS = [
    ("permits", "issue_date", "发放施工许可"), ("approvals", "approval_date", "人防审批"),
    ("approvals", "deferral_due", "缓缴期限届满"), ("fee_ledger", "receive_date", "人防办收款"),
    ("fee_receipts", "pay_date", "缴款"), ("fee_receipts", "treasury_date", "入库"),
    ("acceptances", "acceptance_date", "人防竣工验收"), ("completions", "record_date", "竣工验收备案"),
    ("rentals", "start_date", "人防工程出租"), ("contracts", "sign_date", "签订采购合同"),
    ("payments", "pay_date", "支付"),
]


def database(run: CheckRun) -> Path | None:
    folder = run_folder(run)
    path = folder / "run.duckdb" if folder else None
    return path if path and path.exists() else None


def _connect(run: CheckRun):
    path = database(run)
    return duckdb.connect(str(path), read_only=True) if path else None


def search_entities(run: CheckRun, q: str, limit: int = 50) -> list[dict]:
    """Projects and companies of the run whose name contains ``q``."""
    con = _connect(run)
    if con is None or not q.strip():
        return []
    try:
        like = f"%{q.strip()}%"
        projects = con.execute("SELECT project_id, name, rows FROM projects WHERE name LIKE ? OR "
                               "list_contains(spellings, ?) ORDER BY rows DESC, project_id LIMIT ?",
                               [like, q.strip(), limit]).fetchall()
        companies = con.execute("SELECT company_id, name, rows FROM companies WHERE name LIKE ? OR credit_code = ? "
                                "ORDER BY rows DESC, company_id LIMIT ?", [like, q.strip(), limit]).fetchall()
    finally:
        con.close()
    return ([{"id": i, "name": n, "rows": r, "kind": "项目"} for i, n, r in projects]
            + [{"id": i, "name": n, "rows": r, "kind": "单位"} for i, n, r in companies])


def _rows(con, code: str, where: str, params: list) -> list[dict]:
    table = TABLES[code]
    fields = [c.field for c in table.columns]
    cols = {r[0] for r in con.execute(f"DESCRIBE {code}").fetchall()}
    extra = [c for c in ("company_match", "project_match") if c in cols]
    cur = con.execute(f"SELECT _file, _row, {', '.join(fields + extra)} FROM {code} WHERE {where} "
                      f"ORDER BY _file, _row", params)
    out = []
    for rec in cur.fetchall():
        values = {c.header: v for c, v in zip(table.columns, rec[2:2 + len(fields)], strict=True) if v is not None}
        raw = dict(zip(fields, rec[2:2 + len(fields)], strict=True))
        match = "；".join(str(m) for m in rec[2 + len(fields):] if m)
        out.append({"table": code, "table_name": table.name, "file": rec[0], "row": rec[1],
                    "key": raw[table.key.field], "values": values, "raw": raw, "match": match})
    return out


def dossier(request, run: CheckRun, entity_id: str) -> dict | None:
    """一项目一档 / 一企一档: every row of the run's data about one project (P…) or company (C…), on one
    timeline, with the money totals and every 疑点 that touches it; the read is audited."""
    con = _connect(run)
    if con is None:
        return None
    try:
        if entity_id.startswith("P"):
            found = con.execute("SELECT name, company_id, spellings FROM projects WHERE project_id = ?",
                                [entity_id]).fetchone()
            kind, col = "项目", "project_id"
        else:
            found = con.execute("SELECT name, company_id, credit_code FROM companies WHERE company_id = ?",
                                [entity_id]).fetchone()
            kind, col = "单位", "company_id"
        if found is None:
            return None
        rows: list[dict] = []
        for code in TABLES:
            cols = {r[0] for r in con.execute(f"DESCRIBE {code}").fetchall()}
            if col in cols:
                rows += _rows(con, code, f"{col} = ?", [entity_id])
        seen = {(r["table"], r["key"]) for r in rows}
        for code in ("acceptances", "fee_ledger"):   # linked to the project's approvals by 审批文号
            for r in _rows(con, code, f"approval_no_n IN (SELECT approval_no_n FROM approvals WHERE {col} = ?)",
                           [entity_id]):
                if (r["table"], r["key"]) not in seen:
                    rows.append(r)
    finally:
        con.close()
    events = []
    for code, fld, label in EVENTS:
        for r in rows:
            if r["table"] == code and r["raw"].get(fld):
                events.append({"date": r["raw"][fld], "label": label, **r})
    undated = [r for r in rows if not any(r["table"] == c and r["raw"].get(f) for c, f, _ in EVENTS)]
    events.sort(key=lambda e: (e["date"], e["table"], str(e["key"])))
    totals = money_totals(rows)
    suspicions = [s for s in run.suspicions.defer("evidence", "records", "summary").order_by("-amount")
                  if entity_id in (s.entities or [])]
    audit_read(request.user, run, "view", request=request, what=f"{kind}档案 {found[0]}（第{run.number}次比对）",
               data={"entity": entity_id})
    return {"id": entity_id, "kind": kind, "name": found[0], "company_id": found[1] if kind == "项目" else None,
            "events": events, "undated": undated, "totals": totals, "suspicions": suspicions, "rows": len(rows)}


def _sum(rows, table: str, fld: str, cond=lambda r: True) -> float:
    return round(sum(float(r["raw"].get(fld) or 0) for r in rows if r["table"] == table and cond(r)), 2)


def money_totals(rows: list[dict]) -> dict:
    """应缴, 减免, 缓缴, 已缴 (易地建设费 receipts), 差额 = 应缴 − 减免 − 已缴."""
    due = _sum(rows, "approvals", "fee_due")
    waiver = _sum(rows, "approvals", "waiver")
    deferral = _sum(rows, "approvals", "deferral")
    paid = _sum(rows, "fee_receipts", "amount", lambda r: "易地建设" in str(r["raw"].get("income_item") or ""))
    treasury = _sum(rows, "fee_receipts", "amount", lambda r: "易地建设" in str(r["raw"].get("income_item") or "")
                    and r["raw"].get("treasury_date"))
    return {"due": due, "waiver": waiver, "deferral": deferral, "paid": paid, "treasury": treasury,
            "gap": round(due - waiver - paid, 2)}


def dossier_date(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
