"""Demo data for the report: a few confirmed problems in the city round (unless another app put its
own problem list there), so that 巡察报告草稿, 评价表 and 反馈意见 have something to say."""

from __future__ import annotations

from decimal import Decimal

from xuncha.findings.models import Problem
from xuncha.rounds.models import Category, Round

# (category code, title, facts, amount, to recover, head's own, leadership)
PROBLEMS = [
    ("RF9-3-2", "易地建设费随意减免缓", "2023年以来对5个房地产项目减免、缓缴易地建设费共计318.6万元，均无党组会议研究记录",
     "3186000", "3186000", False, False),
    ("RF9-3-1", "分管副主任在人防工程验收中吃拿卡要", "收受施工单位购物卡和礼品折合2.4万元", "24000", "0", False, True),
    ("RF9-2-2", "以会议贯彻会议，重痕迹不重落实", "2025年党组会议11次传达上级文件，均未研究具体落实措施", "0", "0", False, False),
    ("RF9-1-1", "对重要指示批示层层转批、应付了事", "主任对市委转发的指示批示仅作“请阅”批示，未组织专题研究", "0", "0",
     True, True),
]


def populate(ctx) -> None:
    city = Round.objects.get(pk=ctx.rounds["city"].pk)
    if Problem.objects.filter(round=city).exists() or city.taxonomy_id is None:
        return
    unit = ctx.org(ctx.city, "人民防空办公室")
    for number, (code, title, facts, amount, recover, head, leadership) in enumerate(PROBLEMS, start=1):
        Problem.objects.create(
            round=city, number=number, source=Problem.Source.MANUAL, found_by=Problem.FoundBy.DOCUMENTS,
            category=Category.objects.get(taxonomy_id=city.taxonomy_id, code=code), title=title, description=facts,
            responsible_unit=unit, amount=Decimal(amount), amount_to_recover=Decimal(recover), concerns_head=head,
            concerns_leadership=leadership, created_by=ctx.users["zuyuan"])
