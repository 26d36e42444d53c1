"""Issue 14 item 7: lockout by user name and address together, lifted by an administrator; the client
address believed only through configured proxies, read from the right, also under ``xuncha serve``."""

from __future__ import annotations

import http.client
import re
import socket
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse

from xuncha.core.demo import DEMO_PASSWORD
from xuncha.core.net import client_ip


def login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def lock(username, ip):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), username, "wrong-password", ip)
    assert login(Client(), username, DEMO_PASSWORD, ip).status_code == 429


@pytest.mark.django_db
def test_a_stranger_cannot_lock_the_administrator_out_everywhere(demo):
    lock("admin", "198.51.100.66")
    assert login(Client(), "admin", DEMO_PASSWORD, "192.0.2.10").status_code == 302


@pytest.mark.django_db
def test_administrator_lifts_a_lockout(demo, client_as):
    lock("zuyuan", "192.0.2.44")
    admin = client_as("admin")
    page = admin.get(reverse("orgs:lockouts")).content.decode()
    assert "zuyuan" in page and "192.0.2.44" in page
    attempt = AccessAttempt.objects.get(username="zuyuan")
    assert client_as("zuyuan").post(reverse("orgs:lockout_unlock", args=[attempt.pk])).status_code in (403, 404)
    assert client_as("zuzhang").get(reverse("orgs:lockouts")).status_code == 403
    assert admin.post(reverse("orgs:lockout_unlock", args=[attempt.pk])).status_code == 302
    assert login(Client(), "zuyuan", DEMO_PASSWORD, "192.0.2.44").status_code == 302
    from xuncha.audit.models import AuditEntry
    assert AuditEntry.objects.filter(action="auth.unlock", actor=demo["admin"]).exists()


@pytest.mark.django_db
def test_county_administrator_sees_only_his_users_lockouts(demo, client_as):
    lock("zuyuan", "192.0.2.45")                         # a city user
    page = client_as("sq_admin").get(reverse("orgs:lockouts")).content.decode()
    assert "192.0.2.45" not in page
    attempt = AccessAttempt.objects.get(username="zuyuan")
    assert client_as("sq_admin").post(reverse("orgs:lockout_unlock", args=[attempt.pk])).status_code == 404


@pytest.mark.parametrize("trusted,remote,forwarded,expected", [
    ([], "203.0.113.5", "10.0.0.1", "203.0.113.5"),                       # nobody trusted
    (["127.0.0.1"], "203.0.113.5", "10.0.0.1", "203.0.113.5"),            # not from the proxy
    (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # leftmost is the client's lie
    (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
    (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
    (["127.0.0.1"], "127.0.0.1", "1.2.3.4, not-an-ip", "127.0.0.1"),
])
def test_client_address_is_the_first_untrusted_from_the_right(settings, trusted, remote, forwarded, expected):
    settings.XUNCHA_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_forwarded_address_reaches_the_app_under_xuncha_serve(demo, settings):
    """The real server with serve's options: the proxy's X-Forwarded-For is not stripped."""
    from waitress import create_server

    from xuncha.core.management.commands.serve import waitress_options
    from xuncha.wsgi import application

    settings.XUNCHA_TRUSTED_PROXIES = ["127.0.0.1"]
    port = _free_port()

    def app(environ, start_response):
        # the server's threads keep their database connections (CONN_MAX_AGE) past the test, and the test
        # database could then not be dropped at the end of the run: each request closes its own here
        try:
            return list(application(environ, start_response))
        finally:
            connections.close_all()

    server = create_server(app, host="127.0.0.1", port=port, threads=2, **waitress_options())
    def serve():
        try:
            server.run()
        except OSError:  # the socket closed under the server's select by server.close() below
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request("GET", "/accounts/login/")
        response = conn.getresponse()
        body = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        cookie = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value
        conn.request("POST", "/accounts/login/",
                     urlencode({"username": "zuzhang", "password": "wrong", "csrfmiddlewaretoken": token}),
                     {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
                      "X-Forwarded-For": "1.2.3.4, 198.51.100.99"})
        assert conn.getresponse().status == 200
    finally:
        server.close()
    assert AccessAttempt.objects.get(username="zuzhang").ip_address == "198.51.100.99"
