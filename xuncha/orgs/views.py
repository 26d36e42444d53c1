"""Pages for organisations and users (thin: parse, call a selector or service, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuncha.core.actions import error_text
from xuncha.core.paging import paginate
from xuncha.core.params import id_param
from xuncha.policy.orgs import jurisdiction_policy, organization_policy, user_policy

from . import selectors, services
from .forms import LeaderForm, OrganizationForm, PasswordResetForm, UserForm
from .models import Organization


@login_required
def tree(request):
    if not jurisdiction_policy.can(request.user, "view"):
        raise PermissionDenied("您没有权限查看组织机构。")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    jurisdiction_id = id_param(request.GET.get("j"))
    page = paginate(request, selectors.organizations(
        request.user, jurisdiction_id=jurisdiction_id, kind=kind or None, q=q or None))
    return render(request, "orgs/tree.html", {
        "tree": selectors.jurisdiction_tree(request.user),
        "page": page, "q": q, "kind": kind, "kinds": Organization.Kind.choices,
        "can_manage": organization_policy.can(request.user, "manage"),
    })


@login_required
def organization_detail(request, pk: int):
    org = organization_policy.get(request.user, "view", pk=pk)
    can_roster = organization_policy.can(request.user, "roster", org)
    return render(request, "orgs/organization_detail.html", {
        "org": org, "can_manage": organization_policy.can(request.user, "manage", org),
        "leaders": org.leadership.all(), "can_roster": can_roster,
        "leader_form": LeaderForm() if can_roster else None,
        "members": org.members.filter(is_active=True).order_by("username")
        if user_policy.can(request.user, "view") else None,
    })


@login_required
def organization_edit(request, pk: int | None = None):
    if pk is None:
        organization_policy.require(request.user, "manage")
        org = Organization()
    else:
        org = organization_policy.get(request.user, "manage", pk=pk)
    form = OrganizationForm(request.POST or None, instance=org, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.save_organization(request.user, form.save(commit=False), request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存组织单位“{org.name}”。")
            return redirect("orgs:organization", pk=org.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "org": org})


@login_required
def users(request):
    user_policy.require(request.user, "view")
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.users(request.user, q=q or None))
    return render(request, "orgs/users.html", {"page": page, "q": q})


def _user_form_fields(form):
    data = form.cleaned_data
    return dict(full_name=data["full_name"], organization=data["organization"], roles=data["roles"],
                phone=data.get("phone", ""), title=data.get("title", ""))


@login_required
def user_create(request):
    user_policy.require(request.user, "manage")
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.create_user(
                request.user, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], request=request, **_user_form_fields(form))
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            messages.success(request, f"已新建用户 {new_user.username}。")
            return redirect("orgs:users")
    return render(request, "orgs/user_form.html", {"form": form, "creating": True})


@login_required
def user_edit(request, pk: int):
    target = user_policy.get(request.user, "manage", pk=pk)
    initial = {"full_name": target.full_name, "organization": target.organization_id,
               "roles": sorted(target.role_codes), "phone": target.phone, "title": target.title}
    form = UserForm(request.POST or None, actor=request.user, instance=target, initial=initial)
    reset_form = PasswordResetForm()
    if request.method == "POST" and form.is_valid():
        services.update_user(request.user, target, request=request, **_user_form_fields(form))
        messages.success(request, f"已保存用户 {target.username}。")
        return redirect("orgs:users")
    return render(request, "orgs/user_form.html",
                  {"form": form, "target": target, "reset_form": reset_form, "creating": False})


@login_required
@require_POST
def user_set_active(request, pk: int):
    target = user_policy.get(request.user, "manage", pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(request.user, target, active, request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已{'启用' if active else '停用'}用户 {target.username}。")
    return redirect("orgs:user_edit", pk=target.pk)


@login_required
@require_POST
def user_reset_password(request, pk: int):
    target = user_policy.get(request.user, "manage", pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.reset_password(request.user, target, form.cleaned_data["new_password"],
                                    request=request)
        except ValidationError as exc:
            messages.error(request, "密码不符合要求：" + error_text(exc))
        else:
            messages.success(request, f"已重置用户 {target.username} 的密码，并解除登录锁定。")
    else:
        messages.error(request, "请输入新密码。")
    return redirect("orgs:user_edit", pk=target.pk)
