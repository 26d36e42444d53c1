"""How the dashboard shows things: drill-down links, the names of figure keys, ledger rows as table cells."""

from __future__ import annotations

from django.urls import reverse

from xuncha.clues.models import Disposal
from xuncha.core.params import id_param
from xuncha.policy import dashboard as policy
from xuncha.rounds.models import Category, Round

from .figures import NO_CATEGORY, PENDING


def link_maker(user, f):
    """link(figure, key) → the URL of the rows behind it (or of the county's dashboard), '' if not allowed."""
    def link(figure: str, key: str = "") -> str:
        if figure == "county":
            return reverse("dashboard:index") + "?" + f.query(county=key, round="")
        if not policy.can_read_rows(user, figure):
            return ""
        return reverse("dashboard:rows", args=[figure]) + "?" + f.query(key=key)
    return link


def key_label(figure: str, key: str) -> str:
    if not key:
        return ""
    if figure == "stage" and key in Round.Stage.values:
        return Round.Stage(key).label
    if figure == "problems":
        if key == NO_CATEGORY:
            return "未分类"
        cat = Category.objects.filter(pk=id_param(key)).first() if id_param(key) else None
        return cat.name if cat else key
    if figure == "clues_disposal":
        return "待处置" if key == PENDING else dict(Disposal.Kind.choices).get(key, key)
    if figure == "clues_form":
        return dict(Disposal.Form.choices).get(key, key)
    return key


def _money(value) -> str:
    return f"{value:,.2f}" if value else ""


def _category(c) -> str:
    if not c:
        return "未分类"
    return f"{c.parent.name} › {c.name}" if c.parent_id else c.name


COLUMNS = {
    "round": ["县（区）", "巡察轮次", "年度", "阶段", "计划时间"],
    "problem": ["县（区）", "巡察轮次", "序号", "问题类别", "问题概述", "责任单位", "涉及金额（元）", "应追缴/挽回（元）"],
    "clue": ["县（区）", "巡察轮次", "编号", "涉及人员或单位", "处置方式", "移交单位", "办理时限", "四种形态", "状态"],
    "inquiry": ["县（区）", "巡察轮次", "函询对象", "函询事项", "发函日期", "回复期限"],
}


def _cells(kind: str, obj) -> tuple[list, str]:
    if kind == "round":
        period = f"{obj.planned_start or '—'} 至 {obj.planned_end or '—'}"
        return ([obj.jurisdiction.name, obj.title, obj.year, obj.get_stage_display(), period],
                reverse("rounds:detail", args=[obj.pk]))
    r = obj.round
    if kind == "problem":
        return ([r.jurisdiction.name, r.title, obj.number, _category(obj.category), obj.title,
                 obj.responsible_unit.name if obj.responsible_unit_id else "", _money(obj.amount),
                 _money(obj.amount_to_recover)], "")
    if kind == "clue":
        d = getattr(obj, "disposal", None)
        return ([r.jurisdiction.name, r.title, obj.code, obj.person, d.get_kind_display() if d else "待处置",
                 d.receiver.name if d and d.receiver_id else "", d.deadline or "" if d else "",
                 d.get_form_display() if d and d.form else "", obj.get_status_display()],
                reverse("clues:detail", args=[obj.pk]))
    return ([r.jurisdiction.name, r.title, obj.get_recipient_display(), obj.subject, obj.sent_on, obj.due_on],
            reverse("rounds:inquiries", args=[r.pk]))


def table(kind: str, objs) -> dict:
    rows = [_cells(kind, o) for o in objs]
    return {"columns": COLUMNS[kind], "rows": [{"cells": c, "url": u} for c, u in rows]}
