"""问题线索台账 (.xlsx)."""

from __future__ import annotations

from xuncha.petitions import xlsx
from xuncha.rounds.models import Round

from . import selectors
from .models import Clue

COLUMNS = [("序号", 6), ("编号", 12), ("来源", 12), ("涉及人员及职务", 20), ("职级", 9), ("问题类别", 18),
           ("线索内容", 46), ("处置方式", 14), ("移交单位", 18), ("移交日期", 11), ("办理时限", 11),
           ("办理结果", 28), ("四种形态", 11), ("备注", 12)]


def rows(round_: Round):
    qs = (Clue.objects.filter(round=round_).select_related("round__jurisdiction", "category", "petition__round",
                                                           "disposal__receiver")
          .prefetch_related("disposal__steps").order_by("number"))
    for i, c in enumerate(qs, start=1):
        d = getattr(c, "disposal", None)
        source = c.get_source_display()
        if c.petition_id:
            source += f"（{c.petition.serial}）"
        elif c.rule_code:
            source += f"（{c.rule_code}）"
        result = ""
        note = ""
        if d is not None:
            steps = [f"{s.method_on:%Y-%m-%d} {s.get_method_display()}" + (f"：{s.result}" if s.result else "")
                     for s in d.steps.all()]
            if d.concluded_on:
                steps.append(f"办结 {d.concluded_on:%Y-%m-%d}")
            result = "；".join(steps)
            if d.is_overdue():
                note = "逾期未办结"
            if d.deadline_estimated:
                note = "；".join(x for x in (note, "办理时限按周末估算") if x)
        yield [i, c.code, source, f"{c.person} {c.position}".strip(), c.get_level_display(),
               c.category.name if c.category else "", c.summary,
               d.get_kind_display() if d else "待处置", d.receiver.name if d and d.receiver else "",
               d.decided_on if d and d.is_transfer else "",
               d.deadline if d and d.deadline else "",
               result, d.get_form_display() if d and d.form else "", note]


def clue_ledger(round_: Round) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "问题线索台账"
    xlsx.ledger_sheet(ws, "问题线索台账", COLUMNS, rows(round_),
                      subtitle=f"巡察轮次：{round_.title}（{round_.jurisdiction.committee_name}）")
    counts = selectors.counts(round_)
    xlsx.summary_sheet(wb.create_sheet("统计"), f"问题线索统计（共 {counts['total']} 条，逾期 {counts['overdue']} 条）", [
        ("按来源", counts["source"]), ("按问题类别", counts["category"]), ("按处置方式", counts["disposal"]),
        ("按四种形态", counts["form"]),
    ])
    return xlsx.to_bytes(wb)
