"""Upload limits enforced while the body streams in (上传大小限制), and temporary files that cannot outlive
their request.

- ``RequestSizeMiddleware`` answers 413 before reading a body whose declared length is over
  ``XUNCHA_MAX_REQUEST_BYTES`` for the public (signed-in staff: ``XUNCHA_MAX_STAFF_UPLOAD_BYTES``
  plus 10 MB; ``xuncha serve`` gives waitress the larger cap, so nothing bigger is even buffered),
  and 400 to a length that is not a number.
- ``BoundedUploadHandler`` keeps each uploaded file in an anonymous temporary file (created already
  unlinked in ``XUNCHA_HOME/tmp``: a killed or dropped request leaves nothing on disk) and stops
  keeping bytes once a file is over ``XUNCHA_MAX_UPLOAD_BYTES``; it still counts them, so
  ``check_upload`` refuses the file with a message naming it instead of a bare error.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse

MB = 1024 * 1024


def _staff(request) -> bool:
    user = getattr(request, "user", None) if request is not None else None
    return bool(user is not None and user.is_authenticated)


def max_upload_bytes(request=None) -> int:
    """Per file: the public's limit, or the signed-in staff's (data files for 数据比对 are larger)."""
    if _staff(request):
        return getattr(settings, "XUNCHA_MAX_STAFF_UPLOAD_BYTES", 200 * MB)
    return getattr(settings, "XUNCHA_MAX_UPLOAD_BYTES", 10 * MB)


def max_request_bytes(request=None) -> int:
    if request is None:           # the server's own cap: the largest any request may be
        return max(getattr(settings, "XUNCHA_MAX_REQUEST_BYTES", 60 * MB),
                   getattr(settings, "XUNCHA_MAX_STAFF_UPLOAD_BYTES", 200 * MB) + 10 * MB)
    if _staff(request):
        return getattr(settings, "XUNCHA_MAX_STAFF_UPLOAD_BYTES", 200 * MB) + 10 * MB
    return getattr(settings, "XUNCHA_MAX_REQUEST_BYTES", 60 * MB)


def temp_dir() -> Path:
    path = Path(getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or Path(settings.XUNCHA_HOME) / "tmp")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def purge_temp_dir() -> int:
    """Remove what older versions left in the upload temp folder (run when the server starts)."""
    removed = 0
    for item in temp_dir().iterdir():
        if item.is_file():
            item.unlink(missing_ok=True)
            removed += 1
    return removed


class BoundedUpload(UploadedFile):
    """An upload kept in an anonymous temporary file; ``size`` counts every byte received."""

    def __init__(self, file, name, content_type, size, charset, content_type_extra=None, *, complete=True):
        super().__init__(file, name, content_type, size, charset, content_type_extra)
        self.complete = complete

    def open(self, mode=None):  # noqa: ARG002
        self.file.seek(0)
        return self


class BoundedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
                                                  dir=temp_dir())
        self.received = 0
        self.limit = max_upload_bytes(self.request)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= self.limit:
            self.file.write(raw_data)
        elif self.file.tell():
            self.file.seek(0)
            self.file.truncate()      # over the limit: keep nothing more, only count
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return BoundedUpload(self.file, self.file_name, self.content_type, self.received, self.charset,
                             self.content_type_extra, complete=self.received <= self.limit)


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return HttpResponse("请求格式错误（长度无效）。", status=400, content_type="text/plain; charset=utf-8")
        if length < 0:
            return HttpResponse("请求格式错误（长度无效）。", status=400, content_type="text/plain; charset=utf-8")
        if length > max_request_bytes(request):
            response = HttpResponse(
                f"提交的内容过大（上限 {max_request_bytes(request) // MB} MB）。请压缩附件或分次提交。",
                status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)
