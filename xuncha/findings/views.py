"""Pages of the round's problem list (问题清单): list, registration, edit, evidence, withdrawal,
problems and clues, 边巡边改, .xlsx export. Views are thin: the policy decides, services change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuncha.clues.selectors import read_clue
from xuncha.core.actions import apply_form, error_text
from xuncha.core.paging import paginate
from xuncha.files.services import file_response
from xuncha.petitions.selectors import categories
from xuncha.petitions.xlsx import disposition
from xuncha.policy.clues import clue_policy
from xuncha.policy.findings import problem_policy

from . import export, onsite, selectors, services
from .forms import ConsentForm, EvidenceForm, IssueForm, ProblemForm, ProposeForm, ToClueForm, WithdrawForm
from .models import OnSiteRectification, Problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request):
    if not problem_policy.can(request.user, "view"):
        raise Http404("记录不存在或无权查看。")
    return render(request, "findings/index.html", {"rounds": selectors.rounds_with_problems(request.user)})


@login_required
def round_list(request, round_id: int):
    round_ = problem_policy.round_for(request.user, "view", round_id)
    f = {k: request.GET.get(k, "").strip() for k in ("category", "status", "source", "q")}
    return render(request, "findings/round_list.html", {
        "round": round_, "f": f, "statuses": Problem.Status.choices, "sources": Problem.Source.choices,
        "categories": categories(round_).select_related("parent"),
        "page": paginate(request, selectors.round_problems(request.user, round_, **f)),
        "totals": selectors.totals(round_),
        "can_manage": problem_policy.can(request.user, "manage", round_),
    })


def _service_fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "evidence_files"}


@login_required
def create(request, round_id: int):
    round_ = problem_policy.round_for(request.user, "manage", round_id)
    form = ProblemForm(request.POST or None, request.FILES or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.create_problem(round_=round_, actor=request.user, source=Problem.Source.MANUAL,
                                              evidence_files=form.cleaned_data["evidence_files"], request=request,
                                              **_service_fields(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记问题{problem.number}。")
            return redirect("findings:detail", pk=problem.pk)
    return render(request, "findings/form.html", {"round": round_, "form": form, "clue": None, "problem": None})


@login_required
def from_clue(request, clue_id: int):
    """由问题线索形成问题."""
    clue = read_clue(request, clue_id)
    problem_policy.require(request.user, "manage", clue.round)
    form = ProblemForm(request.POST or None, request.FILES or None, round_=clue.round, initial={
        "category": clue.category_id, "title": clue.summary.splitlines()[0][:200] if clue.summary else "",
        "description": clue.summary, "amount": clue.amount or 0, "concerns_leadership": clue.concerns_leadership,
        "responsible_person": f"{clue.person}{'（' + clue.position + '）' if clue.position else ''}"[:100],
        "found_by": Problem.FoundBy.PETITION if clue.petition_id else Problem.FoundBy.OTHER})
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_from_clue(request.user, clue, request=request,
                                                 evidence_files=form.cleaned_data["evidence_files"],
                                                 **_service_fields(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已由问题线索 {clue.code} 形成问题{problem.number}。")
            return redirect("findings:detail", pk=problem.pk)
    return render(request, "findings/form.html", {"round": clue.round, "form": form, "clue": clue, "problem": None})


@login_required
def detail(request, pk: int):
    problem = selectors.read_problem(request, pk)
    user = request.user
    item = OnSiteRectification.objects.filter(problem=problem).select_related(
        "proposed_by", "consent_recorded_by", "issued_by", "consent_file", "suggestion").first()
    open_ = problem.status == Problem.Status.CONFIRMED and problem.round.stage != problem.round.Stage.ARCHIVED
    can_manage = open_ and problem_policy.can(user, "manage", problem)
    S = OnSiteRectification.Status
    return render(request, "findings/detail.html", {
        "problem": problem, "round": problem.round, "onsite": item,
        "evidence": problem.evidence.order_by("uploaded_at", "pk"),
        "can_manage": can_manage,
        "can_withdraw": open_ and problem_policy.can(user, "withdraw", problem),
        "show_source_clue": problem.source_clue_id and clue_policy.can(user, "view", problem.source_clue),
        "show_referred_clue": problem.referred_clue_id and clue_policy.can(user, "view", problem.referred_clue),
        "suspicions": selectors.source_suspicions(user, problem),
        "evidence_form": EvidenceForm() if can_manage else None,
        "withdraw_form": WithdrawForm(),
        "to_clue_form": ToClueForm(initial={"person": problem.responsible_person or (
            problem.responsible_unit.name if problem.responsible_unit_id else "")})
        if can_manage and not problem.referred_clue_id else None,
        "propose_form": ProposeForm() if can_manage and item is None else None,
        "consent_form": ConsentForm() if open_ and item is not None and item.status == S.PROPOSED
        and problem_policy.can(user, "consent", problem) else None,
        "issue_form": IssueForm() if open_ and item is not None and item.status == S.CONSENTED
        and problem_policy.can(user, "rectify", problem) else None,
    })


@login_required
def edit(request, pk: int):
    problem = problem_policy.get(request.user, "manage", pk=pk)
    fields = ("found_by", "category", "title", "description", "responsible_unit", "responsible_person", "severity",
              "amount", "amount_to_recover", "concerns_head", "concerns_leadership")
    initial = {f: getattr(problem, f + "_id", None) if f in ("category", "responsible_unit") else getattr(problem, f)
               for f in fields}
    form = ProblemForm(request.POST or None, round_=problem.round, with_files=False,
                       found_by=problem.source == Problem.Source.MANUAL, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_problem(request.user, problem, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已保存问题{problem.number}。")
            return redirect("findings:detail", pk=problem.pk)
    return render(request, "findings/form.html", {"round": problem.round, "form": form, "clue": None,
                                                  "problem": problem})


@login_required
@require_POST
def add_evidence(request, pk: int):
    problem = problem_policy.get(request.user, "manage", pk=pk)
    apply_form(request, EvidenceForm(request.POST, request.FILES),
               lambda d: services.add_evidence(request.user, problem, d["files"], request=request),
               success="已上传证据材料。")
    return redirect("findings:detail", pk=problem.pk)


@login_required
def evidence(request, pk: int, file_id: int):
    """Download one evidence file (audited read of the problem)."""
    problem = selectors.read_problem(request, pk, "attachment", data={"file": file_id})
    stored = selectors.evidence_file(problem, file_id)
    if stored is None:
        raise Http404("证据文件不存在。")
    return file_response(stored)


@login_required
def onsite_file(request, pk: int, kind: str):
    """The 边巡边改 consent scan or the issued suggestion (.docx), audited."""
    problem = selectors.read_problem(request, pk, "attachment", data={"onsite": kind})
    stored = selectors.onsite_files(problem).get(kind)
    if stored is None:
        raise Http404("文件不存在。")
    return file_response(stored)


@login_required
@require_POST
def withdraw(request, pk: int):
    problem = problem_policy.get(request.user, "withdraw", pk=pk)
    apply_form(request, WithdrawForm(request.POST),
               lambda d: services.withdraw_problem(request.user, problem, request=request, **d),
               success=f"已撤销问题{problem.number}。", invalid="请填写撤销理由。")
    return redirect("findings:detail", pk=problem.pk)


@login_required
@require_POST
def to_clue(request, pk: int):
    problem = problem_policy.get(request.user, "manage", pk=pk)
    apply_form(request, ToClueForm(request.POST),
               lambda d: services.problem_to_clue(request.user, problem, request=request, **d),
               success=f"问题{problem.number}已转为问题线索。")
    return redirect("findings:detail", pk=problem.pk)


@login_required
@require_POST
def onsite_propose(request, pk: int):
    problem = problem_policy.get(request.user, "manage", pk=pk)
    apply_form(request, ProposeForm(request.POST),
               lambda d: onsite.propose(request.user, problem, request=request, **d),
               success="已提出边巡边改，待领导小组同意。")
    return redirect("findings:detail", pk=problem.pk)


@login_required
@require_POST
def onsite_consent(request, pk: int):
    problem = problem_policy.get(request.user, "consent", pk=pk)
    apply_form(request, ConsentForm(request.POST, request.FILES),
               lambda d: onsite.record_consent(request.user, problem, request=request, **d),
               success="已登记领导小组同意。")
    return redirect("findings:detail", pk=problem.pk)


@login_required
@require_POST
def onsite_issue(request, pk: int):
    problem = problem_policy.get(request.user, "rectify", pk=pk)
    apply_form(request, IssueForm(request.POST),
               lambda d: onsite.issue_suggestion(request.user, problem, request=request, **d),
               success="已标记边巡边改并出具整改建议书。")
    return redirect("findings:detail", pk=problem.pk)


@login_required
def export_xlsx(request, round_id: int):
    round_ = selectors.export_round(request, round_id)
    response = HttpResponse(export.problem_workbook(round_), content_type=XLSX)
    response["Content-Disposition"] = disposition(f"问题清单-{round_.year}-{round_.number}.xlsx")
    response["Cache-Control"] = "no-store"
    return response
