"""Audit trail (审计日志): append-only, each entry chained to the previous one by a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002
        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    """审计记录: who did what to which record, when, from which address."""

    class Kind(models.TextChoices):
        CHANGE = "change", "状态变更"
        VIEW = "view", "查阅保密记录"
        LOGIN = "login", "登录"
        SYSTEM = "system", "系统"

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    action = models.CharField("操作", max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    ip = models.CharField("来源地址", max_length=45, blank=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=60, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    jurisdiction_id = models.PositiveBigIntegerField(
        "所属辖区", null=True, blank=True, db_index=True,
        help_text="记录所涉对象所在的辖区（审计日志按辖区查看）；全系统的操作（如备份）为空")
    prev_hash = models.CharField("上一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = verbose_name
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除。")


class AuditHead(models.Model):
    """The chain's head: one row, locked while an entry is appended so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"审计链头 #{self.seq}"
