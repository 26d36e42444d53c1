"""Document templates (公文模板): a jurisdiction may replace a shipped default with its own .docx."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xuncha.orgs.models import Jurisdiction


class DocumentKind(models.TextChoices):
    PLAN = "plan", "巡察工作方案"
    ANNOUNCEMENT = "announcement", "巡察公告"
    AGENDA = "agenda", "动员会议程"
    PLEDGE = "pledge", "巡察承诺书"
    BRIEFING = "briefing", "进度通报"


def _upload_path(instance, filename: str) -> str:
    return f"doc_templates/{instance.jurisdiction_id}/{instance.kind}.docx"


class TemplateOverride(models.Model):
    """本单位公文模板: stored under MEDIA_ROOT (outside the web root), never served directly."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="所属区域", on_delete=models.CASCADE,
                                     related_name="+")
    kind = models.CharField("公文", max_length=20, choices=DocumentKind.choices)
    file = models.FileField("模板文件", upload_to=_upload_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "公文模板"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "kind"], name="template_unique_kind")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.get_kind_display()}"
