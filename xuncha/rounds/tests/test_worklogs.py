"""Work logs and the progress briefing (进度通报) — the demo reads like seed 000."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuncha.rounds import worklogs
from xuncha.rounds.models import Round, WorkLog


def test_demo_briefing_reads_like_seed_000(demo, client_as):
    b = worklogs.briefing(demo["xcb"], date(2026, 11, 25), Round.objects.get(title="2026年人防系统腐败问题专项巡察"))
    assert len(b.rounds) == 9 and b.title == "截至11月25日9县开展工作情况"
    common = "".join(b.common)
    for phrase in ("加强学习", "开展调查", "查阅被巡察单位财务资料", "召开巡察组会议"):
        assert phrase in common
    points = {c.name: "；".join(c.points) for c in b.particular}
    assert "走访了部分企业" in points["旬阳"]
    assert "对发改、住建、财政提供的项目情况进行了比对" in points["石泉"]
    assert "39份" in points["白河"]
    assert "走访群众30人以上" in points["宁陕"]
    assert "与纪检、组织、信访等部门联系调取" in points["汉阴"]
    assert "对2025年以来建设的人防工程进行排查摸底" in points["汉阴"]
    assert "重点学习收费标准和范围" in points["平利"]
    assert "召开巡察组会议" not in points["平利"]    # routine work is a common point, not a particular one
    assert "个别谈话" not in points["石泉"]        # logged on the 26th: after the briefing day
    bh = next(c for c in b.particular if c.name == "白河")
    assert bh.totals["issued"] == 39 and bh.totals["returned"] == 39
    city = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    page = client_as("xcb").get(reverse("rounds:briefing"), {"date": "2026-11-25", "round": city.pk}).content.decode()
    assert "截至11月25日9县开展工作情况" in page and "走访了部分企业" in page


def test_county_office_sees_only_its_county(demo):
    b = worklogs.briefing(demo["sq_xcb"], date(2026, 11, 25))
    assert [c.name for c in b.particular] == ["石泉"]


def test_briefing_refused_to_team_and_unit(demo, client_as):
    for who in ("zuzhang", "rfb", "jiwei"):
        assert client_as(who).get(reverse("rounds:briefing")).status_code == 403
        assert client_as(who).get(reverse("rounds:briefing_docx")).status_code == 403


def test_add_log(demo, client_as):
    r = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    with pytest.raises(PermissionDenied):
        worklogs.add_log(demo["zuyuan2"], r, day=date(2026, 11, 26), work_type="study", content="x")
    with pytest.raises(ValidationError, match="收回份数"):
        worklogs.add_log(demo["zuyuan"], r, day=date(2026, 11, 26), work_type="survey", content="x",
                         forms_issued=3, forms_returned=5)
    c = client_as("lianluo")
    resp = c.post(reverse("rounds:worklogs", args=[r.pk]), {
        "date": "2026-11-26", "work_type": "talks", "content": "与市人防办干部个别谈话", "people_talked": "4",
        "forms_issued": "0", "forms_returned": "0"})
    assert resp.status_code == 302
    assert WorkLog.objects.filter(round=r, author=demo["lianluo"], people_talked=4).exists()
    # the office reads the logs but does not write them; the unit never sees them
    assert client_as("xcb").get(reverse("rounds:worklogs", args=[r.pk])).status_code == 200
    assert client_as("xcb").post(reverse("rounds:worklogs", args=[r.pk]), {}).status_code == 403
    assert client_as("rfb").get(reverse("rounds:worklogs", args=[r.pk])).status_code == 403
