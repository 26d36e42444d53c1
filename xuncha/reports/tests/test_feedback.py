"""反馈: 双反馈 (head briefed first, his own problems only to him), 签收 by the head with his own account,
the clocks on the working-day calendar (holiday-spanning), 签收回执, 整改 and 归档."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from xuncha.rectification.tests.conftest import finish_rectification
from xuncha.reports import services
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

from .conftest import add_problem, add_problems, fresh, issue_all, make_round, to_feedback

TZ = ZoneInfo("Asia/Shanghai")


def docx_text(stored) -> str:
    with stored.file.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def feedback_round(demo, onsite):
    add_problems(onsite)
    return to_feedback(demo, onsite)


def test_double_feedback_splits_the_head_own_problems(demo, feedback_round):
    u, r = demo, feedback_round
    f = r.feedbacks.get()
    with pytest.raises(ValidationError, match="请先向主要负责人通报"):
        services.issue_feedback(u["xcb"], f)
    services.brief_head(u["xcb"], fresh(f))
    f = fresh(f)
    assert f.head_content["problem_numbers"] == [2, 3]      # the leadership's, then his own
    note = docx_text(f.head_note)
    assert "分管副主任在人防工程验收中吃拿卡要" in note and "主任违规干预人防工程审批" in note
    assert "涉及你本人的问题" in note and "仅限主要负责人本人阅知" in note
    services.issue_feedback(u["xcb"], f)
    f = fresh(f)
    assert f.content["problem_numbers"] == [1, 2, 4]         # 除其本人的问题外; withdrawn never
    text = docx_text(f.document)
    assert "易地建设费随意减免" in text and "125.00万元" in text and "分管副主任" in text
    assert "主任违规干预人防工程审批" not in text and "已撤销的问题" not in text
    assert "10个工作日内" in text and "2个月内" in text and "中共安康市人民防空办公室党组：" in text
    with pytest.raises(ValidationError, match="已经印发"):
        services.issue_feedback(u["xcb"], f)


def test_only_the_office_briefs_and_issues(demo, feedback_round):
    f = feedback_round.feedbacks.get()
    for who in ("zuzhang", "leader", "rfb", "rfb_head", "hy_xcb"):
        with pytest.raises(PermissionDenied):
            services.brief_head(demo[who], f)
    assert fresh(f).head_briefed_at is None


def test_the_head_signs_after_reading_with_his_own_account(demo, feedback_round, monkeypatch):
    u, r = demo, feedback_round
    issue_all(u, r)
    f = r.feedbacks.get()
    for who in ("rfb", "xcb", "zuzhang", "leader", "hy_rfb_head"):     # the liaison may not sign for him
        with pytest.raises(PermissionDenied):
            services.sign_feedback(u[who], f, confirmed=True)
    with pytest.raises(ValidationError, match="请先阅读"):
        services.sign_feedback(u["rfb_head"], f, confirmed=True)
    services.mark_read(u["rfb"], f)                                     # the liaison's reading does not count
    assert fresh(f).read_at is None
    services.mark_read(u["rfb_head"], fresh(f))
    with pytest.raises(ValidationError, match="请确认"):
        services.sign_feedback(u["rfb_head"], fresh(f), confirmed=False)
    services.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    f = fresh(f)
    assert f.signed_by == u["rfb_head"] and f.signer_name == "郑卫东" and f.signed_at is not None
    receipt = docx_text(f.receipt)
    assert "巡察反馈意见签收回执" in receipt and "rfb_head" in receipt and "郑卫东" in receipt
    assert f.plan_due.strftime("%Y年%-m月%-d日") in receipt
    assert fresh(r).feedback_signed_by == u["rfb_head"]
    with pytest.raises(ValidationError, match="已签收"):
        services.sign_feedback(u["rfb_head"], f, confirmed=True)


def _sign_on(monkeypatch, u, f, moment: datetime) -> Feedback:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    services.mark_read(u["rfb_head"], fresh(f))
    services.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    return fresh(f)


@pytest.mark.parametrize("signed, plan_due, report_due", [
    # 国庆: 9-30 is day 1, 10-1…10-8 off, Saturday 10-11 is a make-up working day (calendar days: 10-9)
    (datetime(2025, 9, 29, 10, 0, tzinfo=TZ), date(2025, 10, 20), date(2025, 11, 29)),
    # 春节 2026: Saturdays 2-14 and 2-28 are working days, 2-15…2-23 off (calendar days: 2-23)
    (datetime(2026, 2, 13, 16, 30, tzinfo=TZ), date(2026, 3, 5), date(2026, 4, 13)),
])
def test_plan_due_counts_working_days_across_a_holiday(demo, feedback_round, monkeypatch, signed, plan_due,
                                                       report_due):
    """The mutation "10 working days turned into calendar days (or weekdays)" fails here."""
    issue_all(demo, feedback_round)
    f = _sign_on(monkeypatch, demo, feedback_round.feedbacks.get(), signed)
    assert (f.plan_due, f.plan_due_estimated) == (plan_due, False)
    assert (f.report_due, f.report_due_estimated) == (report_due, False)
    assert services.rectification_deadlines(fresh(feedback_round))["plan"].due == plan_due


def test_a_year_not_on_the_calendar_is_marked_estimated(demo, feedback_round, monkeypatch):
    issue_all(demo, feedback_round)
    f = _sign_on(monkeypatch, demo, feedback_round.feedbacks.get(), datetime(2027, 9, 28, 9, 0, tzinfo=TZ))
    # estimated: weekends and the fixed-date 国庆节 (10月1日, a Friday) off, and flagged
    assert f.plan_due == date(2027, 10, 13) and f.plan_due_estimated is True
    assert "按周末估算" in services.clock_state(f.plan_due, f.plan_due_estimated, date(2027, 10, 1))["due"].label


def test_clock_state_counts_working_days_left_and_overdue(db):
    state = services.clock_state(date(2025, 10, 20), False, date(2025, 9, 29))
    assert state["state"] == "running" and state["text"] == "剩10个工作日"
    assert services.clock_state(date(2025, 10, 20), False, date(2025, 10, 20))["text"] == "今日到期"
    late = services.clock_state(date(2025, 9, 30), False, date(2025, 10, 10))
    assert late["state"] == "overdue" and late["text"] == "已逾期2个工作日"


def test_several_units_each_sign_and_rectification_waits_for_all(demo):
    u = demo
    r = make_round(u, number=2, targets=("安康市人民防空办公室", "汉阴县人民防空办公室"))
    add_problem(r, 1, "RF9-3-2", "市人防办减免易地建设费", amount="300000")
    add_problem(r, 2, "RF9-3-2", "汉阴县人防办减免易地建设费", unit="汉阴县人民防空办公室", amount="50000")
    add_problem(r, 3, "RF9-2-2", "责任单位未确定的问题", unit=None)
    from xuncha.reports.tests.conftest import approve_report_fully

    approve_report_fully(u, r)
    with pytest.raises(ValidationError, match="问题3"):
        services.start_feedback(u["xcb"], fresh(r))
    from xuncha.findings.models import Problem

    Problem.objects.filter(round=r, number=3).update(
        responsible_unit=r.targets.get(name="安康市人民防空办公室"))
    services.start_feedback(u["xcb"], fresh(r))
    issue_all(u, fresh(r))
    city, county = (fresh(r).feedbacks.get(unit__name=n) for n in ("安康市人民防空办公室", "汉阴县人民防空办公室"))
    assert city.content["problem_numbers"] == [1, 3] and county.content["problem_numbers"] == [2]
    with pytest.raises(PermissionDenied):
        services.sign_feedback(u["rfb_head"], county, confirmed=True)      # another unit's head
    services.mark_read(u["rfb_head"], city)
    services.sign_feedback(u["rfb_head"], fresh(city), confirmed=True)
    assert fresh(r).feedback_signed_at is None
    with pytest.raises(ValidationError, match="汉阴县人民防空办公室"):
        services.start_rectification(u["xcb"], fresh(r))
    services.mark_read(u["hy_rfb_head"], county)
    services.sign_feedback(u["hy_rfb_head"], fresh(county), confirmed=True)
    assert fresh(r).feedback_signed_at is not None
    with pytest.raises(PermissionDenied):
        services.start_rectification(u["zuzhang"], fresh(r))
    services.start_rectification(u["xcb"], fresh(r))
    finish_rectification(fresh(r))
    services.archive(u["xcb"], fresh(r))
    assert fresh(r).stage == Round.Stage.ARCHIVED


def test_archive_refused_while_a_registered_check_blocks(demo, feedback_round):
    from xuncha.rounds import guards

    u, r = demo, feedback_round
    issue_all(u, r)
    f = r.feedbacks.get()
    services.mark_read(u["rfb_head"], f)
    services.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    services.start_rectification(u["xcb"], fresh(r))
    guards.ARCHIVE_CHECKS.append(lambda round_: ["整改事项尚未全部销号"])
    try:
        with pytest.raises(ValidationError, match="整改事项尚未全部销号"):
            services.archive(u["xcb"], fresh(r))
    finally:
        guards.ARCHIVE_CHECKS.pop()
    with pytest.raises(PermissionDenied):
        services.archive(u["leader"], fresh(r))
    finish_rectification(fresh(r))
    services.archive(u["xcb"], fresh(r))
    assert fresh(r).stage == Round.Stage.ARCHIVED
    stages = list(fresh(r).stage_changes.values_list("to_stage", flat=True))
    assert stages == list(Round.Stage.values)
