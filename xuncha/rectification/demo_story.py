"""The story of the demo's rectification round (演示整改): 汉阴县's own 人防 special round, months before
today, its problem list, its 整改方案 (first filed too vague, returned, then accepted) and what happened
on the ledger since. Plain data; ``demo.py`` plays it through the services.

Days are working days relative to today (negative = before today), so the ledger has, whatever day the
demo is loaded: rows 已销号 (整改到位 / 基本整改到位), one 申请销号 waiting for the office, one red-carded
as 虚假整改, one past its 整改时限, one 未启动, and money recovered against money to recover.
"""

from __future__ import annotations

from xuncha.findings.models import Problem
from xuncha.rectification.models import Accountability, Item, Visit

F = Problem.FoundBy
SEV = Problem.Severity

# The round (working days before today).
PREPARED, ONSITE, ONSITE_END = -140, -130, -105
REPORTED, OFFICE_OK, LEADERSHIP_OK, MEETING = -100, -98, -96, -94
FED_BACK, SIGNED, RECTIFYING = -92, -91, -90
PLAN_FILED, PLAN_RETURNED, PLAN_REFILED, PLAN_ACCEPTED = -86, -85, -82, -81

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
ACCEPT_COMMENTS = "整改措施具体、责任明确、时限合理，同意。"

# The ledger's history: (day, hour, problem number, point, action, arguments), played in order of day.
# Actions: progress (text, money recovered so far or None), evidence (file title, note), request (text),
# approve (result, comments), red_card (comments).
R = Item.Result
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
A = Accountability.Form
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
