"""Pages of 比对策略 (per jurisdiction and year): list, form, TOML import and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from xuncha.core.actions import error_text
from xuncha.policy.crosscheck import check_policy_policy

from . import policies, services
from .forms import PolicyForm, PolicyImportForm


def _own_jurisdiction(request):
    if not check_policy_policy.can(request.user, "view"):
        raise Http404("记录不存在或无权查看。")
    j = request.user.organization.jurisdiction
    if not check_policy_policy.can(request.user, "manage_policy", j):
        raise PermissionDenied("只有本地区巡察办可以编辑比对策略。")
    return j


@login_required
def policies_page(request):
    if not check_policy_policy.can(request.user, "view"):
        raise Http404("记录不存在或无权查看。")
    j = request.user.organization.jurisdiction
    return render(request, "crosscheck/policies.html", {
        "items": check_policy_policy.instances(request.user).select_related("jurisdiction", "updated_by"),
        "can_manage": check_policy_policy.can(request.user, "manage_policy", j), "jurisdiction": j,
        "default_label": policies.DEFAULT_LABEL, "import_form": PolicyImportForm(
            initial={"year": timezone.localdate().year}),
    })


@login_required
def edit(request, pk: int | None = None):
    j = _own_jurisdiction(request)
    obj = check_policy_policy.get(request.user, "manage_policy", pk=pk) if pk else None
    initial = policies.to_fields(obj.toml if obj else policies.default_toml())
    initial["year"] = obj.year if obj else timezone.localdate().year
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_policy(request.user, obj.jurisdiction if obj else j,
                                         form.cleaned_data["year"], form.toml, request=request)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已保存{saved}。")
            return redirect("crosscheck:policies")
    return render(request, "crosscheck/policy_form.html", {"form": form, "obj": obj, "jurisdiction": j})


@login_required
def import_toml(request):
    j = _own_jurisdiction(request)
    form = PolicyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_policy(request.user, j, form.cleaned_data["year"], form.cleaned_data["file"],
                                             request=request)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, f"已导入{saved}。")
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("crosscheck:policies")


@login_required
def export(request, pk: int):
    obj = check_policy_policy.get(request.user, "view", pk=pk)
    response = HttpResponse(obj.toml, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=policy_{obj.jurisdiction.code or obj.pk}_{obj.year}.toml"
    return response
