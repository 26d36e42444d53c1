from datetime import date

import pytest

from xuncha.rounds import services
from xuncha.rounds.models import Round, TeamMembership


@pytest.fixture
def new_round(demo):
    """A fresh city round in 准备: plan by xcb, team 组长 zuzhang + 成员 zuyuan, target 市人防办 (rfb)."""
    from xuncha.orgs.models import Organization

    xcb = demo["xcb"]
    r = services.create_round(
        xcb, jurisdiction=xcb.organization.jurisdiction, kind=Round.Kind.SPECIAL, year=2027, number=1,
        title="2027年人防系统专项巡察", planned_start=date(2027, 3, 1), planned_end=date(2027, 4, 2),
        focus="易地建设费减免缓")
    services.add_team_member(xcb, r, user=demo["zuzhang"], team_role=TeamMembership.TeamRole.LEADER)
    services.add_team_member(xcb, r, user=demo["zuyuan"], team_role=TeamMembership.TeamRole.MEMBER)
    services.set_targets(xcb, r, [Organization.objects.get(name="安康市人民防空办公室")])
    return Round.objects.get(pk=r.pk)


ANNOUNCEMENT = {"ann_phone": "0915-3261234", "ann_postbox": "安康市邮政信箱2027号",
                "ann_email": "xcz@ak.gov.cn", "ann_letterbox_place": "市人防办一楼大厅",
                "ann_hours": "上午8:30至下午17:30", "ann_reception_place": "市委巡察办接访室"}
