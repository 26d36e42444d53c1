"""Demo petitions (演示信访举报件) for 2026年人防系统腐败问题专项巡察."""

from __future__ import annotations

from datetime import date

from . import services
from .identity import Identity
from .models import Petition
from .selectors import categories


def populate(ctx) -> None:
    round_ = ctx.rounds["city"]
    cats = list(categories(round_).filter(parent__isnull=False)[:3]) or [None]
    zuzhang = ctx.users["zuzhang"]
    services.submit_public(round_, services.ReportData(
        subject_name="市人防办工程科", subject_title="",
        content="反映某小区人防工程竣工验收时面积不足，仍通过验收，请巡察组核实。", category=cats[0]))
    services.intake(zuzhang, round_, services.ReportData(
        subject_name="市人防办某副主任", subject_title="副主任", concerns_leadership=True,
        content="来信反映该副主任在人防工程审批中收受开发商财物，为其减免易地建设费。",
        anonymous=False, identity=Identity(name="林晓东", phone="13800001234", address="安康市汉滨区某小区"),
        category=cats[-1]), channel=Petition.Channel.LETTER, received_on=date(2026, 11, 5))
    services.intake(zuzhang, round_, services.ReportData(
        subject_name="市人防办某副主任", subject_title="副主任", concerns_leadership=True,
        content="电话反映该副主任在人防工程审批中收受开发商财物，为其减免易地建设费，情况属实。",
        anonymous=False, identity=Identity(name="林晓东", phone="138 0000 1234")),
        channel=Petition.Channel.PHONE, received_on=date(2026, 11, 9))
