"""The demo questionnaires read like seed 000: 白河 39 forms (already in its work log), 宁陕 32 residents."""

from __future__ import annotations

from django.urls import reverse

from xuncha.surveys.models import Response, Survey
from xuncha.surveys.services import tallies


def test_demo_questionnaires(demo, client_as):
    bh = Survey.objects.filter(round__jurisdiction__name="白河县")
    assert set(bh.values_list("title", flat=True)) == {"人防系统专项巡察工作问卷调查", "专项巡察征求意见表", "专项巡察民主测评表"}
    assert Response.objects.filter(survey__in=bh).count() == 39
    assert all(tallies(s)["new_returned"] == 0 for s in bh)
    ns = Survey.objects.get(round__jurisdiction__name="宁陕县")
    assert ns.status == "open" and tallies(ns)["returned"] == 32 and tallies(ns)["issued"] == 35
    assert "收回 32 份尚未记入工作日志" in client_as("ns_zz").get("/").content.decode()
    page = client_as("xcb").get(reverse("surveys:results", args=[ns.pk])).content.decode()
    assert "知晓率" in page and "共收回" in page
