"""The problem list's files in the round's archive (归档材料, ``xuncha.reports.archive``): each issued
边巡边改整改建议书 under 01-公文, and the leading group's consent scans under 05-证据材料."""

from __future__ import annotations

from collections.abc import Iterable

from .models import OnSiteRectification


def onsite_items(round_) -> Iterable:
    from xuncha.reports.archive import DOCUMENTS, EVIDENCE, _stored

    items = (OnSiteRectification.objects.filter(problem__round=round_)
             .select_related("problem", "suggestion", "consent_file").order_by("problem__number"))
    for item in items:
        n = item.problem.number
        if item.suggestion is not None:
            yield _stored(DOCUMENTS, f"问题{n}边巡边改整改建议书", item.suggestion)
        if item.consent_file is not None:
            yield _stored(EVIDENCE, f"问题{n}边巡边改领导小组同意文件：{item.consent_file.original_name}",
                          item.consent_file, f"问题{n}-领导小组同意-{item.consent_file.original_name}")
