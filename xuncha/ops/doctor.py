"""Installation self-check (安装自检, ``xuncha doctor``): each check says in Chinese what to fix.

The checks follow the production guide (docs/部署与运维.md): Django's deploy checks, the data
folder's permissions, keys present and readable only by the service user, the database reachable
and migrated, the task worker alive, free disk space, and the working-day calendar of next year.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection

OK, WARN, FAIL = "ok", "warn", "fail"

#: Django's deploy checks, said in Chinese (the rest are shown with Django's own words)
DEPLOY_TEXT = {
    "security.W004": "未启用 HSTS：生产环境请经 HTTPS 访问并设置 XUNCHA_HTTPS=1。",
    "security.W008": "未把 HTTP 重定向到 HTTPS：设置 XUNCHA_HTTPS=1，并在 nginx 上把 80 端口重定向到 443。",
    "security.W009": "SECRET_KEY 太短或太简单：删除 XUNCHA_SECRET_KEY 环境变量，让系统生成随机密钥文件。",
    "security.W012": "会话 Cookie 未限定只走 HTTPS：设置 XUNCHA_HTTPS=1。",
    "security.W016": "CSRF Cookie 未限定只走 HTTPS：设置 XUNCHA_HTTPS=1。",
    "security.W018": "调试模式已打开（XUNCHA_DEBUG）：生产环境必须关闭，删除 XUNCHA_DEBUG 或设为 0。",
    "async.E001": "设置了环境变量 DJANGO_ALLOW_ASYNC_UNSAFE：生产环境必须删除它。",
    "security.W020": "ALLOWED_HOSTS 为空：在 XUNCHA_ALLOWED_HOSTS 中填写本系统的内网域名或 IP。",
}


@dataclass
class Check:
    title: str
    status: str
    message: str

    @property
    def mark(self) -> str:
        return {OK: "✔", WARN: "！", FAIL: "✘"}[self.status]


def _mode(path: Path) -> str:
    return f"{stat.S_IMODE(path.stat().st_mode):04o}"


def deploy_checks() -> list[Check]:
    from django.core import checks

    found = [m for m in checks.run_checks(include_deployment_checks=True)
             if m.level >= checks.WARNING and not m.is_silenced()]
    if not found:
        return [Check("Django 部署检查", OK, "全部通过（check --deploy）")]
    return [Check("Django 部署检查", FAIL if m.level >= checks.ERROR or m.id in DEPLOY_TEXT else WARN,
                  f"{m.id}：{DEPLOY_TEXT.get(m.id) or m.msg}") for m in found]


def hosts_check() -> Check:
    if "*" in settings.ALLOWED_HOSTS:
        return Check("访问地址", FAIL, "XUNCHA_ALLOWED_HOSTS 含有“*”，任何主机名都会被接受：请只填写本系统的内网域名或 IP。")
    return Check("访问地址", OK, "、".join(settings.ALLOWED_HOSTS))


def permission_checks() -> list[Check]:
    """The data folder is the service user's alone: folders 0700, files 0600, owned by him."""
    home = Path(settings.XUNCHA_HOME)
    uid = os.getuid()
    problems = []
    if stat.S_IMODE(home.stat().st_mode) & 0o077:
        problems.append(f"数据目录 {home} 的权限为 {_mode(home)}，其他用户可以进入：chmod 700 {home}")
    if home.stat().st_uid != uid:
        problems.append(f"数据目录 {home} 不属于运行本服务的用户：chown -R <服务用户> {home}")
    loose = []
    for dirpath, dirnames, filenames in os.walk(home):
        dirnames[:] = [d for d in dirnames if d != "static"]
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            info = path.stat()
            if stat.S_IMODE(info.st_mode) & 0o077 or info.st_uid != uid:
                loose.append(path)
    if loose:
        problems.append(f"数据目录中有 {len(loose)} 个文件或目录其他用户可读或不属于服务用户（如 {loose[0]}，"
                        f"权限 {_mode(loose[0])}）：chmod -R go-rwx {home}")
    if not problems:
        return [Check("文件权限", OK, f"{home} 仅服务用户可读写")]
    return [Check("文件权限", FAIL, p) for p in problems]


def key_checks() -> list[Check]:
    from xuncha.ops.keyfile import KEY_ENV

    home = Path(settings.XUNCHA_HOME)
    required = {"secret_key": "会话与签名密钥", "identity.key": "举报人身份密钥"}
    result = []
    for name, env in KEY_ENV.items():
        label = required.get(name, "审计链密钥")
        path = home / name
        if os.environ.get(env):
            result.append(Check(label, OK, f"由环境变量 {env} 提供"))
        elif not path.exists():
            if name in required:
                result.append(Check(label, FAIL, f"{path} 不存在：运行 xuncha doctor --create-keys 生成，"
                                                 "然后立即做一次带密钥的备份（xuncha backup）并离线保管密钥文件。"))
        elif stat.S_IMODE(path.stat().st_mode) & 0o077:
            result.append(Check(label, FAIL, f"{path} 的权限为 {_mode(path)}，其他用户可读：chmod 600 {path}"))
        elif path.stat().st_uid != os.getuid():
            result.append(Check(label, FAIL, f"{path} 不属于运行本服务的用户：chown <服务用户> {path}"))
        elif not path.read_text().strip():
            result.append(Check(label, FAIL, f"{path} 是空文件：从离线保管的密钥备份中恢复（xuncha restore --keys）。"))
        else:
            result.append(Check(label, OK, f"{path}（0600，仅服务用户可读）"))
    return result


def create_missing_keys() -> list[str]:
    from xuncha.petitions import identity

    created = []
    if not os.environ.get("XUNCHA_IDENTITY_KEY") and not identity.key_path().exists():
        identity._key()
        created.append(str(identity.key_path()))
    return created


def database_checks() -> list[Check]:
    try:
        connection.ensure_connection()
    except Exception as exc:   # any driver error: the message is what the operator needs
        return [Check("数据库连接", FAIL, f"无法连接数据库（{' '.join(str(exc).split())[:200]}）："
                                          "检查 DATABASE_URL 和数据库服务是否运行。")]
    vendor = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
    checks = [Check("数据库连接", OK, f"{vendor}，{connection.settings_dict['NAME']}")]
    if connection.vendor == "sqlite":
        checks.append(Check("数据库类型", WARN, "使用内置 SQLite：多人同时使用的生产环境请改用 PostgreSQL（DATABASE_URL）。"))
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = "、".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
        checks.append(Check("数据库迁移", FAIL, f"有 {len(plan)} 个数据库迁移尚未执行（如 {names}）：先备份，"
                                                "再运行 xuncha manage migrate。"))
    else:
        checks.append(Check("数据库迁移", OK, "已全部执行"))
    return checks


#: how the worker check learns whether the task worker lives (the task framework provides it)
WORKER_STATUS = "xuncha.tasks.health.worker_status"


def tasks_installed() -> bool:
    """Is Django's task framework (the django-tasks backport) installed in this project?"""
    return any(app.startswith("django_tasks") for app in settings.INSTALLED_APPS)


def worker_check() -> Check:
    """The task worker (``xuncha worker``) is alive, asked through ``WORKER_STATUS``.

    ``worker_status()`` returns (alive: bool, message: str). Until the task framework is installed
    there are no background jobs, and the check says so."""
    from django.utils.module_loading import import_string

    try:
        status = import_string(WORKER_STATUS)
    except ImportError:
        if tasks_installed():
            return Check("后台任务进程", WARN, f"已启用后台任务，但没有任务进程状态接口（{WORKER_STATUS}），"
                                               "无法确认任务进程在运行：请用 systemctl status xuncha-worker 查看。")
        return Check("后台任务进程", OK, "本版本没有后台任务，无需任务进程")
    alive, message = status()
    return Check("后台任务进程", OK if alive else FAIL, message)


def disk_check() -> Check:
    usage = shutil.disk_usage(settings.XUNCHA_HOME)
    free_mb = usage.free // (1024 * 1024)
    need = settings.XUNCHA_MIN_FREE_MB
    if free_mb < need:
        return Check("磁盘空间", FAIL, f"数据目录所在磁盘只剩 {free_mb} MB（至少应有 {need} MB）："
                                        "清理旧备份（备份应另存别处）或扩容磁盘。")
    return Check("磁盘空间", OK, f"剩余 {free_mb / 1024:.1f} GB（{usage.free * 100 // usage.total}%）")


def calendar_check(today: date | None = None) -> Check:
    from xuncha.workdays import services

    year = (today or date.today()).year + 1
    status = services.year_status(year)
    if status.startswith("尚未录入"):
        return Check("工作日历", FAIL, f"{year} 年的节假日安排尚未录入，期限只能按周末估算：国务院办公厅公布通知后，"
                                        f"由巡察办在“工作日历”页录入 {year} 年的节假日和调休并确认。")
    return Check("工作日历", OK, f"{year} 年{status}")


def backup_check() -> Check:
    folder = Path(settings.XUNCHA_HOME) / "backups"
    archives = sorted(folder.glob("xuncha-backup-*.tar.gz")) if folder.exists() else []
    if not archives:
        return Check("备份", WARN, "数据目录中没有备份：请按部署指南设置每日 xuncha backup 定时任务，备份另存别处。")
    return Check("备份", OK, f"最近一次：{archives[-1].name}")


CHECKS: list[Callable[[], Check | list[Check]]] = [
    deploy_checks, hosts_check, permission_checks, key_checks, database_checks, worker_check,
    disk_check, calendar_check, backup_check,
]


TITLES = {"deploy_checks": "Django 部署检查", "hosts_check": "访问地址", "permission_checks": "文件权限",
          "key_checks": "密钥", "database_checks": "数据库", "worker_check": "后台任务进程",
          "disk_check": "磁盘空间", "calendar_check": "工作日历", "backup_check": "备份"}


def run() -> list[Check]:
    results: list[Check] = []
    for check in CHECKS:
        try:
            outcome = check()
        except Exception as exc:   # a check that cannot run is itself a finding, never a trace
            text = " ".join(str(exc).split())[:200]
            outcome = Check(TITLES.get(check.__name__, check.__name__), FAIL, f"检查无法完成（{text}）")
        results += outcome if isinstance(outcome, list) else [outcome]
    return results
