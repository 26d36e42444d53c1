"""Rate limits of the public forms (公开举报、查询) that keep nothing from which an address can be recovered.

An address is counted under ``HMAC(k, address)`` where ``k`` is a random key that lives only in this
process's memory and is replaced every ``ROTATE`` (a restart also replaces it); the counts live in
Django's cache (local memory by default, never the database or a file) and expire with their window.
Without ``k`` a count cannot be tied to an address, and ``k`` is never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from django.core.cache import cache

from xuncha.core.net import client_ip

ROTATE = 24 * 3600
_lock = threading.Lock()
_state = {"key": secrets.token_bytes(32), "since": time.monotonic(), "generation": secrets.token_hex(4)}


def _key() -> tuple[bytes, str]:
    with _lock:
        if time.monotonic() - _state["since"] > ROTATE:
            rotate()
        return _state["key"], _state["generation"]


def rotate() -> None:
    """Forget the key (and with it every count): called on schedule, and by tests."""
    _state.update(key=secrets.token_bytes(32), since=time.monotonic(), generation=secrets.token_hex(4))


def _cache_key(request, kind: str, window: int) -> str:
    key, generation = _key()
    mac = hmac.new(key, client_ip(request).encode(), hashlib.sha256).hexdigest()[:32]
    return f"xuncha-rl:{generation}:{kind}:{int(time.time() // window)}:{mac}"


def count(request, kind: str, window: int) -> int:
    return cache.get(_cache_key(request, kind, window), 0)


def hit(request, kind: str, window: int) -> None:
    name = _cache_key(request, kind, window)
    if not cache.add(name, 1, timeout=window):
        try:
            cache.incr(name)
        except ValueError:
            cache.add(name, 1, timeout=window)
