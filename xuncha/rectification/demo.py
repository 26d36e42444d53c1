"""Demo rectification (演示整改): so that the back half of a round — report, feedback, 整改方案, ledger,
追责, 回访, figures, 指挥舱 — shows something.

汉阴县 ran its own 人防 special round months before today; it is now in the 整改 stage. 石泉县's round
of a year before is rectified and archived (归档). (The stories are in ``demo_story``.) The history is written through the real services (numbering, audit trail, deadlines on
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

from . import ledger, plans, records
from .demo_story import STORIES, Story
from .models import Item


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


class _Play:
    """One story played on one clock: its accounts, and the day of each step."""

    def __init__(self, ctx, clock: _Clock, story: Story, county):
        self.ctx, self.clock, self.story, self.county = ctx, clock, story, county
        self.unit = ctx.org(county, "人民防空办公室")

    def user(self, role: str):
        return self.ctx.users[f"{self.story.prefix}_{role}"]

    def at(self, step: str, hour: int = 9, shift: int = 0) -> date:
        return self.clock.set(self.story.days[step] + shift, hour)

    def day(self, step: str) -> date:
        return self.clock.day(self.story.days[step])


def _round(play: _Play, taxonomy) -> Round:
    office = play.user("xcb")
    play.at("prepared")
    year = play.day("onsite").year
    _make_room(play.county, year)
    r = Round.objects.create(
        jurisdiction=play.county, kind=Round.Kind.SPECIAL, year=year, number=1, taxonomy=taxonomy,
        title=play.story.title.format(county=play.county.name, year=year), stage=Round.Stage.PREPARATION,
        planned_start=play.day("onsite"), planned_end=play.day("onsite_end"), planned_report=play.day("reported"),
        planned_feedback=play.day("fed_back"), focus=play.story.focus, created_by=office)
    r.targets.add(play.unit)
    TeamMembership.objects.create(round=r, user=play.user("zz"), team_role=TeamMembership.TeamRole.LEADER)
    StageChange.objects.create(round=r, from_stage="", to_stage=Round.Stage.PREPARATION, actor=office)
    play.at("prepared", 17, shift=5)
    approved = play.clock.now()
    play.at("onsite", 10, shift=-2)
    Round.objects.filter(pk=r.pk).update(plan_approved_at=approved, plan_approved_by=play.user("leader"),
                                         announcement_published_at=play.clock.now())
    play.at("onsite")
    Round.objects.filter(pk=r.pk).update(stage=Round.Stage.ONSITE)
    StageChange.objects.create(round=r, from_stage=Round.Stage.PREPARATION, to_stage=Round.Stage.ONSITE, actor=office)
    return Round.objects.get(pk=r.pk)


def _problems(play: _Play, r: Round) -> list[Problem]:
    out = []
    for i, (code, title, facts, found_by, severity, amount, recover, *_rest) in enumerate(play.story.problems):
        play.at("onsite", 16, shift=5 + i * 3)
        out.append(findings.create_problem(
            round_=r, actor=play.user("zz"), source=Problem.Source.MANUAL, found_by=found_by, title=title,
            description=facts, category=Category.objects.get(taxonomy_id=r.taxonomy_id, code=code),
            amount=Decimal(amount), amount_to_recover=Decimal(recover), responsible_unit=play.unit,
            severity=severity))
    return out


def _report_and_feedback(play: _Play, r: Round) -> Feedback:
    office, team_leader, head = play.user("xcb"), play.user("zz"), play.user("rfb_head")
    play.at("reported")
    reports.save_draft_version(team_leader, r)
    reports.submit_report(team_leader, r, note="巡察报告初稿，请审核。")
    play.at("office_ok")
    reports.office_approve_report(office, r, comments="同意，报领导小组审批。")
    play.at("leadership_ok")
    reports.approve_report(play.user("leader"), r, comments="同意，提请县委书记专题会议审议。")
    meeting = play.at("meeting", 15)
    reports.record_decision(office, r, meeting_date=meeting,
                            minute_no=f"{play.county.name[:2]}县委书记专题会议纪要〔{meeting.year}〕{meeting.month + 10}号")
    play.at("fed_back")
    reports.start_feedback(office, r)
    feedback = reports.brief_head(office, Feedback.objects.get(round=r))
    play.at("fed_back", 10)
    feedback = reports.issue_feedback(office, feedback)
    play.at("signed")
    feedback = reports.mark_read(head, feedback)
    reports.sign_feedback(head, feedback, confirmed=True)
    play.at("rectifying")
    reports.start_rectification(office, r)
    return Feedback.objects.get(pk=feedback.pk)


def _plan(play: _Play, feedback: Feedback, problems: list[Problem]) -> None:
    office, unit = play.user("xcb"), play.user("rfb")

    def measures(first: bool) -> list[plans.MeasureData]:
        out = []
        for p, spec in zip(problems, play.story.problems, strict=True):
            points, vague, text, leader, person, offset = spec[7:]
            out.append(plans.MeasureData(problem_id=p.pk, measures=(vague if first and vague else text),
                                         leader=leader, person=person, deadline=play.clock.day(offset),
                                         points="\n".join(points)))
        return out

    play.at("plan_filed", 16)
    returned = "plan_returned" in play.story.days
    plans.file_plan(unit, feedback, measures(returned))
    if returned:
        play.at("plan_returned", 15)
        plans.return_plan(office, feedback, comments=play.story.return_comments)
        play.at("plan_refiled", 16)
        plans.file_plan(unit, feedback, measures(False), note=play.story.refile_note)
    play.at("plan_accepted", 15)
    plans.accept_plan(office, feedback, comments=play.story.accept_comments)


def _item_event(play: _Play, item: Item, action: str, args: tuple, day: date) -> None:
    unit, office = play.user("rfb"), play.user("xcb")
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


def _record(play: _Play, feedback: Feedback, action: str, args: tuple, day: date, items: dict) -> None:
    unit, office = play.user("rfb"), play.user("xcb")
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
        visitors = f"县委巡察办{office.full_name}、县委巡察组{play.user('zz').full_name}"
        records.add_visit(office, feedback, visited_on=day, visitors=visitors, findings=findings_text,
                          conclusion=conclusion)
    else:
        raise ValueError(action)


def _history(play: _Play, feedback: Feedback) -> None:
    items = {(i.problem.number, i.point_no): i for i in Item.objects.filter(feedback=feedback).select_related(
        "problem")}
    timeline = [(d, h, 0, ("item", n, point, action, args)) for d, h, n, point, action, args in play.story.events]
    timeline += [(d, h, 1, ("record", action, args)) for d, h, action, args in play.story.records]
    for offset, hour, _order, event in sorted(timeline, key=lambda e: e[:3]):
        day = play.clock.set(offset, hour)
        if event[0] == "item":
            _, n, point, action, args = event
            _item_event(play, Item.objects.select_related("feedback__unit", "feedback__round").get(
                pk=items[(n, point)].pk), action, args, day)
        else:
            _record(play, feedback, event[1], event[2], day, items)


def _play(ctx, clock: _Clock, story: Story, county, taxonomy) -> Round:
    play = _Play(ctx, clock, story, county)
    play.at("prepared")
    _user(ctx, f"{story.prefix}_leader", story.leader_name, [Role.LEADERSHIP],
          ctx.org(county, Organization.Kind.LEADERSHIP), "县委巡察工作领导小组组长")
    r = _round(play, taxonomy)
    problems = _problems(play, r)
    feedback = _report_and_feedback(play, r)
    _plan(play, feedback, problems)
    _history(play, feedback)
    if "archived" in story.days:
        play.at("archived", 16)
        reports.archive(play.user("xcb"), r)
    return Round.objects.get(pk=r.pk)


def populate(ctx) -> None:
    taxonomy = Taxonomy.objects.filter(code="RF-9").first()
    if taxonomy is None:
        return      # the data migration's taxonomies were flushed (transactional tests)
    counties = {c.name: c for c in ctx.counties}
    clock = _Clock(timezone.localdate())
    with _running(clock):
        for story in STORIES:
            if story.county in counties and f"{story.prefix}_xcb" in ctx.users:
                ctx.rounds[f"{story.prefix}_rect"] = _play(ctx, clock, story, counties[story.county], taxonomy)
