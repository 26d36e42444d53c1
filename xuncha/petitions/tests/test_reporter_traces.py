"""Issue 14 item 4: the public forms are rate-limited without leaving anything from which a reporter's
address could be recovered: no stored value equals a keyed hash of the address under any key the
installation keeps, nor the address itself, nor its plain hash."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from xuncha.audit import anchors
from xuncha.petitions import identity, ratelimit
from xuncha.petitions.tests.test_identity import _all_text_in_database

pytestmark = pytest.mark.django_db
IP = "10.77.66.55"


def installation_keys() -> list[bytes]:
    keys = [settings.SECRET_KEY.encode(), identity._key(), anchors.audit_key()]
    for path in Path(settings.XUNCHA_HOME).iterdir():
        if path.is_file() and (path.suffix == ".key" or path.name == "secret_key"):
            keys.append(path.read_bytes().strip())
    return keys


def traces_of(address: str) -> set[str]:
    """Every form of the address a store could hold (hex digests and their 16+ character prefixes)."""
    digests = [hashlib.sha256(address.encode()).hexdigest(), hashlib.md5(address.encode()).hexdigest()]  # noqa: S324
    for key in installation_keys():
        for algo in (hashlib.sha256, hashlib.sha1, hashlib.md5):
            digests.append(hmac.new(key, address.encode(), algo).hexdigest())
    return {address} | {d[:16] for d in digests}


def all_files_text() -> str:
    chunks = []
    for root in {Path(settings.XUNCHA_HOME), Path(settings.MEDIA_ROOT)}:
        for path in root.rglob("*"):
            if path.is_file() and path.stat().st_size < 5 * 1024 * 1024:
                chunks.append(path.read_bytes().decode("latin-1"))
    return "\n".join(chunks)


def submit(client):
    return client.post(reverse("petitions:public_report", args=[_round().pk]), {
        "anonymous": "1", "subject_name": "市人防办某科长", "content": "反映某科长收受红包。"}, REMOTE_ADDR=IP)


def _round():
    from xuncha.rounds.models import Round
    return Round.objects.get(jurisdiction__name="安康市", number=1, year=2026)


def test_rate_limit_keeps_no_recoverable_address(demo):
    c = Client()
    for _ in range(5):
        assert submit(c).status_code == 302
    assert submit(c).status_code == 429                 # the limit works …
    for _ in range(11):
        c.post(reverse("petitions:public_follow"), {"code": "JBAAAAAAAAAA", "secret": "x"}, REMOTE_ADDR=IP)
    stored = _all_text_in_database() + all_files_text()
    assert "反映某科长收受红包" in _all_text_in_database()      # the scan is not blind
    for trace in traces_of(IP):                          # … and nothing stored points back to IP
        assert trace not in stored, trace


def test_rotation_forgets_every_count(demo):
    c = Client()
    for _ in range(5):
        submit(c)
    assert submit(c).status_code == 429
    ratelimit.rotate()
    assert submit(c).status_code == 302
