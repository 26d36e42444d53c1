"""State changes of problem clues (问题线索): registration, disposal, the receiver's handling.

处置 follows 分级负责、属地管理: only general matters may go to the inspected party organisation;
a clue about its own leadership (领导班子及其成员) never goes to that unit — enforced here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.orgs.leadership import leadership_ties
from xuncha.orgs.models import Organization
from xuncha.petitions.models import Petition
from xuncha.policy.clues import clue_policy
from xuncha.policy.petitions import petition_policy
from xuncha.rounds import numbering
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Category, Round
from xuncha.workdays.services import working_deadline

from .models import Clue, Disposal, HandlingStep

DEFAULT_DEADLINE_DAYS = 30   # 承办单位办理时限（工作日）
MAX_TEXT = 20000


@dataclass
class ClueData:
    person: str
    summary: str
    position: str = ""
    level: str = Clue.Level.OTHER
    category: Category | None = None
    evidence: str = ""
    concerns_leadership: bool = False


def _text(value, limit=MAX_TEXT) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _next_number(round_: Round) -> int:
    return numbering.next_serial(round_, "clue")


def _create(actor, round_: Round, data: ClueData, *, source: str, petition=None, rule_code: str = "",
            amount=None, records=None, request=None) -> Clue:
    require_open(round_)
    if not _text(data.person, 100):
        raise ValidationError("请填写涉及人员或单位。")
    if not _text(data.summary):
        raise ValidationError("请填写线索内容。")
    if data.level not in Clue.Level.values:
        raise ValidationError("职级无效。")
    if data.category is not None and data.category.taxonomy_id != round_.taxonomy_id:
        raise ValidationError("问题类别不属于本轮巡察的问题分类。")
    with transaction.atomic():
        clue = Clue.objects.create(
            round=round_, number=_next_number(round_), source=source, petition=petition,
            rule_code=_text(rule_code, 20), amount=amount, records=records or [],
            person=_text(data.person, 100), position=_text(data.position, 100), level=data.level,
            concerns_leadership=data.concerns_leadership, category=data.category,
            summary=_text(data.summary), evidence=_text(data.evidence),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record(actor, "clues.create", clue, request=request,
               summary=f"登记问题线索 {clue.code}（{clue.get_source_display()}）",
               data={"round": round_.pk, "source": source, "petition": petition.pk if petition else None})
    return clue


def create_clue(actor, round_: Round, data: ClueData, *, source: str = Clue.Source.INSPECTION,
                request=None) -> Clue:
    """巡察组手工登记问题线索."""
    require_open(round_)
    clue_policy.require(actor, "manage", round_)
    if source not in (Clue.Source.INSPECTION, Clue.Source.REFERRAL):
        raise ValidationError("来源无效。")
    return _create(actor, round_, data, source=source, request=request)


def create_clue_from_petition(actor, petition: Petition, data: ClueData, *, request=None) -> Clue:
    """由信访举报件形成问题线索; the petition's leadership flag carries over."""
    require_open(petition.round)
    petition_policy.require(actor, "handle", petition)
    clue_policy.require(actor, "manage", petition.round)
    data.concerns_leadership = data.concerns_leadership or petition.concerns_leadership
    with transaction.atomic():
        clue = _create(actor, petition.round, data, source=Clue.Source.PETITION, petition=petition,
                       request=request)
        if petition.status in (Petition.Status.RECEIVED, Petition.Status.TRIAGED):
            petition.status = Petition.Status.CLUE
            petition.save(update_fields=["status"])
    return clue


def create_clue_from_crosscheck(actor, round_: Round, *, rule_code: str, summary: str, amount=None,
                                records=None, person: str = "", position: str = "",
                                level: str = Clue.Level.OTHER, category: Category | None = None,
                                concerns_leadership: bool = False, request=None) -> Clue:
    """Hook for the cross-check app: a confirmed 疑点 (rule hit) becomes a clue.

    ``records`` are the evidence rows (JSON-serialisable dicts); ``amount`` the money at stake.
    ``actor`` None means the system itself (e.g. a background job after a person confirmed the hit).
    """
    require_open(round_)
    if actor is not None:
        clue_policy.require(actor, "manage", round_)
    if not _text(rule_code, 20):
        raise ValidationError("请提供比对规则编号。")
    if amount is not None:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    data = ClueData(person=person or "（见比对记录）", summary=summary, position=position, level=level,
                    category=category, concerns_leadership=concerns_leadership,
                    evidence=f"数据比对规则 {rule_code} 命中 {len(records or [])} 条记录")
    return _create(actor, round_, data, source=Clue.Source.CROSSCHECK, rule_code=rule_code,
                   amount=amount, records=list(records or []), request=request)


def _jurisdiction_chain(round_: Round) -> set[int]:
    ids, j = set(), round_.jurisdiction
    while j is not None:
        ids.add(j.pk)
        j = j.parent
    return ids


def receivers(round_: Round, kind: str):
    """Organisations a clue of this round may be transferred to for a disposal kind."""
    chain = _jurisdiction_chain(round_)
    if kind == Disposal.Kind.DISCIPLINE:
        return Organization.objects.filter(kind=Organization.Kind.DISCIPLINE, jurisdiction_id__in=chain)
    if kind == Disposal.Kind.ORGANIZATION:
        return Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, name__endswith="委组织部",
                                           jurisdiction_id__in=chain)
    if kind == Disposal.Kind.PARTY_ORG:
        return round_.targets.all()
    return Organization.objects.none()


def check_disposal(clue: Clue, kind: str, receiver: Organization | None) -> None:
    """The disposal rules; raises ValidationError with the reason."""
    if kind not in Disposal.Kind.values:
        raise ValidationError("请选择处置方式。")
    transfer = kind in (Disposal.Kind.DISCIPLINE, Disposal.Kind.ORGANIZATION, Disposal.Kind.PARTY_ORG)
    if not transfer:
        if receiver is not None:
            raise ValidationError("留存备查或了结不需要移交单位。")
        return
    if receiver is None or not receivers(clue.round, kind).filter(pk=receiver.pk).exists():
        names = {Disposal.Kind.DISCIPLINE: "纪委监委", Disposal.Kind.ORGANIZATION: "组织部门",
                 Disposal.Kind.PARTY_ORG: "本轮被巡察单位"}
        raise ValidationError(f"请选择有效的移交单位（{names[kind]}）。")
    if kind == Disposal.Kind.PARTY_ORG:
        ties = leadership_ties(receiver, clue.person, clue.position)
        if ties:       # the unit's roster decides, whatever the checkbox says
            raise ValidationError("该线索涉及被巡察党组织领导班子：" + "；".join(ties)
                                  + "。不得转交该单位，应移交纪委监委或组织部门。")
        leadership = clue.concerns_leadership or bool(clue.petition_id and clue.petition.concerns_leadership)
        if leadership:
            raise ValidationError("该线索反映被巡察党组织领导班子及其成员的问题，不得转交被巡察党组织，"
                                  "应移交纪委监委或组织部门。")
        if clue.level == Clue.Level.COUNTY_DIVISION:
            raise ValidationError("涉及县处级干部的线索不得转交被巡察党组织。")
        if receiver.head and receiver.head in clue.person:
            raise ValidationError("线索涉及该单位主要负责人，不得转交该单位。")


def dispose(actor, clue: Clue, *, kind: str, receiver: Organization | None = None,
            decided_on: date | None = None, letter_no: str = "", reason: str = "",
            deadline_days: int = DEFAULT_DEADLINE_DAYS, request=None) -> Disposal:
    """处置问题线索: 移交纪委监委 / 移交组织部门 / 转交被巡察党组织 / 留存备查 / 了结."""
    require_open(clue.round)
    clue_policy.require(actor, "dispose", clue)
    with transaction.atomic():
        clue = Clue.objects.select_for_update().get(pk=clue.pk)
        if Disposal.objects.filter(clue=clue).exists():
            raise ValidationError("该线索已处置，不能重复处置。")
        check_disposal(clue, kind, receiver)
        if kind in (Disposal.Kind.KEEP, Disposal.Kind.CLOSE) and not _text(reason):
            raise ValidationError("留存备查或了结须填写处置意见。")
        decided_on = decided_on or timezone.localdate()
        disposal = Disposal(clue=clue, kind=kind, receiver=receiver, decided_on=decided_on,
                            letter_no=_text(letter_no, 60), reason=_text(reason), decided_by=actor)
        if disposal.is_transfer:
            if not 1 <= int(deadline_days) <= 365:
                raise ValidationError("办理时限应为 1 至 365 个工作日。")
            due = working_deadline(decided_on, int(deadline_days))
            disposal.deadline, disposal.deadline_estimated = due.due, due.estimated
        disposal.save()
        clue.status = {Disposal.Kind.KEEP: Clue.Status.KEPT,
                       Disposal.Kind.CLOSE: Clue.Status.CLOSED}.get(kind, Clue.Status.TRANSFERRED)
        clue.save(update_fields=["status"])
        record(actor, "clues.dispose", clue, request=request,
               summary=f"处置问题线索 {clue.code}：{disposal.get_kind_display()}"
                       + (f"，移交 {receiver.name}" if receiver else ""),
               data={"kind": kind, "receiver": receiver.pk if receiver else None,
                     "deadline": disposal.deadline, "deadline_estimated": disposal.deadline_estimated,
                     "attachments": _attachment_ids(clue) if disposal.is_transfer else []})
    return disposal


def _attachment_ids(clue: Clue) -> list[int]:
    """The source petition's attachments, which travel with a transferred clue."""
    if not clue.petition_id:
        return []
    return list(clue.petition.attachments.values_list("pk", flat=True))


@transaction.atomic
def record_receipt(actor, clue: Clue, *, receipt_no: str, received_on: date, received_by: str = "",
                   request=None) -> Disposal:
    """承办单位签收（回执）: once, and final."""
    require_open(clue.round)
    clue_policy.require(actor, "handle_result", clue)
    disposal = Disposal.objects.select_for_update().get(clue=clue)
    if disposal.received_on is not None:
        raise ValidationError(f"该线索已于 {disposal.received_on:%Y-%m-%d} 签收（回执编号 "
                              f"{disposal.receipt_no or '—'}），签收后不能修改。")
    if not _text(receipt_no, 60):
        raise ValidationError("请填写回执编号。")
    if received_on < disposal.decided_on:
        raise ValidationError("签收日期不能早于移交日期。")
    if received_on > timezone.localdate():
        raise ValidationError("签收日期不能晚于今天。")
    disposal.receipt_no = _text(receipt_no, 60)
    disposal.received_on = received_on
    disposal.received_by = _text(received_by, 50) or actor.display_name
    disposal.save(update_fields=["receipt_no", "received_on", "received_by"])
    record(actor, "clues.receipt", clue, request=request,
           summary=f"签收问题线索 {clue.code}，回执编号 {disposal.receipt_no}",
           data={"receipt_no": disposal.receipt_no, "received_on": received_on})
    return disposal


@transaction.atomic
def record_handling(actor, clue: Clue, *, method: str, method_on: date, form: str = "", result: str = "",
                    concluded_on: date | None = None, request=None) -> HandlingStep:
    """承办单位登记一步办理情况: 谈话函询/初步核实/暂存待查/予以了结/立案审查; 办结时四种形态.

    Each step is kept (初步核实 then 立案审查 are two rows); the disposal shows the latest. After
    办结 no step is added and the clue's status is 已办结.
    """
    require_open(clue.round)
    clue_policy.require(actor, "handle_result", clue)
    disposal = Disposal.objects.select_for_update().get(clue=clue)
    if disposal.received_on is None:
        raise ValidationError("请先登记签收回执，再登记办理情况。")
    if disposal.concluded_on is not None:
        raise ValidationError(f"该线索已于 {disposal.concluded_on:%Y-%m-%d} 办结，不能再登记办理情况。")
    if method not in Disposal.Method.values:
        raise ValidationError("请选择处置方式。")
    if form and form not in Disposal.Form.values:
        raise ValidationError("四种形态无效。")
    if method_on < disposal.received_on:
        raise ValidationError("采取措施日期不能早于签收日期。")
    last = disposal.steps.order_by("-method_on", "-pk").first()
    if last is not None and method_on < last.method_on:
        raise ValidationError(f"采取措施日期不能早于上一步（{last}）。")
    if concluded_on is not None:
        if concluded_on < method_on:
            raise ValidationError("办结日期不能早于采取措施日期。")
        if not form:
            raise ValidationError("办结时请选择四种形态（或不予处理）。")
    elif form:
        raise ValidationError("四种形态在办结时填写，请同时填写办结日期。")
    step = HandlingStep.objects.create(disposal=disposal, method=method, method_on=method_on, form=form,
                                       result=_text(result), concluded_on=concluded_on, recorded_by=actor)
    disposal.method, disposal.method_on, disposal.form = method, method_on, form
    disposal.result = step.result
    disposal.concluded_on = concluded_on
    disposal.save(update_fields=["method", "method_on", "form", "result", "concluded_on"])
    if concluded_on is not None:
        Clue.objects.filter(pk=clue.pk).update(status=Clue.Status.CONCLUDED)
    record(actor, "clues.handling", clue, request=request,
           summary=f"登记问题线索 {clue.code} 办理情况：{step.get_method_display()}"
                   + (f"，办结（{step.get_form_display()}）" if concluded_on else ""),
           data={"step": step.pk, "method": method, "form": form, "concluded_on": concluded_on})
    return step
