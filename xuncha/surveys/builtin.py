"""The questionnaires shipped with the platform (seed 000: 白河 returned 39 forms of “人防系统专项巡察工作问卷调查”
“专项巡察征求意见表”“专项巡察民主测评表”; 宁陕 surveyed 人防宣传知晓率 among 30+ residents).

``load(Survey, Question)`` creates or refreshes them; the data migration calls it with the historical
models, the office page “重新载入随系统提供的模板” with the real ones. A shipped template is read-only:
an office copies it to change it (its copies and the rounds' questionnaires are never touched here).
"""

from __future__ import annotations

GOOD4 = ["好", "较好", "一般", "差"]
SATISFIED4 = ["满意", "比较满意", "一般", "不满意"]
STAFF_GROUPS = ["班子成员", "中层干部", "一般干部", "群众"]


def _q(text, kind="single", options=(), positive=(), required=True, per_member=False):
    return {"text": text, "kind": kind, "options": list(options), "positive": list(positive),
            "required": required, "per_member": per_member}


BUILTIN = [
    {
        "code": "RF-WJ", "kind": "questionnaire", "title": "人防系统专项巡察工作问卷调查", "groups": STAFF_GROUPS,
        "intro": "本问卷不记名，请根据您的了解如实填写。巡察组对问卷内容严格保密。",
        "questions": [
            _q("您对本单位领导班子落实人防工作主体责任情况的总体评价", "rating", SATISFIED4, [0, 1]),
            _q("本单位对上级关于人防工作的重要指示批示是否存在层层转批、表态多行动少的情况", "single",
               ["不存在", "个别存在", "普遍存在", "不了解"], [0]),
            _q("您认为本单位在以下哪些方面存在问题（可多选）", "multiple",
               ["人防工程违规审批、验收", "易地建设费违规减免缓、使用", "人防工程出租收益管理",
                "执行中央八项规定精神", "选人用人", "其他"], required=False),
            _q("您对本单位党风廉政建设和作风建设情况是否满意", "rating", SATISFIED4, [0, 1]),
            _q("您对本单位人防工作还有哪些意见建议", "text", required=False),
        ],
    },
    {
        "code": "RF-ZQ", "kind": "opinion", "title": "专项巡察征求意见表", "groups": STAFF_GROUPS,
        "intro": "请就以下方面提出意见建议。本表不记名，巡察组严格保密。",
        "questions": [
            _q("对被巡察单位领导班子的意见建议", "text", required=False),
            _q("对领导班子成员的意见建议", "text", required=False),
            _q("对人防工程建设、易地建设费征收管理等方面的意见建议", "text", required=False),
            _q("您认为巡察组应当重点关注的问题", "text", required=False),
        ],
    },
    {
        "code": "RF-CP", "kind": "evaluation", "title": "专项巡察民主测评表", "groups": STAFF_GROUPS[:3],
        "intro": "请在每一项的“好、较好、一般、差”中选择一项。本表不记名。",
        "questions": [
            _q("领导班子总体评价", "rating", GOOD4, [0, 1]),
            _q("领导班子落实全面从严治党主体责任情况", "rating", GOOD4, [0, 1]),
            _q("领导班子成员", "rating", GOOD4, [0, 1], per_member=True),
        ],
    },
    {
        "code": "RF-ZX", "kind": "awareness", "title": "人防宣传知晓率调查",
        "groups": ["社区居民", "机关干部", "学生", "其他"],
        "intro": "为了解人民防空宣传教育情况，请您花一分钟回答以下问题。本调查不记名。",
        "questions": [
            _q("您是否知道防空警报信号（预先警报、空袭警报、解除警报）", "single",
               ["知道", "听说过但不清楚", "不知道"], [0]),
            _q("您是否知道离您最近的人防工程（防空地下室、疏散场所）在哪里", "single",
               ["知道", "不知道"], [0]),
            _q("您是否知道本市每年组织防空警报试鸣", "single", ["知道", "不知道"], [0]),
            _q("您是否参加过人防知识宣传教育或疏散演练", "single", ["参加过", "没有参加过"], [0]),
            _q("您通过哪些渠道了解人防知识（可多选）", "multiple",
               ["电视广播", "报刊", "网络新媒体", "社区宣传", "学校教育", "其他"], required=False),
            _q("您对人防宣传工作的意见建议", "text", required=False),
        ],
    },
]


def load(Survey, Question) -> int:
    """Create the shipped templates, or bring them back to the shipped text. Returns how many."""
    for spec in BUILTIN:
        survey, _ = Survey.objects.update_or_create(
            code=spec["code"], builtin=True, round=None,
            defaults={"kind": spec["kind"], "title": spec["title"], "intro": spec["intro"],
                      "groups": spec["groups"], "jurisdiction": None})
        survey.questions.all().delete()
        for i, q in enumerate(spec["questions"], start=1):
            Question.objects.create(survey=survey, order=i, **q)
    return len(BUILTIN)
