"""Backup and restore (备份与恢复) of a whole installation, in one archive with a SHA-256 manifest.

The archive (``xuncha-backup-YYYYmmdd-HHMMSS.tar.gz``) holds:

- ``database/xuncha.sqlite3`` (SQLite online backup: consistent while the system is in use) or
  ``database/xuncha.pgdump`` (``pg_dump -Fc``), taken first;
- ``home/…``: every file of XUNCHA_HOME — uploads (``files/``, i.e. ``StoredFile`` files and the
  offices' document templates), generated documents and whatever else the installation keeps there —
  except the keys, the database itself, earlier backups and the collected static files;
- ``manifest.json``: format, time, versions, the applied migrations and, for every member, its size
  and SHA-256.

Sessions are never in a backup: the session table is emptied in the SQLite copy (secure delete +
VACUUM, so no row survives in free pages) and left out of ``pg_dump``. Keys go into a separate,
passphrase-encrypted file (``xuncha.ops.keyfile``).

``restore`` only goes into an empty installation (no user accounts, no uploaded files): it checks
the whole archive first, then puts back the database, the files and the keys, then migrates.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from xuncha import __version__

from . import keyfile

FORMAT = "xuncha-backup-1"
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database/xuncha.sqlite3", "postgresql": "database/xuncha.pgdump"}
#: top-level folders of XUNCHA_HOME that are not backed up (earlier backups; regenerated static files)
SKIPPED_DIRS = ("backups", "static")
SESSION_TABLE = "django_session"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What went wrong, in Chinese, for the operator."""


@dataclass
class Result:
    archive: Path
    files: int = 0
    bytes: int = 0
    messages: list[str] = field(default_factory=list)


def engine() -> str:
    name = settings.DATABASES["default"]["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"不支持的数据库类型：{name}")


def home() -> Path:
    return Path(settings.XUNCHA_HOME).resolve()


def sqlite_path() -> Path | None:
    name = str(settings.DATABASES["default"]["NAME"])
    if engine() != "sqlite" or name.startswith("file:") or name == ":memory:":
        return None
    return Path(name).resolve()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---- database ----------------------------------------------------------------------------

def _pg_command(program: str) -> tuple[list[str], dict]:
    if not shutil.which(program):
        raise BackupError(f"未找到 {program}，请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）后重试。")
    params = connection.get_connection_params()
    cmd = [program]
    for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if params.get(key):
            cmd += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return cmd, env


def _dbname() -> str:
    return connection.get_connection_params().get("dbname") or connection.settings_dict["NAME"]


def dump_database(target: Path) -> None:
    """A consistent copy of the database without any session."""
    if engine() == "sqlite":
        if connection.in_atomic_block:     # the online backup would wait for our own write lock
            raise BackupError("备份不能在数据库事务中进行。")
        connection.ensure_connection()
        dest = sqlite3.connect(str(target))
        try:
            connection.connection.backup(dest)   # online backup: consistent while in use
            dest.execute("PRAGMA journal_mode=DELETE")
            dest.execute("PRAGMA secure_delete=ON")
            if dest.execute("SELECT 1 FROM sqlite_master WHERE name=?", (SESSION_TABLE,)).fetchone():
                dest.execute(f"DELETE FROM {SESSION_TABLE}")
            dest.commit()
            dest.execute("VACUUM")
        finally:
            dest.close()
        return
    cmd, env = _pg_command("pg_dump")
    cmd += ["-Fc", "--no-owner", "--no-privileges", f"--exclude-table-data={SESSION_TABLE}",
            "-f", str(target), "-d", _dbname()]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")


def applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("id"):
        latest[app] = name
    return latest


# ---- files of XUNCHA_HOME ----------------------------------------------------------------------

def home_files(root: Path, *, skip: tuple[Path, ...] = ()) -> list[Path]:
    """Files of XUNCHA_HOME that belong in a backup (sorted, no keys, no database, no backups)."""
    db = sqlite_path()
    excluded = {root / d for d in SKIPPED_DIRS} | {p.resolve() for p in skip}
    db_files = {Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")} if db else set()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        current = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if (current / d) not in excluded
                             and not d.startswith(".restore-"))
        for name in sorted(filenames):
            path = current / name
            if path in db_files or keyfile.is_key_file(path, root) or path.is_symlink():
                continue
            if not path.is_file():
                continue
            found.append(path)
    return found


class _HashingReader:
    """Feeds a file to tarfile while hashing exactly the bytes written into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"name": name, "size": info.size, "sha256": reader.digest.hexdigest()}


# ---- backup --------------------------------------------------------------------------------

def create(out_dir: Path, *, stamp: str | None = None) -> Result:
    """Write ``xuncha-backup-STAMP.tar.gz`` into ``out_dir``; return what went into it."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")
    kind = engine()
    archive = out_dir / f"xuncha-backup-{stamp}.tar.gz"
    partial = out_dir / f".{archive.name}.partial"
    root = home()
    with tempfile.TemporaryDirectory(prefix="xuncha-backup-", dir=out_dir) as scratch:
        db_copy = Path(scratch) / Path(DB_MEMBER[kind]).name
        dump_database(db_copy)          # database first: every file it names already exists
        entries = []
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            entries.append(_add(tar, db_copy, DB_MEMBER[kind]))
            for path in home_files(root, skip=(out_dir,)):
                entries.append(_add(tar, path, "home/" + path.relative_to(root).as_posix()))
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "xuncha_version": __version__,
                "database": {"engine": kind, "member": DB_MEMBER[kind]},
                "migrations": applied_migrations(),
                "sessions": "不备份",
                "keys": "不在本文件中，见单独加密的密钥备份文件",
                "members": entries,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            info.mtime = int(datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
    os.replace(partial, archive)
    files = [e for e in entries if e["name"].startswith("home/")]
    return Result(archive, files=len(files), bytes=sum(e["size"] for e in entries))


# ---- verify --------------------------------------------------------------------------------

@dataclass
class Verified:
    manifest: dict
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(archive: Path, *, extract_to: Path | None = None) -> Verified:
    """Check every member against the manifest (and the database copy itself).

    With ``extract_to``, the members are also written there (used by restore, which only goes on
    when nothing is wrong)."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}。")
    seen: dict[str, tuple[int, str]] = {}
    manifest = None
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    return Verified({}, [f"备份文件中有不应有的条目：{member.name}"])
                if member.name.startswith("/") or ".." in Path(member.name).parts:
                    return Verified({}, [f"备份文件中有不安全的路径：{member.name}"])
                handle = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(handle.read().decode())
                    continue
                digest, size = hashlib.sha256(), 0
                out = None
                if extract_to is not None:
                    target = Path(extract_to) / member.name
                    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    out = open(target, "wb")
                try:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        if out:
                            out.write(chunk)
                finally:
                    if out:
                        out.close()
                        os.chmod(target, 0o600)
                seen[member.name] = (size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError) as exc:
        return Verified({}, [f"备份文件已损坏或不完整（{exc}）。"])
    except (ValueError, UnicodeDecodeError):
        return Verified({}, ["备份文件中的清单（manifest.json）已损坏。"])
    if manifest is None or manifest.get("format") != FORMAT:
        return Verified(manifest or {}, ["这不是巡察工作平台的备份文件（缺少 manifest.json）。"])
    problems = []
    listed = {e["name"]: e for e in manifest.get("members", [])}
    for name, entry in listed.items():
        if name not in seen:
            problems.append(f"缺少文件：{name}")
        elif seen[name] != (entry["size"], entry["sha256"]):
            problems.append(f"文件内容与清单中的 SHA-256 不符：{name}")
    for name in seen.keys() - listed.keys():
        problems.append(f"清单中没有的文件：{name}")
    db_member = manifest.get("database", {}).get("member")
    if db_member not in listed:
        problems.append("备份中没有数据库。")
    if not problems:
        problems += _check_database(archive, manifest, extract_to)
    return Verified(manifest, problems)


def _check_database(archive: Path, manifest: dict, extracted: Path | None) -> list[str]:
    member = manifest["database"]["member"]
    with tempfile.TemporaryDirectory(prefix="xuncha-verify-") as scratch:
        path = Path(extracted) / member if extracted else Path(scratch) / "db"
        if not extracted:
            with tarfile.open(archive, mode="r:gz") as tar, open(path, "wb") as out:
                shutil.copyfileobj(tar.extractfile(member), out)
        if manifest["database"]["engine"] == "sqlite":
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                status = db.execute("PRAGMA integrity_check").fetchone()[0]
                sessions = db.execute(f"SELECT count(*) FROM {SESSION_TABLE}").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                return [f"数据库副本无法读取：{exc}"]
            finally:
                db.close()
            problems = [] if status == "ok" else [f"数据库副本完整性检查未通过：{status}"]
            if sessions:
                problems.append(f"数据库副本中有 {sessions} 条会话记录（会话不应备份）。")
            return problems
        if shutil.which("pg_restore"):
            result = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True)
            if result.returncode != 0:
                return [f"数据库副本无法读取：{result.stderr.strip()}"]
    return []


# ---- restore -------------------------------------------------------------------------------

def _user_count() -> int:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "orgs_user" not in tables:
            return 0
        cursor.execute("SELECT count(*) FROM orgs_user")
        return cursor.fetchone()[0]


def check_empty(root: Path) -> None:
    """Restore goes only into an empty installation: no user accounts, no uploaded files."""
    users = _user_count()
    if users:
        raise BackupError(f"目标安装不是空的：数据库中已有 {users} 个用户。"
                          "恢复只能在新安装上进行（新建数据目录和空数据库后再恢复）。")
    present = home_files(root)
    if present:
        raise BackupError(f"目标数据目录 {root} 中已有文件（如 {present[0].relative_to(root)}）。"
                          "恢复只能在新安装上进行。")


def restore(archive: Path, *, keys: dict[str, str] | None) -> Result:
    """Put an archive back into this (empty) installation. ``keys`` from the key file, or None."""
    root = home()
    check_empty(root)
    kind = engine()
    scratch = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        checked = verify(archive, extract_to=scratch)
        if not checked.ok:
            raise BackupError("备份文件校验未通过，未做任何恢复：\n" + "\n".join(checked.problems))
        if checked.manifest["database"]["engine"] != kind:
            raise BackupError(f"备份来自 {checked.manifest['database']['engine']} 数据库，"
                              f"而本安装使用 {kind}：请用同类数据库恢复。")
        _restore_database(kind, scratch / checked.manifest["database"]["member"])
        count = 0
        for entry in checked.manifest["members"]:
            if not entry["name"].startswith("home/"):
                continue
            target = root / entry["name"][len("home/"):]
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(scratch / entry["name"], target)
            count += 1
        if keys:
            keyfile.install(keys, root)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Result(Path(archive), files=count)


def _restore_database(kind: str, dump: Path) -> None:
    if kind == "sqlite":
        target = sqlite_path()
        if target is None:
            raise BackupError("内存数据库无法恢复。")
        connection.close()
        tmp = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(dump, tmp)
        os.chmod(tmp, 0o600)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, target)
        return
    with connection.cursor() as cursor:      # empty (checked): clear what migrate may have made
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    connection.close()
    cmd, env = _pg_command("pg_restore")
    cmd += ["--no-owner", "--no-privileges", "--exit-on-error", "-d", _dbname(), str(dump)]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
