"""Issue 14 item 8: malformed input gives a clear 4xx, never a 500.

The pages are found by crawling what each role is shown (so every route a user can reach is covered
without a hand-written list); every form field and query parameter found there is sent values that
broke the application before (25-digit numbers, superscript digits, year 9999, 100,000 characters,
NUL), every integer in a route gets 25 digits, and broken requests (bad encodings, odd methods,
broken multipart, oversized fields) are sent to every page.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

LINK = re.compile(r'<a [^>]*href="(/[^"#]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
SKIP = ("/static/", "/accounts/logout/", "/audit/verify/")
ROLES = ["admin", "xcb", "zuzhang", "zuyuan", "sq_zz", "leader", "rfb", "jiwei"]
BAD = ["9" * 25, "²", "9999-12-31", "x" * 100_000, "²-1", "-1", "1\x00"]
PER_ROLE = 80


def attrs(text: str) -> dict:
    return {k.lower(): unescape(v) for k, v in ATTR.findall(text)}


def forms_of(html: str, page: str) -> list[tuple[str, str, dict]]:
    found = []
    for form_attrs, body in FORM.findall(html):
        a = attrs(form_attrs)
        method = a.get("method", "get").lower()
        action = a.get("action") or page
        if not action.startswith("/") or any(s in action for s in SKIP):
            continue
        fields = {}
        for _tag, field_attrs in FIELD.findall(body):
            f = attrs(field_attrs)
            name = f.get("name")
            if not name or f.get("type") in ("file", "submit", "button") or name == "csrfmiddlewaretoken":
                continue
            fields.setdefault(name, f.get("value", ""))
        found.append((method, action, fields))
    return found


def route_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def crawl(client, start: str) -> dict[str, str]:
    """One page per route this client can open: route -> path (query kept)."""
    todo, seen, pages = [start], set(), {}
    while todo and len(seen) < PER_ROLE:
        path = todo.pop(0)
        route = route_of(path)
        key = (route, tuple(sorted(k for k, _ in parse_qsl(urlsplit(path).query))))
        if path in seen or route is None or key in seen:
            continue
        seen.update({path, key})
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages.setdefault(path, route)
        for link in LINK.findall(response.content.decode()):
            link = unescape(link)
            if not any(s in link for s in SKIP) and link not in seen and "page=" not in link:
                todo.append(link)
    return pages


FAILURES: list[str] = []


def assert_no_500(response, what):
    if response.status_code >= 500:
        FAILURES.append(f"{response.status_code} for {what}")


@pytest.fixture(autouse=True)
def _failures():
    FAILURES.clear()
    yield
    assert FAILURES == [], "\n".join(FAILURES[:60])


@pytest.fixture
def pages(demo, client_as):
    by_role = {"": crawl(Client(), "/public/")}
    for username in ROLES:
        by_role[username] = crawl(client_as(username), "/")
    return by_role


@pytest.fixture
def client_as(demo):
    """Like the shared fixture, but the client keeps its user for ``client_for``."""
    def make(username):
        c = Client()
        c.force_login(demo[username])
        c.session_user = demo[username]
        return c
    return make


def client_for(client_as, username):
    """A client that answers like the server does (the error page) instead of raising in the test."""
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(client_as(username).session_user)
    return client


def test_every_field_and_parameter_refuses_bad_values_without_500(pages, client_as):
    tried = 0
    done_forms = set()
    for username, found in pages.items():
        client = client_for(client_as, username)
        for path in found:
            url = urlsplit(path)
            params = dict(parse_qsl(url.query))
            for name in params:                                  # query parameters of the links
                for value in BAD:
                    query = urlencode({**params, name: value})
                    assert_no_500(client.get(f"{url.path}?{query}"), f"{username} GET {url.path} {name}={value[:30]}")
                    tried += 1
            html = client.get(path).content.decode()
            for method, action, fields in forms_of(html, url.path):
                key = (username, route_of(action), method, tuple(sorted(fields)))
                if key in done_forms:
                    continue
                done_forms.add(key)
                for name in fields:
                    for value in BAD:
                        data = {**fields, name: value}
                        send = client.get if method == "get" else client.post
                        response = send(action, data)
                        assert_no_500(response, f"{username} {method.upper()} {action} {name}={value[:30]!r}")
                        tried += 1
    assert tried > 500, tried


def test_huge_ids_in_routes(pages, client_as):
    tried = 0
    for username, found in pages.items():
        client = client_for(client_as, username)
        for path in found:
            huge = re.sub(r"/\d+(?=/)", "/" + "9" * 25, urlsplit(path).path)
            if huge != urlsplit(path).path:
                assert_no_500(client.get(huge), f"{username} GET {huge}")
                assert_no_500(client.post(huge, {}), f"{username} POST {huge}")
                tried += 1
    assert tried > 20, tried


KINDS = ["bad-encoding", "odd-method", "broken-multipart", "huge-field", "bad-json-type", "huge-header", "many-fields"]


def test_broken_requests_get_a_4xx(pages, client_as):
    for kind in KINDS:
        _broken(pages, client_as, kind)


def _broken(pages, client_as, kind):
    for username, found in pages.items():
        client = client_for(client_as, username)
        for path in list(found)[:25]:
            p = urlsplit(path).path
            if kind == "bad-encoding":
                response = client.generic("POST", p, b"text=%ff%fe%00&q=\xff\xfe", CONTENT_TYPE="application/x-www-form-urlencoded")
                assert_no_500(response, f"{kind} {p}")
                response = client.get(p + "?q=%ff%fe&j=%c0%af")
            elif kind == "odd-method":
                response = client.generic("PROPFIND", p)
                assert_no_500(response, f"{kind} {p}")
                response = client.generic("TRACE", p)
            elif kind == "broken-multipart":
                response = client.generic("POST", p, b"--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
                                          CONTENT_TYPE="multipart/form-data; boundary=xx")
                assert_no_500(response, f"{kind} {p}")
                response = client.generic("POST", p, b"garbage", CONTENT_TYPE="multipart/form-data")
            elif kind == "huge-field":
                response = client.post(p, {"text": "x" * 3_000_000, "q": "y" * 3_000_000})
            elif kind == "bad-json-type":
                response = client.generic("POST", p, b"{\"a\": [1, 2", CONTENT_TYPE="application/json")
            elif kind == "huge-header":
                response = client.get(p, HTTP_X_FORWARDED_FOR="1," * 20000, HTTP_ACCEPT_LANGUAGE="zh;q=" + "9" * 5000)
            else:
                response = client.post(p, {f"f{i}": "1" for i in range(3000)})
            assert_no_500(response, f"{kind} {p}")
