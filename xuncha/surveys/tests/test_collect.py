"""Templates, codes, online answers, paper entry and the work log, through the services."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from xuncha.orgs.models import LeadershipMember
from xuncha.rounds.models import WorkLog
from xuncha.surveys import builtin, collect, services
from xuncha.surveys.models import Answer, Code, Question, Response, Survey, Throttle

from .conftest import build, first_options, request_from, template


def test_shipped_templates_are_loaded_by_the_migration(db):
    titles = set(Survey.objects.filter(builtin=True, round__isnull=True).values_list("title", flat=True))
    assert titles == {"人防系统专项巡察工作问卷调查", "专项巡察征求意见表", "专项巡察民主测评表", "人防宣传知晓率调查"}
    evaluation = template("RF-CP")
    assert all(q.options == ["好", "较好", "一般", "差"] for q in evaluation.questions.all())
    assert evaluation.questions.filter(per_member=True).count() == 1
    awareness = template("RF-ZX")
    assert awareness.questions.first().positive == [0]


def test_reload_restores_a_changed_shipped_template(demo):
    t = template("RF-ZX")
    t.questions.first().delete()
    t.title = "改坏了"
    t.save()
    assert services.reload_builtin(demo["xcb"]) == len(builtin.BUILTIN)
    t = template("RF-ZX")
    assert t.title == "人防宣传知晓率调查" and t.questions.count() == 6
    with pytest.raises(PermissionDenied):
        services.reload_builtin(demo["zuzhang"])


def test_office_copies_and_edits_a_template_but_not_the_shipped_one(demo):
    xcb = demo["xcb"]
    shipped = template("RF-WJ")
    with pytest.raises(PermissionDenied):
        services.save_question(xcb, Question(survey=shipped, text="新题", kind="text"))
    copy = services.copy_template(xcb, shipped)
    assert copy.jurisdiction_id == xcb.organization.jurisdiction_id and copy.questions.count() == 5
    opts, positive = services.parse_options("*非常满意\n*满意\n不满意\n")
    q = services.save_question(xcb, Question(survey=copy, text="总体满意度", kind="rating", options=opts,
                                             positive=positive))
    assert q.order == 6 and q.positive == [0, 1]
    with pytest.raises(ValidationError, match="至少要有两个选项"):
        services.save_question(xcb, Question(survey=copy, text="单选", kind="single", options=["只有一个"]))
    # another county's office cannot touch it
    with pytest.raises(PermissionDenied):
        services.save_question(demo["sq_xcb"], Question(survey=copy, text="x", kind="text"))


def test_evaluation_expands_the_leadership_roster(demo, onsite):
    survey = build(demo, onsite, "RF-CP", open_=False)
    members = list(LeadershipMember.objects.filter(organization__in=onsite.targets.all()))
    assert members
    texts = list(survey.questions.values_list("text", flat=True))
    assert texts[:2] == ["领导班子总体评价", "领导班子落实全面从严治党主体责任情况"]
    assert texts[2:] == [f"{m.name}（{m.posts}）" for m in members]
    assert not survey.questions.filter(per_member=True).exists()


def test_the_same_codes_form_twice_prints_one_batch(demo, onsite):
    survey = build(demo, onsite, "RF-ZX")
    services.issue_codes(demo["zuzhang"], survey, 3, token="form-token-1")
    with pytest.raises(ValidationError, match="第 1 批问卷条已经生成过"):
        services.issue_codes(demo["zuzhang"], survey, 3, token="form-token-1")
    assert Code.objects.filter(survey=survey).count() == 3
    batch, _ = services.issue_codes(demo["zuzhang"], survey, 2, token="form-token-2")
    assert batch == 2 and Code.objects.filter(survey=survey).count() == 5


def test_one_code_one_answer(demo, onsite):
    survey = build(demo, onsite, "RF-ZX")
    batch, codes = services.issue_codes(demo["zuzhang"], survey, 3)
    assert batch == 1 and len(set(codes)) == 3
    # only hashes are stored
    assert not Code.objects.filter(digest__in=codes).exists()
    assert Code.objects.filter(survey=survey, used_on__isnull=True).count() == 3
    req = request_from()
    answers = first_options(survey)
    r = collect.submit_online(req, codes[0].lower(), answers, group="社区居民")
    assert r.channel == "online" and r.received_on == date.today() or r.received_on
    assert Answer.objects.filter(response=r).count() == len(answers)
    with pytest.raises(collect.CodeRefused, match="已经使用过"):
        collect.submit_online(req, services.show_code(codes[0]), answers)
    with pytest.raises(collect.CodeRefused, match="不存在"):
        collect.submit_online(req, "ABCDEFGHJK", answers)
    assert Response.objects.filter(survey=survey).count() == 1
    # nothing in the answer points back to the code or the address
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"code", "ip", "user", "created_at"}


def test_half_filled_form_stores_nothing_and_keeps_the_code(demo, onsite):
    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 1)
    answers = first_options(survey)
    answers.pop(next(iter(answers)))
    with pytest.raises(ValidationError, match="第1题为必答题"):
        collect.submit_online(request_from(), codes[0], answers)
    assert not Response.objects.exists()
    assert Code.objects.get(survey=survey).used_on is None
    collect.submit_online(request_from(), codes[0], first_options(survey))
    assert Response.objects.count() == 1


def test_closed_draft_and_voided_codes_are_refused(demo, onsite):
    survey = build(demo, onsite, "RF-ZX", open_=False)
    _, codes = services.issue_codes(demo["zuzhang"], survey, 2)
    with pytest.raises(collect.CodeRefused, match="尚未开始"):
        collect.find_code(request_from(), codes[0])
    services.set_status(demo["zuzhang"], survey, Survey.Status.OPEN)
    assert collect.find_code(request_from(), codes[0]) == survey
    services.void_batch(demo["zuzhang"], survey, 1)
    with pytest.raises(collect.CodeRefused, match="已作废"):
        collect.find_code(request_from(), codes[0])
    _, more = services.issue_codes(demo["zuzhang"], survey, 1)
    services.set_status(demo["zuzhang"], survey, Survey.Status.CLOSED)
    with pytest.raises(collect.CodeRefused, match="已结束"):
        collect.find_code(request_from(), more[0])


def test_a_flood_of_bad_codes_from_one_address_is_stopped(demo, onsite):
    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 1)
    flood = request_from("10.9.9.9")
    for i in range(collect.BAD_LIMIT[0]):
        with pytest.raises(collect.CodeRefused):
            collect.find_code(flood, f"WRONG{i:05d}")
    with pytest.raises(collect.RateLimited):
        collect.find_code(flood, codes[0])
    with pytest.raises(collect.RateLimited):
        collect.submit_online(flood, codes[0], first_options(survey))
    # another address is not affected; the valid code still works for it
    collect.submit_online(request_from("10.9.9.10"), codes[0], first_options(survey))
    assert Response.objects.count() == 1
    # the throttle keeps a keyed hash, not the address
    assert not Throttle.objects.filter(key__contains="10.9.9.9").exists()


def test_a_meeting_room_behind_one_address_answers_freely_and_leaves_no_trace(demo, onsite):
    """39 forms from one router (seed 000: 白河 returned 39): all accepted; an accepted answer leaves no
    address or time anywhere (the throttle counts refused tries only)."""
    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 39)
    room = request_from("10.7.7.7")
    for c in codes:
        collect.submit_online(room, c, first_options(survey))
    assert Response.objects.count() == 39 and not Code.objects.filter(used_on__isnull=True).exists()
    assert not Throttle.objects.exists()


def test_paper_entry_twice_with_one_token_counts_once(demo, onsite):
    survey = build(demo, onsite, "RF-CP")
    answers = first_options(survey, pick=1)
    r1, created1 = collect.enter_paper(demo["zuyuan"], survey, answers, group="中层干部", token="t" * 20)
    r2, created2 = collect.enter_paper(demo["zuyuan"], survey, answers, group="中层干部", token="t" * 20)
    assert created1 and not created2 and r1.pk == r2.pk
    assert Response.objects.filter(survey=survey, channel="paper").count() == 1
    with pytest.raises(PermissionDenied):
        collect.enter_paper(demo["rfb"], survey, answers, group="", token="u" * 20)
    with pytest.raises(ValidationError, match="不在本问卷的类别"):
        collect.enter_paper(demo["zuyuan"], survey, answers, group="外星人", token="v" * 20)


def test_questions_are_frozen_once_collection_starts(demo, onsite):
    survey = build(demo, onsite, "RF-ZX")
    with pytest.raises(ValidationError, match="不能再修改题目"):
        services.save_question(demo["zuzhang"], survey.questions.first())


def test_work_log_gets_the_forms_issued_and_returned_once(demo, onsite):
    survey = build(demo, onsite, "RF-WJ")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 5)
    for c in codes[:3]:
        collect.submit_online(request_from(), c, first_options(survey))
    log = services.log_to_worklog(demo["zuyuan"], survey, day=date(2027, 3, 5))
    assert (log.work_type, log.forms_issued, log.forms_returned) == (WorkLog.WorkType.SURVEY, 5, 3)
    with pytest.raises(ValidationError, match="没有新发放或收回"):
        services.log_to_worklog(demo["zuyuan"], survey, day=date(2027, 3, 5))
    collect.submit_online(request_from(), codes[3], first_options(survey))
    with pytest.raises(ValidationError, match="多于新发放"):
        services.log_to_worklog(demo["zuyuan"], survey, day=date(2027, 3, 6))
    services.set_paper_issued(demo["zuyuan"], survey, 2)
    log2 = services.log_to_worklog(demo["zuyuan"], survey, day=date(2027, 3, 6))
    assert (log2.forms_issued, log2.forms_returned) == (2, 1)
    assert sum(WorkLog.objects.filter(round=onsite).values_list("forms_returned", flat=True)) == 4
    with pytest.raises(PermissionDenied):
        services.log_to_worklog(demo["xcb"], survey, day=date(2027, 3, 6))


@pytest.mark.django_db(transaction=True)
def test_two_phones_sending_one_code_at_once_store_one_answer(demo_tx):
    """Concurrency: on PostgreSQL the row lock serialises them; on SQLite the write lock does."""
    u, survey, codes = demo_tx
    barrier = threading.Barrier(2)
    outcomes = []

    def send(ip):
        try:
            barrier.wait(5)
            collect.submit_online(request_from(ip), codes[0], first_options(survey))
            outcomes.append("ok")
        except collect.CodeRefused as exc:
            outcomes.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - SQLite may say "database is locked": still not counted twice
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(f"10.0.0.{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert Response.objects.filter(survey=survey).count() == 1
    assert Code.objects.filter(survey=survey, used_on__isnull=False).count() == 1


@pytest.fixture
def demo_tx(transactional_db):
    from xuncha.core import demo as demo_module
    from xuncha.orgs.models import User
    from xuncha.reports.tests.conftest import make_round

    from .conftest import restore_builtin

    restore_builtin()
    demo_module.load()
    u = {x.username: x for x in User.objects.select_related("organization__jurisdiction")}
    r = make_round(u)
    survey = build(u, r, "RF-ZX")
    _, codes = services.issue_codes(u["zuzhang"], survey, 1)
    return u, survey, codes
