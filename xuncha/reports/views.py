"""Report, feedback and archive pages: thin views — parse, call a selector or service, render."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuncha.audit.services import record
from xuncha.core.actions import apply_form, run_service
from xuncha.documents.services import docx_response
from xuncha.files.services import file_response
from xuncha.policy.reports import can_export_archive, feedback_policy, report_policy
from xuncha.policy.rounds import round_policy
from xuncha.rounds import services as round_services

from . import archive as archive_module
from . import content, docs, selectors, services
from .forms import CommentForm, DecisionForm, EvaluationForm, NoteForm, SignForm, VersionUploadForm
from .models import ReportVersion


def _to_round(round_):
    return redirect("rounds:detail", pk=round_.pk)


def _to_report(round_):
    return redirect("reports:report", pk=round_.pk)


# ---- 巡察报告 ---------------------------------------------------------------------------------

@login_required
def report_page(request, pk: int):
    round_ = report_policy.round_for(request.user, "view", pk)
    ctx = selectors.report_context(request.user, round_)
    ctx.update(upload_form=VersionUploadForm(), note_form=NoteForm(), comment_form=CommentForm(),
               decision_form=DecisionForm(), evaluation_form=EvaluationForm.for_report(ctx["report"]))
    return render(request, "reports/report.html", ctx)


GENERATED = {
    "draft": ("巡察报告（草稿）", lambda r: docs.report_draft(content.round_facts(r))),
    "evaluation": ("巡察总体评价表", lambda r: docs.evaluation_form(content.round_facts(r))),
    "summary": ("综合性汇报材料", lambda r: docs.summary_material(
        content.round_facts(r), [(c.jurisdiction.name, content.round_facts(c))
                                 for c in r.linked_rounds.select_related("jurisdiction").order_by("jurisdiction__code")])),
}


@login_required
def report_document(request, pk: int, kind: str):
    round_ = report_policy.round_for(request.user, "view", pk)
    if kind not in GENERATED:
        raise Http404("没有这种文书。")
    label, build = GENERATED[kind]
    filename = f"{round_.title}{label}.docx"
    record(request.user, "reports.download", round_, request=request, summary=f"下载《{filename}》", kind="view")
    return docx_response(build(round_), filename)


@login_required
def version_download(request, pk: int, number: int):
    round_ = report_policy.round_for(request.user, "view", pk)
    version = get_object_or_404(ReportVersion.objects.select_related("file"), report__round=round_, number=number)
    record(request.user, "reports.download", round_, request=request, kind="view",
           summary=f"下载“{round_.title}”巡察报告第{number}稿")
    return file_response(version.file)


@login_required
@require_POST
def version_upload(request, pk: int):
    round_ = report_policy.round_for(request.user, "work", pk)
    form = VersionUploadForm(request.POST, request.FILES)
    apply_form(request, form, lambda d: services.upload_version(request.user, round_, d["file"], note=d["note"],
                                                               request=request),
               success="已上传巡察报告新版本。", invalid="请选择巡察报告文件（.docx 或 .pdf）。")
    return _to_report(round_)


@login_required
@require_POST
def save_draft(request, pk: int):
    round_ = report_policy.round_for(request.user, "work", pk)
    run_service(request, lambda: services.save_draft_version(request.user, round_, request=request),
                success="已将系统生成的草稿存为新版本。")
    return _to_report(round_)


@login_required
@require_POST
def save_evaluation(request, pk: int):
    round_ = report_policy.round_for(request.user, "work", pk)
    form = EvaluationForm(request.POST)
    apply_form(request, form, lambda d: services.save_evaluation(
        request.user, round_, evaluation=form.evaluation(), overall_rating=d["overall_rating"],
        overall_comment=d["overall_comment"], suggestions=d["suggestions"], request=request),
        success="已保存总体评价和意见建议。")
    return _to_report(round_)


@login_required
@require_POST
def submit(request, pk: int):
    round_ = report_policy.round_for(request.user, "submit", pk)
    apply_form(request, NoteForm(request.POST),
               lambda d: services.submit_report(request.user, round_, note=d["note"], request=request),
               success="已报送巡察报告，待巡察办审核。")
    return _to_report(round_)


@login_required
@require_POST
def office_approve(request, pk: int):
    round_ = report_policy.round_for(request.user, "office_review", pk)
    apply_form(request, CommentForm(request.POST),
               lambda d: services.office_approve_report(request.user, round_, comments=d["comments"],
                                                        request=request),
               success="巡察办审核通过，已报领导小组审批。")
    return _to_report(round_)


@login_required
@require_POST
def leadership_approve(request, pk: int):
    round_ = report_policy.round_for(request.user, "leadership_review", pk)
    apply_form(request, CommentForm(request.POST),
               lambda d: services.approve_report(request.user, round_, comments=d["comments"], request=request),
               success="领导小组审批同意，报书记专题会议审议。")
    return _to_report(round_)


@login_required
@require_POST
def return_report(request, pk: int):
    round_ = report_policy.round_for(request.user, "view", pk)
    apply_form(request, CommentForm(request.POST),
               lambda d: services.return_report(request.user, round_, comments=d["comments"], request=request),
               success="已退回巡察组修改。")
    return _to_report(round_)


@login_required
@require_POST
def decision(request, pk: int):
    round_ = report_policy.round_for(request.user, "decide", pk)
    apply_form(request, DecisionForm(request.POST),
               lambda d: services.record_decision(request.user, round_, meeting_date=d["meeting_date"],
                                                  minute_no=d["minute_no"], comments=d["comments"],
                                                  request=request),
               success="已登记书记专题会议审议结果，巡察报告审定。")
    return _to_report(round_)


# ---- 工作方案: return with opinion, resubmit ---------------------------------------------------

@login_required
@require_POST
def plan_return(request, pk: int):
    round_ = round_policy.get(request.user, "approve", pk=pk)
    apply_form(request, CommentForm(request.POST),
               lambda d: round_services.return_plan(request.user, round_, comments=d["comments"], request=request),
               success="已退回工作方案，请巡察办修改后重新报批。")
    return _to_round(round_)


@login_required
@require_POST
def plan_resubmit(request, pk: int):
    round_ = round_policy.get(request.user, "manage", pk=pk)
    apply_form(request, NoteForm(request.POST),
               lambda d: round_services.resubmit_plan(request.user, round_, note=d["note"], request=request),
               success="已重新报领导小组审批。")
    return _to_round(round_)


# ---- stage transitions ------------------------------------------------------------------------

TRANSITIONS = {
    "start_feedback": (services.start_feedback, "已进入反馈阶段：请先向主要负责人通报，再向党组织反馈。"),
    "start_rectification": (services.start_rectification, "已进入整改阶段。"),
    "archive": (services.archive, "本轮巡察已归档。"),
}


@login_required
@require_POST
def transition(request, pk: int, action: str):
    round_ = round_policy.get(request.user, "view", pk=pk)
    if action not in TRANSITIONS:
        raise Http404("未知操作。")
    func, message = TRANSITIONS[action]
    run_service(request, lambda: func(request.user, round_, request=request), success=message)
    return _to_round(round_)


@login_required
def archive_zip(request, pk: int):
    round_ = round_policy.get(request.user, "view", pk=pk)
    if not can_export_archive(request.user, round_):
        raise PermissionDenied("只有巡察办可以导出归档材料。")
    if round_.stage != round_.Stage.ARCHIVED:
        raise PermissionDenied("本轮巡察尚未归档。")
    handle = tempfile.TemporaryFile()          # large evidence files do not stay in memory
    manifest_sha = archive_module.build_into(round_, handle)
    size = handle.tell()
    handle.seek(0)
    record(request.user, "reports.archive_export", round_, request=request, kind="view",
           summary=f"导出“{round_.title}”归档材料", data={"manifest_sha256": manifest_sha, "size": size})
    response = FileResponse(handle, as_attachment=True, filename=f"{round_.title}归档材料.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


# ---- 反馈意见 ---------------------------------------------------------------------------------

@login_required
def feedback_list(request):
    if not feedback_policy.can(request.user, "view"):
        raise PermissionDenied("您没有可查看的反馈意见。")
    return render(request, "reports/feedback_list.html", {"rows": selectors.unit_feedbacks(request.user)})


def _feedback(request, pk: int, action: str = "view"):
    return feedback_policy.get(request.user, action, pk=pk)


@login_required
def feedback_page(request, pk: int):
    feedback = _feedback(request, pk)
    if selectors.feedback_context(request.user, feedback)["can_sign"]:
        feedback = services.mark_read(request.user, feedback, request=request)
    ctx = selectors.feedback_context(request.user, feedback)
    ctx["sign_form"] = SignForm()
    return render(request, "reports/feedback.html", ctx)


@login_required
@require_POST
def brief(request, pk: int):
    feedback = _feedback(request, pk, "manage")
    run_service(request, lambda: services.brief_head(request.user, feedback, request=request),
                success="已向主要负责人通报巡察情况，可以向党组织反馈。")
    return redirect("reports:feedback", pk=feedback.pk)


@login_required
@require_POST
def issue(request, pk: int):
    feedback = _feedback(request, pk, "manage")
    run_service(request, lambda: services.issue_feedback(request.user, feedback, request=request),
                success="已向党组织反馈，待主要负责人签收。")
    return redirect("reports:feedback", pk=feedback.pk)


@login_required
@require_POST
def sign(request, pk: int):
    feedback = _feedback(request, pk, "sign")
    apply_form(request, SignForm(request.POST),
               lambda d: services.sign_feedback(request.user, feedback, confirmed=d["confirmed"], request=request),
               success="已签收巡察反馈意见。请在期限内报送整改方案和整改落实情况报告。")
    return redirect("reports:feedback", pk=feedback.pk)


FILES = {"document": ("document", "view"), "head-note": ("head_note", "view_head_note"),
         "receipt": ("receipt", "view")}


@login_required
def feedback_file(request, pk: int, which: str):
    if which not in FILES:
        raise Http404("没有这种文件。")
    field, action = FILES[which]
    feedback = _feedback(request, pk, action)
    stored = getattr(feedback, field)
    if stored is None:
        raise Http404("文件尚未生成。")
    record(request.user, "reports.download", feedback, request=request, kind="view",
           summary=f"下载{feedback.unit.name}《{stored.original_name}》")
    return file_response(stored)
