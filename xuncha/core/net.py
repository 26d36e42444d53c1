"""Where a request comes from (for the audit trail and the login lockout).

Only the proxies named in ``XUNCHA_TRUSTED_PROXIES`` (addresses or networks) are believed: when the
request comes from one of them, ``X-Forwarded-For`` is read from the right and the first address
that is not a trusted proxy is the client (the leftmost values are whatever the client chose to
send). A request from anywhere else is the address of its own connection, whatever it claims.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def trusted_proxy(address: str) -> bool:
    ip = _ip(address)
    networks = _networks(tuple(getattr(settings, "XUNCHA_TRUSTED_PROXIES", ()) or ()))
    return ip is not None and any(ip.version == n.version and ip in n for n in networks)


def client_ip(request) -> str:
    if request is None:
        return ""
    remote = (request.META.get("REMOTE_ADDR") or "")[:45]
    if not trusted_proxy(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:          # a malformed hop: nothing left of it can be believed
            return remote
        if not trusted_proxy(str(ip)):
            return str(ip)[:45]
    return remote


def public_url(path: str) -> str:
    """``path`` on the configured public address (``XUNCHA_PUBLIC_URL``); "" when none is configured.

    Links printed on paper (巡察公告, 问卷条) must not carry the address the office happened to open
    the page with (127.0.0.1, an intranet name), so they are never built from the request.
    """
    base = (getattr(settings, "XUNCHA_PUBLIC_URL", "") or "").rstrip("/")
    if not base or not path:
        return ""
    return base + "/" + path.lstrip("/")


def qr_svg(data: str, scale: int = 3) -> str:
    """A QR code of ``data`` as inline SVG, drawn here (no outside service)."""
    import segno

    return segno.make(data, error="m").svg_inline(scale=scale, title=data)


def qr_png(data: str, scale: int = 8) -> bytes:
    import io

    import segno

    buf = io.BytesIO()
    segno.make(data, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()
