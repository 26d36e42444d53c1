"""CI's dependency audit (scripts/audit_deps.py): fails on a known vulnerability in a pinned package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

OLD_DJANGO = """[project]
name = "probe"
dependencies = ["Django==4.2.0", "requests>=2"]
[project.optional-dependencies]
x = ["urllib3[socks]==1.26.4"]
"""


def test_every_pin_of_the_project_and_its_extras_is_audited():
    pins = audit.pinned(ROOT / "pyproject.toml")
    assert "Django==5.2.19" in pins and "django-otp==1.7.5" in pins
    assert any(p.startswith("locust==") for p in pins) and any(p.startswith("pip-audit==") for p in pins)


def test_unpinned_requirements_are_not_guessed(tmp_path):
    (tmp_path / "pyproject.toml").write_text(OLD_DJANGO)
    assert audit.pinned(tmp_path / "pyproject.toml") == ["Django==4.2.0", "urllib3==1.26.4"]


def test_a_reported_vulnerability_fails_and_is_named():
    # pip-audit's JSON report format (``pip-audit -f json``)
    report = {"dependencies": [
        {"name": "django", "version": "4.2.0", "vulns": [
            {"id": "PYSEC-2023-61", "fix_versions": ["3.2.19", "4.1.9", "4.2.1"], "aliases": ["CVE-2023-31047"]}]},
        {"name": "segno", "version": "1.6.6", "vulns": []},
        {"name": "offline", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ], "fixes": []}
    vulnerable, skipped = audit.judge(report)
    assert vulnerable == ["django 4.2.0：PYSEC-2023-61（CVE-2023-31047），修复版本 3.2.19、4.1.9、4.2.1"]
    assert skipped == ["offline：Dependency not found on PyPI and could not be audited"]


def test_the_real_audit_of_a_vulnerable_pin(tmp_path, capsys):
    """With the vulnerability service reachable, Django 4.2.0 fails the audit; without it, the audit
    says plainly that nothing could be audited (and fails in strict mode) instead of passing silently."""
    (tmp_path / "pyproject.toml").write_text(OLD_DJANGO)
    code = audit.main(["--pyproject", str(tmp_path / "pyproject.toml")])
    out = capsys.readouterr().out
    if "没有一个包得到审计" in out:
        assert code == 0
        assert audit.main(["--pyproject", str(tmp_path / "pyproject.toml"), "--strict"]) == 1
        pytest.skip("vulnerability service (PyPI JSON API) unreachable here: checked the honest report only")
    assert code == 1
    assert "✘ 已知漏洞 django 4.2.0" in out
