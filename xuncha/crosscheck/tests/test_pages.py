"""Pages of 数据比对: upload with errors shown by file/row/column/expected, run page, 疑点 list with
filters, sort and paging, side-by-side evidence, 核实 from the page, dossier, export, policies."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.crosscheck import decisions, selectors, services
from xuncha.crosscheck.models import CheckPolicy, CheckRun, Suspicion
from xuncha.findings.models import Problem

from .conftest import AS_OF, BROKEN, BROKEN_COLUMN, BROKEN_ROW, uploads, work_queue

pytestmark = pytest.mark.django_db


def test_upload_page_names_the_error_and_run_starts(client_as, media, city_round, messy_dir):
    c = client_as("zuyuan")
    url = reverse("crosscheck:round", args=[city_round.pk])
    resp = c.post(url, {"upload": "1", "files": uploads(messy_dir, broken=True)}, follow=True)
    page = resp.content.decode()
    assert resp.status_code == 200 and f"{BROKEN} 的错误" in page
    assert f"<td>{BROKEN}</td><td class=\"num\">{BROKEN_ROW}</td><td>{BROKEN_COLUMN}</td>" in page
    resp = c.post(url, {"run": "1", "as_of": AS_OF.isoformat()}, follow=True)
    assert "有错误" in resp.content.decode() and not CheckRun.objects.exists()
    from .conftest import upload

    c.post(url, {"upload": "1", "files": [upload(messy_dir / BROKEN)]})
    resp = c.post(url, {"run": "1", "as_of": AS_OF.isoformat()})
    run = CheckRun.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("crosscheck:run", args=[run.pk])
    page = c.get(resp["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    work_queue()
    progress = c.get(reverse("crosscheck:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true" and "100%" in progress.content.decode()
    page = c.get(reverse("crosscheck:run", args=[run.pk])).content.decode()
    assert "every 1s" not in page and run.files[0]["sha256"] in page


def test_suspicion_list_filters_sort_and_paging(client_as, finished_run):
    c = client_as("zuyuan")
    url = reverse("crosscheck:suspicions", args=[finished_run.pk])
    all_ = finished_run.suspicions.all()
    rule = all_.values_list("rule", flat=True).first()
    resp = c.get(url, {"rule": rule})
    assert resp.context["page"].paginator.count == all_.filter(rule=rule).count()
    resp = c.get(url, {"sort": "amount_desc"})
    amounts = [s.amount for s in resp.context["page"]]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] == max(s.amount for s in all_)
    resp = c.get(url, {"min": "100000", "max": "500000"})
    assert all(100000 <= s.amount <= 500000 for s in resp.context["page"].object_list)
    assert resp.context["page"].paginator.count == all_.filter(amount__gte=100000, amount__lte=500000).count()
    county = all_.exclude(county="").values_list("county", flat=True).first()
    resp = c.get(url, {"county": county})
    assert resp.context["page"].paginator.count == all_.filter(county__contains=county).count()
    cat = all_.values_list("category", flat=True).first()
    assert c.get(url, {"category": cat}).context["page"].paginator.count == all_.filter(category=cat).count()
    assert c.get(url, {"status": "confirmed"}).context["page"].paginator.count == 0
    assert len(c.get(url).context["page"].object_list) == min(50, all_.count())
    if all_.count() > 50:
        assert len(c.get(url, {"page": 2}).context["page"].object_list) == min(50, all_.count() - 50)
    resp = c.get(url, {"min": "abc"})
    assert resp.status_code == 200 and resp.context["page"].paginator.count == all_.count()


def test_evidence_side_by_side_and_decisions_from_the_page(client_as, finished_run, demo):
    c = client_as("zuyuan")
    s = finished_run.suspicions.filter(rule="R03").first() or finished_run.suspicions.first()
    page = c.get(reverse("crosscheck:suspicion", args=[s.pk])).content.decode()
    evidence = selectors.evidence_of(s)
    assert s.line_at is not None and not s.evidence   # read from the run's findings.jsonl
    assert evidence["rows"] and all(f"<th>{k}</th>" in page for k in evidence["facts"])
    for row in evidence["rows"]:
        assert f"{row['file']} 第{row['row']}行" in page and row["match"] in page
    resp = c.post(reverse("crosscheck:decide", args=[s.pk, "dismiss"]), {"reason": ""}, follow=True)
    assert "须填写理由" in resp.content.decode()
    c.post(reverse("crosscheck:decide", args=[s.pk, "confirm"]), {"title": "", "description": ""})
    s.refresh_from_db()
    problem = s.problem
    assert s.status == Suspicion.Status.CONFIRMED and problem.source == Problem.Source.SUSPICION
    assert problem.amount == s.amount and problem.rule_code == s.rule and problem.evidence.count() == 1 and s.summary in problem.description
    assert problem.category is not None and problem.category == decisions.default_category(s)
    assert problem.category.code == decisions.IN_RF9[s.category]   # the demo round uses 三大类9种问题
    # a member may not reopen; the team leader may, and the problem is withdrawn
    assert c.post(reverse("crosscheck:decide", args=[s.pk, "reopen"])).status_code == 403
    s.refresh_from_db()
    assert s.status == Suspicion.Status.CONFIRMED
    client_as("zuzhang").post(reverse("crosscheck:decide", args=[s.pk, "reopen"]))
    s.refresh_from_db()
    problem.refresh_from_db()
    assert s.status == Suspicion.Status.OPEN and problem.status == Problem.Status.WITHDRAWN
    # to a clue, linked both ways
    c.post(reverse("crosscheck:decide", args=[s.pk, "clue"]))
    s.refresh_from_db()
    assert s.clue.source == "crosscheck" and s.clue.rule_code == s.rule and s.clue.amount == s.amount
    assert list(s.clue.suspicions.all()) == [s]
    clue_page = c.get(reverse("clues:detail", args=[s.clue.pk])).content.decode()
    assert reverse("crosscheck:suspicion", args=[s.pk]) in clue_page


def test_bulk_confirm_and_dismiss_all_or_nothing(client_as, finished_run):
    c = client_as("zuyuan")
    url = reverse("crosscheck:bulk", args=[finished_run.pk])
    ids = list(finished_run.suspicions.order_by("finding_no").values_list("pk", flat=True)[:4])
    c.post(url, {"ids": ids[:2], "action": "dismiss", "reason": ""})
    assert not finished_run.suspicions.exclude(status="open").exists()
    c.post(url, {"ids": ids[:2], "action": "dismiss", "reason": "属同一笔已核实的款项"})
    assert finished_run.suspicions.filter(status="dismissed").count() == 2
    # one already decided in the batch: nothing of the batch is changed
    c.post(url, {"ids": ids[1:4], "action": "confirm"})
    assert finished_run.suspicions.filter(status="confirmed").count() == 0
    c.post(url, {"ids": ids[2:4], "action": "confirm"})
    assert finished_run.suspicions.filter(status="confirmed").count() == 2
    assert Problem.objects.filter(round=finished_run.round, source=Problem.Source.SUSPICION).count() == 2


def test_dossier_timeline_totals_and_suspicions(client_as, finished_run):
    c = client_as("zuyuan")
    s = next(x for x in finished_run.suspicions.order_by("finding_no") if any(e.startswith("P") for e in x.entities))
    project = next(e for e in s.entities if e.startswith("P"))
    resp = c.get(reverse("crosscheck:dossier", args=[finished_run.pk, project]))
    assert resp.status_code == 200
    d = resp.context["d"]
    assert s.pk in [x.pk for x in d["suspicions"]]
    dates = [e["date"] for e in d["events"]]
    assert dates == sorted(dates) and d["events"]
    t = d["totals"]
    assert t["gap"] == round(t["due"] - t["waiver"] - t["paid"], 2)
    search = c.get(reverse("crosscheck:dossier_search", args=[finished_run.pk]), {"q": d["name"][:4]})
    assert any(r["id"] == project for r in search.context["results"])
    assert c.get(reverse("crosscheck:dossier", args=[finished_run.pk, "P999999"])).status_code == 404
    builder = c.get(reverse("crosscheck:dossier", args=[finished_run.pk, d["company_id"]]))
    assert builder.status_code == 200 and builder.context["d"]["kind"] == "单位" and builder.context["d"]["events"]


def test_run_database_holds_only_the_tables_the_pages_read(finished_run):
    """The job has the engine write only ``jobs.RUN_TABLES`` (the dossier above and the 疑点's companies and
    projects work from them); the engine's other tables are not written."""
    import duckdb

    from xuncha.crosscheck import jobs

    con = duckdb.connect(str(selectors.database(finished_run)), read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    assert names == jobs.RUN_TABLES
    assert finished_run.suspicions.exclude(entities=[]).exists()


def test_export_is_the_runs_workbook_made_on_the_first_export(client_as, finished_run, messy_dir, tmp_path):
    """The job does not write the 疑点清单; the first export makes it from the run's output — the very bytes
    the command line writes for the same data — keeps it, and later exports hand out the same file."""
    from xuncha.audit.models import AuditEntry
    from xuncha.crosscheck_engine.output import WORKBOOK
    from xuncha.crosscheck_engine.runner import run_check

    from .conftest import AS_OF

    assert finished_run.workbook is None
    resp = client_as("zuyuan").get(reverse("crosscheck:export", args=[finished_run.pk]))
    data = b"".join(resp.streaming_content)
    assert resp.status_code == 200 and len(load_workbook(io.BytesIO(data)).sheetnames) > 1
    finished_run.refresh_from_db()
    kept = finished_run.workbook
    assert kept is not None and kept.size == len(data)
    assert AuditEntry.objects.filter(action="crosscheck.workbook", object_id=str(finished_run.pk)).count() == 1
    # the same data through the command line's path: the same workbook, byte for byte
    policy = tmp_path / "policy.toml"
    policy.write_text(finished_run.policy_toml, encoding="utf-8")
    run_check(messy_dir, policy, AS_OF, tmp_path / "cli")
    assert (tmp_path / "cli" / WORKBOOK).read_bytes() == data
    again = client_as("xcb").get(reverse("crosscheck:export", args=[finished_run.pk]))
    assert b"".join(again.streaming_content) == data
    finished_run.refresh_from_db()
    assert finished_run.workbook_id == kept.pk
    assert AuditEntry.objects.filter(action="crosscheck.workbook", object_id=str(finished_run.pk)).count() == 1


def test_export_of_a_run_whose_output_is_gone_says_so(client_as, finished_run):
    import shutil

    from xuncha.crosscheck.selectors import run_folder

    shutil.rmtree(run_folder(finished_run) / "out")
    resp = client_as("zuyuan").get(reverse("crosscheck:export", args=[finished_run.pk]), follow=True)
    assert resp.status_code == 200
    assert "结果文件已不在" in resp.content.decode()
    finished_run.refresh_from_db()
    assert finished_run.workbook is None


def test_export_of_a_run_whose_result_file_was_altered_says_so(client_as, finished_run):
    """The summary sheet comes from result.json: altered after the run, it is refused like findings.jsonl."""
    import json

    from xuncha.crosscheck.selectors import run_folder
    from xuncha.crosscheck_engine.output import RESULT

    path = run_folder(finished_run) / "out" / RESULT
    done = json.loads(path.read_text(encoding="utf-8"))
    done["tables"]["permits"] += 1
    path.write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")
    resp = client_as("zuyuan").get(reverse("crosscheck:export", args=[finished_run.pk]), follow=True)
    assert resp.status_code == 200 and "已损坏或被改动" in resp.content.decode()
    finished_run.refresh_from_db()
    assert finished_run.workbook is None


def test_policy_form_validates_every_field_and_runs_record_it(client_as, demo, media, city_round, messy_dir):
    c = client_as("xcb")
    initial = c.get(reverse("crosscheck:policy_new")).context["form"].initial
    data = {k: ("on" if v is True else v) for k, v in initial.items() if v is not False}
    data["year"] = AS_OF.year
    bad = dict(data, shelter_ratio="1.5", fee_rates="2015-01-01 x", waiver_eligible="廉租住房 2",
               treasury_max_days="-1", tender_methods="", threshold_goods="0")
    form = c.post(reverse("crosscheck:policy_new"), bad).context["form"]
    assert {"shelter_ratio", "fee_rates", "waiver_eligible", "treasury_max_days", "tender_methods",
            "threshold_goods"} <= set(form.errors)
    assert not CheckPolicy.objects.exists()
    c.post(reverse("crosscheck:policy_new"), dict(data, shelter_ratio="0.07"))
    policy = CheckPolicy.objects.get()
    assert "ratio = 0.07" in policy.toml
    exported = c.get(reverse("crosscheck:policy_export", args=[policy.pk])).content.decode()
    assert exported == policy.toml
    # import: a broken file is refused with the engine's message, a good one replaces
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = c.post(reverse("crosscheck:policy_import"), {"year": AS_OF.year, "file": SimpleUploadedFile(
        "p.toml", b"[shelter]\nratio = 3\n")}, follow=True)
    assert "ratio" in resp.content.decode() and CheckPolicy.objects.get().toml == policy.toml
    c.post(reverse("crosscheck:policy_import"), {"year": AS_OF.year, "file": SimpleUploadedFile(
        "p.toml", exported.replace("ratio = 0.07", "ratio = 0.06").encode())})
    policy.refresh_from_db()
    assert "ratio = 0.06" in policy.toml
    # a run records the exact policy it used
    services.upload_files(demo["zuyuan"], city_round, uploads(messy_dir))
    run = services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)
    assert run.policy == policy and run.policy_toml == policy.toml
    c.post(reverse("crosscheck:policy_edit", args=[policy.pk]), dict(data, shelter_ratio="0.05"))
    run.refresh_from_db()
    assert "ratio = 0.06" in run.policy_toml
    assert client_as("zuyuan").get(reverse("crosscheck:run_policy", args=[run.pk])).content.decode() == run.policy_toml


def test_todo_entries_for_whoever_must_verify(client_as, finished_run, demo):
    from xuncha.crosscheck.panels import todo_items

    open_n = finished_run.suspicions.filter(status="open").count()
    for username in ("zuyuan", "zuzhang", "xcb"):
        [item] = [i for i in todo_items(demo[username]) if i["round"] == finished_run.round]
        assert f"{open_n} 个待核实" in item["what"]
    for username in ("leader", "rfb", "jiwei", "zuyuan2"):
        assert not [i for i in todo_items(demo[username]) if i["round"] == finished_run.round]
    home = client_as("zuyuan").get("/").content.decode()
    assert "核实数据比对疑点" in home
    finished_run.suspicions.update(status="dismissed", reason="x")
    assert not [i for i in todo_items(demo["zuyuan"]) if i["round"] == finished_run.round]
