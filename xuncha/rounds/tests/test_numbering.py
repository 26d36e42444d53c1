"""One numbering mechanism (rounds.numbering): readable, with place, year and round; parsed back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.rounds import numbering
from xuncha.rounds.models import RecordCounter, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(demo):
    return {"city": Round.objects.get(jurisdiction__name="安康市", year=2026, number=1),
            "county": Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)}


def test_serials_per_round_and_kind(rounds):
    r = rounds["county"]
    assert [numbering.next_serial(r, "clue") for _ in range(3)] == [1, 2, 3]
    assert numbering.next_serial(r, "petition") == 1          # another kind counts apart
    assert RecordCounter.objects.get(round=r, kind="clue").last == 3
    with pytest.raises(ValueError):
        numbering.next_serial(r, "unknown")


def test_code_and_parse(rounds):
    code = numbering.code(rounds["city"], "petition", 3)
    assert code == "安康市XF2026-1-003"
    parsed = numbering.parse(code)
    assert (parsed.place, parsed.kind, parsed.year, parsed.round_number, parsed.serial) == (
        "安康市", "petition", 2026, 1, 3)
    assert numbering.parse(" 石泉县 xs2026 - 1 - 12 ").kind == "clue"
    for text in ("", "2026-003", "安康市AB2026-1-003", "XF26-1-1", "安康市XF2026-1-"):
        assert numbering.parse(text) is None, text


def test_serial_in_round(rounds):
    city, county = rounds["city"], rounds["county"]
    assert numbering.serial_in_round("3", city, "petition") == 3
    assert numbering.serial_in_round("安康市XF2026-1-003", city, "petition") == 3
    assert numbering.serial_in_round("XF2026-1-3", city, "petition") == 3
    assert numbering.serial_in_round("石泉县XF2026-1-003", city, "petition") is None     # another place
    assert numbering.serial_in_round("安康市XF2026-2-003", city, "petition") is None     # another round
    assert numbering.serial_in_round("安康市XS2026-1-003", city, "petition") is None     # a clue number
    assert numbering.serial_in_round("石泉县XF2026-1-001", county, "petition") == 1


def test_link_by_the_full_number(client_as, rounds):
    from xuncha.petitions.models import Link, Petition

    city = rounds["city"]
    first, third = Petition.objects.get(round=city, serial_no=1), Petition.objects.get(round=city, serial_no=3)
    response = client_as("zuzhang").post(reverse("petitions:link", args=[first.pk]),
                                         {"other": third.serial, "reason": "同一事项重复反映"})
    assert response.status_code == 302
    assert Link.objects.filter(petition=first, other=third).exists()
