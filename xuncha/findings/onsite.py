"""边巡边改 (rectification during the round): propose → the leading group's consent → the written
suggestion (整改建议书). Seed 001, 进驻阶段: 对立行立改的问题，经巡察工作领导小组同意，以书面形式向被巡察
单位提出整改建议. A problem is marked 边巡边改 only after the consent is recorded: who consented, when,
and on which document (批示、会议纪要); the suggestion .docx is generated and kept as issued.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.files.models import StoredFile
from xuncha.files.services import check_upload, store_bytes, store_upload
from xuncha.policy.findings import problem_policy
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Round
from xuncha.workdays.services import working_deadline

from .models import OnSiteRectification, Problem
from .services import _text

DEFAULT_DAYS = 10        # 整改期限（工作日）
MAX_DAYS = 60
S = OnSiteRectification.Status


def target_unit(problem: Problem):
    """The unit that receives the suggestion: the responsible unit, or the round's only target."""
    if problem.responsible_unit_id:
        return problem.responsible_unit
    targets = list(problem.round.targets.all()[:2])
    return targets[0] if len(targets) == 1 else None


def _locked(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().select_related("round__jurisdiction").get(pk=problem.pk)


def propose(actor, problem: Problem, *, proposal: str, request=None) -> OnSiteRectification:
    """提出边巡边改: a team member proposes it; the leading group's consent is then awaited."""
    require_open(problem.round)
    problem_policy.require(actor, "manage", problem)
    proposal = _text(proposal)
    if not proposal:
        raise ValidationError("请填写适用边巡边改的理由。")
    with transaction.atomic():
        problem = _locked(problem)
        if problem.status != Problem.Status.CONFIRMED:
            raise ValidationError("已撤销的问题不能边巡边改。")
        if problem.round.stage != Round.Stage.ONSITE:
            raise ValidationError("边巡边改只在进驻阶段提出。")
        if target_unit(problem) is None:
            raise ValidationError("请先填写责任单位（本轮被巡察单位），再提出边巡边改。")
        if OnSiteRectification.objects.filter(problem=problem).exists():
            raise ValidationError("该问题已提出边巡边改。")
        item = OnSiteRectification.objects.create(problem=problem, proposal=proposal, proposed_by=actor)
        record(actor, "findings.onsite_propose", problem, request=request,
               summary=f"问题{problem.number}提出边巡边改，待领导小组同意", data={"proposal": proposal})
    return item


def record_consent(actor, problem: Problem, *, consent_by: str, consent_on: date, consent_document: str,
                   consent_file=None, request=None) -> OnSiteRectification:
    """登记领导小组同意: who (name and post), when, on which document; optionally the document's scan."""
    require_open(problem.round)
    problem_policy.require(actor, "consent", problem)
    consent_by, consent_document = _text(consent_by, 100), _text(consent_document, 100)
    if not consent_by:
        raise ValidationError("请填写同意人（领导小组成员姓名及职务）。")
    if not consent_document:
        raise ValidationError("请填写同意依据（批示、会议纪要或文件编号）。")
    if consent_on is None:
        raise ValidationError("请填写同意日期。")
    if consent_on > timezone.localdate():
        raise ValidationError("同意日期不能晚于今天。")
    if consent_file is not None and not isinstance(consent_file, StoredFile):
        check_upload(consent_file)
    with transaction.atomic():
        problem = _locked(problem)
        item = OnSiteRectification.objects.select_for_update().filter(problem=problem).first()
        if item is None or item.status != S.PROPOSED:
            raise ValidationError("该问题没有待领导小组同意的边巡边改。")
        if consent_on < timezone.localtime(item.proposed_at).date():
            raise ValidationError("同意日期不能早于提出边巡边改的日期。")
        if consent_file is not None and not isinstance(consent_file, StoredFile):
            consent_file = store_upload(consent_file, actor=actor)
        item.status = S.CONSENTED
        item.consent_by, item.consent_on, item.consent_document = consent_by, consent_on, consent_document
        item.consent_file = consent_file
        item.consent_recorded_by, item.consent_recorded_at = actor, timezone.now()
        item.save()
        record(actor, "findings.onsite_consent", problem, request=request,
               summary=f"登记领导小组同意问题{problem.number}边巡边改：{consent_by}，{consent_on:%Y-%m-%d}，"
                       f"{consent_document}",
               data={"consent_by": consent_by, "consent_on": consent_on, "document": consent_document,
                     "file": consent_file.pk if consent_file else None})
    return item


def issue_suggestion(actor, problem: Problem, *, requirement: str, deadline_days: int = DEFAULT_DAYS,
                     request=None) -> OnSiteRectification:
    """标记边巡边改并出具整改建议书 (.docx): only after the leading group's consent is recorded."""
    from .docs import suggestion_document

    require_open(problem.round)
    problem_policy.require(actor, "rectify", problem)
    requirement = _text(requirement)
    if not requirement:
        raise ValidationError("请填写整改要求。")
    try:
        days = int(deadline_days)
    except (TypeError, ValueError):
        raise ValidationError("整改期限应填写工作日天数。") from None
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"整改期限应为 1 至 {MAX_DAYS} 个工作日。")
    with transaction.atomic():
        problem = _locked(problem)
        if problem.status != Problem.Status.CONFIRMED:
            raise ValidationError("已撤销的问题不能边巡边改。")
        item = OnSiteRectification.objects.select_for_update().filter(problem=problem).first()
        if item is None or item.status == S.PROPOSED or not (item.consent_by and item.consent_on
                                                               and item.consent_document):
            raise ValidationError("须先登记巡察工作领导小组同意（同意人、日期、依据），才能标记边巡边改。")
        if item.status == S.ISSUED:
            raise ValidationError("整改建议书已出具。")
        today = timezone.localdate()
        due = working_deadline(today, days)
        item.requirement, item.deadline, item.deadline_estimated = requirement, due.due, due.estimated
        item.issued_by, item.issued_at = actor, timezone.now()
        item.status = S.ISSUED
        unit = target_unit(problem)
        data = suggestion_document(problem, item, unit)
        item.suggestion = store_bytes(data, name=f"边巡边改整改建议书-问题{problem.number}.docx", kind="docx",
                                      actor=actor)
        item.save()
        record(actor, "findings.onsite_issue", problem, request=request,
               summary=f"问题{problem.number}标记边巡边改，向{unit.name}出具整改建议书，期限{due.label}",
               data={"unit": unit.pk, "deadline": due.due, "estimated": due.estimated,
                     "file": item.suggestion.pk, "sha256": item.suggestion.sha256})
    return item
