"""Fixtures: a city round taken by the services to the head's 签收 of its feedback (安康市人民防空办公室)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuncha.reports import services as reports
from xuncha.reports.tests.conftest import add_problems, fresh, issue_all, make_round, to_feedback
from xuncha.workdays.services import add_working_days

from ..plans import MeasureData, feedback_problems


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def signed_feedback(u, *, number: int = 1):
    """Round ``number``: problems 1 (易地建设费, 应追缴125万), 2, 4 fed back to the organisation; signed."""
    for user in u.values():                  # team roles are cached on the user objects
        user.__dict__.pop("_team_roles", None)
    r = make_round(u, number=number)
    add_problems(r)
    for user in u.values():
        user.__dict__.pop("_team_roles", None)
    r = to_feedback(u, r)
    issue_all(u, r)
    feedback = r.feedbacks.get()
    reports.mark_read(u["rfb_head"], feedback)
    return reports.sign_feedback(u["rfb_head"], fresh(feedback), confirmed=True)


@pytest.fixture
def signed(demo):
    return signed_feedback(demo)


def a_working_day(n: int = 20) -> date:
    from django.utils import timezone

    return add_working_days(timezone.localdate(), n)[0]


def full_plan(feedback, *, points=None, deadline=None) -> list[MeasureData]:
    """Measures for every problem of the feedback; ``points`` maps problem number -> points text."""
    points = points or {}
    deadline = deadline or a_working_day()
    return [MeasureData(problem_id=p.pk, measures=f"针对问题{p.number}逐项整改", leader="王副主任", person="李科长",
                        deadline=deadline, points=points.get(p.number, "")) for p in feedback_problems(feedback)]


def pdf_upload(name: str = "佐证材料.pdf", body: bytes = b"evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", content_type="application/pdf")


def docx_bytes(text: str = "整改报告") -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def accepted(u, feedback, **kw):
    """File the plan and have the office accept it; returns the feedback."""
    from .. import plans

    plans.file_plan(u["rfb"], feedback, full_plan(feedback, **kw))
    plans.accept_plan(u["xcb"], fresh(feedback))
    return fresh(feedback)


def later(day: date, days: int) -> date:
    return day + timedelta(days=days)


def finish_rectification(round_) -> None:
    """Take every signed feedback of the round through its plan and 销号 of every ledger row (so that the
    round may be archived): the unit's liaison files, the round's office accepts and approves."""
    from xuncha.orgs.models import Role, User
    from xuncha.reports.models import Feedback

    from .. import ledger, plans
    from ..models import Item

    office = User.objects.filter(role_assignments__role=Role.OFFICE,
                                 organization__jurisdiction=round_.jurisdiction, organization__kind="office").first()
    for f in Feedback.objects.filter(round=round_, signed_at__isnull=False):
        if not plans.needs_plan(f):
            continue
        unit = User.objects.filter(role_assignments__role=Role.UNIT, organization=f.unit).first()
        plan = plans.plan_of(f)
        if plan.status != plan.Status.ACCEPTED:          # may be called twice: finishes what is left
            if plan.status != plan.Status.SUBMITTED:
                plans.file_plan(unit, f, full_plan(f))
            plans.accept_plan(office, fresh(f))
        for item in Item.objects.filter(feedback=f).exclude(status=Item.Status.CLOSED):
            ledger.add_evidence(unit, item, pdf_upload())
            ledger.request_closure(unit, Item.objects.get(pk=item.pk))
            ledger.approve_closure(office, Item.objects.get(pk=item.pk), result=Item.Result.DONE)
