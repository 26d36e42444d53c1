"""Who may maintain the working-day calendar (工作日历): 巡察办 and 系统管理员; everyone signed in reads it."""

from __future__ import annotations

from xuncha.orgs.models import Role
from xuncha.workdays.models import CalendarDay

from .base import ModelPolicy, is_active_user


class CalendarPolicy(ModelPolicy):
    model = CalendarDay
    actions = {"view": "查看", "manage": "维护"}

    def instances(self, user, action="view"):
        if not self.can(user, action):
            return CalendarDay.objects.none()
        return CalendarDay.objects.all()

    def can(self, user, action, obj=None):
        if not is_active_user(user):
            return False
        if action == "view":
            return True
        return user.has_role(Role.OFFICE, Role.ADMIN)


calendar_policy = CalendarPolicy()
