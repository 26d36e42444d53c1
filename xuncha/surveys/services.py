"""State changes of questionnaires: templates, a round's questionnaires, codes, paper entry, work log.

Each function checks permission through ``xuncha.policy.surveys``, runs in one transaction and writes
the audit trail; a round's records refuse every change once the round is archived (``require_open``).
Answers themselves are stored by ``collect`` (online, no audit entry: it would hold the address and the
time) and ``paper`` (typed in by staff).
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.orgs.models import LeadershipMember
from xuncha.policy.surveys import survey_policy, survey_template_policy
from xuncha.rounds import worklogs
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import WorkLog

from . import builtin
from .models import Code, Question, Response, Survey

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read off a slip without doubt
CODE_LENGTH = 10                                      # 32^10 ≈ 10^15 codes; failed tries are rate limited
MAX_BATCH = 500
MAX_OPTIONS = 20


# ---- codes ------------------------------------------------------------------------------------

def normalize_code(raw: str) -> str:
    """What a person typed or a QR code carried: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:40]


def code_digest(raw: str) -> str:
    return hashlib.sha256(normalize_code(raw).encode()).hexdigest()


def show_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


# ---- options written as text ------------------------------------------------------------------

def parse_options(text: str) -> tuple[list[str], list[int]]:
    """One option per line; a line starting with * counts toward the 知晓率/满意度 (positive)."""
    options, positive = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        star = line.startswith(("*", "＊"))
        label = line.lstrip("*＊").strip()
        if not label:
            continue
        if star:
            positive.append(len(options))
        options.append(label[:200])
    return options, positive


def options_text(question: Question) -> str:
    return "\n".join(("*" if i in question.positive else "") + o for i, o in enumerate(question.options))


def _check_question(q: Question) -> None:
    if not q.text.strip():
        raise ValidationError("题目不能为空。")
    if q.kind == Question.Kind.TEXT:
        q.options, q.positive = [], []
        return
    if len(q.options) < 2:
        raise ValidationError(f"“{q.text[:30]}”是{q.get_kind_display()}题，至少要有两个选项（每行一个）。")
    if len(q.options) > MAX_OPTIONS:
        raise ValidationError(f"“{q.text[:30]}”的选项不能多于 {MAX_OPTIONS} 个。")
    if len(set(q.options)) != len(q.options):
        raise ValidationError(f"“{q.text[:30]}”有重复的选项。")
    if q.kind == Question.Kind.RATING and not q.positive:
        q.positive = [0, 1] if len(q.options) >= 3 else [0]


# ---- templates (模板) --------------------------------------------------------------------------

def _require_editable(actor, survey: Survey) -> None:
    if survey.is_template:
        survey_template_policy.require(actor, "manage", survey)
    else:
        require_open(survey.round)
        survey_policy.require(actor, "manage", survey)
        if survey.status != Survey.Status.DRAFT or survey.responses.exists():
            raise ValidationError("问卷已开始收集，不能再修改题目；如需调整，请另建一份问卷。")


@transaction.atomic
def save_template(actor, survey: Survey, *, request=None) -> Survey:
    """新建或修改本单位的问卷模板（标题、类型、说明、调查对象类别）."""
    created = survey.pk is None
    if created:
        survey_template_policy.require(actor, "manage")
        survey.jurisdiction_id = actor.organization.jurisdiction_id
        survey.builtin, survey.round = False, None
    else:
        _require_editable(actor, survey)
    survey.groups = [g.strip()[:50] for g in survey.groups if g and g.strip()]
    survey.full_clean()
    survey.save()
    record(actor, "survey.template_save", survey, request=request,
           summary=f"{'新建' if created else '修改'}问卷模板“{survey.title}”")
    return survey


@transaction.atomic
def save_survey(actor, survey: Survey, *, request=None) -> Survey:
    """修改本轮问卷的标题、说明和调查对象类别（开始收集前）."""
    _require_editable(actor, survey)
    survey.groups = [g.strip()[:50] for g in survey.groups if g and g.strip()]
    survey.full_clean()
    survey.save()
    record(actor, "survey.update", survey, request=request, summary=f"修改问卷“{survey.title}”")
    return survey


@transaction.atomic
def save_question(actor, question: Question, *, request=None) -> Question:
    """新增或修改一道题（模板，或尚未开始收集的本轮问卷）."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_editable(actor, survey)
    created = question.pk is None
    if created:
        question.order = (survey.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    _check_question(question)
    question.full_clean()
    question.save()
    record(actor, "survey.question_save", survey, request=request,
           summary=f"{'新增' if created else '修改'}“{survey.title}”的题目“{question.text[:40]}”")
    return question


@transaction.atomic
def delete_question(actor, question: Question, *, request=None) -> None:
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_editable(actor, survey)
    record(actor, "survey.question_delete", survey, request=request,
           summary=f"删除“{survey.title}”的题目“{question.text[:40]}”")
    question.delete()


def _copy_questions(source: Survey, target: Survey, members: list[LeadershipMember] | None) -> list[str]:
    warnings = []
    order = 0
    for q in source.questions.all():
        if q.per_member and members is not None:
            if not members:
                warnings.append(f"被巡察单位尚未录入领导班子名单，“{q.text}”未能按成员展开（可在单位页面录入后重建）。")
                continue
            for m in members:
                order += 1
                Question.objects.create(survey=target, order=order, text=f"{m.name}（{m.posts}）"[:500], kind=q.kind,
                                        required=q.required, options=q.options, positive=q.positive)
            continue
        order += 1
        Question.objects.create(survey=target, order=order, text=q.text, kind=q.kind, required=q.required,
                                options=q.options, positive=q.positive, per_member=q.per_member and members is None)
    return warnings


@transaction.atomic
def copy_template(actor, source: Survey, *, request=None) -> Survey:
    """复制一个模板（含全部题目）为本单位所有，供修改."""
    survey_template_policy.require(actor, "manage")
    survey_template_policy.get(actor, "view", pk=source.pk)
    copy = Survey.objects.create(jurisdiction_id=actor.organization.jurisdiction_id, builtin=False, kind=source.kind,
                                 title=f"{source.title}（{actor.organization.jurisdiction.name}）"[:200],
                                 intro=source.intro, groups=list(source.groups))
    _copy_questions(source, copy, None)
    record(actor, "survey.template_copy", copy, request=request, summary=f"复制问卷模板“{source.title}”")
    return copy


@transaction.atomic
def reload_builtin(actor, *, request=None) -> int:
    """重新载入随系统提供的模板（本单位的模板和各轮问卷不受影响）."""
    survey_template_policy.require(actor, "manage")
    n = builtin.load(Survey, Question)
    record(actor, "survey.builtin_reload", None, request=request, summary=f"重新载入随系统提供的问卷模板 {n} 份")
    return n


# ---- a round's questionnaires ---------------------------------------------------------------

@transaction.atomic
def create_from_template(actor, round_, template: Survey, *, request=None) -> tuple[Survey, list[str]]:
    """由模板建立本轮问卷; 民主测评的“班子成员”题按被巡察单位的领导班子名单逐人展开."""
    require_open(round_)
    survey_policy.require(actor, "manage", round_)
    template = survey_template_policy.get(actor, "view", pk=template.pk)
    members = list(LeadershipMember.objects.filter(organization__in=round_.targets.all())
                   .order_by("organization_id", "order", "pk"))
    survey = Survey.objects.create(round=round_, jurisdiction_id=round_.jurisdiction_id, kind=template.kind,
                                   title=template.title, intro=template.intro, groups=list(template.groups))
    warnings = _copy_questions(template, survey, members)
    record(actor, "survey.create", survey, request=request,
           summary=f"由模板“{template.title}”建立本轮问卷", data={"template": template.pk})
    return survey, warnings


def _locked(actor, survey: Survey, action: str) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("round").get(pk=survey.pk)
    require_open(survey.round)
    survey_policy.require(actor, action, survey)
    return survey


@transaction.atomic
def set_status(actor, survey: Survey, status: str, *, request=None) -> Survey:
    """开始收集 / 结束收集 / 重新开始收集."""
    survey = _locked(actor, survey, "manage")
    if status not in (Survey.Status.OPEN, Survey.Status.CLOSED):
        raise ValidationError("无效的操作。")
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise ValidationError("问卷还没有题目，不能开始收集。")
    if survey.status == status:
        return survey
    survey.status = status
    survey.save(update_fields=["status"])
    record(actor, "survey.status", survey, request=request,
           summary=f"问卷“{survey.title}”{'开始' if status == Survey.Status.OPEN else '结束'}收集")
    return survey


@transaction.atomic
def issue_codes(actor, survey: Survey, count: int, *, token: str = "", request=None) -> tuple[int, list[str]]:
    """打印一次性码: returns (batch, codes). The codes are shown this once; only their hashes are kept.

    ``token`` is the form's random token: a form sent twice (a reloaded slips page) prints no second batch.
    """
    survey = _locked(actor, survey, "manage")
    if token and token == survey.last_codes_token:
        last = survey.codes.order_by("-batch").values_list("batch", flat=True).first()
        raise ValidationError(f"第 {last} 批问卷条已经生成过，码只显示一次。如果没有打印出来，请作废第 {last} 批后重新生成。")
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError("问卷已结束收集，不能再打印一次性码。")
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError(f"一次打印的码数应在 1 至 {MAX_BATCH} 之间。")
    batch = (survey.codes.order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
    codes, rows = [], []
    today = timezone.localdate()
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code in codes:
            continue
        codes.append(code)
        rows.append(Code(survey=survey, digest=code_digest(code), batch=batch, issued_on=today))
    Code.objects.bulk_create(rows)     # the digest is unique: a (vanishingly rare) clash fails the whole batch
    if token:
        survey.last_codes_token = token[:40]
        survey.save(update_fields=["last_codes_token"])
    record(actor, "survey.codes_issue", survey, request=request,
           summary=f"为问卷“{survey.title}”打印一次性码第 {batch} 批 {count} 个", data={"batch": batch, "count": count})
    return batch, codes


@transaction.atomic
def void_batch(actor, survey: Survey, batch: int, *, request=None) -> int:
    """作废一批中尚未使用的码（如问卷条丢失）. Used codes and their answers stay."""
    survey = _locked(actor, survey, "manage")
    n = survey.codes.filter(batch=batch, used_on__isnull=True, voided=False).update(voided=True)
    record(actor, "survey.codes_void", survey, request=request,
           summary=f"作废问卷“{survey.title}”第 {batch} 批未使用的码 {n} 个", data={"batch": batch, "count": n})
    return n


@transaction.atomic
def set_paper_issued(actor, survey: Survey, count: int, *, request=None) -> Survey:
    """登记发放的纸质问卷份数（计入工作日志的发放份数）."""
    survey = _locked(actor, survey, "enter")
    if count < 0 or count > 100000:
        raise ValidationError("发放份数应为 0 至 100000 之间的整数。")
    entered = survey.responses.filter(channel=Response.Channel.PAPER).count()
    if count < entered:
        raise ValidationError(f"已录入纸质问卷 {entered} 份，发放份数不能少于此数。")
    survey.paper_issued = count
    survey.save(update_fields=["paper_issued"])
    record(actor, "survey.paper_issued", survey, request=request,
           summary=f"问卷“{survey.title}”发放纸质问卷 {count} 份")
    return survey


def tallies(survey: Survey) -> dict:
    """Forms issued (codes not voided + paper forms) and returned, in total and not yet in the work log."""
    codes = survey.codes.filter(voided=False).count()     # only unused codes are ever voided
    paper = survey.responses.filter(channel=Response.Channel.PAPER).count()
    issued = codes + max(survey.paper_issued, paper)
    returned = survey.responses.count()
    return {"issued": issued, "returned": returned, "paper": paper, "online": returned - paper,
            "new_issued": max(issued - survey.logged_issued, 0),
            "new_returned": max(returned - survey.logged_returned, 0)}


@transaction.atomic
def log_to_worklog(actor, survey: Survey, *, day, request=None) -> WorkLog:
    """记入工作日志: the forms issued and returned since the last entry (seed 000 counts them)."""
    survey = _locked(actor, survey, "log")
    t = tallies(survey)
    if not t["new_issued"] and not t["new_returned"]:
        raise ValidationError("自上次记入以来没有新发放或收回的问卷。")
    if t["new_returned"] > t["new_issued"]:
        raise ValidationError(f"本次新收回 {t['new_returned']} 份，多于新发放的 {t['new_issued']} 份，工作日志不能这样记；"
                              "请在结束收集后一并记入，或先登记发放的纸质问卷份数。")
    log = worklogs.add_log(actor, survey.round, day=day, work_type=WorkLog.WorkType.SURVEY,
                           content=f"开展“{survey.title}”，发放{t['new_issued']}份，收回{t['new_returned']}份",
                           forms_issued=t["new_issued"], forms_returned=t["new_returned"], request=request)
    survey.logged_issued += t["new_issued"]
    survey.logged_returned += t["new_returned"]
    survey.save(update_fields=["logged_issued", "logged_returned"])
    return log
