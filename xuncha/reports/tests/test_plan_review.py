"""工作方案审批 with return-with-opinion: 领导小组 returns, 巡察办 revises and resubmits, then approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuncha.reports.models import Review
from xuncha.rounds import services as round_services

from .conftest import fresh, make_round


def test_return_then_resubmit_then_approve(demo):
    u = demo
    r = make_round(u, onsite=False)
    with pytest.raises(ValidationError, match="请填写退回意见"):
        round_services.return_plan(u["leader"], r, comments="")
    for who in ("xcb", "zuzhang", "rfb", "hy_xcb"):
        with pytest.raises(PermissionDenied):
            round_services.return_plan(u[who], r, comments="不应允许退回")
    round_services.return_plan(u["leader"], r, comments="巡察重点不够聚焦，请补充易地建设费内容")
    with pytest.raises(ValidationError, match="已退回修改，待巡察办修改后重新报批"):
        round_services.approve_plan(u["leader"], fresh(r))
    with pytest.raises(PermissionDenied):
        round_services.resubmit_plan(u["leader"], fresh(r))
    round_services.update_plan(u["xcb"], fresh(r), focus="易地建设费减免缓；人防工程审批")
    round_services.resubmit_plan(u["xcb"], fresh(r), note="已按意见补充")
    with pytest.raises(ValidationError, match="没有被退回"):
        round_services.resubmit_plan(u["xcb"], fresh(r))
    round_services.approve_plan(u["leader"], fresh(r), comments="同意")
    assert fresh(r).plan_approved_by == u["leader"]
    trail = list(Review.objects.filter(round=r, subject=Review.Subject.PLAN).values_list("step", "outcome", "comments"))
    assert trail == [("leadership", "returned", "巡察重点不够聚焦，请补充易地建设费内容"),
                     ("office", "submitted", "已按意见补充"), ("leadership", "approved", "同意")]
    with pytest.raises(ValidationError, match="已经审批同意"):
        round_services.return_plan(u["leader"], fresh(r), comments="审批后不能退回")


def test_plan_return_pages_and_home_panels(demo, client_as):
    r = make_round(demo, onsite=False)
    detail = reverse("rounds:detail", args=[r.pk])
    leader, office = client_as("leader"), client_as("xcb")
    todo = f'href="/rounds/{r.pk}/">审批工作方案'                           # 待我办理 item of this round
    assert todo in leader.get("/").content.decode()             # 待我办理: complete plan waits for him
    page = leader.get(detail).content.decode()
    assert "退回修改" in page and "审批同意工作方案" in page
    assert "退回修改" not in office.get(detail).content.decode()
    for who in ("xcb", "zuzhang", "zuyuan", "rfb", "rfb_head"):
        assert client_as(who).post(reverse("reports:plan_return", args=[r.pk]),
                                   {"comments": "不应允许退回"}).status_code == 403, who
    for who in ("jiwei", "sq_xcb", "zuyuan2"):
        assert client_as(who).post(reverse("reports:plan_return", args=[r.pk]),
                                   {"comments": "不应允许退回"}).status_code == 404, who
    assert not Review.objects.exists()
    leader.post(reverse("reports:plan_return", args=[r.pk]), {"comments": "请补充巡察时间安排"})
    assert "请补充巡察时间安排" in office.get(detail).content.decode()
    home = office.get("/").content.decode()
    assert "工作方案被领导小组退回" in home and "请补充巡察时间安排" in home
    assert todo not in leader.get("/").content.decode()
    assert "审批同意工作方案" not in leader.get(detail).content.decode()
    for who in ("leader", "zuzhang", "rfb"):
        assert client_as(who).post(reverse("reports:plan_resubmit", args=[r.pk])).status_code == 403, who
    office.post(reverse("reports:plan_resubmit", args=[r.pk]), {"note": "已补充"})
    assert todo in leader.get("/").content.decode()
    leader.post(reverse("rounds:transition", args=[r.pk, "approve_plan"]))
    assert fresh(r).plan_approved_at is not None
    assert todo not in leader.get("/").content.decode()
