from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "xuncha.petitions"
    label = "petitions"
    verbose_name = "信访举报"

    def ready(self):
        from xuncha.core import navigation, selectors
        from xuncha.policy.petitions import petition_policy

        navigation.register(navigation.NavItem(
            "信访举报", "petitions:index", lambda user: petition_policy.can(user, "view"), order=40))
        selectors.PUBLIC_ENTRIES.append(public_entry)
        selectors.HOME_PANELS.append(home_panel)


def home_panel(user) -> dict | None:
    """巡察组/巡察办: petitions waiting for 研判 and clues waiting for disposal in their rounds."""
    from xuncha.clues.models import Clue
    from xuncha.policy.rounds import confidential_rounds

    from .models import Petition

    rounds = confidential_rounds(user).values("pk")
    if not rounds.exists():
        return None
    return {"template": "petitions/_home_panel.html",
            "new_petitions": Petition.objects.filter(round__in=rounds, status=Petition.Status.RECEIVED).count(),
            "pending_clues": Clue.objects.filter(round__in=rounds, status=Clue.Status.PENDING).count()}


def public_entry() -> dict | None:
    from django.urls import reverse

    from .selectors import open_rounds

    rounds = list(open_rounds()[:30])
    if not rounds:
        return None
    return {
        "title": "网上举报",
        "text": "正在进驻、受理举报的巡察：" + "；".join(r.title for r in rounds)
                + "。可匿名反映，提交后凭查询码和查询密码查看答复。",
        "url": reverse("petitions:public_rounds"),
        "link_text": "我要举报 / 查询答复",
    }
