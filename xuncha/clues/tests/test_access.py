"""Every clue URL with every role and guessed ids; 纪委监委 see only what was transferred to them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.clues import services
from xuncha.clues.models import Clue, Disposal

pytestmark = pytest.mark.django_db

MARK = "线索机密标记"
EVERYONE = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb",
            "jiwei", "sq_admin", "sq_xcb", "sq_zz", "sq_rfb", "hy_xcb", "hy_zz", None]
READERS = {
    "city": {"admin", "xcb", "zuzhang", "fuzuzhang", "zuyuan", "lianluo"},
    "county": {"admin", "xcb", "sq_admin", "sq_xcb", "sq_zz"},
}


@pytest.fixture
def targets(city_round, county_round, make_clue):
    return {"city": make_clue(city_round, person=MARK, summary=MARK),
            "county": make_clue(county_round, person=MARK, summary=MARK)}


MANAGERS = {"city": READERS["city"], "county": {"sq_admin", "sq_xcb", "sq_zz"}}   # team + the round's office
DISPOSERS = {"city": {"admin", "xcb", "zuzhang", "fuzuzhang"}, "county": {"sq_admin", "sq_xcb", "sq_zz"}}


def urls(clue: Clue):
    r = clue.round_id
    return [
        ("detail", "get", reverse("clues:detail", args=[clue.pk]), {}),
        ("handover", "get", reverse("clues:handover", args=[clue.pk]), {}),
        ("dispose", "post", reverse("clues:dispose", args=[clue.pk]), {
            "kind": "keep", "reason": "留存", "decided_on": "2026-11-20", "deadline_days": 30}),
        ("receipt", "post", reverse("clues:receipt", args=[clue.pk]), {"receipt_no": "1",
                                                                       "received_on": "2026-11-21"}),
        ("handling", "post", reverse("clues:handling", args=[clue.pk]), {"method": "talk",
                                                                         "method_on": "2026-11-21"}),
        ("round", "get", reverse("clues:round", args=[r]), {}),
        ("create", "get", reverse("clues:create", args=[r]), {}),
        ("ledger", "get", reverse("clues:ledger", args=[r]), {}),
    ]


def xlsx_text(response) -> str:
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(response.content))
    return " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def assert_denied(response, username):
    if username is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404), response.status_code
    assert MARK.encode() not in response.content


def check_allowed(name, response, username, which):
    """What a permitted user gets from each URL."""
    status = response.status_code
    if name in ("detail", "round"):
        assert status == 200 and MARK.encode() in response.content, (name, status)
    elif name == "handover":
        assert status == 404, (name, status)                      # not transferred yet
    elif name == "dispose":
        assert status == (302 if username in DISPOSERS[which] else 403), (name, status)
    elif name in ("receipt", "handling"):
        assert status == 403, (name, status)                      # kept, not transferred: nobody handles it
    elif name == "create":
        assert status == (200 if username in MANAGERS[which] else 403), (name, status)
    elif name == "ledger":
        assert status == 200 and MARK in xlsx_text(response), (name, status)


@pytest.mark.parametrize("username", EVERYONE)
@pytest.mark.parametrize("which", ["city", "county"])
def test_every_url_every_role(client_as, targets, username, which):
    clue = targets[which]
    c = client_as(username) if username else Client()
    for name, method, url, data in urls(clue):
        response = getattr(c, method)(url, data)
        if username not in READERS[which]:
            assert_denied(response, username)
        else:
            check_allowed(name, response, username, which)
    disposed = Disposal.objects.filter(clue=clue).exists()
    assert disposed == (username in DISPOSERS[which])


def test_discipline_sees_only_clues_transferred_to_it(client_as, targets, demo, orgs):
    city, county = targets["city"], targets["county"]
    jiwei = client_as("jiwei")
    assert_denied(jiwei.get(reverse("clues:detail", args=[city.pk])), "jiwei")
    services.dispose(demo["sq_zz"], county, kind=Disposal.Kind.DISCIPLINE,
                     receiver=orgs("石泉县", kind="discipline"))
    assert_denied(jiwei.get(reverse("clues:detail", args=[county.pk])), "jiwei")   # not his commission
    services.dispose(demo["zuzhang"], city, kind=Disposal.Kind.ORGANIZATION,
                     receiver=orgs("安康市", suffix="委组织部"))
    assert_denied(jiwei.get(reverse("clues:detail", args=[city.pk])), "jiwei")     # not to a 纪委
    other = services.create_clue(demo["zuzhang"], city.round, services.ClueData(person=MARK, summary=MARK))
    services.dispose(demo["zuzhang"], other, kind=Disposal.Kind.DISCIPLINE, receiver=orgs("安康市", kind="discipline"))
    page = jiwei.get(reverse("clues:detail", args=[other.pk])).content.decode()
    assert MARK in page
    assert "/petitions/" not in page
    index = jiwei.get(reverse("clues:index")).content.decode()
    assert other.code in index and city.code not in index.replace(other.code, "")
    # no round pages, no ledgers, no petitions for the commission
    for url in (reverse("clues:round", args=[city.round_id]), reverse("clues:ledger", args=[city.round_id]),
                reverse("petitions:round", args=[city.round_id])):
        assert_denied(jiwei.get(url), "jiwei")


@pytest.mark.parametrize("username", ["hy_zz", "hy_xcb", "zuyuan2", "rfb", "sq_rfb", "jiwei", "leader"])
def test_guessed_sequential_ids(client_as, demo, targets, username):
    from xuncha.policy.rounds import confidential_rounds
    from xuncha.rounds.models import Round
    c = client_as(username)
    top = Clue.objects.order_by("-pk").first().pk
    visible = {c_.pk for c_ in Clue.objects.filter(disposal__receiver=demo[username].organization,
                                                   disposal__kind="discipline")}
    for pk in range(1, top + 3):
        if pk not in visible:
            assert_denied(c.get(reverse("clues:detail", args=[pk])), username)
    own = set(confidential_rounds(demo[username]).values_list("pk", flat=True))
    for rid in Round.objects.exclude(pk__in=own).values_list("pk", flat=True):
        assert_denied(c.get(reverse("clues:round", args=[rid])), username)
        assert_denied(c.get(reverse("clues:ledger", args=[rid])), username)


def test_unit_sees_no_clue_navigation(client_as, targets):
    assert client_as("rfb").get(reverse("clues:index")).status_code == 404
    home = client_as("rfb").get("/").content.decode()
    assert "问题线索" not in home and "信访举报" not in home
