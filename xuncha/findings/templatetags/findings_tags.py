"""Links to the problem list from other apps' pages, shown only to who may see problems (the policy decides).

- ``{% clue_problems clue %}`` on a clue's page: the problems formed from it or that it came from,
  and the button 形成问题;
- ``{% round_problems_link round %}`` on the round page: the button 问题清单.
"""

from django import template
from django.db.models import Q

from xuncha.findings.models import Problem
from xuncha.policy.findings import problem_policy

register = template.Library()


@register.inclusion_tag("findings/_clue_problems.html", takes_context=True)
def clue_problems(context, clue):
    user = context["request"].user
    if not problem_policy.can(user, "view", clue.round):
        return {"visible": False}
    problems = Problem.objects.filter(Q(source_clue=clue) | Q(referred_clue=clue)).order_by("number")
    open_ = clue.round.stage != clue.round.Stage.ARCHIVED
    return {"visible": True, "clue": clue, "problems": problems,
            "can_create": open_ and problem_policy.can(user, "manage", clue.round)
            and not any(p.source_clue_id == clue.pk and p.status == Problem.Status.CONFIRMED for p in problems)}


@register.inclusion_tag("findings/_round_link.html", takes_context=True)
def round_problems_link(context, round_):
    return {"round": round_, "visible": problem_policy.can(context["request"].user, "view", round_)}
