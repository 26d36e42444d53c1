"""核实 of 疑点: confirm (→ a problem of the round), dismiss (reason required), reopen (组长/副组长),
bulk decisions, turning a 疑点 into a clue, and carrying decisions over to a re-run.

A decision is taken on the 疑点 of the round's latest finished run only. A re-run keeps the decision on
each 疑点 whose fingerprint (rule, primary record, amount) is unchanged; one whose amount changed is
flagged for another look; the 疑点 of the previous run that no longer appear are listed (``vanished``).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.clues import services as clue_services
from xuncha.files.services import store_bytes
from xuncha.findings import services as finding_services
from xuncha.findings.models import Problem
from xuncha.policy.crosscheck import crosscheck_policy
from xuncha.rounds.guards import require_open
from xuncha.rounds.models import Category

from .models import CheckRun, Suspicion
from .selectors import evidence_of

MAX_REASON = 2000


def latest_run(round_) -> CheckRun | None:
    return round_.check_runs.filter(status=CheckRun.Status.SUCCEEDED).order_by("-number").first()


def _require_current(s: Suspicion) -> None:
    latest = latest_run(s.round)
    if latest is None or latest.pk != s.run_id:
        raise ValidationError(f"{s.code} 不是本轮最新一次比对的疑点，请在最新一次比对的疑点上核实。")


#: the engine's classes (人防专项检查事项 RF-ZT … RF-WG) in the other built-in taxonomy (三大类9种问题)
IN_RF9 = {"RF-SP": "RF9-3-1", "RF-YD": "RF9-3-2", "RF-CZ": "RF9-3-1", "RF-WG": "RF9-3-1", "RF-ZT": "RF9-2-1"}


def default_category(s: Suspicion) -> Category | None:
    """The round's taxonomy category of the rule's class: the class itself (RF-SP …) when the taxonomy
    has it, else its counterpart in the 三大类9种问题 taxonomy; None lets the person choose."""
    if not s.round.taxonomy_id:
        return None
    cats = Category.objects.filter(taxonomy_id=s.round.taxonomy_id)
    return cats.filter(code=s.category).first() or cats.filter(code=IN_RF9.get(s.category, "")).first()


def evidence_workbook(s: Suspicion) -> bytes:
    """证据: the 疑点's rows from each department, with why they were matched, as a workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "疑点"
    ws.append(["规则", f"{s.rule} {s.title}"])
    ws.append(["疑点", s.summary])
    ws.append(["涉及金额（元）", float(s.amount)])
    evidence = evidence_of(s)
    for k, v in (evidence.get("facts") or {}).items():
        ws.append([k, v])
    for i, row in enumerate(evidence.get("rows") or [], 1):
        sheet = wb.create_sheet(f"{i}_{row.get('table_name', row.get('table', ''))}"[:31])
        sheet.append(["文件", row.get("file"), "行", row.get("row"), "匹配依据", row.get("match")])
        for k, v in (row.get("values") or {}).items():
            sheet.append([k, v])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _lock(s: Suspicion) -> Suspicion:
    return Suspicion.objects.select_for_update().select_related("round", "run").get(pk=s.pk)


def confirm(actor, s: Suspicion, *, title: str = "", description: str = "", category: Category | None = None,
            request=None) -> Suspicion:
    """确认疑点: it becomes a problem of the round (category, description, money, evidence attached)."""
    require_open(s.round)
    crosscheck_policy.require(actor, "work", s.round)
    if category is not None and category.taxonomy_id != s.round.taxonomy_id:
        raise ValidationError("问题类别不属于本轮巡察的问题分类。")
    with transaction.atomic():
        s = _lock(s)
        _require_current(s)
        if s.status != Suspicion.Status.OPEN:
            raise ValidationError(f"{s.code} 已{s.get_status_display()}，不能再确认。")
        evidence = store_bytes(evidence_workbook(s), name=f"疑点证据_{s.rule}_{s.finding_no}.xlsx", kind="xlsx",
                               actor=actor)
        facts = "；".join(f"{k}：{v}" for k, v in (evidence_of(s).get("facts") or {}).items())
        problem = finding_services.create_problem(
            round_=s.round, actor=actor, source=Problem.Source.SUSPICION, found_by=Problem.FoundBy.DATA,
            title=(title or f"{s.title}：{s.summary}").strip()[:200],
            description=(description or f"{s.summary}\n（数据比对 {s.code}，规则 {s.rule}；{facts}）").strip(),
            category=category or default_category(s), amount=s.amount, evidence_files=[evidence],
            rule_code=s.rule, request=request)
        s.status, s.problem = Suspicion.Status.CONFIRMED, problem
        s.decided_by, s.decided_at, s.reason = actor, timezone.now(), ""
        s.save(update_fields=["status", "problem", "decided_by", "decided_at", "reason"])
        record(actor, "crosscheck.confirm", s, request=request,
               summary=f"确认{s.code}（{s.rule}），形成问题{problem.number}",
               data={"run": s.run_id, "fingerprint": s.fingerprint, "problem": problem.pk})
    return s


def dismiss(actor, s: Suspicion, *, reason: str, request=None) -> Suspicion:
    """排除疑点: a reason is required."""
    require_open(s.round)
    crosscheck_policy.require(actor, "work", s.round)
    reason = (reason or "").replace("\x00", "").strip()[:MAX_REASON]
    if not reason:
        raise ValidationError("排除疑点须填写理由。")
    with transaction.atomic():
        s = _lock(s)
        _require_current(s)
        if s.status != Suspicion.Status.OPEN:
            raise ValidationError(f"{s.code} 已{s.get_status_display()}，不能再排除。")
        s.status, s.reason, s.decided_by, s.decided_at = Suspicion.Status.DISMISSED, reason, actor, timezone.now()
        s.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        record(actor, "crosscheck.dismiss", s, request=request, summary=f"排除{s.code}（{s.rule}）：{reason}"[:500],
               data={"run": s.run_id, "fingerprint": s.fingerprint, "reason": reason})
    return s


def reopen(actor, s: Suspicion, *, reason: str = "", request=None) -> Suspicion:
    """重新核实 (组长/副组长): the decision is undone; a problem it made is withdrawn."""
    require_open(s.round)
    crosscheck_policy.require(actor, "reopen", s.round)
    with transaction.atomic():
        s = _lock(s)
        _require_current(s)
        if s.status == Suspicion.Status.OPEN:
            raise ValidationError(f"{s.code} 尚未核实，无需重新核实。")
        problem = s.problem
        if problem is not None and problem.status != Problem.Status.WITHDRAWN:
            finding_services.withdraw_problem(actor, problem, reason=f"{s.code} 重新核实"
                                              f"{('：' + reason.strip()) if reason.strip() else ''}", request=request)
        before = s.get_status_display()
        s.status, s.problem, s.reason, s.decided_by, s.decided_at = Suspicion.Status.OPEN, None, "", None, None
        s.save(update_fields=["status", "problem", "reason", "decided_by", "decided_at"])
        record(actor, "crosscheck.reopen", s, request=request,
               summary=f"重新核实{s.code}（原为{before}）{('：' + reason.strip()) if reason.strip() else ''}"[:500],
               data={"run": s.run_id, "before": before})
    return s


def bulk_decide(actor, suspicions, *, action: str, reason: str = "", request=None) -> int:
    """批量确认 / 排除: all or nothing (one refusal names the 疑点 and nothing is changed)."""
    suspicions = list(suspicions)
    if not suspicions:
        raise ValidationError("请先勾选疑点。")
    if action not in ("confirm", "dismiss"):
        raise ValidationError("无效的操作。")
    with transaction.atomic():
        for s in suspicions:
            if action == "confirm":
                confirm(actor, s, request=request)
            else:
                dismiss(actor, s, reason=reason, request=request)
    return len(suspicions)


def to_clue(actor, s: Suspicion, *, request=None):
    """转为问题线索 (来源 数据比对): through the clue ledger's own rules; linked both ways."""
    require_open(s.round)
    crosscheck_policy.require(actor, "work", s.round)
    with transaction.atomic():
        s = _lock(s)
        if s.clue_id:
            raise ValidationError(f"{s.code} 已转为问题线索 {s.clue.code}。")
        evidence = evidence_of(s)
        facts = evidence.get("facts") or {}
        person = str(facts.get("建设单位") or facts.get("缴款人") or facts.get("承租人") or facts.get("供应商")
                     or facts.get("收款方") or "")[:100]
        records = [{"疑点": f"{s.code}（{s.rule} {s.title}）", "文件": r.get("file"), "行": r.get("row"),
                    "匹配依据": r.get("match"), **(r.get("values") or {})} for r in evidence.get("rows") or []]
        clue = clue_services.create_clue_from_crosscheck(
            actor, s.round, rule_code=s.rule, summary=f"{s.code}：{s.summary}", amount=s.amount,
            records=records, person=person, category=default_category(s), request=request)
        s.clue = clue
        s.save(update_fields=["clue"])
        record(actor, "crosscheck.to_clue", s, request=request, summary=f"{s.code} 转为问题线索 {clue.code}",
               data={"clue": clue.pk})
    return clue


def previous_run(run: CheckRun) -> CheckRun | None:
    return run.round.check_runs.filter(status=CheckRun.Status.SUCCEEDED, number__lt=run.number) \
        .order_by("-number").first()


#: what a 疑点 of the previous run hands on to the same 疑点 (same key) of a re-run
CARRIED = ("key", "pk", "fingerprint", "status", "reason", "decided_by_id", "decided_at", "problem_id", "clue_id")


def decisions_before(run: CheckRun) -> dict[str, tuple]:
    """key → the CARRIED values of the previous finished run's 疑点 (plain tuples: a re-run of 50,000
    疑点 reads them in one query, without model objects)."""
    previous = previous_run(run)
    if previous is None:
        return {}
    return {row[0]: row for row in previous.suspicions.order_by("finding_no").values_list(*CARRIED)}


#: a 疑点 the previous run did not have
FRESH = {"previous_id": None, "change": Suspicion.Change.NEW.value, "status": Suspicion.Status.OPEN.value, "reason": "",
         "decided_by_id": None, "decided_at": None, "problem_id": None, "clue_id": None}


def carried(fingerprint: str, old: tuple | None) -> dict | None:
    """What a new 疑点 with this fingerprint takes over from the same 疑点 (same key) of the previous
    run: its decision when the fingerprint is unchanged, else a flag (and the clue it became). None when
    the previous run did not have it."""
    if old is None:
        return None
    _key, pk, old_fingerprint, status, reason, decided_by, decided_at, problem, clue = old
    if old_fingerprint == fingerprint:
        return {"previous_id": pk, "change": Suspicion.Change.UNCHANGED.value, "status": status, "reason": reason,
                "decided_by_id": decided_by, "decided_at": decided_at, "problem_id": problem, "clue_id": clue}
    return {"previous_id": pk, "change": Suspicion.Change.CHANGED.value, "clue_id": clue}


def carry_over(run: CheckRun) -> None:
    """Decisions of the previous finished run kept on unchanged 疑点; changed ones flagged (for 疑点
    already saved; the job applies ``carried`` as it saves them)."""
    before = decisions_before(run)
    if not before:
        return
    changed = []
    for s in run.suspicions.all():
        fields = carried(s.fingerprint, before.get(s.key))
        if fields:
            for name, value in fields.items():
                setattr(s, name, value)
            changed.append(s)
    Suspicion.objects.bulk_update(changed, ["previous", "change", "status", "reason", "decided_by", "decided_at",
                                            "problem", "clue"], batch_size=500)


def vanished(run: CheckRun):
    """疑点 of the previous finished run that this run no longer finds."""
    previous = previous_run(run)
    if previous is None:
        return Suspicion.objects.none()
    return previous.suspicions.exclude(key__in=run.suspicions.values("key"))


__all__ = ["bulk_decide", "carry_over", "confirm", "dismiss", "reopen", "to_clue", "vanished"]
