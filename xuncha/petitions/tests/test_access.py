"""Every petition URL with every role, and guessed ids: 403/404 (or the login page), never the data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.petitions.models import Petition

pytestmark = pytest.mark.django_db

MARK = "机密标记甲乙丙"
EVERYONE = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb",
            "jiwei", "sq_admin", "sq_xcb", "sq_zz", "sq_rfb", "hy_xcb", "hy_zz", "hy_rfb", None]
CITY_READERS = {"admin", "xcb", "zuzhang", "fuzuzhang", "zuyuan", "lianluo"}
COUNTY_READERS = {"admin", "xcb", "sq_admin", "sq_xcb", "sq_zz"}


@pytest.fixture
def targets(city_round, county_round, make_petition, files):
    from xuncha.petitions import services
    city = make_petition(city_round, subject=MARK, content=MARK, name=MARK)
    county = make_petition(county_round, subject=MARK, content=MARK, name=MARK)
    for p in (city, county):
        services.add_supplement(p, MARK, [files.pdf()])
    return {"city": city, "county": county}


def petition_urls(p: Petition):
    a = p.attachments.first()
    r = p.round_id
    return [
        ("get", reverse("petitions:detail", args=[p.pk]), {}),
        ("get", reverse("petitions:attachment", args=[p.pk, a.pk]), {}),
        ("post", reverse("petitions:reply", args=[p.pk]), {"text": "回复"}),
        ("post", reverse("petitions:triage", args=[p.pk]), {"text": "研判"}),
        ("post", reverse("petitions:classify", args=[p.pk]), {"status": "closed"}),
        ("post", reverse("petitions:link", args=[p.pk]), {"other": "1", "reason": "x"}),
        ("post", reverse("petitions:reveal", args=[p.pk]), {"reason": "核实身份需要"}),
        ("get", reverse("clues:from_petition", args=[p.pk]), {}),
        ("get", reverse("petitions:round", args=[r]), {}),
        ("get", reverse("petitions:intake", args=[r]), {}),
        ("get", reverse("petitions:ledger", args=[r]), {}),
        ("post", reverse("petitions:ledger", args=[r]), {"reason": "导出需要身份"}),
    ]


def client_for(client_as, username):
    return client_as(username) if username else Client()


def assert_denied(response, username):
    if username is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404), response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert MARK.encode() not in body


# who may do what, per round (the every-URL test asserts what these get, not only the refusals)
HANDLERS = {"city": CITY_READERS, "county": {"sq_admin", "sq_xcb", "sq_zz"}}      # team + the round's office
REVEALERS = {"city": {"admin", "xcb", "zuzhang"}, "county": {"sq_admin", "sq_xcb", "sq_zz"}}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_text(response) -> str:
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(response.content))
    return " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def check_allowed(name, response, username, which, p):
    """What a permitted user gets from each URL."""
    handler = username in HANDLERS[which]
    revealer = username in REVEALERS[which]
    status = response.status_code
    if name in ("detail", "round"):
        assert status == 200 and MARK.encode() in response.content, (name, status)
    elif name == "attachment":
        assert status == 200 and body_of(response).startswith(b"%PDF"), (name, status)
    elif name in ("reply", "triage", "classify", "link"):
        assert status == (302 if handler else 403), (name, status)
    elif name == "reveal":
        assert status == (200 if revealer else 403), (name, status)
        if revealer:
            assert MARK.encode() in response.content          # the reporter's name, decrypted
    elif name in ("from_petition", "intake"):
        assert status == (200 if handler else 403), (name, status)
    elif name == "ledger":
        assert status == 200 and MARK in xlsx_text(response)
    elif name == "ledger_identities":
        if revealer:
            assert status == 200 and xlsx_text(response).count(MARK) > xlsx_text_plain_count(p)
        else:
            assert status == 403, (name, status)


def xlsx_text_plain_count(p) -> int:
    """How often MARK is in the ledger without identities (subject and content only)."""
    import io

    from openpyxl import load_workbook

    from xuncha.petitions import ledger
    wb = load_workbook(io.BytesIO(ledger.petition_ledger(p.round, None)))
    return " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                    if c.value is not None).count(MARK)


NAMES = ["detail", "attachment", "reply", "triage", "classify", "link", "reveal", "from_petition", "round",
         "intake", "ledger", "ledger_identities"]


@pytest.mark.parametrize("username", EVERYONE)
@pytest.mark.parametrize("which", ["city", "county"])
def test_every_url_every_role(client_as, targets, username, which):
    p = targets[which]
    readers = CITY_READERS if which == "city" else COUNTY_READERS
    c = client_for(client_as, username)
    status_before = Petition.objects.get(pk=p.pk).status
    for name, (method, url, data) in zip(NAMES, petition_urls(p), strict=True):
        response = getattr(c, method)(url, data)
        if username not in readers:
            assert_denied(response, username)
        else:
            check_allowed(name, response, username, which, p)
    p.refresh_from_db()
    if username not in readers:
        assert p.status == status_before
        assert p.messages.count() == 1
    elif username in HANDLERS[which]:
        assert p.status == "closed" and p.messages.count() == 3        # supplement, reply, triage
    else:                                                               # a city office reading a county round
        assert p.status == status_before and p.messages.count() == 1


@pytest.mark.parametrize("username", ["hy_zz", "hy_xcb", "zuyuan2", "rfb", "sq_rfb", "jiwei", "leader"])
def test_guessed_sequential_ids(client_as, demo, targets, username):
    c = client_as(username)
    top = Petition.objects.order_by("-pk").first().pk
    for pk in range(1, top + 3):
        assert_denied(c.get(reverse("petitions:detail", args=[pk])), username)
    from xuncha.policy.rounds import confidential_rounds
    from xuncha.rounds.models import Round
    own = set(confidential_rounds(demo[username]).values_list("pk", flat=True))
    assert username != "hy_zz" or own      # hy_zz reads his own round only
    for rid in Round.objects.exclude(pk__in=own).values_list("pk", flat=True):
        assert_denied(c.get(reverse("petitions:round", args=[rid])), username)
        assert_denied(c.get(reverse("petitions:ledger", args=[rid])), username)


def test_index_lists_only_readable_rounds(client_as, targets):
    page = client_as("hy_zz").get(reverse("petitions:index")).content.decode()
    assert "汉阴县" in page and "石泉县" not in page and "2026年人防系统腐败问题专项巡察" not in page
    assert client_as("rfb").get(reverse("petitions:index")).status_code == 404
    assert "信访举报" not in client_as("rfb").get("/").content.decode()


def test_readers_do_see_it(client_as, targets):
    assert MARK in client_as("zuyuan").get(reverse("petitions:detail", args=[targets["city"].pk])).content.decode()
    assert MARK in client_as("xcb").get(reverse("petitions:detail", args=[targets["county"].pk])).content.decode()


def test_home_panel_for_team_not_for_unit(client_as, targets):
    assert "待研判的信访举报件" in client_as("zuyuan").get("/").content.decode()
    for username in ("rfb", "leader", "jiwei"):
        assert "待研判的信访举报件" not in client_as(username).get("/").content.decode()
