"""后台任务进程 (task workers): each running ``xuncha worker`` beats here every few seconds.

The heartbeat tells ``xuncha doctor`` whether a worker lives, and tells a starting worker which jobs
were cut off: a job left "running" by a worker whose heartbeat stopped (killed, server restarted) is
handed to the app that owns it, which marks it failed with the reason (``health.recover``).
"""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """任务进程心跳."""

    worker_id = models.CharField("任务进程编号", max_length=64, unique=True)
    hostname = models.CharField("主机", max_length=200)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳")
    stopped_at = models.DateTimeField("正常退出时间", null=True, blank=True)

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = verbose_name
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}（{self.worker_id}）"
