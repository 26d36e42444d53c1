"""The 汇报/反馈 documents: content from the round, GB/T 9704 page, LibreOffice → PDF → PNG."""

import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xuncha.clues.models import Clue, Disposal
from xuncha.clues.services import ClueData, create_clue, dispose
from xuncha.orgs.models import Organization
from xuncha.reports import content, docs, services
from xuncha.rounds import worklogs
from xuncha.rounds.models import WorkLog

from .conftest import add_problems, fresh, issue_all, to_feedback


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text.replace("\n", "") for p in doc.paragraphs] + cells)


def with_work_and_clues(u, r):
    T = WorkLog.WorkType
    for kind, people, issued, returned in ((T.MEETING, 0, 0, 0), (T.TALKS, 7, 0, 0), (T.TALKS, 5, 0, 0),
                                           (T.DOCUMENTS, 0, 0, 0), (T.SURVEY, 0, 40, 38), (T.DATA_COMPARE, 0, 0, 0)):
        worklogs.add_log(u["zuyuan"], r, day=date(2027, 3, 5), work_type=kind, content=f"{kind}工作",
                         people_talked=people, forms_issued=issued, forms_returned=returned)
    jw = Organization.objects.get(name="安康市纪委监委") if Organization.objects.filter(
        name="安康市纪委监委").exists() else Organization.objects.get(kind="discipline", jurisdiction=r.jurisdiction)
    secret = create_clue(u["zuyuan"], r, ClueData(person="张某某（保密姓名）", summary="收受购物卡", level=Clue.Level.GENERAL))
    dispose(u["zuzhang"], secret, kind=Disposal.Kind.DISCIPLINE, receiver=jw)
    create_clue(u["zuyuan"], r, ClueData(person="李某某", summary="待核实"))


def test_report_draft_assembles_the_round(demo, onsite):
    u, r = demo, onsite
    add_problems(r)
    with_work_and_clues(u, r)
    services.save_evaluation(u["zuyuan"], r, evaluation={"leadership": "fair"}, overall_rating="fair",
                             overall_comment="", suggestions="责令退还违规减免的易地建设费\n完善审批制度")
    text = text_of(docs.report_draft(content.round_facts(fresh(r))))
    for phrase in ("关于2027年人防系统专项巡察（第1轮）情况的报告", "中共安康市委巡察工作领导小组：",
                   "巡察对象：中共安康市人民防空办公室党组", "组长：陈明", "副组长：刘芳",
                   "召开会议1次", "开展座谈和个别谈话2次、谈话走访12人次", "发放问卷和测评表40份、收回38份",
                   "巡察共发现问题4个，涉及金额133.00万元", "（一）第二类：主体责任履职尽责不力的问题（2个问题）",
                   "（二）第三类：人防工程审批建设和资金管理中的腐败问题（2个问题，涉及金额133.00万元）",
                   "在易地建设费征收、管理、使用中，随意“减免缓”的问题", "易地建设费随意减免。2024年以来",
                   "共发现问题线索2条，其中待处置1条、移交纪委监委1条", "1. 责令退还违规减免的易地建设费"):
        assert phrase in text, phrase
    assert "第一类" not in text                                         # only the withdrawn problem was there
    assert "张某某" not in text and "李某某" not in text               # clues only as counts, never names
    assert "已撤销的问题" not in text
    # order follows the taxonomy: 第二类 before 第三类
    assert text.index("第二类") < text.index("第三类")


def test_evaluation_form_and_summary(demo, onsite):
    u, r = demo, onsite
    add_problems(r)
    services.save_evaluation(u["zuyuan"], r, evaluation={"leadership": "fair", "integrity": "poor"},
                             overall_rating="fair", overall_comment="主体责任落实不到位", suggestions="")
    facts = content.round_facts(fresh(r))
    form = text_of(docs.evaluation_form(facts))
    assert "巡察总体评价表" in form and "落实中央八项规定精神、党风廉政建设和反腐败工作情况\n差" in form
    assert "领导班子建设、干部队伍建设和基层党组织建设情况\n（待评定）" in form and "主体责任落实不到位" in form
    summary = text_of(docs.summary_material(facts, [("汉阴县", facts)]))
    assert "综合汇报" in summary and "联动巡察情况" in summary and "汉阴县：发现问题4个" in summary
    assert "针对人防工程审批建设和资金管理中的腐败方面的问题" in summary          # suggestions generated from the categories when none entered


SOFFICE = shutil.which("soffice")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(not (SOFFICE and PDFTOPPM and shutil.which("pdftotext")) and not os.environ.get("CI"),
                    reason="LibreOffice / poppler not installed (CI installs them and never skips)")
def test_documents_render_in_libreoffice(demo, onsite, tmp_path, monkeypatch):
    """Each document converts to PDF and to PNG pages; the text survives (GB/T 9704 page, fonts)."""
    u, r = demo, onsite
    add_problems(r)
    with_work_and_clues(u, r)
    r = to_feedback(u, r)
    issue_all(u, r)
    f = r.feedbacks.get()
    services.mark_read(u["rfb_head"], f)
    services.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    f = fresh(f)
    facts = content.round_facts(fresh(r))
    out = Path(os.environ.get("XUNCHA_DOC_PREVIEW", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "report": (docs.report_draft(facts), ["关于2027年人防系统专项巡察", "发现的主要问题", "—1—"]),
        "evaluation": (docs.evaluation_form(facts), ["巡察总体评价表", "一、贯彻落实"]),
        "summary": (docs.summary_material(facts, []), ["综合汇报", "发现问题总体情况"]),
        "feedback": (f.document.file.open("rb").read(), ["反馈意见", "整改要求", "中共安康市委巡察工作领导小组"]),
        "headnote": (f.head_note.file.open("rb").read(), ["仅限主要负责人本人阅知", "涉及你本人的问题"]),
        "receipt": (f.receipt.file.open("rb").read(), ["签收回执", "rfb_head", "整改方案报送期限"]),
    }
    for name, (data, _) in files.items():
        (out / f"{name}.docx").write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *[str(out / f"{n}.docx") for n in files]],
                   check=True, capture_output=True, timeout=300)
    for name, (_, phrases) in files.items():
        pdf = out / f"{name}.pdf"
        assert pdf.exists(), name
        text = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                      timeout=60).stdout.decode().split())
        for phrase in phrases:
            assert phrase in text, (name, phrase)
        subprocess.run([PDFTOPPM, "-png", "-r", "60", str(pdf), str(out / name)], check=True, timeout=120)
        pngs = sorted(out.glob(f"{name}-*.png"))
        assert pngs and all(p.stat().st_size > 5000 for p in pngs), name


def test_layout_is_gbt9704(demo, onsite):
    data = docs.report_draft(content.round_facts(onsite))
    doc = Document(io.BytesIO(data))
    s = doc.sections[0]
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22) and title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    headings = [p for p in doc.paragraphs if p.text.startswith("一、")]
    assert headings[0].runs[-1]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
