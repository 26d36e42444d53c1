"""Malformed requests get a clear 4xx, never a 500 (畸形请求).

``MalformedRequestMiddleware`` refuses before any view runs: a NUL character in any parameter, a
query parameter longer than ``MAX_QUERY_VALUE`` characters, a body Django cannot parse (broken
multipart, too many fields, bad encoding). Values out of any range the database or the calendar can
hold (a 25-digit number, year 9999 plus days) that still reach a query are answered 400 through
``process_exception`` (``OverflowError``, ``DataError``), naming no internals.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import DataError
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

MAX_QUERY_VALUE = 2000
METHODS = {"GET", "HEAD", "POST", "OPTIONS"}


def bad_request(request, message: str, status: int = 400) -> HttpResponse:
    try:
        body = render_to_string("400.html", {"message": message}, request=request)
    except Exception:   # the error page must never fail itself
        body = message
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _problem(request) -> str | None:
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if "\x00" in value:
                return "请求中含有非法字符。"
            if len(value) > MAX_QUERY_VALUE:
                return f"查询条件过长（不超过 {MAX_QUERY_VALUE} 个字）。"
    if request.method == "POST":
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return "提交的内容中含有非法字符。"
    return None


class MalformedRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODS:
            response = bad_request(request, "不支持的请求方式。", status=405)
            response["Allow"] = ", ".join(sorted(METHODS))
            return response
        try:
            problem = _problem(request)
        except (RequestDataTooBig, TooManyFieldsSent) as exc:
            return bad_request(request, f"提交的内容过大或字段过多（{type(exc).__name__}）。", status=413)
        except (MultiPartParserError, SuspiciousOperation, BadRequest, UnicodeDecodeError, ValueError):
            return bad_request(request, "请求格式错误，无法读取提交的内容。")
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | DataError):
            return bad_request(request, "输入的数值或日期超出范围，请检查后重新填写。")
        return None
