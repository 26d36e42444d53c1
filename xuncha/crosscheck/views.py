"""Pages of 数据比对 in a round: data files and runs, the 疑点 list and detail, 核实, dossier, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuncha.audit.reads import audit_read
from xuncha.core.actions import error_text
from xuncha.core.paging import paginate
from xuncha.core.params import id_param
from xuncha.files.services import file_response
from xuncha.policy.crosscheck import check_policy_policy, crosscheck_policy
from xuncha.rounds.models import Category
from xuncha.tasks.health import worker_status

from . import decisions, selectors, services
from .forms import ConfirmForm, DismissForm, RunForm, UploadForm
from .models import CheckRun, DataFile, Suspicion


def _run(request, pk: int, action: str = "view") -> CheckRun:
    return crosscheck_policy.get(request.user, action, pk=pk)


@login_required
def round_page(request, round_id: int):
    """数据文件 and 比对运行 of a round: upload, errors by file / row / column, run."""
    round_ = crosscheck_policy.round_for(request.user, "view", round_id)
    can_work = crosscheck_policy.can(request.user, "work", round_)
    upload_form, run_form = UploadForm(), RunForm(initial={"as_of": timezone.localdate()})
    if request.method == "POST":
        if not can_work:
            crosscheck_policy.require(request.user, "work", round_)
        if "upload" in request.POST:
            upload_form = UploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                try:
                    files = services.upload_files(request.user, round_, upload_form.cleaned_data["files"],
                                                  request=request)
                except ValidationError as exc:
                    upload_form.add_error(None, error_text(exc))
                else:
                    bad = [f.name for f in files if f.status == DataFile.Status.ERROR]
                    if bad:
                        messages.error(request, f"已上传 {len(files)} 个文件，其中 {len(bad)} 个有错误："
                                                f"{'、'.join(bad)}。请按下方错误修正后重新上传。")
                    else:
                        messages.success(request, f"已上传 {len(files)} 个文件，检查通过。")
                    return redirect("crosscheck:round", round_id=round_.pk)
        elif "run" in request.POST:
            run_form = RunForm(request.POST)
            if run_form.is_valid():
                try:
                    run = services.start_run(request.user, round_, as_of=run_form.cleaned_data["as_of"],
                                             request=request)
                except ValidationError as exc:
                    run_form.add_error(None, error_text(exc))
                else:
                    messages.success(request, f"已开始{run}，在后台运行。")
                    return redirect("crosscheck:run", pk=run.pk)
    files = round_.data_files.filter(active=True).select_related("stored", "uploaded_by").order_by("name")
    return render(request, "crosscheck/round.html", {
        "round": round_, "files": files, "can_work": can_work, "upload_form": upload_form, "run_form": run_form,
        "can_see_policies": check_policy_policy.can(request.user, "view"),
        "runs": paginate(request, round_.check_runs.select_related("created_by").order_by("-number"), 10),
        "latest": decisions.latest_run(round_),
    })


@login_required
@require_POST
def remove_file(request, pk: int):
    df = DataFile.objects.filter(pk=pk, round__in=crosscheck_policy.readable_rounds(request.user)).first()
    if df is None:
        raise Http404("记录不存在或无权查看。")
    try:
        services.remove_file(request.user, df, request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已移除 {df.name}。")
    return redirect("crosscheck:round", round_id=df.round_id)


def _run_context(request, run: CheckRun) -> dict:
    alive, worker_message = (True, "")
    if not run.finished:
        alive, worker_message = worker_status()
    return {"run": run, "worker_alive": alive, "worker_message": worker_message}


@login_required
def run_page(request, pk: int):
    run = _run(request, pk)
    context = _run_context(request, run)
    context.update({
        "round": run.round, "vanished": decisions.vanished(run) if run.status == CheckRun.Status.SUCCEEDED else [],
        "status_counts": {label: run.suspicions.filter(status=code).count() for code, label in Suspicion.Status.choices},
        "changed": run.suspicions.filter(change=Suspicion.Change.CHANGED).count(),
        "is_latest": decisions.latest_run(run.round) == run,
    })
    return render(request, "crosscheck/run.html", context)


@login_required
def run_progress(request, pk: int):
    """The progress bar (htmx polls it every second until the run finishes)."""
    run = _run(request, pk)
    response = render(request, "crosscheck/_progress.html", _run_context(request, run))
    if run.finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
def run_policy(request, pk: int):
    run = _run(request, pk)
    from django.http import HttpResponse

    response = HttpResponse(run.policy_toml, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=policy_run{run.number}.toml"
    return response


@login_required
def export(request, pk: int):
    """疑点清单 .xlsx of the run (the engine's workbook, made on the first export)."""
    run = _run(request, pk, "export")
    try:
        workbook = services.run_workbook(request.user, run, request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("crosscheck:run", pk=run.pk)
    audit_read(request.user, run, "export", request=request, what=f"第{run.number}次比对疑点清单",
               data={"round": run.round_id})
    return file_response(workbook)


def _suspicion_list(request, run: CheckRun, template_extra: dict):
    qs, f, problems = selectors.filter_suspicions(run.suspicions.select_related("problem", "clue"), request.GET)
    for p in problems:
        messages.warning(request, p)
    return render(request, "crosscheck/suspicions.html", {
        "run": run, "round": run.round, "page": paginate(request, qs, 50), "f": f,
        "rules": selectors.rule_choices(), "categories": selectors.category_choices(),
        "counties": selectors.counties(run), "statuses": Suspicion.Status.choices,
        "changes": Suspicion.Change.choices,
        "can_work": crosscheck_policy.can(request.user, "work", run) and decisions.latest_run(run.round) == run,
        **template_extra,
    })


@login_required
def suspicions(request, pk: int):
    return _suspicion_list(request, _run(request, pk), {})


@login_required
def round_suspicions(request, round_id: int):
    """The round's 疑点: those of its latest finished run, with their decisions."""
    round_ = crosscheck_policy.round_for(request.user, "view", round_id)
    run = decisions.latest_run(round_)
    if run is None:
        messages.info(request, "本轮还没有完成的比对。")
        return redirect("crosscheck:round", round_id=round_.pk)
    return _suspicion_list(request, run, {"per_round": True})


def _categories(round_):
    return Category.objects.filter(taxonomy_id=round_.taxonomy_id) if round_.taxonomy_id else Category.objects.none()


@login_required
def suspicion(request, pk: int):
    s = selectors.read_suspicion(request, pk)
    current = decisions.latest_run(s.round) == s.run
    try:
        grid, evidence_error = selectors.side_by_side(s), ""
    except selectors.EvidenceUnavailable as exc:
        grid, evidence_error = {}, error_text(exc)
    return render(request, "crosscheck/suspicion.html", {
        "s": s, "run": s.run, "round": s.round, "grid": grid, "evidence_error": evidence_error, "current": current,
        "can_work": current and crosscheck_policy.can(request.user, "work", s.round),
        "can_reopen": current and crosscheck_policy.can(request.user, "reopen", s.round),
        "confirm_form": ConfirmForm(categories=_categories(s.round),
                                    initial={"category": decisions.default_category(s)}),
        "dismiss_form": DismissForm(),
    })


@login_required
@require_POST
def decide(request, pk: int, action: str):
    s = selectors.read_suspicion(request, pk)
    try:
        if action == "confirm":
            form = ConfirmForm(request.POST, categories=_categories(s.round))
            if not form.is_valid():
                raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
            decisions.confirm(request.user, s, request=request, **form.cleaned_data)
            messages.success(request, f"已确认{s.code}，形成问题。")
        elif action == "dismiss":
            decisions.dismiss(request.user, s, reason=request.POST.get("reason", ""), request=request)
            messages.success(request, f"已排除{s.code}。")
        elif action == "reopen":
            decisions.reopen(request.user, s, reason=request.POST.get("reason", ""), request=request)
            messages.success(request, f"{s.code} 已重新打开，待核实。")
        elif action == "clue":
            clue = decisions.to_clue(request.user, s, request=request)
            messages.success(request, f"已转为问题线索 {clue.code}。")
        else:
            raise Http404("无效的操作。")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("crosscheck:suspicion", pk=s.pk)


@login_required
@require_POST
def bulk(request, pk: int):
    run = _run(request, pk)
    ids = [i for i in map(id_param, request.POST.getlist("ids")) if i is not None]
    chosen = list(run.suspicions.filter(pk__in=ids).select_related("round", "run"))
    action = request.POST.get("action", "")
    try:
        n = decisions.bulk_decide(request.user, chosen, action=action, reason=request.POST.get("reason", ""),
                                  request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc) + "（未做任何改动）")
    else:
        messages.success(request, f"已{'确认' if action == 'confirm' else '排除'} {n} 个疑点。")
    back = request.POST.get("next", "")
    if back.startswith("/crosscheck/") and "//" not in back:
        return redirect(back)
    return redirect("crosscheck:suspicions", pk=run.pk)


@login_required
def dossier_search(request, pk: int):
    run = _run(request, pk)
    q = request.GET.get("q", "").strip()
    return render(request, "crosscheck/dossier_search.html", {
        "run": run, "round": run.round, "q": q, "results": selectors.search_entities(run, q) if q else []})


@login_required
def dossier(request, pk: int, entity_id: str):
    run = _run(request, pk)
    d = selectors.dossier(request, run, entity_id)
    if d is None:
        raise Http404("没有找到该项目或单位（或该次比对的数据已不在）。")
    return render(request, "crosscheck/dossier.html", {"run": run, "round": run.round, "d": d})
