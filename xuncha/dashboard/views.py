"""指挥舱 pages: thin views — the policy decides, the selectors read, the templates show."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from xuncha.audit.reads import audit_read
from xuncha.core.paging import paginate
from xuncha.policy import dashboard as policy

from . import exports, presenters, selectors

DENIED = "指挥舱仅供巡察办和领导小组查看。"


def _filters(request):
    if not policy.can_view(request.user):
        raise PermissionDenied(DENIED)
    f = selectors.parse_filters(request.user, request.GET)
    for error in f.errors:
        messages.warning(request, error)
    return f


@login_required
def index(request):
    f = _filters(request)
    figs = selectors.all_figures(request.user, f)
    return render(request, "dashboard/index.html", {
        "f": f, "figs": figs, **selectors.choices(request.user, f),
        "charts": selectors.chart_data(figs, f, presenters.link_maker(request.user, f)),
        "rows_ok": {name: policy.can_read_rows(request.user, name) for name in policy.ROW_KINDS},
        "query": f.query(), "today": timezone.localdate(),
    })


@login_required
def rows(request, figure: str):
    f = _filters(request)
    if figure not in selectors.ROW_FIGURES:
        raise Http404("没有这项统计。")
    if not policy.can_read_rows(request.user, figure):
        raise PermissionDenied("问题、线索等台账明细仅供巡察办查看；领导小组可查看统计数字。")
    key = request.GET.get("key", "").strip()[:40]
    title, qs = selectors.rows(request.user, figure, key, f)
    page = paginate(request, qs.order_by("pk"), per_page=50)
    if policy.ROW_KINDS[figure] == "confidential":
        audit_read(request.user, f"指挥舱明细：{title}", "view", request=request,
                   what=f"指挥舱明细（{title}，{f.title}）", data={"figure": figure, "key": key})
    return render(request, "dashboard/rows.html", {
        "f": f, "title": title, "label": presenters.key_label(figure, key), "page": page,
        **presenters.table(selectors.ROW_KIND[figure], page.object_list),
        "back": reverse("dashboard:index") + ("?" + f.query() if f.query() else ""),
    })


@login_required
def export_docx(request):
    f = _filters(request)
    return exports.docx_response_for(request.user, f, selectors.all_figures(request.user, f))


@login_required
def export_xlsx(request):
    f = _filters(request)
    return exports.xlsx_response(request.user, f, selectors.all_figures(request.user, f))
