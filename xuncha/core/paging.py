"""Paging for long lists (分页)."""

from __future__ import annotations

from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int = 20):
    """Return the requested page; a bad or out-of-range page number gives the nearest page."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.querystring = query.urlencode()
    return page
