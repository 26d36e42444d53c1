"""巡察报告: versions, 组长报送 → 巡察办审核 → 领导小组审批 → 书记专题会议, return at every step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.reports import services
from xuncha.reports.models import Report, Review
from xuncha.rounds.models import Round

from .conftest import docx_upload, fresh

RS = Report.Status


def status(r):
    return Report.objects.get(round=r).status


def test_submission_needs_a_version_and_moves_to_reporting(demo, onsite):
    u, r = demo, onsite
    with pytest.raises(ValidationError, match="请先上传巡察报告"):
        services.submit_report(u["zuzhang"], r)
    v1 = services.save_draft_version(u["zuyuan"], fresh(r))          # any team member drafts
    assert v1.number == 1 and v1.file.kind == "docx" and v1.created_by == u["zuyuan"]
    v2 = services.upload_version(u["lianluo"], fresh(r), docx_upload(), note="组长修改稿")
    assert v2.number == 2 and v2.note == "组长修改稿" and v2.file.original_name == "巡察报告.docx"
    services.submit_report(u["fuzuzhang"], fresh(r), note="请审核")      # the deputy leads too
    r = fresh(r)
    assert r.stage == Round.Stage.REPORTING and r.report_submitted_by == u["fuzuzhang"]
    report = Report.objects.get(round=r)
    assert report.status == RS.OFFICE_REVIEW and report.current_version == v2
    with pytest.raises(ValidationError, match="已报送审核，不能再修改"):
        services.upload_version(u["zuyuan"], r, docx_upload())
    with pytest.raises(ValidationError, match="已报送审核"):
        services.submit_report(u["zuzhang"], r)


def test_office_return_then_new_version_then_all_approvals(demo, onsite):
    u, r = demo, onsite
    services.save_draft_version(u["zuyuan"], r)
    services.submit_report(u["zuzhang"], fresh(r))
    with pytest.raises(ValidationError, match="至少 4 个字"):
        services.return_report(u["xcb"], fresh(r), comments="改")
    services.return_report(u["xcb"], fresh(r), comments="问题三事实不清，请补充金额依据")
    assert status(r) == RS.RETURNED
    with pytest.raises(ValidationError, match="尚未上传修改后的新版本（退回的是第1稿）"):
        services.submit_report(u["zuzhang"], fresh(r))
    services.upload_version(u["zuzhang"], fresh(r), docx_upload(text="第二稿"), note="按巡察办意见补充")
    services.submit_report(u["zuzhang"], fresh(r))
    assert Report.objects.get(round=r).current_version.number == 2
    with pytest.raises(ValidationError, match="不在领导小组审批环节"):
        services.approve_report(u["leader"], fresh(r))                  # not before the office
    services.office_approve_report(u["xcb"], fresh(r))
    # leadership returns too
    services.return_report(u["leader"], fresh(r), comments="对问题原因分析不透彻，请修改")
    assert status(r) == RS.RETURNED
    services.upload_version(u["zuyuan"], fresh(r), docx_upload(text="第三稿"))
    services.submit_report(u["zuzhang"], fresh(r))
    services.office_approve_report(u["xcb"], fresh(r), comments="同意")
    services.approve_report(u["leader"], fresh(r))
    assert status(r) == RS.MEETING
    with pytest.raises(ValidationError, match="会议纪要编号"):
        services.record_decision(u["xcb"], fresh(r), meeting_date=timezone.localdate(), minute_no=" ")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.record_decision(u["xcb"], fresh(r), meeting_date=timezone.localdate().replace(year=2099),
                                 minute_no="纪要1号")
    services.record_decision(u["xcb"], fresh(r), meeting_date=timezone.localdate(), minute_no="纪要〔2027〕3号")
    report = Report.objects.get(round=r)
    assert report.status == RS.APPROVED and report.minute_no == "纪要〔2027〕3号"
    assert fresh(r).report_approved_at is not None
    trail = list(Review.objects.filter(round=r, subject=Review.Subject.REPORT).values_list(
        "step", "outcome", "version__number"))
    assert trail == [("team", "submitted", 1), ("office", "returned", 1), ("team", "submitted", 2),
                     ("office", "approved", 2), ("leadership", "returned", 2), ("team", "submitted", 3),
                     ("office", "approved", 3), ("leadership", "approved", 3), ("meeting", "decided", 3)]
    returned = Review.objects.filter(round=r, outcome="returned").order_by("at")
    assert [x.comments for x in returned] == ["问题三事实不清，请补充金额依据", "对问题原因分析不透彻，请修改"]
    actions = set(AuditEntry.objects.filter(object_type="reports.report").values_list("action", flat=True))
    assert {"reports.version_add", "reports.submit", "reports.return", "reports.office_approve",
            "reports.leadership_approve", "reports.decision"} <= actions


def test_roles_are_refused_at_each_step(demo, onsite):
    u, r = demo, onsite
    for who in ("xcb", "leader", "rfb", "rfb_head", "jiwei", "zuyuan2"):
        with pytest.raises(PermissionDenied):
            services.save_draft_version(u[who], r)
    services.save_draft_version(u["zuyuan"], r)
    for who in ("zuyuan", "lianluo", "xcb", "leader", "rfb_head"):
        with pytest.raises(PermissionDenied):
            services.submit_report(u[who], fresh(r))
    services.submit_report(u["zuzhang"], fresh(r))
    for who in ("leader", "zuzhang", "hy_xcb", "rfb", "sq_xcb"):
        with pytest.raises(PermissionDenied):
            services.office_approve_report(u[who], fresh(r))
    for who in ("zuzhang", "rfb", "jiwei"):
        with pytest.raises(PermissionDenied):
            services.return_report(u[who], fresh(r), comments="不应允许退回")
    services.office_approve_report(u["xcb"], fresh(r))
    for who in ("xcb", "zuzhang", "rfb_head"):
        with pytest.raises(PermissionDenied):
            services.approve_report(u[who], fresh(r))
    services.approve_report(u["leader"], fresh(r))
    for who in ("leader", "zuzhang"):
        with pytest.raises(PermissionDenied):
            services.record_decision(u[who], fresh(r), meeting_date=timezone.localdate(), minute_no="x")
    assert status(r) == RS.MEETING


def test_feedback_waits_for_the_meeting_decision(demo, onsite):
    u, r = demo, onsite
    services.save_draft_version(u["zuyuan"], r)
    services.submit_report(u["zuzhang"], fresh(r))
    services.office_approve_report(u["xcb"], fresh(r))
    services.approve_report(u["leader"], fresh(r))
    with pytest.raises(ValidationError, match="尚未经书记专题会议审议同意"):
        services.start_feedback(u["xcb"], fresh(r))
    services.record_decision(u["xcb"], fresh(r), meeting_date=timezone.localdate(), minute_no="纪要1号")
    with pytest.raises(PermissionDenied):
        services.start_feedback(u["zuzhang"], fresh(r))
    services.start_feedback(u["xcb"], fresh(r))
    r = fresh(r)
    assert r.stage == Round.Stage.FEEDBACK
    assert list(r.feedbacks.values_list("unit__name", flat=True)) == ["安康市人民防空办公室"]


def test_evaluation_is_saved_and_validated(demo, onsite):
    u, r = demo, onsite
    with pytest.raises(ValidationError, match="评价等次只能为"):
        services.save_evaluation(u["zuyuan"], r, evaluation={"leadership": "excellent"}, overall_rating="",
                                 overall_comment="", suggestions="")
    services.save_evaluation(u["zuyuan"], r, evaluation={"leadership": "fair", "bogus": "good"},
                             overall_rating="fair_good", overall_comment="班子总体较好", suggestions="建议一\n建议二")
    report = Report.objects.get(round=r)
    assert report.evaluation == {"leadership": "fair"} and report.overall_rating == "fair_good"
    with pytest.raises(PermissionDenied):
        services.save_evaluation(u["xcb"], r, evaluation={}, overall_rating="", overall_comment="", suggestions="")
