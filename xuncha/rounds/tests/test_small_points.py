"""Smaller points of the front half: the timeline's 计划汇报日期, taxonomy pages without developers'
notes, a closed round's report link answered with a page and the office's contacts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.rounds import selectors
from xuncha.rounds.models import Round, Taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_round(demo):
    return Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)


def test_timeline_uses_the_entered_report_date(client_as, city_round):
    assert (city_round.planned_end, city_round.planned_report) == (date(2026, 12, 4), date(2026, 12, 11))
    rows = {r["stage"]: r for r in selectors.timeline(city_round)}
    assert rows["汇报"]["planned"] == date(2026, 12, 11)
    page = client_as("xcb").get(reverse("rounds:timeline", args=[city_round.pk])).content.decode()
    assert "2026-12-11" in page
    Round.objects.filter(pk=city_round.pk).update(planned_report=None)      # not entered: the end date
    rows = {r["stage"]: r for r in selectors.timeline(Round.objects.get(pk=city_round.pk))}
    assert rows["汇报"]["planned"] == date(2026, 12, 4)


def test_taxonomy_pages_carry_no_developers_notes(client_as):
    c = client_as("xcb")
    pages = [c.get(reverse("rounds:taxonomies")).content.decode()]
    pages += [c.get(reverse("rounds:taxonomy", args=[t.pk])).content.decode()
              for t in Taxonomy.objects.filter(builtin=True)]
    for page in pages:
        assert "seed" not in page.lower()
    assert "《中共礼县2019年人防系统专项巡察工作方案》" in pages[0]


@pytest.mark.parametrize("stage", ["reporting", "archived", "preparation"])
def test_closed_round_report_link_explains_and_gives_the_office(city_round, stage):
    Round.objects.filter(pk=city_round.pk).update(stage=stage)
    url = reverse("petitions:public_report", args=[city_round.pk])
    for response in (Client().get(url), Client().post(url, {"subject_name": "某人", "content": "内容",
                                                            "anonymous": "1"})):
        assert response.status_code == 200
        page = response.content.decode()
        assert ("尚未开始受理举报" if stage == "preparation" else "已结束受理举报") in page
        assert "中共安康市委巡察工作领导小组办公室" in page and "0915-3260900" in page
        assert "安康市委大院3号楼巡察办" in page
        assert 'name="content"' not in page                       # no form to fill in vain
    from xuncha.petitions.models import Petition
    assert not Petition.objects.filter(round=city_round, subject_name="某人").exists()
    assert Client().get(reverse("petitions:public_report", args=[999999])).status_code == 404
