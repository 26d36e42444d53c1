"""Fixtures for petitions tests: rounds, sample files, quick petitions."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    import docx
    d = docx.Document()
    d.add_paragraph("证明材料")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def files():
    class Files:
        @staticmethod
        def png(name="photo.png"):
            return SimpleUploadedFile(name, PNG, content_type="image/png")

        @staticmethod
        def pdf(name="material.pdf"):
            return SimpleUploadedFile(name, PDF, content_type="application/pdf")

        @staticmethod
        def docx(name="材料.docx"):
            return SimpleUploadedFile(name, docx_bytes(), content_type="application/octet-stream")

        @staticmethod
        def exe_as_pdf(name="报告.pdf"):
            return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")

        @staticmethod
        def html_as_png(name="x.png"):
            return SimpleUploadedFile(name, b"<script>alert(1)</script>", content_type="image/png")

    return Files


@pytest.fixture
def city_round(demo):
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="安康市", number=1, year=2026)


@pytest.fixture
def county_round(demo):
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)


@pytest.fixture
def make_petition(demo):
    """make_petition(round, user="zuzhang", **fields) -> Petition via the intake service."""
    from xuncha.petitions import services
    from xuncha.petitions.identity import Identity
    from xuncha.petitions.models import Petition

    def make(round_, username=None, *, subject="某科长", content="反映某科长收受好处费。", name="",
             phone="", id_number="", address="", leadership=False, channel=Petition.Channel.LETTER):
        actor = demo[username or ("zuzhang" if round_.jurisdiction.parent_id is None else "sq_zz")]
        named = bool(name or phone or id_number or address)
        data = services.ReportData(subject_name=subject, content=content, anonymous=not named,
                                   identity=Identity(name=name, phone=phone, id_number=id_number,
                                                     address=address),
                                   concerns_leadership=leadership)
        petition, _secret = services.intake(actor, round_, data, channel=channel)
        return petition

    return make
