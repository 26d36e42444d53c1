"""Two-factor login (TOTP + recovery codes), who must use it, the administrator's reset, idle timeout."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.audit.models import AuditEntry
from xuncha.core.demo import DEMO_PASSWORD
from xuncha.policy.twofactor import must_use_two_factor
from xuncha.twofactor import services
from xuncha.twofactor.middleware import SEEN


def password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD},
                           REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    return client


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def enable(client: Client, user) -> list[str]:
    page = client.get(reverse("twofactor:setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "手动输入密钥" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32                     # the Base32 secret, for typing by hand
    response = client.post(reverse("twofactor:setup"), {"token": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>(\d{4}-\d{4})</code>", response.content.decode())
    assert len(codes) == 10
    return codes


def test_turn_on_then_every_login_needs_the_phone_code(demo):
    client = password_login("zuyuan")
    assert client.get("/").status_code == 200                     # not required, no device: no second step
    enable(client, demo["zuyuan"])
    device = TOTPDevice.objects.get(user=demo["zuyuan"], confirmed=True)
    assert AuditEntry.objects.filter(action="twofactor.enable").exists()

    again = password_login("zuyuan")
    response = again.get("/rounds/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/?next=%2Frounds%2F")
    wrong = again.post(reverse("twofactor:verify"), {"token": "000000", "next": "/rounds/"})
    assert "动态码或恢复码不正确" in wrong.content.decode()
    assert again.get("/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_timestamp = None                     # skip the throttle's wait in the test
    device.throttling_failure_count = 0
    device.save()
    ok = again.post(reverse("twofactor:verify"), {"token": code_for(device, offset=1), "next": "/rounds/"})
    assert ok.status_code == 302 and ok["Location"] == "/rounds/"
    assert again.get("/rounds/").status_code == 200


def test_a_recovery_code_works_once(demo):
    client = password_login("zuyuan")
    codes = enable(client, demo["zuyuan"])
    first = password_login("zuyuan")
    assert first.post(reverse("twofactor:verify"), {"token": codes[0], "next": "/"}).status_code == 302
    assert first.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=demo["zuyuan"]).count() == 9
    second = password_login("zuyuan")
    refused = second.post(reverse("twofactor:verify"), {"token": codes[0], "next": "/"})
    assert refused.status_code == 200 and "不正确" in refused.content.decode()
    assert AuditEntry.objects.filter(action="twofactor.recovery_code").count() == 1


@pytest.mark.parametrize("username, required", [
    ("xcb", True), ("admin", True), ("zuzhang", True), ("fuzuzhang", True), ("sq_admin", True),
    ("zuyuan", False), ("lianluo", False), ("leader", False), ("rfb", False), ("jiwei", False),
])
def test_the_office_can_require_it_for_office_team_leaders_and_administrators(demo, settings, username, required):
    settings.XUNCHA_2FA_REQUIRED = True
    assert must_use_two_factor(demo[username]) is required
    client = password_login(username)
    response = client.get("/")
    if required:
        assert response.status_code == 302 and response["Location"] == reverse("twofactor:setup")
        assert "本单位要求您的岗位使用双因素登录" in client.get(reverse("twofactor:setup")).content.decode()
        enable(client, demo[username])
        assert client.get("/").status_code == 200
        refused = client.post(reverse("twofactor:turn_off"))
        assert refused.status_code == 403
        assert services.is_enabled(demo[username])
    else:
        assert response.status_code == 200


def test_not_required_unless_the_office_says_so(demo, settings):
    settings.XUNCHA_2FA_REQUIRED = False
    assert not must_use_two_factor(demo["admin"])
    assert password_login("admin").get("/").status_code == 200


def test_who_is_not_required_may_turn_it_off(demo):
    client = password_login("zuyuan")
    enable(client, demo["zuyuan"])
    response = client.post(reverse("twofactor:turn_off"))
    assert response.status_code == 302
    assert not services.is_enabled(demo["zuyuan"])
    assert not StaticToken.objects.filter(device__user=demo["zuyuan"]).exists()


def test_an_administrator_resets_a_lost_phone_within_his_scope(demo, client_as):
    client = password_login("zuzhang")
    enable(client, demo["zuzhang"])
    county = client_as("sq_admin")
    assert county.post(reverse("twofactor:reset", args=[demo["zuzhang"].pk])).status_code == 404
    assert services.is_enabled(demo["zuzhang"])
    assert client_as("xcb").post(reverse("twofactor:reset", args=[demo["zuzhang"].pk])).status_code == 404
    response = client_as("admin").post(reverse("twofactor:reset", args=[demo["zuzhang"].pk]))
    assert response.status_code == 302
    assert not services.is_enabled(demo["zuzhang"])
    assert AuditEntry.objects.filter(action="twofactor.reset").exists()
    assert password_login("zuzhang").get("/").status_code == 200


def test_idle_sessions_are_logged_out(demo, settings):
    settings.XUNCHA_SESSION_IDLE_MINUTES = 30
    client = password_login("xcb")
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN] = int(time.time()) - 29 * 60                     # 29 minutes idle: still in
    session.save()
    assert client.get("/").status_code == 200
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60                     # 31 minutes idle: out
    session.save()
    response = client.get("/rounds/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Frounds%2F"
    page = client.get(response["Location"])
    assert "没有操作，为安全起见已自动退出" in page.content.decode()
    assert client.get("/").status_code == 302


def test_the_idle_limit_is_configurable(demo, settings):
    settings.XUNCHA_SESSION_IDLE_MINUTES = 5
    client = password_login("xcb")
    client.get("/")
    session = client.session
    session[SEEN] = int(time.time()) - 6 * 60
    session.save()
    assert client.get("/").status_code == 302
