"""Who may see and manage organisations and users, the leadership rosters and the 巡察干部库.

- organisations: offices and leaders see those of their scope, others only their own; a system
  administrator maintains them; the 领导班子 roster of a unit is kept by the 巡察办 (or the
  administrator) whose scope covers the unit (action ``roster``);
- users: only a system administrator, for his scope;
- 巡察干部库 (``InspectorProfile``): the 巡察办 and the administrator keep the records of the cadres
  (巡察组干部 and 巡察办人员) of their scope.
"""

from __future__ import annotations

from xuncha.orgs.models import InspectorProfile, Jurisdiction, Organization, Role, User

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
    actions = {"view": "查看", "manage": "维护", "roster": "维护领导班子名单"}

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
        if action == "roster":
            if not keeps_cadre_records(user):
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


def keeps_cadre_records(user) -> bool:
    """巡察办 and system administrators keep the 巡察干部库 and the leadership rosters of their scope."""
    return is_active_user(user) and user.has_role(Role.OFFICE, Role.ADMIN)


def cadres(user):
    """The cadres (巡察组干部, 巡察办人员) whose records this user keeps."""
    if not keeps_cadre_records(user):
        return User.objects.none()
    return User.objects.filter(role_assignments__role__in=[Role.INSPECTOR, Role.OFFICE],
                               organization__jurisdiction_id__in=jurisdiction_scope(user)).distinct()


class InspectorProfilePolicy(ModelPolicy):
    """巡察干部库: a cadre's current and former units and his relatives' units (for 回避)."""

    model = InspectorProfile
    actions = {"view": "查看", "manage": "维护"}

    def instances(self, user, action="view"):
        return InspectorProfile.objects.filter(user__in=cadres(user).values("pk"))

    def can(self, user, action, obj=None):
        if not keeps_cadre_records(user):
            return False
        if obj is None:
            return True
        cadre = obj.user if isinstance(obj, InspectorProfile) else obj
        return cadres(user).filter(pk=cadre.pk).exists()

    def cadre(self, user, action, pk) -> User:
        """The cadre (a user) whose record the user reads or keeps: 404 outside his scope."""
        from django.http import Http404

        found = cadres(user).filter(pk=pk).select_related("organization__jurisdiction").first()
        if found is None:
            raise Http404("记录不存在或无权查看。")
        self.require(user, action, found)
        return found


jurisdiction_policy = JurisdictionPolicy()
organization_policy = OrganizationPolicy()
user_policy = UserPolicy()
inspector_policy = InspectorProfilePolicy()
