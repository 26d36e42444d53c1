"""回避 (seed 001: 抽调参加巡察的干部，不再参与原单位工作事务): a cadre whose current or former unit,
or a declared relative's unit, is a target is refused on the team, unless the office records an
exception with its reason (audited); targets chosen later are checked against the team too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.orgs import cadres
from xuncha.orgs import services as org_services
from xuncha.orgs.models import Organization, Role
from xuncha.rounds import recusal, services
from xuncha.rounds.models import RecusalException, Round, TeamMembership

pytestmark = pytest.mark.django_db
T = TeamMembership.TeamRole


@pytest.fixture
def city_round(demo):
    return Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)


@pytest.fixture
def second_round(demo):
    """2026年第二轮常规巡察, in preparation, inspecting the 市住建局."""
    return Round.objects.get(jurisdiction__name="安康市", year=2026, number=2)


def unit(name):
    return Organization.objects.get(name=name)


def test_the_units_own_staff_member_made_inspector_is_refused(demo, city_round, client_as):
    """The case of the issue: the 市人防办's own 周强 gets the inspector role and is put on the team."""
    rfb = demo["rfb"]
    org_services.update_user(demo["admin"], rfb, full_name=rfb.full_name, organization=rfb.organization,
                             roles=[Role.UNIT, Role.INSPECTOR])
    Round.objects.filter(pk=city_round.pk).update(stage=Round.Stage.PREPARATION)
    city_round.refresh_from_db()
    with pytest.raises(ValidationError, match="本人所在单位“安康市人民防空办公室”是被巡察单位"):
        services.add_team_member(demo["xcb"], city_round, user=rfb, team_role=T.MEMBER)
    page = client_as("xcb").post(reverse("rounds:team", args=[city_round.pk]),
                                 {"user": rfb.pk, "team_role": T.MEMBER}).content.decode()
    assert "应当回避" in page
    assert not TeamMembership.objects.filter(round=city_round, user=rfb).exists()
    # so he never reads what the team writes about his own 主任
    assert client_as("rfb").get(reverse("rounds:worklogs", args=[city_round.pk])).status_code == 403


@pytest.mark.parametrize("tie", ["home", "former", "relative"])
def test_current_former_and_relatives_units_bind(demo, second_round, tie):
    cadre = demo["zuyuan2"]
    TeamMembership.objects.filter(round=second_round).delete()
    housing = unit("安康市住房和城乡建设局")          # the second round's target
    if tie == "home":
        cadres.save_profile(demo["xcb"], cadre, home_unit=housing, home_since=2021)
        expected = "现工作单位“安康市住房和城乡建设局”（2021年起）"
    elif tie == "former":
        cadres.add_career(demo["xcb"], cadre, organization=housing, post="科长", start_year=2012, end_year=2017)
        expected = "2012—2017年曾在被巡察单位“安康市住房和城乡建设局”任科长"
    else:
        cadres.add_relative(demo["xcb"], cadre, relation="spouse", name="马兰", organization=housing, post="科员")
        expected = "配偶马兰在被巡察单位“安康市住房和城乡建设局”任科员"
    with pytest.raises(ValidationError) as exc:
        services.add_team_member(demo["xcb"], second_round, user=cadre, team_role=T.LEADER)
    assert expected in exc.value.messages[0]
    assert not second_round.team.exists()
    # a tie to another unit does not bind
    other = demo["zuzhang"]          # his former unit is the 审计局, not a target
    services.add_team_member(demo["xcb"], second_round, user=other, team_role=T.LEADER)


def test_demo_relative_keeps_zhang_wei_off_the_housing_round(demo, second_round):
    with pytest.raises(ValidationError, match="兄弟姐妹张军"):
        services.add_team_member(demo["xcb"], second_round, user=demo["zuyuan"], team_role=T.MEMBER)


def test_exception_with_a_reason_lets_him_serve_and_is_audited(demo, second_round, client_as):
    zuyuan = demo["zuyuan"]
    with pytest.raises(ValidationError, match="至少"):
        recusal.record_exception(demo["xcb"], second_round, zuyuan, reason="需要")
    for who in ("zuzhang", "leader", "zuyuan2"):
        assert client_as(who).post(reverse("rounds:recusal_exception", args=[second_round.pk]),
                                   {"user": zuyuan.pk, "reason": "熟悉住建业务，且其兄长为普通科员"}).status_code in (403, 404)
    assert not RecusalException.objects.exists()
    response = client_as("xcb").post(reverse("rounds:recusal_exception", args=[second_round.pk]),
                                     {"user": zuyuan.pk, "reason": "熟悉住建业务，其兄为普通科员，不涉及被巡察事项"})
    assert response.status_code == 302
    services.add_team_member(demo["xcb"], second_round, user=zuyuan, team_role=T.MEMBER)
    entry = AuditEntry.objects.filter(action="round.recusal_exception").latest("seq")
    assert entry.data["reason"] == "熟悉住建业务，其兄为普通科员，不涉及被巡察事项"
    assert entry.data["conflicts"] == ["兄弟姐妹张军在被巡察单位“安康市住房和城乡建设局”任科员"]
    page = client_as("xcb").get(reverse("rounds:team", args=[second_round.pk])).content.decode()
    assert "熟悉住建业务" in page
    # no exception where nothing binds
    with pytest.raises(ValidationError, match="无需记录例外"):
        recusal.record_exception(demo["xcb"], second_round, demo["zuzhang"], reason="没有回避情形的例外")


def test_targets_chosen_after_the_team_are_checked(demo, second_round):
    services.add_team_member(demo["xcb"], second_round, user=demo["fuzuzhang"], team_role=T.DEPUTY)
    with pytest.raises(ValidationError, match="刘芳（副组长）：配偶何志强"):
        services.set_targets(demo["xcb"], second_round, [unit("安康市住房和城乡建设局"),
                                                         unit("安康市发展和改革局")])
    assert list(second_round.targets.values_list("name", flat=True)) == ["安康市住房和城乡建设局"]
