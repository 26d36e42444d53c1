"""码上巡察: the 巡察公告 (.docx and the pages) carries a QR code of the public report link, built on the
configured public address (XUNCHA_PUBLIC_URL), never on the address the office opened the page with."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from xuncha.documents.tests.render import needs_libreoffice, to_pdf, to_png
from xuncha.documents.tests.test_documents import docx_text

from .qr import decode_png

PUBLIC = "https://xuncha.ankang.example.cn"


def _announcement(client, r, **extra) -> bytes:
    resp = client.get(reverse("documents:round_doc", args=[r.pk, "announcement"]), **extra)
    assert resp.status_code == 200
    return resp.content


@needs_libreoffice
def test_announcement_docx_qr_code_reads_back_as_the_public_address(demo, onsite, client_as, settings, tmp_path):
    settings.XUNCHA_PUBLIC_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]
    data = _announcement(client_as("xcb"), onsite, HTTP_HOST="127.0.0.1")
    link = PUBLIC + reverse("petitions:public_report", kwargs={"round_id": onsite.pk})
    text = docx_text(data)
    assert link in text and "127.0.0.1" not in text and "扫码反映问题" in text
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert len(media) == 1
    # print it (LibreOffice → PDF → image) and scan the printed page
    pdf = to_pdf({"announcement": data}, tmp_path)["announcement"]
    found = [t for png in to_png(pdf, dpi=150) for t in decode_png(png.read_bytes())]
    assert found == [link]


def test_without_a_public_address_nothing_is_printed_from_the_request_host(demo, onsite, client_as, settings):
    settings.XUNCHA_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["*"]
    data = _announcement(client_as("xcb"), onsite, HTTP_HOST="127.0.0.1")
    text = docx_text(data)
    assert "127.0.0.1" not in text and "testserver" not in text and "网上反映" not in text
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    page = client_as("xcb").get(reverse("rounds:announcement", args=[onsite.pk])).content.decode()
    assert "XUNCHA_PUBLIC_URL" in page and 'id="report-qr"' not in page


def test_announcement_pages_show_the_qr_code_of_the_public_address(demo, onsite, client, client_as, settings):
    import segno

    settings.XUNCHA_PUBLIC_URL = PUBLIC + "/"
    link = PUBLIC + reverse("petitions:public_report", kwargs={"round_id": onsite.pk})
    for c in (client, client_as("xcb")):
        url = reverse("rounds:public_announcement" if c is client else "rounds:announcement", args=[onsite.pk])
        page = c.get(url).content.decode()
        assert 'id="report-qr"' in page and link in page
        assert segno.make(link, error="m").svg_inline(scale=4, title=link) in page
