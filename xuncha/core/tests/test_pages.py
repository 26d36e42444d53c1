"""Every page renders for every role, in Chinese, and refers to nothing outside the application."""

import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data|srcset|hx-get|hx-post)\s*=\s*["']?\s*(?:[a-z]+:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:[a-z]+:)?//)|(?:@import\s+["']?(?:[a-z]+:)?//)""",
    re.IGNORECASE,
)
LINK = re.compile(r"""href\s*=\s*["']([^"'#]+)["']""")
ROLES = ["admin", "xcb", "leader", "zuzhang", "zuyuan", "lianluo", "rfb", "rfb_head", "jiwei", "sq_xcb", "sq_admin"]
NEVER_FOLLOW = ("/accounts/logout", "/static/")


def plain_routes(resolvers=None, prefix=""):
    """Every URL pattern that takes no argument."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from plain_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if "<" not in route and "(?P" not in route:
                yield "/" + route.lstrip("^").rstrip("$")


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def check_html(path: str, response) -> None:
    body = response.content.decode()
    found = EXTERNAL.search(body)
    assert found is None, f"{path} refers outside the application: {body[found.start():found.start() + 80]}"
    assert 'lang="zh-CN"' in body, f"{path} is not marked as Chinese"


def crawl(client: Client, start: list[str], limit: int = 150) -> dict[str, int]:
    seen_shapes: dict[str, int] = {}
    queue = list(dict.fromkeys(start))
    visited: dict[str, int] = {}
    while queue and len(visited) < limit:
        path = queue.pop(0)
        if path in visited:
            continue
        response = client.get(path)
        visited[path] = response.status_code
        assert response.status_code != 500, f"{path} failed"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        check_html(path, response)
        for href in LINK.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(NEVER_FOLLOW):
                continue
            key = shape(parts.path)
            if seen_shapes.get(key, 0) >= 3 and href not in visited:
                continue
            seen_shapes[key] = seen_shapes.get(key, 0) + 1
            queue.append(href)
    return visited


@pytest.mark.parametrize("username", ROLES)
def test_every_page_renders_for_role_without_external_urls(client_as, username):
    client = client_as(username)
    visited = crawl(client, ["/", *plain_routes()])
    assert visited.get("/") == 200
    assert len([s for s in visited.values() if s == 200]) >= 3


def test_public_pages_render_without_login(demo):
    client = Client()
    visited = crawl(client, ["/public/", "/accounts/login/"], limit=60)
    assert visited["/public/"] == 200 and visited["/accounts/login/"] == 200
    assert client.get("/").status_code == 302


def test_static_assets_are_local():
    for name in ("xuncha/app.css", "xuncha/app.js", "django_htmx/htmx-2.min.js"):
        path = finders.find(name)
        assert path, name
        text = Path(path).read_text(encoding="utf-8")
        if name.endswith(".css"):
            assert not EXTERNAL.search(text), name


def test_security_headers(client_as):
    response = client_as("xcb").get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_static_file_is_served_by_the_application(client):
    response = client.get("/static/xuncha/app.css")
    assert response.status_code == 200
    assert b"--red" in b"".join(response.streaming_content)


def test_navigation_follows_roles(client_as):
    admin_nav = client_as("admin").get("/").content.decode()
    assert "用户管理" in admin_nav and "审计日志" in admin_nav and "组织机构" in admin_nav
    unit_nav = client_as("rfb").get("/").content.decode()
    assert "用户管理" not in unit_nav and "审计日志" not in unit_nav and "组织机构" not in unit_nav
    office_nav = client_as("xcb").get("/").content.decode()
    assert "组织机构" in office_nav and "用户管理" not in office_nav


def test_unknown_page_is_a_chinese_404(client_as):
    response = client_as("xcb").get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
