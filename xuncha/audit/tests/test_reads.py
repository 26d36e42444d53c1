"""Every read of a confidential record (view, print, attachment, export) leaves one audit entry,
written in one place (``xuncha.audit.reads``) below the views; a refused read leaves none."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.rounds.models import Round

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def records(demo):
    from xuncha.clues import services as clue_services
    from xuncha.clues.models import Disposal
    from xuncha.orgs.models import Organization
    from xuncha.petitions import services as petition_services

    round_ = Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)
    petition, _ = petition_services.intake(
        demo["zuzhang"], round_, petition_services.ReportData(subject_name="某科长", content="反映某科长问题。"),
        [SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")], channel="letter")
    clue = clue_services.create_clue_from_petition(demo["zuzhang"], petition, clue_services.ClueData(
        person="某科长", summary="反映某科长问题。"))
    clue_services.dispose(demo["zuzhang"], clue, kind=Disposal.Kind.DISCIPLINE,
                          receiver=Organization.objects.get(jurisdiction=round_.jurisdiction, kind="discipline"))
    return {"round": round_, "petition": petition, "clue": clue,
            "attachment": petition.attachments.get()}


def reads(r):
    p, c, a, rid = r["petition"], r["clue"], r["attachment"], r["round"].pk
    return [
        ("zuyuan", "get", reverse("petitions:detail", args=[p.pk]), {}, p),
        ("zuyuan", "get", reverse("petitions:attachment", args=[p.pk, a.pk]), {}, p),
        ("zuyuan", "get", reverse("petitions:ledger", args=[rid]), {}, r["round"]),
        ("zuzhang", "post", reverse("petitions:ledger", args=[rid]), {"reason": "核实反映人需要"}, r["round"]),
        ("zuyuan", "get", reverse("clues:detail", args=[c.pk]), {}, c),
        ("zuyuan", "get", reverse("clues:handover", args=[c.pk]), {}, c),
        ("zuyuan", "get", reverse("clues:ledger", args=[rid]), {}, r["round"]),
        ("jiwei", "get", reverse("clues:detail", args=[c.pk]), {}, c),
        ("jiwei", "get", reverse("clues:handover", args=[c.pk]), {}, c),
        ("jiwei", "get", reverse("clues:attachment", args=[c.pk, a.pk]), {}, c),
    ]


def read_entries(user, target):
    return AuditEntry.objects.filter(kind="view", actor=user, action__startswith="read.",
                                     object_type=target._meta.label_lower, object_id=str(target.pk))


@pytest.mark.parametrize("index", range(10))
def test_each_confidential_read_is_audited_once(client_as, demo, records, index):
    username, method, url, data, target = reads(records)[index]
    before = read_entries(demo[username], target).count()
    response = getattr(client_as(username), method)(url, data)
    assert response.status_code == 200, url
    entries = read_entries(demo[username], target)
    assert entries.count() == before + 1, url
    assert entries.latest("seq").summary.startswith(("查阅", "下载附件", "导出"))


@pytest.mark.parametrize("username", ["rfb", "leader", "zuyuan2", "hy_zz"])
def test_a_refused_read_is_not_logged_as_a_read(client_as, demo, records, username):
    for _who, method, url, data, _target in reads(records):
        response = getattr(client_as(username), method)(url, data)
        assert response.status_code in (403, 404), url
    assert not AuditEntry.objects.filter(actor=demo[username], kind="view").exists()


def test_views_do_not_write_the_audit_trail_of_reads_themselves():
    """One place: the views of petitions and clues call selectors, never the audit services."""
    root = Path(__file__).resolve().parents[2]
    for name in ("petitions/views.py", "clues/views.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert "record_view" not in text and "audit.services" not in text, name
