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
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.http import FileResponse, Http404

from . import checks
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
    """The file's type by its content alone (Office files by their zip parts, inflated and checked)."""
    kind = checks.sniff_head(data[:16])
    if kind != "zip":
        return kind
    try:
        return checks.zip_kind(checks.inspect_zip(io.BytesIO(data)))
    except checks.Refused:
        return None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')


def clean_name(name: str) -> str:
    """The uploader's name as display text: no folders, no control characters or quotes."""
    name = Path(str(name or "附件").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[-150:] or "附件"


def download_name(name: str, kind: str) -> str:
    """A safe download name whose extension is the detected kind's (证据.bat → 证据.pdf)."""
    stem = Path(clean_name(name)).stem or "附件"
    ext = "jpg" if kind == "jpg" else kind
    return f"{stem[:120]}.{ext}"


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
    try:
        return checks.content_kind(f, name, kinds, max_expanded=max(checks.MAX_EXPANDED, max_size * 8))
    except checks.Refused as exc:
        raise ValidationError(f"文件“{name}”的类型不允许（{exc}），只接受 {kinds_label(kinds)} 文件"
                              "（按扩展名和文件内容一并判断）。") from exc
    finally:
        f.seek(0)


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


def _served(handle, name: str, kind: str) -> FileResponse:
    """Always a download (never shown inline), under a safe name, with the detected type."""
    response = FileResponse(handle, as_attachment=True, filename=download_name(name, kind),
                            content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def file_response(stored: StoredFile, *, as_attachment: bool = True) -> FileResponse:  # noqa: ARG001
    """Serve a stored file with its detected type and a safe name; never cached, never inline."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return _served(handle, stored.original_name, stored.kind)


def path_response(path: Path, *, name: str, kind: str) -> FileResponse:
    """Serve a file kept outside ``StoredFile`` (信访件、线索的附件) the same way as ``file_response``."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在。") from exc
    return _served(handle, name, kind)
