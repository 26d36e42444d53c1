"""Document pages (公文): download a round's documents; an office replaces its templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuncha.audit.services import record
from xuncha.core.actions import error_text
from xuncha.policy.documents import template_policy
from xuncha.policy.rounds import round_policy

from . import services
from .forms import TemplateUploadForm
from .models import DocumentKind

ROUND_KINDS = [DocumentKind.PLAN, DocumentKind.ANNOUNCEMENT, DocumentKind.AGENDA, DocumentKind.PLEDGE]


def _round_for_documents(user, pk: int):
    return round_policy.get(user, "team_records", pk=pk)


@login_required
def round_docs(request, pk: int):
    round_ = _round_for_documents(request.user, pk)
    return render(request, "documents/round_docs.html", {"round": round_, "kinds": ROUND_KINDS})


@login_required
def round_doc(request, pk: int, kind: str):
    round_ = _round_for_documents(request.user, pk)
    if kind not in [k.value for k in ROUND_KINDS]:
        raise PermissionDenied("没有这种公文。")
    data, filename = services.round_document(round_, kind, base_url=request.build_absolute_uri("/"))
    record(request.user, "documents.download", round_, request=request, summary=f"下载《{filename}》",
           kind="view")
    return services.docx_response(data, filename)


@login_required
def templates_home(request):
    template_policy.require(request.user, "manage")
    own = {o.kind: o for o in template_policy.instances(request.user, "manage")}
    rows = [{"kind": k, "override": own.get(k.value)} for k in DocumentKind]
    return render(request, "documents/templates.html", {"rows": rows, "form": TemplateUploadForm()})


@login_required
@require_POST
def template_upload(request):
    template_policy.require(request.user, "manage")
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.save_override(request.user, form.cleaned_data["kind"], form.cleaned_data["file"],
                                   request=request)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已启用本单位模板。")
    else:
        messages.error(request, "请选择公文种类和 .docx 文件。")
    return redirect("documents:templates")


@login_required
@require_POST
def template_reset(request, kind: str):
    template_policy.require(request.user, "manage")
    if kind not in DocumentKind.values:
        raise PermissionDenied("没有这种公文。")
    services.reset_override(request.user, kind, request=request)
    messages.success(request, "已恢复默认模板。")
    return redirect("documents:templates")


@login_required
def template_download(request, kind: str):
    """Download the template in use (own or default), to edit it in Word and upload it again."""
    template_policy.require(request.user, "manage")
    if kind not in DocumentKind.values:
        raise PermissionDenied("没有这种公文。")
    jurisdiction_id = request.user.organization.jurisdiction_id
    path = services.template_for(kind, jurisdiction_id)
    with open(path, "rb") as handle:
        data = handle.read()
    return services.docx_response(data, f"{DocumentKind(kind).label}模板.docx")
