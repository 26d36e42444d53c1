"""Pages of questionnaires: templates, a round's questionnaires, codes, paper entry, results.

Views parse and render; permission is the policy's, changes are the services'.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuncha.core.actions import apply_form, error_text, run_service
from xuncha.core.net import public_url, qr_svg
from xuncha.core.params import id_param
from xuncha.policy.surveys import survey_policy, survey_template_policy

from . import collect, services
from .forms import AnswerForm, CodesForm, LogForm, PaperForm, PaperIssuedForm, QuestionForm, TemplateForm
from .models import Question, Survey
from .results import survey_result


def _survey(user, pk: int, action: str) -> Survey:
    """A template (template policy) or a round's questionnaire (survey policy)."""
    row = Survey.objects.filter(pk=pk).values("round_id").first()
    if row is None:
        raise Http404("记录不存在或无权查看。")
    if row["round_id"] is None:
        return survey_template_policy.get(user, "manage" if action != "view" else "view", pk=pk)
    return survey_policy.get(user, action, pk=pk)


def _back(survey: Survey):
    return redirect("surveys:detail", pk=survey.pk)


# ---- templates --------------------------------------------------------------------------------

@login_required
def template_list(request):
    survey_template_policy.require(request.user, "view")
    return render(request, "surveys/templates.html", {
        "templates": survey_template_policy.instances(request.user).select_related("jurisdiction")
        .order_by("-builtin", "jurisdiction_id", "pk"),
        "can_manage": survey_template_policy.can(request.user, "manage"),
        "form": TemplateForm(),
    })


@login_required
def template_create(request):
    survey_template_policy.require(request.user, "manage")
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.save_template(request.user, form.instance, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已新建问卷模板，请添加题目。")
            return _back(survey)
    return render(request, "surveys/template_form.html", {"form": form})


@login_required
@require_POST
def template_copy(request, pk: int):
    source = survey_template_policy.get(request.user, "view", pk=pk)
    copy = services.copy_template(request.user, source, request=request)
    messages.success(request, f"已复制为本单位模板“{copy.title}”，可以修改。")
    return _back(copy)


@login_required
@require_POST
def builtin_reload(request):
    n = services.reload_builtin(request.user, request=request)
    messages.success(request, f"已重新载入随系统提供的问卷模板 {n} 份。")
    return redirect("surveys:templates")


# ---- one questionnaire (template or a round's) -----------------------------------------------

def _can(user, survey: Survey, action: str) -> bool:
    if survey.is_template:
        return survey_template_policy.can(user, "manage" if action != "view" else "view", survey)
    return survey_policy.can(user, action, survey)


@login_required
def survey_detail(request, pk: int):
    survey = _survey(request.user, pk, "view")
    manage = _can(request.user, survey, "manage")
    editable = manage and (survey.is_template or (survey.status == Survey.Status.DRAFT and not survey.responses.exists()))
    if survey.round_id and survey.round.stage == "archived":
        manage = editable = False
    questions = list(survey.questions.all())
    ctx = {"survey": survey, "questions": questions, "manage": manage, "editable": editable,
           "question_forms": [(q, QuestionForm(instance=q, prefix=f"q{q.pk}")) for q in questions] if editable else [],
           "new_question": QuestionForm(prefix="new") if editable else None,
           "edit_form": TemplateForm(instance=survey) if editable else None}
    if not survey.is_template:
        ctx.update({
            "round": survey.round, "tallies": services.tallies(survey),
            "can_enter": survey_policy.can(request.user, "enter", survey) and survey.round.stage != "archived",
            "can_log": survey_policy.can(request.user, "log", survey) and survey.round.stage != "archived",
            "codes_form": CodesForm(), "codes_token": secrets.token_urlsafe(24), "paper_form": PaperIssuedForm(initial={"count": survey.paper_issued}),
            "log_form": LogForm(initial={"day": timezone.localdate()}),
            "batches": _batches(survey),
        })
    return render(request, "surveys/detail.html", ctx)


def _batches(survey: Survey) -> list[dict]:
    rows: dict[int, dict] = {}
    for c in survey.codes.all().only("batch", "issued_on", "used_on", "voided"):
        b = rows.setdefault(c.batch, {"batch": c.batch, "issued_on": c.issued_on, "count": 0, "used": 0, "voided": 0})
        b["count"] += 1
        b["used"] += c.used_on is not None
        b["voided"] += c.voided
    return list(rows.values())


@login_required
@require_POST
def survey_edit(request, pk: int):
    survey = _survey(request.user, pk, "view")
    form = TemplateForm(request.POST, instance=survey)
    save = services.save_template if survey.is_template else services.save_survey
    apply_form(request, form, lambda _d: save(request.user, form.instance, request=request), success="已保存。")
    return _back(survey)


@login_required
@require_POST
def question_save(request, pk: int, question_id: int | None = None):
    survey = _survey(request.user, pk, "view")
    if question_id:
        instance = get_object_or_404(Question, pk=question_id, survey=survey)
        prefix = f"q{instance.pk}"
    else:
        instance, prefix = Question(survey=survey), "new"
    form = QuestionForm(request.POST, instance=instance, prefix=prefix)
    apply_form(request, form, lambda _d: services.save_question(request.user, form.instance, request=request),
               success="已保存题目。")
    return _back(survey)


@login_required
@require_POST
def question_delete(request, pk: int, question_id: int):
    survey = _survey(request.user, pk, "view")
    question = get_object_or_404(Question, pk=question_id, survey=survey)
    run_service(request, lambda: services.delete_question(request.user, question, request=request),
                success="已删除题目。")
    return _back(survey)


# ---- a round's questionnaires ---------------------------------------------------------------

@login_required
def round_surveys(request, round_id: int):
    round_ = survey_policy.round_for(request.user, "view", round_id)
    can_manage = survey_policy.can(request.user, "manage", round_) and round_.stage != "archived"
    if request.method == "POST":
        survey_policy.require(request.user, "manage", round_)
        template = survey_template_policy.instances(request.user).filter(
            pk=id_param(request.POST.get("template"))).first()
        if template is None:
            messages.error(request, "请选择一个问卷模板。")
            return redirect("surveys:round", round_id=round_.pk)
        try:
            survey, warnings = services.create_from_template(request.user, round_, template, request=request)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("surveys:round", round_id=round_.pk)
        for w in warnings:
            messages.warning(request, w)
        messages.success(request, f"已建立本轮问卷“{survey.title}”。")
        return _back(survey)
    surveys = [(s, services.tallies(s)) for s in round_.surveys.order_by("pk")]
    return render(request, "surveys/round.html", {
        "round": round_, "surveys": surveys, "can_manage": can_manage,
        "templates": survey_template_policy.instances(request.user).order_by("-builtin", "pk") if can_manage else [],
    })


@login_required
@require_POST
def survey_status(request, pk: int, status: str):
    survey = survey_policy.get(request.user, "view", pk=pk)
    run_service(request, lambda: services.set_status(request.user, survey, status, request=request),
                success="已开始收集。" if status == Survey.Status.OPEN else "已结束收集。")
    return _back(survey)


@login_required
@require_POST
def survey_codes(request, pk: int):
    """打印一次性码: the slips page (each slip a code and its QR code). The codes are shown this once."""
    survey = survey_policy.get(request.user, "view", pk=pk)
    form = CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "打印个数应为 1 至 500 之间的整数。")
        return _back(survey)
    try:
        batch, codes = services.issue_codes(request.user, survey, form.cleaned_data["count"],
                                            token=request.POST.get("token", ""), request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _back(survey)
    base = public_url(reverse("surveys:answer"))
    link = base or request.build_absolute_uri(reverse("surveys:answer"))
    slips = [{"code": services.show_code(c), "qr": qr_svg(f"{link}#{c}", scale=2)} for c in codes]
    return render(request, "surveys/slips.html", {"survey": survey, "batch": batch, "slips": slips,
                                                  "link": link, "configured": bool(base)})


@login_required
@require_POST
def survey_void(request, pk: int, batch: int):
    survey = survey_policy.get(request.user, "view", pk=pk)
    run_service(request, lambda: services.void_batch(request.user, survey, batch, request=request),
                success=lambda n: f"已作废第 {batch} 批未使用的码 {n} 个。")
    return _back(survey)


@login_required
@require_POST
def survey_paper_issued(request, pk: int):
    survey = survey_policy.get(request.user, "view", pk=pk)
    apply_form(request, PaperIssuedForm(request.POST),
               lambda d: services.set_paper_issued(request.user, survey, d["count"], request=request),
               success="已登记发放的纸质问卷份数。", invalid="发放份数应为不小于 0 的整数。")
    return _back(survey)


@login_required
@require_POST
def survey_log(request, pk: int):
    survey = survey_policy.get(request.user, "view", pk=pk)
    apply_form(request, LogForm(request.POST),
               lambda d: services.log_to_worklog(request.user, survey, day=d["day"], request=request),
               success=lambda log: f"已记入工作日志：发放 {log.forms_issued} 份，收回 {log.forms_returned} 份。",
               invalid="请填写日期。")
    return _back(survey)


@login_required
def survey_paper(request, pk: int):
    """录入纸质问卷: one form after another, keyboard only (Tab between boxes, Enter saves)."""
    survey = survey_policy.get(request.user, "enter", pk=pk)
    questions = list(survey.questions.all())
    form = PaperForm(survey, questions, request.POST or None, initial={"token": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        try:
            _response, created = collect.enter_paper(request.user, survey, form.parsed, group=form.parsed_group,
                                                     token=form.cleaned_data["token"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            n = survey.responses.filter(channel="paper").count()
            if created:
                messages.success(request, f"已保存，这是第 {n} 份纸质问卷。请录入下一份。")
            else:
                messages.info(request, f"这一份已经保存过，没有重复计算（共 {n} 份纸质问卷）。")
            return redirect("surveys:paper", pk=survey.pk)
    return render(request, "surveys/paper.html", {
        "survey": survey, "form": form, "round": survey.round,
        "entered": survey.responses.filter(channel="paper").count()})


# ---- results ----------------------------------------------------------------------------------

@login_required
def survey_results(request, pk: int):
    survey = survey_policy.get(request.user, "view", pk=pk)
    group = request.GET.get("group", "")
    if group and group not in survey.groups:
        group = ""
    return render(request, "surveys/results.html", {"survey": survey, "round": survey.round,
                                                    "result": survey_result(survey, group)})


@login_required
def survey_xlsx(request, pk: int):
    from .exports import xlsx_response

    survey = survey_policy.get(request.user, "view", pk=pk)
    return xlsx_response(request, survey)


@login_required
def survey_docx(request, pk: int):
    from .exports import docx_response

    survey = survey_policy.get(request.user, "view", pk=pk)
    return docx_response(request, survey)


# ---- the public answer page ---------------------------------------------------------------------

def _refused(request, message: str, status: int = 200):
    return render(request, "surveys/answer_start.html", {"error": message, "code": ""}, status=status)


def answer(request):
    """网上作答 (no login): enter the code (a slip's QR code fills it in), then the questionnaire."""
    if request.method != "POST":
        return render(request, "surveys/answer_start.html", {"code": ""})
    raw = request.POST.get("code", "")
    try:
        survey = collect.find_code(request, raw)
    except collect.RateLimited as exc:
        return _refused(request, exc.message, 429)
    except collect.CodeRefused as exc:
        return render(request, "surveys/answer_start.html", {"error": exc.message, "code": raw[:40]})
    questions = list(survey.questions.all())
    if "submit" not in request.POST:
        form = AnswerForm(survey, questions)
        return render(request, "surveys/answer_form.html", {"survey": survey, "form": form, "code": raw[:40]})
    form = AnswerForm(survey, questions, request.POST)
    if not form.is_valid():
        missing = sum(1 for name in form.errors if name != "__all__")
        return render(request, "surveys/answer_form.html", {
            "survey": survey, "form": form, "code": raw[:40],
            "summary": f"还有 {missing} 处需要补充或更正，已填写的内容都还在，请补充后再提交。"})
    try:
        collect.submit_online(request, raw, form.answers(), group=form.group)
    except collect.RateLimited as exc:
        return _refused(request, exc.message, 429)
    except collect.CodeRefused as exc:
        return render(request, "surveys/answer_start.html", {"error": exc.message, "code": ""})
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "surveys/answer_form.html", {"survey": survey, "form": form, "code": raw[:40],
                                                            "summary": error_text(exc)})
    return render(request, "surveys/answer_done.html", {"survey": survey})

