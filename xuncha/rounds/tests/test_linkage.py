"""联动巡察 in the pages: the city deploys the counties' rounds under its linked round, a county
attaches its own round from the round form, the city sees each county's stage and progress, and the
进度通报 counts every linked county round."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from xuncha.orgs.models import Jurisdiction
from xuncha.rounds import linkage, services
from xuncha.rounds.models import Round, WorkLog

PLAN = {"title": "安康市2027年易地建设费专项巡察", "kind": Round.Kind.LINKED, "year": "2027", "number": "1",
        "planned_start": "2027-03-01", "planned_end": "2027-04-02"}


@pytest.fixture
def city_linked(client_as, demo):
    """A new 联动巡察 round created by the city office through the round form."""
    resp = client_as("xcb").post("/rounds/new/", PLAN)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return Round.objects.get(jurisdiction__name="安康市", year=2027, number=1)


def _county(name):
    return Jurisdiction.objects.get(name=name)


def test_city_office_deploys_two_county_rounds_under_its_linked_round(client_as, city_linked):
    c = client_as("xcb")
    page = c.get(f"/rounds/{city_linked.pk}/linked/").content.decode()
    assert 'id="link-form"' in page and "汉阴县" in page and "未部署" in page
    resp = c.post(f"/rounds/{city_linked.pk}/linked/",
                  {"counties": [_county("汉阴县").pk, _county("石泉县").pk]})
    assert resp.status_code == 302
    hy, sq = (Round.objects.get(parent=city_linked, jurisdiction__name=n) for n in ("汉阴县", "石泉县"))
    assert hy.kind == sq.kind == Round.Kind.LINKED and hy.year == 2027
    assert hy.number == 1 and hy.title == "汉阴县2027年易地建设费专项巡察（联动）"
    assert hy.stage == Round.Stage.PREPARATION and hy.planned_start == date(2027, 3, 1)
    # the county's own office manages it; the city office does not
    assert services.round_policy.can(client_as("hy_xcb").get("/").wsgi_request.user, "manage", hy) is True
    page = c.get(f"/rounds/{city_linked.pk}/linked/").content.decode()
    assert page.count("<td class=\"stage\">准备</td>") == 2 and page.count("<td class=\"stage\">未部署</td>") == 7
    # a county already deployed is no longer offered, and cannot be deployed twice
    assert f'value="{_county("汉阴县").pk}"' not in page
    resp = c.post(f"/rounds/{city_linked.pk}/linked/", {"counties": [_county("汉阴县").pk]})
    assert resp.status_code == 200 and Round.objects.filter(parent=city_linked).count() == 2


def test_deploying_takes_the_next_free_number_of_the_county(client_as, demo, city_linked):
    xy = _county("旬阳市")
    services.create_round(demo["xy_xcb"], jurisdiction=xy, kind=Round.Kind.REGULAR, year=2027, number=1,
                          title="旬阳市2027年第一轮巡察")
    [r] = linkage.create_county_rounds(demo["xcb"], city_linked, [xy])
    assert r.number == 2


def test_the_service_refuses_another_office(demo, city_linked):
    with pytest.raises(PermissionDenied):
        linkage.create_county_rounds(demo["hy_xcb"], city_linked, [_county("汉阴县")])
    assert not Round.objects.filter(parent=city_linked).exists()


@pytest.mark.parametrize("username", ["hy_xcb", "leader", "zuzhang"])
def test_only_the_city_office_deploys(client_as, city_linked, username):
    resp = client_as(username).post(f"/rounds/{city_linked.pk}/linked/", {"counties": [_county("汉阴县").pk]})
    assert resp.status_code in (403, 404)
    assert not Round.objects.filter(parent=city_linked).exists()


def test_leader_sees_the_progress_but_no_deploy_form(client_as, demo):
    city = Round.objects.get(jurisdiction__name="安康市", number=1, year=2026)
    page = client_as("leader").get(f"/rounds/{city.pk}/linked/").content.decode()
    assert 'id="link-form"' not in page
    assert page.count("<td class=\"stage\">进驻</td>") == 9 and page.count(">20%<") == 9


def test_a_round_that_is_not_linked_has_no_linkage_page(client_as, demo):
    regular = Round.objects.get(jurisdiction__name="安康市", number=2, year=2026)
    assert client_as("xcb").get(f"/rounds/{regular.pk}/linked/").status_code == 404


def test_county_attaches_its_round_from_the_round_form(client_as, city_linked):
    c = client_as("hy_xcb")
    form = c.get("/rounds/new/").content.decode()
    assert 'name="parent"' in form and city_linked.title in form
    # the city's regular round is not offered
    assert "2026年第二轮常规巡察" not in form
    data = {**PLAN, "title": "汉阴县2027年易地建设费专项巡察", "kind": Round.Kind.SPECIAL, "parent": city_linked.pk}
    resp = c.post("/rounds/new/", data)
    assert resp.status_code == 302
    r = Round.objects.get(jurisdiction__name="汉阴县", year=2027)
    assert r.parent == city_linked and r.kind == Round.Kind.LINKED
    # the city sees it on the linkage page
    page = client_as("xcb").get(f"/rounds/{city_linked.pk}/linked/").content.decode()
    assert "汉阴县2027年易地建设费专项巡察" in page


@pytest.mark.parametrize("target", ["regular", "county", "linked_county"])
def test_county_cannot_attach_to_a_round_that_is_not_the_citys_linked_round(client_as, demo, target):
    if target == "regular":
        parent = Round.objects.get(jurisdiction__name="安康市", number=2, year=2026)
    elif target == "county":
        parent = Round.objects.get(jurisdiction__name="石泉县", year=2026)
    else:   # a neighbouring county's own 联动巡察 round: not the jurisdiction above
        parent = services.create_round(demo["sq_xcb"], jurisdiction=_county("石泉县"), kind=Round.Kind.LINKED,
                                       year=2027, number=1, title="石泉县2027年联动巡察")
    data = {**PLAN, "title": "汉阴县2027年巡察", "parent": parent.pk}
    resp = client_as("hy_xcb").post("/rounds/new/", data)
    assert resp.status_code == 200
    assert not Round.objects.filter(jurisdiction__name="汉阴县", year=2027).exists()
    with pytest.raises(services.ValidationError):
        services.create_round(demo["hy_xcb"], jurisdiction=_county("汉阴县"), year=2027, number=1,
                              title="汉阴县2027年巡察", parent=parent)


def test_city_office_has_no_parent_field(client_as, demo):
    assert 'name="parent"' not in client_as("xcb").get("/rounds/new/").content.decode()


def test_briefing_counts_every_linked_county_round(client_as, demo, city_linked):
    linkage.create_county_rounds(demo["xcb"], city_linked, [_county("石泉县")])
    c = client_as("hy_xcb")
    c.post("/rounds/new/", {**PLAN, "title": "汉阴县2027年易地建设费专项巡察", "parent": city_linked.pk})
    hy = Round.objects.get(jurisdiction__name="汉阴县", year=2027)
    WorkLog.objects.create(round=hy, author=demo["hy_zz"], date=date(2027, 3, 2),
                           work_type=WorkLog.WorkType.TALKS, content="与县人防办班子成员个别谈话", people_talked=4)
    page = client_as("xcb").get(f"/rounds/briefing/?round={city_linked.pk}&date=2027-03-05").content.decode()
    assert "与县人防办班子成员个别谈话" in page      # the attached county's work
    assert "石泉县" in page                          # the deployed county with no log yet (未报送)
    assert "截至3月5日1县开展工作情况" in page
    # the county office's own briefing is only about itself
    page = c.get("/rounds/briefing/?round=all&date=2027-03-05").content.decode()
    assert "石泉县" not in page
