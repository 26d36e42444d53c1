"""边巡边改整改建议书 (.docx) in the GB/T 9704 layout (``xuncha.documents.gbt9704``)."""

from __future__ import annotations

import io

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xuncha.documents import gbt9704 as g
from xuncha.documents.services import cn_date
from xuncha.reports.content import money


def suggestion_document(problem, item, unit) -> bytes:
    """The written suggestion the team gives the unit for a problem it corrects during the round."""
    round_ = problem.round
    committee = round_.jurisdiction.committee_name
    document = g.new_document()
    g.title(document, "边巡边改整改建议书")
    g.body(document, f"（{committee}巡察组〔{round_.year}〕边改第{problem.number}号）", indent=False,
           align=WD_ALIGN_PARAGRAPH.CENTER)
    g.body(document, f"{unit.party_org or unit.name}：", indent=False)
    g.body(document, f"{committee}巡察组在{round_.title}中发现你单位存在以下问题。经巡察工作领导小组同意"
                     f"（{item.consent_by}，{cn_date(item.consent_on)}，{item.consent_document}），"
                     "按照“边巡边改、立行立改”的要求，现提出整改建议如下。")
    g.heading1(document, "一、存在的问题")
    facts = problem.title.rstrip("。") + "。" + (problem.description.strip().rstrip("。") + "。"
                                              if problem.description.strip() else "")
    money_parts = []
    if problem.amount:
        money_parts.append(f"涉及金额{money(problem.amount)}")
    if problem.amount_to_recover:
        money_parts.append(f"应追缴（挽回）{money(problem.amount_to_recover)}")
    if money_parts:
        facts += "（" + "，".join(money_parts) + "）"
    g.body(document, facts)
    if problem.responsible_person:
        g.body(document, f"责任人：{problem.responsible_person}。")
    g.heading1(document, "二、整改要求")
    for line in [s.strip() for s in item.requirement.splitlines() if s.strip()]:
        g.body(document, line)
    g.heading1(document, "三、整改期限")
    last = g.body(document, f"请于{cn_date(item.deadline)}前完成整改"
                     + ("（期限按周末估算，以工作日历为准）" if item.deadline_estimated else "")
                     + "，并将整改情况书面报送巡察组。")
    gap = g.blank(document)
    g.signature(document, f"{committee}巡察组", cn_date(timezone.localtime(item.issued_at).date()),
                keep_with=[last, gap])     # the 落款 never stands alone on a page
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
