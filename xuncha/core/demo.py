"""Demo data (演示数据): 安康市 and its 9 counties, as in seed 000 (截至25日9县开展工作情况).

Each app may add its own demo records with a module ``<app>/demo.py`` defining
``populate(ctx: DemoContext) -> None``; they run in the order of INSTALLED_APPS.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from xuncha.orgs import services as org_services
from xuncha.orgs.models import Jurisdiction, Organization, Role, User
from xuncha.rounds.models import Round, TeamMembership

DEMO_PASSWORD = "Xuncha@2026"
CITY = ("安康市", "610900")
COUNTIES = [  # (name, code, login prefix)
    ("汉阴县", "610921", "hy"), ("石泉县", "610922", "sq"), ("宁陕县", "610923", "ns"),
    ("紫阳县", "610924", "zy"), ("岚皋县", "610925", "lg"), ("平利县", "610926", "pl"),
    ("镇坪县", "610927", "zp"), ("旬阳市", "610981", "xy"), ("白河县", "610929", "bh"),
]


def crosscheck_counties() -> list[tuple[str, str]]:
    """(GB/T 2260 code, name) of the demo city's counties: the cross-check sample speaks of them."""
    return [(code, name) for name, code, _prefix in COUNTIES]


DEPARTMENTS = [  # (short name, inspectable)
    ("人民防空办公室", True), ("住房和城乡建设局", True), ("财政局", True), ("发展和改革局", True),
    ("审计局", False), ("信访局", False), ("委组织部", False), ("委政法委", False),
]
# (username, full name, role codes, organisation kind or department, title)
CITY_USERS = [
    ("admin", "赵志远", [Role.ADMIN, Role.OFFICE], Organization.Kind.OFFICE, "巡察办副主任"),
    ("xcb", "王建华", [Role.OFFICE], Organization.Kind.OFFICE, "巡察办综合科科长"),
    ("leader", "李国栋", [Role.LEADERSHIP], Organization.Kind.LEADERSHIP, "巡察工作领导小组组长"),
    ("zuzhang", "陈明", [Role.INSPECTOR], Organization.Kind.OFFICE, "市委第一巡察组组长"),
    ("fuzuzhang", "刘芳", [Role.INSPECTOR], Organization.Kind.OFFICE, "市委第一巡察组副组长"),
    ("zuyuan", "张伟", [Role.INSPECTOR], Organization.Kind.OFFICE, "市委第一巡察组成员"),
    ("lianluo", "孙丽", [Role.INSPECTOR], Organization.Kind.OFFICE, "市委第一巡察组联络员"),
    ("zuyuan2", "马超", [Role.INSPECTOR], Organization.Kind.OFFICE, "市委第二巡察组成员"),
    ("rfb", "周强", [Role.UNIT], "人民防空办公室", "市人防办办公室主任（联络员）"),
    ("rfb_head", "", [Role.UNIT_HEAD], "人民防空办公室", "市人防办主任、党组书记"),
    ("jiwei", "吴静", [Role.DISCIPLINE], Organization.Kind.DISCIPLINE, "市纪委监委第三监督检查室"),
]
HEADS = ["郑卫东", "黄立新", "何建平", "罗永红", "梁志刚", "宋晓明", "唐国华", "韩文杰", "冯建军", "邓勇"]


@dataclass
class DemoContext:
    city: Jurisdiction
    counties: list[Jurisdiction]
    users: dict[str, User] = field(default_factory=dict)
    rounds: dict[str, Round] = field(default_factory=dict)
    password_hash: str = ""

    def org(self, jurisdiction: Jurisdiction, kind_or_name: str) -> Organization:
        if kind_or_name in Organization.Kind.values:
            return Organization.objects.get(jurisdiction=jurisdiction, kind=kind_or_name)
        return Organization.objects.get(jurisdiction=jurisdiction, name=f"{jurisdiction.name}{kind_or_name}")


def _build_jurisdiction(name: str, code: str, level: str, parent, heads) -> Jurisdiction:
    j = org_services.create_jurisdiction(None, name=name, level=level, parent=parent, code=code)
    short = name[:-1] if len(name) > 2 else name
    Organization.objects.filter(jurisdiction=j, kind=Organization.Kind.OFFICE).update(
        address=f"{short}{'市' if level == Jurisdiction.Level.CITY else '县'}委大院3号楼巡察办",
        liaison="综合科", liaison_phone=f"0915-{3260000 + int(code) % 10000}")
    for i, (dept, inspectable) in enumerate(DEPARTMENTS):
        org_name = f"{name}{dept}"
        Organization.objects.create(
            name=org_name, kind=Organization.Kind.UNIT if inspectable else Organization.Kind.DEPARTMENT,
            jurisdiction=j, inspectable=inspectable,
            party_org=f"中共{org_name}党组" if inspectable else "",
            head=heads[i % len(heads)], staff_count=12 + (int(code) + i * 7) % 40,
            address=f"{short}城区政府大院{i + 1}号楼",
        )
    return j


def _user(ctx: DemoContext, username, full_name, roles, org, title="") -> User:
    user = org_services.create_user(None, username=username, full_name=full_name, organization=org,
                                    roles=roles, password_hash=ctx.password_hash, title=title)
    ctx.users[username] = user
    return user


def _team(round_, members) -> None:
    for user, team_role in members:
        TeamMembership.objects.create(round=round_, user=user, team_role=team_role)


def _build_rounds(ctx: DemoContext) -> None:
    city_round = Round.objects.create(
        jurisdiction=ctx.city, kind=Round.Kind.SPECIAL, year=2026, number=1,
        title="2026年人防系统腐败问题专项巡察", stage=Round.Stage.ONSITE,
        planned_start=date(2026, 11, 2), planned_end=date(2026, 12, 4),
        focus="重点治理三大类9种具体问题：对重要指示批示不重视、层层转批；主体责任履职尽责不力；"
              "人防工程审批、建设中吃拿卡要、贪污贿赂、利益输送；易地建设费随意“减免缓”等。",
        created_by=ctx.users["admin"],
    )
    city_round.targets.add(ctx.org(ctx.city, "人民防空办公室"))
    T = TeamMembership.TeamRole
    _team(city_round, [(ctx.users["zuzhang"], T.LEADER), (ctx.users["fuzuzhang"], T.DEPUTY),
                       (ctx.users["zuyuan"], T.MEMBER), (ctx.users["lianluo"], T.LIAISON)])
    ctx.rounds["city"] = city_round
    second = Round.objects.create(
        jurisdiction=ctx.city, kind=Round.Kind.REGULAR, year=2026, number=2,
        title="2026年第二轮常规巡察（市住建局）", stage=Round.Stage.PREPARATION,
        planned_start=date(2026, 12, 7), planned_end=date(2027, 1, 15), created_by=ctx.users["admin"],
    )
    second.targets.add(ctx.org(ctx.city, "住房和城乡建设局"))
    _team(second, [(ctx.users["zuyuan2"], T.LEADER)])
    ctx.rounds["city_regular"] = second
    for county in ctx.counties:
        r = Round.objects.create(
            jurisdiction=county, parent=city_round, kind=Round.Kind.LINKED, year=2026, number=1,
            title=f"{county.name}2026年人防系统专项巡察（联动）", stage=Round.Stage.ONSITE,
            planned_start=date(2026, 11, 2), planned_end=date(2026, 12, 4),
        )
        r.targets.add(ctx.org(county, "人民防空办公室"))
        prefix = next(p for n, _c, p in COUNTIES if n == county.name)
        _team(r, [(ctx.users[f"{prefix}_zz"], T.LEADER)])
        ctx.rounds[prefix] = r


#: apps whose demo takes seconds to play (a round's whole history through the services): left out by
#: ``load(quick=True)``, which the test suite's shared ``demo`` fixture uses
SLOW_APPS = ("xuncha.rectification",)


def load(*, quick: bool = False) -> bool:
    """Create the demo data once; return False when it is already there.

    ``quick``: leave out ``SLOW_APPS`` (for tests that need the city, its users and rounds, not the
    rectification story; ``xuncha demo`` always loads everything)."""
    if Jurisdiction.objects.filter(name=CITY[0], parent=None).exists():
        return False
    with transaction.atomic():
        city = _build_jurisdiction(CITY[0], CITY[1], Jurisdiction.Level.CITY, None, HEADS)
        counties = [
            _build_jurisdiction(name, code, Jurisdiction.Level.COUNTY, city, HEADS[i:] + HEADS[:i])
            for i, (name, code, _p) in enumerate(COUNTIES)
        ]
        ctx = DemoContext(city=city, counties=counties, password_hash=make_password(DEMO_PASSWORD))
        for username, full_name, roles, where, title in CITY_USERS:
            org = ctx.org(city, where)
            _user(ctx, username, full_name or org.head, roles, org, title)
        surnames = "杨许曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
        for i, (county, (_name, _code, prefix)) in enumerate(zip(counties, COUNTIES, strict=True)):
            s = surnames[i * 4: i * 4 + 4]
            _user(ctx, f"{prefix}_xcb", f"{s[0]}文", [Role.OFFICE], ctx.org(county, "office"), "县委巡察办干部")
            _user(ctx, f"{prefix}_zz", f"{s[1]}斌", [Role.INSPECTOR], ctx.org(county, "office"), "县委巡察组组长")
            rfb = ctx.org(county, "人民防空办公室")
            _user(ctx, f"{prefix}_rfb", f"{s[2]}敏", [Role.UNIT], rfb, "县人防办联络员")
            _user(ctx, f"{prefix}_rfb_head", rfb.head, [Role.UNIT_HEAD], rfb, "县人防办主任（主要负责人）")
        _user(ctx, "sq_admin", "石磊", [Role.ADMIN, Role.OFFICE], ctx.org(counties[1], "office"),
              "县委巡察办主任")
        _build_rounds(ctx)
        for config in apps.get_app_configs():
            if not config.name.startswith("xuncha.") or config.name == "xuncha.core":
                continue
            if quick and config.name in SLOW_APPS:
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.populate(ctx)
    return True


def login_table() -> list[tuple[str, str, str, str]]:
    """(username, name, organisation, roles) of the demo users, for printing."""
    order = [u[0] for u in CITY_USERS] + ["sq_admin"] + [
        f"{p}_{s}" for _n, _c, p in COUNTIES for s in ("xcb", "leader", "zz", "rfb", "rfb_head")]
    users = {u.username: u for u in User.objects.filter(username__in=order).select_related("organization")}
    rows = []
    for username in order:
        u = users.get(username)
        if u is None:
            continue
        memberships = "、".join(f"{m.get_team_role_display()}" for m in u.team_memberships.all()[:1])
        roles = "、".join(u.role_labels) + (f"（{memberships}）" if memberships else "")
        rows.append((username, u.full_name, str(u.organization), roles))
    return rows


def complete() -> bool:
    """Add what ``load(quick=True)`` left out (``SLOW_APPS``) to a demo loaded that way; False without one.

    For the test suite, which loads the quick demo once per process and the rest only for the tests of
    the rectification story."""
    city = Jurisdiction.objects.filter(name=CITY[0], parent=None).first()
    if city is None:
        return False
    by_name = {j.name: j for j in city.children.all()}
    ctx = DemoContext(city=city, counties=[by_name[name] for name, _code, _prefix in COUNTIES],
                      users={u.username: u for u in User.objects.select_related("organization")},
                      password_hash=make_password(DEMO_PASSWORD))
    with transaction.atomic():
        for name in SLOW_APPS:
            importlib.import_module(f"{name}.demo").populate(ctx)
    return True

