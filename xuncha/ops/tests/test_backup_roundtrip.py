"""Backup → restore into a fresh installation gives back every record and file (SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from xuncha.files import services as files
from xuncha.ops import backup
from xuncha.petitions import identity as ident
from xuncha.petitions import services as petitions
from xuncha.petitions.models import Petition
from xuncha.rounds.models import Round

from .helpers import fresh_installation, on_postgres, source_home, xuncha

PDF = b"%PDF-1.4\n% evidence of the round trip\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
REPORTER = ident.Identity(name="张备份测试", phone="13900001234", id_number="610902199001011234",
                          address="安康市汉滨区恢复路1号")


def fill(demo) -> dict:
    """Demo data plus what a working installation also has: uploads, identities, sessions."""
    round_ = Round.objects.filter(stage=Round.Stage.ONSITE).order_by("pk").first()
    petition, _ = petitions.submit_public(
        round_, petitions.ReportData(subject_name="某人防办", content="易地建设费减免不合规",
                                     anonymous=False, identity=REPORTER),
        [SimpleUploadedFile("举报材料.pdf", PDF)])
    stored = files.store_bytes(PDF + b"generated", name="签收回执.pdf", kind="pdf", actor=demo["admin"])
    other = source_home() / "files" / "templates" / "office-template.docx"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(b"PK\x03\x04 any other file of the installation")
    web = Client()
    web.force_login(demo["xcb"])
    assert web.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session")
        sessions = [r[0] for r in cursor.fetchall()]
    assert sessions
    return {"petition": petition, "stored": stored, "sessions": sessions}


def table_rows(cursor, table: str) -> list:
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(cursor.fetchall(), key=repr)


def target_cursor(env: dict, home: Path):
    if on_postgres():
        import psycopg

        return psycopg.connect(env["DATABASE_URL"]).cursor()
    return sqlite3.connect(home / "xuncha.sqlite3").cursor()


def plain_cursor():
    """A cursor on the test database through a new plain driver connection (no Django converters)."""
    if on_postgres():
        import psycopg

        return psycopg.connect(**{k: v for k, v in connection.get_connection_params().items()
                                  if k in ("dbname", "host", "port", "user", "password")}).cursor()
    name = connection.settings_dict["NAME"]
    return sqlite3.connect(name, uri=str(name).startswith("file:")).cursor()


def backed_up_files(home: Path) -> dict[str, bytes]:
    files = {p.relative_to(home).as_posix(): p.read_bytes() for p in backup.home_files(home)}
    return {name: data for name, data in files.items() if not name.startswith("xuncha.sqlite3")}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_a_fresh_installation_gives_back_every_record_and_file(demo, tmp_path):
    filled = fill(demo)
    # the installation as it is when the backup starts (the backup then writes its own audit entry)
    source_files = backed_up_files(source_home())
    assert any(name.startswith("files/") for name in source_files)
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t != "django_session"]
    raw = plain_cursor()      # a plain driver connection: values as stored, read like the restored copy
    source = {t: table_rows(raw, t) for t in tables}
    raw.connection.close()
    passfile = tmp_path / "passphrase"
    passfile.write_text("正确的口令 correct horse\n")
    call_command("backup", "--out", str(tmp_path / "out"), "--passphrase-file", str(passfile))
    archive = next((tmp_path / "out").glob("xuncha-backup-*.tar.gz"))
    keys = next((tmp_path / "out").glob("xuncha-keys-*.enc"))

    with fresh_installation(tmp_path) as (home, env):
        out = xuncha(env, "restore", str(archive), "--keys", str(keys), "--passphrase-file", str(passfile))
        assert "已从" in out.stdout
        cursor = target_cursor(env, home)
        try:
            for table in tables:
                assert table_rows(cursor, table) == source[table], table
            cursor.execute("SELECT count(*) FROM django_session")
            assert cursor.fetchone()[0] == 0           # sessions are never backed up
            cursor.execute("SELECT identity_token FROM petitions_petition WHERE id = %s"
                           if on_postgres() else "SELECT identity_token FROM petitions_petition WHERE id = ?",
                           (filled["petition"].pk,))
            token = cursor.fetchone()[0]
        finally:
            cursor.connection.close()
        assert backed_up_files(home) == source_files
        restored = home / "files" / filled["stored"].file.name
        assert restored.read_bytes() == PDF + b"generated"
        # the restored keys decrypt the restored identities
        from cryptography.fernet import Fernet

        key = (home / "identity.key").read_bytes().strip()
        assert key == ident._key()
        assert REPORTER.name in Fernet(key).decrypt(token.encode()).decode()
        assert (home / "identity.key").stat().st_mode & 0o077 == 0
        assert xuncha(env, "backup", "--verify", str(archive)).returncode == 0


@pytest.mark.django_db(transaction=True)
def test_a_stolen_archive_holds_no_key_no_session_and_no_identity(demo, tmp_path, settings):
    filled = fill(demo)
    call_command("backup", "--out", str(tmp_path), "--no-keys")
    archive = next(tmp_path.glob("xuncha-backup-*.tar.gz"))
    assert not list(tmp_path.glob("xuncha-keys-*"))
    raw = gzip.decompress(archive.read_bytes())
    assert settings.SECRET_KEY.encode() not in raw
    assert ident._key() not in raw
    assert REPORTER.name.encode() not in raw and REPORTER.phone.encode() not in raw
    for session_key in filled["sessions"]:
        assert session_key.encode() not in raw      # issue 14 item 3: sessions never go into a backup
    assert Petition.objects.filter(pk=filled["petition"].pk).exists()
