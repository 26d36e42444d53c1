"""Reading the key file's passphrase (口令): a file, the environment, or typed at the terminal."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.core.management.base import CommandError

ENV = "XUNCHA_BACKUP_PASSPHRASE"


def passphrase(path: str | None, *, confirm: bool) -> str | None:
    """The passphrase from ``--passphrase-file``, ``$XUNCHA_BACKUP_PASSPHRASE`` or the terminal."""
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, IndexError) as exc:
            raise CommandError(f"无法读取口令文件 {path}。") from exc
    if os.environ.get(ENV):
        return os.environ[ENV]
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("密钥备份文件的口令：")
    if confirm and getpass.getpass("再输入一次：") != first:
        raise CommandError("两次输入的口令不一致。")
    return first
