from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "xuncha.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.workdays import calendar_policy

        navigation.register(navigation.NavItem(
            "工作日历", "workdays:home", lambda user: calendar_policy.can(user, "manage"), order=80))
