"""The archive package (.zip): 卷内目录, every document, ledger and evidence file, SHA-256 manifest;
``xuncha archive verify`` names each file added, missing or changed and exits 1 then."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xuncha.audit.models import AuditEntry
from xuncha.cli import main as cli_main
from xuncha.files.services import store_upload
from xuncha.petitions import services as petitions
from xuncha.rectification.tests.conftest import finish_rectification
from xuncha.reports import archive, services
from xuncha.reports.archive_verify import MANIFEST, verify

from .conftest import add_problems, fresh, issue_all, make_round, to_feedback

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def archived(demo):
    u = demo
    r = make_round(u, number=8)
    problems = add_problems(r)
    photo = store_upload(SimpleUploadedFile("现场照片.png", PNG), actor=u["zuyuan"])
    problems["fee"].evidence.add(photo)
    data = petitions.ReportData(subject_name="某科长", content="反映减免易地建设费。")
    petitions.intake(u["zuzhang"], r, data, [SimpleUploadedFile("举报材料.pdf", PDF)], channel="letter")
    r = to_feedback(u, r)
    issue_all(u, r)
    f = r.feedbacks.get()
    services.mark_read(u["rfb_head"], f)
    services.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    services.start_rectification(u["xcb"], fresh(r))
    finish_rectification(fresh(r))
    services.archive(u["xcb"], fresh(r))
    return fresh(r)


def write(tmp_path, data: bytes, name="归档.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rewrite(src, dst, *, change=None, drop=None, add=None):
    """Copy a zip, altering one member's bytes, leaving one out, or adding one."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = zin.read(info)
            if info.filename == change:
                data = data + b" "
            zout.writestr(info, data)
        if add:
            zout.writestr(add, b"extra")
    return dst


def test_package_holds_index_documents_ledgers_evidence_and_manifest(archived, tmp_path):
    data, filename, manifest_sha = archive.build(archived)
    assert filename == f"{archived.title}归档材料.zip"
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    folders = {n.split("/")[0] for n in names if "/" in n}
    assert folders == {"01-公文", "02-巡察报告", "03-反馈", "04-台账", "05-证据材料", "07-整改"}   # 07: rectification
    for expected in ("巡察工作方案.docx", "巡察报告第1稿", "巡察总体评价表.docx", "综合性汇报材料.docx", "审批记录.xlsx",
                     "主要负责人通报巡察情况.docx", "反馈意见.docx", "签收回执.docx", "信访举报受理登记台账.xlsx",
                     "问题线索台账.xlsx", "问题清单.xlsx", "工作日志.xlsx", "问题1-现场照片.png",
                     "-举报材料.pdf"):
        assert any(expected in n for n in names), expected
    assert zf.read(next(n for n in names if n.endswith("问题1-现场照片.png"))) == PNG
    assert zf.read(next(n for n in names if n.endswith("举报材料.pdf"))) == PDF
    # 卷内目录: number, title, date, size of every file
    sheet = load_workbook(io.BytesIO(zf.read("卷内目录.xlsx"))).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    files = [n for n in names if n not in ("卷内目录.xlsx", MANIFEST)]
    assert len(rows) == len(files)
    for number, title, day, size, path, note in rows:
        assert path in files and size == len(zf.read(path)) and title and day and not note
        assert path.split("/")[1].startswith(f"{number:03d}-")
    # manifest: the SHA-256 of every file but itself
    manifest = zf.read(MANIFEST)
    assert hashlib.sha256(manifest).hexdigest() == manifest_sha
    lines = dict(line.split("  ", 1)[::-1] for line in manifest.decode().splitlines())
    assert set(lines) == set(names) - {MANIFEST}
    assert all(hashlib.sha256(zf.read(n)).hexdigest() == h for n, h in lines.items())
    assert verify(write(tmp_path, data)).ok


def test_verify_names_each_file_added_missing_or_changed(archived, tmp_path):
    good = write(tmp_path, archive.build(archived)[0])
    result = verify(good)
    names = zipfile.ZipFile(good).namelist()
    assert result.ok and result.checked == len(names) - 1 == 22     # everything but the manifest (4 of 07-整改)
    report_version = next(n for n in names if "巡察报告第1稿" in n)
    ledger = next(n for n in names if n.endswith("问题线索台账.xlsx"))
    changed = verify(rewrite(good, tmp_path / "changed.zip", change=report_version))
    assert changed.changed == [report_version] and not changed.added and not changed.missing
    missing = verify(rewrite(good, tmp_path / "missing.zip", drop=ledger))
    assert missing.missing == [ledger] and not missing.changed
    added = verify(rewrite(good, tmp_path / "added.zip", add="05-证据材料/999-后加的文件.pdf"))
    assert added.added == ["05-证据材料/999-后加的文件.pdf"]
    no_manifest = verify(rewrite(good, tmp_path / "bare.zip", drop=MANIFEST))
    assert not no_manifest.ok and "没有清单" in no_manifest.error
    not_zip = write(tmp_path, b"not a zip at all", "broken.zip")
    assert not verify(not_zip).ok


def test_cli_verify_exit_codes_and_messages(archived, tmp_path, capsys):
    good = write(tmp_path, archive.build(archived)[0])
    assert cli_main(["archive", "verify", str(good)]) == 0
    assert "核验通过" in capsys.readouterr().out
    member = next(n for n in zipfile.ZipFile(good).namelist() if n.endswith("反馈意见.docx"))
    bad = rewrite(good, tmp_path / "bad.zip", change=member)
    assert cli_main(["archive", "verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"被修改：{member}" in out and "核验不通过" in out
    assert cli_main(["archive", "verify"]) == 2
    # the installed command runs without Django settings or a database
    proc = subprocess.run([sys.executable, "-m", "xuncha.cli", "archive", "verify", str(bad)],
                          capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1 and f"被修改：{member}" in proc.stdout


def test_export_is_audited_with_the_manifest_hash(archived, client_as):
    from django.urls import reverse

    resp = client_as("xcb").get(reverse("reports:archive", args=[archived.pk]))
    assert resp.status_code == 200
    data = b"".join(resp.streaming_content) if resp.streaming else resp.content
    manifest = zipfile.ZipFile(io.BytesIO(data)).read(MANIFEST)
    entry = AuditEntry.objects.filter(action="reports.archive_export").latest("seq")
    assert entry.data["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
