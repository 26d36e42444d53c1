"""归档 freezes the round: every write service on its records refuses with "本轮巡察已归档".

``WRITE_PATHS`` lists one call per write service; apps that add write paths (data runs, surveys,
rectification, problems) append theirs here. Each entry gets the frozen round's context ``c`` with
its users and records (petitions, clues, inquiry, team membership, feedback …).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from xuncha.clues import services as clues
from xuncha.clues.models import Clue, Disposal
from xuncha.crosscheck import decisions as cc_decisions
from xuncha.crosscheck import services as crosscheck
from xuncha.crosscheck.tests import records as cc_records
from xuncha.orgs.models import Jurisdiction, Organization
from xuncha.petitions import services as petitions
from xuncha.petitions.models import Message, Petition
from xuncha.rectification import ledger as rect_ledger
from xuncha.rectification import plans as rect_plans
from xuncha.rectification import records as rect_records
from xuncha.rectification.models import Item
from xuncha.rectification.tests.conftest import finish_rectification
from xuncha.reports import services as reports
from xuncha.rounds import inquiries, linkage, worklogs
from xuncha.rounds import services as rounds
from xuncha.rounds.guards import ARCHIVED_MESSAGE
from xuncha.rounds.models import Inquiry, Round, TeamMembership
from xuncha.surveys import collect as survey_collect
from xuncha.surveys import services as surveys
from xuncha.surveys.models import Code, Response, Survey

from .conftest import ANNOUNCEMENT, add_problems, docx_upload, fresh, issue_all, make_round, to_feedback

TODAY = date(2026, 11, 25)


def _report(subject="某科长") -> petitions.ReportData:
    return petitions.ReportData(subject_name=subject, content="反映收受好处费。")


def _survey(c) -> Survey:
    """A questionnaire of the frozen round (made directly: no service writes to an archived round)."""
    s = Survey.objects.create(round=c.r, title="问卷", status=Survey.Status.OPEN)
    s.questions.create(order=1, text="意见建议", kind="text", required=False)
    Code.objects.create(survey=s, digest=surveys.code_digest("ARCHIVED22"), batch=1, issued_on=TODAY)
    return s


WRITE_PATHS: list[tuple[str, Callable[[SimpleNamespace], object]]] = [
    # rounds: plan, team, targets, announcement, stage
    ("rounds.update_plan", lambda c: rounds.update_plan(c.u["xcb"], c.r, focus="改动")),
    ("rounds.add_team_member", lambda c: rounds.add_team_member(c.u["xcb"], c.r, user=c.u["zuyuan2"],
                                                                team_role=TeamMembership.TeamRole.MEMBER)),
    ("rounds.remove_team_member", lambda c: rounds.remove_team_member(c.u["xcb"], c.membership)),
    ("rounds.set_targets", lambda c: rounds.set_targets(c.u["xcb"], c.r, [])),
    ("rounds.approve_plan", lambda c: rounds.approve_plan(c.u["leader"], c.r)),
    ("rounds.return_plan", lambda c: rounds.return_plan(c.u["leader"], c.r, comments="归档后退回方案")),
    ("rounds.resubmit_plan", lambda c: rounds.resubmit_plan(c.u["xcb"], c.r)),
    ("rounds.save_announcement", lambda c: rounds.save_announcement(c.u["xcb"], c.r, **ANNOUNCEMENT)),
    ("rounds.publish_announcement", lambda c: rounds.publish_announcement(c.u["xcb"], c.r)),
    ("rounds.start_onsite", lambda c: rounds.start_onsite(c.u["xcb"], c.r)),
    ("linkage.create_county_rounds", lambda c: linkage.create_county_rounds(
        c.u["xcb"], c.r, Jurisdiction.objects.filter(parent=c.r.jurisdiction)[:1])),
    # work logs, 函询
    ("worklogs.add_log", lambda c: worklogs.add_log(c.u["zuyuan"], c.r, day=TODAY, work_type="study",
                                                    content="归档后记录")),
    ("inquiries.send_inquiry", lambda c: inquiries.send_inquiry(c.u["xcb"], c.r, recipient="audit", subject="x",
                                                                sent_on=TODAY)),
    ("inquiries.record_reply", lambda c: inquiries.record_reply(c.u["xcb"], c.inquiry, replied_on=TODAY,
                                                                reply="回复")),
    # petitions (the public form and the reporter's supplement too)
    ("petitions.submit_public", lambda c: petitions.submit_public(c.r, _report(), request=c.request)),
    ("petitions.intake", lambda c: petitions.intake(c.u["zuzhang"], c.r, _report(), channel="letter")),
    ("petitions.add_supplement", lambda c: petitions.add_supplement(c.petition, "补充材料")),
    ("petitions.reply", lambda c: petitions.reply(c.u["zuzhang"], c.petition, "答复")),
    ("petitions.add_triage_note", lambda c: petitions.add_triage_note(c.u["zuzhang"], c.petition, "研判")),
    ("petitions.classify", lambda c: petitions.classify(c.u["zuzhang"], c.petition, category=None,
                                                        concerns_leadership=False, status="closed")),
    ("petitions.link", lambda c: petitions.link(c.u["zuzhang"], c.petition, c.petition2)),
    # clues, disposal, the discipline commission's handling
    ("clues.create_clue", lambda c: clues.create_clue(c.u["zuzhang"], c.r, clues.ClueData(person="某", summary="x"))),
    ("clues.create_clue_from_petition", lambda c: clues.create_clue_from_petition(
        c.u["zuzhang"], c.petition, clues.ClueData(person="某", summary="x"))),
    ("clues.create_clue_from_crosscheck", lambda c: clues.create_clue_from_crosscheck(
        c.u["zuzhang"], c.r, rule_code="R05", summary="x")),
    ("clues.dispose", lambda c: clues.dispose(c.u["zuzhang"], c.clue, kind=Disposal.Kind.KEEP, reason="留存")),
    ("clues.record_receipt", lambda c: clues.record_receipt(c.u["jiwei"], c.transferred, receipt_no="H-1",
                                                            received_on=TODAY)),
    ("clues.record_handling", lambda c: clues.record_handling(c.u["jiwei"], c.transferred,
                                                              method=Disposal.Method.TALK, method_on=TODAY)),
    # report, reviews, feedback, stage
    ("reports.upload_version", lambda c: reports.upload_version(c.u["zuyuan"], c.r, docx_upload())),
    ("reports.save_draft_version", lambda c: reports.save_draft_version(c.u["zuyuan"], c.r)),
    ("reports.save_evaluation", lambda c: reports.save_evaluation(c.u["zuyuan"], c.r, evaluation={},
                                                                  overall_rating="", overall_comment="",
                                                                  suggestions="")),
    ("reports.submit_report", lambda c: reports.submit_report(c.u["zuzhang"], c.r)),
    ("reports.office_approve_report", lambda c: reports.office_approve_report(c.u["xcb"], c.r)),
    ("reports.approve_report", lambda c: reports.approve_report(c.u["leader"], c.r)),
    ("reports.return_report", lambda c: reports.return_report(c.u["xcb"], c.r, comments="归档后退回")),
    ("reports.record_decision", lambda c: reports.record_decision(c.u["xcb"], c.r, meeting_date=TODAY,
                                                                  minute_no="纪要")),
    ("reports.start_feedback", lambda c: reports.start_feedback(c.u["xcb"], c.r)),
    ("reports.brief_head", lambda c: reports.brief_head(c.u["xcb"], c.feedback)),
    ("reports.issue_feedback", lambda c: reports.issue_feedback(c.u["xcb"], c.feedback)),
    ("reports.sign_feedback", lambda c: reports.sign_feedback(c.u["rfb_head"], c.feedback, confirmed=True)),
    ("reports.start_rectification", lambda c: reports.start_rectification(c.u["xcb"], c.r)),
    ("reports.archive", lambda c: reports.archive(c.u["xcb"], c.r)),
    # rectification (整改督办): plan, ledger, records
    ("rectification.file_plan", lambda c: rect_plans.file_plan(c.u["rfb"], c.feedback, [])),
    ("rectification.accept_plan", lambda c: rect_plans.accept_plan(c.u["xcb"], c.feedback)),
    ("rectification.return_plan", lambda c: rect_plans.return_plan(c.u["xcb"], c.feedback, comments="归档后退回")),
    ("rectification.report_progress", lambda c: rect_ledger.report_progress(c.u["rfb"], c.item, progress="x")),
    ("rectification.add_evidence", lambda c: rect_ledger.add_evidence(c.u["rfb"], c.item, docx_upload())),
    ("rectification.request_closure", lambda c: rect_ledger.request_closure(c.u["rfb"], c.item)),
    ("rectification.approve_closure", lambda c: rect_ledger.approve_closure(c.u["xcb"], c.item, result="done")),
    ("rectification.return_item", lambda c: rect_ledger.return_item(c.u["xcb"], c.item, comments="归档后退回")),
    ("rectification.red_card", lambda c: rect_ledger.red_card(c.u["xcb"], c.item, comments="归档后红牌")),
    ("rectification.add_accountability", lambda c: rect_records.add_accountability(
        c.u["rfb"], c.feedback, name="某", position="科长", measure="诫勉", form="1", decided_on=TODAY)),
    ("rectification.add_rule", lambda c: rect_records.add_rule(c.u["rfb"], c.feedback, title="制度", issued_on=TODAY)),
    ("rectification.upload_report", lambda c: rect_records.upload_report(c.u["rfb"], c.feedback, kind="progress",
                                                                         upload=docx_upload())),
    ("rectification.generate_report", lambda c: rect_records.generate_report(c.u["rfb"], c.feedback, kind="head")),
    ("rectification.add_visit", lambda c: rect_records.add_visit(c.u["xcb"], c.feedback, visited_on=TODAY,
                                                                 visitors="巡察办", findings="x", conclusion="done")),
    ("rectification.save_disclosure", lambda c: rect_records.save_disclosure(c.u["rfb"], c.feedback, text="公开")),
    ("rectification.publish_disclosure", lambda c: rect_records.publish_disclosure(c.u["xcb"], c.feedback)),
    # surveys: questionnaires, codes, answers (online and paper), the work log entry
    ("surveys.create_from_template", lambda c: surveys.create_from_template(
        c.u["zuzhang"], c.r, Survey.objects.get(code="RF-ZX", builtin=True))),
    ("surveys.save_survey", lambda c: surveys.save_survey(c.u["zuzhang"], _survey(c))),
    ("surveys.save_question", lambda c: surveys.save_question(c.u["zuzhang"], _survey(c).questions.get())),
    ("surveys.delete_question", lambda c: surveys.delete_question(c.u["zuzhang"], _survey(c).questions.get())),
    ("surveys.set_status", lambda c: surveys.set_status(c.u["zuzhang"], _survey(c), Survey.Status.CLOSED)),
    ("surveys.issue_codes", lambda c: surveys.issue_codes(c.u["zuzhang"], _survey(c), 1)),
    ("surveys.void_batch", lambda c: surveys.void_batch(c.u["zuzhang"], _survey(c), 1)),
    ("surveys.set_paper_issued", lambda c: surveys.set_paper_issued(c.u["zuyuan"], _survey(c), 3)),
    ("surveys.log_to_worklog", lambda c: surveys.log_to_worklog(c.u["zuyuan"], _survey(c), day=TODAY)),
    ("surveys.enter_paper", lambda c: survey_collect.enter_paper(c.u["zuyuan"], _survey(c), {}, group="",
                                                                 token="t" * 20)),
    ("surveys.submit_online", lambda c: (_survey(c), survey_collect.submit_online(c.request, "ARCHIVED22", {}))),
    # 数据比对 (issue 9): data files, runs, 核实, to clue
    ("crosscheck.upload_files", lambda c: crosscheck.upload_files(c.u["zuyuan"], c.r, [docx_upload("payments.csv")])),
    ("crosscheck.remove_file", lambda c: crosscheck.remove_file(c.u["zuyuan"], cc_records.data_file(c.r))),
    ("crosscheck.start_run", lambda c: crosscheck.start_run(c.u["zuyuan"], c.r)),
    ("crosscheck.confirm", lambda c: cc_decisions.confirm(c.u["zuyuan"], cc_records.suspicion(c.r))),
    ("crosscheck.dismiss", lambda c: cc_decisions.dismiss(c.u["zuyuan"], cc_records.suspicion(c.r), reason="x")),
    ("crosscheck.reopen", lambda c: cc_decisions.reopen(c.u["zuzhang"], cc_records.suspicion(c.r, status="dismissed"))),
    ("crosscheck.bulk_decide", lambda c: cc_decisions.bulk_decide(c.u["zuyuan"], [cc_records.suspicion(c.r)],
                                                                  action="dismiss", reason="x")),
    ("crosscheck.to_clue", lambda c: cc_decisions.to_clue(c.u["zuyuan"], cc_records.suspicion(c.r))),
]


def _problem(c):
    from xuncha.findings.models import Problem

    return Problem.objects.filter(round=c.r, status=Problem.Status.CONFIRMED).order_by("number").first()


def _findings_paths():
    from xuncha.findings import onsite
    from xuncha.findings import services as findings

    return [
        ("findings.create_problem", lambda c: findings.create_problem(
            round_=c.r, actor=c.u["zuyuan"], source="manual", found_by="talk", title="归档后登记")),
        ("findings.update_problem", lambda c: findings.update_problem(c.u["zuyuan"], _problem(c), title="改")),
        ("findings.add_evidence", lambda c: findings.add_evidence(c.u["zuyuan"], _problem(c), [docx_upload()])),
        ("findings.withdraw_problem", lambda c: findings.withdraw_problem(c.u["zuzhang"], _problem(c), reason="x")),
        ("findings.problem_from_clue", lambda c: findings.problem_from_clue(
            c.u["zuyuan"], c.clue, title="由线索", found_by="other")),
        ("findings.problem_to_clue", lambda c: findings.problem_to_clue(c.u["zuyuan"], _problem(c), person="某")),
        ("findings.onsite.propose", lambda c: onsite.propose(c.u["zuyuan"], _problem(c), proposal="立行立改")),
        ("findings.onsite.record_consent", lambda c: onsite.record_consent(
            c.u["zuzhang"], _problem(c), consent_by="某", consent_on=TODAY, consent_document="纪要")),
        ("findings.onsite.issue_suggestion", lambda c: onsite.issue_suggestion(
            c.u["zuzhang"], _problem(c), requirement="整改")),
    ]


WRITE_PATHS += _findings_paths()

def archived_round(u) -> SimpleNamespace:
    """A round with records of every kind, taken through to 归档 by the services."""
    r = make_round(u, number=7)
    add_problems(r)
    petition, _ = petitions.intake(u["zuzhang"], r, _report(), channel="letter")
    petition2, secret2 = petitions.intake(u["zuzhang"], r, _report("另一位科长"), channel="phone")
    clue = clues.create_clue(u["zuzhang"], r, clues.ClueData(person="某科员", summary="线索"))
    transferred = clues.create_clue(u["zuzhang"], r, clues.ClueData(person="某股长", summary="线索二"))
    discipline = Organization.objects.get(kind=Organization.Kind.DISCIPLINE, jurisdiction=r.jurisdiction)
    clues.dispose(u["zuzhang"], transferred, kind=Disposal.Kind.DISCIPLINE, receiver=discipline)
    inquiry = inquiries.send_inquiry(u["xcb"], r, recipient="audit", subject="审计发现问题", sent_on=TODAY)
    worklogs.add_log(u["zuyuan"], r, day=TODAY, work_type="talks", content="个别谈话", people_talked=3)
    r = to_feedback(u, r)
    issue_all(u, r)
    feedback = r.feedbacks.get()
    reports.mark_read(u["rfb_head"], feedback)
    reports.sign_feedback(u["rfb_head"], fresh(feedback), confirmed=True)
    reports.start_rectification(u["xcb"], fresh(r))
    finish_rectification(fresh(r))
    reports.archive(u["xcb"], fresh(r))
    r = fresh(r)
    assert r.stage == Round.Stage.ARCHIVED
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    return SimpleNamespace(u=u, r=r, petition=petition, petition2=petition2, secret2=secret2, clue=clue,
                           transferred=Clue.objects.get(pk=transferred.pk), inquiry=Inquiry.objects.get(pk=inquiry.pk),
                           membership=r.team.get(user=u["lianluo"]), feedback=fresh(feedback), request=request,
                           item=Item.objects.filter(feedback=feedback).first())


def counts() -> dict:
    from xuncha.audit.models import AuditEntry
    from xuncha.findings.models import OnSiteRectification, Problem
    from xuncha.rectification import models as rect
    from xuncha.reports.models import Report, ReportVersion, Review

    return {m.__name__: m.objects.count() for m in (Petition, Message, Clue, Disposal, Inquiry, TeamMembership,
                                                    Round, Review, Report, ReportVersion, Problem,
                                                    OnSiteRectification)} | {
        m.__name__: m.objects.count() for m in (rect.Plan, rect.PlanVersion, rect.Item, rect.ItemEvent, rect.Evidence,
                                                 rect.Accountability, rect.RuleMade, rect.RectReport, rect.Visit,
                                                 rect.Disclosure)} | {
        m.__name__: m.objects.count() for m in (Survey, Code, Response)} | {
        "audit": AuditEntry.objects.count()}


def test_every_write_path_refuses_on_an_archived_round(demo):
    c = archived_round(demo)
    before = counts()
    failures = []
    for name, call in WRITE_PATHS:
        try:
            with transaction.atomic():
                call(c)
        except ValidationError as exc:
            if exc.messages != [ARCHIVED_MESSAGE]:
                failures.append(f"{name}: {exc.messages}")
        except Exception as exc:      # a permission or programming error is not the freeze
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
        else:
            failures.append(f"{name}: accepted")
    assert not failures, "\n".join(failures)
    assert counts() == before


def test_archived_round_pages_refuse_writes(demo, client):
    c = archived_round(demo)
    # the reporter's follow-up page: the supplement is refused with the reason, nothing stored
    client.post(reverse("petitions:public_follow"), {"code": c.petition2.receipt_code, "secret": c.secret2})
    resp = client.post(reverse("petitions:public_follow_view"), {"text": "再补充一点"})
    assert resp.status_code == 200 and "本轮巡察已归档" in resp.content.decode()
    assert not Message.objects.filter(petition=c.petition2, kind=Message.Kind.SUPPLEMENT).exists()
    # the public form of an archived round is gone: the old link says so and gives the office's contacts
    page = client.get(reverse("petitions:public_report", args=[c.r.pk])).content.decode()
    assert "已结束受理举报" in page and 'name="content"' not in page
    # staff forms say why
    from django.test import Client

    office = Client()
    office.force_login(demo["xcb"])
    resp = office.post(reverse("reports:transition", args=[c.r.pk, "archive"]), follow=True)
    assert "本轮巡察已归档" in resp.content.decode()
    leader = Client()
    leader.force_login(demo["zuzhang"])
    resp = leader.post(reverse("reports:save_draft", args=[c.r.pk]), follow=True)
    assert "本轮巡察已归档" in resp.content.decode()
    assert timezone.localdate() >= c.r.created_at.date()
