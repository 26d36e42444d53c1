from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "xuncha.twofactor"
    verbose_name = "双因素登录"
