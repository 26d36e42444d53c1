"""Around the ledger: 追责问责, 建章立制, the two 整改报告, 回访 and the 整改情况公开 text."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.files.services import store_bytes, store_upload
from xuncha.policy.rectification import rectification_policy
from xuncha.reports.models import Feedback

from .common import clean_text, lock_feedback, require_rectifying
from .models import Accountability, Disclosure, Item, RectReport, RuleMade, Visit

REPORT_KINDS = ("docx", "pdf")


def _begin(actor, feedback: Feedback, action: str) -> Feedback:
    require_rectifying(feedback)
    rectification_policy.require(actor, action, feedback)
    return lock_feedback(feedback)


def _item_of(feedback: Feedback, item) -> Item | None:
    if item is None or item == "":
        return None
    pk = item.pk if isinstance(item, Item) else item
    found = Item.objects.filter(feedback=feedback, pk=pk).first()
    if found is None:
        raise ValidationError("所选整改事项不属于本单位的整改台账。")
    return found


def _day(value, label: str) -> date:
    if value is None:
        raise ValidationError(f"请填写“{label}”。")
    if value > timezone.localdate():
        raise ValidationError(f"“{label}”不能晚于今天。")
    return value


@transaction.atomic
def add_accountability(actor, feedback: Feedback, *, name: str, position: str, measure: str, form: str,
                       decided_on: date, item=None, request=None) -> Accountability:
    """登记追责问责: name, position, measure and which of the 四种形态."""
    feedback = _begin(actor, feedback, "record")
    if form not in Accountability.Form.values:
        raise ValidationError("请选择四种形态（第一种至第四种形态）。")
    obj = Accountability.objects.create(
        feedback=feedback, item=_item_of(feedback, item), name=clean_text(name, "姓名", max_length=50),
        position=clean_text(position, "职务", max_length=100), measure=clean_text(measure, "处理措施", max_length=200),
        form=form, decided_on=_day(decided_on, "处理日期"), created_by=actor)
    record(actor, "rectification.accountability", feedback, request=request,
           summary=f"登记{feedback.unit.name}追责问责：{obj.name}（{obj.position}），{obj.get_form_display()}")
    return obj


@transaction.atomic
def add_rule(actor, feedback: Feedback, *, title: str, issued_on: date, doc_no: str = "", item=None,
             request=None) -> RuleMade:
    """登记建章立制."""
    feedback = _begin(actor, feedback, "record")
    obj = RuleMade.objects.create(feedback=feedback, item=_item_of(feedback, item),
                                  title=clean_text(title, "制度名称", max_length=200),
                                  doc_no=clean_text(doc_no, "文号", required=False, max_length=60),
                                  issued_on=_day(issued_on, "印发日期"), created_by=actor)
    record(actor, "rectification.rule", feedback, request=request,
           summary=f"登记{feedback.unit.name}建章立制《{obj.title}》")
    return obj


def _add_report(actor, feedback: Feedback, kind: str, stored, source: str, request) -> RectReport:
    number = (RectReport.objects.filter(feedback=feedback, kind=kind).aggregate(m=Max("number"))["m"] or 0) + 1
    obj = RectReport.objects.create(feedback=feedback, kind=kind, number=number, source=source, file=stored,
                                    submitted_by=actor)
    record(actor, "rectification.report", feedback, request=request,
           summary=f"{feedback.unit.name}报送{obj.get_kind_display()}第{number}稿（{obj.get_source_display()}）",
           data={"file": stored.pk, "sha256": stored.sha256})
    return obj


def _kind(kind: str) -> str:
    if kind not in RectReport.Kind.values:
        raise ValidationError("没有这种整改报告。")
    return kind


@transaction.atomic
def upload_report(actor, feedback: Feedback, *, kind: str, upload, request=None) -> RectReport:
    """上传整改落实情况报告 / 主要负责人履行整改第一责任人职责情况报告 (.docx or .pdf)."""
    feedback = _begin(actor, feedback, "unit")
    stored = store_upload(upload, actor=actor, kinds=REPORT_KINDS)
    return _add_report(actor, feedback, _kind(kind), stored, RectReport.Source.UPLOAD, request)


@transaction.atomic
def generate_report(actor, feedback: Feedback, *, kind: str, request=None) -> RectReport:
    """按整改台账生成 the report (.docx, GB/T 9704) and file it as a version."""
    feedback = _begin(actor, feedback, "unit")
    from . import docs

    kind = _kind(kind)
    data, filename = docs.rect_report(feedback, kind)
    stored = store_bytes(data, name=filename, kind="docx", actor=actor)
    return _add_report(actor, feedback, kind, stored, RectReport.Source.GENERATED, request)


@transaction.atomic
def add_visit(actor, feedback: Feedback, *, visited_on: date, visitors: str, findings: str, conclusion: str,
              request=None) -> Visit:
    """登记回访 and its conclusion (巡察办)."""
    feedback = _begin(actor, feedback, "office")
    if conclusion not in Visit.Conclusion.values:
        raise ValidationError("请选择回访结论。")
    obj = Visit.objects.create(feedback=feedback, visited_on=_day(visited_on, "回访日期"),
                               visitors=clean_text(visitors, "回访人员", max_length=200),
                               findings=clean_text(findings, "回访情况"), conclusion=conclusion, created_by=actor)
    record(actor, "rectification.visit", feedback, request=request,
           summary=f"回访{feedback.unit.name}：{obj.get_conclusion_display()}")
    return obj


@transaction.atomic
def save_disclosure(actor, feedback: Feedback, *, text: str, request=None) -> Disclosure:
    """保存整改情况公开文本 (the unit; 开门整改，整改问题要全程公开)."""
    feedback = _begin(actor, feedback, "unit")
    body = clean_text(text, "公开文本", max_length=20000)
    obj, _ = Disclosure.objects.update_or_create(feedback=feedback, defaults={
        "text": body, "updated_by": actor, "published_at": None, "published_by": None})
    record(actor, "rectification.disclosure", feedback, request=request,
           summary=f"{feedback.unit.name}保存整改情况公开文本（待巡察办发布）", data={"length": len(body)})
    return obj


@transaction.atomic
def publish_disclosure(actor, feedback: Feedback, *, request=None) -> Disclosure:
    """公开发布 the unit's 整改情况公开 text on the public page (巡察办)."""
    feedback = _begin(actor, feedback, "office")
    obj = Disclosure.objects.select_for_update().filter(feedback=feedback).first()
    if obj is None:
        raise ValidationError("单位尚未保存整改情况公开文本。")
    if obj.published_at is not None:
        raise ValidationError("整改情况公开文本已经发布。")
    obj.published_at, obj.published_by = timezone.now(), actor
    obj.save(update_fields=["published_at", "published_by"])
    record(actor, "rectification.disclosure_publish", feedback, request=request,
           summary=f"公开发布{feedback.unit.name}整改情况")
    return obj
