"""边巡边改: consent recorded before marking, the suggestion .docx in the GB/T 9704 layout (rendered by
LibreOffice), and the rules of proposing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xuncha.audit.models import AuditEntry
from xuncha.documents import gbt9704 as g
from xuncha.documents.tests.render import needs_libreoffice, page_count, page_lines, to_pdf
from xuncha.findings import onsite, services
from xuncha.findings.models import OnSiteRectification
from xuncha.rounds.models import Round

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _consent(demo, p, **over):
    values = dict(consent_by="李国栋（领导小组组长）", consent_on=TODAY(), consent_document="安巡领纪〔2026〕7号")
    values.update(over)
    return onsite.record_consent(demo["zuzhang"], p, **values)


def _issued(demo, make_problem, **fields):
    p = make_problem(**fields)
    onsite.propose(demo["zuyuan"], p, proposal="事实清楚，可立行立改")
    _consent(demo, p)
    return p, onsite.issue_suggestion(demo["zuzhang"], p, requirement="立即补办人防工程验收手续。\n追回多付款项。",
                                      deadline_days=10)


def test_marking_needs_recorded_consent(demo, make_problem):
    p = make_problem()
    with pytest.raises(ValidationError, match="须先登记巡察工作领导小组同意"):
        onsite.issue_suggestion(demo["zuzhang"], p, requirement="整改")           # not even proposed
    onsite.propose(demo["zuyuan"], p, proposal="立行立改")
    with pytest.raises(ValidationError, match="须先登记巡察工作领导小组同意"):
        onsite.issue_suggestion(demo["zuzhang"], p, requirement="整改")           # proposed, no consent
    item = OnSiteRectification.objects.get(problem=p)
    assert item.status == "proposed" and item.suggestion is None
    _consent(demo, p)
    item = onsite.issue_suggestion(demo["zuzhang"], p, requirement="整改", deadline_days=5)
    assert item.status == "issued" and item.suggestion.kind == "docx" and item.deadline > TODAY()
    assert AuditEntry.objects.filter(action="findings.onsite_issue", object_id=str(p.pk)).exists()
    with pytest.raises(ValidationError, match="已出具"):
        onsite.issue_suggestion(demo["zuzhang"], p, requirement="再出一份")


@pytest.mark.parametrize(("over", "message"), [
    ({"consent_by": " "}, "请填写同意人"),
    ({"consent_document": ""}, "请填写同意依据"),
    ({"consent_on": None}, "请填写同意日期"),
    ({"consent_on": TODAY() + timedelta(days=1)}, "不能晚于今天"),
    ({"consent_on": TODAY() - timedelta(days=3)}, "不能早于提出边巡边改的日期"),
])
def test_consent_names_who_when_and_document(demo, make_problem, over, message):
    p = make_problem()
    onsite.propose(demo["zuyuan"], p, proposal="立行立改")
    with pytest.raises(ValidationError, match=message):
        _consent(demo, p, **over)
    assert OnSiteRectification.objects.get(problem=p).status == "proposed"


def test_consent_without_proposal_and_who_may(demo, make_problem):
    p = make_problem()
    with pytest.raises(ValidationError, match="没有待领导小组同意"):
        _consent(demo, p)
    onsite.propose(demo["zuyuan"], p, proposal="立行立改")
    with pytest.raises(PermissionDenied):
        onsite.record_consent(demo["zuyuan"], p, consent_by="某", consent_on=TODAY(), consent_document="x")
    with pytest.raises(PermissionDenied):
        onsite.record_consent(demo["leader"], p, consent_by="某", consent_on=TODAY(), consent_document="x")
    _consent(demo, p)
    with pytest.raises(PermissionDenied):
        onsite.issue_suggestion(demo["lianluo"], p, requirement="整改")


def test_propose_rules(demo, make_problem, city_round):
    p = make_problem()
    with pytest.raises(ValidationError, match="请填写适用边巡边改的理由"):
        onsite.propose(demo["zuyuan"], p, proposal="")
    with pytest.raises(PermissionDenied):
        onsite.propose(demo["rfb"], p, proposal="x")
    onsite.propose(demo["zuyuan"], p, proposal="立行立改")
    with pytest.raises(ValidationError, match="已提出边巡边改"):
        onsite.propose(demo["zuyuan"], p, proposal="再提")
    gone = make_problem()
    services.withdraw_problem(demo["zuzhang"], gone, reason="不属实")
    with pytest.raises(ValidationError, match="已撤销"):
        onsite.propose(demo["zuyuan"], gone, proposal="x")
    later = make_problem()
    Round.objects.filter(pk=city_round.pk).update(stage=Round.Stage.REPORTING)
    with pytest.raises(ValidationError, match="只在进驻阶段"):
        onsite.propose(demo["zuyuan"], later, proposal="x")


def test_no_target_unit_in_a_round_of_several(demo, make_problem, city_round):
    from xuncha.orgs.models import Organization

    city_round.targets.add(Organization.objects.get(name="安康市住房和城乡建设局"))
    p = make_problem(responsible_unit=None)
    with pytest.raises(ValidationError, match="请先填写责任单位"):
        onsite.propose(demo["zuyuan"], p, proposal="x")


def test_suggestion_layout_is_gbt9704(demo, make_problem):
    _p, item = _issued(demo, make_problem)
    doc = Document(item.suggestion.file.open("rb"))
    s = doc.sections[0]
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    title = doc.paragraphs[0].runs[0]
    assert doc.paragraphs[0].text == "边巡边改整改建议书"
    assert title.font.size == Pt(22) and title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert heading.runs[-1]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("立即补办"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == g.BODY_FONT


@needs_libreoffice
def test_suggestion_renders_in_libreoffice(demo, make_problem, tmp_path):
    p, item = _issued(demo, make_problem)
    pdf = to_pdf({"suggestion": item.suggestion.file.open("rb").read()}, tmp_path)["suggestion"]
    assert page_count(pdf) == 1
    text = "".join(page_lines(pdf, 1))
    for phrase in ("边巡边改整改建议书", "中共安康市人民防空办公室党组：", "人防工程验收把关不严",
                   "涉及金额12.00万元", "应追缴（挽回）3.00万元", "李国栋（领导小组组长）", "安巡领纪〔2026〕7号",
                   "一、存在的问题", "二、整改要求", "立即补办人防工程验收手续", "三、整改期限",
                   f"{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日前完成整改",
                   "中共安康市委巡察组", "—1—"):
        assert phrase in text, phrase


@needs_libreoffice
def test_signature_never_stands_alone_on_a_page(demo, make_problem, tmp_path):
    """Facts one line longer each time, so that in one of them the 落款 falls at the end of the page:
    it must then take the last lines of text with it to the next page."""
    line = "某项目未经现场查验即出具验收意见，款项未追回，"          # about one 三号 line
    docs = {}
    for k in range(10):
        p = make_problem(description=line * k)
        onsite.propose(demo["zuyuan"], p, proposal="立行立改")
        _consent(demo, p)
        item = onsite.issue_suggestion(demo["zuzhang"], p, requirement="补办手续。", deadline_days=10)
        docs[f"s{k}"] = item.suggestion.file.open("rb").read()
    pdfs = to_pdf(docs, tmp_path)
    counts = {name: page_count(pdf) for name, pdf in pdfs.items()}
    assert 1 in counts.values() and 2 in counts.values(), counts     # the page boundary was crossed
    for name, pdf in pdfs.items():
        last = "".join(page_lines(pdf, counts[name]))
        assert "中共安康市委巡察组" in last, name
        assert "报送巡察组" in last, (name, last)            # the text above the 落款 came along


def test_suggestion_and_consent_scan_go_into_the_archive(demo, make_problem):
    import io as _io
    import zipfile

    from xuncha.reports import archive

    from .conftest import pdf

    p = make_problem()
    onsite.propose(demo["zuyuan"], p, proposal="立行立改")
    _consent(demo, p, consent_file=pdf("领导小组批示.pdf"))
    item = onsite.issue_suggestion(demo["zuzhang"], p, requirement="补办手续", deadline_days=5)
    data, _name, _sha = archive.build(p.round)
    names = zipfile.ZipFile(_io.BytesIO(data)).namelist()
    suggestion = next(n for n in names if n.startswith("01-公文/") and n.endswith(item.suggestion.original_name))
    assert zipfile.ZipFile(_io.BytesIO(data)).read(suggestion) == item.suggestion.file.open("rb").read()
    assert any(n.startswith("05-证据材料/") and n.endswith(f"问题{p.number}-领导小组同意-领导小组批示.pdf")
               for n in names), names
