"""待我办理 entries of 数据比对 (added to ``reports.panels.TODO_SOURCES``): 疑点 of a round's latest run
still to be verified, and a latest run that failed (fix the data and run again)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from xuncha.policy.crosscheck import crosscheck_policy
from xuncha.policy.rounds import confidential_rounds
from xuncha.rounds.models import Round

from .models import CheckRun


def todo_items(user) -> list[dict]:
    items = []
    rounds = confidential_rounds(user).exclude(stage=Round.Stage.ARCHIVED)
    for round_ in rounds:
        if not crosscheck_policy.can(user, "work", round_):
            continue
        last = round_.check_runs.order_by("-number").first()
        if last is None:
            continue
        if last.status == CheckRun.Status.FAILED:
            items.append({"round": round_, "what": f"{last}失败：修正数据后重新运行",
                          "url": reverse("crosscheck:run", args=[last.pk]), "note": last.message[:60]})
            continue
        if last.status != CheckRun.Status.SUCCEEDED:
            continue
        n = last.suspicions.aggregate(open=Count("pk", filter=Q(status="open")),
                                      changed=Count("pk", filter=Q(status="open", change="changed")))
        if n["open"]:
            changed = f"，其中 {n['changed']} 个有变化" if n["changed"] else ""
            items.append({"round": round_, "what": f"核实数据比对疑点（{n['open']} 个待核实{changed}）",
                          "url": reverse("crosscheck:round_suspicions", args=[round_.pk]) + "?status=open",
                          "note": str(last)})
    return items
