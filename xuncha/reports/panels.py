"""待我办理 (home panel): what waits for this user in the plan, report and feedback steps.

Approvers see what waits for their approval (领导小组: 工作方案, 巡察报告; 巡察办: 审核, 书记专题会议
结果, 反馈); the team's 组长 sees a returned report; the unit's head sees the feedback to sign;
the unit sees its rectification clocks.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from xuncha.policy.reports import feedback_policy
from xuncha.policy.rounds import round_policy
from xuncha.rounds.models import Round
from xuncha.rounds.services import plan_missing

from . import reviews
from .models import Feedback, Report
from .selectors import feedback_row

S = Round.Stage
RS = Report.Status
LIMIT = 30
#: other apps add entries to 待我办理: functions user -> [{"round", "what", "url", "note"}, ...]
TODO_SOURCES: list = []


def _item(round_, what: str, url: str, note: str = "") -> dict:
    return {"round": round_, "what": what, "url": url, "note": note}


def _report_url(round_) -> str:
    return reverse("reports:report", args=[round_.pk])


def _round_url(round_) -> str:
    return reverse("rounds:detail", args=[round_.pk])


def _leadership_items(user) -> list[dict]:
    items = []
    for r in round_policy.instances(user, "approve").exclude(stage=S.ARCHIVED).order_by("-year", "-number")[:LIMIT]:
        if r.stage == S.PREPARATION and not r.plan_approved_at and not plan_missing(r) and not reviews.plan_returned(r):
            items.append(_item(r, "审批工作方案", _round_url(r)))
        report = Report.objects.filter(round=r).first()
        if r.stage == S.REPORTING and report is not None and report.status == RS.LEADERSHIP_REVIEW:
            items.append(_item(r, "审批巡察报告（巡察办已审核）", _report_url(r)))
    return items


def _office_items(user) -> list[dict]:
    items = []
    for r in round_policy.instances(user, "manage").exclude(stage=S.ARCHIVED).order_by("-year", "-number")[:LIMIT]:
        report = Report.objects.filter(round=r).first()
        status = report.status if report is not None else RS.DRAFT
        if r.stage == S.PREPARATION and reviews.plan_returned(r):
            items.append(_item(r, "工作方案被领导小组退回：修改后重新报批", _round_url(r),
                               reviews.plan_returned(r).comments[:60]))
        if r.stage == S.REPORTING:
            what = {RS.OFFICE_REVIEW: "审核巡察报告", RS.MEETING: "登记书记专题会议审议结果",
                    RS.APPROVED: "开始反馈"}.get(status)
            if what:
                items.append(_item(r, what, _round_url(r) if status == RS.APPROVED else _report_url(r)))
        if r.stage == S.FEEDBACK:
            for f in r.feedbacks.select_related("unit").order_by("unit_id"):
                url = reverse("reports:feedback", args=[f.pk])
                if not f.head_briefed_at:
                    items.append(_item(r, f"向{f.unit.name}主要负责人通报巡察情况", url))
                elif not f.issued_at:
                    items.append(_item(r, f"向{f.unit.party_org or f.unit.name}反馈巡察意见", url))
            if r.feedbacks.exists() and not r.feedbacks.filter(signed_at__isnull=True).exists():
                items.append(_item(r, "各单位已签收：转入整改阶段", _round_url(r)))
    return items


def _lead_items(user) -> list[dict]:
    items = []
    today = timezone.localdate()
    for r in round_policy.instances(user, "lead").filter(stage__in=[S.ONSITE, S.REPORTING]):
        report = Report.objects.filter(round=r).first()
        status = report.status if report is not None else RS.DRAFT
        if status == RS.RETURNED:
            items.append(_item(r, "巡察报告被退回：按意见修改后上传新版本并重新报送", _report_url(r)))
        elif r.stage == S.ONSITE and r.planned_end and r.planned_end <= today:
            items.append(_item(r, "巡察已到计划结束日期：撰写并报送巡察报告", _report_url(r)))
    return items


def _head_items(user) -> list[dict]:
    return [_item(f.round, "阅读并签收巡察反馈意见", reverse("reports:feedback", args=[f.pk]))
            for f in feedback_policy.instances(user, "sign").filter(
                issued_at__isnull=False, signed_at__isnull=True, round__stage=S.FEEDBACK).select_related("round")]


def todo_panel(user) -> dict | None:
    items = _leadership_items(user) + _office_items(user) + _lead_items(user) + _head_items(user)
    items += [item for source in TODO_SOURCES for item in source(user)]
    clocks = []
    if feedback_policy.can(user, "view") and user.organization_id:
        own = (Feedback.objects.filter(unit_id=user.organization_id, signed_at__isnull=False,
                                       round__stage__in=[S.FEEDBACK, S.RECTIFICATION])
               .select_related("round", "unit"))
        clocks = [feedback_row(f) for f in own if feedback_policy.can(user, "view", f)]
    if not items and not clocks:
        return None
    return {"template": "reports/_todo_panel.html", "items": items, "clocks": clocks}
