"""Is the task worker alive, and which jobs did a dead worker leave "running"?

- ``worker_status()`` → (alive, message) for ``xuncha doctor`` (``xuncha.ops.doctor.WORKER_STATUS``).
- ``recover()``: run by every ``xuncha worker`` when it starts. A job the database still calls
  "running" whose worker is gone (its process no longer exists on this host, or its heartbeat stopped
  more than ``STALE_SECONDS`` ago) is marked failed with the reason, and the apps that own such jobs
  (``INTERRUPTED_HANDLERS``) mark their own records failed with the same reason. Nothing is left
  "running" after a restart.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
STALE_SECONDS = 30
#: apps register f(task_result_id: str, reason: str) to fail their own record of an interrupted job
INTERRUPTED_HANDLERS: list[Callable[[str, str], None]] = []


class WorkerLost(Exception):
    """任务进程中断: the worker running the job stopped before the job finished."""


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) is dead too
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_gone(hb: WorkerHeartbeat | None, now=None) -> bool:
    """The worker of this heartbeat no longer runs."""
    if hb is None or hb.stopped_at is not None:
        return True
    now = now or timezone.now()
    if hb.hostname == socket.gethostname() and not pid_alive(hb.pid):
        return True
    return now - hb.seen_at > timedelta(seconds=STALE_SECONDS)


def _fmt(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def gone_reason(hb: WorkerHeartbeat | None) -> str:
    if hb is None:
        return "运行中断：执行该任务的任务进程已不存在（服务器重启或进程被终止），任务未完成，请重新运行。"
    return (f"运行中断：任务进程（{hb.hostname} 进程号 {hb.pid}）最后一次心跳在 {_fmt(hb.seen_at)}，"
            f"之后停止（服务器重启或进程被终止），任务未完成，请重新运行。")


def _queued():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY")


def worker_status() -> tuple[bool, str]:
    """(alive, Chinese message) of the task worker, for ``xuncha doctor``."""
    now = timezone.now()
    live = [hb for hb in WorkerHeartbeat.objects.filter(stopped_at__isnull=True) if not is_gone(hb, now)]
    queued = _queued()
    waiting = queued.count()
    if live:
        hb = live[0]
        return True, (f"任务进程在运行（{hb.hostname} 进程号 {hb.pid}，{int((now - hb.seen_at).total_seconds())} "
                      f"秒前心跳）；排队任务 {waiting} 个")
    oldest = queued.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    parts = ["后台任务进程未运行"]
    parts.append(f"最后一次心跳在 {_fmt(last.seen_at)}" if last else "从未启动过")
    if waiting:
        parts.append(f"有 {waiting} 个任务在排队（最早的排队于 {_fmt(oldest)}）")
    return False, "，".join(parts) + "。运行 xuncha worker（或 systemctl start xuncha-worker）。"


def recover() -> list[tuple[str, str]]:
    """Fail the jobs left "running" by a worker that is gone; return (task id, reason) of each."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    beats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    failed = []
    for result in DBTaskResult.objects.filter(status="RUNNING"):
        hb = beats.get(result.worker_ids[-1]) if result.worker_ids else None
        if not is_gone(hb, now):
            continue
        reason = gone_reason(hb)
        result.set_failed(WorkerLost(reason))
        task_id = str(result.id)
        for handler in INTERRUPTED_HANDLERS:
            try:
                handler(task_id, reason)
            except Exception:  # one app's failure must not keep the worker from starting
                logger.exception("interrupted-job handler failed for %s", task_id)
        failed.append((task_id, reason))
    return failed
