"""The demo gives every demo unit a head account (主要负责人) and the city round a problem list."""

from xuncha.core.demo import login_table
from xuncha.orgs.models import Role
from xuncha.reports import content, docs
from xuncha.rounds.models import Round

from .test_documents import text_of


def test_demo_heads_and_problems(demo):
    rows = {username: (name, org, roles) for username, name, org, roles in login_table()}
    assert rows["rfb_head"] == ("郑卫东", "安康市人民防空办公室", "被巡察单位主要负责人")
    assert rows["hy_rfb_head"][1] == "汉阴县人民防空办公室" and rows["hy_rfb_head"][0] == demo["hy_rfb_head"].organization.head
    assert demo["rfb_head"].has_role(Role.UNIT_HEAD) and not demo["rfb_head"].has_role(Role.UNIT)
    assert list(rows).index("rfb_head") == list(rows).index("rfb") + 1
    city = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    text = text_of(docs.report_draft(content.round_facts(city)))
    assert "巡察共发现问题4个，涉及金额321.00万元" in text and "易地建设费随意减免缓" in text
