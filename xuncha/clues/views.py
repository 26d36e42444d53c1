"""Pages of problem clues (问题线索): lists, registration, disposal, the receiver's handling, ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuncha.core.actions import apply_form, error_text
from xuncha.core.paging import paginate
from xuncha.files.services import path_response
from xuncha.orgs.models import Organization
from xuncha.petitions import selectors as petition_selectors
from xuncha.petitions import uploads
from xuncha.petitions.xlsx import disposition
from xuncha.policy.clues import clue_policy
from xuncha.policy.petitions import petition_policy

from . import ledger, selectors, services
from .forms import ClueForm, DisposeForm, HandlingForm, ReceiptForm
from .models import Clue, Disposal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _all_receivers(round_):
    ids = set()
    for kind in (Disposal.Kind.DISCIPLINE, Disposal.Kind.ORGANIZATION, Disposal.Kind.PARTY_ORG):
        ids.update(services.receivers(round_, kind).values_list("pk", flat=True))
    return Organization.objects.filter(pk__in=ids).order_by("kind", "name")


@login_required
def index(request):
    if not clue_policy.can(request.user, "view"):
        raise Http404("记录不存在或无权查看。")
    received = selectors.received_clues(request.user)
    return render(request, "clues/index.html", {
        "rounds": selectors.rounds_with_clues(request.user),
        "received": paginate(request, received) if clue_policy.can(request.user, "receive") else None,
        "today": timezone.localdate(),
    })


@login_required
def round_list(request, round_id: int):
    round_ = clue_policy.round_for(request.user, "view", round_id)
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    return render(request, "clues/round_list.html", {
        "round": round_, "q": q, "status": status, "statuses": Clue.Status.choices,
        "page": paginate(request, selectors.round_clues(request.user, round_, q=q, status=status)),
        "counts": selectors.counts(round_), "today": timezone.localdate(),
        "can_manage": clue_policy.can(request.user, "manage", round_),
    })


@login_required
def create(request, round_id: int):
    round_ = clue_policy.round_for(request.user, "manage", round_id)
    form = ClueForm(request.POST or None, categories=petition_selectors.categories(round_))
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.create_clue(request.user, round_, form.clue_data(),
                                        source=form.cleaned_data["source"], request=request)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记问题线索 {clue.code}。")
            return redirect("clues:detail", pk=clue.pk)
    return render(request, "clues/form.html", {"round": round_, "form": form, "petition": None})


@login_required
def from_petition(request, petition_id: int):
    petition = petition_policy.get(request.user, "handle", pk=petition_id)
    clue_policy.require(request.user, "manage", petition.round)
    form = ClueForm(request.POST or None, categories=petition_selectors.categories(petition.round),
                    with_source=False, initial={
                        "person": petition.subject_name, "position": petition.subject_title,
                        "category": petition.category_id, "summary": petition.content,
                        "concerns_leadership": petition.concerns_leadership})
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.create_clue_from_petition(request.user, petition, form.clue_data(),
                                                      request=request)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已由信访举报件 {petition.serial} 形成问题线索 {clue.code}。")
            return redirect("clues:detail", pk=clue.pk)
    return render(request, "clues/form.html", {"round": petition.round, "form": form, "petition": petition})


@login_required
def detail(request, pk: int):
    clue = selectors.read_clue(request, pk)
    disposal = Disposal.objects.filter(clue=clue).select_related("receiver", "decided_by").first()
    can_dispose = disposal is None and clue_policy.can(request.user, "dispose", clue)
    can_result = clue_policy.can(request.user, "handle_result", clue)
    today = timezone.localdate()
    received = disposal is not None and disposal.received_on is not None
    concluded = disposal is not None and disposal.concluded_on is not None
    return render(request, "clues/detail.html", {
        "clue": clue, "round": clue.round, "disposal": disposal, "today": today,
        "overdue": disposal is not None and disposal.is_overdue(today),
        "steps": disposal.steps.select_related("recorded_by") if disposal is not None else [],
        "attachments": selectors.source_attachments(clue),
        "show_petition": clue.petition_id and petition_policy.can(request.user, "view", clue.petition),
        "can_dispose": can_dispose,
        "dispose_form": DisposeForm(receivers=_all_receivers(clue.round), initial={"decided_on": today})
        if can_dispose else None,
        "receipt_form": ReceiptForm(initial={"received_on": today}) if can_result and not received else None,
        "handling_form": HandlingForm(initial={"method_on": today})
        if can_result and received and not concluded else None,
    })


@login_required
@require_POST
def dispose(request, pk: int):
    clue = clue_policy.get(request.user, "dispose", pk=pk)
    form = DisposeForm(request.POST, receivers=_all_receivers(clue.round))
    apply_form(request, form, lambda data: services.dispose(request.user, clue, request=request, **data),
               success="已处置问题线索。")
    return redirect("clues:detail", pk=clue.pk)


@login_required
@require_POST
def receipt(request, pk: int):
    clue = clue_policy.get(request.user, "handle_result", pk=pk)
    apply_form(request, ReceiptForm(request.POST),
               lambda data: services.record_receipt(request.user, clue, request=request, **data),
               success="已登记签收回执。", invalid="请填写回执编号和签收日期。")
    return redirect("clues:detail", pk=clue.pk)


@login_required
@require_POST
def handling(request, pk: int):
    clue = clue_policy.get(request.user, "handle_result", pk=pk)
    apply_form(request, HandlingForm(request.POST),
               lambda data: services.record_handling(request.user, clue, request=request, **data),
               success="已登记办理情况。", invalid="请选择处置方式并填写日期。")
    return redirect("clues:detail", pk=clue.pk)


@login_required
def attachment(request, pk: int, attachment_id: int):
    """An attachment of the clue's source petition, which travels with the clue (audited read)."""
    clue = selectors.read_clue(request, pk, "attachment", data={"attachment": attachment_id})
    item = selectors.source_attachments(clue).filter(pk=attachment_id).first()
    if item is None:
        raise Http404("附件不存在。")
    return path_response(uploads.path_of(item.stored_name), name=item.original_name, kind=item.kind)


@login_required
def ledger_export(request, round_id: int):
    round_ = selectors.export_round(request, round_id)
    response = HttpResponse(ledger.clue_ledger(round_), content_type=XLSX)
    response["Content-Disposition"] = disposition(f"问题线索台账-{round_.year}-{round_.number}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def handover(request, pk: int):
    """问题线索移交登记表 (printable handover record with the receipt line)."""
    clue = selectors.read_transferred_clue(request, pk)
    disposal = Disposal.objects.select_related("receiver", "decided_by").get(clue=clue)
    return render(request, "clues/handover.html", {"clue": clue, "disposal": disposal})
