"""Page layout of official documents (党政机关公文格式, GB/T 9704-2012) for python-docx.

- A4, margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
- title 二号 (22 pt) 小标宋 (方正小标宋简体, falls back to 宋体), centred;
- body 三号 (16 pt) 仿宋 (FangSong, falls back to 仿宋_GB2312), first-line indent 2 characters;
- 22 lines × 28 characters per page (GB/T 9704 §5.2.2; line pitch 28.95 pt, 16 pt type on 156 mm);
- page numbers 4号 (14 pt) 半角 宋体 Arabic numerals with a dash each side: "— 1 —", at the foot;
  odd pages right-aligned, even pages left-aligned, one character in from the edge (§7.5).

East-Asian font names go in ``w:rFonts/@w:eastAsia`` (Word ignores ``w:ascii`` for Chinese);
the fallback names are written to the font table as ``w:altName``.
"""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋", "仿宋_GB2312"
HEADING_FONT = "黑体"                    # 一级标题 (一、) 黑体
HEADING2_FONT = "楷体"                   # 二级标题 ((一)) 楷体
LATIN_FONT = "Times New Roman"
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14)
LINE_PITCH = Pt(28.95)                  # 225 mm / 22 lines
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28


def set_run_font(run, east_asia: str, size=None, bold: bool | None = None, latin: str = LATIN_FONT) -> None:
    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _style_font(style, east_asia: str, size) -> None:
    style.font.name = LATIN_FONT
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _add_font_fallbacks(document) -> None:
    """Declare the Chinese fonts with their fallback (w:altName) in the font table."""
    part = None
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    for name, alt in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, f"{BODY_FALLBACK}"), (HEADING_FONT, "SimHei"),
                      (HEADING2_FONT, "楷体_GB2312")):
        if root.find(f"w:font[@w:name='{name}']", ns) is not None:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt_el = etree.SubElement(font, qn("w:altName"))
        alt_el.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _grid(section) -> None:
    """Line grid of 22 lines per page; 28 characters per line follow from 16 pt type on 156 mm.

    (A character grid, ``linesAndChars``, is interpreted differently by Word and LibreOffice, so
    only the line grid is fixed.)
    """
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))      # twips
    if grid.get(qn("w:charSpace")) is not None:
        del grid.attrib[qn("w:charSpace")]


def _page_number_footer(footer, odd: bool) -> None:
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    if odd:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        para.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        run = para.add_run()
        set_run_font(run, "宋体", PAGE_NUMBER_SIZE)
        if field:
            begin = OxmlElement("w:fldChar")
            begin.set(qn("w:fldCharType"), "begin")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            sep = OxmlElement("w:fldChar")
            sep.set(qn("w:fldCharType"), "separate")
            num = OxmlElement("w:t")
            num.text = "1"
            end = OxmlElement("w:fldChar")
            end.set(qn("w:fldCharType"), "end")
            for el in (begin, instr, sep, num, end):
                run._element.append(el)
        else:
            run.text = text


def new_document() -> Document:
    """An empty A4 document with the GB/T 9704 page, styles and page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28) - Mm(7)
    _grid(section)
    normal = document.styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, odd=True)
    _page_number_footer(section.even_page_footer, odd=False)
    _add_font_fallbacks(document)
    document.core_properties.author = "巡察工作平台"
    return document


def title(document, text: str):
    para = document.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = None
    run = para.add_run(text)
    set_run_font(run, TITLE_FONT, TITLE_SIZE)
    para.paragraph_format.line_spacing = Pt(35)
    return para


def blank(document):
    return document.add_paragraph()


def body(document, text: str, *, indent: bool = True, align=None):
    para = document.add_paragraph()
    if indent:
        para.paragraph_format.first_line_indent = Pt(32)     # two characters of 三号
    if align is not None:
        para.alignment = align
    run = para.add_run(text)
    set_run_font(run, BODY_FONT, BODY_SIZE)
    return para


def heading1(document, text: str):
    para = body(document, "")
    run = para.add_run(text)
    set_run_font(run, HEADING_FONT, BODY_SIZE)
    return para


def heading2(document, text: str):
    para = body(document, "")
    run = para.add_run(text)
    set_run_font(run, HEADING2_FONT, BODY_SIZE)
    return para


def signature(document, who: str, when: str, *, keep_with: list | None = None):
    """落款: issuing organ and date, right-aligned with four characters of right indent.

    ``keep_with``: the paragraphs before it (e.g. 特此公告。and a blank line) that stay on its page,
    so the signature and date never stand alone on a new page.
    """
    for para in keep_with or []:
        keep_with_next(para)
    paras = []
    for text in (who, when):
        para = body(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        para.paragraph_format.right_indent = Pt(64)
        paras.append(para)
    keep_with_next(paras[0])
    return paras


def sign_block(document, lines: list[tuple[str, int]], *, keep_with: list | None = None):
    """A 落款 of several short lines, each ``(text, characters of right indent)`` (room to sign is
    right indent, since trailing spaces vanish at the end of a right-aligned line); kept together
    and with the paragraphs in ``keep_with``."""
    for para in keep_with or []:
        keep_with_next(para)
    paras = []
    for text, right_chars in lines:
        para = body(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        para.paragraph_format.right_indent = Pt(16 * right_chars)
        paras.append(para)
    for para in paras[:-1]:
        keep_with_next(para)
    return paras


def keep_with_next(para):
    para.paragraph_format.keep_with_next = True
    para.paragraph_format.keep_together = True
    return para


def page_break(document):
    from docx.enum.text import WD_BREAK

    para = document.add_paragraph()
    para.add_run().add_break(WD_BREAK.PAGE)
    return para


def title_line(document, text: str):
    """One line of a title (the lines come from ``titles.break_title``; a template loops over them)."""
    para = title(document, text)
    keep_with_next(para)
    return para


# ---- 版头 (GB/T 9704 §7.2) ------------------------------------------------------------------------

RED = "FF0000"
MARK_TOP = Mm(25)                  # 发文机关标志 below the top of the type area (35 mm less its own line)
RULE_GAP_PT = 11                   # red rule 4 mm below the 发文字号 (w:space is in points)


def organ_mark(document, text: str):
    """发文机关标志: red 小标宋, centred (the text may be a docxtpl ``{{r …}}`` tag sized per name)."""
    para = document.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = para.paragraph_format
    fmt.first_line_indent = None
    fmt.space_before = MARK_TOP
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = para.add_run(text)
    set_run_font(run, TITLE_FONT, Pt(26))
    run.font.color.rgb = _rgb(RED)
    return para


def document_number(document, text: str):
    """发文字号 centred 3号仿宋 two lines below the mark, with the red rule (版头分隔线) 4 mm under it."""
    for _ in range(2):
        blank(document)
    para = body(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", str(RULE_GAP_PT)), ("w:color", RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDER)
    return para


#: elements a paragraph's properties hold after w:pBdr (OOXML fixes their order)
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _rgb(hex_value: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_value)
