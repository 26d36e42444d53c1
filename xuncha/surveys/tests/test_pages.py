"""Every page of the questionnaires, for every role: what the allowed roles get, and that the others get nothing."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from xuncha.surveys import collect, services
from xuncha.surveys.models import Code, Question, Response, Survey

from .conftest import build, first_options, request_from, template

ROLES = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb", "rfb_head",
         "jiwei", "sq_xcb"]
TEAM = {"zuzhang", "fuzuzhang", "zuyuan", "lianluo"}
READERS = TEAM | {"xcb", "admin", "leader"}          # team records of the city round
MANAGERS = {"zuzhang", "fuzuzhang", "xcb", "admin"}  # 组长/副组长 and the round's office
ENTER = TEAM | {"xcb", "admin"}
TEMPLATE_READERS = {"admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "sq_xcb"}
OFFICES = {"admin", "xcb", "sq_xcb"}


def clients(demo):
    out = {}
    for name in ROLES:
        c = Client()
        c.force_login(demo[name])
        out[name] = c
    return out


def expect(path, clients_, allowed, *, method="get", ok=200, denied=(403, 404), check=None, data=None):
    problems = []
    for name, c in clients_.items():
        resp = getattr(c, method)(path, data or {})
        if name in allowed:
            if resp.status_code != ok:
                problems.append(f"{name}: {resp.status_code} (expected {ok})")
            elif check is not None and not check(resp):
                problems.append(f"{name}: content check failed")
        elif resp.status_code not in denied:
            problems.append(f"{name}: {resp.status_code} (expected refusal)")
    anonymous = getattr(Client(), method)(path, data or {})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], path
    assert not problems, f"{method.upper()} {path}: " + "; ".join(problems)


def text(*needles):
    return lambda resp: all(n in resp.content.decode() for n in needles)


def test_template_pages_for_every_role(demo):
    cs = clients(demo)
    shipped = template("RF-ZX")
    expect(reverse("surveys:templates"), cs, TEMPLATE_READERS, check=text("人防宣传知晓率调查", "专项巡察民主测评表"))
    expect(reverse("surveys:detail", args=[shipped.pk]), cs, TEMPLATE_READERS,
           check=text("您是否知道防空警报信号", "随系统提供"), denied=(404,))
    expect(reverse("surveys:template_create"), cs, OFFICES, check=text('name="title"'), denied=(403,))
    expect(reverse("surveys:template_copy", args=[shipped.pk]), cs, OFFICES, method="post", ok=302,
           denied=(403, 404))
    assert Survey.objects.filter(round__isnull=True, builtin=False).count() == len(OFFICES)
    expect(reverse("surveys:builtin_reload"), cs, OFFICES, method="post", ok=302, denied=(403,))
    # the office's own copy: its office edits it, the other county's office does not even see it
    own = Survey.objects.filter(round__isnull=True, jurisdiction=demo["xcb"].organization.jurisdiction_id,
                                title__contains="安康市").first()
    path = reverse("surveys:question_add", args=[own.pk])
    data = {"new-text": "新加的题", "new-kind": "text", "new-required": ""}
    expect(path, cs, {"xcb", "admin"}, method="post", ok=302, data=data, denied=(403, 404))
    assert own.questions.filter(text="新加的题").count() == 2
    # creating a template through the form
    resp = cs["xcb"].post(reverse("surveys:template_create"), {"title": "群众满意度调查", "kind": "questionnaire",
                                                                "intro": "", "groups_text": "群众\n干部"})
    new = Survey.objects.get(title="群众满意度调查")
    assert resp.status_code == 302 and new.groups == ["群众", "干部"] and not new.builtin


def test_round_pages_for_every_role(demo, onsite):
    cs = clients(demo)
    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 2)
    collect.submit_online(request_from(), codes[0], first_options(survey), group="社区居民")
    expect(reverse("rounds:detail", args=[onsite.pk]), {n: cs[n] for n in READERS}, READERS, check=text("问卷测评"))
    for unit in ("rfb", "rfb_head"):     # the inspected unit sees its round, never the questionnaires' button
        page = cs[unit].get(reverse("rounds:detail", args=[onsite.pk]))
        assert page.status_code == 200 and "问卷测评" not in page.content.decode()
    expect(reverse("surveys:round", args=[onsite.pk]), cs, READERS, check=text("人防宣传知晓率调查"), denied=(404,))
    expect(reverse("surveys:detail", args=[survey.pk]), cs, READERS, check=text("收回 <strong id=\"returned\">1</strong>"),
           denied=(404,))
    expect(reverse("surveys:results", args=[survey.pk]), cs, READERS, check=text("知晓率", "100.0%"), denied=(404,))
    expect(reverse("surveys:xlsx", args=[survey.pk]), cs, READERS, denied=(404,),
           check=lambda r: r["Content-Type"].startswith("application/vnd.openxmlformats"))
    expect(reverse("surveys:docx", args=[survey.pk]), cs, READERS, denied=(404,),
           check=lambda r: r.content[:2] == b"PK")
    expect(reverse("surveys:paper", args=[survey.pk]), cs, ENTER, check=text("录入纸质问卷", "autofocus"))
    # writes
    expect(reverse("surveys:codes", args=[survey.pk]), cs, MANAGERS, method="post", data={"count": 2},
           check=text('class="slip"', "<svg"))
    assert Code.objects.filter(survey=survey).count() == 2 + 2 * len(MANAGERS)
    expect(reverse("surveys:paper_issued", args=[survey.pk]), cs, ENTER, method="post", ok=302, data={"count": 5})
    expect(reverse("surveys:void", args=[survey.pk, 1]), cs, MANAGERS, method="post", ok=302)
    expect(reverse("surveys:status", args=[survey.pk, "closed"]), cs, MANAGERS, method="post", ok=302)
    assert Survey.objects.get(pk=survey.pk).status == "closed"
    expect(reverse("surveys:log", args=[survey.pk]), cs, TEAM, method="post", ok=302, data={"day": "2027-03-05"})
    expect(reverse("surveys:round", args=[onsite.pk]), cs, MANAGERS, method="post", ok=302,
           data={"template": template("RF-WJ").pk})
    assert onsite.surveys.filter(title="人防系统专项巡察工作问卷调查").count() == len(MANAGERS)


def test_paper_entry_page_keyboard_flow(demo, onsite, client_as):
    survey = build(demo, onsite, "RF-CP")
    c = client_as("zuyuan")
    page = c.get(reverse("surveys:paper", args=[survey.pk])).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    qs = list(survey.questions.all())
    data = {"token": token, "group": "2", **{f"q{q.pk}": "1" for q in qs}}
    resp = c.post(reverse("surveys:paper", args=[survey.pk]), data, follow=True)
    assert "第 1 份纸质问卷" in resp.content.decode()
    again = c.post(reverse("surveys:paper", args=[survey.pk]), data, follow=True)   # the same form sent twice
    assert "已经保存过" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert Response.objects.get().group == "中层干部"
    # a bad number names the question and what was typed; nothing stored, the typed values stay
    bad = dict(data, token="x" * 24, **{f"q{qs[0].pk}": "7"})
    resp = c.post(reverse("surveys:paper", args=[survey.pk]), bad)
    body = resp.content.decode()
    assert resp.status_code == 200 and "第1题填了“7”，应为 1 至 4" in body and 'value="7"' in body
    half = dict(data, token="y" * 24, **{f"q{qs[1].pk}": ""})
    assert "第2题为必答题" in c.post(reverse("surveys:paper", args=[survey.pk]), half).content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_public_answer_page(demo, onsite, client):
    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 1)
    url = reverse("surveys:answer")
    assert 'name="code"' in client.get(url).content.decode()
    resp = client.post(url, {"code": "NOPE-NOPE"})
    assert "这个码不存在" in resp.content.decode()
    form = client.post(url, {"code": codes[0]}).content.decode()
    assert "您是否知道防空警报信号" in form and "您的身份" in form
    qs = list(survey.questions.all())
    half = {"code": codes[0], "submit": "1", "group": "社区居民", f"q{qs[0].pk}": "0"}
    resp = client.post(url, half).content.decode()
    assert "已填写的内容都还在" in resp and "第2题为必答题" in resp
    assert re.search(rf'name="q{qs[0].pk}" value="0"[^>]*checked', resp)    # what was chosen is still chosen
    full = dict(half, **{f"q{q.pk}": "0" for q in qs if q.kind in ("single", "rating")})
    assert "已提交" in client.post(url, full).content.decode()
    assert "已经使用过" in client.post(url, full).content.decode()
    assert Response.objects.count() == 1


def test_questions_edited_through_the_page_until_collection_starts(demo, onsite, client_as):
    survey, _ = services.create_from_template(demo["zuzhang"], onsite, template("RF-ZX"))
    c = client_as("zuzhang")
    q = survey.questions.first()
    resp = c.post(reverse("surveys:question_save", args=[survey.pk, q.pk]),
                  {f"q{q.pk}-text": "您知道防空警报吗", f"q{q.pk}-kind": "single", f"q{q.pk}-required": "on",
                   f"q{q.pk}-options_text": "*知道\n不知道"}, follow=True)
    assert "已保存题目" in resp.content.decode()
    assert Question.objects.get(pk=q.pk).options == ["知道", "不知道"]
    services.set_status(demo["zuzhang"], survey, Survey.Status.OPEN)
    resp = c.post(reverse("surveys:question_delete", args=[survey.pk, q.pk]), follow=True)
    assert "不能再修改题目" in resp.content.decode() and Question.objects.filter(pk=q.pk).exists()


def test_home_panel_tells_the_team_what_to_log_and_the_leader_what_to_close(demo, onsite, client_as):
    survey = build(demo, onsite, "RF-ZX")
    _, codes = services.issue_codes(demo["zuzhang"], survey, 2)
    collect.submit_online(request_from(), codes[0], first_options(survey))
    home = client_as("zuyuan").get("/").content.decode()
    assert "收回 1 份尚未记入工作日志" in home
    assert "问卷待办" not in client_as("rfb").get("/").content.decode()
    services.log_to_worklog(demo["zuyuan"], survey, day=onsite.planned_start)
    assert "尚未记入工作日志" not in client_as("zuyuan").get("/").content.decode()
    Round = type(onsite)
    Round.objects.filter(pk=onsite.pk).update(stage=Round.Stage.REPORTING)
    assert "请结束收集" in client_as("zuzhang").get("/").content.decode()
    assert "请结束收集" not in client_as("zuyuan").get("/").content.decode()
