"""xuncha worker: run the background jobs (数据比对 …) of Django's task framework.

On start it marks the jobs a dead worker left "running" as failed with the reason
(``xuncha.tasks.health.recover``), then beats every few seconds while it runs. Started by
``xuncha serve`` (``XUNCHA_WORKER_PARENT``), it stops itself when that server is gone — killed
outright, the server cannot stop it, and a restarted server starts a worker of its own.
"""

import gc
import os
import secrets
import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from xuncha.tasks import health
from xuncha.tasks.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "启动后台任务进程（数据比对等），在前台运行直到按 Ctrl+C。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完排队的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="无任务时每隔多少秒查看一次（默认 1）")

    def handle(self, *args, **options):
        from django_tasks.signals import task_started
        from django_tasks_db.management.commands.db_worker import Worker

        for task_id, reason in health.recover():
            self.stderr.write(f"任务 {task_id}：{reason}")
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{secrets.token_hex(6)}"
        now = timezone.now()
        WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=socket.gethostname(), pid=os.getpid(),
                                       started_at=now, seen_at=now)
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(worker_id, stop), daemon=True, name="xuncha-heartbeat")
        beat.start()
        self.stdout.write(f"后台任务进程已启动（{worker_id}），Ctrl+C 停止。")
        worker = Worker(queue_names=["*"], interval=options["interval"], batch=options["batch"],
                        backend_name="default", startup_delay=False, max_tasks=None, worker_id=worker_id,
                        excluded_queue_names=[])
        worker.configure_signals()
        settle()
        # again before each job: the cross-check engine gives its objects back to the collector when it ends
        # (gc.unfreeze, which cannot leave out the start-up's)
        task_started.connect(_settle_before_job, dispatch_uid="xuncha-worker-settle")
        try:
            worker.run()
        finally:
            stop.set()
            beat.join(timeout=health.HEARTBEAT_SECONDS + 1)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def settle() -> None:
    """Before the first job: the objects of the start-up (Django, its apps, the modules: some 100,000 that
    live as long as the process) are set aside from the garbage collector (``gc.freeze``). A large job
    makes millions of objects and so many full collections; each walked all of these again (about 1 CPU
    second of a run of 100,000 permits), and the engine's forked name-parsing workers, collecting too,
    wrote to their pages and so copied them. Objects made later are collected as before."""
    gc.collect()
    gc.freeze()


def _settle_before_job(sender, **kwargs) -> None:
    settle()


def parent_gone() -> bool:
    """The ``xuncha serve`` that started this worker is no longer its parent (it was killed)."""
    parent = os.environ.get("XUNCHA_WORKER_PARENT", "")
    return parent.isdigit() and os.getppid() != int(parent)


def _beat(worker_id: str, stop: threading.Event) -> None:
    while not stop.wait(health.HEARTBEAT_SECONDS):
        if parent_gone():
            health.logger.warning("启动本任务进程的网页服务已不在，任务进程退出（做完手头的任务）")
            os.kill(os.getpid(), signal.SIGTERM)     # the worker's own graceful stop
            return
        try:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=timezone.now())
        except Exception:  # the database is away for a moment: try again at the next beat
            health.logger.warning("任务进程心跳写入失败", exc_info=True)
        finally:
            connection.close()
