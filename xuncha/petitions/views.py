"""Pages of petitions (信访举报): the public report and follow-up, and the team's handling pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuncha.core.actions import apply_form, error_text
from xuncha.core.paging import paginate
from xuncha.files.services import path_response
from xuncha.policy.petitions import petition_policy
from xuncha.rounds.models import Round

from . import ledger, receipts, selectors, services, uploads
from .forms import (
    ClassifyForm,
    FollowUpForm,
    IntakeForm,
    LinkForm,
    ReasonForm,
    ReportForm,
    SupplementForm,
    TextForm,
)
from .models import Petition

FOLLOW_SESSION = "petition_follow_id"
RECEIPT_SESSION = "petition_receipt"


def _rate_limited(request):
    return render(request, "petitions/rate_limited.html", {"message": services.RateLimited.message},
                  status=429)


# ---- public pages (no login) ------------------------------------------------------------------

def public_rounds(request):
    return render(request, "petitions/public_rounds.html", {"rounds": selectors.open_rounds()})


def public_report(request, round_id: int):
    round_ = get_object_or_404(Round.objects.select_related("jurisdiction"), pk=round_id)
    if round_.stage != Round.Stage.ONSITE:       # an old link: say why, and whom to contact
        return render(request, "petitions/public_closed.html", {
            "round": round_, "not_yet": round_.stage == Round.Stage.PREPARATION,
            "office": selectors.office_of(round_), "open_rounds": selectors.open_rounds()[:10]})
    form = ReportForm(request.POST or None, request.FILES or None, categories=selectors.categories(round_))
    if request.method == "POST":
        try:
            services.check_rate(request, "submit")
        except services.RateLimited:
            return _rate_limited(request)
        if form.is_valid():
            try:
                petition, secret = services.submit_public(
                    round_, form.report_data(), form.cleaned_data["attachments"], request=request)
            except services.RateLimited:
                return _rate_limited(request)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                request.session[RECEIPT_SESSION] = receipts.hold(
                    {"code": petition.receipt_code, "secret": secret, "round": round_.title})
                return redirect("petitions:public_receipt")
    return render(request, "petitions/public_report.html", {"round": round_, "form": form})


def public_receipt(request):
    receipt = receipts.take(request.session.pop(RECEIPT_SESSION, None))
    if receipt is None:
        return redirect("petitions:public_follow")
    response = render(request, "petitions/public_receipt.html", {"receipt": receipt})
    response["Cache-Control"] = "no-store"
    return response


def public_follow(request):
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.follow_up_login(request, form.cleaned_data["code"],
                                                form.cleaned_data["secret"])
        except services.RateLimited:
            return _rate_limited(request)
        if petition is None:
            form.add_error(None, "查询码或查询密码不正确。")
        else:
            request.session.cycle_key()
            request.session[FOLLOW_SESSION] = petition.pk
            return redirect("petitions:public_follow_view")
    return render(request, "petitions/public_follow.html", {"form": form})


def _followed(request) -> Petition:
    pk = request.session.get(FOLLOW_SESSION)
    petition = Petition.objects.filter(pk=pk).first() if pk else None
    if petition is None:
        raise Http404("请先输入查询码和查询密码。")
    return petition


def public_follow_view(request):
    try:
        petition = _followed(request)
    except Http404:
        return redirect("petitions:public_follow")
    form = SupplementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_supplement(petition, form.cleaned_data["text"], form.cleaned_data["attachments"],
                                    request=request)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已收到您补充的材料。")
            return redirect("petitions:public_follow_view")
    response = render(request, "petitions/public_follow_view.html", {
        "petition": petition, "thread": selectors.public_messages(petition), "form": form})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def public_follow_end(request):
    request.session.pop(FOLLOW_SESSION, None)
    return redirect("petitions:public_follow")


# ---- staff pages ------------------------------------------------------------------------------

@login_required
def index(request):
    if not petition_policy.can(request.user, "view"):
        raise Http404("记录不存在或无权查看。")
    return render(request, "petitions/index.html",
                  {"rounds": selectors.rounds_with_petitions(request.user)})


@login_required
def round_list(request, round_id: int):
    round_ = petition_policy.round_for(request.user, "view", round_id)
    q, channel, status = (request.GET.get(k, "").strip() for k in ("q", "channel", "status"))
    page = paginate(request, selectors.round_petitions(request.user, round_, q=q, channel=channel,
                                                       status=status))
    return render(request, "petitions/round_list.html", {
        "round": round_, "page": page, "q": q, "channel": channel, "status": status,
        "channels": Petition.Channel.choices, "statuses": Petition.Status.choices,
        "counts": selectors.counts(round_),
        "can_intake": petition_policy.can(request.user, "intake", round_),
        "can_reveal": petition_policy.can(request.user, "reveal", round_),
        "reason_form": ReasonForm(),
    })


@login_required
def intake(request, round_id: int):
    round_ = petition_policy.round_for(request.user, "intake", round_id)
    form = IntakeForm(request.POST or None, request.FILES or None, categories=selectors.categories(round_),
                      initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            petition, _secret = services.intake(
                request.user, round_, form.report_data(), form.cleaned_data["attachments"],
                channel=form.cleaned_data["channel"], received_on=form.cleaned_data["received_on"],
                request=request)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已登记信访举报件 {petition.serial}。")
            return redirect("petitions:detail", pk=petition.pk)
    return render(request, "petitions/intake.html", {"round": round_, "form": form})


@login_required
def detail(request, pk: int):
    petition = selectors.read_petition(request, pk)
    can_handle = petition_policy.can(request.user, "handle", petition)
    return render(request, "petitions/detail.html", {
        "petition": petition, "round": petition.round,
        "thread": petition.messages.select_related("author"),
        "attachments": petition.attachments.all(),
        "links": selectors.links(petition),
        "clues": petition.clues.select_related("round").order_by("number"),
        "can_handle": can_handle,
        "can_reveal": petition_policy.can(request.user, "reveal", petition),
        "reply_form": TextForm(), "triage_form": TextForm(auto_id="triage_%s"), "reason_form": ReasonForm(), "link_form": LinkForm(),
        "classify_form": ClassifyForm(categories=selectors.categories(petition.round), initial={
            "category": petition.category_id, "status": petition.status, "handling": petition.handling,
            "remarks": petition.remarks, "concerns_leadership": petition.concerns_leadership}),
    })


def _text_action(request, pk, service, done):
    petition = petition_policy.get(request.user, "handle", pk=pk)
    apply_form(request, TextForm(request.POST),
               lambda data: service(request.user, petition, data["text"], request=request),
               success=done, invalid="请填写内容。")
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def reply(request, pk: int):
    return _text_action(request, pk, services.reply, "已答复反映人，反映人可凭查询码查看。")


@login_required
@require_POST
def triage(request, pk: int):
    return _text_action(request, pk, services.add_triage_note, "已记录研判意见。")


@login_required
@require_POST
def classify(request, pk: int):
    petition = petition_policy.get(request.user, "handle", pk=pk)
    form = ClassifyForm(request.POST, categories=selectors.categories(petition.round))
    apply_form(request, form, lambda data: services.classify(request.user, petition, request=request, **data),
               success="已保存分类与办理情况。", invalid="分类信息有误，请检查。")
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def link(request, pk: int):
    petition = petition_policy.get(request.user, "handle", pk=pk)
    form = LinkForm(request.POST)
    other = None
    if form.is_valid():
        serial = selectors.serial_in_round(form.cleaned_data["other"], petition.round)
        if serial is not None:
            other = Petition.objects.filter(round=petition.round, serial_no=serial).first()
    if other is None:
        messages.error(request, "本轮次没有该受理编号的信访举报件。")
    else:
        try:
            services.link(request.user, petition, other, form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已关联 {other.serial}。")
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def reveal(request, pk: int):
    petition = petition_policy.get(request.user, "reveal", pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写查看反映人身份的事由（至少 4 个字）。")
        return redirect("petitions:detail", pk=petition.pk)
    try:
        identity = services.reveal_identity(request.user, petition, form.cleaned_data["reason"],
                                            request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("petitions:detail", pk=petition.pk)
    response = render(request, "petitions/reveal.html", {"petition": petition, "identity": identity,
                                                         "reason": form.cleaned_data["reason"]})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def attachment(request, pk: int, attachment_id: int):
    petition = selectors.read_petition(request, pk, "attachment", data={"attachment": attachment_id})
    item = get_object_or_404(petition.attachments, pk=attachment_id)
    return path_response(uploads.path_of(item.stored_name), name=item.original_name, kind=item.kind)


@login_required
def ledger_export(request, round_id: int):
    """信访举报受理登记台账 (.xlsx); POST with a reason adds identities for those who may reveal."""
    identities = None
    if request.method == "POST":
        round_ = petition_policy.round_for(request.user, "export", round_id)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写导出反映人身份的事由（至少 4 个字）。")
            return redirect("petitions:round", round_id=round_.pk)
        try:
            identities = services.export_identities(request.user, round_, form.cleaned_data["reason"],
                                                    request=request)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("petitions:round", round_id=round_.pk)
    round_ = selectors.export_round(request, round_id)
    data = ledger.petition_ledger(round_, identities)
    response = HttpResponse(data, content_type=uploads.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = ledger.disposition(f"信访举报受理登记台账-{round_.year}-{round_.number}.xlsx")
    response["Cache-Control"] = "no-store"
    return response
