"""整改方案: filed per problem, returned with comments, refiled, accepted; every version kept; the ledger
opens with one row per problem and specific point."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xuncha.audit.models import AuditEntry
from xuncha.reports.tests.conftest import fresh

from .. import plans
from ..models import Item, Plan, PlanMeasure, PlanVersion
from .conftest import a_working_day, full_plan, signed_feedback


def test_plan_filed_returned_refiled_accepted_every_version_kept(demo, signed):
    u, f = demo, signed
    problems = plans.feedback_problems(f)
    assert [p.number for p in problems] == [1, 2, 4]              # the head's own problem (3) is his alone
    v1 = plans.file_plan(u["rfb"], f, full_plan(f), note="初稿")
    assert Plan.objects.get(feedback=f).status == Plan.Status.SUBMITTED
    with pytest.raises(ValidationError, match="等待巡察办审核"):
        plans.file_plan(u["rfb"], fresh(f), full_plan(f))
    plans.return_plan(u["xcb"], fresh(f), comments="问题一的措施不具体，请写明追缴步骤")
    assert Plan.objects.get(feedback=f).status == Plan.Status.RETURNED
    with pytest.raises(ValidationError, match="不在待审核"):
        plans.accept_plan(u["xcb"], fresh(f))
    v2 = plans.file_plan(u["rfb_head"], fresh(f), full_plan(f, points={1: "项目甲减免50万元\n项目乙减免75万元"}),
                         note="按意见补充")
    plans.accept_plan(u["xcb"], fresh(f), comments="同意")
    plan = Plan.objects.get(feedback=f)
    assert plan.status == Plan.Status.ACCEPTED and plan.accepted_at
    v1, v2 = PlanVersion.objects.get(pk=v1.pk), PlanVersion.objects.get(pk=v2.pk)
    assert (v1.number, v1.outcome, v1.comments) == (1, "returned", "问题一的措施不具体，请写明追缴步骤")
    assert (v2.number, v2.outcome, v2.submitted_by.username) == (2, "accepted", "rfb_head")
    assert PlanMeasure.objects.filter(version=v1).count() == 3 and PlanMeasure.objects.filter(version=v2).count() == 3
    rows = list(Item.objects.filter(feedback=f).order_by("problem__number", "point_no"))
    assert [r.code for r in rows] == ["1-1", "1-2", "2-1", "4-1"]
    assert rows[0].point == "项目甲减免50万元" and rows[2].point == rows[2].problem.title
    assert rows[0].amount_to_recover == Decimal("1250000") and rows[1].amount_to_recover == 0
    assert {r.status for r in rows} == {Item.Status.NOT_STARTED}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"rectification.plan_file", "rectification.plan_return", "rectification.plan_accept"} <= actions
    with pytest.raises(ValidationError, match="已审核通过"):
        plans.file_plan(u["rfb"], fresh(f), full_plan(f))


def test_plan_must_cover_every_problem_and_name_the_field(demo, signed):
    u, f = demo, signed
    measures = full_plan(f)
    with pytest.raises(ValidationError, match="问题2.*没有填写整改措施"):
        plans.file_plan(u["rfb"], f, [m for m in measures if m.problem_id != measures[1].problem_id])
    measures[0].person = " "
    with pytest.raises(ValidationError, match="问题1.*责任人"):
        plans.file_plan(u["rfb"], f, measures)
    measures = full_plan(f)
    measures[2].deadline = None
    with pytest.raises(ValidationError, match="问题4.*整改时限"):
        plans.file_plan(u["rfb"], f, measures)
    measures = full_plan(f)
    measures[0].deadline = date(2000, 1, 3)
    with pytest.raises(ValidationError, match="早于今天"):
        plans.file_plan(u["rfb"], f, measures)
    assert not PlanVersion.objects.exists()


def test_plan_deadline_must_be_a_working_day(demo, signed):
    u, f = demo, signed
    day = a_working_day(30)
    from datetime import timedelta

    from xuncha.workdays.services import is_working_day
    off = next(day + timedelta(days=i) for i in range(1, 10) if not is_working_day(day + timedelta(days=i))[0])
    with pytest.raises(ValidationError, match="不是工作日"):
        plans.file_plan(u["rfb"], f, full_plan(f, deadline=off))


def test_who_files_and_who_reviews(demo, signed):
    u, f = demo, signed
    for who in ("xcb", "zuzhang", "leader", "hy_rfb", "jiwei"):
        with pytest.raises(PermissionDenied):
            plans.file_plan(u[who], f, full_plan(f))
    plans.file_plan(u["rfb"], f, full_plan(f))
    for who in ("rfb", "rfb_head", "zuzhang", "leader", "hy_xcb"):
        with pytest.raises(PermissionDenied):
            plans.accept_plan(u[who], fresh(f))
        with pytest.raises(PermissionDenied):
            plans.return_plan(u[who], fresh(f), comments="不合格的要退回重来")
    with pytest.raises(ValidationError, match="退回意见"):
        plans.return_plan(u["xcb"], fresh(f), comments="")


def test_no_plan_before_signature(demo):
    from xuncha.reports.tests.conftest import add_problems, issue_all, make_round, to_feedback

    r = make_round(demo, number=3)
    add_problems(r)
    r = to_feedback(demo, r)
    issue_all(demo, r)
    f = r.feedbacks.get()
    with pytest.raises(ValidationError, match="尚未由主要负责人签收"):
        plans.file_plan(demo["rfb"], f, full_plan(f))


def test_second_round_feedback_is_separate(demo, signed):
    other = signed_feedback(demo, number=2)
    plans.file_plan(demo["rfb"], other, full_plan(other))
    assert not Plan.objects.filter(feedback=signed, status=Plan.Status.SUBMITTED).exists()
    assert Plan.objects.get(feedback=other).status == Plan.Status.SUBMITTED
