from django.apps import AppConfig


class CluesConfig(AppConfig):
    name = "xuncha.clues"
    label = "clues"
    verbose_name = "问题线索"

    def ready(self):
        from xuncha.core import navigation, selectors
        from xuncha.policy.clues import clue_policy

        navigation.register(navigation.NavItem(
            "问题线索", "clues:index", lambda user: clue_policy.can(user, "view"), order=45))
        selectors.HOME_PANELS.append(home_panel)


def home_panel(user) -> dict | None:
    """纪委监委: clues transferred to them, with the overdue ones flagged."""
    from xuncha.policy.clues import clue_policy

    from .selectors import overdue, received_clues

    if not clue_policy.can(user, "receive"):
        return None
    received = received_clues(user)
    return {"template": "clues/_home_panel.html", "total": received.count(),
            "open": received.filter(disposal__concluded_on__isnull=True).count(),
            "overdue": overdue(received).count()}
