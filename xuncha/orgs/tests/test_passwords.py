"""Issue 14 item 9: password rules fit Chinese users; ``check --deploy`` is clean in production settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from xuncha.core.demo import DEMO_PASSWORD

WEAK = ["安康安康安康安康", "安安安康康康康康", "woaini1314", "1qaz2wsx", "abcabcabcabc"]


@pytest.mark.django_db
@pytest.mark.parametrize("password", WEAK)
def test_weak_chinese_passwords_refused_on_change(client_as, password):
    response = client_as("xcb").post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    from django.test import Client
    assert Client().post(reverse("login"), {"username": "xcb", "password": password}).status_code != 302


@pytest.mark.django_db
def test_own_name_and_place_refused_good_password_kept(client_as, demo):
    user = demo["xcb"]
    name = user.full_name
    weak = f"{name}{user.organization.jurisdiction.name}1"
    response = client_as("xcb").post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": weak, "new_password2": weak})
    assert response.status_code == 200 and "姓名" in response.content.decode()
    good = "巡察工作2026年好"
    response = client_as("xcb").post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": good, "new_password2": good})
    assert response.status_code == 302


def _deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("XUNCHA_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environ.update(XUNCHA_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="xuncha.settings",
                   XUNCHA_SECRET_KEY="k" * 30 + "Zq8#v" * 6, **env)
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=environ, capture_output=True, text=True, timeout=600)


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    """docs/部署与运维.md: XUNCHA_HTTPS=1, XUNCHA_ALLOWED_HOSTS=内网域名 (HSTS and SSL redirect on)."""
    done = _deploy_check(tmp_path, XUNCHA_HTTPS="1", XUNCHA_ALLOWED_HOSTS="xuncha.ankang.gov.internal")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
