"""A clue about the unit's leadership never goes to that unit: the unit's 领导班子 roster decides
(a member's name, or one of its posts named as a post of that unit), whatever the checkbox says."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xuncha.clues import services
from xuncha.clues.models import Disposal
from xuncha.orgs.models import LeadershipMember, Organization
from xuncha.rounds.models import Round

pytestmark = pytest.mark.django_db
PARTY_ORG = Disposal.Kind.PARTY_ORG


@pytest.fixture
def hanyin(demo):
    round_ = Round.objects.get(jurisdiction__name="汉阴县", year=2026, number=1)
    unit = Organization.objects.get(name="汉阴县人民防空办公室")
    return round_, unit


def clue(demo, round_, person, position="", leadership=False):
    return services.create_clue(demo["hy_zz"], round_, services.ClueData(
        person=person, position=position, summary="反映有关问题", concerns_leadership=leadership))


def test_the_case_of_the_issue_is_refused_with_the_box_unticked(demo, hanyin):
    round_, unit = hanyin
    assert LeadershipMember.objects.filter(organization=unit, posts__contains="主任").exists()
    c = clue(demo, round_, "汉阴县人防办主任", "主任、党组书记", leadership=False)
    with pytest.raises(ValidationError, match="领导班子"):
        services.dispose(demo["hy_zz"], c, kind=PARTY_ORG, receiver=unit)
    assert not Disposal.objects.filter(clue=c).exists()


@pytest.mark.parametrize("person,position", [
    ("汉阴县人防办主任", ""),                  # the post in the person's field
    ("", "党组书记"),                          # a post of the roster
    ("某副主任", "副主任"),
    ("汉阴县人民防空办公室副主任", ""),
    ("ROSTER_NAME", ""),                       # a member by name, no post at all
])
def test_roster_names_and_posts_are_refused(demo, hanyin, person, position):
    round_, unit = hanyin
    if person == "ROSTER_NAME":
        person = LeadershipMember.objects.filter(organization=unit).order_by("order").last().name
    c = clue(demo, round_, person or "某人", position)
    with pytest.raises(ValidationError, match="领导班子"):
        services.dispose(demo["hy_zz"], c, kind=PARTY_ORG, receiver=unit)


@pytest.mark.parametrize("person,position", [("某科员", "科员"), ("王某", "办公室主任"), ("人防办工程科科长", "")])
def test_general_matters_may_go_to_the_unit(demo, hanyin, person, position):
    round_, unit = hanyin
    c = clue(demo, round_, person, position)
    d = services.dispose(demo["hy_zz"], c, kind=PARTY_ORG, receiver=unit)
    assert d.receiver == unit


def test_the_office_keeps_the_roster_and_it_decides(demo, hanyin, client_as):
    round_, unit = hanyin
    url = reverse("orgs:leader_add", args=[unit.pk])
    for who in ("rfb", "hy_rfb", "hy_zz", "leader", "sq_xcb"):
        assert client_as(who).post(url, {"name": "钱新任", "posts": "副主任"}).status_code in (403, 404), who
    assert client_as("hy_xcb").post(url, {"name": "钱新任", "posts": "总工程师、党组成员"}).status_code == 302
    page = client_as("xcb").get(reverse("orgs:organization", args=[unit.pk])).content.decode()
    assert "钱新任" in page and "总工程师、党组成员" in page
    c = clue(demo, round_, "钱新任", "")
    with pytest.raises(ValidationError, match="钱新任是汉阴县人民防空办公室领导班子成员"):
        services.dispose(demo["hy_zz"], c, kind=PARTY_ORG, receiver=unit)
    c2 = clue(demo, round_, "某人", "总工程师")
    with pytest.raises(ValidationError, match="总工程师"):
        services.dispose(demo["hy_zz"], c2, kind=PARTY_ORG, receiver=unit)
    member = LeadershipMember.objects.get(name="钱新任")
    client_as("hy_xcb").post(reverse("orgs:leader_remove", args=[unit.pk, member.pk]))
    assert not LeadershipMember.objects.filter(name="钱新任").exists()
    # such a clue still goes to the 纪委监委
    services.dispose(demo["hy_zz"], c, kind=Disposal.Kind.DISCIPLINE,
                     receiver=Organization.objects.get(jurisdiction__name="汉阴县", kind="discipline"))
