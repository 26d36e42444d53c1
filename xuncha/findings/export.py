"""问题清单 (.xlsx) of a round, as the team prints it: title, header, widths, landscape, repeated header;
amounts are numbers (they sum in Excel), dates are date cells; a 统计 sheet by category, source, status."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from xuncha.petitions import xlsx
from xuncha.rounds.models import Round

from .models import OnSiteRectification, Problem

COLUMNS = [("序号", 6), ("大类", 16), ("问题类别", 20), ("问题概述", 28), ("问题事实", 44), ("责任单位", 18),
           ("责任人", 12), ("严重程度", 8), ("涉及金额（元）", 14), ("应追缴/挽回金额（元）", 14), ("来源", 14),
           ("发现方式", 10), ("证据材料（件）", 9), ("边巡边改", 16), ("关联问题线索", 20), ("状态", 8),
           ("登记人", 10), ("登记日期", 11), ("撤销理由", 20)]
MONEY_COLUMNS = (9, 10)
MONEY_FORMAT = "#,##0.00"


def _onsite(p: Problem) -> str:
    item = getattr(p, "on_site", None)
    if item is None:
        return ""
    if item.status == OnSiteRectification.Status.ISSUED:
        return f"已出具整改建议书，期限{item.deadline:%Y-%m-%d}"
    return item.get_status_display()


def rows(round_: Round):
    qs = (Problem.objects.filter(round=round_)
          .select_related("category__parent", "responsible_unit", "source_clue__round__jurisdiction",
                          "referred_clue__round__jurisdiction", "created_by", "on_site")
          .annotate(n_evidence=Count("evidence")).order_by("number"))
    for p in qs:
        top = p.category.parent if p.category and p.category.parent_id else p.category
        sub = p.category if p.category and p.category.parent_id else None
        source = p.get_source_display() + (f"（{p.rule_code}）" if p.rule_code else "")
        clues = []
        if p.source_clue_id:
            clues.append(f"来源 {p.source_clue.code}")
        if p.referred_clue_id:
            clues.append(f"已转 {p.referred_clue.code}")
        yield [p.number, top.name if top else "未分类", sub.name if sub else "", p.title, p.description,
               p.responsible_unit.name if p.responsible_unit_id else "", p.responsible_person,
               p.get_severity_display(), p.amount, p.amount_to_recover, source, p.get_found_by_display(),
               p.n_evidence, _onsite(p), "；".join(clues), p.get_status_display(),
               p.created_by.display_name if p.created_by_id else "", timezone.localtime(p.created_at).date(),
               p.withdrawn_reason]


def problem_workbook(round_: Round) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "问题清单"
    data = list(rows(round_))
    confirmed = [r for r in data if r[15] == Problem.Status.CONFIRMED.label]
    total = sum((r[8] for r in confirmed), Decimal(0))
    recover = sum((r[9] for r in confirmed), Decimal(0))
    xlsx.ledger_sheet(ws, "巡察发现问题清单", COLUMNS, data,
                      subtitle=f"巡察轮次：{round_.title}（{round_.jurisdiction.committee_name}）　"
                               f"已确认问题{len(confirmed)}个，涉及金额{total:,.2f}元，应追缴/挽回{recover:,.2f}元")
    for r in range(4, 4 + len(data)):
        for c in MONEY_COLUMNS:
            cell = ws.cell(row=r, column=c)
            cell.value = float(cell.value or 0)
            cell.number_format = MONEY_FORMAT
    by_category = Counter(f"{r[1]}" + (f" / {r[2]}" if r[2] else "") for r in confirmed)
    xlsx.summary_sheet(wb.create_sheet("统计"), f"问题统计（已确认 {len(confirmed)} 个，已撤销 {len(data) - len(confirmed)} 个）", [
        ("按问题类别（已确认）", sorted(by_category.items())),
        ("按来源（已确认）", [(label, sum(1 for r in confirmed if r[10].startswith(label)))
                        for _c, label in Problem.Source.choices]),
        ("按严重程度（已确认）", [(label, sum(1 for r in confirmed if r[7] == label))
                          for _c, label in Problem.Severity.choices]),
        ("按状态", [(label, sum(1 for r in data if r[15] == label)) for _c, label in Problem.Status.choices]),
    ])
    return xlsx.to_bytes(wb)
