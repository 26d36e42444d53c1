"""State changes of petitions (信访举报): public submission, staff intake, replies, triage, reveal.

Each function checks permission through ``xuncha.policy.petitions``, changes inside one transaction
and writes the audit trail. Rejected input raises ``ValidationError`` before anything is stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.policy.petitions import petition_policy
from xuncha.rounds import numbering
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Category, Round

from . import identity as ident
from . import ratelimit, uploads
from .models import Attachment, Link, Message, Petition

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SUBMIT_LIMIT = (5, timedelta(minutes=10))      # 5 public submissions per 10 minutes per address
FOLLOW_LIMIT = (10, timedelta(minutes=10))     # 10 failed follow-up logins per 10 minutes
MAX_TEXT = 20000


class RateLimited(Exception):
    """Too many submissions from one address (HTTP 429)."""

    message = "您提交得太频繁了，请 10 分钟后再试。如情况紧急，请拨打巡察公告中的举报电话。"


@dataclass
class ReportData:
    """What a report says (the same fields online and at intake)."""

    subject_name: str
    content: str
    subject_title: str = ""
    category: Category | None = None
    anonymous: bool = True
    identity: ident.Identity = ident.Identity()
    concerns_leadership: bool = False


# ---- rate limit -------------------------------------------------------------------------------

def check_rate(request, kind: str, limit=SUBMIT_LIMIT) -> None:
    """Refuse when this address already used up its window (counted in memory, see ``ratelimit``)."""
    count, window = limit
    if ratelimit.count(request, kind, int(window.total_seconds())) >= count:
        raise RateLimited()


def mark_rate(request, kind: str, limit=SUBMIT_LIMIT) -> None:
    ratelimit.hit(request, kind, int(limit[1].total_seconds()))


# ---- creation ---------------------------------------------------------------------------------

def _clean_text(value: str, limit: int = MAX_TEXT) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _next_serial(round_: Round) -> int:
    """Gapless per round: the counter row is locked until the transaction commits."""
    return numbering.next_serial(round_, "petition")


def _new_code() -> str:
    while True:
        code = "JB" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Petition.objects.filter(receipt_code=code).exists():
            return code


def _new_secret() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def _validate(round_: Round, data: ReportData) -> None:
    require_open(round_)
    if not _clean_text(data.subject_name, 100):
        raise ValidationError("请填写被反映人或单位。")
    if not _clean_text(data.content):
        raise ValidationError("请填写反映的主要问题。")
    if data.category is not None and data.category.taxonomy_id != round_.taxonomy_id:
        raise ValidationError("问题类别不属于本轮巡察的问题分类。")
    if not data.anonymous and data.identity.is_empty():
        raise ValidationError("实名反映请至少填写姓名或联系电话；不愿留下身份请选择匿名。")


def _store_files(petition: Petition, checked, from_reporter: bool, written: list) -> None:
    for f, kind in checked:
        stored, size = uploads.store(f, kind)
        written.append(stored)
        Attachment.objects.create(petition=petition, original_name=uploads.clean_name(f.name),
                                  stored_name=stored, kind=kind, size=size, from_reporter=from_reporter)


def _remove_files(names) -> None:
    for name in names:
        uploads.path_of(name).unlink(missing_ok=True)


def _create(actor, round_: Round, data: ReportData, files, *, channel: str, received_on: date,
            request=None) -> tuple[Petition, str]:
    _validate(round_, data)
    checked = uploads.check(files or [])
    secret = _new_secret()
    named = not data.anonymous
    identity = data.identity if named else ident.Identity()
    written: list[str] = []
    try:
        with transaction.atomic():
            petition = Petition.objects.create(
                round=round_, serial_year=round_.year, serial_no=_next_serial(round_),
                channel=channel, received_on=received_on, anonymous=not named,
                identity_token=ident.encrypt(identity),
                phone_digest=ident.phone_digest(identity.phone),
                id_digest=ident.id_digest(identity.id_number),
                subject_name=_clean_text(data.subject_name, 100),
                subject_title=_clean_text(data.subject_title, 100),
                concerns_leadership=data.concerns_leadership, category=data.category,
                content=_clean_text(data.content), receipt_code=_new_code(),
                secret_hash=make_password(secret),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _store_files(petition, checked, from_reporter=actor is None, written=written)
            _auto_link(petition)
            record(actor, "petitions.create", petition, request=request,
                   summary=f"受理信访举报件 {petition.serial}（{petition.get_channel_display()}，"
                           f"{'匿名' if petition.anonymous else '实名'}）",
                   data={"round": round_.pk, "channel": channel, "attachments": len(checked)})
    except Exception:
        _remove_files(written)
        raise
    return petition, secret


def submit_public(round_: Round, data: ReportData, files=(), *, request=None) -> tuple[Petition, str]:
    """群众网上举报: no login; returns the petition and the secret (shown once, stored hashed)."""
    require_open(round_)
    if round_.stage != Round.Stage.ONSITE:
        raise ValidationError("本轮巡察目前不在进驻阶段，不受理网上举报。")
    check_rate(request, "submit")
    data.concerns_leadership = False
    # The audit entry gets no request: a reporter's network address is never kept (保护群众).
    petition, secret = _create(None, round_, data, files, channel=Petition.Channel.ONLINE,
                               received_on=timezone.localdate(), request=None)
    mark_rate(request, "submit")
    return petition, secret


def intake(actor, round_: Round, data: ReportData, files=(), *, channel: str,
           received_on: date | None = None, request=None) -> tuple[Petition, str]:
    """巡察组/巡察办登记来信、来电、来访、邮件、上级转办."""
    require_open(round_)
    petition_policy.require(actor, "intake", round_)
    if channel not in Petition.Channel.values or channel == Petition.Channel.ONLINE:
        raise ValidationError("请选择来源方式。")
    return _create(actor, round_, data, files, channel=channel,
                   received_on=received_on or timezone.localdate(), request=request)


# ---- the reporter's follow-up ------------------------------------------------------------------

def follow_up_login(request, code: str, secret: str) -> Petition | None:
    """The petition for a receipt code and secret, or None (failed attempts are rate limited)."""
    check_rate(request, "follow", FOLLOW_LIMIT)
    petition = Petition.objects.filter(receipt_code=(code or "").strip().upper()).first()
    if petition is None or not check_password((secret or "").strip().upper(), petition.secret_hash):
        mark_rate(request, "follow", FOLLOW_LIMIT)
        return None
    record(None, "view", petition, summary=f"反映人凭查询码查看信访举报件 {petition.serial}", kind="view")
    return petition


def add_supplement(petition: Petition, text: str, files=(), *, request=None) -> Message:
    """反映人补充材料 (through the follow-up page, no login; the address is not recorded)."""
    require_open(petition.round)
    text = _clean_text(text)
    if not text:
        raise ValidationError("请填写补充内容。")
    checked = uploads.check(files or [])
    if petition.attachments.count() + len(checked) > uploads.MAX_FILES * 2:
        raise ValidationError("附件数量已达上限。")
    written: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(petition=petition, kind=Message.Kind.SUPPLEMENT, text=text)
            _store_files(petition, checked, from_reporter=True, written=written)
            record(None, "petitions.supplement", petition,
                   summary=f"反映人补充信访举报件 {petition.serial} 的材料")
    except Exception:
        _remove_files(written)
        raise
    return message


# ---- staff handling ----------------------------------------------------------------------------

@transaction.atomic
def reply(actor, petition: Petition, text: str, *, request=None) -> Message:
    """答复反映人 (the reporter reads it on the follow-up page)."""
    require_open(petition.round)
    petition_policy.require(actor, "handle", petition)
    text = _clean_text(text)
    if not text:
        raise ValidationError("请填写答复内容。")
    message = Message.objects.create(petition=petition, kind=Message.Kind.REPLY, text=text, author=actor)
    record(actor, "petitions.reply", petition, request=request, summary=f"答复信访举报件 {petition.serial}")
    return message


@transaction.atomic
def add_triage_note(actor, petition: Petition, text: str, *, request=None) -> Message:
    """研判意见 (internal)."""
    require_open(petition.round)
    petition_policy.require(actor, "handle", petition)
    text = _clean_text(text)
    if not text:
        raise ValidationError("请填写研判意见。")
    message = Message.objects.create(petition=petition, kind=Message.Kind.TRIAGE, text=text, author=actor)
    if petition.status == Petition.Status.RECEIVED:
        petition.status = Petition.Status.TRIAGED
        petition.save(update_fields=["status"])
    record(actor, "petitions.triage", petition, request=request, summary=f"研判信访举报件 {petition.serial}")
    return message


@transaction.atomic
def classify(actor, petition: Petition, *, category: Category | None, concerns_leadership: bool,
             status: str, handling: str = "", remarks: str = "", request=None) -> Petition:
    """分类与办理情况: taxonomy category, whether it concerns the leadership, status, 办理情况."""
    require_open(petition.round)
    petition_policy.require(actor, "handle", petition)
    if category is not None and category.taxonomy_id != petition.round.taxonomy_id:
        raise ValidationError("问题类别不属于本轮巡察的问题分类。")
    if status not in Petition.Status.values:
        raise ValidationError("状态无效。")
    before = {"category": petition.category_id, "status": petition.status,
              "concerns_leadership": petition.concerns_leadership}
    petition.category = category
    petition.concerns_leadership = concerns_leadership
    petition.status = status
    petition.handling = _clean_text(handling, 2000)
    petition.remarks = _clean_text(remarks, 200)
    petition.save(update_fields=["category", "concerns_leadership", "status", "handling", "remarks"])
    record(actor, "petitions.classify", petition, request=request,
           summary=f"分类/办理信访举报件 {petition.serial}：{petition.get_status_display()}",
           data={"before": before, "after": {"category": petition.category_id, "status": status,
                                              "concerns_leadership": concerns_leadership}})
    return petition


@transaction.atomic
def link(actor, petition: Petition, other: Petition, reason: str = "人工关联", *, request=None) -> Link:
    """关联重复件 (both petitions must belong to the same round)."""
    require_open(petition.round)
    petition_policy.require(actor, "handle", petition)
    if other.round_id != petition.round_id or other.pk == petition.pk:
        raise ValidationError("只能关联本轮次的其他信访举报件。")
    made, _ = Link.objects.get_or_create(petition=petition, other=other,
                                         defaults={"reason": reason[:100], "score": 100})
    Link.objects.get_or_create(petition=other, other=petition, defaults={"reason": reason[:100], "score": 100})
    record(actor, "petitions.link", petition, request=request,
           summary=f"关联信访举报件 {petition.serial} 与 {other.serial}：{reason}")
    return made


def _auto_link(petition: Petition) -> None:
    from .selectors import duplicate_candidates
    for other, reason, score in duplicate_candidates(petition):
        Link.objects.get_or_create(petition=petition, other=other, defaults={"reason": reason, "score": score})
        Link.objects.get_or_create(petition=other, other=petition, defaults={"reason": reason, "score": score})


def reveal_identity(actor, petition: Petition, reason: str, *, request=None) -> ident.Identity:
    """查看反映人身份: only the round's office and its 组长, with a reason; always audited."""
    petition_policy.require(actor, "reveal", petition)
    reason = _clean_text(reason, 300)
    if len(reason) < 4:
        raise ValidationError("请填写查看反映人身份的事由（至少 4 个字）。")
    identity = ident.decrypt(petition.identity_token)
    record(actor, "petitions.reveal_identity", petition, request=request,
           summary=f"查看信访举报件 {petition.serial} 的反映人身份，事由：{reason}",
           data={"reason": reason}, kind="view")
    return identity


def export_identities(actor, round_: Round, reason: str, *, request=None) -> dict[int, ident.Identity]:
    """Identities for a ledger export with names (only who may reveal; audited with the reason)."""
    if not petition_policy.can(actor, "reveal", round_):
        raise PermissionDenied("您没有权限导出反映人身份。")
    reason = _clean_text(reason, 300)
    if len(reason) < 4:
        raise ValidationError("请填写导出反映人身份的事由（至少 4 个字）。")
    rows = Petition.objects.filter(round=round_).exclude(identity_token="")
    result = {p.pk: ident.decrypt(p.identity_token) for p in rows}
    record(actor, "petitions.export_identities", round_, request=request,
           summary=f"导出含反映人身份的信访举报受理登记台账，事由：{reason}", data={"reason": reason,
                                                                         "count": len(result)}, kind="view")
    return result
