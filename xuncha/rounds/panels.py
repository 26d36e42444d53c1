"""Home-page panel (工作台): deadlines the user must watch — 函询 overdue, 整改 deadlines."""

from __future__ import annotations

from django.utils import timezone

from xuncha.policy.rounds import inquiry_rounds, round_policy

from .models import Inquiry, Round
from .services import rectification_deadlines


def deadlines_panel(user) -> dict | None:
    today = timezone.localdate()
    rounds = round_policy.instances(user, "view")
    rows = []
    for r in rounds.filter(stage__in=[Round.Stage.FEEDBACK, Round.Stage.RECTIFICATION],
                           feedback_signed_at__isnull=False).select_related("jurisdiction")[:20]:
        d = rectification_deadlines(r)
        rows.append({"round": r, "what": "整改方案报送", "due": d["plan"], "late": d["plan"].due < today})
        rows.append({"round": r, "what": "整改落实情况报告", "due": d["report"], "late": d["report"].due < today})
    # 函询 are team records: the office, leadership and the round's leaders; never the unit
    overdue = list(Inquiry.objects.filter(round__in=inquiry_rounds(user), replied_on__isnull=True,
                                          due_on__lt=today)
                   .select_related("round")[:20])
    if not rows and not overdue:
        return None
    return {"template": "rounds/_home_panel.html", "rows": rows, "overdue": overdue}
