"""Login guards: inactivity timeout (超时自动退出) and the second login step (双因素登录)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from xuncha.policy.twofactor import must_use_two_factor

from . import services

SEEN = "_xuncha_seen"
CLEARED = "_xuncha_2fa_clear"     # this session needs no second step (no device, not required)
OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/2fa/verify/", "/accounts/2fa/setup/")


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than ``XUNCHA_SESSION_IDLE_MINUTES``.

    The last-seen time is written at most once a minute, so busy pages do not rewrite the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SEEN)
            if last is not None and now - last > settings.XUNCHA_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, f"您已超过 {settings.XUNCHA_SESSION_IDLE_MINUTES} 分钟没有操作，"
                                       "为安全起见已自动退出，请重新登录。")
                target = reverse("login")
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
            if last is None or now - last >= 60:
                request.session[SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a user with a phone device enters a code; a user who must use two-factor
    login and has none sets it up first. Nothing else is reachable until then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not request.session.get(CLEARED) and not user.is_verified()
                and not request.path.startswith(OPEN_PREFIXES)):
            if services.is_enabled(user):
                return redirect(reverse("twofactor:verify") + "?" + urlencode({"next": request.get_full_path()}))
            if must_use_two_factor(user):
                return redirect("twofactor:setup")
            request.session[CLEARED] = True
        return self.get_response(request)
