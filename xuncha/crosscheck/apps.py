from django.apps import AppConfig


class CrosscheckConfig(AppConfig):
    name = "xuncha.crosscheck"
    label = "crosscheck"
    verbose_name = "数据比对"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.crosscheck import check_policy_policy
        from xuncha.reports import panels as report_panels
        from xuncha.tasks import health

        from .jobs import interrupted
        from .panels import todo_items

        if interrupted not in health.INTERRUPTED_HANDLERS:
            health.INTERRUPTED_HANDLERS.append(interrupted)
        if todo_items not in report_panels.TODO_SOURCES:
            report_panels.TODO_SOURCES.append(todo_items)
        navigation.register(navigation.NavItem(
            "比对策略", "crosscheck:policies", lambda user: check_policy_policy.can(user, "view"), order=85))
