"""Demo rectification (演示整改): so that the back half of a round — report, feedback, 整改方案, ledger,
追责, 回访, figures, 指挥舱 — shows something.

汉阴县 ran its own 人防 special round months before today (the story in ``demo_story``); it is now in
the 整改 stage. The history is written through the real services (numbering, audit trail, deadlines on
the working-day calendar, stage changes), each on its own day: while the story is played the clock of
``django.utils.timezone`` is set to that day, so records and audit entries bear the days of the story.
The days are working days counted back from today, so the ledger has an overdue row and rows due soon
whatever day the demo is loaded.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuncha.core.demo import _user
from xuncha.documents import gbt9704 as g
from xuncha.findings import services as findings
from xuncha.findings.models import Problem
from xuncha.orgs.models import Organization, Role
from xuncha.reports import services as reports
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Category, Round, StageChange, Taxonomy, TeamMembership
from xuncha.workdays.services import add_working_days

from . import demo_story as story
from . import ledger, plans, records
from .models import Item

LEADER_NAME = "吕建国"


class _Clock:
    """The story's clock: a working day relative to today and an hour; each reading is a few seconds on."""

    def __init__(self, today: date):
        self.today = today
        self.moment = None
        self._days = {0: today}

    def day(self, offset: int) -> date:
        """The working day ``offset`` working days from today (stepping one working day at a time)."""
        step = 1 if offset > 0 else -1
        n = 0
        while n != offset:
            n += step
            if n not in self._days:
                self._days[n] = add_working_days(self._days[n - step], step)[0]
        return self._days[offset]

    def set(self, offset: int, hour: int = 9) -> date:
        day = self.day(offset)
        self.moment = datetime.combine(day, time(hour), timezone.get_default_timezone())
        return day

    def now(self) -> datetime:
        self.moment += timedelta(seconds=7)
        return self.moment


@contextmanager
def _running(clock: _Clock):
    real = timezone.now
    timezone.now = clock.now
    try:
        yield
    finally:
        timezone.now = real


def _evidence_file(title: str, unit: str, day: date) -> SimpleUploadedFile:
    doc = g.new_document()
    g.title(doc, title)
    g.blank(doc)
    g.body(doc, f"{unit}整改佐证材料。")
    g.signature(doc, unit, f"{day.year}年{day.month}月{day.day}日")
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile(f"{title}.docx", out.getvalue())


def _make_room(county, year: int) -> None:
    """The story's round is the county's first of its year: later rounds move one number on."""
    for r in Round.objects.filter(jurisdiction=county, year=year).order_by("-number"):
        Round.objects.filter(pk=r.pk).update(number=r.number + 1)


def _round(ctx, clock: _Clock, county, taxonomy) -> Round:
    u = ctx.users
    clock.set(story.PREPARED)
    year = clock.day(story.ONSITE).year
    _make_room(county, year)
    r = Round.objects.create(
        jurisdiction=county, kind=Round.Kind.SPECIAL, year=year, number=1, taxonomy=taxonomy,
        title=f"{county.name}{year}年人防工程建设和易地建设费专项巡察", stage=Round.Stage.PREPARATION,
        planned_start=clock.day(story.ONSITE), planned_end=clock.day(story.ONSITE_END),
        planned_report=clock.day(story.REPORTED), planned_feedback=clock.day(story.FED_BACK),
        focus=story.FOCUS, created_by=u["hy_xcb"])
    r.targets.add(ctx.org(county, "人民防空办公室"))
    TeamMembership.objects.create(round=r, user=u["hy_zz"], team_role=TeamMembership.TeamRole.LEADER)
    StageChange.objects.create(round=r, from_stage="", to_stage=Round.Stage.PREPARATION, actor=u["hy_xcb"])
    clock.set(story.PREPARED + 5, 17)
    approved = clock.now()
    clock.set(story.ONSITE - 2, 10)
    Round.objects.filter(pk=r.pk).update(plan_approved_at=approved, plan_approved_by=u["hy_leader"],
                                         announcement_published_at=clock.now())
    clock.set(story.ONSITE)
    Round.objects.filter(pk=r.pk).update(stage=Round.Stage.ONSITE)
    StageChange.objects.create(round=r, from_stage=Round.Stage.PREPARATION, to_stage=Round.Stage.ONSITE,
                               actor=u["hy_xcb"])
    return Round.objects.get(pk=r.pk)


def _problems(ctx, clock: _Clock, r: Round, unit) -> list[Problem]:
    out = []
    for i, (code, title, facts, found_by, severity, amount, recover, *_rest) in enumerate(story.PROBLEMS):
        clock.set(story.ONSITE + 5 + i * 3, 16)
        out.append(findings.create_problem(
            round_=r, actor=ctx.users["hy_zz"], source=Problem.Source.MANUAL, found_by=found_by, title=title,
            description=facts, category=Category.objects.get(taxonomy_id=r.taxonomy_id, code=code),
            amount=Decimal(amount), amount_to_recover=Decimal(recover), responsible_unit=unit, severity=severity))
    return out


def _report_and_feedback(ctx, clock: _Clock, r: Round) -> Feedback:
    u = ctx.users
    clock.set(story.REPORTED)
    reports.save_draft_version(u["hy_zz"], r)
    reports.submit_report(u["hy_zz"], r, note="巡察报告初稿，请审核。")
    clock.set(story.OFFICE_OK)
    reports.office_approve_report(u["hy_xcb"], r, comments="同意，报领导小组审批。")
    clock.set(story.LEADERSHIP_OK)
    reports.approve_report(u["hy_leader"], r, comments="同意，提请县委书记专题会议审议。")
    meeting = clock.set(story.MEETING, 15)
    reports.record_decision(u["hy_xcb"], r, meeting_date=meeting,
                            minute_no=f"汉阴县委书记专题会议纪要〔{meeting.year}〕{meeting.month + 10}号")
    clock.set(story.FED_BACK)
    reports.start_feedback(u["hy_xcb"], r)
    feedback = Feedback.objects.get(round=r)
    feedback = reports.brief_head(u["hy_xcb"], feedback)
    clock.set(story.FED_BACK, 10)
    feedback = reports.issue_feedback(u["hy_xcb"], feedback)
    clock.set(story.SIGNED)
    head = u["hy_rfb_head"]
    feedback = reports.mark_read(head, feedback)
    reports.sign_feedback(head, feedback, confirmed=True)
    clock.set(story.RECTIFYING)
    reports.start_rectification(u["hy_xcb"], r)
    return Feedback.objects.get(pk=feedback.pk)


def _plan(ctx, clock: _Clock, feedback: Feedback, problems: list[Problem]) -> None:
    u = ctx.users

    def measures(first: bool) -> list[plans.MeasureData]:
        out = []
        for p, spec in zip(problems, story.PROBLEMS, strict=True):
            points, vague, text, leader, person, offset = spec[7:]
            out.append(plans.MeasureData(problem_id=p.pk, measures=(vague if first and vague else text),
                                         leader=leader, person=person, deadline=clock.day(offset),
                                         points="\n".join(points)))
        return out

    clock.set(story.PLAN_FILED, 16)
    plans.file_plan(u["hy_rfb"], feedback, measures(True))
    clock.set(story.PLAN_RETURNED, 15)
    plans.return_plan(u["hy_xcb"], feedback, comments=story.RETURN_COMMENTS)
    clock.set(story.PLAN_REFILED, 16)
    plans.file_plan(u["hy_rfb"], feedback, measures(False), note=story.REFILE_NOTE)
    clock.set(story.PLAN_ACCEPTED, 15)
    plans.accept_plan(u["hy_xcb"], feedback, comments=story.ACCEPT_COMMENTS)


def _item_event(ctx, item: Item, action: str, args: tuple, day: date) -> None:
    unit, office = ctx.users["hy_rfb"], ctx.users["hy_xcb"]
    if action == "progress":
        ledger.report_progress(unit, item, progress=args[0], amount_recovered=args[1])
    elif action == "evidence":
        ledger.add_evidence(unit, item, _evidence_file(args[0], item.feedback.unit.name, day), note=args[1])
    elif action == "request":
        ledger.request_closure(unit, item, comments=args[0])
    elif action == "approve":
        ledger.approve_closure(office, item, result=args[0], comments=args[1])
    elif action == "red_card":
        ledger.red_card(office, item, comments=args[0])
    else:
        raise ValueError(action)


def _record(ctx, feedback: Feedback, action: str, args: tuple, day: date, items: dict) -> None:
    unit, office = ctx.users["hy_rfb"], ctx.users["hy_xcb"]
    if action == "rule":
        title, doc_no, problem = args
        records.add_rule(unit, feedback, title=title, doc_no=doc_no.format(year=day.year), issued_on=day,
                         item=items[(problem, 1)])
    elif action == "report":
        records.generate_report(unit, feedback, kind=args[0])
    elif action == "disclosure":
        records.save_disclosure(unit, feedback, text=args[0])
    elif action == "publish":
        records.publish_disclosure(office, feedback)
    elif action == "accountability":
        name, position, measure, form, problem = args
        records.add_accountability(office, feedback, name=name, position=position, measure=measure, form=form,
                                   decided_on=day, item=items[(problem, 1)])
    elif action == "visit":
        findings_text, conclusion = args
        visitors = f"县委巡察办{office.full_name}、县委巡察组{ctx.users['hy_zz'].full_name}"
        records.add_visit(office, feedback, visited_on=day, visitors=visitors, findings=findings_text,
                          conclusion=conclusion)
    else:
        raise ValueError(action)


def _history(ctx, clock: _Clock, feedback: Feedback) -> None:
    items = {(i.problem.number, i.point_no): i for i in Item.objects.filter(feedback=feedback).select_related(
        "problem", "feedback__unit", "feedback__round")}
    timeline = [(d, h, 0, ("item", n, point, action, args)) for d, h, n, point, action, args in story.EVENTS]
    timeline += [(d, h, 1, ("record", action, args)) for d, h, action, args in story.RECORDS]
    for offset, hour, _order, event in sorted(timeline, key=lambda e: e[:3]):
        day = clock.set(offset, hour)
        if event[0] == "item":
            _, n, point, action, args = event
            _item_event(ctx, Item.objects.select_related("feedback__unit", "feedback__round").get(
                pk=items[(n, point)].pk), action, args, day)
        else:
            _record(ctx, feedback, event[1], event[2], day, items)


def populate(ctx) -> None:
    taxonomy = Taxonomy.objects.filter(code="RF-9").first()
    county = next((c for c in ctx.counties if c.name == "汉阴县"), None)
    if taxonomy is None or county is None or "hy_xcb" not in ctx.users:
        return      # the data migration's taxonomies were flushed (transactional tests)
    _user(ctx, "hy_leader", LEADER_NAME, [Role.LEADERSHIP], ctx.org(county, Organization.Kind.LEADERSHIP),
          "县委巡察工作领导小组组长")
    clock = _Clock(timezone.localdate())
    with _running(clock):
        r = _round(ctx, clock, county, taxonomy)
        problems = _problems(ctx, clock, r, ctx.org(county, "人民防空办公室"))
        feedback = _report_and_feedback(ctx, clock, r)
        _plan(ctx, clock, feedback, problems)
        _history(ctx, clock, feedback)
    ctx.rounds["hy_rect"] = Round.objects.get(pk=r.pk)
