from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xuncha.orgs"
    label = "orgs"
    verbose_name = "组织与用户"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.orgs import inspector_policy

        navigation.register(navigation.NavItem(
            "巡察干部库", "orgs:cadres", lambda user: inspector_policy.can(user, "view"), order=82))
