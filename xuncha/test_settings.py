"""Settings for the test suite: a throw-away data folder and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("XUNCHA_HOME", tempfile.mkdtemp(prefix="xuncha-test-"))

from xuncha.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# SQLite test database in a file (in the throw-away data folder), as in production, not a shared-cache
# in-memory one: browser tests run a real task worker thread beside the live server, and shared-cache
# memory databases lock whole tables against other connections without waiting (issue 9).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["XUNCHA_HOME"], "test.sqlite3")}  # noqa: F405
