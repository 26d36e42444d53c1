"""The task worker: heartbeat and status for ``xuncha doctor``; a job whose worker is killed (SIGKILL,
a real subprocess) is marked failed with its reason when the next worker starts (issue 16 item 5)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from xuncha.crosscheck_engine import generator
from xuncha.ops import doctor
from xuncha.tasks import health
from xuncha.tasks.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[3]


def _beat(**kw) -> WorkerHeartbeat:
    now = timezone.now()
    fields = {"worker_id": "w1", "hostname": health.socket.gethostname(), "pid": os.getpid(), "started_at": now,
              "seen_at": now} | kw
    return WorkerHeartbeat.objects.create(**fields)


@pytest.mark.django_db
def test_worker_status_alive_dead_and_stale():
    alive, message = health.worker_status()
    assert not alive and "从未启动" in message and "xuncha worker" in message
    hb = _beat()
    alive, message = health.worker_status()
    assert alive and str(os.getpid()) in message
    assert doctor.worker_check().status == doctor.OK
    # a process that no longer exists on this host
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    WorkerHeartbeat.objects.filter(pk=hb.pk).update(pid=dead.pid)
    alive, message = health.worker_status()
    assert not alive and "未运行" in message
    assert doctor.worker_check().status == doctor.FAIL
    # another host whose heartbeat stopped
    WorkerHeartbeat.objects.filter(pk=hb.pk).update(
        hostname="other-host", pid=os.getpid(), seen_at=timezone.now() - timedelta(seconds=health.STALE_SECONDS + 5))
    assert not health.worker_status()[0]
    WorkerHeartbeat.objects.filter(pk=hb.pk).update(seen_at=timezone.now())
    assert health.worker_status()[0]


def _run(env, *args, timeout=600) -> str:
    proc = subprocess.run([sys.executable, "-m", "xuncha.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _query(db: Path, sql: str, *params):
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_a_job_whose_worker_is_killed_is_failed_with_its_reason_at_the_next_start(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"XUNCHA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    data = tmp_path / "data"
    generator.generate(data, permits=3000, seed=5)
    for extra in ("truth.json", "truth_entities.json"):
        (data / extra).unlink()
    _run(env, "manage", "migrate", "-v0")
    out = _run(env, "manage", "shell", "-c",
               f"from xuncha.tasks.tests.fault_setup import setup; setup({str(data)!r})")
    run_id = int(out.split("RUN=")[1].split()[0])
    db = home / "xuncha.sqlite3"
    worker = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "worker", "--interval", "0.2"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            [(status, stage)] = _query(db, "SELECT status, stage FROM crosscheck_checkrun WHERE id = ?", run_id)
            if status == "running" and stage not in ("", "准备数据"):
                break
            assert status in ("queued", "running"), status
            time.sleep(0.1)
        else:
            pytest.fail("the job never started")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # cut off: the database still says running
    assert _query(db, "SELECT status FROM crosscheck_checkrun WHERE id = ?", run_id) == [("running",)]
    assert _query(db, "SELECT status FROM django_tasks_database_dbtaskresult") == [("RUNNING",)]
    # the next worker marks it failed with the reason, then works as usual
    out = _run(env, "worker", "--batch", "--interval", "0")
    [(status, message)] = _query(db, "SELECT status, message FROM crosscheck_checkrun WHERE id = ?", run_id)
    assert status == "failed" and "运行中断" in message and f"进程号 {worker.pid}" in message, message
    assert "运行中断" in out
    assert _query(db, "SELECT status FROM django_tasks_database_dbtaskresult") == [("FAILED",)]
    # a new run on the same files finishes with a real worker process
    out = _run(env, "manage", "shell", "-c",
               f"from xuncha.tasks.tests.fault_setup import setup; setup({str(data)!r})")
    second = int(out.split("RUN=")[1].split()[0])
    _run(env, "worker", "--batch", "--interval", "0")
    [(status, hits)] = _query(db, "SELECT status, hits FROM crosscheck_checkrun WHERE id = ?", second)
    assert status == "succeeded" and hits > 0


@pytest.mark.django_db
def test_worker_sets_its_start_up_objects_aside_from_the_collector_before_the_first_job(monkeypatch):
    """``gc.freeze`` before the jobs run (worker.settle): full collections during a large job do not walk
    Django's objects again and again."""
    import gc

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    frozen = []
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: frozen.append(gc.get_freeze_count()))
    gc.unfreeze()
    try:
        call_command("worker", "--batch", "--interval", "0")
    finally:
        gc.unfreeze()
    assert frozen and frozen[0] > 10_000


@pytest.mark.django_db
def test_worker_sets_them_aside_again_before_each_job_after_the_engine_gave_them_back(monkeypatch):
    """The engine ends with ``gc.unfreeze()``; the next job starts with the start-up objects set aside again."""
    import gc
    from types import SimpleNamespace

    from django.core.management import call_command
    from django_tasks.signals import task_started
    from django_tasks_db.management.commands import db_worker

    frozen = []

    def run(self):
        gc.unfreeze()                                  # as the engine does at the end of a job
        job = SimpleNamespace(id="x", status="RUNNING", task=SimpleNamespace(module_path="x"))
        task_started.send(sender=None, task_result=job)  # the next job starts
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(db_worker.Worker, "run", run)
    try:
        call_command("worker", "--batch", "--interval", "0")
    finally:
        task_started.disconnect(dispatch_uid="xuncha-worker-settle")
        gc.unfreeze()
    assert frozen and frozen[0] > 10_000

