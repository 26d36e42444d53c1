"""Pages of the platform itself: 工作台 (home), login, the public entry and error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xuncha.core import selectors


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return context


@login_required
def home(request):
    return render(request, "core/home.html", selectors.home_panels(request.user))


def public_home(request):
    """群众入口: the public announcements and the report form; no login."""
    return render(request, "core/public_home.html", selectors.public_entry())


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
