"""Item 1: data files uploaded in a round, import errors named, the check run as a background job."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from xuncha.crosscheck import decisions, services
from xuncha.crosscheck.models import CheckRun, DataFile, Suspicion
from xuncha.crosscheck_engine.runner import run_check

from .conftest import AS_OF, BROKEN, BROKEN_COLUMN, BROKEN_ROW, upload, uploads, work_queue

pytestmark = pytest.mark.django_db


def test_broken_file_is_named_then_fixed_file_runs(demo, media, city_round, messy_dir):
    zuyuan = demo["zuyuan"]
    files = services.upload_files(zuyuan, city_round, uploads(messy_dir, broken=True))
    broken = [f for f in files if f.status == DataFile.Status.ERROR]
    assert [f.name for f in broken] == [BROKEN]
    [err] = broken[0].errors
    assert (err["file"], err["row"], err["column"]) == (BROKEN, BROKEN_ROW, BROKEN_COLUMN)
    assert err["expected"] and err["value"] == "四千元整"
    with pytest.raises(ValidationError, match=BROKEN):
        services.start_run(zuyuan, city_round, as_of=AS_OF)
    [fixed] = services.upload_files(zuyuan, city_round, [upload(messy_dir / BROKEN)])
    assert fixed.status == DataFile.Status.OK and fixed.rows > 0
    assert not DataFile.objects.get(pk=broken[0].pk).active
    run = services.start_run(zuyuan, city_round, as_of=AS_OF)
    assert run.status == CheckRun.Status.QUEUED and run.task_id
    work_queue()
    run.refresh_from_db()
    assert run.status == CheckRun.Status.SUCCEEDED, run.message
    assert run.percent == 100
    # the run is kept with who, when, each file with size and SHA-256, the policy, the engine version
    expected = run_check(messy_dir, None, AS_OF)
    assert run.hits == len(expected.hits) == run.suspicions.count() > 0
    by_name = {f["name"]: f for f in run.files}
    assert set(by_name) == {p.name for p in messy_dir.iterdir()}
    data = (messy_dir / BROKEN).read_bytes()
    assert by_name[BROKEN]["sha256"] == hashlib.sha256(data).hexdigest()
    assert by_name[BROKEN]["size"] == len(data)
    assert run.created_by == zuyuan and run.started_at and run.finished_at
    assert "[shelter]" in run.policy_toml and len(run.policy_sha256) == 64
    assert run.engine_version.startswith("xuncha ")
    counts = {c["rule"]: c["hits"] for c in run.rule_counts}
    assert counts == {s.rule: s.hits for s in expected.stats}
    # the 疑点清单 workbook is left to the first export (services.run_workbook; tests in test_pages)
    assert run.workbook is None and run.has_workbook


def test_an_error_across_files_fails_the_run_with_every_error(demo, media, city_round, messy_dir):
    zuyuan = demo["zuyuan"]
    services.upload_files(zuyuan, city_round, uploads(messy_dir))
    # the same receipts twice under another name: every key is repeated across the two files
    services.upload_files(zuyuan, city_round, [upload(messy_dir / "fee_receipts.csv", None)])
    dup = (messy_dir / "fee_receipts.csv").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.upload_files(zuyuan, city_round, [SimpleUploadedFile("fee_receipts_copy.csv", dup)])
    run = services.start_run(zuyuan, city_round, as_of=AS_OF)
    work_queue()
    run.refresh_from_db()
    assert run.status == CheckRun.Status.FAILED
    assert run.errors and all("重复" in e["message"] for e in run.errors)
    assert not run.suspicions.exists()


def test_job_cpu_counts_the_engines_worker_processes(demo, media, city_round, messy_dir, monkeypatch):
    """The job's recorded CPU seconds include the processes the engine starts (its name-parsing workers
    on large data): a child process spending 0.5 CPU seconds is in ``timings["cpu"]["job"]``."""
    from xuncha.crosscheck import jobs

    engine = jobs.run_check

    def with_a_worker_process(*args, **kwargs):
        subprocess.run([sys.executable, "-c", "import time\nwhile time.process_time() < 0.5:\n    pass\n"],
                       check=True)
        return engine(*args, **kwargs)

    monkeypatch.setattr(jobs, "run_check", with_a_worker_process)
    services.upload_files(demo["zuyuan"], city_round, uploads(messy_dir))
    run = services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)
    work_queue()
    run.refresh_from_db()
    assert run.status == CheckRun.Status.SUCCEEDED, run.message
    cpu = run.timings["cpu"]
    assert cpu["job"] >= 0.5 + cpu["total"] + cpu["save"]


def test_only_one_run_at_a_time_and_files_required(demo, media, city_round, messy_dir):
    with pytest.raises(ValidationError, match="还没有上传数据文件"):
        services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)
    services.upload_files(demo["zuyuan"], city_round, uploads(messy_dir))
    services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)
    with pytest.raises(ValidationError, match="排队或运行"):
        services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)


def test_rerun_keeps_decisions_flags_changes_lists_vanished(demo, media, city_round, messy_dir, tmp_path):
    zuyuan, zuzhang = demo["zuyuan"], demo["zuzhang"]
    services.upload_files(zuyuan, city_round, uploads(messy_dir))
    run1 = services.start_run(zuyuan, city_round, as_of=AS_OF)
    work_queue()
    sus = list(run1.suspicions.order_by("finding_no"))
    a, b = sus[0], sus[1]
    decisions.confirm(zuyuan, a)
    decisions.dismiss(zuyuan, b, reason="已补缴，有票据")
    # same data again: both decisions kept
    run2 = services.start_run(zuyuan, city_round, as_of=AS_OF)
    work_queue()
    a2, b2 = (run2.suspicions.get(key=x.key) for x in (a, b))
    assert (a2.status, a2.change, a2.problem_id) == (Suspicion.Status.CONFIRMED, Suspicion.Change.UNCHANGED,
                                                     a1_problem(a))
    assert (b2.status, b2.reason) == (Suspicion.Status.DISMISSED, "已补缴，有票据")
    assert not decisions.vanished(run2).exists()
    # a decision on the older run is refused
    with pytest.raises(ValidationError, match="最新一次比对"):
        decisions.dismiss(zuzhang, run1.suspicions.filter(status="open").first(), reason="x")
    assert run2.suspicions.filter(change=Suspicion.Change.UNCHANGED).count() == run2.suspicions.count()


def a1_problem(s: Suspicion):
    return Suspicion.objects.get(pk=s.pk).problem_id


def _add(run, no, primary, amount):
    from xuncha.crosscheck.jobs import fingerprint

    key, fp = fingerprint("R05", primary, amount)
    return Suspicion.objects.create(run=run, round=run.round, finding_no=no, rule="R05", title="缓缴到期未缴",
                                    category="RF-YD", amount=amount, summary=f"{primary} {amount}",
                                    primary_record=primary, key=key, fingerprint=fp)


def test_carry_over_keeps_unchanged_flags_changed_lists_vanished(demo, city_round):
    from .records import suspicion

    zuyuan = demo["zuyuan"]
    run1 = suspicion(city_round).run
    run1.suspicions.all().delete()
    same, moved, gone = (_add(run1, 1, "approvals:A-1", 1000), _add(run1, 2, "approvals:A-2", 2000),
                         _add(run1, 3, "approvals:A-3", 3000))
    decisions.confirm(zuyuan, same)
    decisions.dismiss(zuyuan, moved, reason="已核实")
    decisions.dismiss(zuyuan, gone, reason="已核实")
    run2 = suspicion(city_round).run
    run2.suspicions.all().delete()
    # the same record written with a full-width letter and a space is the same 疑点
    _add(run2, 1, "approvals:Ａ-1 ", 1000)
    _add(run2, 2, "approvals:A-2", 2500)
    _add(run2, 3, "approvals:A-9", 10)
    decisions.carry_over(run2)
    a, b, c = run2.suspicions.order_by("finding_no")
    assert (a.status, a.change, a.problem_id, a.previous_id) == ("confirmed", "unchanged",
                                                                 Suspicion.objects.get(pk=same.pk).problem_id, same.pk)
    assert (b.status, b.change, b.previous_id) == ("open", "changed", moved.pk)
    assert (c.status, c.change, c.previous_id) == ("open", "new", None)
    assert list(decisions.vanished(run2)) == [gone]
