"""Shared test fixtures: demo data, logged-in clients, and the browser."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _demo_users() -> dict:
    from xuncha.orgs.models import User

    return {u.username: u for u in User.objects.select_related("organization__jurisdiction")}


_DEMO_ANCHORS = ""      # this process's folder for the audit checkpoints of demo loads outside any test
_MIGRATION_DATA = ""    # the rows the migrations put into an empty database (taxonomies, templates, ...)


def _outside_tests(load):
    """Run ``load`` outside any test: its audit checkpoints in a folder of their own (not a test's), with no
    rate counts left in the cache by the test before (the demo files public reports)."""
    import tempfile

    from django.core.cache import cache
    from django.test import override_settings

    global _DEMO_ANCHORS
    _DEMO_ANCHORS = _DEMO_ANCHORS or tempfile.mkdtemp(prefix="demo-audit-anchors-")
    cache.clear()
    with override_settings(XUNCHA_AUDIT_ANCHOR_DIR=_DEMO_ANCHORS):
        return load()


def _empty_database() -> None:
    """Back to the database as the migrations left it: no demo, but the migrations' own rows.

    Also inside an open transaction (``empty_database``; on PostgreSQL the deferred foreign-key checks of
    what the transaction wrote run first, as TRUNCATE refuses to run with them pending). Sequences are not
    reset (a rolled-back transaction would not undo it on PostgreSQL); they are past the migrations' rows."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")   # as they were: the rows come back in any order
    connection.creation.deserialize_db_from_string(_MIGRATION_DATA)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """Each test process loads the demo city once, into its test database, before its first database test.

    Tests run in a transaction that is rolled back (``db``), so every test starts from the same demo; a
    test that commits (``transactional_db``, the live server) ends with a flush, after which
    ``pytest_runtest_teardown`` below puts back the migrations' rows and the demo. Loading the demo per
    test cost about 2 s of CPU each, most of the suite's time. Tests that need a database without the
    demo ask for ``empty_database``."""
    from django.db import connection
    from pytest_django.fixtures import _get_databases_for_setup

    from xuncha.core import demo as demo_module

    global _MIGRATION_DATA
    with django_db_blocker.unblock():
        if connection.alias in _get_databases_for_setup(request.session.items)[0]:  # a test database was made
            _MIGRATION_DATA = connection.creation.serialize_db_to_string()
            _outside_tests(lambda: demo_module.load(quick=True))


FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    return transactional or bool(FLUSHING_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that committed (and so was flushed), put back the migrations' rows and the demo."""
    yield
    if nextitem is not None and _MIGRATION_DATA and _flushes_database(item):  # after the last, no database
        import shutil

        from pytest_django.plugin import blocking_manager_key

        from xuncha.core import demo as demo_module

        with item.config.stash[blocking_manager_key].unblock():
            _empty_database()
            shutil.rmtree(_DEMO_ANCHORS, ignore_errors=True)   # the checkpoints of the flushed entries
            os.makedirs(_DEMO_ANCHORS, mode=0o700)
            _outside_tests(lambda: demo_module.load(quick=True))


@pytest.fixture
def empty_database(db, settings):
    """A database as a fresh installation has it after ``migrate``: without the demo (rolled back after),
    and so without the demo's audit checkpoints."""
    import shutil

    _empty_database()
    shutil.rmtree(settings.XUNCHA_AUDIT_ANCHOR_DIR)


@pytest.fixture
def demo(db):
    """The demo city (安康市, 9 counties, users of every role); returns users by username.

    Without the rectification story (``load(quick=True)``: it takes as long again as the rest); tests of
    that story use ``demo_full``. Loaded once per test process (``django_db_setup`` above)."""
    return _demo_users()


@pytest.fixture(scope="module")
def _full_demo(django_db_setup, django_db_blocker):
    """The rectification story on top of the shared demo, for the tests of one module, rolled back after
    (with its audit checkpoints, kept in a copy of the demo's folder meanwhile)."""
    import shutil
    import tempfile

    from django.db import transaction

    from xuncha.core import demo as demo_module

    global _DEMO_ANCHORS
    shared_anchors = _DEMO_ANCHORS
    _DEMO_ANCHORS = tempfile.mkdtemp(prefix="demo-full-audit-anchors-")
    shutil.copytree(shared_anchors, _DEMO_ANCHORS, dirs_exist_ok=True)
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        _outside_tests(demo_module.complete)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)
    shutil.rmtree(_DEMO_ANCHORS, ignore_errors=True)
    _DEMO_ANCHORS = shared_anchors


@pytest.fixture
def demo_full(_full_demo, db):
    """The demo exactly as ``xuncha demo`` loads it, with 汉阴县's round in the 整改 stage."""
    return _demo_users()


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
    """Each test writes its audit checkpoints (锚点) to its own folder, like its own database; the folder
    starts with the checkpoints of the shared demo's entries, which every test's database starts with."""
    import shutil

    anchors = tmp_path_factory.mktemp("audit-anchors")
    if _DEMO_ANCHORS and os.path.isdir(_DEMO_ANCHORS):
        shutil.copytree(_DEMO_ANCHORS, anchors, dirs_exist_ok=True)
    settings.XUNCHA_AUDIT_ANCHOR_DIR = str(anchors)
    from django.core.cache import cache

    cache.clear()    # public-form rate counts live in the cache, not in the rolled-back database
