"""Results: shares, rates and their Wilson intervals, group breakdown, free text, exports."""

from __future__ import annotations

import io

import pytest

from xuncha.surveys import collect, services
from xuncha.surveys.exports import summary_document, workbook
from xuncha.surveys.results import survey_result, wilson

from .conftest import build


@pytest.mark.parametrize(("k", "n", "lo", "hi"), [
    (2, 3, 0.2077, 0.9385),      # reference values of the Wilson score interval (z = 1.96)
    (0, 5, 0.0, 0.4345),
    (30, 39, 0.6166, 0.8735),     # worked by hand: centre 0.7451, half-width 0.1285
    (5, 5, 0.5655, 1.0),
])
def test_wilson_interval(k, n, lo, hi):
    a, b = wilson(k, n)
    assert (round(a, 4), round(b, 4)) == (lo, hi)


def test_wilson_of_nothing():
    assert wilson(0, 0) == (0.0, 0.0)


def _paper(u, survey, rows):
    """rows: (group, {question number: [option indices] or text})."""
    qs = list(survey.questions.all())
    for i, (group, answers) in enumerate(rows):
        parsed = {qs[n - 1].pk: (v, "") if isinstance(v, list) else ([], v) for n, v in answers.items()}
        collect.enter_paper(u["zuyuan"], survey, parsed, group=group, token=f"token-{i:016d}")


def test_evaluation_shares_rates_and_groups(demo, onsite):
    survey = build(demo, onsite, "RF-CP")
    n_q = survey.questions.count()
    base = {n: [0] for n in range(1, n_q + 1)}
    _paper(demo, survey, [
        ("班子成员", {**base, 1: [0]}),
        ("中层干部", {**base, 1: [1]}),
        ("中层干部", {**base, 1: [2]}),
        ("一般干部", {**base, 1: [3]}),
    ])
    r = survey_result(survey)
    assert (r.total, r.paper, r.online) == (4, 4, 0)
    q1 = r.questions[0]
    assert [(o.label, o.count) for o in q1.options] == [("好", 1), ("较好", 1), ("一般", 1), ("差", 1)]
    assert (q1.rate.count, q1.rate.n, q1.rate.percent) == (2, 4, "50.0%")
    groups = {g: rate for g, _opts, rate in q1.by_group}
    assert (groups["中层干部"].count, groups["中层干部"].n) == (1, 2)
    assert groups["一般干部"].count == 0
    only = survey_result(survey, "中层干部")
    assert only.total == 2 and only.questions[0].rate.percent == "50.0%"
    assert "<svg" in q1.chart and q1.chart.count("<rect") == 4


def test_multiple_choice_and_free_text(demo, onsite):
    survey = build(demo, onsite, "RF-WJ")
    _paper(demo, survey, [
        ("群众", {1: [0], 2: [0], 3: [0, 1], 4: [1], 5: "希望加强人防工程监管"}),
        ("群众", {1: [3], 2: [3], 3: [1], 4: [3]}),
    ])
    r = survey_result(survey)
    multi = r.questions[2]
    assert [o.count for o in multi.options][:2] == [1, 2] and multi.options[1].percent == "100.0%"
    assert r.questions[4].texts == ["希望加强人防工程监管"]
    assert r.questions[0].rate.percent == "50.0%"      # 满意、比较满意


def test_exports(demo, onsite):
    from docx import Document

    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 1)
    from .conftest import first_options, request_from

    answers = first_options(survey)
    answers[list(survey.questions.all())[5].pk] = ([], "多进社区宣传")
    collect.submit_online(request_from(), codes[0], answers, group="学生")
    wb = workbook(survey)
    assert wb.sheetnames == ["汇总", "按类别", "文字意见"]
    rows = list(wb["汇总"].iter_rows(min_row=4, values_only=True))
    assert (1, "您是否知道防空警报信号（预先警报、空袭警报、解除警报）", "知道", 1, 1, 1.0) == rows[0][:6]
    assert any(row[2] == "知晓率" and row[5] == 1.0 for row in rows)
    assert list(wb["文字意见"].iter_rows(min_row=2, values_only=True))[0][3] == "多进社区宣传"
    text = "\n".join(p.text for p in Document(io.BytesIO(summary_document(survey))).paragraphs)
    assert "共收回1份（网上作答1份、纸质问卷0份）" in text and "知晓率100.0%" in text and "多进社区宣传" in text


def test_report_draft_takes_in_the_round_survey_results(demo, onsite):
    """Seed 015 item 3: the results are "a .docx summary that the report can take in" — the draft report
    and the 综合性汇报材料 carry each answered questionnaire's returns and favourable rates."""
    from xuncha.reports import content, docs
    from xuncha.reports.tests.test_documents import text_of

    awareness = build(demo, onsite, "RF-ZX")
    build(demo, onsite, "RF-WJ")                       # open but unanswered: not mentioned
    build(demo, onsite, "RF-ZQ", open_=False)           # still a draft: not mentioned
    rest = {2: [0], 3: [1], 4: [1], 6: "多进社区宣传"}
    _paper(demo, awareness, [("社区居民", {1: [0], **rest}), ("学生", {1: [1], **rest}), ("学生", {1: [0], **rest})])
    facts = content.round_facts(onsite)
    assert len(facts.surveys) == 1
    line = facts.surveys[0]
    assert line.startswith("开展知晓率调查“人防宣传知晓率调查”，收回3份，其中“您是否知道防空警报信号（预先警报、"
                           "空袭警报、解除警报）”知晓率66.7%（20.8%～93.9%）；")
    assert "本市每年组织防空警报试鸣”知晓率0.0%（0.0%～56.1%）" in line and line.endswith("；收集意见建议3条。")
    for document in (docs.report_draft(facts), docs.summary_material(facts, [])):
        text = text_of(document)
        assert "知晓率66.7%（20.8%～93.9%）" in text and "人防系统专项巡察工作问卷调查" not in text
