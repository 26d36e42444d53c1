"""Staff intake (gapless serials), duplicates, classification, reveal with reason, audit."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.petitions import services
from xuncha.petitions.models import Link, Petition
from xuncha.rounds.models import Category

pytestmark = pytest.mark.django_db


def test_serials_are_per_round_and_gapless(city_round, county_round, make_petition):
    a = make_petition(county_round)
    b = make_petition(county_round)
    c = make_petition(city_round)
    assert (a.serial, b.serial) == ("石泉县XF2026-1-001", "石泉县XF2026-1-002")
    assert c.serial == "安康市XF2026-1-004"          # the city round has 3 demo petitions


def test_rejected_intake_consumes_no_serial(county_round, make_petition, demo):
    make_petition(county_round)
    with pytest.raises(ValidationError):
        services.intake(demo["sq_zz"], county_round, services.ReportData(subject_name="", content="x"),
                        channel=Petition.Channel.PHONE)
    assert make_petition(county_round).serial == "石泉县XF2026-1-002"


def test_intake_page_by_team_member(client_as, county_round):
    response = client_as("sq_zz").post(reverse("petitions:intake", args=[county_round.pk]), {
        "channel": "visit", "received_on": "2026-11-10", "anonymous": "0", "name": "来访人",
        "phone": "13700000000", "subject_name": "县人防办主任", "subject_title": "主任",
        "concerns_leadership": "on", "content": "来访反映主任违规审批。"})
    assert response.status_code == 302
    p = Petition.objects.get(round=county_round)
    assert p.channel == "visit" and p.concerns_leadership and p.serial == "石泉县XF2026-1-001"
    assert AuditEntry.objects.filter(action="petitions.create", object_id=str(p.pk)).exists()


def test_intake_refused_outside_team(county_round, demo):
    data = services.ReportData(subject_name="某人", content="内容")
    for username in ("zuzhang", "xcb", "rfb", "jiwei", "leader", "hy_zz"):
        with pytest.raises(PermissionDenied):
            services.intake(demo[username], county_round, data, channel=Petition.Channel.LETTER)
    assert not Petition.objects.filter(round=county_round).exists()
    services.intake(demo["sq_xcb"], county_round, data, channel=Petition.Channel.LETTER)


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_gets_distinct_gapless_serials(demo, county_round):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        # in-memory SQLite cannot be shared by threads: test_sqlite_concurrency.py uses a file database
        pytest.skip("threads need a file or server database")
    actor = demo["sq_zz"]
    errors, barrier = [], threading.Barrier(6)

    def work():
        try:
            barrier.wait()
            services.intake(actor, county_round, services.ReportData(subject_name="某人", content="内容"),
                            channel=Petition.Channel.LETTER)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Petition.objects.filter(round=county_round).values_list("serial_no", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_same_reporter_linked_by_fingerprint(county_round, make_petition):
    a = make_petition(county_round, subject="甲", content="反映甲的问题一", phone="139 1111 2222")
    b = make_petition(county_round, subject="乙", content="完全不同的另一件事情", phone="+86 13911112222")
    c = make_petition(county_round, subject="丙", content="无关", phone="13900000000")
    assert Link.objects.filter(petition=b, other=a, reason="同一反映人").exists()
    assert Link.objects.filter(petition=a, other=b).exists()
    assert not Link.objects.filter(petition=c).exists()


def test_same_matter_linked_by_similar_text(county_round, make_petition):
    text = "反映县人防办王某在2025年人防工程竣工验收中收受开发商红包两万元，并违规通过验收。"
    a = make_petition(county_round, subject="县人防办王某", content=text)
    b = make_petition(county_round, subject="县人防办 王某", content=text.replace("两万元", "约2万元") + "请核实。")
    c = make_petition(county_round, subject="县财政局李某", content="反映李某上班时间打牌。")
    assert Link.objects.filter(petition=b, other=a).exists()
    assert not Link.objects.filter(petition=c).exists()


def test_classify_only_with_round_taxonomy(county_round, make_petition, demo):
    from xuncha.rounds.models import Taxonomy
    taxonomies = list(Taxonomy.objects.filter(categories__isnull=False).distinct()[:2])
    assert len(taxonomies) == 2     # the built-in taxonomies
    county_round.taxonomy = taxonomies[0]
    county_round.save(update_fields=["taxonomy"])
    p = make_petition(county_round)
    foreign = Category.objects.filter(taxonomy=taxonomies[1]).first()
    with pytest.raises(ValidationError):
        services.classify(demo["sq_zz"], p, category=foreign, concerns_leadership=False,
                          status=Petition.Status.TRIAGED)
    own = Category.objects.filter(taxonomy=taxonomies[0]).first()
    services.classify(demo["sq_zz"], p, category=own, concerns_leadership=True,
                      status=Petition.Status.TRIAGED, handling="已研判")
    p.refresh_from_db()
    assert p.concerns_leadership and p.status == Petition.Status.TRIAGED and p.category == own
    # the public form offers only the round's own categories
    from django.test import Client
    html = Client().get(f"/petitions/public/{county_round.pk}/").content.decode()
    assert own.name in html and foreign.name not in html


@pytest.mark.parametrize("username,allowed", [
    ("zuzhang", True), ("xcb", True), ("admin", True),
    ("fuzuzhang", False), ("zuyuan", False), ("lianluo", False), ("zuyuan2", False),
    ("leader", False), ("rfb", False), ("jiwei", False), ("sq_xcb", False),
])
def test_reveal_only_office_and_team_leader(client_as, city_round, make_petition, username, allowed):
    p = make_petition(city_round, name="贺知章", phone="13600001111")
    before = AuditEntry.objects.filter(action="petitions.reveal_identity").count()
    response = client_as(username).post(reverse("petitions:reveal", args=[p.pk]), {"reason": "核实举报人身份"})
    page = response.content.decode()
    if allowed:
        assert response.status_code == 200 and "贺知章" in page and "13600001111" in page
        entry = AuditEntry.objects.filter(action="petitions.reveal_identity").latest("seq")
        assert entry.data["reason"] == "核实举报人身份" and entry.actor.username == username
    else:
        assert response.status_code in (403, 404) and "贺知章" not in page
        assert AuditEntry.objects.filter(action="petitions.reveal_identity").count() == before


def test_reveal_needs_a_reason(client_as, city_round, make_petition):
    p = make_petition(city_round, name="贺知章")
    response = client_as("zuzhang").post(reverse("petitions:reveal", args=[p.pk]), {"reason": ""})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="petitions.reveal_identity").exists()


def test_city_office_reads_county_round_but_cannot_act(client_as, county_round, make_petition):
    p = make_petition(county_round, name="贺知章")
    xcb = client_as("xcb")
    assert xcb.get(reverse("petitions:detail", args=[p.pk])).status_code == 200
    assert xcb.post(reverse("petitions:reply", args=[p.pk]), {"text": "答复"}).status_code == 403
    assert xcb.post(reverse("petitions:reveal", args=[p.pk]), {"reason": "核实身份需要"}).status_code == 403
    assert xcb.get(reverse("petitions:intake", args=[county_round.pk])).status_code == 403
    assert not p.messages.exists()


def test_every_view_is_audited(client_as, city_round, make_petition):
    p = make_petition(city_round)
    client_as("zuyuan").get(reverse("petitions:detail", args=[p.pk]))
    assert AuditEntry.objects.filter(kind="view", object_id=str(p.pk),
                                     object_type="petitions.petition").exists()
