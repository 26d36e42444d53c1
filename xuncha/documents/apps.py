from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xuncha.documents"
    label = "documents"
    verbose_name = "公文"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.documents import template_policy

        navigation.register(navigation.NavItem(
            "公文模板", "documents:templates", lambda user: template_policy.can(user, "manage"), order=82))
