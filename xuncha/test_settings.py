"""Settings for the test suite: a throw-away data folder and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("XUNCHA_HOME", tempfile.mkdtemp(prefix="xuncha-test-"))

from xuncha.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
