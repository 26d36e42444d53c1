"""信访举报受理登记台账 (.xlsx)."""

from __future__ import annotations

from xuncha.rounds.models import Round

from . import selectors, xlsx
from .identity import Identity
from .models import Petition
from .xlsx import disposition  # noqa: F401  (re-exported for views)

COLUMNS = [("序号", 6), ("受理编号", 11), ("受理日期", 11), ("来源方式", 9), ("反映人", 16),
           ("被反映人", 14), ("职务", 14), ("问题类别", 18), ("主要内容摘要", 48), ("办理情况", 24),
           ("备注", 14)]
SUMMARY_LEN = 200


def _reporter(p: Petition, identities: dict[int, Identity] | None) -> str:
    if p.anonymous:
        return "匿名"
    if identities and p.pk in identities:
        who = identities[p.pk]
        return "；".join(x for x in (who.name, who.phone, who.id_number, who.address) if x)
    return "实名"


def rows(round_: Round, identities=None):
    qs = (Petition.objects.filter(round=round_).select_related("category", "round__jurisdiction")
          .prefetch_related("clues__round__jurisdiction", "links__other__round__jurisdiction")
          .order_by("serial_no"))
    for i, p in enumerate(qs, start=1):
        summary = p.content if len(p.content) <= SUMMARY_LEN else p.content[:SUMMARY_LEN] + "……"
        notes = [p.remarks] if p.remarks else []
        notes += [f"转线索 {c.code}" for c in p.clues.all()]
        notes += [f"与 {link.other.serial} 重复" for link in p.links.all()]
        yield [i, p.serial, p.received_on, p.get_channel_display(),
               _reporter(p, identities), p.subject_name, p.subject_title,
               p.category.name if p.category else "", summary,
               (p.get_status_display() + ("：" + p.handling if p.handling else "")), "；".join(notes)]


def petition_ledger(round_: Round, identities: dict[int, Identity] | None = None) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "受理登记台账"
    xlsx.ledger_sheet(ws, "信访举报受理登记台账", COLUMNS, rows(round_, identities),
                      subtitle=f"巡察轮次：{round_.title}（{round_.jurisdiction.committee_name}）")
    counts = selectors.counts(round_)
    xlsx.summary_sheet(wb.create_sheet("统计"), f"信访举报受理情况统计（共 {counts['total']} 件）", [
        ("按来源方式", counts["channel"]), ("按问题类别", counts["category"]), ("按办理状态", counts["status"]),
    ])
    return xlsx.to_bytes(wb)
