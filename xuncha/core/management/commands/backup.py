"""xuncha backup: a consistent copy of the database (SQLite online backup or pg_dump)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from xuncha.audit.services import record


class Command(BaseCommand):
    help = "备份数据库到 XUNCHA_HOME/backups（或 --out 指定的目录）。密钥文件需另行妥善保管。"

    def add_arguments(self, parser):
        parser.add_argument("--out", help="备份目录")

    def handle(self, *args, **options):
        out = Path(options["out"] or settings.XUNCHA_HOME / "backups")
        out.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            target = out / f"xuncha-{stamp}.sqlite3"
            connection.ensure_connection()
            dest = sqlite3.connect(str(target))
            with dest:
                connection.connection.backup(dest)   # SQLite online backup: consistent while in use
            dest.close()
        elif db["ENGINE"].endswith("postgresql"):
            if not shutil.which("pg_dump"):
                raise CommandError("未找到 pg_dump，请安装 PostgreSQL 客户端（postgresql-client）后重试。")
            target = out / f"xuncha-{stamp}.pgdump"
            params = connection.get_connection_params()
            cmd = ["pg_dump", "-Fc", "-f", str(target), "-d", params.get("dbname") or connection.settings_dict["NAME"]]
            for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
                if params.get(key):
                    cmd += [flag, str(params[key])]
            env = {"PGPASSWORD": str(params["password"])} if params.get("password") else {}
            result = subprocess.run(cmd, capture_output=True, text=True, env={**_base_env(), **env})
            if result.returncode != 0:
                raise CommandError(f"pg_dump 失败：{result.stderr.strip()}")
        else:
            raise CommandError(f"不支持的数据库类型：{db['ENGINE']}")
        target.chmod(0o600)
        record(None, "system.backup", None, summary=f"数据库已备份到 {target}",
               kind="system", data={"file": str(target), "bytes": target.stat().st_size})
        self.stdout.write(self.style.SUCCESS(f"已备份到 {target}（{target.stat().st_size} 字节）。"))
        self.stdout.write("注意：举报人身份密钥和 secret_key 在 XUNCHA_HOME 中，请单独离线保管，切勿与数据库备份放在一起。")


def _base_env():
    import os

    return dict(os.environ)
