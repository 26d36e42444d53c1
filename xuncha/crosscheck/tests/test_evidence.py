"""The evidence of a 疑点 is read from its line of the run's findings.jsonl (not copied into the
database); a file that is gone or damaged gives a clear Chinese message, never a 500; 疑点 of runs saved
before keep their evidence in the database and still display."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.crosscheck import decisions, selectors
from xuncha.crosscheck.models import Suspicion
from xuncha.findings.models import Problem

pytestmark = pytest.mark.django_db


def _findings(run) -> Path:
    return Path(run.workdir) / "out" / "findings.jsonl"


def _richest(run) -> Suspicion:
    """A 疑点 with several department rows (the side-by-side view has something to set side by side)."""
    lines = _findings(run).read_bytes().splitlines()
    no = max(range(len(lines)), key=lambda i: (len(json.loads(lines[i])["evidence"]["rows"]), -i)) + 1
    return run.suspicions.get(finding_no=no)


def test_evidence_is_the_runs_findings_line_shown_side_by_side(client_as, finished_run, demo):
    lines = _findings(finished_run).read_bytes().splitlines()
    assert finished_run.suspicions.count() == len(lines)
    assert not finished_run.suspicions.filter(line_at__isnull=True).exists()
    assert not finished_run.suspicions.exclude(evidence={}).exists()   # nothing large in the database
    s = _richest(finished_run)
    hit = json.loads(lines[s.finding_no - 1])
    assert selectors.hit_of(s) == hit and len(hit["evidence"]["rows"]) >= 2
    page = client_as("zuyuan").get(reverse("crosscheck:suspicion", args=[s.pk])).content.decode()
    assert "evidence-error" not in page
    for row in hit["evidence"]["rows"]:
        assert f"{row['file']} 第{row['row']}行" in page and row["match"] in page
    # confirmed: the problem gets the evidence workbook made from that line, one sheet per row
    client_as("zuyuan").post(reverse("crosscheck:decide", args=[s.pk, "confirm"]), {"title": "", "description": ""})
    s.refresh_from_db()
    assert s.status == Suspicion.Status.CONFIRMED
    [stored] = s.problem.evidence.all()
    with stored.file.open("rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()))
    assert len(book.sheetnames) == 1 + len(hit["evidence"]["rows"])
    clue = decisions.to_clue(demo["zuyuan"], s)
    assert [r["行"] for r in clue.records] == [r["row"] for r in hit["evidence"]["rows"]]


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "gone":
        path.unlink()
    elif how == "shifted":        # a byte more at the start: every line moved
        path.write_bytes(b" " + data)
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif how == "replaced":       # another run's lines in the same bytes: well-formed JSON, wrong 疑点
        lines = data.splitlines(keepends=True)
        path.write_bytes(b"".join(lines[1:] + lines[:1]))


@pytest.mark.parametrize("how,reason", [("gone", "已不在"), ("shifted", "已损坏或被改动"),
                                        ("truncated", "已损坏或被改动"), ("replaced", "已损坏或被改动")])
def test_missing_or_damaged_findings_file_is_said_in_chinese(client_as, finished_run, how, reason):
    s = _richest(finished_run)
    _damage(_findings(finished_run), how)
    c = client_as("zuyuan")
    resp = c.get(reverse("crosscheck:suspicion", args=[s.pk]))
    page = resp.content.decode()
    assert resp.status_code == 200 and 'id="evidence-error"' in page
    assert f"{s.code} 的证据读不到" in page and reason in page and "重新运行比对" in page
    # confirming or making a clue needs the evidence: refused with the same reason, nothing changed
    for action in ("confirm", "clue"):
        resp = c.post(reverse("crosscheck:decide", args=[s.pk, action]), {"title": "", "description": ""},
                      follow=True)
        assert resp.status_code == 200 and reason in resp.content.decode()
    s.refresh_from_db()
    assert (s.status, s.problem_id, s.clue_id) == (Suspicion.Status.OPEN, None, None)
    assert not Problem.objects.filter(round=s.round, source=Problem.Source.SUSPICION).exists()
    # dismissing needs no evidence
    c.post(reverse("crosscheck:decide", args=[s.pk, "dismiss"]), {"reason": "已核实无误"})
    s.refresh_from_db()
    assert s.status == Suspicion.Status.DISMISSED
    # the list does not read the file; the 疑点清单, made from it on the first export, is refused with the reason
    assert c.get(reverse("crosscheck:suspicions", args=[finished_run.pk])).status_code == 200
    resp = c.get(reverse("crosscheck:export", args=[finished_run.pk]), follow=True)
    assert resp.status_code == 200 and reason in resp.content.decode() and "重新运行比对" in resp.content.decode()
    finished_run.refresh_from_db()
    assert finished_run.workbook is None


@pytest.mark.parametrize("how", ["gone", "replaced"])
def test_a_workbook_exported_before_the_findings_file_was_damaged_is_still_exported(client_as, finished_run, how):
    c = client_as("zuyuan")
    first = b"".join(c.get(reverse("crosscheck:export", args=[finished_run.pk])).streaming_content)
    _damage(_findings(finished_run), how)
    resp = c.get(reverse("crosscheck:export", args=[finished_run.pk]))
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == first


OLD_EVIDENCE = {
    "facts": {"应缴（元）": 120000.0, "已缴（元）": 0.0},
    "rows": [{"table": "approvals", "table_name": "人防审批", "file": "人防审批2023.xlsx", "row": 7, "key": "安人防审〔2023〕7号",
              "values": {"审批文号": "安人防审〔2023〕7号", "区县": "汉滨区"}, "match": "审批文号相同"},
             {"table": "fee_receipts", "table_name": "非税收入", "file": "非税收入.csv", "row": 31, "key": "PJ-31",
              "values": {"票据号": "PJ-31", "区县": "汉滨区"}, "match": "缴款人即建设单位"}],
}


def test_suspicion_saved_before_keeps_its_evidence_in_the_database(client_as, city_round, media):
    from .records import suspicion

    s = suspicion(city_round)
    Suspicion.objects.filter(pk=s.pk).update(evidence=OLD_EVIDENCE, records=["approvals:安人防审〔2023〕7号"])
    s.refresh_from_db()
    assert s.line_at is None and not s.run.workdir
    c = client_as("zuyuan")
    page = c.get(reverse("crosscheck:suspicion", args=[s.pk])).content.decode()
    assert "evidence-error" not in page
    assert "人防审批2023.xlsx 第7行" in page and "非税收入.csv 第31行" in page and "缴款人即建设单位" in page
    assert "<th>应缴（元）</th>" in page
    c.post(reverse("crosscheck:decide", args=[s.pk, "confirm"]), {"title": "", "description": ""})
    s.refresh_from_db()
    assert s.status == Suspicion.Status.CONFIRMED and "应缴（元）：120000.0" in s.problem.description


def test_output_found_again_after_the_data_directory_moved(client_as, finished_run, settings, tmp_path):
    """A restore puts the files into another data directory: the run's folder is looked up under the
    data directory of today, not at the path recorded when it ran."""
    import shutil

    s = _richest(finished_run)
    hit = selectors.hit_of(s)
    moved = tmp_path / "restored_media"
    shutil.move(settings.MEDIA_ROOT, moved)
    settings.MEDIA_ROOT = moved
    s = Suspicion.objects.get(pk=s.pk)
    assert not Path(finished_run.workdir).exists()
    assert selectors.hit_of(s) == hit
    page = client_as("zuyuan").get(reverse("crosscheck:suspicion", args=[s.pk])).content.decode()
    assert "evidence-error" not in page and hit["evidence"]["rows"][0]["match"] in page
    entity = next(e for x in finished_run.suspicions.order_by("finding_no") for e in x.entities)
    assert client_as("zuyuan").get(reverse("crosscheck:dossier", args=[finished_run.pk, entity])).status_code == 200
