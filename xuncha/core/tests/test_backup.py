import shutil
import sqlite3
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

from xuncha.audit.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_backup_makes_a_copy_holding_the_data(tmp_path, capsys, django_user_model):
    django_user_model.objects.create(username="backup_probe")
    call_command("backup", "--out", str(tmp_path))
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert AuditEntry.objects.filter(action="system.backup").exists()
    assert "已备份到" in capsys.readouterr().out
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        names = sqlite3.connect(files[0]).execute("select username from orgs_user").fetchall()
        assert ("backup_probe",) in names
    else:
        if not shutil.which("pg_restore"):
            pytest.skip("pg_restore not installed")
        sql = subprocess.run(["pg_restore", "-f", "-", str(files[0])], capture_output=True,
                             text=True, check=True).stdout
        assert "backup_probe" in sql
