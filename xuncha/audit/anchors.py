"""The audit chain's key and its signed checkpoints (审计链密钥与锚点), both kept outside the database.

- The key (``XUNCHA_AUDIT_KEY``, else ``XUNCHA_HOME/audit.key``, created 0600 on first use) keys every
  entry's hash (HMAC-SHA256): whoever can write the database but not read the key cannot rehash an
  edited entry or its successors. It goes into the backup's key file, never into the archive.
- A checkpoint (锚点) is one printable line ``seq hash time signature``: the chain's last entry,
  signed with the key. After each committed audit entry the latest checkpoint is rewritten
  (``latest.txt``); every ``ANCHOR_EVERY`` entries, and on ``xuncha audit anchor``, a line is
  appended to ``anchors.txt``. Both live in ``XUNCHA_AUDIT_ANCHOR_DIR`` (default
  ``XUNCHA_HOME/audit-anchors``); the office can print the line or send it away.
  ``verify_chain`` requires every checkpoint's entry to be present with the same hash, so a
  truncated, emptied or rewritten tail is found even when the database's head row was reset.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from xuncha.core import keys

KEY_FILE = "audit.key"
ANCHOR_EVERY = 100


def key_path() -> Path:
    return Path(settings.XUNCHA_HOME) / KEY_FILE


def audit_key() -> bytes:
    """The chain's secret key (from the environment, else the key file, created once)."""
    return keys.installation_key(key_path(), "XUNCHA_AUDIT_KEY", lambda: secrets.token_hex(32).encode())


def mac(payload: bytes) -> str:
    return hmac.new(audit_key(), payload, hashlib.sha256).hexdigest()


def anchor_dir() -> Path:
    configured = getattr(settings, "XUNCHA_AUDIT_ANCHOR_DIR", None)
    path = Path(configured) if configured else Path(settings.XUNCHA_HOME) / "audit-anchors"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Anchor:
    """A signed checkpoint: the chain had entry ``seq`` with ``hash`` at ``at``."""

    seq: int
    hash: str
    at: str
    signature: str

    @staticmethod
    def _signed(seq: int, hash_: str, at: str) -> str:
        return mac(f"xuncha-audit-anchor|{seq}|{hash_}|{at}".encode())

    @classmethod
    def make(cls, seq: int, hash_: str, at: str) -> Anchor:
        return cls(seq, hash_, at, cls._signed(seq, hash_, at))

    def valid(self) -> bool:
        return hmac.compare_digest(self.signature, self._signed(self.seq, self.hash, self.at))

    def line(self) -> str:
        return f"{self.seq} {self.hash} {self.at} {self.signature}"

    @classmethod
    def parse(cls, line: str) -> Anchor | None:
        parts = line.split()
        if len(parts) != 4 or not (parts[0].isascii() and parts[0].isdigit()):
            return None
        return cls(int(parts[0]), parts[1], parts[2], parts[3])


def _locked(directory: Path):
    handle = open(directory / ".lock", "a")  # noqa: SIM115 — closed by the caller
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _read(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        return []


def write(seq: int, hash_: str, at: str, *, log: bool = False) -> Anchor:
    """Record a checkpoint (after the entry is committed); the latest never goes backwards."""
    anchor = Anchor.make(seq, hash_, at)
    directory = anchor_dir()
    lock = _locked(directory)
    try:
        latest = directory / "latest.txt"
        current = [Anchor.parse(line) for line in _read(latest)]
        if not current or current[0] is None or current[0].seq < seq:
            tmp = directory / f".latest.{os.getpid()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(anchor.line() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, latest)
        if log or seq % ANCHOR_EVERY == 0:
            fd = os.open(directory / "anchors.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(anchor.line() + "\n")
    finally:
        lock.close()
    return anchor


def read_all() -> tuple[list[Anchor], list[str]]:
    """Every checkpoint on file, and the lines that are not checkpoints (damaged)."""
    directory = anchor_dir()
    anchors, bad = [], []
    for name in ("anchors.txt", "latest.txt"):
        for line in _read(directory / name):
            anchor = Anchor.parse(line)
            if anchor is None:
                bad.append(f"{name}: {line[:80]}")
            else:
                anchors.append(anchor)
    return anchors, bad


# ---- entries written before the chain was keyed (升级前的记录) -----------------------------------

def read_legacy() -> Anchor | None:
    """The signed seal of the entries hashed with plain SHA-256 before the upgrade, if any."""
    lines = _read(anchor_dir() / "legacy.txt")
    return Anchor.parse(lines[0]) if lines else None


def write_legacy(seq: int, hash_: str) -> Anchor:
    anchor = Anchor.make(seq, hash_, "legacy")
    fd = os.open(anchor_dir() / "legacy.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(anchor.line() + "\n")
    return anchor
