"""待我办理 entries of the problem list: 边巡边改 waiting for the leading group's consent to be recorded,
and consented ones whose written suggestion is still to be issued (added to ``reports.panels``)."""

from __future__ import annotations

from django.urls import reverse

from xuncha.policy.findings import problem_policy
from xuncha.policy.rounds import confidential_rounds
from xuncha.rounds.models import Round

from .models import OnSiteRectification, Problem

S = OnSiteRectification.Status
WAITING = {S.PROPOSED: ("consent", "登记领导小组对边巡边改的意见"),
           S.CONSENTED: ("rectify", "领导小组已同意边巡边改：出具整改建议书")}


def todo_items(user) -> list[dict]:
    pending = (OnSiteRectification.objects
               .filter(status__in=list(WAITING), problem__status=Problem.Status.CONFIRMED,
                       problem__round__in=confidential_rounds(user).values("pk"))
               .exclude(problem__round__stage=Round.Stage.ARCHIVED)
               .select_related("problem__round").order_by("proposed_at")[:30])
    items = []
    for item in pending:
        action, what = WAITING[item.status]
        p = item.problem
        if problem_policy.can(user, action, p):
            items.append({"round": p.round, "what": f"{what}（问题{p.number}）",
                          "url": reverse("findings:detail", args=[p.pk]) + "#onsite", "note": p.title[:60]})
    return items
