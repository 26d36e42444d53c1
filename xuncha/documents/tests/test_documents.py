"""Official documents: GB/T 9704 layout, content from the round, LibreOffice round trip, templates."""

import io
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xuncha.documents import services
from xuncha.documents.models import TemplateOverride
from xuncha.rounds.models import Round

CITY_TITLE = "2026年人防系统腐败问题专项巡察"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def city_round():
    return Round.objects.get(title=CITY_TITLE)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def test_layout_is_gbt9704(demo):
    data, _ = services.round_document(city_round(), "announcement")
    doc = Document(io.BytesIO(data))
    s = doc.sections[0]
    mm = [round(x.mm, 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert mm == [37, 35, 28, 26]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.size == Pt(22)
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    footer_xml = s.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml and " —" in footer_xml
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"


def test_round_documents_carry_the_round(demo):
    r = city_round()
    text = docx_text(services.round_document(r, "announcement")[0])
    for phrase in ("中共安康市委巡察工作领导小组", CITY_TITLE, "0915-3261234", "安康市邮政信箱2026号",
                   "akxcz2026@ak.gov.cn", "市人民防空办公室一楼大厅", "上午8:30至下午17:30",
                   "2026年11月2日至2026年12月4日", "中共安康市人民防空办公室党组"):
        assert phrase in text
    plan = docx_text(services.round_document(r, "plan")[0])
    assert "组长：陈明" in plan and "副组长：刘芳" in plan and "10个工作日内" in plan
    assert "陈明" in docx_text(services.round_document(r, "agenda")[0])
    assert "中共安康市人民防空办公室党组郑重承诺" in docx_text(services.round_document(r, "pledge")[0])


def test_xml_special_characters_are_escaped(demo):
    r = city_round()
    Round.objects.filter(pk=r.pk).update(ann_reception_place="A&B <楼>")
    text = docx_text(services.round_document(Round.objects.get(pk=r.pk), "announcement")[0])
    assert "A&B <楼>" in text


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")) and not os.environ.get("CI"),
                    reason="LibreOffice / poppler not installed (CI installs them and never skips)")
def test_libreoffice_pdf_round_trip(demo, tmp_path):
    data, _ = services.round_document(city_round(), "announcement")
    src = tmp_path / "announcement.docx"
    src.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "announcement.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode()
    compact = "".join(text.split())
    for phrase in ("巡察公告", CITY_TITLE, "0915-3261234", "akxcz2026@ak.gov.cn",
                   "市人民防空办公室一楼大厅", "—1—"):
        assert phrase in compact, phrase


def test_download_with_rfc5987_name(demo, client_as):
    r = city_round()
    resp = client_as("zuyuan").get(reverse("documents:round_doc", args=[r.pk, "plan"]))
    assert resp.status_code == 200
    cd = resp["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''" in cd
    assert unquote(cd.split("filename*=UTF-8''")[1]) == f"{CITY_TITLE}巡察工作方案.docx"
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    # the unit, the discipline commission and other teams get nothing
    assert client_as("rfb").get(reverse("documents:round_doc", args=[r.pk, "plan"])).status_code == 403
    assert client_as("jiwei").get(reverse("documents:round_doc", args=[r.pk, "plan"])).status_code == 404
    assert client_as("zuyuan2").get(reverse("documents:round_docs", args=[r.pk])).status_code == 404


def test_content_disposition_helper():
    cd = services.content_disposition("进度通报 1.docx")
    assert cd == "attachment; filename=\" 1.docx\"; filename*=UTF-8''%E8%BF%9B%E5%BA%A6%E9%80%9A%E6%8A%A5%201.docx"


def _edited_template(marker: str) -> bytes:
    doc = Document(str(services.default_template("announcement")))
    doc.add_paragraph(f"{marker}{{{{ phone }}}}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_office_replaces_a_template_and_goes_back(demo, client_as, media):
    c = client_as("xcb")
    r = city_round()
    upload = SimpleUploadedFile("公告.docx", _edited_template("本单位模板电话："))
    resp = c.post(reverse("documents:template_upload"), {"kind": "announcement", "file": upload})
    assert resp.status_code == 302
    obj = TemplateOverride.objects.get(kind="announcement")
    stored = Path(obj.file.path)
    assert stored.is_file() and str(stored).startswith(str(media))
    assert "本单位模板电话：0915-3261234" in docx_text(services.round_document(r, "announcement")[0])
    # another jurisdiction still gets the default
    sq = Round.objects.get(jurisdiction__name="石泉县")
    assert "本单位模板电话" not in docx_text(services.round_document(sq, "announcement")[0])
    c.post(reverse("documents:template_reset", args=["announcement"]))
    assert not TemplateOverride.objects.exists() and not stored.exists()
    assert "本单位模板电话" not in docx_text(services.round_document(r, "announcement")[0])


def test_broken_or_foreign_uploads_are_refused(demo, client_as, media):
    c = client_as("xcb")
    bad = SimpleUploadedFile("x.docx", b"not a zip")
    resp = c.post(reverse("documents:template_upload"), {"kind": "plan", "file": bad}, follow=True)
    assert "请上传 Word" in resp.content.decode()
    broken = SimpleUploadedFile("x.docx", _edited_template("{% for %}"))
    resp = c.post(reverse("documents:template_upload"), {"kind": "plan", "file": broken}, follow=True)
    assert "模板无法使用" in resp.content.decode()
    sneaky = SimpleUploadedFile("x.docx", _edited_template("{{ ''.__class__.__mro__ }}"))
    c.post(reverse("documents:template_upload"), {"kind": "plan", "file": sneaky}, follow=True)
    assert not TemplateOverride.objects.exists()
    for who in ("zuzhang", "leader", "rfb"):
        upload = SimpleUploadedFile("公告.docx", _edited_template("x"))
        assert client_as(who).post(reverse("documents:template_upload"),
                                   {"kind": "announcement", "file": upload}).status_code == 403
        assert client_as(who).get(reverse("documents:templates")).status_code == 403
    assert not TemplateOverride.objects.exists()


def test_briefing_docx(demo, client_as):
    resp = client_as("xcb").get(reverse("rounds:briefing_docx"), {"date": "2026-11-25", "round": city_round().pk})
    assert resp.status_code == 200
    text = docx_text(resp.content)
    assert "截至11月25日9县开展工作情况" in text and "旬阳，走访了部分企业" in text and "石泉，对发改、住建、财政" in text
    assert "一是加强学习" in text


def test_announcement_links_to_public_report_when_it_exists(demo, client_as, settings):
    from django.urls import NoReverseMatch

    settings.XUNCHA_PUBLIC_URL = "http://testserver"    # the configured public address, not the request's
    r = city_round()
    resp = client_as("xcb").get(reverse("documents:round_doc", args=[r.pk, "announcement"]))
    text = docx_text(resp.content)
    try:
        path = reverse("petitions:public_report", kwargs={"round_id": r.pk})
    except NoReverseMatch:
        assert "网上反映" not in text
    else:
        assert f"http://testserver{path}" in text
