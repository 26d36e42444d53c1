"""Key files of the installation: created once, 0600, whole; the environment wins; an empty file is refused."""

from __future__ import annotations

import multiprocessing
import secrets
import stat

import pytest

from xuncha.core import keys


def test_created_once_with_mode_0600_and_then_read(tmp_path):
    path = tmp_path / "audit.key"
    first = keys.read_or_create(path, lambda: b"k1")
    assert first == b"k1" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.read_or_create(path, lambda: b"k2") == b"k1"           # never replaced
    assert [p.name for p in tmp_path.iterdir()] == ["audit.key"]        # no temporary file left


def test_environment_wins_and_file_key_is_cached(tmp_path, monkeypatch):
    path = tmp_path / "identity.key"
    monkeypatch.setenv("XUNCHA_TEST_KEY", " from-env ")
    assert keys.installation_key(path, "XUNCHA_TEST_KEY", lambda: b"file") == b"from-env"
    assert not path.exists()
    monkeypatch.delenv("XUNCHA_TEST_KEY")
    assert keys.installation_key(path, "XUNCHA_TEST_KEY", lambda: b"file") == b"file"
    path.write_bytes(b"changed")
    assert keys.installation_key(path, "XUNCHA_TEST_KEY", lambda: b"other") == b"file"


def test_empty_key_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "audit.key"
    path.write_bytes(b"\n")
    with pytest.raises(keys.KeyFileEmpty, match="空文件：从密钥备份中恢复"):
        keys.read_or_create(path, lambda: b"new")
    assert path.read_bytes() == b"\n"                                   # a lost key is not silently replaced


def _race(path, start, out):
    start.wait()
    out.put(keys.read_or_create(path, lambda: secrets.token_hex(16).encode()))


def test_processes_starting_together_share_one_whole_key(tmp_path):
    """Every process reads the key that was linked into place, never an empty or half-written file."""
    ctx = multiprocessing.get_context("fork")
    for round_ in range(5):
        path = tmp_path / f"race{round_}.key"
        start, out = ctx.Event(), ctx.Queue()
        workers = [ctx.Process(target=_race, args=(path, start, out)) for _ in range(6)]
        for w in workers:
            w.start()
        start.set()
        got = {out.get(timeout=30) for _ in workers}
        for w in workers:
            w.join(timeout=30)
        assert got == {path.read_bytes()} and len(path.read_bytes()) == 32
