"""The receipt shown once to a public reporter (回执：查询码与查询密码), never stored.

The query password exists in plain text only in this process's memory, from the submission until the
receipt page is shown (at most ``TTL`` seconds), under a random one-time token; the session holds only
the token. Neither the session table nor a backup can give the password away.
"""

from __future__ import annotations

import secrets
import threading
import time

TTL = 600
_lock = threading.Lock()
_held: dict[str, tuple[float, dict]] = {}


def hold(receipt: dict) -> str:
    token = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for key in [k for k, (at, _) in _held.items() if now - at > TTL]:
            del _held[key]
        _held[token] = (now, receipt)
    return token


def take(token) -> dict | None:
    """The receipt, once; None when the token is unknown, used or expired."""
    if not isinstance(token, str):
        return None
    with _lock:
        at, receipt = _held.pop(token, (0.0, None))
    if receipt is None or time.monotonic() - at > TTL:
        return None
    return receipt
