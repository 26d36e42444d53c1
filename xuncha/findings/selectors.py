"""Reads of the problem list (问题清单): every read of a problem goes through its policy and is audited
(``xuncha.audit.reads``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from xuncha.audit import reads
from xuncha.core.params import id_param
from xuncha.policy.findings import problem_policy
from xuncha.policy.rounds import confidential_rounds
from xuncha.rounds.models import Round

from .models import OnSiteRectification, Problem


def read_problem(request, pk: int, purpose: str = "view", *, action: str = "view", data: dict | None = None):
    """One problem the user may see (404/403 otherwise), its read audited."""
    return reads.read_record(problem_policy, request, purpose, action=action, data=data, pk=pk)


def export_round(request, round_id: int) -> Round:
    """The round whose 问题清单 the user exports (audited)."""
    return reads.read_round(problem_policy, request, round_id, what="问题清单")


def rounds_with_problems(user):
    """Rounds whose problem list the user reads, each with its number of confirmed problems (a subquery:
    the scope's join on the team would multiply a plain Count)."""
    confirmed = (Problem.objects.filter(round=OuterRef("pk"), status=Problem.Status.CONFIRMED)
                 .values("round").annotate(n=Count("pk")).values("n"))
    return (Round.objects.filter(pk__in=confidential_rounds(user).values("pk")).select_related("jurisdiction")
            .annotate(n_problems=Coalesce(Subquery(confirmed), 0)).order_by("-year", "-number", "pk"))


def round_problems(user, round_: Round, *, category: str = "", status: str = "", source: str = "", q: str = ""):
    """The round's problems the user may see, filtered; ``category`` a category id (its 大类 takes its children)."""
    qs = (problem_policy.instances(user, "view").filter(round=round_)
          .select_related("category__parent", "responsible_unit", "on_site")
          .annotate(n_evidence=Count("evidence")).order_by("number"))
    if category == "none":
        qs = qs.filter(category__isnull=True)
    elif id_param(category) is not None:
        qs = qs.filter(Q(category_id=id_param(category)) | Q(category__parent_id=id_param(category)))
    if status in Problem.Status.values:
        qs = qs.filter(status=status)
    if source in Problem.Source.values:
        qs = qs.filter(source=source)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(responsible_person__icontains=q))
    return qs


def totals(round_: Round) -> dict:
    confirmed = Problem.objects.filter(round=round_, status=Problem.Status.CONFIRMED)
    sums = confirmed.aggregate(amount=Sum("amount"), recover=Sum("amount_to_recover"))
    return {"confirmed": confirmed.count(),
            "withdrawn": Problem.objects.filter(round=round_, status=Problem.Status.WITHDRAWN).count(),
            "amount": sums["amount"] or Decimal(0), "recover": sums["recover"] or Decimal(0),
            "onsite": OnSiteRectification.objects.filter(problem__round=round_).count()}


def evidence_file(problem: Problem, file_id: int):
    return problem.evidence.filter(pk=file_id).first()


def onsite_files(problem: Problem) -> dict:
    """The 边巡边改 files a reader of the problem may download: the consent scan and the suggestion."""
    item = OnSiteRectification.objects.filter(problem=problem).select_related("consent_file", "suggestion").first()
    if item is None:
        return {}
    return {k: f for k, f in (("consent", item.consent_file), ("suggestion", item.suggestion)) if f is not None}


def source_suspicions(user, problem: Problem):
    """The 数据比对疑点 this problem was confirmed from, as far as the user may see them."""
    from xuncha.policy.crosscheck import crosscheck_policy

    return crosscheck_policy.suspicions(user).filter(problem=problem).order_by("pk")
