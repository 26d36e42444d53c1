from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuncha.core.paging import paginate
from xuncha.policy.audit import audit_policy

from .models import AuditEntry
from .services import verify_chain


@login_required
def entry_list(request):
    audit_policy.require(request.user, "view")
    qs = audit_policy.instances(request.user).select_related("actor")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(action__icontains=q) | qs.filter(summary__icontains=q)
    page = paginate(request, qs.order_by("-seq"), per_page=50)
    return render(request, "audit/list.html",
                  {"page": page, "kinds": AuditEntry.Kind.choices, "kind": kind, "q": q})


@login_required
@require_POST
def verify(request):
    audit_policy.require(request.user, "verify")
    result = verify_chain()
    whole = audit_policy.can(request.user, "whole_chain")
    (messages.success if result.ok else messages.error)(request, result.message(with_count=whole))
    return redirect("audit:list")
