"""Reads of petitions (信访举报): lists, duplicates, counts."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from xuncha.audit import reads
from xuncha.policy.petitions import petition_policy
from xuncha.policy.rounds import confidential_rounds
from xuncha.rounds.models import Category, Round

from . import matching
from .models import Link, Message, Petition


def read_petition(request, pk: int, purpose: str = "view", *, data: dict | None = None) -> Petition:
    """One petition the user may see, its read audited (查阅 / 下载附件)."""
    return reads.read_record(petition_policy, request, purpose, data=data, pk=pk)


def export_round(request, round_id: int) -> Round:
    """The round whose 信访举报受理登记台账 the user exports (audited)."""
    return reads.read_round(petition_policy, request, round_id, what="信访举报受理登记台账")


def serial_in_round(text: str, round_: Round) -> int | None:
    """The serial a person means by a 受理编号 he typed (full number of this round, or just "3")."""
    from xuncha.rounds.numbering import serial_in_round as parse

    return parse(text, round_, "petition")


def rounds_with_petitions(user):
    return confidential_rounds(user).select_related("jurisdiction").order_by("-year", "-number")


def round_petitions(user, round_: Round, *, q: str = "", channel: str = "", status: str = ""):
    qs = (petition_policy.instances(user, "view").filter(round=round_)
          .select_related("category", "round__jurisdiction").order_by("-serial_no"))
    if q:
        qs = qs.filter(Q(subject_name__icontains=q) | Q(content__icontains=q) | Q(receipt_code=q.upper()))
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    return qs


def counts(round_: Round) -> dict:
    """受理情况统计: by channel, category and status."""
    rows = list(Petition.objects.filter(round=round_).values_list("channel", "category__name", "status"))
    by_channel = Counter(r[0] for r in rows)
    by_category = Counter(r[1] or "未分类" for r in rows)
    by_status = Counter(r[2] for r in rows)
    return {
        "total": len(rows),
        "channel": [(label, by_channel.get(code, 0)) for code, label in Petition.Channel.choices],
        "category": sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])),
        "status": [(label, by_status.get(code, 0)) for code, label in Petition.Status.choices],
    }


def categories(round_: Round):
    if round_.taxonomy_id is None:
        return Category.objects.none()
    return Category.objects.filter(taxonomy_id=round_.taxonomy_id).order_by("order", "code")


def duplicate_candidates(petition: Petition, limit: int = 10) -> list[tuple[Petition, str, int]]:
    """Earlier petitions of the same round by the same person (keyed fingerprints) or on the same matter."""
    others = Petition.objects.filter(round_id=petition.round_id).exclude(pk=petition.pk)
    found: dict[int, tuple[Petition, str, int]] = {}
    same_person = Q(pk__in=[])
    if petition.phone_digest:
        same_person |= Q(phone_digest=petition.phone_digest)
    if petition.id_digest:
        same_person |= Q(id_digest=petition.id_digest)
    for other in others.filter(same_person):
        found[other.pk] = (other, "同一反映人", 100)
    for other in others.exclude(pk__in=found.keys()).only("pk", "round_id", "subject_name", "content",
                                                          "serial_no", "serial_year"):
        verdict = matching.same_matter(petition.subject_name, petition.content, other.subject_name,
                                       other.content)
        if verdict is not None:
            found[other.pk] = (other, *verdict)
    return sorted(found.values(), key=lambda t: -t[2])[:limit]


def links(petition: Petition):
    return (Link.objects.filter(petition=petition).select_related("other__round__jurisdiction")
            .order_by("other__serial_no"))


def public_messages(petition: Petition):
    """What the reporter sees: replies and his own additions, never internal 研判 notes."""
    return petition.messages.exclude(kind=Message.Kind.TRIAGE).order_by("created_at", "pk")


def office_of(round_: Round):
    """The 巡察办 of the round's jurisdiction (its public contacts for people after the round)."""
    from xuncha.orgs.models import Organization

    return Organization.objects.filter(jurisdiction_id=round_.jurisdiction_id,
                                       kind=Organization.Kind.OFFICE).first()


def open_rounds():
    """Rounds that accept online reports: stage 进驻."""
    return Round.objects.filter(stage=Round.Stage.ONSITE).select_related("jurisdiction").order_by(
        "jurisdiction__level", "jurisdiction__code", "-year", "-number")
