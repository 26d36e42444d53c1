"""URL map. Each app owns its URLs under its own prefix."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from xuncha.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("public/", core_views.public_home, name="public_home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/2fa/", include("xuncha.twofactor.urls")),
    path("orgs/", include("xuncha.orgs.urls")),
    path("audit/", include("xuncha.audit.urls")),
    path("rounds/", include("xuncha.rounds.urls")),
    path("calendar/", include("xuncha.workdays.urls")),
    path("documents/", include("xuncha.documents.urls")),
    path("petitions/", include("xuncha.petitions.urls")),
    path("clues/", include("xuncha.clues.urls")),
    path("problems/", include("xuncha.findings.urls")),
    path("reports/", include("xuncha.reports.urls")),
    path("rectification/", include("xuncha.rectification.urls")),
    path("surveys/", include("xuncha.surveys.urls")),
    path("dashboard/", include("xuncha.dashboard.urls")),
    path("crosscheck/", include("xuncha.crosscheck.urls")),
]

handler500 = "xuncha.core.errors.server_error"
