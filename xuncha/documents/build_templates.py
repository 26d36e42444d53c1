"""Generate the default docxtpl templates shipped in ``xuncha/documents/data/``.

Run after changing a template's wording:  ``python -m xuncha.documents.build_templates``
Each template is a GB/T 9704 document (see ``gbt9704``) whose text holds Jinja tags that docxtpl
fills from ``services.round_context``. ``{%p … %}`` tags stand alone in their own paragraph.
"""

from __future__ import annotations

from pathlib import Path

from . import gbt9704 as g

DEFAULT_DIR = Path(__file__).resolve().parent / "data"


def _lines(doc, variable: str):
    """A title broken into lines by ``titles.break_title`` (one paragraph per line)."""
    g.body(doc, f"{{%p for line in {variable} %}}", indent=False)
    g.title_line(doc, "{{ line }}")
    g.body(doc, "{%p endfor %}", indent=False)


def _plan(doc):
    """关于印发《…工作方案》的通知 with its 版头 (seed 001), then the 工作方案 on a new page."""
    g.organ_mark(doc, "{{r issuer_mark }}")
    g.document_number(doc, "{{ doc_no }}")
    g.blank(doc)
    g.blank(doc)
    _lines(doc, "notice_title_lines")
    g.blank(doc)
    g.body(doc, "{{ recipients }}：", indent=False)
    g.body(doc, "《{{ plan_name }}》已经{{ committee_short }}同意，现印发你们，请自觉接受巡察监督，积极主动配合，"
                "确保巡察工作取得实效。")
    blank = g.blank(doc)
    g.signature(doc, "{{ issuer }}", "{{ today }}", keep_with=[blank])
    g.page_break(doc)
    _lines(doc, "plan_title_lines")
    g.blank(doc)
    g.body(doc, "{{ basis }}")
    g.heading1(doc, "一、总体要求和主要任务")
    g.body(doc, "{{ tasks }}")
    g.heading1(doc, "二、巡察重点")
    g.body(doc, "{%p for line in focus_lines %}", indent=False)
    g.body(doc, "{{ line }}")
    g.body(doc, "{%p endfor %}", indent=False)
    g.heading1(doc, "三、巡察对象及巡察组")
    g.body(doc, "{{ committee }}组建巡察组，巡察{{ targets_text }}。巡察组由{{ committee }}领导并派出，"
                "接受{{ committee }}巡察办统一安排、统一领导。巡察工作实行组长负责制，副组长协助组长开展工作。")
    g.body(doc, "巡察组：{{ team_text }}")
    g.heading1(doc, "四、巡察时间")
    g.body(doc, "本轮巡察时间为：{{ period }}。具体时间由巡察组统筹安排和掌握。")
    g.heading1(doc, "五、方法步骤")
    g.body(doc, "巡察工作按巡察准备、进驻巡察、巡察汇报、巡察反馈4个阶段进行。被巡察单位党组织要根据反馈意见"
                "研究制定整改方案，整改方案必须在10个工作日内、整改落实情况报告必须在2个月内报巡察办。")
    g.heading1(doc, "六、工作要求")
    last = g.body(doc, "{{ requirements }}")
    blank = g.blank(doc)
    g.signature(doc, "{{ issuer }}", "{{ today }}", keep_with=[last, blank])


def _announcement(doc):
    _lines(doc, "announcement_title_lines")
    g.title_line(doc, "巡察公告")
    g.blank(doc)
    g.body(doc, "根据{{ committee }}统一部署，{{ committee }}巡察组将于{{ period }}对{{ targets_text }}开展"
                "{{ round_title }}。"
                "巡察组主要受理反映被巡察党组织领导班子及其成员、下一级党组织主要负责人、关键岗位党员干部"
                "问题的来信来电来访，重点是违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和生活纪律等"
                "方面的举报和反映。其他信访问题将按照分级负责、属地管理原则，转交被巡察党组织和有关部门处理。")
    g.body(doc, "为便于干部群众反映情况，巡察期间设立以下联系方式：")
    g.body(doc, "值班电话：{{ phone }}（受理时间：{{ hours }}）")
    g.body(doc, "邮政信箱：{{ postbox }}")
    g.body(doc, "电子邮箱：{{ email }}")
    g.body(doc, "举报信箱设置地点：{{ letterbox_place }}")
    g.body(doc, "{%p if reception_place %}", indent=False)
    g.body(doc, "接访地点：{{ reception_place }}")
    g.body(doc, "{%p endif %}", indent=False)
    g.body(doc, "{%p if report_url %}", indent=False)
    g.body(doc, "网上反映：登录巡察工作平台在线反映问题（网址：{{ report_url }}）。")
    g.body(doc, "{%p endif %}", indent=False)
    closing = g.body(doc, "特此公告。")
    blank = g.blank(doc)
    g.signature(doc, "{{ issuer }}", "{{ today }}", keep_with=[closing, blank])


def _agenda(doc):
    _lines(doc, "agenda_title_lines")
    g.blank(doc)
    g.body(doc, "时间：{{ meeting_time }}", indent=False)
    g.body(doc, "地点：{{ meeting_place }}", indent=False)
    g.body(doc, "参会人员：{{ meeting_attendees }}", indent=False)
    g.body(doc, "主持：{{ host }}", indent=False)
    g.heading1(doc, "会议议程")
    g.body(doc, "一、巡察组组长{{ leader }}讲话，通报巡察任务和工作安排；")
    g.body(doc, "二、巡察组副组长{{ deputy }}宣读巡察工作方案；")
    g.body(doc, "三、被巡察单位党组（党委）主要负责同志作表态发言，签订巡察承诺书；")
    g.body(doc, "四、进行问卷调查、民主测评，广泛征求意见。")


def _pledge(doc):
    g.title_line(doc, "巡察承诺书")
    g.blank(doc)
    g.body(doc, "{{ committee }}巡察组：", indent=False)
    g.body(doc, "为确保{{ round_title }}顺利开展，{{ unit_party_org }}郑重承诺：")
    g.body(doc, "一、自觉接受巡察监督，积极主动配合巡察组开展工作，及时、如实提供巡察组要求的资料和情况；")
    g.body(doc, "二、不隐瞒或者故意提供虚假情况，不拒绝或者不按要求提供资料，不暗示、指使、强令有关单位或者"
                "人员干扰、阻挠巡察工作，不对反映问题的干部群众打击报复；")
    last = g.body(doc, "三、对巡察中发现的问题即知即改、立行立改，对巡察后反馈的问题全面整改，整改方案在10个工作日内、"
                       "整改落实情况报告在2个月内报送巡察办。")
    blank = g.blank(doc)
    # 落款 in three short lines (unit, the head's signature, date), so none of them wraps
    g.sign_block(doc, [("{{ unit_party_org }}（盖章）", 2), ("主要负责人（签字）：", 8), ("{{ today }}", 4)],
                 keep_with=[last, blank])


def _briefing(doc):
    g.title(doc, "{{ title }}")
    g.blank(doc)
    g.heading1(doc, "一、各组的共同特点")
    g.body(doc, "{%p for line in common %}", indent=False)
    g.body(doc, "{{ line }}")
    g.body(doc, "{%p endfor %}", indent=False)
    g.heading1(doc, "二、个性特点")
    g.body(doc, "{%p for c in particular %}", indent=False)
    g.body(doc, "{{ c.name }}，{{ c.text }}。")
    g.body(doc, "{%p endfor %}", indent=False)
    g.body(doc, "{%p if silent %}", indent=False)
    g.body(doc, "尚未报送工作日志的：{{ silent }}。")
    g.body(doc, "{%p endif %}", indent=False)
    g.blank(doc)
    g.signature(doc, "{{ office }}", "{{ today }}")


BUILDERS = {"plan": _plan, "announcement": _announcement, "agenda": _agenda, "pledge": _pledge,
            "briefing": _briefing}


def build(directory: Path = DEFAULT_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, builder in BUILDERS.items():
        doc = g.new_document()
        builder(doc)
        path = directory / f"{kind}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
