"""Fixtures: a city round driven through the stage machine by its services, with a problem list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuncha.findings.models import Problem
from xuncha.orgs.models import Organization
from xuncha.reports import services
from xuncha.rounds import services as round_services
from xuncha.rounds.models import Category, Round, Taxonomy, TeamMembership

ANNOUNCEMENT = {"ann_phone": "0915-3261234", "ann_postbox": "安康市邮政信箱2027号", "ann_email": "xcz@ak.gov.cn",
                "ann_letterbox_place": "市人防办一楼大厅", "ann_hours": "上午8:30至下午17:30"}
CITY_RFB = "安康市人民防空办公室"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def make_round(u, *, number: int = 1, targets=(CITY_RFB,), onsite: bool = True) -> Round:
    """A city round (巡察办 xcb; 组长 zuzhang, 副组长 fuzuzhang, 成员 zuyuan, 联络员 lianluo)."""
    xcb = u["xcb"]
    r = round_services.create_round(
        xcb, jurisdiction=xcb.organization.jurisdiction, kind=Round.Kind.SPECIAL, year=2027, number=number,
        title=f"2027年人防系统专项巡察（第{number}轮）", planned_start=date(2027, 3, 1), planned_end=date(2027, 4, 2),
        taxonomy=Taxonomy.objects.get(code="RF-9"), focus="易地建设费减免缓")
    T = TeamMembership.TeamRole
    for name, role in (("zuzhang", T.LEADER), ("fuzuzhang", T.DEPUTY), ("zuyuan", T.MEMBER), ("lianluo", T.LIAISON)):
        round_services.add_team_member(xcb, r, user=u[name], team_role=role)
    round_services.set_targets(xcb, r, [Organization.objects.get(name=n) for n in targets])
    if onsite:
        round_services.approve_plan(u["leader"], fresh(r))
        round_services.save_announcement(xcb, fresh(r), **ANNOUNCEMENT)
        round_services.publish_announcement(xcb, fresh(r))
        round_services.start_onsite(xcb, fresh(r))
    return fresh(r)


def category(code: str) -> Category:
    return Category.objects.get(taxonomy__code="RF-9", code=code)


def add_problem(r: Round, number: int, code: str | None, title: str, *, description: str = "", amount="0",
                unit: str | None = CITY_RFB, **flags) -> Problem:
    return Problem.objects.create(
        round=r, number=number, source=Problem.Source.MANUAL, category=category(code) if code else None,
        title=title, description=description, amount=Decimal(amount),
        responsible_unit=Organization.objects.get(name=unit) if unit else None, **flags)


def add_problems(r: Round) -> dict[str, Problem]:
    """Four confirmed problems (one the head's own, one of the leadership) and a withdrawn one."""
    return {
        "fee": add_problem(r, 1, "RF9-3-2", "易地建设费随意减免",
                           description="2024年以来对3个项目减免易地建设费125万元，无集体研究记录",
                           amount="1250000", amount_to_recover=Decimal("1250000")),
        "bribe": add_problem(r, 2, "RF9-3-1", "分管副主任在人防工程验收中吃拿卡要",
                             description="收受施工单位购物卡8万元", amount="80000", concerns_leadership=True),
        "head": add_problem(r, 3, "RF9-2-1", "主任违规干预人防工程审批",
                            description="主任郑卫东授意为其亲属所在企业办理审批", concerns_head=True,
                            concerns_leadership=True),
        "meeting": add_problem(r, 4, "RF9-2-2", "以会议贯彻会议，重痕迹不重落实",
                               description="2025年党组会议12次传达上级文件，未研究具体措施"),
        "withdrawn": add_problem(r, 5, "RF9-1-1", "已撤销的问题不应出现", status=Problem.Status.WITHDRAWN),
    }


def docx_upload(name: str = "巡察报告.docx", text: str = "修改稿") -> SimpleUploadedFile:
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def approve_report_fully(u, r: Round) -> Round:
    """草稿 → 报送 → 巡察办审核 → 领导小组审批 → 书记专题会议."""
    services.save_draft_version(u["zuyuan"], fresh(r))
    services.submit_report(u["zuzhang"], fresh(r))
    services.office_approve_report(u["xcb"], fresh(r))
    services.approve_report(u["leader"], fresh(r))
    services.record_decision(u["xcb"], fresh(r), meeting_date=timezone.localdate(), minute_no="书记专题会议纪要〔2027〕3号")
    return fresh(r)


def to_feedback(u, r: Round) -> Round:
    approve_report_fully(u, r)
    services.start_feedback(u["xcb"], fresh(r))
    return fresh(r)


def issue_all(u, r: Round) -> None:
    for f in r.feedbacks.all():
        services.brief_head(u["xcb"], f)
        services.issue_feedback(u["xcb"], fresh(f))


@pytest.fixture
def onsite(demo):
    return make_round(demo)
