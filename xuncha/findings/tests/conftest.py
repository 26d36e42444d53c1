"""Fixtures for the problem list (问题清单) tests: the demo city round, uploads, a problem."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def city_round(demo):
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="安康市", number=1, year=2026)


@pytest.fixture
def county_round(demo):
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)


@pytest.fixture
def city_unit(demo):
    from xuncha.orgs.models import Organization
    return Organization.objects.get(name="安康市人民防空办公室")


def png(name="现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="会议记录.pdf") -> SimpleUploadedFile:
    buf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


@pytest.fixture
def make_problem(demo, city_round, city_unit):
    """make_problem(**fields) -> a hand-entered problem of the city round, registered by 成员 zuyuan."""
    from xuncha.findings import services
    from xuncha.findings.models import Problem
    from xuncha.rounds.models import Category

    def make(round_=None, *, actor="zuyuan", **fields):
        round_ = round_ or city_round
        values = dict(source=Problem.Source.MANUAL, found_by=Problem.FoundBy.TALK, title="人防工程验收把关不严",
                      description="3个项目未经现场查验即出具验收意见",
                      category=Category.objects.get(taxonomy_id=round_.taxonomy_id, code="RF9-2-2")
                      if round_.taxonomy_id else None,
                      responsible_unit=city_unit if round_ == city_round else None,
                      responsible_person="王某（工程科科长）", amount="120000", amount_to_recover="30000")
        values.update(fields)
        return services.create_problem(round_=round_, actor=demo[actor], **values)

    return make
