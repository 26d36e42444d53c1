"""Helpers of the ops tests: a fresh installation (data folder + empty database) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_params() -> dict:
    p = connection.get_connection_params()
    return {k: p[k] for k in ("host", "port", "user", "password") if p.get(k)}


def pg_url(dbname: str) -> str:
    p = _pg_params()
    auth = p.get("user", "postgres") + (f":{p['password']}" if p.get("password") else "")
    return f"postgres://{auth}@{p.get('host', '127.0.0.1')}:{p.get('port', 5432)}/{dbname}"


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **_pg_params()) as admin:
        admin.execute(sql)


@contextmanager
def fresh_installation(tmp_path: Path, name: str = "fresh"):
    """(home, env) of a new, empty installation: SQLite, or a new PostgreSQL database xuncha_ops_*."""
    home = tmp_path / name
    home.mkdir()
    env = {**os.environ, "XUNCHA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "xuncha.settings"}
    for var in ("XUNCHA_SECRET_KEY", "XUNCHA_IDENTITY_KEY", "XUNCHA_AUDIT_KEY", "XUNCHA_BACKUP_PASSPHRASE"):
        env.pop(var, None)
    dbname = None
    if on_postgres():
        dbname = f"xuncha_ops_{name}_{uuid.uuid4().hex[:8]}"
        pg_admin(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = pg_url(dbname)
    else:
        env["DATABASE_URL"] = f"sqlite:///{home / 'xuncha.sqlite3'}"
    try:
        yield home, env
    finally:
        if dbname:
            pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def xuncha(env: dict, *args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "xuncha.cli", *args], env=env, capture_output=True,
                            text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        pytest.fail(f"xuncha {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def source_home() -> Path:
    return Path(settings.XUNCHA_HOME)
