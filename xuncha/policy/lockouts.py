"""Who may see and lift login lockouts (账号锁定): system administrators, for the user names of their
scope; names that are no account (guesses) only the administrators of a top-level jurisdiction."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.db.models import Q

from xuncha.orgs.models import Role, User

from .base import ModelPolicy, is_active_user, jurisdiction_scope


def _admin(user) -> bool:
    return is_active_user(user) and user.has_role(Role.ADMIN) and bool(user.organization_id)


class LockoutPolicy(ModelPolicy):
    model = AccessAttempt
    actions = {"view": "查看", "unlock": "解除锁定"}

    def instances(self, user, action="view"):
        if not _admin(user):
            return AccessAttempt.objects.none()
        scope = jurisdiction_scope(user)
        own = User.objects.filter(organization__jurisdiction_id__in=scope).values("username")
        visible = Q(username__in=own)
        if user.organization.jurisdiction.parent_id is None:
            visible |= ~Q(username__in=User.objects.values("username")) | Q(username__isnull=True)
        return AccessAttempt.objects.filter(visible)

    def can(self, user, action, obj=None):
        if not _admin(user):
            return False
        return obj is None or self.instances(user).filter(pk=obj.pk).exists()


lockout_policy = LockoutPolicy()
