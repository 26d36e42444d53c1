"""Reads of problem clues (问题线索)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils import timezone

from xuncha.orgs.models import Role
from xuncha.policy.clues import clue_policy
from xuncha.policy.rounds import confidential_rounds
from xuncha.rounds.models import Round

from .models import Clue, Disposal


def rounds_with_clues(user):
    return confidential_rounds(user).select_related("jurisdiction").order_by("-year", "-number")


def received_clues(user):
    """Clues transferred to the user's 纪委监委."""
    if not user.has_role(Role.DISCIPLINE) or not user.organization_id:
        return Clue.objects.none()
    return (Clue.objects.filter(disposal__kind=Disposal.Kind.DISCIPLINE,
                                disposal__receiver_id=user.organization_id)
            .select_related("round", "disposal", "category").order_by("-disposal__decided_on", "-pk"))


def round_clues(user, round_: Round, *, q: str = "", status: str = ""):
    qs = (clue_policy.instances(user, "view").filter(round=round_)
          .select_related("round", "category", "disposal__receiver").order_by("number"))
    if q:
        qs = qs.filter(Q(person__icontains=q) | Q(summary__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs


def overdue(qs):
    today = timezone.localdate()
    return qs.filter(disposal__deadline__lt=today, disposal__concluded_on__isnull=True,
                     disposal__kind__in=[Disposal.Kind.DISCIPLINE, Disposal.Kind.ORGANIZATION,
                                         Disposal.Kind.PARTY_ORG])


def counts(round_: Round) -> dict:
    rows = list(Clue.objects.filter(round=round_).values_list("source", "category__name",
                                                              "disposal__kind", "disposal__form"))
    by_source = Counter(r[0] for r in rows)
    by_category = Counter(r[1] or "未分类" for r in rows)
    by_disposal = Counter(r[2] or "" for r in rows)
    by_form = Counter(r[3] for r in rows if r[3])
    return {
        "total": len(rows),
        "source": [(label, by_source.get(code, 0)) for code, label in Clue.Source.choices],
        "category": sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])),
        "disposal": [("待处置", by_disposal.get("", 0))]
        + [(label, by_disposal.get(code, 0)) for code, label in Disposal.Kind.choices],
        "form": [(label, by_form.get(code, 0)) for code, label in Disposal.Form.choices],
        "overdue": overdue(Clue.objects.filter(round=round_)).count(),
    }
