"""账号锁定: failed sign-ins by user name and address, and lifting a lockout (who may: policy/lockouts)."""

from __future__ import annotations

from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuncha.audit.services import record
from xuncha.core.paging import paginate
from xuncha.policy.lockouts import lockout_policy


@login_required
def lockouts(request):
    lockout_policy.require(request.user, "view")
    qs = lockout_policy.instances(request.user).order_by("-attempt_time")
    page = paginate(request, qs)
    return render(request, "orgs/lockouts.html", {"page": page, "limit": settings.AXES_FAILURE_LIMIT})


@login_required
@require_POST
def unlock(request, pk: int):
    attempt = lockout_policy.get(request.user, "unlock", pk=pk)
    with transaction.atomic():
        reset(ip=attempt.ip_address, username=attempt.username)
        record(request.user, "auth.unlock", None, request=request,
               summary=f"解除账号锁定：{attempt.username}（来自 {attempt.ip_address}）",
               data={"username": attempt.username, "ip": attempt.ip_address})
    messages.success(request, f"已解除 {attempt.username} 在 {attempt.ip_address} 的登录锁定。")
    return redirect("orgs:lockouts")
