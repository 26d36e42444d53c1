import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from xuncha.core.demo import DEMO_PASSWORD


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR="192.0.2.10")


def test_login_and_logout(demo):
    client = Client()
    response = login(client, "zuzhang", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "陈明" in client.get("/").content.decode()
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_wrong_password_message_in_chinese(demo):
    response = login(Client(), "zuzhang", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_lockout_after_repeated_failures(demo):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zuzhang", "wrong-password")
    response = login(client, "zuzhang", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account is not affected
    other = Client()
    assert login(other, "zuyuan", DEMO_PASSWORD).status_code == 302


def test_admin_reset_unlocks(client_as, demo):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "zuyuan", "bad")
    assert login(Client(), "zuyuan", DEMO_PASSWORD).status_code == 429
    admin = client_as("admin")
    admin.post(reverse("orgs:user_password", args=[demo["zuyuan"].pk]), {"new_password": "Neue#Pass2026"})
    assert login(Client(), "zuyuan", "Neue#Pass2026").status_code == 302


def test_password_change(client_as):
    client = client_as("xcb")
    response = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Another#2026", "new_password2": "Another#2026"})
    assert response.status_code == 302
    client.logout()
    assert login(Client(), "xcb", "Another#2026").status_code == 302


@pytest.mark.parametrize("password", ["12345678", "abc"])
def test_password_change_refuses_weak(client_as, password):
    response = client_as("xcb").post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert login(Client(), "xcb", DEMO_PASSWORD).status_code == 302


def test_login_is_audited_with_address(demo):
    from xuncha.audit.models import AuditEntry

    login(Client(), "leader", DEMO_PASSWORD)
    entry = AuditEntry.objects.filter(action="auth.login").order_by("-seq").first()
    assert entry.actor == demo["leader"] and entry.ip == "192.0.2.10"
