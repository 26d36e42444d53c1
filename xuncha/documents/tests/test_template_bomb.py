"""Issue 14 item 2: a template built to explode is refused before parsing, and a parse that runs away
is killed in its own process while the server keeps answering."""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from xuncha.documents import services
from xuncha.documents.models import TemplateOverride
from xuncha.files.sandbox import SandboxError, render_template_isolated

pytestmark = pytest.mark.django_db


def bomb_template() -> bytes:
    """The default template with a document.xml that inflates to ~100 MB (~0.2 MB on disk)."""
    source = zipfile.ZipFile(services.default_template("plan"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                xml = source.read(info)
                body_end = xml.rindex(b"</w:body>")
                filler = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
                z.writestr(info.filename, xml[:body_end] + filler * 100_000 + xml[body_end:])
            else:
                z.writestr(info, source.read(info))
    return out.getvalue()


def test_inflating_template_is_refused_before_parsing(demo, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = bomb_template()
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    resp = client_as("xcb").post(reverse("documents:template_upload"),
                                 {"kind": "plan", "file": SimpleUploadedFile("方案.docx", data)}, follow=True)
    assert time.monotonic() - started < 15
    text = resp.content.decode()
    assert "模板文件不能使用" in text and "过大" in text
    assert not TemplateOverride.objects.exists()


def _runaway_template() -> bytes:
    doc = Document()
    doc.add_paragraph("{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_runaway_parse_is_killed_while_others_are_answered(client):
    answered = []

    def others():
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            answered.append(client.get("/accounts/login/").status_code)

    worker = threading.Thread(target=others)
    worker.start()
    with pytest.raises(SandboxError):
        render_template_isolated(_runaway_template(), {}, memory=256 * 1024 * 1024, cpu=3, wall=6)
    worker.join()
    assert len(answered) >= 5 and set(answered) == {200}


def test_good_template_still_renders_in_the_child():
    doc = Document()
    doc.add_paragraph("电话：{{ phone }}")
    out = io.BytesIO()
    doc.save(out)
    rendered = render_template_isolated(out.getvalue(), {"phone": "0915-1234567"})
    assert "0915-1234567" in "\n".join(p.text for p in Document(io.BytesIO(rendered)).paragraphs)
