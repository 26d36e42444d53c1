"""Log sign-ins and sign-outs in the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .models import AuditEntry
from .services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(user, "auth.login", user, request=request, summary=f"{user.display_name} 登录",
           kind=AuditEntry.Kind.LOGIN)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, "auth.logout", user, request=request, summary=f"{user.display_name} 退出",
               kind=AuditEntry.Kind.LOGIN)
