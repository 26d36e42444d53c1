"""xuncha doctor passes on the documented production settings and names each broken one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xuncha.ops import doctor

from .helpers import fresh_installation

# docs/部署与运维.md: /etc/xuncha/xuncha.env
PRODUCTION = {"XUNCHA_HTTPS": "1", "XUNCHA_ALLOWED_HOSTS": "xuncha.ankang.gov.internal",
              "XUNCHA_DEBUG": "0", "XUNCHA_MIN_FREE_MB": "100"}


ENTER_NEXT_YEAR = ("import datetime; from xuncha.workdays.models import CalendarYear; "
                   "CalendarYear.objects.create(year=datetime.date.today().year + 1, source='国务院办公厅通知')")


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xuncha.cli", *args], env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL,
                          preexec_fn=lambda: os.umask(0o077))      # systemd UMask=0077


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """An installation set up as the production guide says (PostgreSQL in the PostgreSQL pass)."""
    with fresh_installation(tmp_path_factory.mktemp("doctor"), "doctor") as (home, env):
        home.chmod(0o700)
        env = {**{k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # conftest's, for Playwright
               **PRODUCTION}
        for step in (["manage", "migrate", "--noinput", "-v", "0"],
                     ["manage", "shell", "-c", ENTER_NEXT_YEAR],
                     ["doctor", "--create-keys"], ["backup", "--no-keys"]):
            result = run(env, *step)
            assert step[0] == "doctor" or result.returncode == 0, result.stderr
        yield home, env


def doctor_lines(env: dict) -> tuple[int, list[str]]:
    result = run(env, "doctor")
    return result.returncode, (result.stdout + result.stderr).splitlines()


def failed(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("✘")]


def test_doctor_passes_on_the_documented_production_settings(production):
    home, env = production
    # the documented installation runs the task worker (systemd xuncha-worker): start a real one
    worker = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "worker"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(20):   # the worker writes its heartbeat as soon as Django has started
            code, lines = doctor_lines(env)
            if not any(line.startswith("✘ 后台任务进程") for line in lines) or worker.poll() is not None:
                break
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert failed(lines) == [] and code == 0, "\n".join(lines)
    assert any(line.startswith("✔ Django 部署检查：全部通过") for line in lines)
    assert any(line.startswith("✔ 举报人身份密钥") for line in lines)


@pytest.mark.parametrize("change, named", [
    ({"XUNCHA_DEBUG": "1"}, "✘ Django 部署检查：security.W018：调试模式已打开"),
    ({"XUNCHA_HTTPS": "0"}, "✘ Django 部署检查：security.W012：会话 Cookie 未限定只走 HTTPS"),
    ({"XUNCHA_ALLOWED_HOSTS": "*"}, "✘ 访问地址：XUNCHA_ALLOWED_HOSTS 含有“*”"),
    ({"XUNCHA_SECRET_KEY": "short"}, "✘ Django 部署检查：security.W009"),
    ({"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}, "✘ Django 部署检查：async.E001"),
    ({"XUNCHA_MIN_FREE_MB": str(10**9)}, "✘ 磁盘空间：数据目录所在磁盘只剩"),
    ({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing"}, "✘ 数据库连接：无法连接数据库"),
])
def test_doctor_names_each_broken_setting(production, change, named):
    home, env = production
    code, lines = doctor_lines({**env, **change})
    assert code == 1
    assert any(line.startswith(named) for line in failed(lines)), "\n".join(lines)


def test_doctor_names_unapplied_migrations(production, tmp_path):
    home, env = production
    code, lines = doctor_lines({**env, "DATABASE_URL": f"sqlite:///{home / 'empty.sqlite3'}"})
    (home / "empty.sqlite3").unlink()
    assert code == 1 and any(line.startswith("✘ 数据库迁移：有 ") for line in lines), "\n".join(lines)


@pytest.mark.parametrize("breakage, named", [
    ("key_readable", "✘ 举报人身份密钥：") ,
    ("key_missing", "✘ 举报人身份密钥："),
    ("home_open", "✘ 文件权限：数据目录 "),
    ("upload_readable", "✘ 文件权限：数据目录中有 1 个文件"),
    ("no_calendar", "✘ 工作日历："),
])
def test_doctor_names_each_broken_file_or_record(production, breakage, named):
    home, env = production
    key = home / "identity.key"
    upload = home / "files" / "probe.pdf"
    saved = key.read_bytes()
    try:
        if breakage == "key_readable":
            key.chmod(0o644)
        elif breakage == "key_missing":
            key.unlink()
        elif breakage == "home_open":
            home.chmod(0o755)
        elif breakage == "upload_readable":
            upload.parent.mkdir(exist_ok=True, mode=0o700)
            upload.write_bytes(b"%PDF-1.4")
            upload.chmod(0o644)
        else:
            run(env, "manage", "shell", "-c", "from xuncha.workdays.models import CalendarYear; "
                                              "CalendarYear.objects.all().delete()")
        code, lines = doctor_lines(env)
        assert code == 1 and any(line.startswith(named) for line in failed(lines)), "\n".join(lines)
    finally:
        if not key.exists():
            key.write_bytes(saved)
        key.chmod(0o600)
        home.chmod(0o700)
        upload.unlink(missing_ok=True)
        if breakage == "no_calendar":
            run(env, "manage", "shell", "-c", ENTER_NEXT_YEAR)


def test_doctor_names_a_dead_worker():
    original = doctor.WORKER_STATUS
    try:
        doctor.WORKER_STATUS = "xuncha.ops.tests.test_doctor.dead_worker"
        check = doctor.worker_check()
    finally:
        doctor.WORKER_STATUS = original
    assert check.status == doctor.FAIL and "任务进程" in check.message


def test_doctor_says_when_background_jobs_exist_but_no_worker_status(monkeypatch):
    monkeypatch.setattr(doctor, "tasks_installed", lambda: True)
    original = doctor.WORKER_STATUS
    try:
        doctor.WORKER_STATUS = "xuncha.ops.tests.test_doctor.no_such_function"
        check = doctor.worker_check()
    finally:
        doctor.WORKER_STATUS = original
    assert check.status == doctor.WARN and "无法确认任务进程在运行" in check.message


def dead_worker():
    return False, "后台任务进程未运行：有 3 个任务排队超过 5 分钟未开始。运行 systemctl start xuncha-worker"


def test_a_check_that_cannot_run_is_a_finding_not_a_trace(monkeypatch):
    def calendar_check():
        raise OSError("磁盘读取错误")

    monkeypatch.setattr(doctor, "CHECKS", [calendar_check])
    [check] = doctor.run()
    assert (check.title, check.status) == ("工作日历", doctor.FAIL) and "磁盘读取错误" in check.message


def test_production_guide_names_every_setting_the_doctor_test_uses():
    guide = (Path(__file__).resolve().parents[3] / "docs" / "部署与运维.md").read_text()
    for name in PRODUCTION:
        if name != "XUNCHA_MIN_FREE_MB":
            assert name in guide
