import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xuncha.files import services


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.django_db
def test_store_upload_keeps_name_as_text_and_stores_under_random_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = b"%PDF-1.4 evidence"
    stored = services.store_upload(SimpleUploadedFile("../../证据.pdf", data))
    assert stored.original_name == "证据.pdf"
    assert stored.kind == "pdf" and stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert "证据" not in stored.file.name and stored.file.name.endswith(".pdf")
    assert stored.file.read() == data
    response = services.file_response(stored)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_kinds_are_checked_by_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    docx = SimpleUploadedFile("报告.docx", _docx_bytes())
    assert services.check_upload(docx, kinds=("docx",)) == "docx"
    with pytest.raises(ValidationError, match="报告.docx"):
        services.check_upload(docx, kinds=("pdf",))
    with pytest.raises(ValidationError, match="空文件"):
        services.check_upload(SimpleUploadedFile("空.pdf", b""))
    with pytest.raises(ValidationError, match="超过"):
        services.check_upload(SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 100), max_size=50)
    with pytest.raises(ValidationError, match="类型不允许"):
        services.check_upload(SimpleUploadedFile("x.pdf", b"MZ\x90\x00"))
