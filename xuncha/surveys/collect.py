"""Collecting answers: online through a one-time code, and paper forms typed in by staff.

One code, one answer, even when two phones send the same code at the same moment: the code's row is
locked (``select_for_update``) and marked used in the same transaction that stores the answer, so
either both happen or neither. A paper form carries a random token of its entry form; the token is
unique, so a form sent twice (double Enter, a reloaded page) is stored once.

Anonymity: nothing here writes the audit log (its entries hold the address and the exact time); the
answer keeps the day only and is not linked to the code. The rate limit counts only refused tries
(unknown, used, void codes), as keyed hashes of the address kept for an hour: an accepted answer
leaves no mark with an address or a time anywhere, so none can be lined up with it.
A flood of accepted answers cannot happen: each needs an unused code, and each code counts once.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.core.net import client_ip
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Round

from .models import Answer, Code, Response, Survey, Throttle
from .services import code_digest, normalize_code

# Refused tries (unknown, used or void codes) per address: guessing codes is what a flood would do.
# Accepted answers are not limited (a meeting room behind one router answers 40 forms in minutes).
BAD_LIMIT = (10, timedelta(minutes=10))
KEEP = timedelta(hours=1)

UNKNOWN = "这个码不存在，请核对问卷条上的码（字母不分大小写，没有数字 0 和 1）。"
USED = "这个码已经使用过。每个码只能提交一次，您的答卷已经收到，不会重复计算。"
VOIDED = "这个码已作废，请向巡察组另领一张问卷条。"
NOT_OPEN = "这份问卷尚未开始收集，请稍后再试。"
CLOSED = "这份问卷已结束收集，感谢您的关注。"


class RateLimited(Exception):
    message = "您这个地址尝试的次数太多，请 10 分钟后再试。如果问卷条上的码无法使用，请向巡察组另领一张。"


class CodeRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _key(request, kind: str) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"survey:{client_ip(request)}".encode(), hashlib.sha256)
    return f"{kind}:{mac.hexdigest()[:40]}"


def check_rate(request) -> None:
    now = timezone.now()
    Throttle.objects.filter(at__lt=now - KEEP).delete()
    count, window = BAD_LIMIT
    if Throttle.objects.filter(key=_key(request, "bad"), at__gte=now - window).count() >= count:
        raise RateLimited()


def _mark(request, kind: str) -> None:
    Throttle.objects.create(key=_key(request, kind), at=timezone.now())


def _refuse(request, message: str):
    _mark(request, "bad")
    raise CodeRefused(message)


def _check(code: Code | None) -> None:
    if code is None:
        raise CodeRefused(UNKNOWN)
    if code.voided:
        raise CodeRefused(VOIDED)
    if code.used_on is not None:
        raise CodeRefused(USED)
    survey = code.survey
    if survey.round.stage == Round.Stage.ARCHIVED or survey.status == Survey.Status.CLOSED:
        raise CodeRefused(CLOSED)
    if survey.status != Survey.Status.OPEN:
        raise CodeRefused(NOT_OPEN)


def find_code(request, raw: str) -> Survey:
    """The survey a code opens (the code is not used yet). Refusals count toward the rate limit."""
    check_rate(request)
    if not normalize_code(raw):
        raise CodeRefused("请输入问卷条上的码。")
    code = Code.objects.select_related("survey__round").filter(digest=code_digest(raw)).first()
    try:
        _check(code)
    except CodeRefused as exc:
        _refuse(request, exc.message)
    return code.survey


def _store(survey: Survey, answers: dict[int, tuple[list[int], str]], *, group: str, channel: str,
           token: str | None = None, entered_by=None) -> Response:
    response = Response.objects.create(survey=survey, group=group, channel=channel, received_on=timezone.localdate(),
                                       entry_token=token, entered_by=entered_by)
    Answer.objects.bulk_create([Answer(response=response, question_id=qid, choices=choices, text=text)
                                for qid, (choices, text) in answers.items()])
    return response


def submit_online(request, raw: str, answers: dict, *, group: str = "") -> Response:
    """提交网上答卷: uses the code up and stores the answer in one transaction."""
    check_rate(request)
    try:
        with transaction.atomic():
            code = (Code.objects.select_for_update(of=("self",)).select_related("survey__round")
                    .filter(digest=code_digest(raw)).first())
            if code is not None:
                require_open(code.survey.round)     # the page says “已结束收集” before it gets here
            _check(code)
            survey = code.survey
            _valid_group(survey, group)
            _valid_answers(survey, answers)
            code.used_on = timezone.localdate()
            code.save(update_fields=["used_on"])
            response = _store(survey, answers, group=group, channel=Response.Channel.ONLINE)
    except CodeRefused as exc:
        _refuse(request, exc.message)
    return response


def _valid_group(survey: Survey, group: str) -> None:
    if group and group not in survey.groups:
        raise ValidationError(f"调查对象类别“{group}”不在本问卷的类别中。")


def _valid_answers(survey: Survey, answers: dict) -> None:
    """The same rules as the forms, checked again where the answer is stored."""
    questions = {q.pk: q for q in survey.questions.all()}
    for n, q in enumerate(questions.values(), start=1):
        if q.required and q.pk not in answers:
            raise ValidationError(f"第{n}题为必答题，尚未作答。")
    for qid, (choices, _text) in answers.items():
        q = questions.get(qid)
        if q is None:
            raise ValidationError("答卷中有不属于本问卷的题目。")
        if any(not 0 <= c < len(q.options) for c in choices) or (
                q.kind in ("single", "rating") and len(choices) != 1):
            raise ValidationError(f"“{q.text[:30]}”的选项无效。")


def enter_paper(actor, survey: Survey, answers: dict, *, group: str, token: str, request=None) -> tuple[Response, bool]:
    """录入一份纸质问卷. Returns (response, created); the same entry token twice stores one form."""
    from xuncha.policy.surveys import survey_policy

    existing = Response.objects.filter(entry_token=token).first() if token else None
    if existing is not None:
        return existing, False
    if not token or len(token) < 16:
        raise ValidationError("录入表单已失效，请刷新页面后重新录入这一份。")
    try:
        with transaction.atomic():
            survey = Survey.objects.select_for_update(of=("self",)).select_related("round").get(pk=survey.pk)
            require_open(survey.round)
            survey_policy.require(actor, "enter", survey)
            if survey.status == Survey.Status.CLOSED:
                raise ValidationError("问卷已结束收集，不能再录入；如确有遗漏，请先重新开始收集。")
            _valid_group(survey, group)
            _valid_answers(survey, answers)
            response = _store(survey, answers, group=group, channel=Response.Channel.PAPER, token=token,
                              entered_by=actor)
            record(actor, "survey.paper_entry", survey, request=request,
                   summary=f"录入问卷“{survey.title}”纸质答卷 1 份")
    except IntegrityError:
        # the same form arrived twice at the same moment: the other request stored it
        return Response.objects.get(entry_token=token), False
    return response, True
