"""Gapless serials under concurrency on a real SQLite file (the in-memory test database cannot be shared
by threads, so this runs the intake service in a separate process against a file database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from xuncha.core import demo
demo.load()
from xuncha.orgs.models import User
from xuncha.petitions import services
from xuncha.petitions.models import Petition
from xuncha.rounds.models import Round
round_ = Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)
actor = User.objects.get(username="sq_zz")
barrier = threading.Barrier(8)
errors = []
def work():
    try:
        barrier.wait()
        services.intake(actor, round_, services.ReportData(subject_name="某人", content="内容"),
                        channel=Petition.Channel.LETTER)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print("ERRORS", errors)
print("SERIALS", sorted(Petition.objects.filter(round=round_).values_list("serial_no", flat=True)))
"""


def test_concurrent_intake_on_sqlite_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(XUNCHA_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="xuncha.test_settings",
               DJANGO_ALLOW_ASYNC_UNSAFE="true")
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                            timeout=300, cwd=Path(__file__).resolve().parents[3])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ERRORS []" in result.stdout, result.stdout
    assert "SERIALS [1, 2, 3, 4, 5, 6, 7, 8]" in result.stdout, result.stdout
