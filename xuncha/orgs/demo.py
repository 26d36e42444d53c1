"""Demo records of the 巡察干部库 and of the units' 领导班子 rosters."""

from __future__ import annotations

from .models import CareerEntry, InspectorProfile, LeadershipMember, Organization, RelativeEntry

DEPUTY_NAMES = "秦立华 魏国强 贾文斌 薛红梅 阎志勇 段春燕 汤建伟 尹雪梅 黎明辉 姜海涛 孔德胜 范丽娟".split()


def _posts(org: Organization) -> tuple[str, str]:
    """(head's posts, deputy's posts) as the unit names them."""
    if org.name.endswith("办公室"):
        return "主任、党组书记", "副主任、党组成员"
    return "局长、党组书记", "副局长、党组成员"


def populate(ctx) -> None:
    n = 0
    for org in Organization.objects.filter(inspectable=True).order_by("pk"):
        head_posts, deputy_posts = _posts(org)
        LeadershipMember.objects.create(organization=org, name=org.head, posts=head_posts, order=10)
        for i in (1, 2):
            LeadershipMember.objects.create(organization=org, name=DEPUTY_NAMES[n % len(DEPUTY_NAMES)] + str(i),
                                            posts=deputy_posts, order=10 + i * 10)
            n += 1
    city = ctx.city
    u = ctx.users
    # 陈明 (组长) served in the 审计局; 张伟 (成员) is seconded from the 财政局 and his brother works in the
    # 住建局 (so he may not join the second round, which inspects the 住建局); 刘芳's husband is in the 发改局.
    zuzhang = InspectorProfile.objects.create(user=u["zuzhang"], note="市委巡察组组长（专职）")
    CareerEntry.objects.create(profile=zuzhang, organization=ctx.org(city, "审计局"), post="副局长",
                               start_year=2015, end_year=2019)
    zuyuan = InspectorProfile.objects.create(user=u["zuyuan"], home_unit=ctx.org(city, "财政局"), home_since=2018)
    RelativeEntry.objects.create(profile=zuyuan, relation=RelativeEntry.Relation.SIBLING, name="张军",
                                 organization=ctx.org(city, "住房和城乡建设局"), post="科员")
    fuzuzhang = InspectorProfile.objects.create(user=u["fuzuzhang"])
    RelativeEntry.objects.create(profile=fuzuzhang, relation=RelativeEntry.Relation.SPOUSE, name="何志强",
                                 organization=ctx.org(city, "发展和改革局"), post="科长")
    InspectorProfile.objects.create(user=u["lianluo"], home_unit=ctx.org(city, "信访局"), home_since=2020)
