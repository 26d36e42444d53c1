"""Round pages (巡察轮次): thin views — parse, call a selector or service, render."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuncha.core.actions import apply_form, run_service
from xuncha.core.paging import paginate
from xuncha.core.params import id_param
from xuncha.policy.rounds import is_link_head, round_policy, taxonomy_policy
from xuncha.reports.services import rectification_deadlines

from . import inquiries, linkage, recusal, selectors, services, worklogs
from .forms import (
    AnnouncementForm,
    InquiryForm,
    LinkCountiesForm,
    PlanForm,
    RecusalExceptionForm,
    ReplyForm,
    TargetsForm,
    TeamMemberForm,
    WorkLogForm,
)
from .models import Inquiry, Round, TeamMembership


@login_required
def round_list(request):
    q = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    page = paginate(request, selectors.rounds_for(request.user, q=q or None, stage=stage or None))
    return render(request, "rounds/list.html", {
        "page": page, "q": q, "stage": stage, "stages": Round.Stage.choices,
        "can_create": round_policy.can(request.user, "manage"),
        "can_view_taxonomies": taxonomy_policy.can(request.user, "view"),
    })


@login_required
def round_create(request):
    round_policy.require(request.user, "manage")
    today = timezone.localdate()
    form = PlanForm(request.POST or None, actor=request.user, instance=Round(),
                    initial={"year": today.year, "kind": Round.Kind.SPECIAL})
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(request.user, jurisdiction=request.user.organization.jurisdiction,
                                           request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新建巡察轮次“{round_.title}”，请组建巡察组、确定被巡察单位。")
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/plan_form.html", {"form": form, "creating": True})


@login_required
def round_edit(request, pk: int):
    round_ = round_policy.get(request.user, "manage", pk=pk)
    form = PlanForm(request.POST or None, actor=request.user, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: form.cleaned_data[k] for k in form.cleaned_data}
            round_ = services.update_plan(request.user, Round.objects.get(pk=pk), request=request, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存工作方案。")
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/plan_form.html", {"form": form, "round": round_, "creating": False})


@login_required
def round_detail(request, pk: int):
    round_ = round_policy.get(request.user, "view", pk=pk)
    return render(request, "rounds/detail.html", selectors.detail_context(request.user, round_))


@login_required
def round_timeline(request, pk: int):
    round_ = round_policy.get(request.user, "view", pk=pk)
    return render(request, "rounds/timeline.html", {
        "round": round_, "rows": selectors.timeline(round_), "milestones": selectors.milestones(round_),
        "deadlines": rectification_deadlines(round_),
        "changes": round_.stage_changes.select_related("actor"),
    })


@login_required
def round_team(request, pk: int):
    round_ = round_policy.get(request.user, "manage", pk=pk)
    form = TeamMemberForm(request.POST or None, round_=round_)
    targets_form = TargetsForm(initial={"targets": list(round_.targets.all())},
                               choices=services.target_choices(round_))
    if request.method == "POST" and form.is_valid():
        try:
            m = services.add_team_member(request.user, round_, user=form.cleaned_data["user"],
                                         team_role=form.cleaned_data["team_role"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已将 {m.user.display_name} 列为{m.get_team_role_display()}。")
            return redirect("rounds:team", pk=round_.pk)
    return render(request, "rounds/team.html", {
        "round": round_, "form": form, "targets_form": targets_form,
        "team": selectors.team_of(round_), "exceptions": round_.recusal_exceptions.select_related("user"),
        "exception_form": RecusalExceptionForm(round_=round_, auto_id="exception_%s"),
    })


@login_required
@require_POST
def round_recusal_exception(request, pk: int):
    round_ = round_policy.get(request.user, "manage", pk=pk)
    apply_form(request, RecusalExceptionForm(request.POST, round_=round_),
               lambda data: recusal.record_exception(request.user, round_, data["user"], reason=data["reason"],
                                                     request=request),
               success="已记录回避例外，现在可以将该干部列入巡察组。")
    return redirect("rounds:team", pk=round_.pk)


@login_required
@require_POST
def round_team_remove(request, pk: int, member_id: int):
    round_ = round_policy.get(request.user, "manage", pk=pk)
    membership = get_object_or_404(TeamMembership, pk=member_id, round=round_)
    run_service(request, lambda: services.remove_team_member(request.user, membership, request=request),
                success="已移除。")
    return redirect("rounds:team", pk=round_.pk)


@login_required
@require_POST
def round_targets(request, pk: int):
    round_ = round_policy.get(request.user, "manage", pk=pk)
    form = TargetsForm(request.POST, choices=services.target_choices(round_))
    apply_form(request, form,
               lambda data: services.set_targets(request.user, round_, data["targets"], request=request),
               success="已保存被巡察单位。", invalid="请选择列表中的单位。")
    return redirect("rounds:team", pk=round_.pk)


def _public_report_url(round_) -> str:
    if round_.stage != Round.Stage.ONSITE:      # the public form takes reports only while on site
        return ""
    try:
        return reverse("petitions:public_report", kwargs={"round_id": round_.pk})
    except NoReverseMatch:
        return ""


def _report_qr(round_) -> dict | None:
    """码上巡察: the QR code of the public report link on the configured public address (XUNCHA_PUBLIC_URL)."""
    from xuncha.core.net import public_url, qr_svg

    url = public_url(_public_report_url(round_))
    return {"url": url, "svg": qr_svg(url, scale=4)} if url else None


@login_required
def round_announcement(request, pk: int):
    round_ = round_policy.get(request.user, "view", pk=pk)
    can_manage = round_policy.can(request.user, "manage", round_)
    form = AnnouncementForm(request.POST or None, instance=Round.objects.get(pk=pk))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有权限修改巡察公告。")
        if form.is_valid():
            try:
                services.save_announcement(request.user, round_, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存巡察公告。")
                return redirect("rounds:announcement", pk=round_.pk)
    return render(request, "rounds/announcement.html", {
        "round": round_, "form": form, "can_manage": can_manage,
        "editable": can_manage and round_.stage in (Round.Stage.PREPARATION, Round.Stage.ONSITE),
        "targets": round_.targets.all(), "report_url": _public_report_url(round_),
        "acts": selectors.available_actions(request.user, round_),
        "report_qr": _report_qr(round_), "public_configured": bool(settings.XUNCHA_PUBLIC_URL),
    })


def public_announcement(request, pk: int):
    """公开的巡察公告 (no login): only published announcements of rounds on site."""
    round_ = get_object_or_404(Round, pk=pk, stage=Round.Stage.ONSITE, announcement_published_at__isnull=False)
    return render(request, "rounds/public_announcement.html", {
        "round": round_, "targets": round_.targets.all(), "report_url": _public_report_url(round_),
        "report_qr": _report_qr(round_)})


TRANSITIONS = {
    "approve_plan": (services.approve_plan, "已审批同意工作方案。"),
    "publish": (services.publish_announcement, "已发布巡察公告。"),
    "start_onsite": (services.start_onsite, "已进入进驻阶段。"),
}


@login_required
@require_POST
def round_transition(request, pk: int, action: str):
    round_ = round_policy.get(request.user, "view", pk=pk)
    if action not in TRANSITIONS:
        raise PermissionDenied("未知操作。")
    func, message = TRANSITIONS[action]
    run_service(request, lambda: func(request.user, round_, request=request), success=message)
    return redirect("rounds:detail", pk=round_.pk)


@login_required
def round_worklogs(request, pk: int):
    round_ = round_policy.get(request.user, "team_records", pk=pk)
    can_add = round_policy.can(request.user, "work", round_)
    form = WorkLogForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有本轮巡察组成员可以记录工作日志。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                worklogs.add_log(request.user, round_, day=d["date"], work_type=d["work_type"],
                                 content=d["content"], people_talked=d["people_talked"] or 0,
                                 forms_issued=d["forms_issued"] or 0, forms_returned=d["forms_returned"] or 0,
                                 request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已记录工作日志。")
                return redirect("rounds:worklogs", pk=round_.pk)
    return render(request, "rounds/worklogs.html", {
        "round": round_, "form": form, "can_add": can_add,
        "page": paginate(request, worklogs.logs_for(request.user, round_)),
    })


def _briefing_args(request):
    raw = request.GET.get("date", "")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        messages.error(request, "日期格式不正确，已按今天统计。")
        day = timezone.localdate()
    choice = request.GET.get("round", "")
    parent = None
    if id_param(choice) is not None:
        parent = round_policy.get(request.user, "view", pk=id_param(choice))
    elif choice != "all":        # default: the latest round with linked county rounds (联动巡察)
        parent = _parents(request.user).first()
    return day, parent


def _parents(user):
    return selectors.rounds_for(user).filter(linked_rounds__isnull=False).distinct()


@login_required
def briefing(request):
    round_policy.require(request.user, "brief")
    day, parent = _briefing_args(request)
    result = worklogs.briefing(request.user, day, parent)
    return render(request, "rounds/briefing.html", {
        "b": result, "day": day, "parent": parent, "query": request.GET.urlencode(),
        "parents": _parents(request.user),
    })


@login_required
def briefing_docx(request):
    round_policy.require(request.user, "brief")
    from xuncha.documents.services import briefing_document

    day, parent = _briefing_args(request)
    return briefing_document(request.user, worklogs.briefing(request.user, day, parent))


@login_required
def round_inquiries(request, pk: int):
    round_ = round_policy.get(request.user, "team_records", pk=pk)
    can_send = round_policy.can(request.user, "inquire", round_)
    form = InquiryForm(request.POST or None, round_=round_, initial={"sent_on": timezone.localdate()})
    if request.method == "POST":
        if not can_send:
            raise PermissionDenied("您没有权限登记函询。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                inquiries.send_inquiry(request.user, round_, recipient=d["recipient"], subject=d["subject"],
                                       sent_on=d["sent_on"], due_days=d["due_days"],
                                       recipient_org=d["recipient_org"], request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已登记函询。")
                return redirect("rounds:inquiries", pk=round_.pk)
    return render(request, "rounds/inquiries.html", {
        "round": round_, "form": form, "can_send": can_send, "today": timezone.localdate(),
        "items": round_.inquiries.select_related("recipient_org"), "reply_form": ReplyForm(),
    })


@login_required
@require_POST
def inquiry_reply(request, pk: int, inquiry_id: int):
    round_ = round_policy.get(request.user, "inquire", pk=pk)
    inquiry = get_object_or_404(Inquiry, pk=inquiry_id, round=round_)
    apply_form(request, ReplyForm(request.POST),
               lambda data: inquiries.record_reply(request.user, inquiry, replied_on=data["replied_on"],
                                                   reply=data["reply"], request=request),
               success="已登记回复。", invalid="请填写回复日期和回复情况。")
    return redirect("rounds:inquiries", pk=round_.pk)


@login_required
def round_linked(request, pk: int):
    """联动巡察: the counties' rounds under a city's 联动巡察 round, their stage and progress."""
    round_ = round_policy.get(request.user, "view", pk=pk)
    if not is_link_head(round_):
        raise Http404("本轮不是市级联动巡察。")
    can_link = round_policy.can(request.user, "link", round_)
    form = LinkCountiesForm(request.POST or None, choices=linkage.county_choices(round_))
    if request.method == "POST":
        if not can_link:
            raise PermissionDenied("只有本级巡察办可以部署联动巡察。")
        if form.is_valid():
            try:
                created = linkage.create_county_rounds(request.user, round_, form.cleaned_data["counties"],
                                                       request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已为{len(created)}个县（区）新建联动巡察轮次，由各县（区）巡察办组建巡察组。")
                return redirect("rounds:linked", pk=round_.pk)
    return render(request, "rounds/linked.html", {
        "round": round_, "here": "联动巡察", "rows": linkage.county_progress(request.user, round_),
        "form": form if can_link and form.fields["counties"].queryset.exists() else None,
        "can_brief": round_policy.can(request.user, "brief"),
    })
