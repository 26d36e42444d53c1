"""The simulated county's records with their true identities (模拟数据：业务叙事)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from ..names import company_name, project_name
from ..policy import Policy
from .mess import Mess
from .model import (
    _BRAND,
    _GIVEN,
    _INDUSTRY,
    _PLACE,
    _SURNAMES,
    _TYPES,
    NON_TENDER,
    TENDER,
    Company,
    Project,
    _Names,
    _uscc_for,
)

# ---------------------------------------------------------------- world

class World:
    def __init__(self, rng: random.Random, n_permits: int, policy: Policy, as_of: dt.date,
                 counties: list[tuple[str, str]]):
        self.rng = rng
        self.counties = counties
        self.scope = frozenset(c[:4] for c, _n in counties)
        self.cores: set[str] = set()
        self.n = n_permits
        self.policy = policy
        self.as_of = as_of
        self.names = _Names()
        self.companies: list[Company] = []
        self.persons: list[str] = []
        self.person_set: set[str] = set()
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.truth_rows: dict[str, list[dict]] = defaultdict(list)  # clean rows with true ids
        self.seq = defaultdict(int)

    def next_no(self, kind: str) -> int:
        self.seq[kind] += 1
        return self.seq[kind]

    def new_company(self, local: float = 0.6, core: str | None = None, county=None, namesake=False) -> Company:
        rng = self.rng
        while core is None:
            brand = "".join(rng.sample(_BRAND, rng.choice([3, 4, 4])))
            cand = brand + rng.choice(_INDUSTRY)
            cn = company_name(cand + "有限公司", self.scope)
            if cn.core == cand and not cn.div and self.names.take(cand):
                core = cand
        self.cores.add(core)
        if county is None and rng.random() < local:
            county = rng.choice(self.counties)
        code_county = county[0] if county else rng.choice(self.counties)[0]
        legal = "股份有限公司" if rng.random() < 0.1 else "有限公司"
        c = Company(len(self.companies) + 1, core, county, legal, _uscc_for(rng, code_county), namesake)
        self.companies.append(c)
        return c

    def lookalike(self, c: Company) -> Company | None:
        """Another company whose name differs from ``c``'s by one character of the 字号 (龙绣 / 泰绣)."""
        for _ in range(20):
            i = self.rng.randrange(0, 2)
            cand = c.core[:i] + self.rng.choice(_BRAND) + c.core[i + 1:]
            cn = company_name(cand + "有限公司", self.scope)
            if cand != c.core and cand not in self.cores and cn.core == cand and not cn.div:
                self.names.keys |= {cand}
                county = c.county if self.rng.random() < 0.5 else self.rng.choice(self.counties)
                return self.new_company(core=cand, county=county)
        return None

    def twin(self, c: Company) -> Company | None:
        """The same name registered in another county (礼县龙绣实业 / 西和县龙绣实业)."""
        others = [x for x in self.counties if c.county and x[0] != c.county[0]]
        if not others:
            return None
        c.namesake = True
        t = self.new_company(core=c.core, county=self.rng.choice(others), namesake=True)
        t.legal = c.legal
        return t

    def new_person(self) -> str:
        while True:
            name = self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, self.rng.choice([1, 2, 2, 2])))
            if name not in self.person_set:  # people's names are compared exactly, never fuzzily
                self.person_set.add(name)
                self.persons.append(name)
                return name

    def new_project_core(self, suffix: str) -> str:
        while True:
            cand = "".join(self.rng.sample(_PLACE, 4)) + suffix
            pn = project_name(cand)
            if not pn.div and not pn.phase and pn.core.startswith(cand[:2]) and self.names.take("项" + pn.core):
                return cand


def _rate(policy: Policy, d: dt.date) -> float:
    return policy.rate_on(d)


def _r2(x: float) -> float:
    return round(x + 1e-9, 2)


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


# ---------------------------------------------------------------- tables

def _build(world: World, mess: Mess) -> None:  # noqa: C901 - one narrative of a county's data
    rng, pol, as_of = world.rng, world.policy, world.as_of
    n = world.n
    n_builders = max(4, n // 3)
    builders = [world.new_company() for _ in range(n_builders)]
    # namesakes: 城市建设投资 companies of several counties (礼县城投 vs 西和县城投)
    for core in ("城市建设投资", "城乡建设发展", "交通建设投资"):
        for county in rng.sample(world.counties, min(3, len(world.counties))):
            builders.append(world.new_company(core=core, county=county, namesake=True))
        world.names.take(core)
    if mess.messy:  # look-alikes: twins of two counties, names one character of the 字号 apart
        for b in list(builders[:n_builders]):
            r = rng.random()
            if r < 0.04 and b.county:
                extra = world.twin(b)
            elif r < 0.08:
                extra = world.lookalike(b)
            else:
                continue
            if extra is not None:
                builders.append(extra)
    # a mistyped credit code one character away from a real company's: same check body, other company
    projects: list[Project] = []
    permits = world.truth_rows["permits"]
    pid = 0
    while len(permits) < n:
        b = rng.choice(builders)
        suffix, use = rng.choice(_TYPES)
        phases = 1 if rng.random() < 0.75 else rng.choice([2, 2, 3])
        pid += 1
        p = Project(pid, world.new_project_core(suffix), b.county or rng.choice(world.counties), use, b, phases)
        projects.append(p)
        for ph in range(1, phases + 1) if phases > 1 else [0]:
            issue = dt.date(2019, 1, 1) + _days(rng, 0, (as_of - dt.date(2019, 1, 1)).days - 30)
            ground = float(rng.randint(1500, 60000))
            under = float(rng.randint(0, 8000))
            no = f"{p.county[0]}{issue.year}{world.next_no('permit'):07d}"
            permits.append({"key": no, "project": p, "phase": ph, "builder": b, "use": use, "ground": ground,
                            "under": under, "issue": issue})

    approvals = world.truth_rows["approvals"]
    by_builder_approvals: dict[int, int] = defaultdict(int)
    for pm in permits:
        p: Project = pm["project"]
        exempt = pm["use"] in pol.exempt_uses
        r = rng.random()
        if exempt:
            if r < 0.8:
                continue  # near miss: exempt use without approval (must not hit R01)
        elif r < 0.05:
            continue  # R01: permit without approval
        if pm["phase"] == 2 and rng.random() < 0.3:
            continue  # R01: phase 2 beside an approved phase 1
        adate = pm["issue"] - _days(rng, 5, 120)
        kind = "结建" if rng.random() < 0.65 else "易地建设"
        should = pm["ground"] * pol.shelter_ratio
        r = rng.random()
        required = _r2(should)
        if r < 0.04:
            required = _r2(should * rng.uniform(0.5, 0.9))  # R02: 应建面积核减
        elif r < 0.08:
            required = _r2(should * 0.995)  # near miss: inside the tolerance
        if exempt:
            required = 0.0
        if kind == "结建":
            approved, offsite = required, 0.0
            if rng.random() < 0.1 and required > 10:
                approved = _r2(required * 0.8)  # partly built, partly paid
                offsite = _r2(required - approved)
        else:
            approved, offsite = 0.0, required
        fee = _r2(offsite * _rate(pol, adate))
        waiver = deferral = 0.0
        basis = ""
        deferral_due = None
        share = pol.waiver_eligible.get(pm["use"])
        r = rng.random()
        if fee > 0 and share is not None and r < 0.6:
            waiver = _r2(fee * share * rng.choice([1.0, 0.5]))  # lawful waiver with its basis
            basis = rng.choice(["人防办〔2023〕15号减免批复", "市政府专题会议纪要〔2022〕8号"])
            if rng.random() < 0.15:
                basis = ""  # R04: no basis
            elif rng.random() < 0.1:
                waiver = _r2(fee * min(1.0, share + 0.3))  # R04: above the share (when share < 1)
        elif fee > 0 and r < 0.05:
            waiver = _r2(fee * rng.uniform(0.2, 0.6))  # R04: use not eligible
            basis = "领导批示"
        rest = fee - waiver
        if rest > 0 and rng.random() < 0.12:
            deferral = _r2(rest * rng.uniform(0.3, 1.0))
            deferral_due = adate + _days(rng, 90, 720)
        key = f"人防审〔{adate.year}〕{world.next_no('approval')}号"
        a = {"key": key, "permit": pm, "project": p, "phase": pm["phase"], "builder": p.builder,
             "kind": kind, "ground": pm["ground"], "required": required, "approved": approved,
             "offsite": offsite, "fee": fee, "waiver": waiver, "basis": basis, "deferral": deferral,
             "deferral_due": deferral_due, "date": adate, "use": pm["use"],
             "give_fee": rng.random() < 0.7, "give_offsite": rng.random() < 0.7,
             "give_approved": kind == "易地建设" or approved != required or rng.random() < 0.8}
        if not a["give_approved"] and a["give_offsite"] is False and kind == "结建" and offsite:
            a["give_offsite"] = True
        approvals.append(a)
        by_builder_approvals[p.builder.cid] += 1

    # receipts (非税收入) of 易地建设费, and the 人防办 ledger
    receipts = world.truth_rows["fee_receipts"]
    ledger = world.truth_rows["fee_ledger"]

    def receipt(payer: Company, amount: float, day: dt.date, item: str, approval=None, project_name=None,
                treasury: dt.date | None = None):
        key = f"FS{day.year}{world.next_no('receipt'):08d}"
        rec = {"key": key, "payer": payer, "amount": _r2(amount), "date": day, "item": item,
               "approval": approval, "project_name": project_name,
               "treasury": treasury or (day + _days(rng, 0, 3))}
        receipts.append(rec)
        return rec

    for a in approvals:
        due_now = a["fee"] - a["waiver"] - a["deferral"]
        r = rng.random()
        pay_now = due_now
        if due_now > 0 and r < 0.06:
            pay_now = _r2(due_now * rng.uniform(0, 0.7))  # R03: 少收
        if pay_now > 0:
            parts = [pay_now] if rng.random() < 0.7 else [_r2(pay_now * 0.4), _r2(pay_now - _r2(pay_now * 0.4))]
            day = a["date"] + _days(rng, 1, 60)
            for part in parts:
                day = day + _days(rng, 0, 30)
                if day > as_of:
                    day = as_of - _days(rng, 0, 5)
                rec = receipt(a["builder"], part, day, rng.choice(["防空地下室易地建设费", "人防易地建设费"]), a)
                r2 = rng.random()
                if r2 < 0.25:  # received first by the 人防办, then paid into the treasury
                    late = rng.random() < 0.08  # R06: paid in late (坐收坐支)
                    lag = rng.randint(pol.treasury_max_days + 3, 40) if late else rng.randint(0, pol.treasury_max_days)
                    got = rec["treasury"] - dt.timedelta(days=lag)
                    ledger.append({"key": f"RF{got.year}{world.next_no('ledger'):07d}", "payer": a["builder"],
                                   "approval": a, "amount": rec["amount"], "date": got,
                                   "method": rng.choice(["转账", "现金", "POS"])})
        if a["deferral"] > 0:
            paid_late = a["deferral_due"] < as_of and rng.random() < 0.5
            if a["deferral_due"] >= as_of or paid_late:
                day = min(a["deferral_due"] - _days(rng, 0, 20), as_of)
                if a["deferral_due"] < as_of or rng.random() < 0.5:
                    receipt(a["builder"], a["deferral"], max(day, a["date"]), "防空地下室易地建设费", a)
            # else R05: deferral overdue and unpaid

    # R06: ledger entries never paid into the treasury (截留)
    for _ in range(max(2, n // 100)):
        payer = rng.choice(builders)
        got = as_of - _days(rng, 20, 600)
        ledger.append({"key": f"RF{got.year}{world.next_no('ledger'):07d}", "payer": payer, "approval": None,
                       "amount": float(rng.randint(5, 300) * 100), "date": got, "method": "现金"})
    # near miss: a ledger entry still inside max_days at as-of
    got = as_of - dt.timedelta(days=2)
    ledger.append({"key": f"RF{got.year}{world.next_no('ledger'):07d}", "payer": builders[0], "approval": None,
                   "amount": 8800.0, "date": got, "method": "转账"})

    # completions (竣工验收备案) and acceptances (人防竣工验收)
    completions = world.truth_rows["completions"]
    acceptances = world.truth_rows["acceptances"]
    approval_of_permit = {id(a["permit"]): a for a in approvals}
    for pm in permits:
        if rng.random() < 0.4:
            continue
        done = pm["issue"] + _days(rng, 300, 1200)
        if done > as_of:
            continue
        completions.append({"key": f"BA{done.year}{world.next_no('completion'):07d}", "permit": pm,
                            "date": done, "give_permit": rng.random() < 0.6, "give_builder": rng.random() < 0.7})
        a = approval_of_permit.get(id(pm))
        if a is None or a["kind"] != "结建":
            continue
        r = rng.random()
        if r < 0.08:
            continue  # R08 when completion is older than grace_days
        built = a["approved"]
        r = rng.random()
        if r < 0.05:
            built = _r2(a["approved"] * rng.uniform(0.3, 0.9))  # R07: 少建
        elif r < 0.1:
            built = _r2(a["approved"] * 0.995)  # near miss: inside tolerance
        accepted = done + _days(rng, 10, 150)
        if accepted > as_of:
            continue
        acceptances.append({"key": f"YS{accepted.year}{world.next_no('acceptance'):06d}", "approval": a,
                            "built": built, "date": accepted})

    # rentals (人防工程使用台账) and rent receipts
    rentals = world.truth_rows["rentals"]
    tenants = [world.new_company(local=0.8) for _ in range(max(3, n // 15))]
    shelters = [world.new_project_core(rng.choice(["地下车库", "人防工程", "地下商场"])) for _ in range(max(3, n // 10))]
    by_tenant: dict[int, int] = defaultdict(int)
    for shelter in shelters:
        t = rng.choice(tenants)
        start = dt.date(2020, 1, 1) + _days(rng, 0, 1800)
        years = rng.choice([1, 2, 3, 5])
        end = dt.date(start.year + years, start.month, min(start.day, 28)) - dt.timedelta(days=1)
        area = float(rng.randint(300, 6000))
        guide = float(rng.choice([60, 80, 100, 120]))
        r = rng.random()
        unit = guide * rng.uniform(0.85, 1.2)
        if r < 0.06:
            unit = guide * rng.uniform(0.3, 0.7)  # R09: rent far below guidance
        elif r < 0.1:
            unit = guide * pol.rent_min_ratio * 1.001  # near miss: just at the floor
        rent = _r2(area * unit)
        waiver, basis = 0.0, ""
        r = rng.random()
        if r < 0.05:
            waiver = _r2(rent * 0.2)  # R09: waiver without basis
        elif r < 0.12:
            waiver, basis = _r2(rent * 0.2), "疫情期间减免租金通知〔2022〕3号"
        rentals.append({"key": f"ZL{start.year}{world.next_no('rental'):05d}", "shelter": shelter, "tenant": t,
                        "area": area, "start": start, "end": end, "rent": rent, "guide": guide,
                        "give_guide": rng.random() < 0.9, "waiver": waiver, "basis": basis})
        by_tenant[t.cid] += 1
    for rt in rentals:
        t = rt["tenant"]
        years_begun = _years_begun(rt["start"], rt["end"], as_of)
        due = rt["rent"] * years_begun - rt["waiver"]
        skip_one = rng.random() < 0.08  # R10: a year's rent not received
        paid = 0.0
        for y in range(years_begun):
            day = _add_years(rt["start"], y) + _days(rng, 0, 20)
            if day > as_of:
                day = as_of
            amount = rt["rent"] - (rt["waiver"] if y == 0 else 0)
            if (skip_one and y == years_begun - 1) or amount <= 0:
                continue
            paid += amount
            receipt(t, amount, day, rng.choice(["人防工程使用费", "人防工程租金"]), None,
                    ("shelter", rt["shelter"]))
        rt["paid"] = paid
        rt["due"] = due

    # procurement contracts
    contracts = world.truth_rows["contracts"]
    suppliers = [world.new_company(local=0.5) for _ in range(max(4, n // 20))]
    if mess.messy:  # payee lists: twins and names one character apart
        for s in list(suppliers):
            r = rng.random()
            extra = world.twin(s) if r < 0.08 and s.county else world.lookalike(s) if r < 0.16 else None
            if extra is not None:
                suppliers.append(extra)
    cats = list(pol.thresholds)
    for _ in range(max(10, n // 2)):
        s = rng.choice(suppliers)
        cat = rng.choice(cats)
        thr = pol.thresholds[cat]
        day = dt.date(2021, 1, 1) + _days(rng, 0, (as_of - dt.date(2021, 1, 1)).days)
        r = rng.random()
        if r < 0.03:
            amount, method = _r2(thr * rng.uniform(1.0, 2.0)), rng.choice(NON_TENDER)  # R12
        elif r < 0.06:
            amount, method = _r2(thr * rng.uniform(1.0, 2.0)), rng.choice(TENDER)  # near miss: tendered
        elif r < 0.5:
            amount, method = _r2(thr * rng.uniform(0.01, 0.08)), rng.choice(NON_TENDER)  # small purchases
        else:
            amount, method = _r2(thr * rng.uniform(0.05, 0.9)), rng.choice(TENDER)
        contracts.append({"key": f"HT{day.year}{world.next_no('contract'):06d}", "supplier": s, "cat": cat,
                          "amount": amount, "method": method, "date": day,
                          "project": rng.choice(["人防指挥所", "警报器", "人防宣传", "办公设备", "人防工程维护",
                                                 "物业服务", "信息化建设", "防护设备"]) + rng.choice(["采购", "项目", "维修"])})
    for _ in range(max(2, n // 200)):  # R11: a split purchase, and a near miss 200 days apart
        s = world.new_company(local=0.5)
        cat = rng.choice(cats)
        thr = pol.thresholds[cat]
        day = dt.date(2022, 1, 1) + _days(rng, 0, 900)
        k = rng.choice([2, 3])
        for j in range(k):
            contracts.append({"key": f"HT{day.year}{world.next_no('contract'):06d}", "supplier": s, "cat": cat,
                              "amount": _r2(thr / k * rng.uniform(1.0, 1.3)) if j else _r2(thr / k * 1.05),
                              "method": rng.choice(NON_TENDER), "date": day + dt.timedelta(days=j * rng.randint(5, 40)),
                              "project": "人防工程维护维修"})
        s2 = world.new_company(local=0.5)
        for j in range(2):
            d2 = day + dt.timedelta(days=200 * j)
            contracts.append({"key": f"HT{d2.year}{world.next_no('contract'):06d}", "supplier": s2, "cat": cat,
                              "amount": _r2(thr * 0.6), "method": rng.choice(NON_TENDER), "date": d2,
                              "project": "人防宣传品采购"})

    # payments (财务支出凭证)
    payments = world.truth_rows["payments"]
    staff = [world.new_person() for _ in range(max(5, n // 50))]
    vendors = suppliers + tenants[:5]
    ordinary = ["支付办公用品费", "支付差旅费", "支付水电费", "支付印刷费", "支付维修费", "支付会议费",
                "支付物业费", "支付车辆运行费", "支付培训费", "支付咨询服务费"]
    start = dt.date(2021, 1, 1)
    span = (as_of - start).days
    # monthly salaries and rent: equal amounts every month (near miss for R13)
    for person in staff[: max(3, len(staff) // 3)]:
        pay = float(rng.randint(40, 90) * 100)
        d = start
        while d <= as_of and len(payments) < n * 6:
            payments.append({"key": None, "payee": ("p", person), "amount": pay, "date": d + dt.timedelta(days=14),
                             "summary": f"发放{d.month}月工资", "account": "工资福利支出"})
            d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    while len(payments) < n * 6:
        r = rng.random()
        d = start + _days(rng, 0, span)
        if r < 0.6:
            v = rng.choice(vendors)
            payments.append({"key": None, "payee": ("c", v), "amount": _r2(rng.uniform(200, 90000)), "date": d,
                             "summary": rng.choice(ordinary), "account": "商品和服务支出"})
        elif r < 0.9:
            person = rng.choice(staff)
            payments.append({"key": None, "payee": ("p", person), "amount": _r2(rng.uniform(50, 5000)), "date": d,
                             "summary": rng.choice(["报销差旅费", "报销市内交通费", "报销培训费", "借支差旅费"]),
                             "account": "商品和服务支出"})
        elif r < 0.93:  # R14
            person = rng.choice(staff)
            payments.append({"key": None, "payee": ("p", person), "amount": float(rng.randint(5, 50) * 100),
                             "date": d, "summary": rng.choice(pol.subsidy_keywords) + rng.choice(["发放", "（春节）", ""]),
                             "account": "对个人和家庭的补助"})
        elif r < 0.95:  # R13: the same invoice paid twice within the window
            v = rng.choice(vendors)
            amount = _r2(rng.uniform(1000, 80000))
            summary = rng.choice(ordinary)
            payments.append({"key": None, "payee": ("c", v), "amount": amount, "date": d, "summary": summary,
                             "account": "商品和服务支出"})
            payments.append({"key": None, "payee": ("c", v), "amount": amount,
                             "date": d + _days(rng, 0, world.policy.duplicate_window_days), "summary": summary,
                             "account": "商品和服务支出"})
        else:
            v = rng.choice(vendors)
            payments.append({"key": None, "payee": ("c", v), "amount": _r2(rng.uniform(200, 90000)), "date": d,
                             "summary": rng.choice(ordinary), "account": "商品和服务支出"})
    payments.sort(key=lambda x: x["date"])
    for i, pay in enumerate(payments, 1):
        pay["key"] = f"记-{pay['date'].year}-{i:07d}"
    world.by_builder_approvals = by_builder_approvals
    world.by_tenant = by_tenant


def _add_years(d: dt.date, y: int) -> dt.date:
    try:
        return d.replace(year=d.year + y)
    except ValueError:  # 29 February
        return d.replace(year=d.year + y, day=28)


def _yuan(x: float) -> int:
    """Money compared to the yuan, as the engine does: cents first, then half up."""
    return math.floor(round(x, 2) + 0.5)


def _years_begun(start: dt.date, end: dt.date, as_of: dt.date) -> int:
    if as_of < start:
        return 0
    add_years = _add_years

    full = 0
    while add_years(start, full + 1) <= as_of:
        full += 1
    stop = end + dt.timedelta(days=1)
    term = 0
    while add_years(start, term + 1) <= stop:
        term += 1
    if add_years(start, term) < stop:
        term += 1
    return min(full + 1, term)


