"""Exports of a questionnaire's results: .xlsx (every count) and a .docx summary for the 巡察报告."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.documents import gbt9704 as g
from xuncha.documents.services import cn_date
from xuncha.documents.services import docx_response as _docx

from .results import survey_result

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(survey):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    r = survey_result(survey)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"{survey.title}结果"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"共收回{r.total}份（网上{r.online}份、纸质{r.paper}份）；比例的置信区间为95% Wilson区间"])
    ws.append(["题号", "题目", "选项", "人数", "作答数", "比例", "置信区间下限", "置信区间上限", "计入" + survey.rate_label])
    for q in r.questions:
        for o in q.options:
            lo, hi = o.ci
            ws.append([q.number, q.question.text, o.label, o.count, o.n, round(o.share, 4), round(lo, 4), round(hi, 4),
                       "是" if o.positive else ""])
        if q.rate:
            lo, hi = q.rate.ci
            ws.append([q.number, q.question.text, survey.rate_label, q.rate.count, q.rate.n, round(q.rate.share, 4),
                       round(lo, 4), round(hi, 4), ""])
    for row in ws.iter_rows(min_row=4, min_col=6, max_col=8):
        for cell in row:
            cell.number_format = "0.0%"
    for col, width in zip("ABCDEFGHI", (6, 40, 18, 8, 8, 9, 12, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    groups = wb.create_sheet("按类别")
    groups.append(["题号", "题目", "调查对象类别", "作答数", "选项", "人数", "比例"])
    for q in r.questions:
        for name, opts, _rate in q.by_group:
            for o in opts:
                groups.append([q.number, q.question.text, name, o.n, o.label, o.count, round(o.share, 4)])
    texts = wb.create_sheet("文字意见")
    texts.append(["题号", "题目", "序号", "内容"])
    for q in r.questions:
        for i, t in enumerate(q.texts, start=1):
            texts.append([q.number, q.question.text, i, t])
    texts.column_dimensions["D"].width = 80
    return wb


def xlsx_response(request, survey) -> HttpResponse:
    buf = io.BytesIO()
    workbook(survey).save(buf)
    record(request.user, "survey.export", survey, request=request, summary=f"导出问卷“{survey.title}”结果（Excel）",
           kind="view")
    return _file(buf.getvalue(), f"{survey.title}结果.xlsx", XLSX)


def summary_document(survey) -> bytes:
    """问卷结果摘要 (GB/T 9704 layout): totals, each question's shares and rate, free text listed."""
    r = survey_result(survey)
    doc = g.new_document()
    g.title(doc, f"{survey.title}结果")
    g.blank(doc)
    groups = "、".join(f"{name}{n}份" for name, n in r.groups)
    g.body(doc, f"{survey.round.title}期间开展{survey.title}，共收回{r.total}份（网上作答{r.online}份、纸质问卷{r.paper}份）"
                + (f"，其中{groups}" if groups else "") + "。各项比例后括号内为95%置信区间。")
    for q in r.questions:
        g.heading2(doc, f"{q.number}. {q.question.text}")
        if q.question.has_options:
            parts = "；".join(f"{o.label}{o.count}人（{o.percent}）" for o in q.options)
            text = f"作答{q.answered}份：{parts}。"
            if q.rate:
                text += f"{survey.rate_label}{q.rate.percent}（{q.rate.ci_text}）。"
            g.body(doc, text)
        else:
            g.body(doc, f"共{len(q.texts)}条意见建议：" if q.texts else "无。")
            for i, t in enumerate(q.texts, start=1):
                g.body(doc, f"（{i}）{t}")
    g.blank(doc)
    g.body(doc, f"统计日期：{cn_date(timezone.localdate())}", indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_response(request, survey) -> HttpResponse:
    data = summary_document(survey)
    record(request.user, "survey.export", survey, request=request, summary=f"导出问卷“{survey.title}”结果摘要（Word）",
           kind="view")
    return _docx(data, f"{survey.title}结果.docx")


def _file(data: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


# ---- the round's archive (归档材料) -------------------------------------------------------------

ARCHIVE_FOLDER = "06-问卷测评"


def archive_files(round_):
    """Each questionnaire's results (.xlsx and the .docx summary) go into the round's archive package."""
    from xuncha.reports.archive import ArchiveItem

    for survey in round_.surveys.order_by("pk"):
        last = survey.responses.order_by("-received_on").values_list("received_on", flat=True).first()
        day = last or timezone.localdate()
        buf = io.BytesIO()
        workbook(survey).save(buf)
        yield ArchiveItem(ARCHIVE_FOLDER, f"{survey.title}结果", f"{survey.title}结果.xlsx", day, data=buf.getvalue())
        yield ArchiveItem(ARCHIVE_FOLDER, f"{survey.title}结果摘要", f"{survey.title}结果摘要.docx", day,
                          data=summary_document(survey))


def open_surveys(round_) -> list[str]:
    """Before 归档: a questionnaire still collecting must be closed first."""
    return [f"问卷“{s.title}”仍在收集，请先结束收集。"
            for s in round_.surveys.filter(status="open").order_by("pk")]
