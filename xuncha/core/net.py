"""Where a request comes from (for the audit trail and the login lockout)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    if request is None:
        return ""
    if getattr(settings, "XUNCHA_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]


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
