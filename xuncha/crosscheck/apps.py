from django.apps import AppConfig


class CrosscheckConfig(AppConfig):
    name = "xuncha.crosscheck"
    label = "crosscheck"
    verbose_name = "数据比对"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.crosscheck import check_policy_policy
        from xuncha.tasks import health

        from .jobs import interrupted

        if interrupted not in health.INTERRUPTED_HANDLERS:
            health.INTERRUPTED_HANDLERS.append(interrupted)
        navigation.register(navigation.NavItem(
            "比对策略", "crosscheck:policies", lambda user: check_policy_policy.can(user, "view"), order=85))
