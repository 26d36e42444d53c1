"""State changes of the 汇报, 反馈 and 归档 stages (seed 001: 巡察汇报阶段、巡察反馈阶段).

One function per change: it refuses an archived round (``require_open``), checks permission through
``xuncha.policy.reports`` / ``round_policy``, checks the preconditions, changes inside
``transaction.atomic()`` and writes the audit trail.

- 巡察报告: the team uploads versions (or stores the generated draft); 组长 submits (进驻 → 汇报);
  巡察办 approves or returns with comments; 领导小组 approves or returns; 巡察办 records the
  书记专题会议 decision (date, minute number). A returned report goes back only as a new version.
- 反馈 (汇报 → 反馈): a Feedback per target; the head is briefed first (双反馈), then the feedback is
  issued; the head reads it in his own pages and signs with his own account; the clocks start then
  (整改方案 in 10 working days, 整改落实情况报告 in 2 months) and a 签收回执 is stored.
- 反馈 → 整改 once every unit has signed; 整改 → 归档 unless a registered check blocks it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.audit.services import record
from xuncha.files.services import store_bytes, store_upload
from xuncha.policy.reports import feedback_policy, report_policy
from xuncha.policy.rounds import round_policy
from xuncha.rounds.guards import archive_blockers, require_open
from xuncha.rounds.models import Round
from xuncha.rounds.services import _lock, _move, _require_stage
from xuncha.workdays.services import Deadline, add_months, working_days_between, working_deadline

from . import content, docs
from .models import Feedback, Report, ReportVersion, Review
from .reviews import clean_comments, record_review

S = Round.Stage
RS = Report.Status
RECTIFICATION_PLAN_DAYS = 10      # 整改方案 within 10 working days (seed 001)
RECTIFICATION_REPORT_MONTHS = 2   # 整改落实情况报告 within 2 months (seed 001)
REPORT_FILE_KINDS = ("docx", "pdf")
DOCX = "docx"


def _report(round_: Round) -> Report:
    report, _ = Report.objects.select_for_update().get_or_create(round=round_)
    return report


def _require_report(report: Report, *statuses, message: str) -> None:
    if report.status not in statuses:
        raise ValidationError(f"{message}（巡察报告当前状态：{report.get_status_display()}）。")


# ---- 巡察报告: versions ----------------------------------------------------------------------

def _editable(round_: Round, report: Report) -> None:
    _require_stage(round_, S.ONSITE, S.REPORTING)
    _require_report(report, RS.DRAFT, RS.RETURNED, message="巡察报告已报送审核，不能再修改")


def _add_version(actor, report: Report, stored, *, source: str, note: str, request=None) -> ReportVersion:
    number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, file=stored, source=source,
                                           note=(note or "").strip()[:300], created_by=actor)
    record(actor, "reports.version_add", report, request=request,
           summary=f"“{report.round.title}”巡察报告第{number}稿（{version.get_source_display()}）",
           data={"version": number, "file": stored.pk, "sha256": stored.sha256})
    return version


@transaction.atomic
def upload_version(actor, round_: Round, upload, *, note: str = "", request=None) -> ReportVersion:
    """上传巡察报告新版本 (edited in Word): any team member, while the report is being drafted."""
    require_open(round_)
    report_policy.require(actor, "work", round_)
    round_ = _lock(round_)
    report = _report(round_)
    _editable(round_, report)
    stored = store_upload(upload, actor=actor, kinds=REPORT_FILE_KINDS)
    return _add_version(actor, report, stored, source=ReportVersion.Source.UPLOAD, note=note, request=request)


@transaction.atomic
def save_draft_version(actor, round_: Round, *, request=None) -> ReportVersion:
    """将系统生成的草稿存为新版本 (assembled from the round's problem list, logs and clues)."""
    require_open(round_)
    report_policy.require(actor, "work", round_)
    round_ = _lock(round_)
    report = _report(round_)
    _editable(round_, report)
    data = docs.report_draft(content.round_facts(round_))
    stored = store_bytes(data, name=f"{round_.title}巡察报告（草稿）.docx", kind=DOCX, actor=actor)
    return _add_version(actor, report, stored, source=ReportVersion.Source.DRAFT, note="系统生成草稿",
                        request=request)


@transaction.atomic
def save_evaluation(actor, round_: Round, *, evaluation: dict, overall_rating: str, overall_comment: str,
                    suggestions: str, request=None) -> Report:
    """填写巡察总体评价和意见建议 (巡察总体评价表, the report's 意见建议)."""
    require_open(round_)
    report_policy.require(actor, "work", round_)
    round_ = _lock(round_)
    report = _report(round_)
    _editable(round_, report)
    codes = {code for code, _label in content.EVALUATION_ITEMS}
    ratings = set(content.RATING_LABELS)
    clean = {k: v for k, v in (evaluation or {}).items() if k in codes and v}
    bad = [k for k, v in clean.items() if v not in ratings]
    if bad or (overall_rating and overall_rating not in ratings):
        raise ValidationError("评价等次只能为好、较好、一般、差。")
    report.evaluation = clean
    report.overall_rating = overall_rating or ""
    report.overall_comment = (overall_comment or "").strip()[:2000]
    report.suggestions = (suggestions or "").strip()[:5000]
    report.save()
    record(actor, "reports.evaluation", report, request=request, summary=f"填写“{round_.title}”总体评价和意见建议",
           data={"evaluation": clean, "overall": report.overall_rating})
    return report


# ---- 巡察报告: submission and approval with return --------------------------------------------

@transaction.atomic
def submit_report(actor, round_: Round, *, note: str = "", request=None) -> Report:
    """组长报送巡察报告 (the newest version) to 巡察办; 进驻 → 汇报 on the first submission."""
    require_open(round_)
    report_policy.require(actor, "submit", round_)
    round_ = _lock(round_)
    report = _report(round_)
    _editable(round_, report)
    latest = report.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError("请先上传巡察报告，或将系统生成的草稿存为第一稿。")
    if report.status == RS.RETURNED:
        returned = (Review.objects.filter(round=round_, subject=Review.Subject.REPORT,
                                          outcome=Review.Outcome.RETURNED).order_by("-at", "-pk").first())
        if returned is not None and returned.version_id and latest.number <= returned.version.number:
            raise ValidationError(f"巡察报告退回后尚未上传修改后的新版本（退回的是第{returned.version.number}稿）。")
    report.status = RS.OFFICE_REVIEW
    report.current_version = latest
    report.save(update_fields=["status", "current_version", "updated_at"])
    record_review(actor, round_, subject=Review.Subject.REPORT, step=Review.Step.TEAM,
                  outcome=Review.Outcome.SUBMITTED, comments=note, version=latest)
    round_.report_submitted_at = timezone.now()
    round_.report_submitted_by = actor
    round_.save(update_fields=["report_submitted_at", "report_submitted_by"])
    record(actor, "reports.submit", report, request=request,
           summary=f"报送“{round_.title}”巡察报告第{latest.number}稿，待巡察办审核", data={"version": latest.number})
    if round_.stage == S.ONSITE:
        _move(actor, round_, S.REPORTING, request=request, summary=f"{round_.title}：组长报送巡察报告，进入汇报阶段")
    return report


def _review_target(actor, round_: Round, action: str, status: str, what: str) -> tuple[Round, Report]:
    require_open(round_)
    report_policy.require(actor, action, round_)
    round_ = _lock(round_)
    _require_stage(round_, S.REPORTING)
    report = _report(round_)
    _require_report(report, status, message=f"巡察报告不在{what}环节")
    return round_, report


@transaction.atomic
def office_approve_report(actor, round_: Round, *, comments: str = "", request=None) -> Report:
    """巡察办审核通过, 报领导小组 (seed 001: 巡察报告应先呈送巡察办审核后再向县委和领导小组报告)."""
    round_, report = _review_target(actor, round_, "office_review", RS.OFFICE_REVIEW, "巡察办审核")
    report.status = RS.LEADERSHIP_REVIEW
    report.save(update_fields=["status", "updated_at"])
    record_review(actor, round_, subject=Review.Subject.REPORT, step=Review.Step.OFFICE,
                  outcome=Review.Outcome.APPROVED, comments=comments, version=report.current_version)
    record(actor, "reports.office_approve", report, request=request,
           summary=f"巡察办审核通过“{round_.title}”巡察报告，报领导小组审批")
    return report


@transaction.atomic
def approve_report(actor, round_: Round, *, comments: str = "", request=None) -> Report:
    """领导小组审批同意, 报书记专题会议审议."""
    round_, report = _review_target(actor, round_, "leadership_review", RS.LEADERSHIP_REVIEW, "领导小组审批")
    report.status = RS.MEETING
    report.save(update_fields=["status", "updated_at"])
    record_review(actor, round_, subject=Review.Subject.REPORT, step=Review.Step.LEADERSHIP,
                  outcome=Review.Outcome.APPROVED, comments=comments, version=report.current_version)
    record(actor, "reports.leadership_approve", report, request=request,
           summary=f"领导小组审批同意“{round_.title}”巡察报告，报书记专题会议审议")
    return report


@transaction.atomic
def return_report(actor, round_: Round, *, comments: str, request=None) -> Report:
    """退回修改 with written comments: 巡察办 at its review, 领导小组 at its approval."""
    require_open(round_)
    report = Report.objects.filter(round=round_).first()
    status = report.status if report else RS.DRAFT
    if status == RS.OFFICE_REVIEW:
        action, step = "office_review", Review.Step.OFFICE
    elif status == RS.LEADERSHIP_REVIEW:
        action, step = "leadership_review", Review.Step.LEADERSHIP
    else:
        if not (report_policy.can(actor, "office_review", round_)
                or report_policy.can(actor, "leadership_review", round_)):
            report_policy.require(actor, "office_review", round_)
        raise ValidationError("巡察报告当前不在审核环节，不能退回。")
    round_, report = _review_target(actor, round_, action, status, "审核")
    text = clean_comments(comments)
    report.status = RS.RETURNED
    report.save(update_fields=["status", "updated_at"])
    record_review(actor, round_, subject=Review.Subject.REPORT, step=step, outcome=Review.Outcome.RETURNED,
                  comments=text, version=report.current_version)
    record(actor, "reports.return", report, request=request,
           summary=f"{Review.Step(step).label}退回“{round_.title}”巡察报告：{text[:100]}", data={"comments": text})
    return report


@transaction.atomic
def record_decision(actor, round_: Round, *, meeting_date: date, minute_no: str, comments: str = "",
                    request=None) -> Report:
    """登记书记专题会议审议结果 (date, minute number): the report is approved (审定)."""
    round_, report = _review_target(actor, round_, "decide", RS.MEETING, "书记专题会议审议")
    minute_no = (minute_no or "").strip()
    if not minute_no:
        raise ValidationError("请填写会议纪要编号。")
    if meeting_date is None or meeting_date > timezone.localdate():
        raise ValidationError("会议日期不能晚于今天。")
    submitted = round_.report_submitted_at
    if submitted and meeting_date < timezone.localtime(submitted).date():
        raise ValidationError("会议日期不能早于巡察报告报送日期。")
    now = timezone.now()
    report.status = RS.APPROVED
    report.meeting_date, report.minute_no, report.decided_at = meeting_date, minute_no[:60], now
    report.save(update_fields=["status", "meeting_date", "minute_no", "decided_at", "updated_at"])
    record_review(actor, round_, subject=Review.Subject.REPORT, step=Review.Step.MEETING,
                  outcome=Review.Outcome.DECIDED, comments=comments, version=report.current_version,
                  meeting_date=meeting_date, minute_no=minute_no)
    round_.report_approved_at, round_.report_approved_by = now, actor
    round_.save(update_fields=["report_approved_at", "report_approved_by"])
    record(actor, "reports.decision", report, request=request,
           summary=f"登记书记专题会议审议同意“{round_.title}”巡察报告（{meeting_date:%Y-%m-%d}，{minute_no}）",
           data={"meeting_date": meeting_date, "minute_no": minute_no})
    return report


# ---- 反馈: 双反馈 and 签收 ----------------------------------------------------------------------

@transaction.atomic
def start_feedback(actor, round_: Round, *, request=None) -> Round:
    """汇报 → 反馈 (巡察办): after the 书记专题会议 approved the report; a Feedback per target."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.REPORTING)
    report = Report.objects.filter(round=round_).first()
    if report is None or report.status != RS.APPROVED:
        raise ValidationError("巡察报告尚未经书记专题会议审议同意，不能反馈。")
    targets = list(round_.targets.all())
    if not targets:
        raise ValidationError("本轮巡察没有被巡察单位。")
    loose = content.unassigned_problems(round_)
    if loose:
        raise ValidationError("以下问题未指定属于哪个被巡察单位，无法反馈：" + "、".join(
            f"问题{p.number}" for p in loose) + "。请在问题清单中填写责任单位。")
    for unit in targets:
        Feedback.objects.get_or_create(round=round_, unit=unit)
    return _move(actor, round_, S.FEEDBACK, request=request)


def _lock_feedback(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("round__jurisdiction", "unit").get(pk=feedback.pk)


@transaction.atomic
def brief_head(actor, feedback: Feedback, *, request=None) -> Feedback:
    """向主要负责人通报 (双反馈: first, before the organisation): the note is stored and he reads it."""
    require_open(feedback.round)
    feedback_policy.require(actor, "manage", feedback)
    feedback = _lock_feedback(feedback)
    _require_stage(feedback.round, S.FEEDBACK)
    if feedback.head_briefed_at:
        raise ValidationError("已向主要负责人通报。")
    note = content.head_content(feedback)
    stored = store_bytes(docs.feedback_document(note), name=f"{note['title']}.docx", kind=DOCX, actor=actor)
    feedback.head_content, feedback.head_note = note, stored
    feedback.head_briefed_at, feedback.head_briefed_by = timezone.now(), actor
    feedback.save()
    record(actor, "reports.brief_head", feedback, request=request,
           summary=f"向{feedback.unit.name}主要负责人通报巡察情况", data={"problems": note["problem_numbers"]})
    return feedback


@transaction.atomic
def issue_feedback(actor, feedback: Feedback, *, request=None) -> Feedback:
    """向被巡察单位党组织反馈: only after the head was briefed; the text is kept as issued."""
    require_open(feedback.round)
    feedback_policy.require(actor, "manage", feedback)
    feedback = _lock_feedback(feedback)
    _require_stage(feedback.round, S.FEEDBACK)
    if feedback.issued_at:
        raise ValidationError("反馈意见已经印发。")
    if not feedback.head_briefed_at:
        raise ValidationError("请先向主要负责人通报巡察情况（双反馈），再向党组织反馈。")
    text = content.organisation_content(feedback)
    stored = store_bytes(docs.feedback_document(text), name=f"{text['title']}.docx", kind=DOCX, actor=actor)
    feedback.content, feedback.document = text, stored
    feedback.issued_at, feedback.issued_by = timezone.now(), actor
    feedback.save()
    record(actor, "reports.issue_feedback", feedback, request=request,
           summary=f"向{feedback.unit.party_org or feedback.unit.name}反馈巡察意见",
           data={"problems": text["problem_numbers"]})
    return feedback


@transaction.atomic
def mark_read(actor, feedback: Feedback, *, request=None) -> Feedback:
    """The head opened the issued feedback in his own pages (he must read before he signs)."""
    if feedback.read_at or not feedback.issued_at or not feedback_policy.can(actor, "sign", feedback):
        return feedback
    require_open(feedback.round)
    feedback = _lock_feedback(feedback)
    if feedback.read_at is None:
        feedback.read_at = timezone.now()
        feedback.save(update_fields=["read_at"])
        record(actor, "reports.feedback_read", feedback, request=request, kind="view",
               summary=f"{actor.display_name}阅读{feedback.unit.name}的巡察反馈意见")
    return feedback


def rectification_clock(signed_on: date) -> tuple[Deadline, Deadline]:
    """整改方案 within 10 working days, 整改落实情况报告 within 2 months of the 签收 day."""
    return (working_deadline(signed_on, RECTIFICATION_PLAN_DAYS),
            Deadline(add_months(signed_on, RECTIFICATION_REPORT_MONTHS)))


@transaction.atomic
def sign_feedback(actor, feedback: Feedback, *, confirmed: bool, request=None) -> Feedback:
    """签收 by the unit's head with his own account; starts the clocks; stores the 签收回执."""
    require_open(feedback.round)
    feedback_policy.require(actor, "sign", feedback)
    feedback = _lock_feedback(feedback)
    _require_stage(feedback.round, S.FEEDBACK)
    if feedback.signed_at:
        raise ValidationError("反馈意见已签收。")
    if not feedback.issued_at:
        raise ValidationError("反馈意见尚未印发，不能签收。")
    if not feedback.read_at:
        raise ValidationError("请先阅读反馈意见全文再签收。")
    if not confirmed:
        raise ValidationError("请确认本人已阅读反馈意见全文。")
    now = timezone.now()
    plan, report = rectification_clock(timezone.localtime(now).date())
    feedback.signed_at, feedback.signed_by, feedback.signer_name = now, actor, actor.display_name
    feedback.plan_due, feedback.plan_due_estimated = plan.due, plan.estimated
    feedback.report_due, feedback.report_due_estimated = report.due, report.estimated
    feedback.save()
    title = feedback.content.get("title", "巡察反馈意见")
    stored = store_bytes(docs.receipt_document(feedback, feedback.content), name=f"{title}签收回执.docx",
                         kind=DOCX, actor=actor)
    feedback.receipt = stored
    feedback.save(update_fields=["receipt"])
    record(actor, "reports.feedback_sign", feedback, request=request,
           summary=f"{actor.display_name}（{actor.username}）签收{feedback.unit.name}巡察反馈意见",
           data={"plan_due": plan.due, "plan_estimated": plan.estimated, "report_due": report.due})
    round_ = _lock(feedback.round)
    if not round_.feedbacks.filter(signed_at__isnull=True).exists():
        names = "、".join(round_.feedbacks.order_by("unit_id").values_list("signer_name", flat=True))
        round_.feedback_signed_at, round_.feedback_signed_by = now, actor
        round_.feedback_signer_name = names[:50]
        round_.save(update_fields=["feedback_signed_at", "feedback_signed_by", "feedback_signer_name"])
    return feedback


# ---- 整改 and 归档 ---------------------------------------------------------------------------

@transaction.atomic
def start_rectification(actor, round_: Round, *, request=None) -> Round:
    """反馈 → 整改 (巡察办): after every unit's head has signed."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.FEEDBACK)
    unsigned = [f.unit.name for f in round_.feedbacks.select_related("unit").filter(signed_at__isnull=True)]
    if unsigned or not round_.feedbacks.exists():
        raise ValidationError("被巡察单位主要负责人尚未签收反馈意见：" + ("、".join(unsigned) or "尚未反馈") + "。")
    return _move(actor, round_, S.RECTIFICATION, request=request)


@transaction.atomic
def archive(actor, round_: Round, *, request=None) -> Round:
    """整改 → 归档 (巡察办): the round is frozen afterwards (``require_open``)."""
    require_open(round_)
    round_policy.require(actor, "manage", round_)
    round_ = _lock(round_)
    _require_stage(round_, S.RECTIFICATION)
    blockers = archive_blockers(round_)
    if blockers:
        raise ValidationError("尚不能归档：" + "；".join(blockers))
    return _move(actor, round_, S.ARCHIVED, request=request)


# ---- clocks -----------------------------------------------------------------------------------

def rectification_deadlines(round_: Round) -> dict[str, Deadline] | None:
    """The round's latest clocks over its signed feedbacks (for the timeline), or None before 签收."""
    signed = [f for f in round_.feedbacks.all() if f.signed_at and f.plan_due]
    if not signed:
        return None
    plan = max(signed, key=lambda f: f.plan_due)
    report = max(signed, key=lambda f: f.report_due)
    return {"plan": Deadline(plan.plan_due, plan.plan_due_estimated),
            "report": Deadline(report.report_due, report.report_due_estimated)}


def clock_state(due: date | None, estimated: bool = False, today: date | None = None) -> dict | None:
    """A deadline and its state: 剩N个工作日 / 今日到期 / 已逾期N个工作日 (按周末估算 when so)."""
    if due is None:
        return None
    today = today or timezone.localdate()
    left, est = working_days_between(today, due)
    if due < today:
        state, text = "overdue", f"已逾期{-left}个工作日" if left else "已逾期"
    elif due == today:
        state, text = "today", "今日到期"
    else:
        state, text = "running", f"剩{left}个工作日"
    return {"due": Deadline(due, estimated), "state": state, "text": text, "estimated": estimated or est}
