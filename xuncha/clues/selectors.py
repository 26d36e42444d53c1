"""Reads of problem clues (问题线索)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils import timezone

from xuncha.audit import reads
from xuncha.policy import clues as clue_rules
from xuncha.policy.clues import clue_policy
from xuncha.policy.rounds import confidential_rounds
from xuncha.rounds.models import Round

from .models import Clue, Disposal

TRANSFERS = [Disposal.Kind.DISCIPLINE, Disposal.Kind.ORGANIZATION, Disposal.Kind.PARTY_ORG]


def read_clue(request, pk: int, purpose: str = "view", *, data: dict | None = None, **lookup) -> Clue:
    """One clue the user may see, its read audited (查阅 / 打印移交登记表 / 下载来源信访件附件)."""
    return reads.read_record(clue_policy, request, purpose, data=data, pk=pk, **lookup)


def read_transferred_clue(request, pk: int) -> Clue:
    """A transferred clue for its printable 移交登记表 (404 while it is not transferred)."""
    return read_clue(request, pk, "print", disposal__kind__in=TRANSFERS)


def export_round(request, round_id: int) -> Round:
    """The round whose 问题线索台账 the user exports (audited)."""
    return reads.read_round(clue_policy, request, round_id, what="问题线索台账")


def source_attachments(clue: Clue):
    """The source petition's attachments: whoever reads the clue (also its 纪委监委 receiver) gets them."""
    from xuncha.petitions.models import Attachment

    if not clue.petition_id:
        return Attachment.objects.none()
    return Attachment.objects.filter(petition_id=clue.petition_id).order_by("uploaded_at", "pk")


def rounds_with_clues(user):
    return confidential_rounds(user).select_related("jurisdiction").order_by("-year", "-number")


def received_clues(user):
    """Clues transferred to the user's 纪委监委."""
    return (clue_rules.received_clues(user).select_related("round__jurisdiction", "disposal", "category")
            .order_by("-disposal__decided_on", "-pk"))


def round_clues(user, round_: Round, *, q: str = "", status: str = ""):
    qs = (clue_policy.instances(user, "view").filter(round=round_)
          .select_related("round__jurisdiction", "category", "disposal__receiver").order_by("number"))
    if q:
        qs = qs.filter(Q(person__icontains=q) | Q(summary__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs


def overdue(qs):
    today = timezone.localdate()
    return qs.filter(disposal__deadline__lt=today, disposal__concluded_on__isnull=True,
                     disposal__kind__in=TRANSFERS)


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
