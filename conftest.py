"""Shared test fixtures: demo data, logged-in clients, and the browser."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(db):
    """The demo city (安康市, 9 counties, users of every role); returns users by username.

    Without the rectification story (``load(quick=True)``: it takes as long again as the rest); tests of
    that story use ``demo_full``."""
    from xuncha.core import demo as demo_module
    from xuncha.orgs.models import User

    demo_module.load(quick=True)
    return {u.username: u for u in User.objects.select_related("organization__jurisdiction")}


@pytest.fixture
def demo_full(db):
    """The demo exactly as ``xuncha demo`` loads it, with 汉阴县's round in the 整改 stage."""
    from xuncha.core import demo as demo_module
    from xuncha.orgs.models import User

    demo_module.load()
    return {u.username: u for u in User.objects.select_related("organization__jurisdiction")}


@pytest.fixture
def client_as(client, demo):
    """client_as("zuzhang") -> a Django test client logged in as that demo user."""
    from django.test import Client

    def make(username: str) -> Client:
        c = Client()
        c.force_login(demo[username])
        return c

    return make


CHROMIUM = os.environ.get("XUNCHA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def login_page(page, live_server):
    """login_page(username) logs the browser page in through the real login form."""
    from xuncha.core.demo import DEMO_PASSWORD

    def do(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture(autouse=True)
def _audit_anchor_dir(settings, tmp_path_factory):
    """Each test writes its audit checkpoints (锚点) to its own folder, like its own database."""
    settings.XUNCHA_AUDIT_ANCHOR_DIR = str(tmp_path_factory.mktemp("audit-anchors"))
    from django.core.cache import cache

    cache.clear()    # public-form rate counts live in the cache, not in the rolled-back database
