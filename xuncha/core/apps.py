from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xuncha.core"
    label = "core"
    verbose_name = "平台"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.orgs.models import Role

        def is_admin(user):
            return user.has_role(Role.ADMIN)

        def reads_jurisdiction(user):
            return user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.ADMIN)

        navigation.register(navigation.NavItem("工作台", "home", lambda u: True, order=0))
        navigation.register(navigation.NavItem("巡察轮次", "rounds:list", lambda u: True, order=10))
        navigation.register(navigation.NavItem("组织机构", "orgs:tree", reads_jurisdiction, order=80))
        navigation.register(navigation.NavItem("用户管理", "orgs:users", is_admin, order=85))
        navigation.register(navigation.NavItem("审计日志", "audit:list", is_admin, order=90))
