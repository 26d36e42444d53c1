"""Pages of the 巡察干部库 (cadres' units and relatives, for 回避) and of a unit's 领导班子 roster."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xuncha.core.actions import apply_form, error_text, run_service
from xuncha.core.paging import paginate
from xuncha.policy.orgs import inspector_policy, organization_policy

from . import cadres, selectors
from .forms import CareerForm, LeaderForm, ProfileForm, RelativeForm
from .models import CareerEntry, InspectorProfile, LeadershipMember, RelativeEntry


@login_required
def cadre_list(request):
    inspector_policy.require(request.user, "view")
    q = request.GET.get("q", "").strip()
    return render(request, "orgs/cadres.html", {
        "page": paginate(request, selectors.cadres(request.user, q=q or None)), "q": q})


@login_required
def cadre_detail(request, pk: int):
    cadre = inspector_policy.cadre(request.user, "view", pk)
    profile = InspectorProfile.objects.filter(user=cadre).select_related("home_unit").first()
    form = ProfileForm(request.POST or None, actor=request.user, initial={
        "home_unit": profile.home_unit_id if profile else None,
        "home_since": profile.home_since if profile else None, "note": profile.note if profile else ""})
    if request.method == "POST":
        inspector_policy.require(request.user, "manage", cadre)
        if form.is_valid():
            try:
                cadres.save_profile(request.user, cadre, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "已保存。")
                return redirect("orgs:cadre", pk=cadre.pk)
    return render(request, "orgs/cadre_detail.html", {
        "cadre": cadre, "profile": profile, "form": form,
        "career": profile.career.select_related("organization") if profile else [],
        "relatives": profile.relatives.select_related("organization") if profile else [],
        "career_form": CareerForm(actor=request.user, auto_id="career_%s"),
        "relative_form": RelativeForm(actor=request.user, auto_id="relative_%s"),
        "can_manage": inspector_policy.can(request.user, "manage", cadre),
    })


@login_required
@require_POST
def cadre_career_add(request, pk: int):
    cadre = inspector_policy.cadre(request.user, "manage", pk)
    apply_form(request, CareerForm(request.POST, actor=request.user),
               lambda data: cadres.add_career(request.user, cadre, request=request, **data),
               success="已增加任职经历。")
    return redirect("orgs:cadre", pk=cadre.pk)


@login_required
@require_POST
def cadre_relative_add(request, pk: int):
    cadre = inspector_policy.cadre(request.user, "manage", pk)
    apply_form(request, RelativeForm(request.POST, actor=request.user),
               lambda data: cadres.add_relative(request.user, cadre, request=request, **data),
               success="已增加亲属任职。")
    return redirect("orgs:cadre", pk=cadre.pk)


@login_required
@require_POST
def cadre_entry_remove(request, pk: int, kind: str, entry_id: int):
    cadre = inspector_policy.cadre(request.user, "manage", pk)
    model = {"career": CareerEntry, "relative": RelativeEntry}.get(kind)
    if model is None:
        return redirect("orgs:cadre", pk=cadre.pk)
    entry = get_object_or_404(model, pk=entry_id, profile__user=cadre)
    run_service(request, lambda: cadres.remove_entry(request.user, cadre, entry, request=request),
                success="已删除。")
    return redirect("orgs:cadre", pk=cadre.pk)


@login_required
@require_POST
def leader_add(request, pk: int):
    org = organization_policy.get(request.user, "roster", pk=pk)
    apply_form(request, LeaderForm(request.POST),
               lambda data: cadres.add_leader(request.user, org, request=request, **data),
               success="已增加领导班子成员。")
    return redirect("orgs:organization", pk=org.pk)


@login_required
@require_POST
def leader_remove(request, pk: int, member_id: int):
    org = organization_policy.get(request.user, "roster", pk=pk)
    member = get_object_or_404(LeadershipMember, pk=member_id, organization=org)
    run_service(request, lambda: cadres.remove_leader(request.user, member, request=request),
                success="已移出领导班子名单。")
    return redirect("orgs:organization", pk=org.pk)
