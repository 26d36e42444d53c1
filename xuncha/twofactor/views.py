"""账号安全: turn two-factor login on and off, the second login step, an administrator's reset."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xuncha.core.actions import error_text, run_service
from xuncha.policy import twofactor as policy
from xuncha.policy.orgs import user_policy

from . import services


class TokenForm(forms.Form):
    token = forms.CharField(label="动态码", max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


def _codes_page(request, codes):
    return render(request, "twofactor/recovery_codes.html", {"codes": codes})


@login_required
def security(request):
    user = request.user
    return render(request, "twofactor/security.html", {
        "enabled": services.is_enabled(user), "required": policy.must_use_two_factor(user),
        "may_turn_off": policy.may_turn_off(user), "codes_left": services.recovery_codes_left(user),
    })


@login_required
def setup(request):
    user = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_setup(user, form.cleaned_data["token"], request=request)
        except ValidationError as exc:
            form.add_error("token", error_text(exc))
        else:
            messages.success(request, "双因素登录已开启。")
            return _codes_page(request, codes)
    device = services.pending_device(user)
    return render(request, "twofactor/setup.html", {
        "form": form, "qr": services.qr_svg(device), "secret": services.secret_text(device),
        "required": policy.must_use_two_factor(user)})


@login_required
def verify(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.user.is_verified():
        return redirect(next_url)
    form = TokenForm(request.POST or None)
    form.fields["token"].label = "动态码或恢复码"
    if request.method == "POST" and form.is_valid():
        try:
            services.verify(request, form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", error_text(exc))
        else:
            return redirect(next_url)
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url})


@login_required
@require_POST
def recovery_codes(request):
    try:
        codes = services.new_recovery_codes(request.user, request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("twofactor:security")
    return _codes_page(request, codes)


@login_required
@require_POST
def turn_off(request):
    run_service(request, lambda: services.turn_off(request.user, request=request), success="双因素登录已关闭。")
    return redirect("twofactor:security")


@login_required
@require_POST
def reset(request, pk: int):
    target = user_policy.get(request.user, "manage", pk=pk)
    run_service(request, lambda: services.reset(request.user, target, request=request),
                success=f"已重置用户 {target.username} 的双因素登录，其下次登录时重新扫码开启。")
    return redirect("orgs:user_edit", pk=target.pk)
