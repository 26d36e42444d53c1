"""问卷待办 (home panel): team members see returned forms not yet in the work log; the team's 组长 and
the office see questionnaires still collecting after the round has left the 进驻 stage."""

from __future__ import annotations

from django.urls import reverse

from xuncha.policy.surveys import survey_policy
from xuncha.rounds.models import Round

from .models import Survey
from .services import tallies

LIMIT = 20


def survey_panel(user) -> dict | None:
    if not survey_policy.can(user, "view"):
        return None
    items = []
    live = (survey_policy.instances(user).exclude(round__stage=Round.Stage.ARCHIVED)
            .select_related("round").order_by("-pk")[:200])
    for s in live:
        url = reverse("surveys:detail", args=[s.pk])
        if s.status == Survey.Status.OPEN and s.round.stage not in (Round.Stage.PREPARATION, Round.Stage.ONSITE) \
                and survey_policy.can(user, "manage", s):
            items.append({"round": s.round, "what": f"“{s.title}”仍在收集，本轮已结束进驻：请结束收集", "url": url})
        elif survey_policy.can(user, "log", s) and s.round.stage in (Round.Stage.ONSITE, Round.Stage.REPORTING):
            t = tallies(s)
            if t["new_returned"]:
                items.append({"round": s.round, "url": url,
                              "what": f"“{s.title}”收回 {t['new_returned']} 份尚未记入工作日志"})
        if len(items) >= LIMIT:
            break
    if not items:
        return None
    return {"template": "surveys/_home_panel.html", "items": items}
