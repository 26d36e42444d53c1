"""整改台账 (.xlsx): the ledger rows, plan versions, 追责问责, 建章立制 and 回访 — what the office prints."""

from __future__ import annotations

from xuncha.petitions import xlsx
from xuncha.rounds.models import Round

from .models import Accountability, Item, PlanMeasure, RuleMade, Visit


def _d(day):
    return day if day else ""


def _names(feedbacks) -> str:
    return "、".join(f.unit.name for f in feedbacks)


def ledger_xlsx(round_: Round, feedbacks) -> bytes:
    """The round's (or one unit's) 整改台账 workbook; ``feedbacks`` are the signed feedbacks to include."""
    ids = [f.pk for f in feedbacks]
    subtitle = f"巡察轮次：{round_.title}　被巡察单位：{_names(feedbacks)}"
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "整改台账"
    columns = [("编号", 8), ("被巡察单位", 16), ("问题", 28), ("具体问题", 28), ("整改措施", 40), ("责任领导", 10),
               ("责任人", 10), ("整改时限", 11), ("状态", 9), ("整改结果", 11), ("整改进展", 36),
               ("应追缴/挽回（元）", 14), ("已追缴/挽回（元）", 14), ("虚假整改红牌", 8), ("佐证材料（份）", 8),
               ("销号时间", 11)]
    items = (Item.objects.filter(feedback_id__in=ids).select_related("feedback__unit", "problem")
             .prefetch_related("evidence").order_by("feedback__unit_id", "problem__number", "point_no"))
    rows = [[i.code, i.feedback.unit.name, f"问题{i.problem.number}：{i.problem.title}", i.point, i.measures,
             i.leader, i.person, _d(i.deadline), i.get_status_display(), i.get_result_display(), i.progress,
             float(i.amount_to_recover), float(i.amount_recovered), i.red_cards, len(i.evidence.all()),
             i.closed_at.date() if i.closed_at else ""] for i in items]
    xlsx.ledger_sheet(ws, "巡察整改台账", columns, rows, subtitle=subtitle)

    ws = wb.create_sheet("整改方案各稿")
    columns = [("单位", 16), ("稿次", 6), ("报送时间", 17), ("审核结果", 10), ("审核意见", 36), ("问题", 28),
               ("具体问题", 28), ("整改措施", 40), ("责任领导", 10), ("责任人", 10), ("整改时限", 11)]
    measures = (PlanMeasure.objects.filter(version__plan__feedback_id__in=ids)
                .select_related("version__plan__feedback__unit", "problem")
                .order_by("version__plan__feedback__unit_id", "version__number", "problem__number"))
    rows = [[m.version.plan.feedback.unit.name, f"第{m.version.number}稿", m.version.submitted_at.strftime(
        "%Y-%m-%d %H:%M"), m.version.get_outcome_display(), m.version.comments,
        f"问题{m.problem.number}：{m.problem.title}", m.points, m.measures, m.leader, m.person, _d(m.deadline)]
        for m in measures]
    xlsx.ledger_sheet(ws, "整改方案各稿", columns, rows, subtitle=subtitle)

    ws = wb.create_sheet("追责问责")
    columns = [("序号", 6), ("单位", 16), ("姓名", 10), ("职务", 20), ("处理措施", 30), ("四种形态", 12),
               ("处理日期", 11), ("台账编号", 8)]
    people = Accountability.objects.filter(feedback_id__in=ids).select_related("feedback__unit", "item__problem")
    rows = [[n, a.feedback.unit.name, a.name, a.position, a.measure, a.get_form_display(), _d(a.decided_on),
             a.item.code if a.item_id else ""] for n, a in enumerate(people, start=1)]
    xlsx.ledger_sheet(ws, "追责问责清单", columns, rows, subtitle=subtitle)

    ws = wb.create_sheet("建章立制")
    columns = [("序号", 6), ("单位", 16), ("制度名称", 40), ("文号", 20), ("印发日期", 11), ("台账编号", 8)]
    rules = RuleMade.objects.filter(feedback_id__in=ids).select_related("feedback__unit", "item__problem")
    rows = [[n, r.feedback.unit.name, r.title, r.doc_no, _d(r.issued_on), r.item.code if r.item_id else ""]
            for n, r in enumerate(rules, start=1)]
    xlsx.ledger_sheet(ws, "建章立制", columns, rows, subtitle=subtitle)

    ws = wb.create_sheet("回访")
    columns = [("序号", 6), ("单位", 16), ("回访日期", 11), ("回访人员", 20), ("回访情况", 50), ("回访结论", 18)]
    visits = Visit.objects.filter(feedback_id__in=ids).select_related("feedback__unit")
    rows = [[n, v.feedback.unit.name, _d(v.visited_on), v.visitors, v.findings, v.get_conclusion_display()]
            for n, v in enumerate(visits, start=1)]
    xlsx.ledger_sheet(ws, "回访记录", columns, rows, subtitle=subtitle)
    return xlsx.to_bytes(wb)
