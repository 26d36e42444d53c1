"""Every figure agrees with the ledgers it comes from: the expected values are computed here from the
test's own lists (conftest.PROBLEMS, CLUES, INQUIRIES), and the rows behind each figure are counted."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from xuncha.rounds.models import Category

from .conftest import ACCOUNTABLE, CLUES, INQUIRIES, PROBLEMS, RECT, STAGES, SUSPICIONS

SCOPES = {"xcb": {"city", "hy", "sq"}, "leader": {"city", "hy", "sq"}, "hy_xcb": {"hy"}, "sq_xcb": {"sq"}}
FORMS = {"0": "不予处理", "1": "第一种形态", "2": "第二种形态", "3": "第三种形态", "4": "第四种形态"}
KINDS = {None: "待处置", "discipline": "移交纪委监委", "organization": "移交组织部门", "party_org": "转交被巡察党组织",
         "keep": "留存备查", "close": "了结"}


def expected(keys: set[str]) -> dict:
    problems = [p for p in PROBLEMS if p[0] in keys and not p[4]]
    clues = [c for c in CLUES if c[0] in keys]
    by_top = Counter()
    amount_by_top = Counter()
    for _key, code, amount, _recover, _w in problems:
        top = code[:5] if code else None           # RF9-1-1 → RF9-1
        by_top[top] += 1
        amount_by_top[top] += Decimal(amount)
    return {
        "rounds": len(keys),
        "stage": Counter(STAGES[k] for k in keys),
        "problems": len(problems),
        "by_top": by_top, "amount_by_top": amount_by_top,
        "found": sum(Decimal(p[2]) for p in problems),
        "to_recover": sum(Decimal(p[3]) for p in problems),
        "clues": len(clues),
        "kinds": Counter(c[1] for c in clues),
        "forms": Counter(c[2] for c in clues if c[3] and c[2]),
        "accountable": sum(1 for c in clues if c[3] and c[2] in "1234" and c[2]),
        "transfers_overdue": sum(1 for c in clues if c[1] in ("discipline", "organization", "party_org")
                                 and not c[3] and c[4] is not None and c[4] < 0),
        "inquiries_overdue": sum(1 for k, days, replied in INQUIRIES if k in keys and days < 0 and not replied),
        "suspicions": Counter(status for k, status in SUSPICIONS if k in keys),
        "rect": Counter(r[1] for r in RECT if r[0] in keys),
        "rect_points": sum(1 for r in RECT if r[0] in keys),
        "recovered": sum((Decimal(r[4]) for r in RECT if r[0] in keys), Decimal(0)),
        "red_cards": sum(r[5] for r in RECT if r[0] in keys),
        "rect_overdue": sum(1 for r in RECT if r[0] in keys and (r[6] or (r[3] < 0 and r[2] != "closed"))),
        "rect_accountable": sum(1 for k, _f in ACCOUNTABLE if k in keys),
    }


def _kpi(body: str, name: str) -> str:
    m = re.search(rf'data-kpi="{name}">(?:<a [^>]*>)?([^<]+)<', body)
    assert m, name
    return m.group(1)


def _figure_rows(body: str, figure: str) -> dict[str, int]:
    table = re.search(rf'<table class="list compact" data-figure="{figure}">(.*?)</table>', body, re.S).group(1)
    return {label: int(v) for label, v in re.findall(
        r'<tr><td>([^<]+)</td><td class="num" data-value="(\d+)"', table)}


@pytest.mark.parametrize("username", sorted(SCOPES))
def test_page_figures_match_the_test_data(client_as, data, username):
    exp = expected(SCOPES[username])
    body = client_as(username).get(f"/dashboard/?{data.q()}").content.decode()
    assert _kpi(body, "rounds") == str(exp["rounds"])
    assert _kpi(body, "problems") == str(exp["problems"])
    assert _kpi(body, "money_found") == f"{exp['found']:.2f}"
    assert _kpi(body, "money_to_recover") == f"{exp['to_recover']:.2f}"
    assert _kpi(body, "clues") == str(exp["clues"])
    assert _kpi(body, "accountable") == str(exp["accountable"])
    assert _kpi(body, "overdue") == str(exp["transfers_overdue"] + exp["inquiries_overdue"] + exp["rect_overdue"])
    stage = _figure_rows(body, "stage")
    assert stage == {label: exp["stage"].get(code, 0) for code, label in [
        ("preparation", "准备"), ("onsite", "进驻"), ("reporting", "汇报"), ("feedback", "反馈"),
        ("rectification", "整改"), ("archived", "归档")]}
    names = {c.code: c.name for c in Category.objects.filter(taxonomy__code="RF-9", parent__isnull=True)}
    problems = _figure_rows(body, "problems")
    assert problems == {(f"{names[top]}（人防专项 三大类9种具体问题）" if top else "未分类"): n
                        for top, n in exp["by_top"].items()}
    assert _figure_rows(body, "clues_disposal") == {label: exp["kinds"].get(kind, 0) for kind, label in KINDS.items()}
    assert _figure_rows(body, "clues_form") == {label: exp["forms"].get(code, 0) for code, label in FORMS.items()}
    assert _figure_rows(body, "overdue") == {"移交线索逾期未办结": exp["transfers_overdue"],
                                             "函询逾期未回复": exp["inquiries_overdue"],
                                             "整改逾期（含虚假整改未纠正）": exp["rect_overdue"]}
    assert _kpi(body, "suspicions") == str(sum(exp["suspicions"].values()))
    assert _figure_rows(body, "suspicions") == {label: exp["suspicions"].get(code, 0) for code, label in [
        ("open", "待核实"), ("confirmed", "已确认"), ("dismissed", "已排除")]}
    results = [("done", "整改到位"), ("basic", "基本整改到位"), ("not_done", "未整改到位"), ("", "未定")]
    assert _figure_rows(body, "rect_result") == {label: exp["rect"].get(code, 0) for code, label in results}
    shares = dict(re.findall(r'<tr><td>([^<]+)</td><td class="num" data-value="\d+">.*?data-share="([^"]*)"', body))
    for code, label in results:
        want = round(100 * exp["rect"].get(code, 0) / exp["rect_points"], 1) if exp["rect_points"] else None
        assert shares[label] == ("" if want is None else str(want)), label
    assert _kpi(body, "money_recovered") == f"{exp['recovered']:.2f}"
    assert _kpi(body, "rect_accountable") == str(exp["rect_accountable"])
    assert _kpi(body, "red_cards") == str(exp["red_cards"])


def test_a_county_office_sees_only_its_own_county(client_as, data):
    body = client_as("hy_xcb").get(f"/dashboard/?{data.q()}").content.decode()
    assert "石泉县" not in body and "安康市2027" not in body
    assert re.search(r'<tr data-county="汉阴县">', body)
    assert len(re.findall(r"<tr data-county=", body)) == 1
    # a county or round of another jurisdiction in the query is dropped, not shown
    sq = data.rounds["sq"]
    body = client_as("hy_xcb").get(f"/dashboard/?{data.q(round=sq.pk, county=sq.jurisdiction_id)}").content.decode()
    assert "不在本级管辖范围内" in body and _kpi(body, "rounds") == "1" and "石泉县" not in body


def test_city_progress_per_county(client_as, data):
    body = client_as("xcb").get(f"/dashboard/?{data.q()}").content.decode()
    rows = dict(re.findall(r'<tr data-county="([^"]+)">.*?<td class="num">(\d+)%</td></tr>', body, re.S))
    assert rows["安康市"] == "0" and rows["汉阴县"] == "20" and rows["石泉县"] == "60" and rows["白河县"] == "0"
    assert len(rows) == 10


def test_filters_by_county_and_round(client_as, data):
    c = client_as("xcb")
    hy = data.rounds["hy"]
    exp = expected({"hy"})
    body = c.get(f"/dashboard/?{data.q(county=hy.jurisdiction_id)}").content.decode()
    assert _kpi(body, "problems") == str(exp["problems"]) and hy.title in body
    body = c.get(f"/dashboard/?round={hy.pk}").content.decode()
    assert _kpi(body, "problems") == str(exp["problems"]) and _kpi(body, "rounds") == "1"
    # bad filter values never crash
    body = c.get("/dashboard/?year=abc&county=%27&round=-1").content.decode()
    assert "已忽略" in body


FIGURE_ROWS = [
    ("problems", lambda e: e["problems"]),
    ("money", lambda e: sum(1 for p in PROBLEMS if p[0] in SCOPES["xcb"] and not p[4]
                            and (Decimal(p[2]) or Decimal(p[3])))),
    ("clues_disposal", lambda e: e["clues"]),
    ("clues_form", lambda e: sum(e["forms"].values())),
    ("accountable", lambda e: e["accountable"]),
    ("transfers", lambda e: e["transfers_overdue"]),
    ("inquiries", lambda e: e["inquiries_overdue"]),
    ("stage", lambda e: e["rounds"]),
    ("suspicions", lambda e: sum(e["suspicions"].values())),
    ("rect_result", lambda e: e["rect_points"]),
    ("rect_overdue", lambda e: e["rect_overdue"]),
    ("rect_accountable", lambda e: e["rect_accountable"]),
]


@pytest.mark.parametrize("figure,count", FIGURE_ROWS, ids=[f for f, _ in FIGURE_ROWS])
def test_the_rows_behind_each_figure_are_as_many_as_the_figure(client_as, data, figure, count):
    body = client_as("xcb").get(f"/dashboard/rows/{figure}/?{data.q()}").content.decode()
    table = re.search(r'<table class="list stack" id="ledger-rows">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    assert table.count("<tr>") == count(expected(SCOPES["xcb"])), table


def test_rows_of_one_bar(client_as, data):
    top = Category.objects.get(taxonomy__code="RF-9", code="RF9-1")
    body = client_as("xcb").get(f"/dashboard/rows/problems/?{data.q(key=top.pk)}").content.decode()
    want = [f"问题{n}" for n, p in enumerate(PROBLEMS, start=1) if p[1] and p[1].startswith("RF9-1") and not p[4]]
    got = re.findall(r"<td>(问题\d+)</td>", body)
    assert sorted(got) == sorted(want) and len(want) == 3
    body = client_as("xcb").get(f"/dashboard/rows/clues_form/?{data.q(key='2')}").content.decode()
    assert body.count("<td>第二种形态</td>") == 1
