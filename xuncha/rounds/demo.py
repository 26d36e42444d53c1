"""Demo data for rounds: the city round's plan and announcement, work logs of the 9 county rounds
(so the 进度通报 for 2026-11-25 reads like seed 000), and a few 函询."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from xuncha.workdays.services import add_working_days

from .models import Inquiry, Round, StageChange, Taxonomy, WorkLog

TZ = ZoneInfo("Asia/Shanghai")
T = WorkLog.WorkType
BRIEFING_DAY = date(2026, 11, 25)

# Every county: 学习, 开展调查, 查阅资料, 召开巡察组会议 (seed 000, 共同特点).
COMMON = [
    (date(2026, 11, 3), T.STUDY, "学习习近平总书记关于人防工作指示批示精神、市委人防系统专项巡察工作会议精神，学习《人防法》和人防政策理论"),
    (date(2026, 11, 5), T.INVESTIGATION, "到检察、审计、财政等相关部门了解检查、审计和人防收支情况，调查人防审批项目、资金规模、资金使用情况"),
    (date(2026, 11, 9), T.DOCUMENTS, "查阅被巡察单位财务资料、会议记录、项目资料"),
    (date(2026, 11, 10), T.MEETING, "召开巡察组会议，集中组织学习政策法规、辅导资料、市委巡察办对联动巡察工作的要求"),
]
# Each county's particular points (seed 000, 个性特点): (date, type, content, people, issued, returned)
PARTICULAR = {
    "xy": [(date(2026, 11, 18), T.INVESTIGATION, "走访了部分企业", 12, 0, 0)],
    "sq": [(date(2026, 11, 19), T.DATA_COMPARE, "对发改、住建、财政提供的项目情况进行了比对", 0, 0, 0)],
    "zp": [(date(2026, 11, 12), T.TALKS, "座谈动员，要求进一步统一思想认识，提高政治站位，共同完成好专项巡察工作", 0, 0, 0)],
    "pl": [(date(2026, 11, 16), T.STUDY, "学习《中华人民共和国人民防空法》及实施细则，重点学习收费标准和范围", 0, 0, 0)],
    "ns": [
        (date(2026, 11, 20), T.OTHER, "初步查找出人防机构在学习贯彻习近平总书记关于人防工作重要指示批示精神、对人防工作专题研究及"
                                      "安排部署等方面存在的问题2个，机构设置、人员配备等方面存在的问题1个", 0, 0, 0),
        (date(2026, 11, 23), T.INVESTIGATION, "走访城北社区、城关小学从事人防的工作人员，走访群众30人以上，对人防宣传知晓率进行调查",
         32, 0, 0),
    ],
    "lg": [(date(2026, 11, 13), T.OTHER, "明确进一步夯实工作责任，强化斗争精神，加强纪律要求，多向市委人防系统专项巡察组请示汇报，"
                                         "扎实做好巡察工作", 0, 0, 0)],
    "bh": [(date(2026, 11, 11), T.SURVEY, "召开巡察工作动员会，参会人员有分管人防工作的县级领导，发放并收回“人防系统专项巡察工作问卷调查”"
                                          "“专项巡察征求意见表”“专项巡察民主测评表”39份", 0, 39, 39)],
    "hy": [
        (date(2026, 11, 17), T.DOCUMENTS, "查阅了近年来人防工程建设、人防工程易地建设经费收支、管理、使用情况相关资料，对2025年以来建设的"
                                          "人防工程进行排查摸底", 0, 0, 0),
        (date(2026, 11, 24), T.CLUES, "与纪检、组织、信访等部门联系调取本县人防系统中可能存在的问题线索", 0, 0, 0),
    ],
    "zy": [(date(2026, 11, 24), T.TALKS, "与县人防办班子成员开展个别谈话", 6, 0, 0)],
}
# a log after the briefing day: must not appear in the briefing for the 25th
LATER = ("sq", date(2026, 11, 26), T.TALKS, "与县人防办干部个别谈话", 5)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def _log(round_, user, day, work_type, content, people=0, issued=0, returned=0):
    WorkLog.objects.create(round=round_, author=user, date=day, work_type=work_type, content=content,
                           people_talked=people, forms_issued=issued, forms_returned=returned)


def populate(ctx) -> None:
    city = ctx.rounds["city"]
    rf9 = Taxonomy.objects.filter(code="RF-9").first()
    Round.objects.filter(pk=city.pk).update(
        taxonomy=rf9, basis="按照市委的统一安排部署，根据市委人防系统专项巡察工作会议精神，结合我市实际，制定本方案。",
        tasks="坚持政治巡察定位，在“专”字上做文章，紧紧围绕批示精神这一核心开展，聚焦重点部位、关键环节和廉政风险点。",
        requirements="巡察干部要带头执行中央八项规定精神和《巡察工作“十不准”》规定，严格保密，主动接受监督。",
        planned_report=date(2026, 12, 11), planned_feedback=date(2026, 12, 25),
        plan_doc_no="安巡组发〔2026〕3号", plan_recipients="各相关单位",
        meeting_at=datetime.combine(date(2026, 11, 2), time(9), TZ), meeting_place="市人民防空办公室四楼会议室",
        meeting_attendees="市人防办领导班子成员、中层干部及全体在编在岗人员，市委第一巡察组全体成员",
        plan_approved_at=_at(date(2026, 10, 26)), plan_approved_by=ctx.users["leader"],
        ann_phone="0915-3261234", ann_postbox="安康市邮政信箱2026号", ann_email="akxcz2026@ak.gov.cn",
        ann_letterbox_place="市人民防空办公室一楼大厅", ann_hours="上午8:30至下午17:30",
        ann_reception_place="市委巡察办三楼接访室", announcement_published_at=_at(date(2026, 10, 30)),
    )
    for key, r in ctx.rounds.items():
        office = ctx.users["admin"] if key.startswith("city") else ctx.users.get(f"{key}_xcb")
        first = StageChange.objects.create(round=r, from_stage="", to_stage=Round.Stage.PREPARATION, actor=office)
        StageChange.objects.filter(pk=first.pk).update(at=_at(date(2026, 10, 20) if key != "city_regular"
                                                             else date(2026, 11, 16)))
        if r.stage == Round.Stage.ONSITE:
            onsite = StageChange.objects.create(round=r, from_stage=Round.Stage.PREPARATION,
                                                to_stage=Round.Stage.ONSITE, actor=office)
            StageChange.objects.filter(pk=onsite.pk).update(at=_at(r.planned_start))
    # the 9 county rounds (联动巡察)
    for prefix, points in PARTICULAR.items():
        r, leader = ctx.rounds[prefix], ctx.users[f"{prefix}_zz"]
        Round.objects.filter(pk=r.pk).update(taxonomy=rf9, plan_approved_at=_at(date(2026, 10, 28)),
                                             announcement_published_at=_at(date(2026, 10, 30)))
        for day, wt, content in COMMON:
            _log(r, leader, day, wt, content)
        for day, wt, content, people, issued, returned in points:
            _log(r, leader, day, wt, content, people, issued, returned)
    prefix, day, wt, content, people = LATER
    _log(ctx.rounds[prefix], ctx.users[f"{prefix}_zz"], day, wt, content, people)
    # the city round's own logs and 函询
    _log(city, ctx.users["zuyuan"], date(2026, 11, 4), T.DOCUMENTS, "调阅市人防办2023年以来党组会议记录和易地建设费收支台账")
    _log(city, ctx.users["fuzuzhang"], date(2026, 11, 6), T.TALKS, "与市人防办班子成员逐一个别谈话", 7)
    for recipient, org_key, subject, sent in (
        (Inquiry.Recipient.DISCIPLINE, "discipline", "市人防办领导班子及成员问题线索和信访举报情况", date(2026, 10, 20)),
        (Inquiry.Recipient.ORGANIZATION, "委组织部", "市人防办选人用人和干部监督有关情况", date(2026, 10, 20)),
        (Inquiry.Recipient.AUDIT, "审计局", "近三年对市人防办的审计发现问题及整改情况", date(2026, 10, 21)),
        (Inquiry.Recipient.PETITION, "信访局", "涉及人防系统的信访件办理情况", date(2026, 11, 16)),
    ):
        due, est = add_working_days(sent, 5)
        inquiry = Inquiry.objects.create(
            round=city, recipient=recipient, recipient_org=ctx.org(ctx.city, org_key), subject=subject,
            sent_on=sent, due_days=5, due_on=due, due_estimated=est, created_by=ctx.users["xcb"])
        if recipient != Inquiry.Recipient.PETITION:
            inquiry.replied_on = due
            inquiry.reply = "已书面回复，移交有关材料。"
            inquiry.save(update_fields=["replied_on", "reply"])
