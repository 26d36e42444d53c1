from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "xuncha.rounds"
    label = "rounds"
    verbose_name = "巡察轮次"

    def ready(self):
        from xuncha.core import navigation, selectors
        from xuncha.policy.rounds import round_policy

        navigation.register(navigation.NavItem(
            "进度通报", "rounds:briefing", lambda user: round_policy.can(user, "brief"), order=12))
        from .panels import deadlines_panel

        selectors.PUBLIC_ENTRIES.append(_public_announcements)
        selectors.HOME_PANELS.append(deadlines_panel)


def _public_announcements():
    from django.urls import reverse

    from .models import Round

    r = (Round.objects.filter(stage=Round.Stage.ONSITE, announcement_published_at__isnull=False)
         .order_by("-announcement_published_at").first())
    if r is None:
        return None
    return {"title": "巡察公告", "text": f"{r.title}正在进行，欢迎干部群众反映问题。",
            "url": reverse("rounds:public_announcement", args=[r.pk]), "link_text": "查看巡察公告"}
