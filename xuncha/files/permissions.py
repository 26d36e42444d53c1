"""Data at rest readable by the service user only (数据文件权限): the data folder and every folder in it
0700, every file 0600, whatever the umask the service was started with.

- ``settings`` sets the process umask to 077 and ``FILE_UPLOAD_PERMISSIONS`` /
  ``FILE_UPLOAD_DIRECTORY_PERMISSIONS``, so new files and folders are created private.
- ``secure_database_files`` (on every new SQLite connection) and ``secure_data_folder`` (when
  ``xuncha serve`` starts) repair what an earlier version or a copy left open; ``xuncha doctor``
  reports what is still open.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings


def _private(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)
    except (FileNotFoundError, PermissionError):
        pass


def secure_data_folder(*, walk: bool = False) -> None:
    home = Path(settings.XUNCHA_HOME)
    _private(home, 0o700)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        _private(media, 0o700)
    if not walk:
        return
    for root, dirs, files in os.walk(home):
        for name in dirs:
            _private(Path(root) / name, 0o700)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                _private(path, 0o600)


def secure_database_files(sender=None, connection=None, **kwargs) -> None:  # noqa: ARG001
    if connection is None or connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        _private(Path(name + suffix), 0o600)
