"""The .docx documents of the 汇报 and 反馈 stages, in the GB/T 9704 layout (``xuncha.documents.gbt9704``).

- 巡察报告（草稿）: the team edits it in Word and uploads the final;
- 巡察总体评价表 and 综合性汇报材料 for the office;
- 反馈意见 to the unit's Party organisation and the separate 主要负责人通报 (双反馈);
- 签收回执 of the head's 签收.
"""

from __future__ import annotations

import io

from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xuncha.documents import gbt9704 as g
from xuncha.documents.services import cn_date

from .content import RoundFacts, cn_number, work_sentence

TABLE_SIZE = Pt(14)       # 四号 in tables
TITLE_WIDTH = 20          # 二号 characters on a 156 mm line (ASCII digits count half)
BREAK_BEFORE = ("关于", "的报告", "的反馈意见", "情况", "主要负责人", "通报", "综合汇报", "签收回执")
BREAK_AFTER = ("）", "党组", "巡察组", "办公室", "专项巡察")


def _bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def _breaks(text: str) -> list[int]:
    points = set()
    for i in range(1, len(text)):
        if text.startswith(BREAK_BEFORE, i) or text[:i].endswith(BREAK_AFTER):
            points.add(i)
    return sorted(points)


def title_lines(text: str, width: float = TITLE_WIDTH) -> list[str]:
    """Break a long title between words (关于… / …的报告), never inside one, when it can."""
    lines = []
    while _width(text) > width:
        fits = [i for i in _breaks(text) if _width(text[:i]) <= width]
        cut = fits[-1] if fits else next(i for i in range(len(text), 0, -1) if _width(text[:i]) <= width)
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text]


def _title(document, text: str):
    return g.title(document, "\n".join(title_lines(text)))


def _keep(para):
    para.paragraph_format.keep_with_next = True
    return para


def _h1(document, text: str):
    return _keep(g.heading1(document, text))


def _h2(document, text: str):
    return _keep(g.heading2(document, text))


def _off_grid(para):
    """Let a paragraph keep its own line spacing instead of the page's 22-line grid (tables, gaps)."""
    ppr = para._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    return para


def _gap(document):
    """A short space between two tables (a full blank line would push the form onto a second page)."""
    para = _off_grid(document.add_paragraph())
    para.paragraph_format.line_spacing = Pt(10)
    return para


def _addressee(document, text: str) -> None:
    g.body(document, text, indent=False)


def _problem_paragraphs(document, groups: list[dict], *, top_level: bool = True) -> None:
    """Problems under （一）大类 and 1. category, each with its facts and money."""
    for i, group in enumerate(groups, start=1):
        _h2(document, f"（{cn_number(i)}）{group['name']}（{group['count']}个问题"
                             + (f"，涉及金额{group['amount']}" if group["amount"] != "0元" else "")
                             + "）")
        for j, sub in enumerate(group["subs"], start=1):
            if sub["name"]:
                para = _keep(g.body(document, f"{j}. {sub['name']}"))
                para.runs[0].font.bold = True
            for item in sub["items"]:
                text = f"{item['title']}。" + (item["text"].rstrip("。") + "。" if item["text"] else "")
                extra = []
                if item["amount"]:
                    extra.append(f"涉及金额{item['amount']}")
                if item["recover"]:
                    extra.append(f"应追缴（挽回）{item['recover']}")
                if extra:
                    text += "（" + "，".join(extra) + "）"
                g.body(document, text)


def _sections(document, sections: list[dict]) -> None:
    for i, section in enumerate(sections, start=1):
        _h1(document, f"{cn_number(i)}、{section['heading']}")
        if section.get("text"):
            g.body(document, section["text"])
        if section.get("groups"):
            _problem_paragraphs(document, section["groups"])
        for text in section.get("paragraphs", []):
            g.body(document, text)


LABEL_VALUE = (Mm(40), Mm(116))


def _table(document, rows: list[tuple[str, str]], widths=LABEL_VALUE, *, header: bool = False):
    """A bordered two-column table: label (黑体, centred) and value (仿宋); widths fixed in the grid."""
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(widths):
        table.columns[c].width = width
    for r, (label, value) in enumerate(rows):
        for c, text in enumerate((label, value)):
            cell = table.cell(r, c)
            cell.width = widths[c]
            para = _off_grid(cell.paragraphs[0])
            para.paragraph_format.first_line_indent = None
            para.paragraph_format.line_spacing = Pt(22)
            bold_row = header and r == 0
            if c == 0 and not header or bold_row or (header and c == 1):
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(text)
            g.set_run_font(run, g.HEADING_FONT if (c == 0 and not header) or bold_row else g.BODY_FONT, TABLE_SIZE)
    return table


# ---- 巡察汇报阶段 ------------------------------------------------------------------------------

def _survey_paragraphs(document, facts: RoundFacts) -> None:
    """问卷调查和民主测评情况, from the round's questionnaires (the rates the results page shows)."""
    for i, line in enumerate(facts.surveys, start=1):
        g.body(document, (f"（{cn_number(i)}）" if len(facts.surveys) > 1 else "") + line)


def report_draft(facts: RoundFacts) -> bytes:
    """巡察报告（草稿）: 基本情况、开展工作情况、发现的主要问题、问题线索移交情况、意见建议."""
    r, ctx = facts.round, facts.ctx
    document = g.new_document()
    _title(document, f"关于{r.title}情况的报告")
    g.blank(document)
    _addressee(document, f"{ctx['committee']}巡察工作领导小组：")
    g.body(document, f"根据{ctx['committee']}统一部署，巡察组于{facts.period}对{ctx['targets_text']}开展了"
                     f"{r.get_kind_display()}。巡察组坚持问题导向，如实反映存在的问题和重要线索，现将巡察情况报告如下。")
    _h1(document, "一、基本情况")
    g.body(document, f"巡察对象：{ctx['targets_text']}。")
    g.body(document, f"巡察组：{ctx['team_text']}。")
    g.body(document, f"巡察时间：{facts.period}。")
    if r.taxonomy_id:
        g.body(document, f"问题分类：{r.taxonomy.name}。")
    _h1(document, "二、开展工作情况")
    g.body(document, work_sentence(facts.work))
    _survey_paragraphs(document, facts)
    _h1(document, "三、发现的主要问题")
    if facts.problem_count:
        g.body(document, f"巡察共发现问题{facts.problem_count}个，涉及金额{facts.amount}，应追缴（挽回）金额{facts.recover}，"
                         f"其中涉及领导班子及其成员的问题{facts.leadership_count}个。")
        _problem_paragraphs(document, facts.groups)
    else:
        g.body(document, "巡察未发现问题。")
    _h1(document, "四、问题线索移交情况")
    g.body(document, facts.clue_text)
    _h1(document, "五、意见建议")
    for i, line in enumerate(facts.suggestions, start=1):
        g.body(document, f"{i}. {line}")
    g.blank(document)
    g.signature(document, f"{ctx['committee']}巡察组", cn_date(timezone.localdate()))
    return _bytes(document)


def evaluation_form(facts: RoundFacts) -> bytes:
    """巡察总体评价表 (seed 001: 填写巡察总体评价表)."""
    ctx = facts.ctx
    document = g.new_document()
    _title(document, "巡察总体评价表")
    problems = f"{facts.problem_count}个，涉及金额{facts.amount}"
    if facts.groups:
        problems += "。其中：" + "；".join(f"{g_['name']}{g_['count']}个" for g_ in facts.groups)
    _table(document, [("巡察轮次", facts.round.title), ("被巡察党组织", ctx["targets_text"]),
                      ("巡察时间", facts.period), ("巡察组", ctx["team_text"])])
    _gap(document)
    _table(document, [("评价项目", "评价等次")] + [(f"{cn_number(i)}、{label}", rating or "（待评定）")
                                                 for i, (label, rating) in enumerate(facts.evaluation, start=1)],
           widths=(Mm(120), Mm(36)), header=True)
    _gap(document)
    _table(document, [("发现问题", problems), ("问题线索", facts.clue_text),
                      ("总体评价等次", facts.overall_rating or "（待评定）"),
                      ("总体评价", facts.overall_comment or "（待填写）"),
                      ("巡察组组长", f"{ctx['leader']}（签字）          年    月    日")])
    return _bytes(document)


def summary_material(facts: RoundFacts, linked: list[tuple[str, RoundFacts]]) -> bytes:
    """综合性汇报材料: the round analysed and summed up for the office (and its linked county rounds)."""
    r, ctx = facts.round, facts.ctx
    document = g.new_document()
    _title(document, f"关于{r.title}情况的综合汇报")
    g.blank(document)
    _addressee(document, f"{ctx['committee']}巡察办：")
    g.body(document, "巡察组对本轮巡察工作进行了分析汇总，现将综合情况汇报如下。")
    _h1(document, "一、巡察基本情况")
    g.body(document, f"{ctx['committee']}于{facts.period}对{ctx['targets_text']}开展了{r.get_kind_display()}，"
                     f"{ctx['team_text']}。")
    _h1(document, "二、工作开展情况")
    g.body(document, work_sentence(facts.work))
    _survey_paragraphs(document, facts)
    _h1(document, "三、发现问题总体情况")
    g.body(document, f"共发现问题{facts.problem_count}个，涉及金额{facts.amount}，应追缴（挽回）金额{facts.recover}；"
                     f"涉及领导班子及其成员的问题{facts.leadership_count}个。")
    for i, group in enumerate(facts.groups, start=1):
        amount = f"，涉及金额{group['amount']}" if group["amount"] != "0元" else ""
        g.body(document, f"（{cn_number(i)}）{group['name']}：{group['count']}个问题{amount}。")
    _h1(document, "四、问题线索和信访举报")
    g.body(document, f"受理信访举报{facts.work['petitions']}件。{facts.clue_text}")
    n = 5
    if linked:
        _h1(document, f"{cn_number(n)}、联动巡察情况")
        for name, f in linked:
            g.body(document, f"{name}：发现问题{f.problem_count}个，涉及金额{f.amount}；{f.clue_text}")
        n += 1
    _h1(document, f"{cn_number(n)}、总体评价和意见建议")
    if facts.overall_rating or facts.overall_comment:
        g.body(document, f"总体评价：{facts.overall_rating or '（待评定）'}。{facts.overall_comment}")
    for i, line in enumerate(facts.suggestions, start=1):
        g.body(document, f"{i}. {line}")
    g.blank(document)
    g.signature(document, f"{ctx['committee']}巡察组", cn_date(timezone.localdate()))
    return _bytes(document)


# ---- 巡察反馈阶段 ------------------------------------------------------------------------------

def feedback_document(content: dict) -> bytes:
    """反馈意见 or 主要负责人通报, from the content kept on the Feedback (as issued)."""
    document = g.new_document()
    if content.get("confidential"):
        para = g.body(document, content["confidential"], indent=False)
        g.set_run_font(para.runs[0], g.HEADING_FONT, g.BODY_SIZE)
    _title(document, content["title"])
    g.blank(document)
    _addressee(document, content["to"])
    g.body(document, content["intro"])
    _sections(document, content["sections"])
    g.blank(document)
    g.signature(document, content["signature"], content["date"])
    return _bytes(document)


def receipt_document(feedback, content: dict) -> bytes:
    """签收回执: who signed, with which account, when; and the deadlines that started then."""
    from xuncha.workdays.services import Deadline

    unit = feedback.unit
    party = unit.party_org or unit.name
    signed = timezone.localtime(feedback.signed_at)
    user = feedback.signed_by
    document = g.new_document()
    _title(document, "巡察反馈意见签收回执")
    g.blank(document)
    rows = [
        ("反馈意见", f"《{content['title']}》"),
        ("被反馈党组织", party),
        ("反馈时间", cn_date(timezone.localtime(feedback.issued_at).date()) if feedback.issued_at else ""),
        ("签收人", f"{feedback.signer_name}（{user.title or '主要负责人'}）"),
        ("签收账号", user.username),
        ("签收时间", f"{cn_date(signed.date())} {signed:%H:%M}"),
        ("整改方案报送期限", Deadline(feedback.plan_due, feedback.plan_due_estimated).label + "（10个工作日内）"),
        ("整改落实情况报告报送期限",
         Deadline(feedback.report_due, feedback.report_due_estimated).label + "（2个月内）"),
    ]
    _table(document, rows, widths=(Mm(58), Mm(98)))
    g.blank(document)
    g.body(document, f"本人已在巡察工作平台阅读上述反馈意见全文，代表{party}签收，并作为整改第一责任人，"
                     "按期报送整改方案和整改落实情况报告。")
    g.blank(document)
    g.signature(document, f"签收人：{feedback.signer_name}", cn_date(signed.date()))
    return _bytes(document)
