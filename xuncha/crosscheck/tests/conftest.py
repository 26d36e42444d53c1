"""Fixtures of the 数据比对 tests: a messy data folder from the engine's generator (one broken file
beside it), uploads of it, and a real task worker run in this process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuncha.crosscheck_engine import generator

AS_OF = generator.AS_OF
#: the broken file: payments.csv with a word where its third row's 金额 should be
BROKEN = "payments.csv"
BROKEN_ROW, BROKEN_COLUMN = 3, "金额"


@pytest.fixture(scope="session")
def messy_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("messy") / "data"
    generator.generate(out, permits=200, seed=11)
    for extra in ("truth.json", "truth_entities.json"):
        (out / extra).unlink(missing_ok=True)
    return out


def broken_bytes(messy_dir: Path) -> bytes:
    lines = (messy_dir / BROKEN).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    cells = lines[BROKEN_ROW - 1].split(",")
    cells[4] = "四千元整"
    lines[BROKEN_ROW - 1] = ",".join(cells)
    return "".join(lines).encode("utf-8")


def upload(path: Path, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes() if data is None else data)


def uploads(folder: Path, *, broken: bool = False) -> list[SimpleUploadedFile]:
    out = []
    for p in sorted(folder.iterdir()):
        out.append(upload(p, broken_bytes(folder) if broken and p.name == BROKEN else None))
    return out


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def city_round(demo):
    from xuncha.rounds.models import Round

    return Round.objects.get(jurisdiction__parent=None, number=1, year=2026)


def work_queue() -> None:
    """Run the queued background jobs with django-tasks-db's own worker (batch mode), in this process.

    The worker recycles its database connection between jobs (``close_old_connections``), which would
    end the test's transaction on PostgreSQL; here it keeps it. Real worker processes (with recycling)
    run in ``xuncha/tasks/tests/test_worker.py`` and the browser test."""
    from django_tasks_db.management.commands import db_worker

    recycle = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        db_worker.Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                         max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()
    finally:
        db_worker.close_old_connections = recycle


def copy_folder(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


@pytest.fixture
def finished_run(demo, media, city_round, messy_dir):
    """A run of the messy data, done by the task worker."""
    from xuncha.crosscheck import services
    from xuncha.crosscheck.models import CheckRun

    services.upload_files(demo["zuyuan"], city_round, uploads(messy_dir))
    run = services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)
    work_queue()
    run.refresh_from_db()
    assert run.status == CheckRun.Status.SUCCEEDED
    return run
