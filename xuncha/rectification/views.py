"""整改 pages: thin views — parse, ask the policy, call a selector or service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuncha.audit.services import record
from xuncha.core.actions import apply_form, run_service
from xuncha.core.paging import paginate
from xuncha.files.services import file_response
from xuncha.petitions.xlsx import disposition
from xuncha.policy.rectification import rectification_policy, sees_oversight

from . import docs, exports, figures, forms, ledger, plans, records, selectors
from .models import Evidence, Item, RectReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _feedback(request, pk: int, action: str = "view"):
    return rectification_policy.get(request.user, action, pk=pk)


def _item(request, pk: int, action: str = "view") -> Item:
    item = get_object_or_404(Item.objects.select_related("feedback__round", "feedback__unit", "problem"), pk=pk)
    _feedback(request, item.feedback_id, "view")              # 404 when its feedback is not visible
    if action != "view":
        rectification_policy.require(request.user, action, item.feedback)
    return item


def _back(feedback):
    return redirect("rectification:feedback", pk=feedback.pk)


def _to_item(item):
    return redirect("rectification:item", pk=item.pk)


@login_required
def index(request):
    if not rectification_policy.can(request.user, "view"):
        raise PermissionDenied("您没有可查看的整改事项。")
    return render(request, "rectification/index.html", {"rows": selectors.rectification_rows(request.user),
                                                        "oversee": sees_oversight(request.user)})


@login_required
def feedback_page(request, pk: int):
    feedback = _feedback(request, pk)
    ctx = selectors.feedback_context(request.user, feedback)
    latest = ctx["latest"]
    initial = {m.problem_id: m for m in latest.measures.all()} if latest else {}
    ctx.update(plan_form=forms.PlanForm(ctx["problems"], initial_measures=initial),
               comment_form=forms.CommentForm(), accountability_form=forms.AccountabilityForm(feedback=feedback),
               rule_form=forms.RuleForm(feedback=feedback), report_form=forms.ReportUploadForm(), visit_form=forms.VisitForm(),
               disclosure_form=forms.DisclosureForm(initial={"text": ctx["disclosure"].text if ctx["disclosure"]
                                                             else docs.disclosure_draft(feedback)}))
    return render(request, "rectification/feedback.html", ctx)


# ---- 整改方案 ----------------------------------------------------------------------------------

@login_required
@require_POST
def plan_file(request, pk: int):
    feedback = _feedback(request, pk, "unit")
    form = forms.PlanForm(plans.feedback_problems(feedback), request.POST)
    apply_form(request, form, lambda d: plans.file_plan(request.user, feedback, form.measures(), note=d["note"],
                                                        request=request),
               success="已报送整改方案，待巡察办审核。")
    return _back(feedback)


@login_required
@require_POST
def plan_review(request, pk: int):
    feedback = _feedback(request, pk, "office")
    do = request.POST.get("do")
    if do == "accept":
        action, success = (lambda d: plans.accept_plan(request.user, feedback, comments=d["comments"],
                                                        request=request)), "整改方案审核通过，已建立整改台账。"
    elif do == "return":
        action, success = (lambda d: plans.return_plan(request.user, feedback, comments=d["comments"],
                                                        request=request)), "已退回整改方案，待单位修改后重新报送。"
    else:
        raise Http404("未知操作。")
    apply_form(request, forms.CommentForm(request.POST), action, success=success)
    return _back(feedback)


# ---- 整改台账 ----------------------------------------------------------------------------------

@login_required
def item_page(request, pk: int):
    item = _item(request, pk)
    ctx = selectors.item_context(request.user, item)
    ctx.update(progress_form=forms.ProgressForm(initial={"progress": item.progress,
                                                         "amount_recovered": item.amount_recovered}),
               evidence_form=forms.EvidenceForm(), request_form=forms.RequestForm(),
               review_form=forms.ReviewItemForm())
    return render(request, "rectification/item.html", ctx)


@login_required
@require_POST
def item_progress(request, pk: int):
    item = _item(request, pk, "unit")
    apply_form(request, forms.ProgressForm(request.POST),
               lambda d: ledger.report_progress(request.user, item, progress=d["progress"],
                                                amount_recovered=d["amount_recovered"], request=request),
               success="已保存整改进展。")
    return _to_item(item)


@login_required
@require_POST
def item_evidence(request, pk: int):
    item = _item(request, pk, "unit")
    apply_form(request, forms.EvidenceForm(request.POST, request.FILES),
               lambda d: ledger.add_evidence(request.user, item, d["file"], note=d["note"], request=request),
               success="已上传佐证材料。", invalid="请选择佐证材料文件。")
    return _to_item(item)


@login_required
@require_POST
def item_request(request, pk: int):
    item = _item(request, pk, "unit")
    apply_form(request, forms.RequestForm(request.POST),
               lambda d: ledger.request_closure(request.user, item, comments=d["comments"], request=request),
               success="已申请销号，待巡察办审核。")
    return _to_item(item)


REVIEWS = {
    "approve": (lambda req, item, d: ledger.approve_closure(req.user, item, result=d["result"],
                                                            comments=d["comments"], request=req), "已同意销号。"),
    "return": (lambda req, item, d: ledger.return_item(req.user, item, comments=d["comments"], request=req),
               "已退回销号申请。"),
    "red_card": (lambda req, item, d: ledger.red_card(req.user, item, comments=d["comments"], request=req),
                 "已认定为虚假整改（红牌），退回单位重新整改。"),
}


@login_required
@require_POST
def item_review(request, pk: int):
    item = _item(request, pk, "office")
    do = request.POST.get("do")
    if do not in REVIEWS:
        raise Http404("未知操作。")
    call, success = REVIEWS[do]
    apply_form(request, forms.ReviewItemForm(request.POST), lambda d: call(request, item, d), success=success)
    return _to_item(item)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("file", "item__feedback__unit"), pk=pk)
    _item(request, evidence.item_id)
    record(request.user, "rectification.download", evidence.item, request=request, kind="view",
           summary=f"下载{evidence.item.feedback.unit.name}整改事项{evidence.item.code}佐证材料“{evidence.file.original_name}”")
    return file_response(evidence.file)


# ---- records around the ledger ----------------------------------------------------------------

@login_required
@require_POST
def accountability_add(request, pk: int):
    feedback = _feedback(request, pk, "record")
    apply_form(request, forms.AccountabilityForm(request.POST, feedback=feedback),
               lambda d: records.add_accountability(request.user, feedback, request=request, **d),
               success="已登记追责问责。")
    return _back(feedback)


@login_required
@require_POST
def rule_add(request, pk: int):
    feedback = _feedback(request, pk, "record")
    apply_form(request, forms.RuleForm(request.POST, feedback=feedback),
               lambda d: records.add_rule(request.user, feedback, request=request, **d), success="已登记建章立制。")
    return _back(feedback)


@login_required
@require_POST
def report_upload(request, pk: int):
    feedback = _feedback(request, pk, "unit")
    apply_form(request, forms.ReportUploadForm(request.POST, request.FILES),
               lambda d: records.upload_report(request.user, feedback, kind=d["kind"], upload=d["file"],
                                               request=request),
               success="已报送整改报告。", invalid="请选择报告种类和文件（.docx 或 .pdf）。")
    return _back(feedback)


@login_required
@require_POST
def report_generate(request, pk: int, kind: str):
    feedback = _feedback(request, pk, "unit")
    run_service(request, lambda: records.generate_report(request.user, feedback, kind=kind, request=request),
                success="已按整改台账生成并报送整改报告。")
    return _back(feedback)


@login_required
def report_download(request, pk: int):
    report = get_object_or_404(RectReport.objects.select_related("file", "feedback__unit"), pk=pk)
    _feedback(request, report.feedback_id)
    record(request.user, "rectification.download", report.feedback, request=request, kind="view",
           summary=f"下载{report.feedback.unit.name}{report.get_kind_display()}第{report.number}稿")
    return file_response(report.file)


@login_required
@require_POST
def visit_add(request, pk: int):
    feedback = _feedback(request, pk, "office")
    apply_form(request, forms.VisitForm(request.POST),
               lambda d: records.add_visit(request.user, feedback, request=request, **d), success="已登记回访。")
    return _back(feedback)


@login_required
@require_POST
def disclosure_save(request, pk: int):
    feedback = _feedback(request, pk, "unit")
    apply_form(request, forms.DisclosureForm(request.POST),
               lambda d: records.save_disclosure(request.user, feedback, text=d["text"], request=request),
               success="已保存整改情况公开文本。")
    return _back(feedback)


@login_required
@require_POST
def disclosure_publish(request, pk: int):
    feedback = _feedback(request, pk, "office")
    run_service(request, lambda: records.publish_disclosure(request.user, feedback, request=request),
                success="已公开发布整改情况。")
    return _back(feedback)


def public_disclosures(request):
    """整改情况公开 (no login): the texts the office published."""
    return render(request, "rectification/public.html", {"page": paginate(request, selectors.published_disclosures())})


# ---- exports and 督办 ----------------------------------------------------------------------------

def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = disposition(filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def feedback_ledger(request, pk: int):
    feedback = _feedback(request, pk)
    record(request.user, "rectification.export", feedback, request=request, kind="view",
           summary=f"导出{feedback.unit.name}整改台账")
    return _xlsx(exports.ledger_xlsx(feedback.round, [feedback]), f"{feedback.unit.name}整改台账.xlsx")


@login_required
def round_ledger(request, pk: int):
    round_ = rectification_policy.round_for(request.user, "view", pk)
    feedbacks = list(rectification_policy.instances(request.user).filter(round=round_).select_related("unit"))
    record(request.user, "rectification.export", round_, request=request, kind="view",
           summary=f"导出“{round_.title}”整改台账")
    return _xlsx(exports.ledger_xlsx(round_, feedbacks), f"{round_.title}整改台账.xlsx")


@login_required
def oversight(request):
    if not sees_oversight(request.user):
        raise PermissionDenied("逾期督办仅供巡察办和领导小组查看。")
    today = timezone.localdate()
    rows = selectors.overdue_rows(request.user, today)
    jurisdiction = request.user.organization.jurisdiction
    return render(request, "rectification/oversight.html", {
        "plans": rows["plans"], "page": paginate(request, rows["items"]), "today": today,
        "table": figures.county_table(jurisdiction, today=today), "jurisdiction": jurisdiction})
