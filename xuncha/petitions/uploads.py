"""Attachments (附件): size and type checks by content, storage under MEDIA_ROOT with random names."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = 5
ALLOWED_LABEL = "PDF、JPG、PNG、DOCX、XLSX"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(head: bytes, data: bytes | None = None) -> str | None:
    """The file's real type by its magic bytes (and, for Office files, its zip content)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and data is not None:
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


def clean_name(name: str) -> str:
    name = Path(name or "附件").name.replace("\x00", "")
    return name[-150:] or "附件"


def check(files) -> list[tuple[object, str]]:
    """Validate uploaded files; return (file, kind) pairs or raise ValidationError (nothing stored)."""
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise ValidationError(f"最多上传 {MAX_FILES} 个附件。")
    checked = []
    for f in files:
        name = clean_name(f.name)
        if f.size > MAX_SIZE:
            raise ValidationError(f"附件“{name}”超过 10 MB，请压缩或分开提交。")
        if f.size == 0:
            raise ValidationError(f"附件“{name}”是空文件。")
        f.seek(0)
        data = f.read()
        f.seek(0)
        kind = sniff(data[:16], data)
        if kind is None:
            raise ValidationError(f"附件“{name}”的文件类型不允许，只接受 {ALLOWED_LABEL} 文件（按文件内容判断）。")
        checked.append((f, kind))
    return checked


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "petitions"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(f, kind: str) -> tuple[str, int]:
    """Write the file under a random name; return (stored_name, size)."""
    stored = f"{secrets.token_hex(20)}.{kind}"
    f.seek(0)
    size = 0
    with open(storage_dir() / stored, "xb") as out:
        for chunk in f.chunks():
            out.write(chunk)
            size += len(chunk)
    return stored, size


def path_of(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name
