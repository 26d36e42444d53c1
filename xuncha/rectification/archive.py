"""归档 hooks: a round is not archived while rectification is open (``ARCHIVE_CHECKS``), and its
rectification files go into the archive package (``ARCHIVE_SOURCES``, folder ``07-整改``)."""

from __future__ import annotations

from collections.abc import Iterable

from xuncha.reports.archive import ArchiveItem, _day, _stored
from xuncha.reports.models import Feedback

from .models import Evidence, Item, Plan, RectReport
from .plans import needs_plan

FOLDER = "07-整改"


def archive_blockers(round_) -> list[str]:
    """Reasons (Chinese) that keep the round from 归档: plans not accepted, ledger rows not 销号."""
    reasons = []
    for f in Feedback.objects.filter(round=round_).select_related("unit").order_by("unit_id"):
        if not needs_plan(f):
            continue
        plan = Plan.objects.filter(feedback=f).first()
        if plan is None or plan.status != Plan.Status.ACCEPTED:
            reasons.append(f"{f.unit.name}的整改方案尚未经巡察办审核通过")
            continue
        open_items = Item.objects.filter(feedback=f).exclude(status=Item.Status.CLOSED).count()
        if open_items:
            reasons.append(f"{f.unit.name}尚有{open_items}项整改未销号")
    return reasons


def archive_files(round_) -> Iterable[ArchiveItem]:
    from .exports import ledger_xlsx

    feedbacks = list(Feedback.objects.filter(round=round_, signed_at__isnull=False).select_related("unit"))
    if not feedbacks:
        return
    yield ArchiveItem(FOLDER, "整改台账（含整改方案各稿、追责问责、建章立制、回访）", "整改台账.xlsx", _day(None),
                      data=ledger_xlsx(round_, feedbacks))
    for r in RectReport.objects.filter(feedback__round=round_).select_related("feedback__unit", "file").order_by(
            "feedback__unit_id", "kind", "number"):
        yield _stored(FOLDER, f"{r.feedback.unit.name}{r.get_kind_display()}第{r.number}稿", r.file,
                      f"{r.feedback.unit.name}-{r.get_kind_display()}第{r.number}稿-{r.file.original_name}")
    for e in Evidence.objects.filter(item__feedback__round=round_).select_related(
            "item__feedback__unit", "item__problem", "file").order_by("item__feedback__unit_id", "item_id", "pk"):
        yield _stored(FOLDER, f"{e.item.feedback.unit.name}整改事项{e.item.code}佐证材料：{e.file.original_name}",
                      e.file, f"{e.item.feedback.unit.name}-整改{e.item.code}-{e.file.original_name}")
