"""The stories of the demo's back-half rounds (演示整改), plain data that ``demo.py`` plays through the services.

- 汉阴县 (``HANYIN``): its own 人防 special round, months before today, now in the 整改 stage: the problem
  list, the 整改方案 (first filed too vague, returned, then accepted) and what happened on the ledger since;
- 石泉县 (``SHIQUAN``): a round of the year before, every row 销号, 回访 整改到位, archived (归档).

Days are working days relative to today (negative = before today), so the ledger has, whatever day the
demo is loaded: rows 已销号 (整改到位 / 基本整改到位), one 申请销号 waiting for the office, one red-carded
as 虚假整改, one past its 整改时限, one 未启动, and money recovered against money to recover.
"""

from __future__ import annotations

from dataclasses import dataclass

from xuncha.findings.models import Problem
from xuncha.rectification.models import Accountability, Item, Visit

F = Problem.FoundBy
SEV = Problem.Severity
R = Item.Result
A = Accountability.Form
STEPS = ("prepared", "onsite", "onsite_end", "reported", "office_ok", "leadership_ok", "meeting", "fed_back",
         "signed", "rectifying", "plan_filed", "plan_accepted")


@dataclass(frozen=True)
class Story:
    """One county's round from 准备 to 整改 (or 归档): the accounts are ``<prefix>_xcb`` (巡察办),
    ``<prefix>_zz`` (组长), ``<prefix>_rfb`` / ``<prefix>_rfb_head`` (the unit) and ``<prefix>_leader``
    (领导小组, made for the story). ``days``: working days from today of each step in ``STEPS``, and of
    ``plan_returned`` / ``plan_refiled`` (a first plan sent back) and ``archived`` when the story has them."""

    county: str
    prefix: str
    leader_name: str
    title: str                      # ``{county}`` and ``{year}`` are filled in
    focus: str
    days: dict
    problems: list                  # see PROBLEMS
    events: list                    # see EVENTS
    records: list                   # see RECORDS
    accept_comments: str = "整改措施具体、责任明确、时限合理，同意。"
    return_comments: str = ""
    refile_note: str = ""


# 汉阴县: the round (working days before today).
HY_DAYS = {"prepared": -140, "onsite": -130, "onsite_end": -105, "reported": -100, "office_ok": -98,
           "leadership_ok": -96, "meeting": -94, "fed_back": -92, "signed": -91, "rectifying": -90,
           "plan_filed": -86, "plan_returned": -85, "plan_refiled": -82, "plan_accepted": -81}

FOCUS = ("聚焦人防工程审批、竣工验收和易地建设费征收、减免、缓缴、使用管理，检查学习贯彻习近平总书记关于人防工作"
         "重要指示批示精神和落实主体责任情况。")

# Problems, in their order in the 问题清单:
# (category, title, facts, found by, severity, amount, to recover, points, v1 measures, measures,
#  responsible leader, person, deadline)
PROBLEMS = [
    ("RF9-1-1", "对习近平总书记关于人防工作重要指示批示传达学习不及时、贯彻落实不具体",
     "2024年以来上级转发的3件关于人防工作的指示批示，仅在办公会上传达，未专题研究贯彻落实措施，未建立跟踪问效台账。",
     F.DOCUMENTS, SEV.GENERAL, "0", "0", [],
     None,
     "召开党组会议专题学习指示批示精神，逐件制定贯彻落实措施；建立指示批示学习贯彻落实台账，实行跟踪问效。",
     "县人防办主任", "办公室主任", -70),
    ("RF9-2-2", "以会议贯彻会议、以文件落实文件，重痕迹不重落实",
     "2025年党组会议研究人防工作11次，会议记录多为传达文件，未明确责任分工和完成时限，会议决定事项无督办。",
     F.DOCUMENTS, SEV.GENERAL, "0", "0", [],
     None,
     "修订党组会议议事规则，会议决定事项明确责任人和时限；建立会议决定事项督办台账，每季度通报落实情况。",
     "县人防办主任", "办公室主任", -50),
    ("RF9-3-2", "违规减免易地建设费",
     "2024年以来对城关镇2个房地产开发项目减免易地建设费共计98.56万元，不符合减免条件，未经党组会议集体研究，"
     "无减免审批手续。",
     F.DATA, SEV.SERIOUS, "985600", "985600", [],
     None,
     "对违规减免的易地建设费全额追缴入库；制定易地建设费征收减免管理办法，减免事项一律经党组会议集体研究并公示；"
     "对相关责任人员依规依纪追责问责。",
     "县人防办主任", "分管副主任", -45),
    ("RF9-3-2", "缓缴易地建设费期满未追缴",
     "某物流园、某安置小区2个项目缓缴易地建设费共计87.68万元，缓缴期满一年以上仍未追缴，未采取催缴措施。",
     F.DATA, SEV.SERIOUS, "876800", "876800", [],
     "加强易地建设费追缴工作。",
     "逐项目约谈建设单位，下达限期缴纳通知书；逾期不缴的依法申请强制执行；建立缓缴项目到期提醒台账，按月对账。",
     "县人防办主任", "分管副主任", -5),
    ("RF9-3-1", "防空地下室降低标准验收",
     "2025年对城南某小区防空地下室组织竣工验收时，实际建设面积比审批面积少320平方米，仍出具验收合格意见。",
     F.VISIT, SEV.SERIOUS, "0", "0", [],
     "督促建设单位整改。",
     "责令建设单位按审批面积补建，组织住建、人防联合复验；补建确有困难的，按规定补缴易地建设费；倒查验收责任。",
     "分管副主任", "工程股股长", 10),
    ("RF9-2-1", "领导班子成员对分管领域廉政风险排查不到位",
     "班子成员未按要求开展分管领域廉政风险点排查，工程审批、竣工验收、易地建设费征收等关键岗位无防控措施。",
     F.TALK, SEV.GENERAL, "0", "0", [],
     None,
     "班子成员逐一排查分管领域廉政风险点，制定防控措施；关键岗位实行定期轮岗和交叉复核。",
     "县人防办主任", "各班子成员", 6),
    ("RF9-3-3", "人防审批事项未全部进驻政务服务中心",
     "结合民用建筑防空地下室审批等3项人防审批事项仍在办公室内部办理，未进驻县政务服务中心，办理过程不公开。",
     F.VISIT, SEV.GENERAL, "0", "0",
     ["结建防空地下室审批等3项人防审批事项进驻县政务服务中心窗口办理",
      "人防审批事项办理结果在县政府门户网站公开"],
     None,
     "梳理人防审批事项清单，全部进驻县政务服务中心；审批结果按月公开。",
     "分管副主任", "综合股股长", 3),
]

RETURN_COMMENTS = ("整改措施针对性不强：问题4“加强易地建设费追缴工作”未明确追缴方式、时限和责任人；问题5未提出补建、"
                   "复验和责任倒查措施。请细化后重新报送。")
REFILE_NOTE = "按巡察办审核意见，细化了问题4、问题5的整改措施。"

# The ledger's history: (day, hour, problem number, point, action, arguments), played in order of day.
# Actions: progress (text, money recovered so far or None), evidence (file title, note), request (text),
# approve (result, comments), red_card (comments).
EVENTS = [
    (-80, 10, 1, 1, "progress", ("已召开党组会议专题学习3件指示批示精神，逐件制定贯彻落实措施。", None)),
    (-78, 10, 1, 1, "evidence", ("党组会议记录和指示批示贯彻落实措施清单", "党组会议记录（2页）和措施清单")),
    (-77, 9, 1, 1, "request", ("已建立指示批示学习贯彻落实台账，3件均已制定措施并明确责任人。",)),
    (-75, 15, 1, 1, "approve", (R.DONE, "佐证材料齐全，措施已落实，同意销号。")),
    (-79, 10, 3, 1, "progress", ("已向2家开发企业下达易地建设费追缴通知书。", "0")),
    (-72, 10, 2, 1, "progress", ("已修订党组会议议事规则，会议决定事项明确责任人和完成时限。", None)),
    (-76, 15, 4, 1, "progress", ("已约谈2个项目建设单位，下达限期缴纳通知书。", "0")),
    (-70, 10, 5, 1, "progress", ("已书面责令建设单位按审批面积补建防空地下室。", None)),
    (-62, 10, 3, 1, "progress", ("违规减免的易地建设费98.56万元已全额追缴，缴入县级国库。", "985600")),
    (-61, 10, 3, 1, "evidence", ("易地建设费缴款凭证和非税收入票据", "2家企业缴款凭证")),
    (-60, 10, 2, 1, "evidence", ("党组会议议事规则（修订）和会议决定事项督办台账", "")),
    (-57, 9, 2, 1, "request", ("议事规则已印发执行，督办台账已建立。",)),
    (-55, 15, 2, 1, "approve", (R.BASIC, "制度已修订，执行效果有待持续检验，按基本整改到位销号。")),
    (-50, 9, 3, 1, "request", ("已全额追缴，管理办法已印发，相关责任人已处理。",)),
    (-48, 15, 3, 1, "approve", (R.DONE, "缴库凭证经核实无误，同意销号。")),
    (-40, 10, 4, 1, "progress", ("某物流园项目已缴纳52.8万元；某安置小区项目建设单位申请分期缴纳，正在协调。", "528000")),
    (-39, 10, 4, 1, "evidence", ("某物流园项目易地建设费缴款凭证", "52.8万元缴款凭证")),
    (-30, 10, 6, 1, "progress", ("班子成员已完成分管领域廉政风险点排查。", None)),
    (-24, 10, 5, 1, "evidence", ("城南某小区防空地下室复验记录", "复验记录")),
    (-23, 9, 5, 1, "request", ("建设单位已完成补建，经联合复验合格。",)),
    (-20, 15, 5, 1, "red_card", ("经实地核查，该防空地下室仍比审批面积少320平方米，未见补建施工；复验记录系事后补签。"
                                 "认定为虚假整改，退回重新整改。",)),
    (-12, 10, 7, 1, "progress", ("已梳理人防审批事项清单3项，正在与县政务服务中心对接窗口设置。", None)),
    (-6, 10, 6, 1, "evidence", ("领导班子成员廉政风险点排查表和防控措施", "")),
    (-5, 9, 6, 1, "request", ("已完成班子成员廉政风险点排查，制定防控措施23条，关键岗位轮岗2人。",)),
]

# Around the ledger: (day, hour, action, arguments).
RECORDS = [
    (-58, 10, "rule", ("县人防办党组会议议事规则（修订）", "汉人防党发〔{year}〕3号", 2)),
    (-56, 10, "rule", ("汉阴县人防工程易地建设费征收减免管理办法（试行）", "汉人防发〔{year}〕8号", 3)),
    (-50, 16, "report", ("progress",)),
    (-49, 16, "report", ("head",)),
    (-47, 10, "disclosure", ("县人防办关于巡察整改进展情况的通报：巡察反馈的7个问题已整改到位3个，其余问题正在按整改方案推进；"
                             "已追缴违规减免的易地建设费98.56万元，修订完善制度2项。",)),
    (-46, 15, "publish", ()),
    (-45, 10, "accountability", ("王某某", "县人防办原副主任", "给予党内警告处分", A.SECOND, 3)),
    (-15, 10, "accountability", ("李某某", "县人防办工程股股长", "诫勉谈话", A.FIRST, 5)),
    (-10, 15, "visit", ("防空地下室补建和易地建设费追缴未完成：问题4缓缴的易地建设费尚有34.88万元未追缴，已超过整改时限；"
                        "问题5被认定为虚假整改，正在重新整改；其余问题已销号或正在办理。",
                        Visit.Conclusion.NOT_DONE)),
]

HANYIN = Story(county="汉阴县", prefix="hy", leader_name="吕建国", title="{county}{year}年人防工程建设和易地建设费专项巡察",
               focus=FOCUS, days=HY_DAYS, problems=PROBLEMS, events=EVENTS, records=RECORDS,
               return_comments=RETURN_COMMENTS, refile_note=REFILE_NOTE)

# 石泉县: a year earlier, every row 销号 and the round archived.
SQ_PROBLEMS = [
    ("RF9-3-2", "易地建设费应收未收",
     "2024年对3个新建项目未按规定征收易地建设费，应收未收共计42.6万元。",
     F.DATA, SEV.SERIOUS, "426000", "426000", [],
     None,
     "对应收未收的易地建设费逐项目追缴入库；建立征收台账，与住建部门施工许可信息按月比对。",
     "县人防办主任", "分管副主任", -150),
    ("RF9-2-3", "对审计发现问题整改不认真",
     "2023年县审计局指出的人防工程维护管理费使用不规范问题，仅作书面说明，未实际整改。",
     F.DOCUMENTS, SEV.GENERAL, "0", "0", [],
     None,
     "对审计指出问题逐条整改并报审计局复核；维护管理费实行专账核算。",
     "县人防办主任", "办公室主任", -140),
    ("RF9-3-1", "人防工程竣工验收备案资料不全",
     "抽查2023年以来8个人防工程竣工验收备案，3个缺少防护设备质量检测报告。",
     F.DOCUMENTS, SEV.GENERAL, "0", "0",
     ["补齐3个工程的防护设备质量检测报告", "修订竣工验收备案资料清单"],
     None,
     "责令建设单位补齐检测报告；修订验收备案资料清单，资料不全的不予备案。",
     "分管副主任", "工程股股长", -140),
]
SQ_EVENTS = [
    (-185, 10, 1, 1, "progress", ("已向3个项目建设单位下达易地建设费缴纳通知书。", "0")),
    (-180, 10, 2, 1, "progress", ("已对审计指出的维护管理费问题逐条整改，实行专账核算。", None)),
    (-175, 10, 3, 1, "progress", ("3个工程的防护设备质量检测报告已补齐。", None)),
    (-174, 10, 3, 1, "evidence", ("防护设备质量检测报告（3个工程）", "")),
    (-173, 9, 3, 1, "request", ("检测报告已补齐并归档。",)),
    (-171, 15, 3, 1, "approve", (R.DONE, "资料齐全，同意销号。")),
    (-170, 10, 3, 2, "progress", ("已修订人防工程竣工验收备案资料清单。", None)),
    (-169, 10, 3, 2, "evidence", ("人防工程竣工验收备案资料清单（修订）", "")),
    (-168, 9, 3, 2, "request", ("清单已印发执行。",)),
    (-166, 15, 3, 2, "approve", (R.DONE, "同意销号。")),
    (-160, 10, 1, 1, "progress", ("应收未收的易地建设费42.6万元已全部追缴入库。", "426000")),
    (-159, 10, 1, 1, "evidence", ("易地建设费缴款凭证（3个项目）", "")),
    (-158, 9, 1, 1, "request", ("已全额追缴，征收台账已建立。",)),
    (-156, 15, 1, 1, "approve", (R.DONE, "缴库凭证经核实无误，同意销号。")),
    (-150, 10, 2, 1, "evidence", ("审计局复核意见和维护管理费专账", "")),
    (-149, 9, 2, 1, "request", ("审计局已复核。",)),
    (-147, 15, 2, 1, "approve", (R.BASIC, "专账已建立，个别支出凭证仍不规范，按基本整改到位销号。")),
]
SQ_RECORDS = [
    (-165, 10, "rule", ("石泉县人防工程易地建设费征收管理办法", "石人防发〔{year}〕5号", 1)),
    (-168, 16, "report", ("progress",)),
    (-167, 16, "report", ("head",)),
    (-152, 10, "accountability", ("赵某某", "县人防办原征收股股长", "批评教育", A.FIRST, 1)),
    (-140, 15, "visit", ("反馈的3个问题均已销号，应收未收的易地建设费42.6万元已全部追缴入库，修订制度2项。", Visit.Conclusion.DONE)),
]
SQ_DAYS = {"prepared": -250, "onsite": -240, "onsite_end": -220, "reported": -215, "office_ok": -213,
           "leadership_ok": -212, "meeting": -210, "fed_back": -208, "signed": -207, "rectifying": -206,
           "plan_filed": -200, "plan_accepted": -198, "archived": -130}
SHIQUAN = Story(county="石泉县", prefix="sq", leader_name="尹志华", title="{county}{year}年人防系统专项巡察",
                focus="聚焦易地建设费征收管理和人防工程竣工验收备案，检查落实主体责任和审计发现问题整改情况。",
                days=SQ_DAYS, problems=SQ_PROBLEMS, events=SQ_EVENTS, records=SQ_RECORDS)

STORIES = [HANYIN, SHIQUAN]
