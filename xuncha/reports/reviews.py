"""审批记录: the trail of submissions, approvals and returns of a round's plan and report.

Kept apart from ``services`` so that ``xuncha.rounds.services`` (plan approval with return) can use
it without importing the report workflow.
"""

from __future__ import annotations

from .models import Review

MIN_COMMENT = 4


def record_review(actor, round_, *, subject: str, step: str, outcome: str, comments: str = "", version=None,
                  meeting_date=None, minute_no: str = "") -> Review:
    return Review.objects.create(round=round_, subject=subject, step=step, outcome=outcome,
                                 comments=(comments or "").strip(), version=version, meeting_date=meeting_date,
                                 minute_no=(minute_no or "").strip(), actor=actor)


def latest(round_, subject: str) -> Review | None:
    return Review.objects.filter(round=round_, subject=subject).order_by("-at", "-pk").first()


def plan_returned(round_) -> Review | None:
    """The return of the plan still waiting for the office to revise and resubmit, if any."""
    last = latest(round_, Review.Subject.PLAN)
    return last if last is not None and last.outcome == Review.Outcome.RETURNED else None


def clean_comments(comments: str, what: str = "退回意见") -> str:
    from django.core.exceptions import ValidationError

    text = (comments or "").replace("\x00", "").strip()
    if len(text) < MIN_COMMENT:
        raise ValidationError(f"请填写{what}（至少 {MIN_COMMENT} 个字），写明需要修改的地方。")
    return text[:5000]


def history(round_, subject: str):
    return Review.objects.filter(round=round_, subject=subject).select_related("actor", "version").order_by(
        "at", "pk")
