"""Reads for the report, feedback and archive pages: what the user sees and may do now."""

from __future__ import annotations

from xuncha.policy.reports import can_export_archive, feedback_policy, report_policy
from xuncha.policy.rounds import round_policy
from xuncha.rounds.models import Round

from . import reviews
from .models import Feedback, Report, Review
from .services import clock_state

S = Round.Stage
RS = Report.Status


def report_of(round_: Round) -> Report:
    """The round's report, or an unsaved one in 起草中 before anything was done."""
    return Report.objects.filter(round=round_).select_related("current_version").first() or Report(round=round_)


def report_actions(user, round_: Round, report: Report) -> dict:
    editable = round_.stage in (S.ONSITE, S.REPORTING) and report.status in (RS.DRAFT, RS.RETURNED)
    reviewing = round_.stage == S.REPORTING
    return {
        "work": editable and report_policy.can(user, "work", round_),
        "submit": editable and report_policy.can(user, "submit", round_),
        "office_review": reviewing and report.status == RS.OFFICE_REVIEW
        and report_policy.can(user, "office_review", round_),
        "leadership_review": reviewing and report.status == RS.LEADERSHIP_REVIEW
        and report_policy.can(user, "leadership_review", round_),
        "decide": reviewing and report.status == RS.MEETING and report_policy.can(user, "decide", round_),
    }


def last_return(round_: Round, subject: str) -> Review | None:
    last = reviews.latest(round_, subject)
    return last if last is not None and last.outcome == Review.Outcome.RETURNED else None


def report_context(user, round_: Round) -> dict:
    report = report_of(round_)
    versions = list(report.versions.select_related("file", "created_by").order_by("-number")) if report.pk else []
    return {
        "round": round_, "report": report, "versions": versions,
        "reviews": reviews.history(round_, Review.Subject.REPORT),
        "returned": last_return(round_, Review.Subject.REPORT) if report.status == RS.RETURNED else None,
        "acts": report_actions(user, round_, report),
    }


def feedback_row(feedback: Feedback) -> dict:
    return {"feedback": feedback,
            "plan": clock_state(feedback.plan_due, feedback.plan_due_estimated) if feedback.signed_at else None,
            "report": clock_state(feedback.report_due, feedback.report_due_estimated)
            if feedback.signed_at else None}


def round_feedbacks(user, round_: Round) -> list[dict]:
    qs = feedback_policy.instances(user, "view").filter(round=round_).select_related("unit", "signed_by")
    return [feedback_row(f) for f in qs.order_by("unit_id")]


def round_section(user, round_: Round) -> dict:
    """The 汇报/反馈/归档 part of the round page."""
    manage = round_policy.can(user, "manage", round_)
    report = report_of(round_) if report_policy.can(user, "view", round_) else None
    feedbacks = round_feedbacks(user, round_) if round_.stage in (S.FEEDBACK, S.RECTIFICATION, S.ARCHIVED) else []
    all_signed = round_.feedbacks.exists() and not round_.feedbacks.filter(signed_at__isnull=True).exists()
    plan_return = reviews.plan_returned(round_) if round_.stage == S.PREPARATION else None
    show_plan = round_.stage == S.PREPARATION and (manage or round_policy.can(user, "approve", round_))
    return {
        "round": round_,
        "report": report,
        "report_acts": report_actions(user, round_, report) if report is not None else {},
        "show_report": report is not None and round_.stage != S.PREPARATION,
        "feedbacks": feedbacks,
        "plan_reviews": reviews.history(round_, Review.Subject.PLAN) if show_plan else [],
        "plan_return": plan_return if show_plan else None,
        "can_return_plan": round_.stage == S.PREPARATION and not round_.plan_approved_at and plan_return is None
        and round_policy.can(user, "approve", round_),
        "can_resubmit_plan": plan_return is not None and manage,
        "start_feedback": manage and round_.stage == S.REPORTING and report is not None
        and report.status == RS.APPROVED,
        "start_rectification": manage and round_.stage == S.FEEDBACK and all_signed,
        "archive": manage and round_.stage == S.RECTIFICATION,
        "export": round_.stage == S.ARCHIVED and can_export_archive(user, round_),
    }


def feedback_context(user, feedback: Feedback) -> dict:
    stage_open = feedback.round.stage == S.FEEDBACK
    manage = feedback_policy.can(user, "manage", feedback)
    sign = feedback_policy.can(user, "sign", feedback)
    return {
        "fb": feedback, "round": feedback.round,
        "row": feedback_row(feedback),
        "head_note": feedback.head_content if feedback_policy.can(user, "view_head_note", feedback) else None,
        "org_text": feedback.content if feedback.issued_at else None,
        "can_brief": manage and stage_open and not feedback.head_briefed_at,
        "can_issue": manage and stage_open and feedback.head_briefed_at and not feedback.issued_at,
        "can_sign": sign and stage_open and feedback.issued_at and not feedback.signed_at,
        "is_head": sign,
    }


def unit_feedbacks(user):
    """反馈意见 the user may read (the unit's own once issued; every one for the office and team)."""
    return [feedback_row(f) for f in feedback_policy.instances(user, "view")
            .select_related("round__jurisdiction", "unit").order_by("-round__year", "-round__number", "unit_id")]
