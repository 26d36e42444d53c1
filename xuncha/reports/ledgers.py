"""Ledgers (.xlsx) that go into the archive besides the petition and clue ledgers of their apps:
问题清单, 工作日志, 审批记录, and the archive's own 卷内目录."""

from __future__ import annotations

from xuncha.findings.models import Problem
from xuncha.petitions import xlsx
from xuncha.rounds.models import Round, WorkLog

from .models import Review


def _subtitle(round_: Round) -> str:
    return f"巡察轮次：{round_.title}（{round_.jurisdiction.committee_name}）"


def _yes(value: bool) -> str:
    return "是" if value else ""


def problem_list(round_: Round) -> bytes:
    """问题清单 (every problem of the round, withdrawn ones marked)."""
    columns = [("序号", 6), ("大类", 18), ("问题类别", 22), ("问题概述", 30), ("问题事实", 46), ("责任单位", 18),
               ("责任人", 10), ("涉及主要负责人", 8), ("涉及班子成员", 8), ("严重程度", 8), ("涉及金额（元）", 14),
               ("应追缴/挽回（元）", 14), ("来源", 12), ("状态", 8)]
    rows = []
    for p in Problem.objects.filter(round=round_).select_related("category__parent", "responsible_unit").order_by(
            "number"):
        top = p.category.parent if p.category and p.category.parent_id else p.category
        sub = p.category if p.category and p.category.parent_id else None
        rows.append([p.number, top.name if top else "", sub.name if sub else "", p.title, p.description,
                     p.responsible_unit.name if p.responsible_unit_id else "", p.responsible_person,
                     _yes(p.concerns_head), _yes(p.concerns_leadership), p.get_severity_display(),
                     float(p.amount), float(p.amount_to_recover), p.get_source_display(), p.get_status_display()])
    wb = xlsx.new_workbook()
    wb.active.title = "问题清单"
    xlsx.ledger_sheet(wb.active, "巡察发现问题清单", columns, rows, subtitle=_subtitle(round_))
    return xlsx.to_bytes(wb)


def work_log_ledger(round_: Round) -> bytes:
    columns = [("序号", 6), ("日期", 11), ("工作类型", 12), ("工作内容", 60), ("谈话/走访人数", 10),
               ("发放份数", 8), ("收回份数", 8), ("记录人", 10)]
    logs = WorkLog.objects.filter(round=round_).select_related("author").order_by("date", "pk")
    rows = [[i, log.date.strftime("%Y-%m-%d"), log.get_work_type_display(), log.content, log.people_talked,
             log.forms_issued, log.forms_returned, log.author.display_name] for i, log in enumerate(logs, start=1)]
    wb = xlsx.new_workbook()
    wb.active.title = "工作日志"
    xlsx.ledger_sheet(wb.active, "巡察工作日志", columns, rows, subtitle=_subtitle(round_))
    return xlsx.to_bytes(wb)


def review_ledger(round_: Round) -> bytes:
    """审批记录: plan and report, every submission, approval and return with its opinion."""
    columns = [("序号", 6), ("事项", 14), ("环节", 14), ("结果", 10), ("版本", 8), ("意见", 50), ("会议日期", 11),
               ("会议纪要编号", 16), ("办理人", 10), ("时间", 17)]
    reviews = Review.objects.filter(round=round_).select_related("actor", "version").order_by("at", "pk")
    rows = [[i, r.get_subject_display(), r.get_step_display(), r.get_outcome_display(),
             f"第{r.version.number}稿" if r.version_id else "", r.comments,
             r.meeting_date.strftime("%Y-%m-%d") if r.meeting_date else "", r.minute_no,
             r.actor.display_name if r.actor_id else "", r.at.strftime("%Y-%m-%d %H:%M")]
            for i, r in enumerate(reviews, start=1)]
    wb = xlsx.new_workbook()
    wb.active.title = "审批记录"
    xlsx.ledger_sheet(wb.active, "工作方案和巡察报告审批记录", columns, rows, subtitle=_subtitle(round_))
    return xlsx.to_bytes(wb)


def archive_index(round_: Round, entries: list[tuple[int, str, str, int, str, str]]) -> bytes:
    """卷内目录: (序号, 题名, 日期, 大小, 文件, 备注) per file in the archive."""
    columns = [("序号", 6), ("题名", 56), ("日期", 11), ("大小（字节）", 12), ("文件", 50), ("备注", 14)]
    wb = xlsx.new_workbook()
    wb.active.title = "卷内目录"
    xlsx.ledger_sheet(wb.active, "卷内目录", columns, [list(e) for e in entries], subtitle=_subtitle(round_))
    return xlsx.to_bytes(wb)
