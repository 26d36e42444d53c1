"""Each role is refused (403/404, never the data) what it must not see."""

import pytest
from django.urls import reverse

from xuncha.orgs.models import Organization
from xuncha.policy.base import jurisdiction_scope
from xuncha.policy.orgs import organization_policy, user_policy
from xuncha.policy.rounds import round_policy
from xuncha.rounds.models import Round


@pytest.fixture
def city_round(demo):
    return Round.objects.get(jurisdiction__name="安康市", number=1)


@pytest.fixture
def shiquan_round(demo):
    return Round.objects.get(jurisdiction__name="石泉县")


def org(jurisdiction_name, suffix):
    return Organization.objects.get(name=f"{jurisdiction_name}{suffix}")


def test_city_office_sees_its_counties_and_county_office_only_itself(demo):
    city_scope = jurisdiction_scope(demo["admin"])
    county_scope = jurisdiction_scope(demo["sq_xcb"])
    assert len(city_scope) == 10
    assert county_scope == {demo["sq_xcb"].organization.jurisdiction_id}
    assert jurisdiction_scope(demo["rfb"]) == frozenset()
    assert jurisdiction_scope(demo["jiwei"]) == frozenset()
    assert jurisdiction_scope(demo["zuyuan"]) == frozenset()


def test_county_office_cannot_open_city_or_other_county_organisation(client_as):
    c = client_as("sq_xcb")
    own = org("石泉县", "人民防空办公室")
    assert c.get(reverse("orgs:organization", args=[own.pk])).status_code == 200
    for other in (org("安康市", "人民防空办公室"), org("汉阴县", "人民防空办公室")):
        response = c.get(reverse("orgs:organization", args=[other.pk]))
        assert response.status_code == 404
        assert other.name not in response.content.decode()


def test_city_office_opens_county_organisation(client_as):
    target = org("汉阴县", "人民防空办公室")
    response = client_as("xcb").get(reverse("orgs:organization", args=[target.pk]))
    assert response.status_code == 200
    assert target.name in response.content.decode()


@pytest.mark.parametrize("username", ["rfb", "jiwei", "zuyuan", "sq_rfb"])
def test_non_office_roles_cannot_browse_organisations(client_as, username):
    response = client_as(username).get(reverse("orgs:tree"))
    assert response.status_code == 403
    assert "汉阴县人民防空办公室" not in response.content.decode()


def test_unit_sees_only_its_own_organisation(client_as, demo):
    c = client_as("rfb")
    own = demo["rfb"].organization
    assert c.get(reverse("orgs:organization", args=[own.pk])).status_code == 200
    other = org("安康市", "财政局")
    assert c.get(reverse("orgs:organization", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("username", ["xcb", "leader", "zuzhang", "rfb", "jiwei", "sq_xcb"])
def test_only_admins_manage_users_and_read_audit(client_as, demo, username):
    c = client_as(username)
    target = demo["zuyuan"]
    for url in (reverse("orgs:users"), reverse("orgs:user_new"), reverse("audit:list")):
        assert c.get(url).status_code == 403, url
    response = c.get(reverse("orgs:user_edit", args=[target.pk]))
    assert response.status_code == 404
    assert c.post(reverse("orgs:user_active", args=[target.pk]), {"active": "0"}).status_code == 404
    target.refresh_from_db()
    assert target.is_active
    assert c.post(reverse("audit:verify")).status_code == 403


def test_county_admin_cannot_manage_city_users(client_as, demo):
    c = client_as("sq_admin")
    assert c.get(reverse("orgs:user_edit", args=[demo["sq_xcb"].pk])).status_code == 200
    assert c.get(reverse("orgs:user_edit", args=[demo["xcb"].pk])).status_code == 404
    assert c.get(reverse("orgs:user_edit", args=[demo["hy_xcb"].pk])).status_code == 404
    listing = c.get(reverse("orgs:users")).content.decode()
    assert "sq_xcb" in listing and "hy_xcb" not in listing


def test_team_member_sees_only_his_rounds(client_as, city_round, shiquan_round):
    c = client_as("zuyuan")
    assert c.get(reverse("rounds:detail", args=[city_round.pk])).status_code == 200
    response = c.get(reverse("rounds:detail", args=[shiquan_round.pk]))
    assert response.status_code == 404
    assert shiquan_round.title not in c.get(reverse("rounds:list")).content.decode()


def test_unit_sees_only_rounds_that_inspect_it(client_as, city_round, shiquan_round, demo):
    c = client_as("rfb")
    assert c.get(reverse("rounds:detail", args=[city_round.pk])).status_code == 200
    assert c.get(reverse("rounds:detail", args=[shiquan_round.pk])).status_code == 404
    regular = Round.objects.get(jurisdiction__name="安康市", number=2)
    assert c.get(reverse("rounds:detail", args=[regular.pk])).status_code == 404


def test_discipline_commission_sees_no_round(client_as, city_round):
    c = client_as("jiwei")
    assert c.get(reverse("rounds:detail", args=[city_round.pk])).status_code == 404
    assert city_round.title not in c.get(reverse("rounds:list")).content.decode()


def test_county_office_cannot_see_city_round_but_city_office_sees_county_round(
        client_as, city_round, shiquan_round):
    assert client_as("sq_xcb").get(reverse("rounds:detail", args=[city_round.pk])).status_code == 404
    assert client_as("hy_xcb").get(reverse("rounds:detail", args=[shiquan_round.pk])).status_code == 404
    assert client_as("xcb").get(reverse("rounds:detail", args=[shiquan_round.pk])).status_code == 200


def test_round_actions_by_role(demo, city_round, shiquan_round):
    assert round_policy.can(demo["xcb"], "manage", city_round)
    assert not round_policy.can(demo["xcb"], "manage", shiquan_round)   # city sees, county manages
    assert round_policy.can(demo["sq_xcb"], "manage", shiquan_round)
    assert round_policy.can(demo["zuzhang"], "lead", city_round)
    assert round_policy.can(demo["fuzuzhang"], "lead", city_round)
    assert not round_policy.can(demo["zuyuan"], "lead", city_round)
    assert round_policy.can(demo["zuyuan"], "work", city_round)
    assert not round_policy.can(demo["zuyuan2"], "work", city_round)
    assert round_policy.can(demo["leader"], "approve", city_round)
    for username in ("rfb", "jiwei", "zuzhang"):
        assert not round_policy.can(demo[username], "manage", city_round)
        assert not round_policy.can(demo[username], "approve", city_round)


def test_deactivated_user_loses_everything(demo, city_round):
    user = demo["xcb"]
    user.is_active = False
    user.save()
    user._role_codes = None
    assert not round_policy.instances(user).exists()
    assert not organization_policy.instances(user).exists()
    assert not user_policy.can(demo["zuyuan"], "view")
