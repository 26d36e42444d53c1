"""The stage machine 准备 → 进驻 → 汇报 → 反馈 → 整改 → 归档: roles, prerequisites, audit trail."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.rounds import services
from xuncha.rounds.models import Round

from .conftest import ANNOUNCEMENT

S = Round.Stage


def fresh(r):
    return Round.objects.get(pk=r.pk)


def test_full_life_with_the_right_roles(demo, new_round):
    u = demo
    r = new_round
    with pytest.raises(ValidationError, match="工作方案尚未经领导小组审批"):
        services.start_onsite(u["xcb"], r)
    services.approve_plan(u["leader"], r)
    with pytest.raises(ValidationError, match="巡察公告尚未发布"):
        services.start_onsite(u["xcb"], fresh(r))
    with pytest.raises(ValidationError, match="巡察公告缺少"):
        services.publish_announcement(u["xcb"], fresh(r))
    services.save_announcement(u["xcb"], fresh(r), **ANNOUNCEMENT)
    services.publish_announcement(u["xcb"], fresh(r))
    services.start_onsite(u["xcb"], fresh(r))
    assert fresh(r).stage == S.ONSITE
    # 汇报 → 反馈 → 整改 → 归档: xuncha/reports/tests (巡察报告, 双反馈, 签收, 归档)
    actions = set(AuditEntry.objects.filter(object_type="rounds.round", object_id=str(r.pk))
                  .values_list("action", flat=True))
    assert {"round.create", "round.approve_plan", "round.announcement_publish", "round.stage_onsite"} <= actions


def test_wrong_roles_are_refused(demo, new_round):
    u, r = demo, new_round
    with pytest.raises(PermissionDenied):
        services.approve_plan(u["xcb"], r)           # the office does not approve its own plan
    with pytest.raises(PermissionDenied):
        services.approve_plan(u["rfb"], r)           # nor the unit
    with pytest.raises(PermissionDenied):
        services.approve_plan(u["hy_xcb"], r)        # nor a county office
    services.approve_plan(u["leader"], r)
    services.save_announcement(u["xcb"], fresh(r), **ANNOUNCEMENT)
    with pytest.raises(PermissionDenied):
        services.publish_announcement(u["zuzhang"], fresh(r))
    services.publish_announcement(u["xcb"], fresh(r))
    for who in ("zuyuan", "zuzhang", "leader", "rfb", "sq_xcb"):
        with pytest.raises(PermissionDenied):
            services.start_onsite(u[who], fresh(r))
    services.start_onsite(u["xcb"], fresh(r))
    assert fresh(r).stage == S.ONSITE


def test_plan_needs_targets_and_leader(demo):
    xcb = demo["xcb"]
    r = services.create_round(xcb, jurisdiction=xcb.organization.jurisdiction, kind=Round.Kind.REGULAR,
                              year=2027, number=5, title="空轮次", planned_start=date(2027, 5, 1),
                              planned_end=date(2027, 6, 1))
    with pytest.raises(ValidationError, match="未确定被巡察单位、未确定组长"):
        services.approve_plan(demo["leader"], r)
    with pytest.raises(ValidationError, match="已存在"):
        services.create_round(xcb, jurisdiction=xcb.organization.jurisdiction, kind=Round.Kind.REGULAR,
                              year=2027, number=5, title="重复")
    with pytest.raises(PermissionDenied):
        services.create_round(demo["zuzhang"], jurisdiction=xcb.organization.jurisdiction,
                              kind=Round.Kind.REGULAR, year=2027, number=6, title="组长不能建")


def test_changing_an_approved_plan_needs_approval_again(demo, new_round):
    services.approve_plan(demo["leader"], new_round)
    r = services.update_plan(demo["xcb"], fresh(new_round), focus="新的重点")
    assert r.plan_approved_at is None


def test_targets_must_be_inspectable_units_of_the_jurisdiction(demo, new_round):
    from xuncha.orgs.models import Organization

    other = Organization.objects.get(name="汉阴县人民防空办公室")   # a county unit is below the city: allowed
    services.set_targets(demo["xcb"], new_round, [other])
    audit = Organization.objects.get(name="安康市审计局")          # not inspectable
    with pytest.raises(ValidationError):
        services.set_targets(demo["xcb"], new_round, [audit])
    city = Organization.objects.get(name="安康市人民防空办公室")
    with pytest.raises(PermissionDenied):
        services.set_targets(demo["hy_xcb"], new_round, [city])


# ---- pages ---------------------------------------------------------------------------------

def post_do(client, r, action):
    return client.post(reverse("rounds:transition", args=[r.pk, action]), follow=True)


def test_pages_refuse_wrong_roles(demo, new_round, client_as):
    r = new_round
    # outsiders do not see the round at all (404), not even its existence
    for who in ("zuyuan2", "jiwei", "hy_xcb", "hy_rfb"):
        assert client_as(who).get(reverse("rounds:detail", args=[r.pk])).status_code == 404
    # a team member sees it but cannot manage it (403), and nothing changes
    member = client_as("zuyuan")
    assert member.get(reverse("rounds:detail", args=[r.pk])).status_code == 200
    assert member.get(reverse("rounds:edit", args=[r.pk])).status_code == 403
    assert member.get(reverse("rounds:team", args=[r.pk])).status_code == 403
    resp = post_do(member, r, "approve_plan")
    assert "您没有权限" in resp.content.decode() or resp.status_code == 403
    assert fresh(r).plan_approved_at is None
    unit = client_as("rfb")
    assert unit.get(reverse("rounds:worklogs", args=[r.pk])).status_code == 403
    assert unit.get(reverse("rounds:inquiries", args=[r.pk])).status_code == 403
    assert unit.post(reverse("rounds:announcement", args=[r.pk]), ANNOUNCEMENT).status_code == 403
    assert fresh(r).ann_phone == ""


def test_pages_walk_the_life(demo, new_round, client_as):
    r = new_round
    office, leader = client_as("xcb"), client_as("leader")
    body = leader.get(reverse("rounds:detail", args=[r.pk])).content.decode()
    assert "审批同意工作方案" in body
    post_do(leader, r, "approve_plan")
    office.post(reverse("rounds:announcement", args=[r.pk]), ANNOUNCEMENT)
    post_do(office, r, "publish")
    post_do(office, r, "start_onsite")
    assert fresh(r).stage == S.ONSITE
    # the rest of the life through the pages: xuncha/reports/tests/test_pages.py


def test_transition_errors_are_messages_not_traces(demo, new_round, client_as):
    resp = post_do(client_as("xcb"), new_round, "start_onsite")
    assert resp.status_code == 200
    assert "工作方案尚未经领导小组审批，不能进驻" in resp.content.decode()
    assert fresh(new_round).stage == S.PREPARATION


def test_create_round_page(demo, client_as):
    c = client_as("xcb")
    resp = c.post(reverse("rounds:create"), {
        "title": "2027年第一轮常规巡察", "kind": "regular", "year": "2027", "number": "3",
        "planned_start": "2027-03-01", "planned_end": "2027-02-01"})
    assert resp.status_code == 200 and "不能早于开始日期" in resp.content.decode()
    assert not Round.objects.filter(title="2027年第一轮常规巡察").exists()
    resp = c.post(reverse("rounds:create"), {
        "title": "2027年第一轮常规巡察", "kind": "regular", "year": "2027", "number": "3",
        "planned_start": "2027-03-01", "planned_end": "2027-04-01"})
    r = Round.objects.get(title="2027年第一轮常规巡察")
    assert resp.status_code == 302 and r.jurisdiction.name == "安康市" and r.created_by == demo["xcb"]
    assert client_as("zuzhang").get(reverse("rounds:create")).status_code == 403
    assert client_as("leader").post(reverse("rounds:create"), {"title": "x"}).status_code == 403


def test_public_announcement(demo, client):
    city = Round.objects.get(title="2026年人防系统腐败问题专项巡察")
    body = client.get(reverse("rounds:public_announcement", args=[city.pk])).content.decode()
    assert "0915-3261234" in body and "市人民防空办公室一楼大厅" in body
    prep = Round.objects.get(title__startswith="2026年第二轮常规巡察")
    assert client.get(reverse("rounds:public_announcement", args=[prep.pk])).status_code == 404
