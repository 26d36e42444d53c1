"""Built-in taxonomies shipped by the data migration; offices copy and edit their own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuncha.rounds import taxonomies
from xuncha.rounds.models import Category, Taxonomy


@pytest.mark.django_db
def test_builtin_taxonomies_are_shipped():
    rf9 = Taxonomy.objects.get(code="RF-9")
    assert rf9.builtin and rf9.categories.filter(parent__isnull=True).count() == 3
    assert rf9.categories.filter(parent__isnull=False).count() == 9
    assert rf9.categories.filter(name__contains="随意“减免缓”").exists()
    check = Taxonomy.objects.get(code="RF-JC")
    tops = dict(check.categories.filter(parent__isnull=True).values_list("code", "name"))
    assert tops == {"RF-ZT": "主体责任不到位", "RF-SP": "人防项目违规审批验收",
                    "RF-YD": "易地建设费违规减免使用", "RF-CZ": "人防工程出租牟利",
                    "RF-WG": "违规审批和作风问题"}
    regular = Taxonomy.objects.get(code="CG-3JJ")
    names = list(regular.categories.filter(parent__code="XZ").values_list("name", flat=True))
    assert names == ["政治问题", "责任问题", "作风问题", "腐败问题"]
    assert regular.categories.filter(parent__code="JJ2").count() == 5


def test_copy_and_edit(demo, client_as):
    rf = Taxonomy.objects.get(code="RF-JC")
    with pytest.raises(PermissionDenied):
        taxonomies.save_category(demo["xcb"], Category(taxonomy=rf, code="RF-X", name="x"))
    copy = taxonomies.copy_taxonomy(demo["xcb"], rf)
    assert copy.jurisdiction == demo["xcb"].organization.jurisdiction and not copy.builtin
    assert copy.categories.count() == rf.categories.count()
    child = copy.categories.get(code="RF-SP-1")
    assert child.parent.code == "RF-SP" and child.parent.taxonomy == copy
    c = client_as("xcb")
    resp = c.post(reverse("rounds:category_create", args=[copy.pk]),
                  {"parent": str(copy.categories.get(code="RF-CZ").pk), "code": "RF-CZ-3", "name": "人防车位违规出售",
                   "order": "3"})
    assert resp.status_code == 302
    assert copy.categories.filter(code="RF-CZ-3", parent__code="RF-CZ").exists()
    # a county office and a team member cannot edit the city's taxonomy; the built-in stays read-only
    assert client_as("sq_xcb").get(reverse("rounds:taxonomy_edit", args=[copy.pk])).status_code == 404
    assert client_as("zuzhang").get(reverse("rounds:taxonomy_edit", args=[copy.pk])).status_code == 403
    assert c.get(reverse("rounds:taxonomy_edit", args=[rf.pk])).status_code == 403
    assert client_as("rfb").get(reverse("rounds:taxonomies")).status_code == 403
    assert c.post(reverse("rounds:category_create", args=[rf.pk]), {"code": "Z", "name": "z"}).status_code == 403
    assert not rf.categories.filter(code="Z").exists()


def test_new_taxonomy_page(demo, client_as):
    c = client_as("sq_xcb")
    resp = c.post(reverse("rounds:taxonomy_create"), {"code": "SQ-1", "name": "石泉县自定分类"})
    t = Taxonomy.objects.get(code="SQ-1")
    assert resp.status_code == 302 and t.jurisdiction.name == "石泉县"
    # the city office sees it (scope), but may not edit the county's own taxonomy
    assert client_as("xcb").get(reverse("rounds:taxonomy", args=[t.pk])).status_code == 200
    assert client_as("xcb").get(reverse("rounds:taxonomy_edit", args=[t.pk])).status_code == 403
    assert client_as("hy_xcb").get(reverse("rounds:taxonomy", args=[t.pk])).status_code == 404
