from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xuncha.reports"
    label = "reports"
    verbose_name = "巡察报告与反馈"

    def ready(self):
        from xuncha.core import navigation, selectors
        from xuncha.policy.reports import sees_unit_feedback

        from .panels import todo_panel

        navigation.register(navigation.NavItem("反馈意见", "reports:feedback_list", sees_unit_feedback, order=15))
        selectors.HOME_PANELS.insert(0, todo_panel)     # 待我办理 comes first on the home page
