"""Demo questionnaires (seed 000): 白河 returned 39 forms of 问卷调查 / 征求意见表 / 民主测评表 at its mobilisation
meeting (already in its work log); 宁陕 surveyed 人防宣传知晓率 among 32 residents, online with code slips,
not yet in the work log."""

from __future__ import annotations

import hashlib
import random
from datetime import date

from xuncha.orgs.models import LeadershipMember

from .models import Answer, Code, Question, Response, Survey
from .services import _copy_questions

OPINIONS = ["建议加大易地建设费征收管理的公开力度", "希望巡察组重点关注人防工程验收环节", "班子成员要多深入基层",
            "人防宣传进社区、进学校还不够", "建议建立人防工程使用情况台账"]


def _survey(r, code: str, *, status: str) -> Survey:
    template = Survey.objects.get(code=code, builtin=True, round__isnull=True)
    survey = Survey.objects.create(round=r, jurisdiction_id=r.jurisdiction_id, kind=template.kind, title=template.title,
                                   intro=template.intro, groups=list(template.groups), status=status)
    members = list(LeadershipMember.objects.filter(organization__in=r.targets.all()).order_by("order", "pk"))
    _copy_questions(template, survey, members)
    return survey


def _answers(rng: random.Random, survey: Survey, weights: list[int]) -> dict:
    out = {}
    for q in survey.questions.all():
        if q.kind == Question.Kind.TEXT:
            if rng.random() < 0.3:
                out[q.pk] = ([], rng.choice(OPINIONS))
        elif q.kind == Question.Kind.MULTIPLE:
            if rng.random() < 0.6:
                out[q.pk] = (sorted(rng.sample(range(len(q.options)), rng.randint(1, 2))), "")
        else:
            w = (weights + [1] * len(q.options))[:len(q.options)]
            out[q.pk] = ([rng.choices(range(len(q.options)), weights=w)[0]], "")
    return out


def _fill(rng, survey: Survey, groups: list[str], day: date, channel: str, weights: list[int]) -> None:
    for group in groups:
        resp = Response.objects.create(survey=survey, group=group, channel=channel, received_on=day)
        Answer.objects.bulk_create([Answer(response=resp, question_id=qid, choices=c, text=t)
                                    for qid, (c, t) in _answers(rng, survey, weights).items()])


def populate(ctx) -> None:
    if not Survey.objects.filter(builtin=True, round__isnull=True).exists():
        return      # the data migration's templates were flushed (transactional tests)
    rng = random.Random(15)
    bh, ns = ctx.rounds.get("bh"), ctx.rounds.get("ns")
    if bh is not None:
        day = date(2026, 11, 11)
        groups = ["班子成员"] * 3 + ["中层干部"] * 4 + ["一般干部"] * 6
        for code, weights in (("RF-WJ", [6, 4, 2, 1]), ("RF-ZQ", []), ("RF-CP", [7, 4, 2, 1])):
            s = _survey(bh, code, status=Survey.Status.CLOSED)
            _fill(rng, s, groups, day, Response.Channel.PAPER, weights)
            Survey.objects.filter(pk=s.pk).update(paper_issued=13, logged_issued=13, logged_returned=13)
    if ns is not None:
        day = date(2026, 11, 23)
        s = _survey(ns, "RF-ZX", status=Survey.Status.OPEN)
        groups = ["社区居民"] * 20 + ["学生"] * 8 + ["机关干部"] * 4
        _fill(rng, s, groups, day, Response.Channel.ONLINE, [3, 1, 2])
        Code.objects.bulk_create([
            Code(survey=s, digest=hashlib.sha256(f"demo-ns-{i}".encode()).hexdigest(), batch=1,
                 issued_on=date(2026, 11, 22), used_on=day if i < 32 else None) for i in range(35)])
