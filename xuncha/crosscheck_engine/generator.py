"""Generator of messy, realistic test data with known answers (模拟数据生成).

``generate(out_dir, permits=1000, seed=1, messy=True)`` writes one file per table into ``out_dir`` and
returns the :class:`Truth`: for every rule the set of primary record keys that must hit, computed by a
plain Python reference of the rules over the *clean* records (true company and project identities),
independently of the engine's SQL and entity resolution. ``truth.json`` holds the same.

The data plants positives for every rule and the near misses that must not hit: phase 2 beside an
approved phase 1, a lawful waiver with its basis, cheap contracts 200 days apart, equal monthly
payments, namesake companies of two counties, mistyped credit codes. Messiness (``messy=True``): title
rows and merged title cells, GBK CSV, UTF-8 with BOM, 万元 columns and cells, mixed date formats,
full-width brackets, county prefixes added or dropped, 有限责任公司/有限公司, stray spaces, missing and
mistyped credit codes, typos in names. Deterministic by seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.cn import uscc as _uscc

from .entities import company_name, project_name
from .policy import Policy, load_policy
from .tables import TABLES

AS_OF = dt.date(2025, 6, 30)

COUNTIES = [("621226", "礼县"), ("621225", "西和县"), ("621202", "武都区"), ("621221", "成县"),
            ("621222", "文县"), ("621223", "宕昌县"), ("621224", "康县"), ("621227", "徽县"),
            ("621228", "两当县"), ("511702", "通川区"), ("511703", "达川区"), ("511722", "宣汉县"),
            ("511723", "开江县"), ("511724", "大竹县"), ("511725", "渠县"), ("511781", "万源市")]
CITY_OF = {"6212": "陇南市", "5117": "达州市"}
_BRAND = ("兴盛华泰宏达鑫源恒通联发祥瑞安丰盈锦绣嘉禾金银河中天正大博远卓越信诚德润汇邦宇航腾飞世纪龙凤鹏程"
          "明辉光耀昌隆富贵盛世荣欣聚鼎佳和美新宝利晟弘毅鸿运浩然晨曦东方红旭日蓝海碧水青松翠柏紫云彩虹"
          "星月峰岭川谷泽林森磊鑫淼焱垚")
_INDUSTRY = ["建筑工程", "建设", "房地产开发", "置业", "建工", "市政工程", "路桥", "商贸", "物业管理", "实业",
             "投资", "科技", "劳务", "装饰工程", "园林绿化", "水电安装", "钢结构", "混凝土", "机械租赁", "咨询"]
_PLACE = ("锦绣翠苑金域华府御景龙湾阳光水岸滨江春城碧桂书香名门盛世天城学府状元东湖西山南山北城新城"
          "未来幸福和谐康乐富民安居乐业丰泽润园紫金银杏梧桐桃李杏林桂花兰亭竹溪梅岭枫丹")
_TYPES = [("花园", "住宅"), ("小区", "住宅"), ("家园", "住宅"), ("府邸", "住宅"), ("广场", "商业"),
          ("商业综合体", "商业"), ("大厦", "办公"), ("综合楼", "办公"), ("安置房", "住宅"),
          ("廉租房", "廉租住房"), ("经济适用房", "经济适用住房"), ("中学教学楼", "中小学校舍安全工程"),
          ("小学校舍", "中小学校舍安全工程"), ("厂房", "工业厂房"), ("物流园", "仓储"), ("医院门诊楼", "医疗")]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国志文斌海燕鹏辉亮飞雪琴云峰婷"
_CN = "零一二三四五六七八九十"

TENDER = ["公开招标", "邀请招标"]
NON_TENDER = ["竞争性谈判", "询价", "单一来源", "竞争性磋商", "直接采购"]


@dataclass
class Truth:
    as_of: dt.date
    hits: dict[str, set[str]]  # rule → primary record keys
    counts: dict[str, int] = field(default_factory=dict)  # table → rows written

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "counts": self.counts,
                "hits": {r: sorted(k) for r, k in sorted(self.hits.items())}}

    @classmethod
    def load(cls, path: str | Path) -> Truth:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(dt.date.fromisoformat(data["as_of"]), {r: set(k) for r, k in data["hits"].items()},
                   data.get("counts", {}))


# ---------------------------------------------------------------- identities

def _uscc_for(rng: random.Random, county_code: str, kind: str = "91") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = kind + county_code + "".join(rng.choice(alphabet) for _ in range(9))
    return body + _uscc.calc_check_digit(body)


def _mistype(rng: random.Random, code: str) -> str:
    """Same code with a wrong check character (fails GB 32100-2015)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:-1] + rng.choice([c for c in alphabet if c != code[-1]])


def _deletion_keys(s: str) -> set[str]:
    return {s, *(s[:i] + s[i + 1:] for i in range(len(s)))}


class _Names:
    """Unique cores: no two share a deletion key (so none is one edit from another)."""

    def __init__(self):
        self.keys: set[str] = set()

    def take(self, core: str) -> bool:
        keys = _deletion_keys(core)
        if keys & self.keys:
            return False
        self.keys |= keys
        return True


@dataclass
class Company:
    cid: int
    core: str
    county: tuple[str, str] | None  # (code, name) in the official name
    legal: str
    code: str
    namesake: bool = False  # another county has the same core: never drop the prefix

    @property
    def official(self) -> str:
        return f"{self.county[1] if self.county else ''}{self.core}{self.legal}"


@dataclass
class Project:
    pid: int
    core: str
    county: tuple[str, str]
    use: str
    builder: Company
    phases: int


# ---------------------------------------------------------------- messy spelling

class Mess:
    def __init__(self, rng: random.Random, messy: bool):
        self.rng = rng
        self.messy = messy

    def chance(self, p: float) -> bool:
        return self.messy and self.rng.random() < p

    def typo(self, core: str) -> str:
        """One character replaced (never the first two, which carry the brand)."""
        if len(core) < 4:
            return core
        i = self.rng.randrange(2, len(core))
        pool = "建筑设置业工程商贸实投资科技园林"
        ch = self.rng.choice([c for c in pool if c != core[i]])
        return core[:i] + ch + core[i + 1:]

    def company(self, c: Company, typo_ok: bool = True) -> str:
        county = c.county[1] if c.county else ""
        if county and not c.namesake and self.chance(0.25):
            county = ""  # county prefix dropped
        elif county and self.chance(0.1):
            county = CITY_OF.get(c.county[0][:4], "") + county
        core = c.core
        if typo_ok and self.chance(0.03):
            core = self.typo(core)
        legal = c.legal
        if legal == "有限公司" and self.chance(0.3):
            legal = "有限责任公司"
        name = f"{county}{core}{legal}"
        if county and self.chance(0.1):
            name = f"（{county}）{core}{legal}" if self.chance(0.5) else f"({county}){core}{legal}"
        if self.chance(0.05):
            i = self.rng.randrange(1, len(name))
            name = name[:i] + " " + name[i:]
        return name

    def code(self, c: Company, p_present: float) -> str:
        if not self.messy:
            return c.code
        r = self.rng.random()
        if r < p_present:
            if self.rng.random() < 0.05:
                return _mistype(self.rng, c.code)
            return c.code if self.rng.random() > 0.1 else " ".join([c.code[:8], c.code[8:]])
        return ""

    def phase_text(self, phase: int) -> str:
        if not self.messy:
            return f"{_CN[phase]}期"
        return self.rng.choice([f"{_CN[phase]}期", f"{phase}期", f"（{_CN[phase]}期）", f"({_CN[phase]}期)",
                                f"第{_CN[phase]}期"])

    def project(self, p: Project, phase: int, allow_drop_phase: bool = True, typo_ok: bool = True) -> str:
        county = p.county[1]
        if self.chance(0.3):
            county = ""
        core = p.core
        if typo_ok and self.chance(0.03):
            core = self.typo(core)
        name = county + core
        if phase and not (allow_drop_phase and p.phases == 1 and self.chance(0.3)):
            name += self.phase_text(phase)
        if self.chance(0.3):
            name += self.rng.choice(["项目", "建设项目", "工程"])
        return name

    def date(self, d: dt.date | None) -> str:
        if d is None:
            return ""
        if not self.messy:
            return d.isoformat()
        return self.rng.choice([
            d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
            f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y%m%d"), d.isoformat()])

    def money(self, v: float | None, wan_column: bool = False) -> str:
        if v is None:
            return ""
        if wan_column:
            return f"{v / 10000:.6f}".rstrip("0").rstrip(".")
        if self.chance(0.05) and v >= 10000:
            return f"{v / 10000:.6f}".rstrip("0").rstrip(".") + "万"
        if self.chance(0.3):
            return f"{v:,.2f}"
        return f"{v:.2f}".rstrip("0").rstrip(".")

    def area(self, v: float | None) -> str:
        if v is None:
            return ""
        if self.chance(0.2):
            return f"{v:,.2f}"
        return f"{v:.2f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- world

class World:
    def __init__(self, rng: random.Random, n_permits: int, policy: Policy, as_of: dt.date):
        self.rng = rng
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
            cn = company_name(cand + "有限公司")
            if cn.core == cand and not cn.div and self.names.take(cand):
                core = cand
        if county is None and rng.random() < local:
            county = rng.choice(COUNTIES)
        code_county = county[0] if county else rng.choice(COUNTIES)[0]
        legal = "股份有限公司" if rng.random() < 0.1 else "有限公司"
        c = Company(len(self.companies) + 1, core, county, legal, _uscc_for(rng, code_county), namesake)
        self.companies.append(c)
        return c

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
        for county in rng.sample(COUNTIES, 3):
            builders.append(world.new_company(core=core, county=county, namesake=True))
        world.names.take(core)
    # a mistyped credit code one character away from a real company's: same check body, other company
    projects: list[Project] = []
    permits = world.truth_rows["permits"]
    pid = 0
    while len(permits) < n:
        b = rng.choice(builders)
        suffix, use = rng.choice(_TYPES)
        phases = 1 if rng.random() < 0.75 else rng.choice([2, 2, 3])
        pid += 1
        p = Project(pid, world.new_project_core(suffix), b.county or rng.choice(COUNTIES), use, b, phases)
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


# ---------------------------------------------------------------- truth (reference of R01–R14)

def _truth(world: World) -> dict[str, set[str]]:  # noqa: C901 - the rules, one after another
    pol, as_of = world.policy, world.as_of
    t = world.truth_rows
    hits: dict[str, set[str]] = {f"R{i:02d}": set() for i in range(1, 15)}
    tol = pol.area_tolerance
    approved_permits = {id(a["permit"]) for a in t["approvals"]}
    for pm in t["permits"]:
        need = pm["use"] not in pol.exempt_uses and pm["ground"] >= pol.min_ground_area
        if need and pm["ground"] * pol.shelter_ratio > 0 and id(pm) not in approved_permits and pm["issue"] <= as_of:
            hits["R01"].add(pm["key"])
    paid: dict[str, float] = defaultdict(float)
    for r in t["fee_receipts"]:
        if r["approval"] is not None and r["date"] <= as_of:
            paid[r["approval"]["key"]] += r["amount"]
    accepted: dict[str, float] = defaultdict(float)
    has_acc = set()
    for x in t["acceptances"]:
        if x["date"] <= as_of:
            accepted[x["approval"]["key"]] += x["built"]
            has_acc.add(x["approval"]["key"])
    completions_of: dict[int, list[dt.date]] = defaultdict(list)
    for c in t["completions"]:
        completions_of[id(c["permit"])].append(c["date"])
    for a in t["approvals"]:
        k = a["key"]
        if a["date"] > as_of:
            continue
        use = a["permit"]["use"]
        if use not in pol.exempt_uses and a["ground"] >= pol.min_ground_area and \
                a["required"] < a["ground"] * pol.shelter_ratio * (1 - tol):
            hits["R02"].add(k)
        fee, waiver, deferral = a["fee"], a["waiver"], a["deferral"]
        if _yuan(paid[k]) < _yuan(fee - waiver - deferral):
            hits["R03"].add(k)
        if waiver > 0:
            share = pol.waiver_eligible.get(a["use"])
            if share is None or (pol.waiver_require_basis and not a["basis"]) or _yuan(waiver) > _yuan(fee * share):
                hits["R04"].add(k)
        if deferral > 0 and a["deferral_due"] < as_of and _yuan(paid[k]) < _yuan(fee - waiver):
            hits["R05"].add(k)
        if k in has_acc and accepted[k] < a["approved"] * (1 - tol):
            hits["R07"].add(k)
        if a["kind"] == "结建" and k not in has_acc:
            dates = [d for d in completions_of.get(id(a["permit"]), []) if d <= as_of]
            if dates and min(dates) + dt.timedelta(days=pol.acceptance_grace_days) < as_of:
                hits["R08"].add(k)
    for led in t["fee_ledger"]:
        if led["date"] + dt.timedelta(days=pol.treasury_max_days) >= as_of:
            continue
        ok = any(r["payer"].cid == led["payer"].cid and _yuan(r["amount"]) == _yuan(led["amount"])
                 and led["date"] <= r["treasury"] <= led["date"] + dt.timedelta(days=pol.treasury_max_days)
                 for r in world.receipts_by_payer.get(led["payer"].cid, []))
        if not ok:
            hits["R06"].add(led["key"])
    for rt in t["rentals"]:
        if rt["start"] > as_of:
            continue
        low = rt["give_guide"] and rt["rent"] / rt["area"] < rt["guide"] * pol.rent_min_ratio
        if low or (rt["waiver"] > 0 and not rt["basis"]):
            hits["R09"].add(rt["key"])
        if _yuan(rt["paid"]) < _yuan(rt["due"]):
            hits["R10"].add(rt["key"])
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in t["contracts"]:
        if c["date"] > as_of:
            continue
        thr = pol.thresholds[c["cat"]]
        if c["method"] not in pol.tender_methods:
            if c["amount"] >= thr:
                hits["R12"].add(c["key"])
            else:
                groups[(c["supplier"].cid, c["cat"])].append(c)
    w = dt.timedelta(days=pol.split_window_days)
    for (_, cat), cs in groups.items():
        cs.sort(key=lambda c: (c["date"], c["key"]))
        thr = pol.thresholds[cat]
        windows = []
        for i, c in enumerate(cs):
            inside = [x for x in cs[i:] if x["date"] <= c["date"] + w]
            if len(inside) >= 2 and sum(x["amount"] for x in inside) >= thr:
                windows.append((c["date"], c["date"] + w))
        islands: list[list] = []
        for s, e in windows:
            if islands and s <= islands[-1][1]:
                islands[-1][1] = max(islands[-1][1], e)
            else:
                islands.append([s, e])
        for s, e in islands:
            members = [x for x in cs if s <= x["date"] <= e]
            hits["R11"].add(members[0]["key"])
    pays: dict[tuple, list[dict]] = defaultdict(list)
    for p in t["payments"]:
        if p["date"] <= as_of:
            kind, who = p["payee"]
            pays[(kind, who.cid if kind == "c" else who, round(p["amount"], 2))].append(p)
        if any(k in p["summary"] for k in pol.subsidy_keywords) and p["date"] <= as_of:
            hits["R14"].add(p["key"])
    for ps in pays.values():
        ps.sort(key=lambda p: (p["date"], p["key"]))
        group = [ps[0]]
        for p in ps[1:]:
            if (p["date"] - group[-1]["date"]).days <= pol.duplicate_window_days:
                group.append(p)
            else:
                if len(group) >= 2:
                    hits["R13"].add(group[0]["key"])
                group = [p]
        if len(group) >= 2:
            hits["R13"].add(group[0]["key"])
    return hits


# ---------------------------------------------------------------- writing

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


def _write(path_dir: Path, name: str, table: str, headers: list[tuple[str, str]], rows: list[dict], mess: Mess,
           fmt: str, title: str | None) -> Path:
    fields = [f for f, _ in headers]
    head = [h for _, h in headers]
    if mess.messy:
        head = ["序号", *head]
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = TABLES[table].name
        if title:
            ws.append([title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
            ws.append([])
        ws.append(head)
        for i, r in enumerate(rows, 1):
            vals = [r.get(f, "") for f in fields]
            ws.append([i, *vals] if mess.messy else vals)
        if mess.messy:
            ws.append([])
            ws.append(["制表人：" + "王芳"])
        path = path_dir / f"{name}.xlsx"
        wb.save(path)
        return path
    path = path_dir / f"{name}.csv"
    encoding = "utf-8"
    if mess.messy:
        encoding = mess.rng.choice(["gbk", "utf-8-sig", "utf-8"]) if table != "payments" else "utf-8-sig"
    with open(path, "w", encoding=encoding, newline="", errors="strict") as fh:
        w = csv.writer(fh)
        if title:
            w.writerow([title] + [""] * (len(head) - 1))
        w.writerow(head)
        for i, r in enumerate(rows, 1):
            vals = [r.get(f, "") for f in fields]
            w.writerow([i, *vals] if mess.messy else vals)
    return path


def _xl_date(mess: Mess, d: dt.date | None, fmt: str):
    if d is None:
        return ""
    if fmt == "xlsx" and mess.messy and mess.rng.random() < 0.5:
        return dt.datetime(d.year, d.month, d.day)  # an Excel date cell
    return mess.date(d)


def _emit(world: World, out: Path, mess: Mess, excel: bool) -> dict[str, int]:  # noqa: C901
    rng = world.rng
    t = world.truth_rows
    fmt = "xlsx" if excel else "csv"
    counts = {}
    county = "某市"

    def title(name):
        return f"{county}{name}（2019—2025年）" if mess.messy else None

    # permits
    rows = []
    for pm in t["permits"]:
        p = pm["project"]
        rows.append({"permit_no": pm["key"], "project": mess.project(p, pm["phase"]),
                     "builder": mess.company(p.builder), "uscc": mess.code(p.builder, 0.7),
                     "location": f"{p.county[1]}{rng.choice(['城关镇', '新城区', '滨河路', '工业园区'])}",
                     "county": p.county[1], "use": pm["use"],
                     "total_area": mess.area(pm["ground"] + pm["under"]), "ground_area": mess.area(pm["ground"]),
                     "under_area": mess.area(pm["under"]), "floors": str(rng.randint(2, 33)),
                     "issue_date": _xl_date(mess, pm["issue"], fmt)})
    _write(out, "施工许可_住建局导出" if mess.messy else "permits", "permits", _headers("permits", mess), rows,
           mess, fmt, title("施工许可台账"))
    counts["permits"] = len(rows)

    rows = []
    for c in t["completions"]:
        pm = c["permit"]
        rows.append({"record_no": c["key"], "permit_no": pm["key"] if c["give_permit"] else "",
                     "project": mess.project(pm["project"], pm["phase"], allow_drop_phase=False),
                     "builder": mess.company(pm["builder"]) if c["give_builder"] else "",
                     "record_date": _xl_date(mess, c["date"], fmt)})
    _write(out, "completions", "completions", _headers("completions", mess), rows, mess, fmt, title("竣工验收备案"))
    counts["completions"] = len(rows)

    wan_fee = mess.messy and rng.random() < 0.5
    rows = []
    for a in t["approvals"]:
        b = a["builder"]
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
    _write(out, "fee_receipts", "fee_receipts", _headers("fee_receipts", mess), rows, mess, "csv",
           title("非税收入缴款明细"))
    counts["fee_receipts"] = len(rows)

    rows = []
    for led in t["fee_ledger"]:
        rows.append({"ledger_no": led["key"], "payer": mess.company(led["payer"]),
                     "approval_no": led["approval"]["key"] if led["approval"] else "",
                     "amount": mess.money(led["amount"]), "receive_date": _xl_date(mess, led["date"], fmt),
                     "method": led["method"]})
    _write(out, "人防办收费台账", "fee_ledger", _headers("fee_ledger", mess), rows, mess, fmt, title("收费台账"))
    counts["fee_ledger"] = len(rows)

    rows = []
    for rt in t["rentals"]:
        rows.append({"contract_no": rt["key"], "shelter": rt["shelter"], "tenant": mess.company(rt["tenant"]),
                     "uscc": mess.code(rt["tenant"], 0.6), "area": mess.area(rt["area"]),
                     "start_date": _xl_date(mess, rt["start"], fmt), "end_date": _xl_date(mess, rt["end"], fmt),
                     "yearly_rent": mess.money(rt["rent"]),
                     "guide_rent": mess.money(rt["guide"]) if rt["give_guide"] else "",
                     "waiver": mess.money(rt["waiver"]) if rt["waiver"] else "", "waiver_basis": rt["basis"]})
    _write(out, "rentals", "rentals", _headers("rentals", mess), rows, mess, fmt, title("人防工程使用台账"))
    counts["rentals"] = len(rows)

    rows = []
    for c in t["contracts"]:
        rows.append({"contract_no": c["key"], "project": c["project"], "supplier": mess.company(c["supplier"]),
                     "uscc": mess.code(c["supplier"], 0.5), "category": c["cat"], "method": c["method"],
                     "amount": mess.money(c["amount"]), "sign_date": _xl_date(mess, c["date"], fmt)})
    _write(out, "采购合同", "contracts", _headers("contracts", mess), rows, mess, fmt, title("采购合同台账"))
    counts["contracts"] = len(rows)

    rows = []
    for p in t["payments"]:
        kind, who = p["payee"]
        rows.append({"voucher_no": p["key"], "pay_date": mess.date(p["date"]), "summary": p["summary"],
                     "amount": mess.money(p["amount"]),
                     "payee": mess.company(who, typo_ok=False) if kind == "c" else who, "account": p["account"]})
    _write(out, "payments", "payments", _headers("payments", mess), rows, mess, "csv", None)
    counts["payments"] = len(rows)
    return counts


def generate(out_dir: str | Path, permits: int = 1000, seed: int = 1, messy: bool = True,
             as_of: dt.date = AS_OF, excel: bool | None = None, policy: Policy | None = None) -> Truth:
    """Write the table files of a simulated county into ``out_dir``; return (and write) the truth.

    ``excel`` writes the smaller tables as .xlsx (default: when ``permits`` ≤ 5000); the receipts and
    the payments are always CSV. The truth is for the contract's default policy unless ``policy`` is given.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = World(rng, permits, policy or load_policy(None), as_of)
    mess = Mess(random.Random(seed + 1), messy)
    _build(world, mess)
    world.receipts_by_payer = defaultdict(list)
    for r in world.truth_rows["fee_receipts"]:
        world.receipts_by_payer[r["payer"].cid].append(r)
    hits = _truth(world)
    counts = _emit(world, out, mess, excel if excel is not None else permits <= 5000)
    truth = Truth(as_of, hits, counts)
    (out / "truth.json").write_text(json.dumps(truth.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
