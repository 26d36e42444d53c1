"""Attachments (附件) of petitions: checked by ``xuncha.files`` (extension and whole content together),
stored under MEDIA_ROOT/petitions with random names, served through ``xuncha.files.path_response``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from xuncha.files import services as files

MAX_SIZE = files.MAX_SIZE
MAX_FILES = 5
KINDS = files.DOCUMENT_KINDS
ALLOWED_LABEL = files.kinds_label(KINDS)
CONTENT_TYPES = files.CONTENT_TYPES
clean_name = files.clean_name


def check(files_) -> list[tuple[object, str]]:
    """Validate uploaded files; return (file, kind) pairs or raise ValidationError (nothing stored)."""
    files_ = [f for f in files_ if f]
    if len(files_) > MAX_FILES:
        raise ValidationError(f"最多上传 {MAX_FILES} 个附件。")
    return [(f, files.check_upload(f, kinds=KINDS, max_size=MAX_SIZE)) for f in files_]


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "petitions"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def store(f, kind: str) -> tuple[str, int]:
    """Write the file under a random name (readable by the service user only); return (stored_name, size)."""
    stored = f"{secrets.token_hex(20)}.{kind}"
    f.seek(0)
    size = 0
    fd = os.open(storage_dir() / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
            size += len(chunk)
    return stored, size


def path_of(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name
