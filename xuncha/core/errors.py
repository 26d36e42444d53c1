"""Faults of the machine (数据库断开、磁盘已满): a clear Chinese page and one log line, never a trace.

Django turns any exception of a view or middleware into ``handler500``; this module's
``server_error`` looks at the exception and, when the database cannot be reached or the disk is
full, answers 503 / 507 with a page that says what happened and that nothing half-done was saved
(every service writes inside a transaction). ``OneLineFaults`` is a logging filter on
``django.request`` that writes such faults as one line in Chinese instead of a traceback.

The app recovers by itself when the database returns: ``CONN_HEALTH_CHECKS`` makes Django test a
kept connection before reusing it, and a connection that raised is dropped at the end of the request.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sys

from django import db
from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
DISK_MESSAGES = ("database or disk is full", "no space left on device", "could not extend file",
                 "disk quota exceeded")
PAGES = {
    "disk": ("errors/disk.html", 507, "磁盘空间不足"),
    "database": ("errors/database.html", 503, "数据库无法连接"),
}


def disk_full() -> bool:
    """Is the disk of the data folder (SQLite database, uploads) full?"""
    try:
        return shutil.disk_usage(settings.XUNCHA_HOME).free < 1024 * 1024
    except OSError:
        return False


def classify(exc: BaseException | None) -> str | None:
    """'disk', 'database' or None (an ordinary bug) for an exception and its causes.

    A database error while the data folder's disk is full is the full disk (SQLite then reports
    only "disk I/O error")."""
    kind = _classify(exc)
    if kind == "database" and disk_full():
        return "disk"
    return kind


def _classify(exc: BaseException | None) -> str | None:
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
            return "disk"
        text = str(exc).lower()
        if isinstance(exc, db.Error) and any(m in text for m in DISK_MESSAGES):
            return "disk"
        if getattr(getattr(exc, "sqlstate", None), "startswith", lambda _: False)("53"):
            return "disk"     # PostgreSQL class 53: insufficient resources (disk full, …)
        if isinstance(exc, db.OperationalError | db.InterfaceError):
            return "database"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _describe(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def server_error(request, template_name="500.html"):
    """handler500: the fault page for a missing database or a full disk, else the usual 500 page.

    Rendered without the request context: no database query, no user, nothing that can fail again.
    """
    kind = classify(sys.exc_info()[1])
    if kind is None:
        return HttpResponseServerError(loader.get_template(template_name).render())
    template, status, _ = PAGES[kind]
    response = HttpResponse(loader.get_template(template).render(), status=status)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class OneLineFaults(logging.Filter):
    """On ``django.request``: a database or disk fault is logged as one Chinese line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        kind = classify(exc)
        if kind is not None:
            request = getattr(record, "request", None)
            path = getattr(request, "path", "") if request is not None else ""
            record.msg = "%s：%s %s（%s）"
            record.args = (PAGES[kind][2], getattr(request, "method", ""), path, _describe(exc))
            record.exc_info = None
            record.exc_text = None
        return True
