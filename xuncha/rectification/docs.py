"""The two 整改报告 generated from the ledger as .docx in the GB/T 9704 layout (like ``reports.docs``):

- 关于巡察反馈意见整改落实情况的报告: the 整改 figures, each problem with its measures, status, result
  and evidence count, money recovered, 追责问责 by 四种形态, 建章立制;
- 主要负责人履行整改第一责任人职责情况的报告: the head's own duty — plan versions and when accepted, rows
  closed, reds cards, people held accountable, rules made.
The unit edits the generated text in Word if it wishes and uploads the final (``records.upload_report``).
"""

from __future__ import annotations

from django.utils import timezone

from xuncha.documents import gbt9704 as g
from xuncha.documents.services import cn_date
from xuncha.reports.content import cn_number, money
from xuncha.reports.docs import _bytes, _h1, _title
from xuncha.reports.models import Feedback

from . import figures
from .models import Accountability, Item, Plan, RectReport, RuleMade


def _percent(share) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def feedback_figures(feedback: Feedback) -> dict:
    return figures.figures(Item.objects.filter(feedback=feedback), Feedback.objects.filter(pk=feedback.pk))


def summary_sentence(feedback: Feedback, fig: dict | None = None) -> str:
    """One paragraph of figures, used by the report and the 整改情况公开 text."""
    fig = fig or feedback_figures(feedback)
    forms = "，".join(f"{label}{fig['by_form'][code]}人" for code, label in Accountability.Form.choices
                     if fig["by_form"][code])
    text = (f"巡察反馈问题{fig['problems']}项{fig['points']}个具体问题，已整改到位{fig['done']}个、基本整改到位"
            f"{fig['basic']}个，整改完成率{_percent(fig['rectified_rate'])}；应追缴（挽回）资金{money(fig['to_recover'])}，"
            f"已追缴（挽回）{money(fig['recovered'])}；追责问责{fig['accountable']}人")
    if forms:
        text += f"（{forms}）"
    if fig["staff"]:
        text += f"，占在职干部职工约{_percent(fig['accountable_share'])}"
    return text + f"；建立完善制度{fig['rules']}项。"


def _subject(feedback: Feedback) -> str:
    return feedback.unit.party_org or feedback.unit.name


def _progress_report(document, feedback: Feedback) -> None:
    round_ = feedback.round
    _title(document, f"{_subject(feedback)}关于{round_.title}反馈意见整改落实情况的报告")
    g.blank(document)
    g.body(document, f"{round_.jurisdiction.committee_name}巡察工作领导小组：", indent=False)
    g.body(document, f"{round_.jurisdiction.committee_name}巡察组反馈巡察意见后，我单位党组织认真对照反馈意见，"
                     f"制定整改方案，建立问题清单和整改台账，实行销号管理。现将整改落实情况报告如下。")
    _h1(document, "一、整改工作总体情况")
    g.body(document, summary_sentence(feedback))
    _h1(document, "二、反馈问题的整改情况")
    items = Item.objects.filter(feedback=feedback).select_related("problem").prefetch_related("evidence")
    current = None
    n = 0
    for item in items.order_by("problem__number", "point_no"):
        if item.problem_id != current:
            current = item.problem_id
            n += 1
            _h1(document, f"（{cn_number(n)}）{item.problem.title}")
        text = (f"{item.point_no}. {item.point}。整改措施：{item.measures}。责任领导：{item.leader}；责任人：{item.person}；"
                f"整改时限：{item.deadline:%Y年%-m月%-d日}。目前状态：{item.get_status_display()}")
        if item.result:
            text += f"，整改结果：{item.get_result_display()}"
        if item.progress:
            text += f"。整改进展：{item.progress}"
        text += f"。佐证材料{len(item.evidence.all())}份。"
        g.body(document, text)
    people = list(Accountability.objects.filter(feedback=feedback))
    _h1(document, "三、追责问责情况")
    if people:
        for i, a in enumerate(people, start=1):
            g.body(document, f"{i}. {a.name}（{a.position}）：{a.measure}（{a.get_form_display()}）。")
    else:
        g.body(document, "暂无。")
    _h1(document, "四、建章立制情况")
    rules = list(RuleMade.objects.filter(feedback=feedback))
    if rules:
        for i, r in enumerate(rules, start=1):
            g.body(document, f"{i}. 《{r.title}》{('（' + r.doc_no + '）') if r.doc_no else ''}，"
                             f"{r.issued_on:%Y年%-m月%-d日}印发。")
    else:
        g.body(document, "暂无。")
    _h1(document, "五、下一步工作打算")
    g.body(document, "对尚未完成的整改事项，继续盯住不放，按期整改到位；对已完成的整改事项，巩固整改成果，举一反三，"
                     "防止问题反弹，切实做到件件有着落、事事有回音。")


def _head_report(document, feedback: Feedback) -> None:
    round_ = feedback.round
    head = feedback.unit.head or feedback.signer_name
    _title(document, f"{_subject(feedback)}主要负责人履行整改第一责任人职责情况的报告")
    g.blank(document)
    g.body(document, f"{round_.jurisdiction.committee_name}巡察工作领导小组：", indent=False)
    g.body(document, f"作为{feedback.unit.name}主要负责人和巡察整改第一责任人，{head}于"
                     f"{cn_date(timezone.localtime(feedback.signed_at).date())}签收巡察反馈意见，"
                     f"现将履行整改第一责任人职责情况报告如下。")
    plan = Plan.objects.filter(feedback=feedback).first()
    versions = list(plan.versions.order_by("number")) if plan else []
    _h1(document, "一、研究制定整改方案")
    if versions:
        returned = sum(1 for v in versions if v.outcome == "returned")
        text = f"组织制定整改方案，共报送{len(versions)}稿"
        if returned:
            text += f"，其中{returned}稿经巡察办退回后修改完善"
        if plan.accepted_at:
            text += f"，于{cn_date(timezone.localtime(plan.accepted_at).date())}经巡察办审核通过"
        g.body(document, text + "。")
    else:
        g.body(document, "整改方案尚未报送。")
    fig = feedback_figures(feedback)
    _h1(document, "二、推动整改落实")
    g.body(document, summary_sentence(feedback, fig))
    if fig["red_cards"]:
        g.body(document, f"整改中被巡察办认定虚假整改{fig['red_cards']}次，目前尚未纠正{fig['red_open']}项，"
                         "本人负有领导责任，已督促重新整改。")
    _h1(document, "三、下一步打算")
    g.body(document, "继续履行整改第一责任人职责，既挂帅又出征，对整改不力、敷衍塞责的严肃问责。")


def rect_report(feedback: Feedback, kind: str) -> tuple[bytes, str]:
    """(docx bytes, file name) of one of the two reports, from the ledger as it stands."""
    document = g.new_document()
    if kind == RectReport.Kind.HEAD:
        _head_report(document, feedback)
    else:
        _progress_report(document, feedback)
    g.blank(document)
    g.signature(document, _subject(feedback), cn_date(timezone.localdate()))
    label = RectReport.Kind(kind).label
    return _bytes(document), f"{feedback.unit.name}{label}.docx"


def disclosure_draft(feedback: Feedback) -> str:
    """整改情况公开 text drafted from the ledger (the unit edits it before saving)."""
    round_ = feedback.round
    lines = [f"{_subject(feedback)}关于{round_.title}整改情况的通报",
             f"根据{round_.jurisdiction.committee_name}统一部署，{round_.jurisdiction.committee_name}巡察组对"
             f"{feedback.unit.name}进行了巡察，并反馈了巡察意见。按照巡察工作有关要求，现将整改情况予以公开。",
             summary_sentence(feedback)]
    for item in Item.objects.filter(feedback=feedback, status=Item.Status.CLOSED).select_related("problem"):
        lines.append(f"{item.code} {item.point}：{item.get_result_display()}。")
    lines.append("欢迎广大干部群众对巡察整改落实情况进行监督。")
    return "\n".join(lines)
