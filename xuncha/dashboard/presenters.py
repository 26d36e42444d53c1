"""How the dashboard shows things: drill-down links, the names of figure keys, ledger rows as table cells."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from xuncha.clues.models import Disposal
from xuncha.core.params import id_param
from xuncha.policy import dashboard as policy
from xuncha.rounds.models import Category, Round

from .figures import NO_CATEGORY, PENDING, UNDECIDED


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
    if figure == "suspicions":
        from xuncha.crosscheck.models import Suspicion

        return dict(Suspicion.Status.choices).get(key, key)
    if figure == "rect_result":
        from xuncha.rectification.models import Item

        return "未定" if key == UNDECIDED else dict(Item.Result.choices).get(key, key)
    if figure == "rect_accountable":
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
    "suspicion": ["县（区）", "巡察轮次", "疑点", "规则", "涉及金额（元）", "核实状态"],
    "rect": ["县（区）", "巡察轮次", "被巡察单位", "问题", "具体问题", "整改时限", "状态", "整改结果", "已追缴/挽回（元）"],
    "accountability": ["县（区）", "巡察轮次", "被巡察单位", "姓名", "职务", "处理措施", "四种形态", "处理日期"],
}


def _cells(kind: str, obj) -> tuple[list, str]:
    if kind in ("rect", "accountability"):
        return _cells_rect(kind, obj)
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
    if kind == "inquiry":
        return ([r.jurisdiction.name, r.title, obj.get_recipient_display(), obj.subject, obj.sent_on, obj.due_on],
                reverse("rounds:inquiries", args=[r.pk]))
    if kind == "suspicion":
        return ([r.jurisdiction.name, r.title, obj.code, f"{obj.rule} {obj.title}", _money(obj.amount),
                 obj.get_status_display()], _url("crosscheck:suspicion", obj.pk))
    return _cells_rect(kind, obj)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _cells_rect(kind: str, obj) -> tuple[list, str]:
    fb = obj.feedback
    r = fb.round
    if kind == "rect":
        return ([r.jurisdiction.name, r.title, fb.unit.name, obj.problem.title, obj.point, obj.deadline,
                 obj.get_status_display(), obj.get_result_display() if obj.result else "未定",
                 _money(obj.amount_recovered)], _url("rectification:item", obj.pk))
    return ([r.jurisdiction.name, r.title, fb.unit.name, obj.name, obj.position, obj.measure, obj.get_form_display(),
             obj.decided_on], "")


def table(kind: str, objs) -> dict:
    rows = [_cells(kind, o) for o in objs]
    return {"columns": COLUMNS[kind], "rows": [{"cells": c, "url": u} for c, u in rows]}
