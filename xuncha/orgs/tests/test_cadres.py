"""The 巡察干部库 pages: the office (and administrator) of a scope keeps its cadres' records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.orgs.models import CareerEntry, Organization, RelativeEntry

pytestmark = pytest.mark.django_db


def test_who_sees_the_cadre_library(client_as, demo):
    zuyuan = demo["zuyuan"]
    for who in ("xcb", "admin"):
        page = client_as(who).get(reverse("orgs:cadres")).content.decode()
        assert "张伟" in page and "巡察干部库" in client_as(who).get("/").content.decode()
        detail = client_as(who).get(reverse("orgs:cadre", args=[zuyuan.pk])).content.decode()
        assert "安康市财政局" in detail and "张军" in detail
    for who in ("zuzhang", "zuyuan", "leader", "rfb", "jiwei"):
        assert client_as(who).get(reverse("orgs:cadres")).status_code == 403, who
        assert client_as(who).get(reverse("orgs:cadre", args=[zuyuan.pk])).status_code in (403, 404), who
        assert "巡察干部库" not in client_as(who).get("/").content.decode()
    # a county office keeps its own county's cadres only
    assert client_as("sq_xcb").get(reverse("orgs:cadre", args=[zuyuan.pk])).status_code == 404
    assert client_as("sq_xcb").get(reverse("orgs:cadre", args=[demo["sq_zz"].pk])).status_code == 200
    assert "张伟" not in client_as("sq_xcb").get(reverse("orgs:cadres")).content.decode()


def test_office_records_units_and_relatives(client_as, demo):
    cadre = demo["zuyuan2"]
    c = client_as("xcb")
    finance = Organization.objects.get(name="安康市财政局")
    assert c.post(reverse("orgs:cadre", args=[cadre.pk]), {"home_unit": finance.pk, "home_since": "2019"}
                  ).status_code == 302
    c.post(reverse("orgs:cadre_career", args=[cadre.pk]), {"organization": finance.pk, "post": "科员",
                                                          "start_year": "2016", "end_year": "2012"})
    assert not CareerEntry.objects.filter(profile__user=cadre).exists()      # end before start refused
    c.post(reverse("orgs:cadre_career", args=[cadre.pk]), {"organization": finance.pk, "post": "科员",
                                                          "start_year": "2012", "end_year": "2016"})
    c.post(reverse("orgs:cadre_relative", args=[cadre.pk]), {"relation": "child", "name": "马小", "post": "",
                                                            "organization": finance.pk})
    entry = CareerEntry.objects.get(profile__user=cadre)
    assert RelativeEntry.objects.filter(profile__user=cadre, name="马小").exists()
    page = c.get(reverse("orgs:cadre", args=[cadre.pk])).content.decode()
    assert "2012—2016" in page and "马小" in page
    c.post(reverse("orgs:cadre_entry_remove", args=[cadre.pk, "career", entry.pk]))
    assert not CareerEntry.objects.filter(pk=entry.pk).exists()
    actions = set(AuditEntry.objects.filter(object_id=str(cadre.pk), object_type="orgs.user")
                  .values_list("action", flat=True))
    assert {"cadre.profile", "cadre.career_add", "cadre.relative_add", "cadre.entry_remove"} <= actions
    # nobody else changes it
    assert client_as("zuzhang").post(reverse("orgs:cadre_relative", args=[cadre.pk]), {
        "relation": "child", "name": "冒名", "organization": finance.pk}).status_code in (403, 404)
    assert not RelativeEntry.objects.filter(name="冒名").exists()
