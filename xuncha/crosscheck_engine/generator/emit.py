"""Writing the simulated data as the departments export it (files, sheets, headers, encodings)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ..tables import TABLES
from .mess import Mess
from .model import city_of
from .world import World

UNITS = {"money": ("元", "（元）"), "area": ("㎡", "平方米")}

def _headers(table: str, mess: Mess, choices: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(field, header text as written) of a table, with aliases and unit suffixes when messy."""
    out = []
    for col in TABLES[table].columns:
        h = col.header
        if mess.messy and col.aliases and mess.rng.random() < 0.4:
            h = mess.rng.choice(col.aliases)
        if choices and col.field in choices:
            h = choices[col.field]
        elif mess.messy and col.kind == "area" and mess.rng.random() < 0.4:
            h += mess.rng.choice(["(㎡)", "（㎡）", "（平方米）"])
        elif mess.messy and col.kind == "money" and mess.rng.random() < 0.3:
            h += mess.rng.choice(["(元)", "（元）"])
        out.append((col.field, h))
    return out


def _gbk_safe(value):
    """GBK has no zero-width space, no-break space or BOM: such a cell gets an ideographic space instead."""
    if isinstance(value, str):
        try:
            value.encode("gbk")
        except UnicodeEncodeError:
            return "".join(ch if ch.encode("gbk", "ignore") else "\u3000" for ch in value)
    return value


def _head_cells(table: str, headers: list[tuple[str, str]], mess: Mess) -> list[str]:
    """Header cells as written: some with a line break (施工许可\n证号) or a required mark (*审批类型)."""
    out = []
    for field, h in headers:
        col = TABLES[table].column(field)
        if mess.chance(0.12) and len(h) >= 4:
            i = mess.rng.randrange(2, len(h) - 1)
            h = h[:i] + mess.rng.choice(["\n", "\r\n"]) + h[i:]
        elif col.required and mess.chance(0.1):
            h = "*" + h
        out.append(h)
    return out


def _units_row(table: str, headers: list[tuple[str, str]]) -> list[str]:
    """A row of units under the header (元, ㎡; 万元 where the header says so)."""
    out = []
    for field, h in headers:
        kind = TABLES[table].column(field).kind
        if "万元" in h:
            out.append("万元")
        else:
            out.append(UNITS.get(kind, ("",))[0])
    return out


def _write(path_dir: Path, name: str, table: str, headers: list[tuple[str, str]], rows: list[dict], mess: Mess,
           fmt: str, title: str | None) -> Path:
    fields = [f for f, _ in headers]
    head = _head_cells(table, headers, mess)
    units = _units_row(table, headers) if mess.chance(0.25) else None
    if mess.messy:
        head = ["序号", *head]
        units = ["", *units] if units else None
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        # one sheet per period when messy (several sheets of one table), and a sheet of notes
        parts = mess.rng.choice([1, 2, 3]) if mess.messy and len(rows) >= 6 else 1
        size = -(-len(rows) // parts)
        for part in range(parts):
            if part:
                ws = wb.create_sheet()
            ws.title = TABLES[table].name if parts == 1 else f"{2019 + part * 2}年起"
            if title:
                ws.append([title])
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
                ws.append([])
            ws.append(head)
            if units:
                ws.append(units)
            for i, r in enumerate(rows[part * size:(part + 1) * size], part * size + 1):
                vals = [r.get(f, "") for f in fields]
                ws.append([i, *vals] if mess.messy else vals)
            if mess.messy:
                ws.append([])
                ws.append(["制表人：" + "王芳"])
        if mess.chance(0.3):
            notes = wb.create_sheet("填表说明")
            notes.append(["1. 本表由业务系统导出。"])
            notes.append(["2. 金额单位为元，面积单位为平方米。"])
        path = path_dir / f"{name}.xlsx"
        wb.save(path)
        return path
    path = path_dir / f"{name}.csv"
    encoding = "utf-8"
    if mess.messy:
        encoding = mess.rng.choice(["gbk", "utf-8-sig", "utf-8"]) if table != "payments" else "utf-8-sig"
    safe = _gbk_safe if encoding == "gbk" else (lambda v: v)
    with open(path, "w", encoding=encoding, newline="", errors="strict") as fh:
        w = csv.writer(fh)
        if title:
            w.writerow([title] + [""] * (len(head) - 1))
        w.writerow(head)
        if units:
            w.writerow(units)
        for i, r in enumerate(rows, 1):
            vals = [safe(r.get(f, "")) for f in fields]
            w.writerow([i, *vals] if mess.messy else vals)
    return path


def _xl_date(mess: Mess, d: dt.date | None, fmt: str):
    if d is None:
        return ""
    if fmt == "xlsx" and mess.messy and mess.rng.random() < 0.5:
        return dt.datetime(d.year, d.month, d.day)  # an Excel date cell
    return mess.date(d)


def _emit(world: World, out: Path, mess: Mess, excel, truth) -> dict[str, int]:  # noqa: C901
    rng = world.rng
    t = world.truth_rows
    excel = set(excel)
    counts = {}
    county = city_of(world.counties[0][0]) or "某市"
    companies, projects = truth.companies, truth.projects

    def fmt_of(table):
        return "xlsx" if table in excel else "csv"

    def who(table, key, company, project=None):
        if company is not None:
            companies.setdefault(table, {})[key] = company
        if project is not None:
            projects.setdefault(table, {})[key] = project

    def title(name):
        return f"{county}{name}（2019—2025年）" if mess.messy else None

    # permits
    fmt = fmt_of("permits")
    rows = []
    for pm in t["permits"]:
        p = pm["project"]
        who("permits", pm["key"], f"C{p.builder.cid}", f"P{p.pid}-{pm['phase']}")
        rows.append({"permit_no": pm["key"], "project": mess.project(p, pm["phase"], buildings=True),
                     "builder": mess.company(p.builder), "uscc": mess.code(p.builder, 0.7),
                     "location": f"{mess.county(*p.county)[0]}{rng.choice(['城关镇', '新城区', '滨河路', '工业园区'])}",
                     "county": mess.county(*p.county)[0], "use": pm["use"],
                     "total_area": mess.area(pm["ground"] + pm["under"]), "ground_area": mess.area(pm["ground"]),
                     "under_area": mess.area(pm["under"]), "floors": str(rng.randint(2, 33)),
                     "issue_date": _xl_date(mess, pm["issue"], fmt)})
    _write(out, "施工许可_住建局导出" if mess.messy else "permits", "permits", _headers("permits", mess), rows,
           mess, fmt, title("施工许可台账"))
    counts["permits"] = len(rows)

    fmt = fmt_of("completions")
    rows = []
    for c in t["completions"]:
        pm = c["permit"]
        who("completions", c["key"], f"C{pm['builder'].cid}" if c["give_builder"] else None,
            f"P{pm['project'].pid}-{pm['phase']}")
        rows.append({"record_no": c["key"], "permit_no": pm["key"] if c["give_permit"] else "",
                     "project": mess.project(pm["project"], pm["phase"], allow_drop_phase=False),
                     "builder": mess.company(pm["builder"]) if c["give_builder"] else "",
                     "record_date": _xl_date(mess, c["date"], fmt)})
    _write(out, "completions", "completions", _headers("completions", mess), rows, mess, fmt, title("竣工验收备案"))
    counts["completions"] = len(rows)

    fmt = fmt_of("approvals")
    wan_fee = mess.messy and rng.random() < 0.5
    rows = []
    for a in t["approvals"]:
        b = a["builder"]
        who("approvals", a["key"], f"C{b.cid}", f"P{a['project'].pid}-{a['phase']}")
        rows.append({"approval_no": a["key"], "project": mess.project(a["project"], a["phase"]),
                     "builder": mess.company(b), "uscc": mess.code(b, 0.6),
                     "permit_no": a["permit"]["key"] if rng.random() < 0.4 else "", "use": a["use"],
                     "approval_type": a["kind"], "ground_area": mess.area(a["ground"]),
                     "required_area": mess.area(a["required"]),
                     "approved_area": mess.area(a["approved"]) if a["give_approved"] else "",
                     "offsite_area": mess.area(a["offsite"]) if a["give_offsite"] else "",
                     "fee_due": mess.money(a["fee"], wan_fee) if a["give_fee"] else "",
                     "waiver": mess.money(a["waiver"]) if a["waiver"] else "",
                     "waiver_basis": a["basis"], "deferral": mess.money(a["deferral"]) if a["deferral"] else "",
                     "deferral_due": _xl_date(mess, a["deferral_due"], fmt),
                     "approval_date": _xl_date(mess, a["date"], fmt),
                     "handler": rng.choice(["李明", "赵强", "孙丽"]), "approver": rng.choice(["周建国", "吴伟"])})
    choices = {"fee_due": "应缴易地建设费（万元）"} if wan_fee else None
    _write(out, "人防审批", "approvals", _headers("approvals", mess, choices), rows, mess, fmt, title("人防审批台账"))
    counts["approvals"] = len(rows)

    fmt = fmt_of("acceptances")
    rows = []
    for x in t["acceptances"]:
        rows.append({"acceptance_no": x["key"], "approval_no": x["approval"]["key"],
                     "project": mess.project(x["approval"]["project"], x["approval"]["phase"]),
                     "built_area": mess.area(x["built"]), "acceptance_date": _xl_date(mess, x["date"], fmt),
                     "conclusion": "合格"})
    _write(out, "acceptances", "acceptances", _headers("acceptances", mess), rows, mess, fmt, title("人防竣工验收"))
    counts["acceptances"] = len(rows)

    rows = []
    for r in t["fee_receipts"]:
        a = r["approval"]
        proj = ""
        who("fee_receipts", r["key"], f"C{r['payer'].cid}",
            f"P{a['project'].pid}-{a['phase']}" if a is not None else
            f"S:{r['project_name'][1]}" if r["project_name"] else None)
        if a is not None:
            single = world.by_builder_approvals[a["builder"].cid] == 1
            proj = "" if (single and mess.chance(0.3)) else mess.project(a["project"], a["phase"], allow_drop_phase=False)
        elif r["project_name"]:
            single = world.by_tenant[r["payer"].cid] == 1
            proj = "" if (single and mess.chance(0.3)) else r["project_name"][1]
        rows.append({"receipt_no": r["key"], "payer": mess.company(r["payer"]), "uscc": mess.code(r["payer"], 0.5),
                     "project": proj, "income_item": r["item"], "amount": mess.money(r["amount"]),
                     "pay_date": mess.date(r["date"]), "treasury_date": mess.date(r["treasury"]),
                     "collector": "市人民防空办公室"})
    _write(out, "fee_receipts", "fee_receipts", _headers("fee_receipts", mess), rows, mess, fmt_of("fee_receipts"),
           title("非税收入缴款明细"))
    counts["fee_receipts"] = len(rows)

    fmt = fmt_of("fee_ledger")
    rows = []
    for led in t["fee_ledger"]:
        who("fee_ledger", led["key"], f"C{led['payer'].cid}")
        rows.append({"ledger_no": led["key"], "payer": mess.company(led["payer"]),
                     "approval_no": led["approval"]["key"] if led["approval"] else "",
                     "amount": mess.money(led["amount"]), "receive_date": _xl_date(mess, led["date"], fmt),
                     "method": led["method"]})
    _write(out, "人防办收费台账", "fee_ledger", _headers("fee_ledger", mess), rows, mess, fmt, title("收费台账"))
    counts["fee_ledger"] = len(rows)

    fmt = fmt_of("rentals")
    rows = []
    for rt in t["rentals"]:
        who("rentals", rt["key"], f"C{rt['tenant'].cid}", f"S:{rt['shelter']}")
        rows.append({"contract_no": rt["key"], "shelter": rt["shelter"], "tenant": mess.company(rt["tenant"]),
                     "uscc": mess.code(rt["tenant"], 0.6), "area": mess.area(rt["area"]),
                     "start_date": _xl_date(mess, rt["start"], fmt), "end_date": _xl_date(mess, rt["end"], fmt),
                     "yearly_rent": mess.money(rt["rent"]),
                     "guide_rent": mess.money(rt["guide"]) if rt["give_guide"] else "",
                     "waiver": mess.money(rt["waiver"]) if rt["waiver"] else "", "waiver_basis": rt["basis"]})
    _write(out, "rentals", "rentals", _headers("rentals", mess), rows, mess, fmt, title("人防工程使用台账"))
    counts["rentals"] = len(rows)

    fmt = fmt_of("contracts")
    rows = []
    for c in t["contracts"]:
        who("contracts", c["key"], f"C{c['supplier'].cid}")
        rows.append({"contract_no": c["key"], "project": c["project"], "supplier": mess.company(c["supplier"]),
                     "uscc": mess.code(c["supplier"], 0.5), "category": c["cat"], "method": c["method"],
                     "amount": mess.money(c["amount"]), "sign_date": _xl_date(mess, c["date"], fmt)})
    _write(out, "采购合同", "contracts", _headers("contracts", mess), rows, mess, fmt, title("采购合同台账"))
    counts["contracts"] = len(rows)

    rows = []
    for p in t["payments"]:
        kind, payee = p["payee"]
        who("payments", p["key"], f"C{payee.cid}" if kind == "c" else f"p:{payee}")
        rows.append({"voucher_no": p["key"], "pay_date": mess.date(p["date"]), "summary": p["summary"],
                     "amount": mess.money(p["amount"]),
                     "payee": mess.company(payee, typo_ok=False) if kind == "c" else payee, "account": p["account"]})
    _write(out, "payments", "payments", _headers("payments", mess), rows, mess, fmt_of("payments"), None)
    counts["payments"] = len(rows)
    return counts


