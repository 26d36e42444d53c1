"""整改台账 state changes (销号制): the unit reports progress, uploads evidence and requests 销号;
the office approves (已销号, with the result), returns it, or red-cards it as 虚假整改.

未启动 → 整改中 (progress or evidence) → 申请销号 → 已销号 (office) | 退回 (office; a red card is a
退回 counted on the row and shown on the overdue list until the office approves a new request).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.files.services import store_upload
from xuncha.policy.rectification import rectification_policy
from xuncha.reports.reviews import clean_comments

from .common import clean_text, require_rectifying
from .models import Evidence, Item, ItemEvent

IS = Item.Status
R = Item.Result
WORKING = (IS.NOT_STARTED, IS.IN_PROGRESS, IS.RETURNED)
CLOSING_RESULTS = (R.DONE, R.BASIC)


def _lock(item: Item, actor, action: str) -> Item:
    require_rectifying(item.feedback)
    rectification_policy.require(actor, action, item.feedback)
    return Item.objects.select_for_update().select_related("feedback__unit", "feedback__round", "problem").get(
        pk=item.pk)


def _event(item: Item, actor, kind: str, comments: str = "", result: str = "") -> ItemEvent:
    return ItemEvent.objects.create(item=item, kind=kind, comments=comments, result=result, actor=actor)


def _require(item: Item, *statuses, what: str) -> None:
    if item.status not in statuses:
        raise ValidationError(f"整改事项{item.code}当前为“{item.get_status_display()}”，不能{what}。")


def parse_amount(value, label: str = "已追缴/挽回金额") -> Decimal:
    text = str(value if value is not None else "").replace(",", "").replace("，", "").strip() or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(f"“{label}”应为数字（元），实际为“{value}”。") from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise ValidationError(f"“{label}”应为不小于 0 的金额（元）。")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def report_progress(actor, item: Item, *, progress: str, amount_recovered=None, request=None) -> Item:
    """报告整改进展 (the unit): what was done, money recovered so far."""
    item = _lock(item, actor, "unit")
    _require(item, *WORKING, what="报告进展")
    text = clean_text(progress, "整改进展")
    if amount_recovered is not None and str(amount_recovered).strip() != "":
        item.amount_recovered = parse_amount(amount_recovered)
    item.progress = text
    if item.status == IS.NOT_STARTED:
        item.status = IS.IN_PROGRESS
    item.save()
    _event(item, actor, ItemEvent.Kind.PROGRESS, text)
    record(actor, "rectification.progress", item, request=request,
           summary=f"{item.feedback.unit.name}报告整改事项{item.code}进展",
           data={"amount_recovered": str(item.amount_recovered)})
    return item


@transaction.atomic
def add_evidence(actor, item: Item, upload, *, note: str = "", request=None) -> Evidence:
    """上传整改佐证材料 (the unit)."""
    item = _lock(item, actor, "unit")
    _require(item, *WORKING, what="上传佐证材料")
    stored = store_upload(upload, actor=actor)
    evidence = Evidence.objects.create(item=item, file=stored, note=clean_text(note, "说明", required=False,
                                                                               max_length=200),
                                       uploaded_by=actor)
    if item.status == IS.NOT_STARTED:
        item.status = IS.IN_PROGRESS
        item.save(update_fields=["status", "updated_at"])
    record(actor, "rectification.evidence", item, request=request,
           summary=f"{item.feedback.unit.name}上传整改事项{item.code}佐证材料“{stored.original_name}”",
           data={"file": stored.pk, "sha256": stored.sha256})
    return evidence


def _last_return(item: Item) -> ItemEvent | None:
    return item.events.filter(kind__in=[ItemEvent.Kind.RETURN, ItemEvent.Kind.RED_CARD]).order_by("-at", "-pk").first()


@transaction.atomic
def request_closure(actor, item: Item, *, comments: str = "", request=None) -> Item:
    """申请销号 (the unit): evidence is required, and after a 退回 or red card new evidence."""
    item = _lock(item, actor, "unit")
    _require(item, IS.IN_PROGRESS, IS.RETURNED, what="申请销号")
    evidence = item.evidence.all()
    returned = _last_return(item)
    if returned is not None:
        evidence = evidence.filter(uploaded_at__gt=returned.at)
    if not evidence.exists():
        raise ValidationError(f"整改事项{item.code}申请销号前请上传佐证材料"
                              + ("（退回后须上传新的佐证材料）。" if returned else "。"))
    item.status, item.requested_at = IS.REQUESTED, timezone.now()
    item.save()
    text = clean_text(comments, "销号说明", required=False)
    _event(item, actor, ItemEvent.Kind.REQUEST, text)
    record(actor, "rectification.request", item, request=request,
           summary=f"{item.feedback.unit.name}申请整改事项{item.code}销号")
    return item


@transaction.atomic
def approve_closure(actor, item: Item, *, result: str, comments: str = "", request=None) -> Item:
    """同意销号 (巡察办) with the result 整改到位 or 基本整改到位."""
    item = _lock(item, actor, "office")
    _require(item, IS.REQUESTED, what="销号")
    if result not in CLOSING_RESULTS:
        raise ValidationError("销号时整改结果只能为“整改到位”或“基本整改到位”；未整改到位的请退回。")
    item.status, item.result = IS.CLOSED, result
    item.closed_at, item.closed_by, item.red_card_open = timezone.now(), actor, False
    item.save()
    _event(item, actor, ItemEvent.Kind.APPROVE, clean_text(comments, "审核意见", required=False), result)
    record(actor, "rectification.close", item, request=request,
           summary=f"同意{item.feedback.unit.name}整改事项{item.code}销号（{R(result).label}）")
    return item


@transaction.atomic
def return_item(actor, item: Item, *, comments: str, request=None) -> Item:
    """退回销号申请 (巡察办) with comments: 未整改到位, the unit goes on."""
    item = _lock(item, actor, "office")
    _require(item, IS.REQUESTED, what="退回")
    text = clean_comments(comments)
    item.status, item.result = IS.RETURNED, R.NOT_DONE
    item.save()
    _event(item, actor, ItemEvent.Kind.RETURN, text, R.NOT_DONE)
    record(actor, "rectification.return", item, request=request,
           summary=f"退回{item.feedback.unit.name}整改事项{item.code}销号申请：{text[:100]}")
    return item


@transaction.atomic
def red_card(actor, item: Item, *, comments: str, request=None) -> Item:
    """虚假整改 (红牌, 巡察办): back to the unit, counted, on the overdue list until a 销号 is approved."""
    item = _lock(item, actor, "office")
    _require(item, IS.REQUESTED, what="认定虚假整改")
    text = clean_comments(comments, "认定虚假整改的理由")
    item.status, item.result = IS.RETURNED, R.NOT_DONE
    item.red_cards += 1
    item.red_card_open = True
    item.save()
    _event(item, actor, ItemEvent.Kind.RED_CARD, text, R.NOT_DONE)
    record(actor, "rectification.red_card", item, request=request,
           summary=f"认定{item.feedback.unit.name}整改事项{item.code}为虚假整改（第{item.red_cards}次红牌）：{text[:100]}")
    return item
