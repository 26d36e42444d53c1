"""Django settings, read from the environment.

- ``XUNCHA_HOME``: data folder (SQLite file, secret key, uploads, keys); default ``./data``.
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/db``; default SQLite in ``XUNCHA_HOME``.
- ``XUNCHA_SECRET_KEY``: else generated once and kept in ``XUNCHA_HOME/secret_key``.
- ``XUNCHA_DEBUG``: ``1`` to turn debug on (off by default).
- ``XUNCHA_ALLOWED_HOSTS``: comma separated host names (default localhost only).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from xuncha.core.keys import installation_key

BASE_DIR = Path(__file__).resolve().parent
XUNCHA_HOME = Path(os.environ.get("XUNCHA_HOME", "data")).resolve()
XUNCHA_HOME.mkdir(mode=0o700, parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    return installation_key(XUNCHA_HOME / "secret_key", "XUNCHA_SECRET_KEY",
                            lambda: secrets.token_urlsafe(50).encode()).decode()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("XUNCHA_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("XUNCHA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
# Behind a reverse proxy on the intranet, trust X-Forwarded-For for the audit trail's address.
XUNCHA_TRUST_PROXY = _env_flag("XUNCHA_TRUST_PROXY")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "xuncha.core",
    "xuncha.orgs",
    "xuncha.audit",
    "xuncha.rounds",
    "xuncha.workdays",
    "xuncha.documents",
    "xuncha.petitions",
    "xuncha.clues",
    "xuncha.files",
    "xuncha.findings",
    "xuncha.reports",
    "xuncha.rectification",
    "xuncha.surveys",
    "xuncha.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xuncha.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuncha.urls"
WSGI_APPLICATION = "xuncha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{XUNCHA_HOME / 'xuncha.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): 5 failures → 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("XUNCHA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("XUNCHA_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "xuncha.core.net.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = _env_flag("XUNCHA_HTTPS")
CSRF_COOKIE_SECURE = _env_flag("XUNCHA_HTTPS")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = XUNCHA_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = XUNCHA_HOME / "files"   # uploads, never under the web root

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XUNCHA_LOG_LEVEL", "WARNING")},
}

CSRF_FAILURE_VIEW = "xuncha.core.views.csrf_failure"
# We lock the *account* after repeated failures (username), which is what the check asks for
# against password guessing; locking by address would lock a whole office behind one NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# ---- 运行（issue 16）: faults, connection health ------------------------------------------------
# A kept database connection is tested before reuse, so the app recovers by itself when the database
# returns; a database or disk fault is logged as one Chinese line (xuncha.core.errors).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["ENGINE"].endswith("postgresql")
LOGGING["filters"] = {"one_line_faults": {"()": "xuncha.core.errors.OneLineFaults"}}
LOGGING["loggers"] = {"django.request": {"filters": ["one_line_faults"]}}
# xuncha doctor: the least free space (MB) on the data folder's disk
XUNCHA_MIN_FREE_MB = int(os.environ.get("XUNCHA_MIN_FREE_MB", "2048"))
# Behind nginx with HTTPS (docs/部署与运维.md): every request reaches `xuncha serve` through the proxy's
# TLS, so serve marks requests https (waitress url_scheme) and Django redirects any plain request.
if _env_flag("XUNCHA_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("XUNCHA_HSTS_SECONDS", str(365 * 24 * 3600)))
# HSTS for the platform's own host only: other intranet services under the same parent domain may
# still be plain HTTP (includeSubDomains would cut them off), and the public preload list means
# nothing on an intranet.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021"]

# ---- 运行（issue 16）: two-factor login, inactivity timeout ------------------------------------
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static",
                   "xuncha.twofactor"]
_after = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_after:_after] = ["django_otp.middleware.OTPMiddleware",
                             "xuncha.twofactor.middleware.IdleTimeoutMiddleware",
                             "xuncha.twofactor.middleware.TwoFactorMiddleware"]
OTP_TOTP_ISSUER = "巡察工作平台"
OTP_TOTP_THROTTLE_FACTOR = 1          # wait 1, 2, 4, … seconds after each wrong code
# 巡察办、组长、系统管理员 must use two-factor login (who exactly: xuncha/policy/twofactor.py)
XUNCHA_2FA_REQUIRED = _env_flag("XUNCHA_2FA_REQUIRED")
# Log out after this many minutes without a request
XUNCHA_SESSION_IDLE_MINUTES = int(os.environ.get("XUNCHA_SESSION_IDLE_MINUTES", "30"))

# ---- e-mail (整改提醒 sent by `xuncha remind`; the intranet's own mail server) ----
EMAIL_HOST = os.environ.get("XUNCHA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("XUNCHA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("XUNCHA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("XUNCHA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("XUNCHA_EMAIL_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("XUNCHA_EMAIL_FROM", "xuncha@localhost")
# The platform's public address (码上巡察: the QR code of the 巡察公告, the survey slips), e.g.
# https://xuncha.example.gov.cn — never taken from the request, which may be 127.0.0.1 at the office
XUNCHA_PUBLIC_URL = os.environ.get("XUNCHA_PUBLIC_URL", "").strip().rstrip("/")
# ---- 数据比对在轮次中运行（issue 9）: background jobs on Django's task framework (django-tasks backport,
# database backend: no extra server). `xuncha worker` runs them; `xuncha serve` and `xuncha demo` start one.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "xuncha.tasks", "xuncha.crosscheck"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# ---- 安全加固（issue 14）: uploads, data at rest ----------------------------------------------
# Uploads: each file in an anonymous temp file (nothing left when a request dies), kept only up to
# the limit while the body streams in; a body over the request limit is refused before it is read.
FILE_UPLOAD_HANDLERS = ["xuncha.files.limits.BoundedUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(XUNCHA_HOME / "tmp")
(XUNCHA_HOME / "tmp").mkdir(mode=0o700, exist_ok=True)
XUNCHA_MAX_UPLOAD_BYTES = int(os.environ.get("XUNCHA_MAX_UPLOAD_MB", "10")) * 1024 * 1024
XUNCHA_MAX_REQUEST_BYTES = int(os.environ.get("XUNCHA_MAX_REQUEST_MB", "60")) * 1024 * 1024
# signed-in staff (数据比对的数据文件 up to 200 MB)
XUNCHA_MAX_STAFF_UPLOAD_BYTES = int(os.environ.get("XUNCHA_MAX_STAFF_UPLOAD_MB", "200")) * 1024 * 1024
# Malformed requests (NUL, over-long query values, broken bodies, odd methods, out-of-range numbers and
# dates) are a clear 4xx, never a 500: after the session and user are known, before any view.
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = ["xuncha.files.limits.RequestSizeMiddleware",
                                       "xuncha.core.badrequest.MalformedRequestMiddleware"]
# Data at rest for the service user only: folders 0700, files 0600 whatever the starting umask
# (xuncha.files.permissions repairs the SQLite files on connection; `xuncha serve` repairs the whole
# data folder when it starts; `xuncha doctor` reports anything still open).
os.umask(0o077)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# ---- 安全加固（issue 14）: login lockout, trusted proxies, passwords ---------------------------
# Lock a user name from one address (5 failures → 15 minutes): a stranger cannot lock the
# administrator out everywhere; an administrator unlocks at 账号锁定 (orgs:lockouts).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SILENCED_SYSTEM_CHECKS = [c for c in SILENCED_SYSTEM_CHECKS if c != "axes.W006"]
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma separated). The legacy
# XUNCHA_TRUST_PROXY=1 means a proxy on this machine (nginx in front of `xuncha serve`).
XUNCHA_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("XUNCHA_TRUSTED_PROXIES", "").split(",") if p.strip()]
if XUNCHA_TRUST_PROXY and not XUNCHA_TRUSTED_PROXIES:
    XUNCHA_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
AUTH_PASSWORD_VALIDATORS = [*AUTH_PASSWORD_VALIDATORS, {"NAME": "xuncha.orgs.passwords.ChinesePasswordValidator"}]
