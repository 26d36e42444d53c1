import os
import subprocess
import sys
from pathlib import Path

import pytest

from xuncha import cli


def run_settings(home: Path, **env):
    code = "import xuncha.settings as s; print(s.SECRET_KEY); print(s.DEBUG); print(s.DATABASES['default']['ENGINE'])"
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XUNCHA_SECRET_KEY")}
    environment.update({"XUNCHA_HOME": str(home), **env})
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                         check=True)
    return out.stdout.split()


def test_secret_key_generated_once_and_kept(tmp_path):
    first = run_settings(tmp_path)
    second = run_settings(tmp_path)
    assert first[0] == second[0] and len(first[0]) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first[1] == "False"
    assert first[2] == "django.db.backends.sqlite3"


def test_settings_from_environment(tmp_path):
    values = run_settings(tmp_path, XUNCHA_SECRET_KEY="k" * 50, XUNCHA_DEBUG="1",
                          DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert values == ["k" * 50, "True", "django.db.backends.postgresql"]
    assert not (tmp_path / "secret_key").exists()


def test_cli_help(capsys):
    assert cli.main(["--help"]) == 0
    assert "xuncha check" in capsys.readouterr().out


@pytest.mark.django_db
def test_cli_dispatches_to_django(capsys):
    cli.main(["audit", "verify"])
    assert "审计链完整" in capsys.readouterr().out
