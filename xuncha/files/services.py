"""Checking, storing and serving uploads (上传文件). Every app's uploads go through here.

- ``check_upload(f, kinds=...)``: the file's real type by its content, refused with a message that
  names the file when it is empty, too large or not of an allowed kind. Nothing is stored.
- ``store_upload(f, actor=..., kinds=...)``: check, then store under a random name with its SHA-256.
- ``file_response(stored)``: serve with the detected content type and a safe download name.

Callers decide who may upload and download (through the policy package) and audit the read.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.http import FileResponse, Http404

from .models import StoredFile

MAX_SIZE = 10 * 1024 * 1024
#: kinds of evidence and attachments (证据材料、附件)
DOCUMENT_KINDS = ("pdf", "jpg", "png", "docx", "xlsx")
KIND_LABELS = {"pdf": "PDF", "jpg": "JPG", "png": "PNG", "docx": "DOCX", "xlsx": "XLSX", "xls": "XLS",
               "csv": "CSV"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv; charset=utf-8",
}


def kinds_label(kinds) -> str:
    return "、".join(KIND_LABELS.get(k, k.upper()) for k in kinds)


def sniff(data: bytes) -> str | None:
    """The file's real type by its content (Office files by their zip parts)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def looks_like_text(data: bytes) -> bool:
    """No NUL byte and no other control characters than tab and line breaks in the first 64 KB."""
    head = data[:65536]
    return not any(b < 9 or 13 < b < 32 and b != 27 for b in head)


def clean_name(name: str) -> str:
    name = Path(name or "附件").name.replace("\x00", "")
    return name[-150:] or "附件"


def _read_all(f) -> bytes:
    f.seek(0)
    data = f.read()
    f.seek(0)
    return data


def check_upload(f, *, kinds=DOCUMENT_KINDS, max_size: int = MAX_SIZE) -> str:
    """Validate one uploaded file; return its kind or raise ValidationError naming the file."""
    name = clean_name(f.name)
    if f.size > max_size:
        raise ValidationError(f"文件“{name}”超过 {max_size // (1024 * 1024)} MB。")
    if f.size == 0:
        raise ValidationError(f"文件“{name}”是空文件。")
    data = _read_all(f)
    kind = sniff(data)
    if kind is None and "csv" in kinds and name.lower().endswith(".csv") and looks_like_text(data):
        kind = "csv"   # a CSV has no signature: its name says so and its content must be text
    if kind is None or kind not in kinds:
        raise ValidationError(f"文件“{name}”的类型不允许，只接受 {kinds_label(kinds)} 文件（按文件内容判断）。")
    return kind


@transaction.atomic
def store_upload(f, *, actor=None, kinds=DOCUMENT_KINDS, max_size: int = MAX_SIZE) -> StoredFile:
    """Check and store one upload; the caller links the returned StoredFile to its record."""
    kind = check_upload(f, kinds=kinds, max_size=max_size)
    data = _read_all(f)
    stored = StoredFile(original_name=clean_name(f.name), kind=kind, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
    stored.file.save("upload", File(io.BytesIO(data)), save=False)
    stored.save()
    return stored


@transaction.atomic
def store_bytes(data: bytes, *, name: str, kind: str, actor=None) -> StoredFile:
    """Store a file the platform generated itself (e.g. a 签收回执 .docx)."""
    stored = StoredFile(original_name=clean_name(name), kind=kind, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
    stored.file.save("generated", File(io.BytesIO(data)), save=False)
    stored.save()
    return stored


def file_response(stored: StoredFile, *, as_attachment: bool = True) -> FileResponse:
    """Serve a stored file with its detected type and a safe name; never cached."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    response = FileResponse(handle, as_attachment=as_attachment, filename=stored.original_name,
                            content_type=CONTENT_TYPES.get(stored.kind, "application/octet-stream"))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
