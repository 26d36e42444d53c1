"""Stored uploads (上传文件): one row per file any user uploaded (evidence, final reports, data files).

The file lies under ``MEDIA_ROOT`` (outside the web root) under a random name; the uploader's name is
kept only as text for display. Records that own files (an evidence list, a report version, a data
upload) point to a ``StoredFile``; who may download it is decided by the owner's policy, and the
download goes through ``xuncha.files.services.file_response``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def _stored_path(instance: StoredFile, filename: str) -> str:
    now = timezone.now()
    return f"store/{now:%Y}/{now:%m}/{secrets.token_hex(20)}.{instance.kind}"


class StoredFile(models.Model):
    """上传文件: content checked on upload, stored under a random name, hashed (SHA-256)."""

    file = models.FileField("文件", upload_to=_stored_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    kind = models.CharField("类型", max_length=10, help_text="按文件内容判断的类型，如 pdf、docx")
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = verbose_name
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
