"""What the report, the evaluation form, the summary and the feedback say, assembled from the round.

Plain reads: the round's facts (targets, team, dates), the work done counted from the work logs
and the petitions, the results of the round's questionnaires and 民主测评 (seed 015: a summary "the
report can take in"), the confirmed problems (问题清单) grouped by the taxonomy's 大类 and category with
their facts and money, the clues handed over as counts by disposal only (never names).
Documents (``docs.py``) and pages render the same dictionaries.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from xuncha.clues import selectors as clue_selectors
from xuncha.documents.services import cn_date, round_context
from xuncha.findings.models import Problem
from xuncha.petitions.models import Petition
from xuncha.rounds.models import Round, StageChange, WorkLog
from xuncha.surveys.models import Survey
from xuncha.surveys.results import survey_result

from .models import Feedback, Rating, Report

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
UNCATEGORISED = "其他问题"

#: 巡察总体评价表的评价项目 (seed 004: 三个聚焦; seed 001: 主体责任、作风、整改)
EVALUATION_ITEMS = [
    ("leadership", "贯彻落实党的路线方针政策和上级决策部署情况"),
    ("responsibility", "落实全面从严治党主体责任和监督责任情况"),
    ("integrity", "落实中央八项规定精神、党风廉政建设和反腐败工作情况"),
    ("party_building", "领导班子建设、干部队伍建设和基层党组织建设情况"),
    ("rectification", "整改巡视巡察、审计等监督发现问题情况"),
]
RATING_LABELS = dict(Rating.choices)


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (headings 一、二、…)."""
    if n <= 10:
        return ORDINALS[n - 1]
    if n < 20:
        return "十" + ORDINALS[n - 11]
    tens, ones = divmod(n, 10)
    return ORDINALS[tens - 1] + "十" + (ORDINALS[ones - 1] if ones else "")


def money(amount) -> str:
    """Amounts as people write them: 3407.62万元, or 860元 below ten thousand."""
    amount = Decimal(amount or 0)
    if amount >= 10000:
        return f"{(amount / 10000).quantize(Decimal('0.01'))}万元"
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal('1'))}元"
    return f"{amount.quantize(Decimal('0.01'))}元"


def confirmed_problems(round_: Round):
    return (Problem.objects.filter(round=round_, status=Problem.Status.CONFIRMED)
            .select_related("category__parent", "responsible_unit").order_by("number"))


def _top(category):
    return category.parent if category is not None and category.parent_id else category


def _sort_key(category):
    return (category.order, category.code) if category is not None else (10**9, "")


def problem_item(p: Problem) -> dict:
    """One problem as the documents print it."""
    text = p.description.strip()
    return {"number": p.number, "title": p.title.rstrip("。"), "text": text,
            "amount": money(p.amount) if p.amount else "", "recover": money(p.amount_to_recover)
            if p.amount_to_recover else "", "unit": p.responsible_unit.name if p.responsible_unit_id else "",
            "head": p.concerns_head, "leadership": p.concerns_leadership}


def group_problems(problems) -> list[dict]:
    """Problems under their 大类 and category, in taxonomy order, with counts and money."""
    tops: dict = {}
    for p in problems:
        top = _top(p.category)
        key = top.pk if top is not None else None
        group = tops.setdefault(key, {"category": top, "name": top.name if top else UNCATEGORISED,
                                      "subs": OrderedDict(), "count": 0, "amount": Decimal(0)})
        sub = p.category if p.category is not None and p.category.parent_id else None
        sub_key = sub.pk if sub is not None else None
        entry = group["subs"].setdefault(sub_key, {"category": sub, "name": sub.name if sub else "", "items": []})
        entry["items"].append(problem_item(p))
        group["count"] += 1
        group["amount"] += p.amount or 0
    result = []
    for group in sorted(tops.values(), key=lambda g: _sort_key(g["category"])):
        subs = sorted(group["subs"].values(), key=lambda s: _sort_key(s["category"]))
        result.append({"name": group["name"], "count": group["count"], "amount": money(group["amount"]),
                       "subs": [{"name": s["name"], "items": s["items"]} for s in subs]})
    return result


def work_counts(round_: Round) -> dict:
    """开展工作情况, counted from the work logs and the petitions received."""
    logs = list(WorkLog.objects.filter(round=round_).values_list("work_type", "date", "people_talked",
                                                                  "forms_issued", "forms_returned"))
    T = WorkLog.WorkType

    def count(kind):
        return sum(1 for row in logs if row[0] == kind)

    return {
        "logs": len(logs), "days": len({row[1] for row in logs}),
        "meetings": count(T.MEETING), "talks": count(T.TALKS), "people": sum(row[2] for row in logs),
        "documents": count(T.DOCUMENTS), "visits": count(T.INVESTIGATION), "study": count(T.STUDY),
        "data_checks": count(T.DATA_COMPARE), "surveys": count(T.SURVEY),
        "forms_issued": sum(row[3] for row in logs), "forms_returned": sum(row[4] for row in logs),
        "petitions": Petition.objects.filter(round=round_).count(),
    }


def work_sentence(w: dict) -> str:
    parts = [f"召开会议{w['meetings']}次", f"开展座谈和个别谈话{w['talks']}次、谈话走访{w['people']}人次",
             f"查阅资料{w['documents']}次", f"走访调查{w['visits']}次", f"受理信访举报{w['petitions']}件",
             f"发放问卷和测评表{w['forms_issued']}份、收回{w['forms_returned']}份",
             f"开展数据比对{w['data_checks']}次"]
    return "巡察期间，巡察组" + "，".join(parts) + f"，记录工作日志{w['logs']}条（{w['days']}个工作日）。"


def survey_sentences(round_: Round) -> list[str]:
    """问卷调查、征求意见、民主测评、知晓率调查: one sentence each for the round's questionnaires that
    received answers — forms returned and every favourable rate with its 95% confidence interval."""
    lines = []
    for survey in Survey.objects.filter(round=round_).exclude(status=Survey.Status.DRAFT).order_by("pk"):
        result = survey_result(survey)
        if not result.total:
            continue
        rates = [f"“{q.question.text.rstrip('？?')}”{survey.rate_label}{q.rate.percent}（{q.rate.ci_text}）"
                 for q in result.questions if q.rate is not None and q.answered]
        texts = sum(len(q.texts) for q in result.questions)
        line = f"开展{survey.get_kind_display()}“{survey.title}”，收回{result.total}份"
        if rates:
            line += "，其中" + "；".join(rates)
        if texts:
            line += f"；收集意见建议{texts}条"
        lines.append(line + "。")
    return lines


def clue_counts(round_: Round) -> tuple[int, list[tuple[str, int]]]:
    """问题线索 as counts by disposal only — never names."""
    counts = clue_selectors.counts(round_)
    return counts["total"], [(label, n) for label, n in counts["disposal"] if n]


def clue_sentence(round_: Round) -> str:
    total, by_kind = clue_counts(round_)
    if not total:
        return "巡察期间未发现需要移交的问题线索。"
    detail = "、".join(f"{label}{n}条" for label, n in by_kind)
    return f"巡察期间共发现问题线索{total}条，其中{detail}。"


def onsite_period(round_: Round) -> str:
    """Actual 进驻 dates when known (进驻 → 汇报), else the planned dates."""
    changes = {c.to_stage: c.at for c in StageChange.objects.filter(round=round_).order_by("at")}
    start, end = changes.get(Round.Stage.ONSITE), changes.get(Round.Stage.REPORTING)
    if start and end:
        return f"{cn_date(timezone.localtime(start).date())}至{cn_date(timezone.localtime(end).date())}"
    return round_context(round_)["period"]


def short_name(name: str) -> str:
    """第二类：主体责任履职尽责不力的问题 → 主体责任履职尽责不力."""
    name = re.sub(r"^第.{1,3}类[：:]", "", name)
    return re.sub(r"的?问题$", "", name) or name


def default_suggestions(groups: list[dict]) -> list[str]:
    lines = [f"针对{short_name(g['name'])}方面的问题，督促被巡察党组织逐项建立整改台账，明确责任人和整改时限，"
             "实行销号管理。" for g in groups if g["name"] != UNCATEGORISED]
    lines.append("对巡察发现的问题线索，按照干部管理权限分类处置，移交事项跟踪督办。")
    lines.append("被巡察党组织要举一反三，健全制度，堵塞漏洞，建立长效机制。")
    return lines


def suggestions(report: Report | None, groups: list[dict]) -> list[str]:
    text = (report.suggestions if report is not None else "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines or default_suggestions(groups)


@dataclass
class RoundFacts:
    round: Round
    ctx: dict
    period: str
    work: dict
    groups: list[dict]
    problem_count: int
    amount: str
    recover: str
    leadership_count: int
    clue_total: int
    clue_text: str
    suggestions: list[str]
    surveys: list[str] = field(default_factory=list)
    evaluation: list[tuple[str, str]] = field(default_factory=list)
    overall_rating: str = ""
    overall_comment: str = ""


def round_facts(round_: Round) -> RoundFacts:
    report = Report.objects.filter(round=round_).first()
    problems = list(confirmed_problems(round_))
    groups = group_problems(problems)
    clue_total, _ = clue_counts(round_)
    saved = (report.evaluation if report else {}) or {}
    return RoundFacts(
        round=round_, ctx=round_context(round_), period=onsite_period(round_), work=work_counts(round_),
        groups=groups, problem_count=len(problems), amount=money(sum((p.amount for p in problems), Decimal(0))),
        recover=money(sum((p.amount_to_recover for p in problems), Decimal(0))),
        leadership_count=sum(1 for p in problems if p.concerns_leadership or p.concerns_head),
        clue_total=clue_total, clue_text=clue_sentence(round_), suggestions=suggestions(report, groups),
        surveys=survey_sentences(round_),
        evaluation=[(label, RATING_LABELS.get(saved.get(code, ""), "")) for code, label in EVALUATION_ITEMS],
        overall_rating=RATING_LABELS.get(report.overall_rating, "") if report else "",
        overall_comment=report.overall_comment if report else "",
    )


# ---- 双反馈: what the organisation and its head receive -----------------------------------------

def unit_problems(round_: Round, unit) -> list[Problem]:
    """The unit's problems: its own, and (in a round of one target) those of no target unit."""
    targets = set(round_.targets.values_list("pk", flat=True))
    single = len(targets) == 1
    return [p for p in confirmed_problems(round_)
            if p.responsible_unit_id == unit.pk or (single and p.responsible_unit_id not in targets)]


def unassigned_problems(round_: Round) -> list[Problem]:
    """Problems no target unit can receive (a round of several targets needs each one placed)."""
    targets = set(round_.targets.values_list("pk", flat=True))
    if len(targets) <= 1:
        return []
    return [p for p in confirmed_problems(round_) if p.responsible_unit_id not in targets]


def _team_name(round_: Round) -> str:
    return f"{round_.jurisdiction.committee_name}巡察组"


def _leading_group(round_: Round) -> str:
    return f"{round_.jurisdiction.committee_name}巡察工作领导小组"


def organisation_content(feedback: Feedback) -> dict:
    """反馈意见 to the unit's Party organisation: every problem except the head's own (除其本人的问题外)."""
    round_, unit = feedback.round, feedback.unit
    party = unit.party_org or unit.name
    problems = [p for p in unit_problems(round_, unit) if not p.concerns_head]
    groups = group_problems(problems)
    committee = round_.jurisdiction.committee_name
    return {
        "title": f"{_team_name(round_)}关于巡察{party}的反馈意见",
        "to": f"{party}：",
        "intro": (f"根据{committee}统一部署，{_team_name(round_)}于{onsite_period(round_)}对{party}开展了"
                  f"{round_.get_kind_display()}。经{committee}书记专题会议审议同意，现将巡察情况反馈如下。"),
        "sections": [
            {"heading": "巡察发现的主要问题",
             "text": f"巡察发现{party}存在以下{len(problems)}个方面的问题：" if problems else "巡察未发现需要反馈的问题。",
             "groups": groups},
            {"heading": "整改要求",
             "paragraphs": [
                 f"{party}要根据反馈意见，有针对性地研究制定整改方案，认真全面整改。",
                 f"整改方案必须在10个工作日内、整改落实情况报告和主要负责人履行整改第一责任人的情况报告必须在2个月内"
                 f"以党内正式文件一式两份报{committee}巡察办。",
                 "对整改落实不及时、不到位或者敷衍塞责的，将严格进行责任追究。"]},
            {"heading": "问题线索处理",
             "paragraphs": ["对巡察中发现的问题线索，已按照干部管理权限和有关规定移交有关部门处理。"]},
        ],
        "signature": _leading_group(round_),
        "date": cn_date(timezone.localdate()),
        "problem_numbers": [p.number for p in problems],
    }


def head_content(feedback: Feedback) -> dict:
    """向主要负责人通报: the leadership's problems and, in a separate part, his own (双反馈)."""
    round_, unit = feedback.round, feedback.unit
    party = unit.party_org or unit.name
    problems = unit_problems(round_, unit)
    leadership = [p for p in problems if p.concerns_leadership and not p.concerns_head]
    own = [p for p in problems if p.concerns_head]
    head = unit.head or "主要负责人"
    return {
        "title": f"{_team_name(round_)}向{party}主要负责人通报巡察情况",
        "to": f"{head}同志：",
        "intro": (f"按照“双反馈”要求，在向{party}反馈巡察意见前，先向你原原本本通报巡察情况。"
                  f"巡察共发现{party}问题{len(problems)}个，涉及领导班子成员的问题{len(leadership)}个。"
                  f"除涉及你本人的问题外，其他问题将向{party}反馈。"),
        "sections": [
            {"heading": "涉及领导班子成员的问题", "groups": group_problems(leadership),
             "text": "" if leadership else "巡察未发现涉及其他领导班子成员的问题。"},
            {"heading": "涉及你本人的问题（单独通报，不向党组织反馈）", "groups": group_problems(own),
             "text": "" if own else "巡察未发现涉及你本人的问题。"},
            {"heading": "有关要求",
             "paragraphs": ["你作为整改第一责任人，要亲自签字接收巡察反馈意见，亲自部署、亲自推动整改，"
                            "对本人的问题要主动说明、认真整改。",
                            "本通报仅限你本人阅知，请注意保密。"]},
        ],
        "signature": _team_name(round_),
        "date": cn_date(timezone.localdate()),
        "confidential": "仅限主要负责人本人阅知",
        "problem_numbers": [p.number for p in leadership + own],
    }
