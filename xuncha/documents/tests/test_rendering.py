"""The documents as printed: rendered by LibreOffice to PDF and by pdftoppm to PNG, then read back.

- 工作方案 is issued as seed 001 shows it: 版头 (red 发文机关标志, 发文字号, red rule), the
  关于印发《…》的通知 wrapper, then the plan on its own page;
- titles break between words (never "…专项巡 / 察（试运行）");
- the 公告's signature and date never stand alone on a page;
- the 议程 carries time, place and attendees; the 承诺书's signature lines do not wrap.
"""

from __future__ import annotations

import pytest

from xuncha.documents import services
from xuncha.documents.titles import break_title
from xuncha.rounds.models import Round

from .render import needs_libreoffice, page_count, page_lines, red_per_row, to_pdf, to_png

pytestmark = [pytest.mark.django_db, needs_libreoffice]
TRIAL_TITLE = "2026年人防系统腐败问题专项巡察（试运行）"


@pytest.fixture
def trial_round(demo):
    r = Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)
    Round.objects.filter(pk=r.pk).update(title=TRIAL_TITLE)
    return Round.objects.get(pk=r.pk)


def all_lines(pdf) -> list[list[str]]:
    return [page_lines(pdf, p) for p in range(1, page_count(pdf) + 1)]


def assert_title_as_broken(lines: list[str], title: str):
    """The title stands on the page in the lines break_title chose (each line whole, in order)."""
    expected = break_title(title)
    assert len(expected) >= 2, "the test needs a title long enough to break"
    at = lines.index(expected[0])
    assert lines[at:at + len(expected)] == expected, (lines[at:at + len(expected)], expected)


def test_documents_as_printed(trial_round, tmp_path):
    docs = {kind: services.round_document(trial_round, kind)[0]
            for kind in ("plan", "announcement", "agenda", "pledge")}
    pdfs = to_pdf(docs, tmp_path)
    pages = {kind: all_lines(pdf) for kind, pdf in pdfs.items()}
    pngs = {kind: to_png(pdf) for kind, pdf in pdfs.items()}
    for kind, files in pngs.items():
        assert len(files) == len(pages[kind]) >= 1, kind

    # 工作方案: 版头 and the 印发通知 on page 1, the plan from page 2
    first = pages["plan"][0]
    assert first[0] == "中共安康市委巡察工作领导小组文件"
    assert first[1] == "安巡组发〔2026〕3号"
    assert "各相关单位：" in first
    assert any("已经市委同意，现印发你们" in line for line in first)
    assert_title_as_broken(first, f"关于印发《中共安康市委{TRIAL_TITLE}工作方案》的通知")
    assert first[-1] == "—1—" and "2026年" in first[-2]            # 落款 date on the notice's page
    plan_first = pages["plan"][1]
    assert_title_as_broken(plan_first, f"中共安康市委{TRIAL_TITLE}工作方案")
    # red 发文机关标志 and a red rule across the type area, in the top part of page 1 only
    red = red_per_row(pngs["plan"][0])
    width = len(red) * 210 // 297                                   # A4 image width in pixels
    rule_rows = [y for y, n in enumerate(red) if n >= width * 0.6]
    mark_rows = [y for y, n in enumerate(red) if 0 < n < width * 0.6]
    assert rule_rows and mark_rows, "no red 版头"
    assert max(mark_rows) < min(rule_rows) < len(red) * 0.4
    assert not any(red_per_row(pngs["plan"][1])), "red belongs to the 版头 only"

    # no title anywhere breaks inside a word
    for kind, doc_pages in pages.items():
        for lines in doc_pages:
            for a, b in zip(lines, lines[1:], strict=False):
                assert not (a.endswith("专项巡") and b.startswith("察")), (kind, a, b)

    # 公告: the signature and the date are on the page of 特此公告
    last = pages["announcement"][-1]
    assert "特此公告。" in last and "中共安康市委巡察工作领导小组" in last

    # 议程: time, place, attendees
    agenda = pages["agenda"][0]
    assert "时间：2026年11月2日（星期一）上午9:00" in agenda
    assert "地点：市人民防空办公室四楼会议室" in agenda
    assert any(line.startswith("参会人员：市人防办领导班子成员") for line in agenda)
    assert_title_as_broken(agenda, TRIAL_TITLE)

    # 承诺书: the signature lines stand whole, each on one line
    pledge = pages["pledge"][-1]
    assert "中共安康市人民防空办公室党组（盖章）" in pledge
    assert "主要负责人（签字）：" in pledge


def test_announcement_signature_never_alone(trial_round, tmp_path):
    """Grow the text two lines at a time over a whole page (22 lines): in every variant the signature
    and date share their page with 特此公告 (keep-with-next), so they never open a page on their own.
    Without it they would whenever 1 to 3 lines are left on the page, which one of any two
    consecutive variants hits."""
    docs = {}
    template = services.template_for("announcement", trial_round.jurisdiction_id)
    for i in range(12):
        context = services.round_context(trial_round)
        context["letterbox_place"] = "市人民防空办公室一楼大厅" + "，另在各县区人防办门口设置" * (i * 4)
        docs[f"announcement{i:02d}"] = services.render_docx(template, context)
    pdfs = to_pdf(docs, tmp_path)
    counts = set()
    for name, pdf in pdfs.items():
        n = page_count(pdf)
        counts.add(n)
        last = page_lines(pdf, n)
        assert "特此公告。" in last, (name, last)
        assert last[-3:-1] == ["中共安康市委巡察工作领导小组", services.cn_date(services.timezone.localdate())], last
    assert len(counts) >= 2, "the variants should span a page break"
