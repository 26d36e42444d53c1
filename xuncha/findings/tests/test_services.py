"""create_problem and the other state changes: permission, numbers, checks, audit, archived rounds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from xuncha.audit.models import AuditEntry
from xuncha.files.models import StoredFile
from xuncha.findings import services
from xuncha.findings.models import Problem
from xuncha.orgs.models import Organization
from xuncha.rounds.models import Category, Round

from .conftest import png

pytestmark = pytest.mark.django_db


def test_create_numbers_audits_and_stores_evidence(make_problem, city_round):
    before = Problem.objects.filter(round=city_round).count()
    p = make_problem(evidence_files=[png()])
    assert p.number == before + 1 and p.status == Problem.Status.CONFIRMED
    assert p.amount == Decimal("120000.00") and p.amount_to_recover == Decimal("30000.00")
    assert p.created_by.username == "zuyuan"
    [f] = p.evidence.all()
    assert f.original_name == "现场照片.png" and f.kind == "png" and len(f.sha256) == 64
    entry = AuditEntry.objects.get(action="findings.create", object_id=str(p.pk))
    assert entry.actor.username == "zuyuan" and "人防工程验收把关不严" in entry.summary
    assert entry.data["evidence"] == [f.pk]
    assert make_problem().number == p.number + 1


@pytest.mark.parametrize("username", ["zuzhang", "fuzuzhang", "zuyuan", "lianluo", "xcb"])
def test_team_and_round_office_register(make_problem, username):
    assert make_problem(actor=username).created_by.username == username


@pytest.mark.parametrize("username", ["leader", "rfb", "rfb_head", "jiwei", "zuyuan2", "sq_xcb", "hy_zz"])
def test_others_may_not_register(make_problem, city_round, username):
    before = Problem.objects.filter(round=city_round).count()
    with pytest.raises(PermissionDenied):
        make_problem(actor=username)
    assert Problem.objects.filter(round=city_round).count() == before


def test_county_round_by_its_team_and_office_not_by_city_office(make_problem, county_round):
    assert make_problem(county_round, actor="sq_zz").number == 1
    assert make_problem(county_round, actor="sq_xcb").number == 2
    with pytest.raises(PermissionDenied):      # the city office reads a county round, does not write it
        make_problem(county_round, actor="xcb")


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "  "}, "请填写问题概述"),
    ({"title": "长" * 201}, "不能超过 200 字"),
    ({"amount": "十万"}, "涉及金额应填写数字"),
    ({"amount": "NaN"}, "涉及金额应填写数字"),
    ({"amount_to_recover": "-1"}, "应追缴/挽回金额不能为负数"),
    ({"source": "x"}, "问题来源无效"),
    ({"found_by": "x"}, "发现方式无效"),
    ({"severity": "x"}, "严重程度无效"),
])
def test_bad_fields_are_named_and_save_nothing(make_problem, city_round, fields, message):
    before = Problem.objects.count()
    with pytest.raises(ValidationError, match=message):
        make_problem(**fields)
    assert Problem.objects.count() == before


def test_category_of_another_taxonomy_and_unit_not_inspected_are_refused(make_problem, city_round):
    other = Category.objects.exclude(taxonomy_id=city_round.taxonomy_id).first()
    with pytest.raises(ValidationError, match="不属于本轮巡察的问题分类"):
        make_problem(category=other)
    with pytest.raises(ValidationError, match="本轮被巡察单位"):
        make_problem(responsible_unit=Organization.objects.get(name="安康市住房和城乡建设局"))


def test_bad_evidence_saves_nothing(make_problem, city_round, media):
    before, files = Problem.objects.count(), StoredFile.objects.count()
    bad = SimpleUploadedFile("脚本.png", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(ValidationError, match="脚本.png"):
        make_problem(evidence_files=[png(), bad])
    assert Problem.objects.count() == before and StoredFile.objects.count() == files
    assert not [f for f in media.rglob("*") if f.is_file()]       # not even a stray file on disk


def test_archived_round_is_frozen(make_problem, city_round, demo):
    p = make_problem()
    Round.objects.filter(pk=city_round.pk).update(stage=Round.Stage.ARCHIVED)
    for call in (lambda: make_problem(),
                 lambda: services.update_problem(demo["zuyuan"], p, title="新"),
                 lambda: services.add_evidence(demo["zuyuan"], p, [png()]),
                 lambda: services.withdraw_problem(demo["zuzhang"], p, reason="理由")):
        with pytest.raises(ValidationError, match="已归档"):
            call()


def test_unknown_extra_is_a_programming_error(make_problem):
    with pytest.raises(TypeError):
        make_problem(no_such_field=1)


def test_update_audits_each_change(make_problem, demo):
    p = make_problem()
    services.update_problem(demo["zuyuan"], p, title="验收把关不严（修改）", amount="150000")
    p.refresh_from_db()
    assert p.title == "验收把关不严（修改）" and p.amount == Decimal("150000.00")
    entry = AuditEntry.objects.filter(action="findings.update", object_id=str(p.pk)).get()
    assert entry.data["changes"]["amount"] == ["120000.00", "150000.00"]
    assert "问题概述" in entry.summary and "涉及金额" in entry.summary
    with pytest.raises(PermissionDenied):
        services.update_problem(demo["rfb"], p, title="单位改的")


def test_withdraw_needs_reason_and_a_leader(make_problem, demo):
    p = make_problem()
    with pytest.raises(PermissionDenied):
        services.withdraw_problem(demo["zuyuan"], p, reason="核实不属实")
    with pytest.raises(ValidationError, match="撤销理由"):
        services.withdraw_problem(demo["zuzhang"], p, reason=" ")
    services.withdraw_problem(demo["zuzhang"], p, reason="经核实不属实")
    p.refresh_from_db()
    assert p.status == Problem.Status.WITHDRAWN and p.withdrawn_reason == "经核实不属实"
    assert p.withdrawn_by.username == "zuzhang"
    assert AuditEntry.objects.filter(action="findings.withdraw", object_id=str(p.pk)).exists()
    with pytest.raises(ValidationError, match="已撤销"):
        services.update_problem(demo["zuyuan"], p, title="再改")
    with pytest.raises(ValidationError, match="已撤销"):
        services.withdraw_problem(demo["xcb"], p, reason="再撤")


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_gapless_numbers(demo, county_round):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("threads need a file or server database (test_concurrent_numbers_on_sqlite_file)")
    errors, barrier = [], threading.Barrier(6)

    def work():
        try:
            barrier.wait()
            services.create_problem(round_=county_round, actor=demo["sq_zz"], source=Problem.Source.MANUAL,
                                    found_by=Problem.FoundBy.TALK, title="并发登记")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(Problem.objects.filter(round=county_round).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


SQLITE_SCRIPT = r"""
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from xuncha.core import demo
demo.load()
from xuncha.findings import services
from xuncha.findings.models import Problem
from xuncha.orgs.models import User
from xuncha.rounds.models import Round
round_ = Round.objects.get(jurisdiction__name="石泉县", year=2026, number=1)
actor = User.objects.get(username="sq_zz")
barrier = threading.Barrier(8)
errors = []
def work():
    try:
        barrier.wait()
        services.create_problem(round_=round_, actor=actor, source="manual", found_by="talk", title="并发")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print("ERRORS", errors)
print("NUMBERS", sorted(Problem.objects.filter(round=round_).values_list("number", flat=True)))
"""


def test_concurrent_numbers_on_sqlite_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(XUNCHA_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="xuncha.test_settings",
               DJANGO_ALLOW_ASYNC_UNSAFE="true")
    result = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT], env=env, capture_output=True, text=True,
                            timeout=300, cwd=Path(__file__).resolve().parents[3])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ERRORS []" in result.stdout, result.stdout
    assert "NUMBERS [1, 2, 3, 4, 5, 6, 7, 8]" in result.stdout, result.stdout


# ---- problems and clues ---------------------------------------------------------------------------

def test_problem_to_clue_goes_through_the_clue_rules(make_problem, demo, city_round):
    from xuncha.clues.models import Clue

    p = make_problem()
    before = Clue.objects.count()
    with pytest.raises(ValidationError, match="请填写涉及人员或单位"):        # the clue ledger's own check
        services.problem_to_clue(demo["zuyuan"], p, person=" ")
    assert Clue.objects.count() == before and Problem.objects.get(pk=p.pk).referred_clue_id is None
    clue = services.problem_to_clue(demo["zuyuan"], p, person="王某", position="科长", level="general")
    assert clue.source == Clue.Source.INSPECTION and clue.number >= 1 and clue.code.startswith("安康市XS2026-1-")
    assert clue.category == p.category and "人防工程验收把关不严" in clue.summary
    assert Problem.objects.get(pk=p.pk).referred_clue == clue and clue.from_problem == Problem.objects.get(pk=p.pk)
    assert AuditEntry.objects.filter(action="clues.create", object_id=str(clue.pk)).exists()
    assert AuditEntry.objects.filter(action="findings.to_clue", object_id=str(p.pk)).exists()
    with pytest.raises(ValidationError, match="已转为问题线索"):
        services.problem_to_clue(demo["zuyuan"], p, person="王某")


def test_data_problem_becomes_a_crosscheck_clue(make_problem, demo):
    from xuncha.clues.models import Clue

    p = make_problem(source=Problem.Source.SUSPICION, found_by=Problem.FoundBy.DATA, rule_code="R03")
    clue = services.problem_to_clue(demo["zuzhang"], p, person="某房地产公司")
    assert clue.source == Clue.Source.CROSSCHECK and clue.rule_code == "R03" and clue.amount == Decimal("120000.00")


def test_withdrawn_problem_is_not_turned_into_a_clue(make_problem, demo):
    p = make_problem()
    services.withdraw_problem(demo["zuzhang"], p, reason="不属实")
    with pytest.raises(ValidationError, match="已撤销"):
        services.problem_to_clue(demo["zuyuan"], p, person="某")
    with pytest.raises(PermissionDenied):
        services.problem_to_clue(demo["jiwei"], make_problem(), person="某")


def test_problem_from_clue(demo, city_round, county_round):
    from xuncha.clues import services as clue_services

    clue = clue_services.create_clue(demo["zuzhang"], city_round, clue_services.ClueData(person="某", summary="x"))
    p = services.problem_from_clue(demo["zuyuan"], clue, title="线索查实的问题")
    assert p.source == Problem.Source.CLUE and p.source_clue == clue and p.round == city_round
    assert list(clue.problems.all()) == [p]
    with pytest.raises(ValidationError, match=f"已形成问题{p.number}"):
        services.problem_from_clue(demo["zuyuan"], clue, title="再来")
    services.withdraw_problem(demo["zuzhang"], p, reason="合并")
    assert services.problem_from_clue(demo["zuyuan"], clue, title="重新形成").source_clue == clue
    other = clue_services.create_clue(demo["sq_zz"], county_round, clue_services.ClueData(person="某", summary="y"))
    with pytest.raises(Exception) as exc:          # a clue of a round he cannot see: not found
        services.problem_from_clue(demo["zuyuan"], other, title="越权")
    assert type(exc.value).__name__ in ("Http404", "PermissionDenied")
    assert not Problem.objects.filter(title="越权").exists()
