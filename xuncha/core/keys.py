"""The installation's key files (密钥文件) in XUNCHA_HOME: created once, read from then on.

The Django secret key, the reporters' identity key (``identity.key``) and the audit chain's key
(``audit.key``) each come from an environment variable when it is set, otherwise from a file in
XUNCHA_HOME made on first use with mode 0600. The file is written whole under a temporary name and
linked into place, so of two processes starting together one creates it and both read the same key
(never a half-written or empty one). Plain Python, no Django: ``settings.py`` uses it too.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

_cache: dict[str, bytes] = {}


class KeyFileEmpty(RuntimeError):
    """A key file exists but holds nothing: restore it from the key backup (密钥备份)."""


def read_or_create(path: Path, generate: Callable[[], bytes]) -> bytes:
    """The key in ``path``; when there is none, ``generate()`` is written there (mode 0600) first."""
    path = Path(path)
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(generate())
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)          # atomic; fails when another process was first
            except FileExistsError:
                pass
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_bytes().strip()
    if not key:
        raise KeyFileEmpty(f"密钥文件 {path} 是空文件：从密钥备份中恢复。")
    return key


def installation_key(path: Path, env_var: str, generate: Callable[[], bytes]) -> bytes:
    """The key from ``env_var`` when set, else from the file ``path`` (created once, then cached)."""
    from_env = os.environ.get(env_var, "").strip()
    if from_env:
        return from_env.encode()
    cached = _cache.get(str(path))
    if cached is None:
        cached = _cache[str(path)] = read_or_create(path, generate)
    return cached
