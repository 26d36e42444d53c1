"""backup --verify, the key file and restore's refusals."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.files import services as files
from xuncha.ops import backup, keyfile

from .helpers import fresh_installation, xuncha

PDF = b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF\n"


@pytest.fixture
def archive(transactional_db, tmp_path, django_user_model):
    django_user_model.objects.create(username="probe")
    files.store_bytes(PDF, name="证据.pdf", kind="pdf")
    call_command("backup", "--out", str(tmp_path / "out"), "--no-keys")
    return next((tmp_path / "out").glob("xuncha-backup-*.tar.gz"))


def rewrite(src, dest, change):
    """Copy an archive member by member; ``change(name, data)`` returns new bytes or None to drop."""
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dest, "w:gz") as tout:
        for member in tin:
            data = change(member.name, tin.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            tout.addfile(member, io.BytesIO(data))
    return dest


def test_verify_accepts_a_good_archive(archive, capsys):
    call_command("backup", "--verify", str(archive))
    assert "完好" in capsys.readouterr().out


def test_verify_names_a_changed_file(archive, tmp_path):
    def flip(name, data):
        return data.replace(b"x", b"y", 1) if name.startswith("home/files/") else data

    bad = rewrite(archive, tmp_path / "bad.tar.gz", flip)
    checked = backup.verify(bad)
    assert not checked.ok and any("SHA-256 不符" in p and "home/files/" in p for p in checked.problems)
    with pytest.raises(CommandError, match="核验未通过"):
        call_command("backup", "--verify", str(bad))


def test_verify_names_a_missing_and_an_extra_file(archive, tmp_path):
    bad = rewrite(archive, tmp_path / "bad.tar.gz", lambda n, d: None if n.startswith("home/files/") else d)
    assert any(p.startswith("缺少文件：home/files/") for p in backup.verify(bad).problems)

    def manifest_drops_file(name, data):
        if name == backup.MANIFEST:
            manifest = json.loads(data)
            manifest["members"] = [m for m in manifest["members"] if not m["name"].startswith("home/files/")]
            return json.dumps(manifest).encode()
        return data

    extra = rewrite(archive, tmp_path / "extra.tar.gz", manifest_drops_file)
    assert any(p.startswith("清单中没有的文件：home/files/") for p in backup.verify(extra).problems)


def test_verify_refuses_a_truncated_or_foreign_file(archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "损坏或不完整" in backup.verify(cut).problems[0]
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    assert "不是巡察工作平台的备份文件" in backup.verify(other).problems[0]


def test_backup_without_passphrase_or_no_keys_refuses(transactional_db, tmp_path, monkeypatch):
    monkeypatch.delenv("XUNCHA_BACKUP_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="需要口令"):
        call_command("backup", "--out", str(tmp_path))
    short = tmp_path / "short"
    short.write_text("123")
    with pytest.raises(CommandError, match="口令太短"):
        call_command("backup", "--out", str(tmp_path), "--passphrase-file", str(short))
    assert not list(tmp_path.glob("xuncha-backup-*"))


def test_key_file_needs_the_right_passphrase(tmp_path):
    path = keyfile.write(tmp_path / "k.enc", {"identity.key": "abc", "secret_key": "s3cret"}, "正确的口令正确的口令")
    assert path.stat().st_mode & 0o077 == 0
    assert b"s3cret" not in path.read_bytes() and b"abc\"" not in path.read_bytes()
    assert keyfile.read(path, "正确的口令正确的口令") == {"identity.key": "abc", "secret_key": "s3cret"}
    with pytest.raises(keyfile.KeyFileError, match="口令不正确"):
        keyfile.read(path, "错误的口令错误的口令")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_used_installation_and_a_damaged_archive(archive, tmp_path):
    with pytest.raises(CommandError, match="目标安装不是空的"):
        call_command("restore", str(archive), "--without-keys")
    bad = rewrite(archive, tmp_path / "bad.tar.gz",
                  lambda n, d: d + b"!" if n.startswith("home/files/") else d)
    with fresh_installation(tmp_path) as (home, env):
        result = xuncha(env, "restore", str(bad), "--without-keys", check=False)
        assert result.returncode != 0
        assert "校验未通过，未做任何恢复" in result.stderr and "home/files/" in result.stderr
        assert not (home / "files").exists()
        result = xuncha(env, "restore", str(archive), check=False)
        assert result.returncode != 0 and "--keys" in result.stderr
        xuncha(env, "restore", str(archive), "--without-keys")
        again = xuncha(env, "restore", str(archive), "--without-keys", check=False)
        assert again.returncode != 0 and "目标安装不是空的" in again.stderr
