"""Issue 14 item 6: the audit log shows a county administrator only his jurisdiction's entries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.audit.services import record, write_anchor
from xuncha.orgs.models import User
from xuncha.petitions.tests.conftest import city_round, county_round, make_petition  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(demo, city_round, county_round, make_petition):  # noqa: F811
    city_petition = make_petition(city_round)
    county_petition = make_petition(county_round)
    other_county_user = User.objects.filter(organization__jurisdiction__name="汉阴县").first()
    own_user = User.objects.filter(organization__jurisdiction__name="石泉县").exclude(username="sq_admin").first()
    record(None, "petitions.create", city_petition, summary="外辖区匿名举报MARK-CITY")
    record(demo["admin"], "user.create", other_county_user, summary="外辖区建账号MARK-ACCOUNT")
    record(None, "ops.backup", None, summary="备份到 /srv/backup/MARK-BACKUP.tar")
    record(demo["admin"], "user.create", demo["admin"], summary="市级账号MARK-CITYUSER")
    record(None, "petitions.create", county_petition, summary="本县匿名举报MARK-OWN")
    record(demo["sq_admin"], "user.create", own_user, summary="本县建账号MARK-OWNUSER")
    write_anchor()     # (records here are not committed, so no checkpoint was written after them)


def page(client, **params):
    return client.get(reverse("audit:list"), params).content.decode()


def test_county_admin_sees_only_his_jurisdiction(entries, client_as):
    text = page(client_as("sq_admin"))
    assert "MARK-OWN" in text and "MARK-OWNUSER" in text
    for other in ("MARK-CITY", "MARK-ACCOUNT", "MARK-BACKUP", "MARK-CITYUSER"):
        assert other not in text, other
    assert "外辖区匿名举报" not in page(client_as("sq_admin"), q="MARK-CITY")


def test_city_admin_sees_the_city_and_its_counties(entries, client_as):
    text = page(client_as("admin"))
    for mark in ("MARK-CITY", "MARK-ACCOUNT", "MARK-BACKUP", "MARK-CITYUSER", "MARK-OWN", "MARK-OWNUSER"):
        assert mark in text, mark


def test_whole_chain_count_only_for_the_top_level(entries, client_as):
    county = client_as("sq_admin").post(reverse("audit:verify"), follow=True).content.decode()
    assert "审计链完整" in county and "共核验" not in county
    city = client_as("admin").post(reverse("audit:verify"), follow=True).content.decode()
    assert "共核验" in city
