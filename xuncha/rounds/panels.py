"""Home-page panel (工作台): deadlines the user must watch — 函询 overdue."""

from __future__ import annotations

from django.utils import timezone

from xuncha.policy.rounds import inquiry_rounds

from .models import Inquiry


def deadlines_panel(user) -> dict | None:
    today = timezone.localdate()
    rows = []   # the rectification clocks of each unit are on the 待我办理 panel (xuncha.reports.panels)
    # 函询 are team records: the office, leadership and the round's leaders; never the unit
    overdue = list(Inquiry.objects.filter(round__in=inquiry_rounds(user), replied_on__isnull=True,
                                          due_on__lt=today)
                   .select_related("round")[:20])
    if not rows and not overdue:
        return None
    return {"template": "rounds/_home_panel.html", "rows": rows, "overdue": overdue}
