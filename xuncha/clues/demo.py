"""Demo clues (演示问题线索): one from a petition transferred to 安康市纪委监委, one from a cross-check."""

from __future__ import annotations

from datetime import date

from xuncha.orgs.models import Organization
from xuncha.petitions.models import Petition

from . import services
from .models import Disposal


def populate(ctx) -> None:
    round_ = ctx.rounds["city"]
    zuzhang = ctx.users["zuzhang"]
    petition = Petition.objects.filter(round=round_, channel=Petition.Channel.LETTER).first()
    if petition is not None:
        clue = services.create_clue_from_petition(zuzhang, petition, services.ClueData(
            person=petition.subject_name, position=petition.subject_title, level="township",
            summary=petition.content, evidence="来信及电话记录各 1 份"))
        services.dispose(zuzhang, clue, kind=Disposal.Kind.DISCIPLINE,
                         receiver=ctx.org(ctx.city, Organization.Kind.DISCIPLINE),
                         decided_on=date(2026, 11, 12), letter_no="安巡移〔2026〕1号",
                         reason="反映领导干部收受财物问题，移交市纪委监委处置。")
        jiwei = ctx.users["jiwei"]
        services.record_receipt(jiwei, clue, receipt_no="安纪收〔2026〕15号", received_on=date(2026, 11, 13))
        services.record_handling(jiwei, clue, method=Disposal.Method.VERIFY, method_on=date(2026, 11, 18),
                                 result="成立初核组，调取有关项目审批和易地建设费减免材料。")
    services.create_clue_from_crosscheck(
        zuzhang, round_, rule_code="R05", amount="386000.00",
        summary="3个项目应缴易地建设费未缴，且无减免审批记录。",
        records=[{"项目": "某商住楼", "应缴": 158000}, {"项目": "某综合体", "应缴": 228000}])
