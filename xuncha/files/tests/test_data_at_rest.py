"""Issue 14 item 3: data at rest is private whatever the umask; the receipt secret is never stored."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

CHILD = r"""
import os
os.umask(0o022)
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
connection.ensure_connection()
with connection.cursor() as c:
    c.execute("CREATE TABLE t (x int)")
    c.execute("INSERT INTO t VALUES (1)")
default_storage.save("store/2026/11/x.pdf", ContentFile(b"%PDF-1.4"))
from django.core.files.uploadedfile import SimpleUploadedFile
from xuncha.petitions import uploads
uploads.store(SimpleUploadedFile("a.pdf", b"%PDF-1.4"), "pdf")
"""


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_new_installation_is_private_under_a_loose_umask(tmp_path):
    home = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XUNCHA_SECRET_KEY")}
    env.update(XUNCHA_HOME=str(home), DJANGO_SETTINGS_MODULE="xuncha.settings")
    subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, timeout=600)
    assert mode(home) == "0o700"
    assert mode(home / "xuncha.sqlite3") == "0o600"
    assert mode(home / "files") == "0o700"
    for path in (home / "files").rglob("*"):
        assert mode(path) == ("0o700" if path.is_dir() else "0o600"), path
    assert mode(home / "secret_key") == "0o600"


def test_existing_open_files_are_repaired(tmp_path, settings):
    from xuncha.files.permissions import secure_data_folder

    settings.XUNCHA_HOME = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    (tmp_path / "files" / "petitions").mkdir(parents=True)
    old = tmp_path / "files" / "petitions" / "old.pdf"
    old.write_bytes(b"%PDF-")
    for path in (tmp_path, tmp_path / "files", tmp_path / "files" / "petitions"):
        path.chmod(0o755)
    old.chmod(0o644)
    secure_data_folder(walk=True)
    assert mode(tmp_path) == mode(tmp_path / "files" / "petitions") == "0o700"
    assert mode(old) == "0o600"


@pytest.mark.django_db
def test_receipt_secret_never_reaches_the_session_table(city_round):
    reporter = Client()
    response = reporter.post(reverse("petitions:public_report", args=[city_round.pk]), {
        "anonymous": "1", "subject_name": "某科长", "content": "反映某科长收受红包。"}, REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 302
    stored = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    thief = Client()                                   # a copy of the session taken from the database
    thief.cookies[reporter.cookies["sessionid"].key] = reporter.cookies["sessionid"].value
    page = reporter.get(reverse("petitions:public_receipt")).content.decode()
    secret = re.search(r'id="receipt-secret">([A-Z0-9-]+)<', page).group(1)
    assert secret not in stored and secret.replace("-", "") not in stored
    after = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    assert secret not in after
    assert secret not in thief.get(reverse("petitions:public_receipt")).content.decode()
    assert secret not in reporter.get(reverse("petitions:public_receipt")).content.decode()   # shown once
