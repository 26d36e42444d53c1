"""Round pages (巡察轮次)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xuncha.core.paging import paginate
from xuncha.policy.rounds import round_policy, team_role


@login_required
def round_list(request):
    qs = (round_policy.instances(request.user, "view").select_related("jurisdiction")
          .order_by("-year", "-number", "jurisdiction__code"))
    return render(request, "rounds/list.html", {"page": paginate(request, qs)})


@login_required
def round_detail(request, pk: int):
    round_ = round_policy.get(request.user, "view", pk=pk)
    return render(request, "rounds/detail.html", {
        "round": round_,
        "team": round_.team.select_related("user__organization"),
        "targets": round_.targets.all(),
        "my_team_role": team_role(request.user, round_),
        "can_manage": round_policy.can(request.user, "manage", round_),
    })
