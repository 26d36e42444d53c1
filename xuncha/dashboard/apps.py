from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "xuncha.dashboard"
    label = "dashboard"
    verbose_name = "指挥舱"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy import dashboard

        navigation.register(navigation.NavItem("指挥舱", "dashboard:index", dashboard.can_view, order=11))
