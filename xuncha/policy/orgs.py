"""Who may see and manage organisations and users."""

from __future__ import annotations

from xuncha.orgs.models import Jurisdiction, Organization, Role, User

from .base import ModelPolicy, is_active_user, jurisdiction_scope


class JurisdictionPolicy(ModelPolicy):
    model = Jurisdiction
    actions = {"view": "查看"}

    def instances(self, user, action="view"):
        return Jurisdiction.objects.filter(pk__in=jurisdiction_scope(user))

    def can(self, user, action, obj=None):
        scope = jurisdiction_scope(user)
        return bool(scope) and (obj is None or obj.pk in scope)


class OrganizationPolicy(ModelPolicy):
    """Offices and leaders see the organisations of their scope; others only their own."""

    model = Organization
    actions = {"view": "查看", "manage": "维护"}

    def instances(self, user, action="view"):
        if not is_active_user(user):
            return Organization.objects.none()
        if action == "manage":
            if not user.has_role(Role.ADMIN):
                return Organization.objects.none()
            return Organization.objects.filter(jurisdiction_id__in=jurisdiction_scope(user))
        scope = jurisdiction_scope(user)
        if scope:
            return Organization.objects.filter(jurisdiction_id__in=scope)
        return Organization.objects.filter(pk=user.organization_id)

    def can(self, user, action, obj=None):
        if action == "manage":
            if not (is_active_user(user) and user.has_role(Role.ADMIN)):
                return False
            return obj is None or obj.jurisdiction_id in jurisdiction_scope(user)
        if obj is None:
            return is_active_user(user)
        return self.instances(user, action).filter(pk=obj.pk).exists()


class UserPolicy(ModelPolicy):
    """Only a system administrator manages accounts, and only those of his jurisdiction scope."""

    model = User
    actions = {"view": "查看", "manage": "管理"}

    def instances(self, user, action="view"):
        if not (is_active_user(user) and user.has_role(Role.ADMIN)):
            return User.objects.none()
        return User.objects.filter(organization__jurisdiction_id__in=jurisdiction_scope(user))

    def can(self, user, action, obj=None):
        if not (is_active_user(user) and user.has_role(Role.ADMIN)):
            return False
        return obj is None or self.instances(user).filter(pk=obj.pk).exists()


jurisdiction_policy = JurisdictionPolicy()
organization_policy = OrganizationPolicy()
user_policy = UserPolicy()
