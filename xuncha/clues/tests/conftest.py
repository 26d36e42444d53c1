"""Fixtures for clue tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def city_round(demo):
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="安康市", number=1, year=2026)


@pytest.fixture
def county_round(demo):
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)


@pytest.fixture
def make_clue(demo):
    """make_clue(round, leadership=False, **fields) -> Clue registered by the round's 组长."""
    from xuncha.clues import services

    def make(round_, *, leadership=False, person="某科员", level="general", summary="线索内容", username=None):
        actor = demo[username or ("zuzhang" if round_.jurisdiction.parent_id is None else "sq_zz")]
        return services.create_clue(actor, round_, services.ClueData(
            person=person, summary=summary, level=level, concerns_leadership=leadership))

    return make


@pytest.fixture
def orgs(demo):
    from xuncha.orgs.models import Organization

    def get(jurisdiction_name, kind=None, suffix=None):
        qs = Organization.objects.filter(jurisdiction__name=jurisdiction_name)
        if kind:
            qs = qs.filter(kind=kind)
        if suffix:
            qs = qs.filter(name__endswith=suffix)
        return qs.get()

    return get
