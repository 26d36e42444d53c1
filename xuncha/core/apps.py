from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xuncha.core"
    label = "core"
    verbose_name = "平台"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.audit import audit_policy
        from xuncha.policy.orgs import jurisdiction_policy, user_policy

        navigation.register(navigation.NavItem("工作台", "home", lambda u: True, order=0))
        navigation.register(navigation.NavItem("巡察轮次", "rounds:list", lambda u: True, order=10))
        navigation.register(navigation.NavItem(
            "组织机构", "orgs:tree", lambda u: jurisdiction_policy.can(u, "view"), order=80))
        navigation.register(navigation.NavItem(
            "用户管理", "orgs:users", lambda u: user_policy.can(u, "view"), order=85))
        navigation.register(navigation.NavItem(
            "审计日志", "audit:list", lambda u: audit_policy.can(u, "view"), order=90))
