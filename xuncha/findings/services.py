"""State changes of the round's problem list (问题清单). One function per change: each checks the
permission through ``xuncha.policy.findings``, refuses an archived round, runs in a transaction and
writes the audit trail.

Other apps create problems only through ``create_problem`` (the cross-check app when a member
confirms a 疑点, ``problem_from_clue`` for a 问题线索).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.files.models import StoredFile
from xuncha.files.services import check_upload, store_upload
from xuncha.policy.findings import problem_policy
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Category, Round

from .models import Problem

MAX_TEXT = 20000
MAX_MONEY = Decimal("99999999999999.99")
#: fields of Problem a caller may also set through ``**extra``
EXTRA_FIELDS = ("concerns_head", "concerns_leadership", "source_clue", "rule_code")


def _text(value, limit=MAX_TEXT) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _money(value, label: str) -> Decimal:
    """An amount in 元 with two decimals; a Chinese message naming the field otherwise."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}应填写数字（元），不是“{value}”。") from None
    if not amount.is_finite():
        raise ValidationError(f"{label}应填写数字（元），不是“{value}”。")
    if amount < 0:
        raise ValidationError(f"{label}不能为负数。")
    if amount > MAX_MONEY:
        raise ValidationError(f"{label}过大。")
    return amount.quantize(Decimal("0.01"))


def _check_fields(round_: Round, *, source, found_by, title, category, responsible_unit, severity,
                  amount, amount_to_recover) -> tuple[Decimal, Decimal]:
    if source not in Problem.Source.values:
        raise ValidationError("问题来源无效。")
    if found_by not in Problem.FoundBy.values:
        raise ValidationError("发现方式无效。")
    if severity not in Problem.Severity.values:
        raise ValidationError("严重程度无效。")
    if not _text(title, 200):
        raise ValidationError("请填写问题概述。")
    if len(_text(title)) > 200:
        raise ValidationError("问题概述不能超过 200 字。")
    if category is not None and category.taxonomy_id != round_.taxonomy_id:
        raise ValidationError("问题类别不属于本轮巡察的问题分类。")
    if responsible_unit is not None and not round_.targets.filter(pk=responsible_unit.pk).exists():
        raise ValidationError("责任单位应为本轮被巡察单位。")
    amount = _money(amount, "涉及金额")
    recover = _money(amount_to_recover, "应追缴/挽回金额")
    return amount, recover


def _check_evidence(evidence_files) -> None:
    """Every upload checked before anything is saved (a bad file saves nothing)."""
    for f in evidence_files or ():
        if not isinstance(f, StoredFile):
            check_upload(f)


def _attach(problem: Problem, evidence_files, actor) -> list[StoredFile]:
    stored = [f if isinstance(f, StoredFile) else store_upload(f, actor=actor) for f in evidence_files or ()]
    if stored:
        problem.evidence.add(*stored)
    return stored


def _next_number(round_: Round) -> int:
    """The round's next problem number (序号), without gaps between concurrent registrations.

    The round's row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite takes its write
    lock when the transaction begins, ``transaction_mode=IMMEDIATE``), so two registrations in one
    round wait for each other instead of reading the same largest number. Call inside the transaction.
    """
    Round.objects.select_for_update().filter(pk=round_.pk).values_list("pk", flat=True).first()
    last = Problem.objects.filter(round_id=round_.pk).aggregate(m=Max("number"))["m"] or 0
    return last + 1


def create_problem(*, round_: Round, actor, source: str, found_by: str, title: str, description: str = "",
                   category: Category | None = None, amount=0, amount_to_recover=0, responsible_unit=None,
                   responsible_person: str = "", severity: str = Problem.Severity.GENERAL,
                   evidence_files=(), request=None, **extra) -> Problem:
    """登记问题: a problem of the round's 问题清单 (from a 疑点, a 问题线索 or entered by hand).

    ``evidence_files``: uploads (checked, then stored through ``xuncha.files``) or ``StoredFile`` rows.
    ``extra``: ``concerns_head``, ``concerns_leadership``, ``source_clue`` (use ``problem_from_clue``),
    ``rule_code`` (the cross-check rule of a confirmed 疑点, e.g. ``R03``).
    """
    require_open(round_)
    problem_policy.require(actor, "manage", round_)
    unknown = set(extra) - set(EXTRA_FIELDS)
    if unknown:
        raise TypeError(f"create_problem() got unexpected keyword arguments: {sorted(unknown)}")
    amount, recover = _check_fields(
        round_, source=source, found_by=found_by, title=title, category=category,
        responsible_unit=responsible_unit, severity=severity, amount=amount, amount_to_recover=amount_to_recover)
    _check_evidence(evidence_files)
    if "rule_code" in extra:
        extra["rule_code"] = _text(extra["rule_code"], 20)
    with transaction.atomic():
        problem = Problem.objects.create(
            round=round_, number=_next_number(round_), source=source, found_by=found_by, category=category,
            title=_text(title, 200), description=_text(description), responsible_unit=responsible_unit,
            responsible_person=_text(responsible_person, 100), severity=severity, amount=amount,
            amount_to_recover=recover, created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **extra)
        stored = _attach(problem, evidence_files, actor)
        record(actor, "findings.create", problem, request=request,
               summary=f"登记问题{problem.number}（{problem.get_source_display()}）：{problem.title}"[:500],
               data={"round": round_.pk, "source": source, "found_by": found_by, "amount": amount,
                     "evidence": [f.pk for f in stored],
                     "source_clue": extra["source_clue"].pk if extra.get("source_clue") else None})
    return problem


#: fields a person may change on an existing problem
EDITABLE = ("found_by", "title", "description", "category", "responsible_unit", "responsible_person",
            "severity", "amount", "amount_to_recover", "concerns_head", "concerns_leadership")


def update_problem(actor, problem: Problem, *, request=None, **changes) -> Problem:
    """修改问题: the audit entry names each changed field with its old and new value."""
    require_open(problem.round)
    problem_policy.require(actor, "manage", problem)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_problem() got unexpected keyword arguments: {sorted(unknown)}")
    with transaction.atomic():
        problem = Problem.objects.select_for_update().select_related("round").get(pk=problem.pk)
        if problem.status == Problem.Status.WITHDRAWN:
            raise ValidationError("问题已撤销，不能再修改。")
        values = {f: getattr(problem, f) for f in EDITABLE}
        values.update(changes)
        amount, recover = _check_fields(
            problem.round, source=problem.source, found_by=values["found_by"], title=values["title"],
            category=values["category"], responsible_unit=values["responsible_unit"],
            severity=values["severity"], amount=values["amount"], amount_to_recover=values["amount_to_recover"])
        values.update(amount=amount, amount_to_recover=recover, title=_text(values["title"], 200),
                      description=_text(values["description"]),
                      responsible_person=_text(values["responsible_person"], 100))
        diff = {}
        for field, new in values.items():
            old = getattr(problem, field)
            if old != new:
                diff[field] = [str(old) if old is not None else "", str(new) if new is not None else ""]
                setattr(problem, field, new)
        if diff:
            problem.save()
            names = "、".join(str(Problem._meta.get_field(f).verbose_name) for f in diff)
            record(actor, "findings.update", problem, request=request,
                   summary=f"修改问题{problem.number}：{names}"[:500], data={"changes": diff})
    return problem


def add_evidence(actor, problem: Problem, files, *, request=None) -> list[StoredFile]:
    """上传证据材料 (each file checked by content; a bad one stores nothing)."""
    require_open(problem.round)
    problem_policy.require(actor, "manage", problem)
    if not files:
        raise ValidationError("请选择要上传的证据文件。")
    _check_evidence(files)
    with transaction.atomic():
        if Problem.objects.select_for_update().get(pk=problem.pk).status == Problem.Status.WITHDRAWN:
            raise ValidationError("问题已撤销，不能再上传证据。")
        stored = _attach(problem, files, actor)
        record(actor, "findings.evidence", problem, request=request,
               summary=f"问题{problem.number}上传证据：{'、'.join(f.original_name for f in stored)}"[:500],
               data={"files": [[f.pk, f.original_name, f.sha256] for f in stored]})
    return stored


def withdraw_problem(actor, problem: Problem, *, reason: str, request=None) -> Problem:
    """撤销问题 (with a reason). The record stays in the list, marked 已撤销, out of report and feedback."""
    require_open(problem.round)
    problem_policy.require(actor, "withdraw", problem)
    reason = _text(reason)
    if not reason:
        raise ValidationError("请填写撤销理由。")
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        if problem.status == Problem.Status.WITHDRAWN:
            raise ValidationError("该问题已撤销。")
        problem.status = Problem.Status.WITHDRAWN
        problem.withdrawn_reason = reason
        problem.withdrawn_at = timezone.now()
        problem.withdrawn_by = actor
        problem.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "withdrawn_by", "updated_at"])
        record(actor, "findings.withdraw", problem, request=request,
               summary=f"撤销问题{problem.number}：{reason}"[:500], data={"reason": reason})
    return problem


# ---- problems and clues (问题线索), linked both ways ------------------------------------------------

def problem_from_clue(actor, clue, *, request=None, **fields) -> Problem:
    """由问题线索形成问题 (source 问题线索, linked to the clue). One standing problem per clue."""
    from xuncha.policy.clues import clue_policy

    clue_policy.require(actor, "view", clue)
    if Problem.objects.filter(source_clue=clue, status=Problem.Status.CONFIRMED).exists():
        number = Problem.objects.filter(source_clue=clue, status=Problem.Status.CONFIRMED).first().number
        raise ValidationError(f"该线索已形成问题{number}。")
    fields.setdefault("found_by", Problem.FoundBy.PETITION if clue.petition_id else Problem.FoundBy.OTHER)
    return create_problem(round_=clue.round, actor=actor, source=Problem.Source.CLUE, source_clue=clue,
                          request=request, **fields)


def problem_to_clue(actor, problem: Problem, *, person: str, position: str = "", level: str = "other",
                    concerns_leadership: bool = False, request=None):
    """转为问题线索 through the clue ledger's own services (numbering, checks, audit), linked both ways.

    A problem found by data comparison becomes a clue of source 数据比对 (with its rule); any other a
    clue 巡察发现.
    """
    from xuncha.clues import services as clue_services

    require_open(problem.round)
    problem_policy.require(actor, "manage", problem)
    with transaction.atomic():
        problem = (Problem.objects.select_for_update(of=("self",))       # category: nullable outer join
                   .select_related("round", "category").get(pk=problem.pk))
        if problem.status != Problem.Status.CONFIRMED:
            raise ValidationError("已撤销的问题不能转为问题线索。")
        if problem.referred_clue_id:
            raise ValidationError(f"该问题已转为问题线索 {problem.referred_clue.code}。")
        summary = problem.title + ("：" + problem.description if problem.description else "")
        n = problem.evidence.count()
        evidence = f"见问题清单问题{problem.number}" + (f"（证据材料{n}件）" if n else "")
        from_data = problem.source == Problem.Source.SUSPICION or problem.found_by == Problem.FoundBy.DATA
        if from_data:
            clue = clue_services.create_clue_from_crosscheck(
                actor, problem.round, rule_code=problem.rule_code or "人工核实", summary=summary,
                amount=problem.amount or None, person=person, position=position, level=level,
                category=problem.category, concerns_leadership=concerns_leadership, request=request)
        else:
            clue = clue_services.create_clue(actor, problem.round, clue_services.ClueData(
                person=person, summary=summary, position=position, level=level, category=problem.category,
                evidence=evidence, concerns_leadership=concerns_leadership), request=request)
        problem.referred_clue = clue
        problem.save(update_fields=["referred_clue", "updated_at"])
        record(actor, "findings.to_clue", problem, request=request,
               summary=f"问题{problem.number}转为问题线索 {clue.code}", data={"clue": clue.pk})
    return clue
