"""Every role against every page and action of the problem list (问题清单).

Who (policy/findings.py): the round's team and the 巡察办 whose scope covers the round see problems;
the team and the office of the round's own jurisdiction register and edit; 组长/副组长 and that office
withdraw, record the leading group's consent and issue 边巡边改. The 领导小组, the inspected unit
(联络员 and 主要负责人), the discipline commission, other teams and other counties see nothing (404).
Each allowed role is checked for what it gets (the page's content, the change made), not only others
for refusal.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuncha.findings import onsite, services
from xuncha.findings.models import OnSiteRectification, Problem

from .conftest import png

pytestmark = pytest.mark.django_db

USERS = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb", "rfb_head",
         "jiwei", "sq_admin", "sq_xcb", "sq_zz", "sq_rfb", "sq_rfb_head", "hy_xcb", "hy_zz"]
CITY_READ = {"admin", "xcb", "zuzhang", "fuzuzhang", "zuyuan", "lianluo"}
CITY_WORK = CITY_READ
CITY_LEAD = {"admin", "xcb", "zuzhang", "fuzuzhang"}
COUNTY_READ = {"admin", "xcb", "sq_admin", "sq_xcb", "sq_zz"}     # the city office reads its counties
COUNTY_WORK = {"sq_admin", "sq_xcb", "sq_zz"}                     # ... but does not write them
COUNTY_LEAD = COUNTY_WORK
SEES_ANY = CITY_READ | COUNTY_READ | {"zuyuan2", "hy_xcb", "hy_zz"}   # have some round's problem list


def _client(demo, username):
    c = Client()
    c.force_login(demo[username])
    return c


def _expect(username, allowed, visible):
    return 200 if username in allowed else (403 if username in visible else 404)


def test_index_and_nav(demo, city_round, county_round):
    failures = []
    for username in USERS:
        c = _client(demo, username)
        r = c.get(reverse("findings:index"))
        want = 200 if username in SEES_ANY else 404
        if r.status_code != want:
            failures.append(f"{username}: index {r.status_code} != {want}")
            continue
        home = c.get("/").content.decode()
        if ("问题清单" in home) != (username in SEES_ANY):
            failures.append(f"{username}: nav entry shown={'问题清单' in home}")
        if want == 200:
            page = r.content.decode()
            for round_, readers in ((city_round, CITY_READ), (county_round, COUNTY_READ)):
                if (round_.title in page) != (username in readers):
                    failures.append(f"{username}: index lists {round_.title}={round_.title in page}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("which", ["city", "county"])
def test_read_pages(demo, city_round, county_round, make_problem, which):
    round_, readers, workers = ((city_round, CITY_READ, CITY_WORK) if which == "city"
                                else (county_round, COUNTY_READ, COUNTY_WORK))
    p = make_problem(round_, actor="zuyuan" if which == "city" else "sq_zz", title="保密问题标题XYZ",
                     evidence_files=[png()])
    f = p.evidence.get()
    failures = []
    for username in USERS:
        c = _client(demo, username)
        pages = {
            "round": (reverse("findings:round", args=[round_.pk]), readers, "保密问题标题XYZ"),
            "detail": (reverse("findings:detail", args=[p.pk]), readers, "保密问题标题XYZ"),
            "export": (reverse("findings:export", args=[round_.pk]), readers, None),
            "evidence": (reverse("findings:evidence", args=[p.pk, f.pk]), readers, None),
            "create": (reverse("findings:create", args=[round_.pk]), workers, "登记问题"),
            "edit": (reverse("findings:edit", args=[p.pk]), workers, "保密问题标题XYZ"),
        }
        for name, (url, allowed, text) in pages.items():
            r = c.get(url)
            want = _expect(username, allowed, readers)
            if r.status_code != want:
                failures.append(f"{username} {name}: {r.status_code} != {want}")
            elif want == 200 and text and text not in r.content.decode():
                failures.append(f"{username} {name}: page lacks {text}")
            elif want == 200 and name == "export":
                import openpyxl
                ws = openpyxl.load_workbook(io.BytesIO(r.content))["问题清单"]
                if "保密问题标题XYZ" not in [row[3] for row in ws.iter_rows(min_row=4, values_only=True)]:
                    failures.append(f"{username} export: problem missing")
            elif want == 200 and name == "evidence":
                if not b"".join(r.streaming_content).startswith(b"\x89PNG"):
                    failures.append(f"{username} evidence: not the file")
        # what the detail page offers matches the policy
        if username in readers:
            page = c.get(reverse("findings:detail", args=[p.pk])).content.decode()
            lead = (CITY_LEAD if which == "city" else COUNTY_LEAD)
            if ("撤销问题" in page) != (username in lead):
                failures.append(f"{username}: withdraw form shown={'撤销问题' in page}")
            if ("转为问题线索" in page) != (username in workers):
                failures.append(f"{username}: to-clue form shown={'转为问题线索' in page}")
    assert not failures, "\n".join(failures)


def _fresh(make_problem, round_, which):
    return make_problem(round_, actor="zuyuan" if which == "city" else "sq_zz", title="动作测试问题")


ACTIONS = {
    # name: (url name, post data, effect check, who may: "work" or "lead")
    "create": ("findings:create", lambda p: {"found_by": "talk", "title": "新登记问题", "severity": "general",
                                            "amount": "0", "amount_to_recover": "0"},
               lambda p: Problem.objects.filter(round=p.round, title="新登记问题").exists(), "work"),
    "edit": ("findings:edit", lambda p: {"found_by": "talk", "title": "改过的标题", "severity": "general",
                                        "amount": "1", "amount_to_recover": "0"},
             lambda p: Problem.objects.get(pk=p.pk).title == "改过的标题", "work"),
    "add_evidence": ("findings:add_evidence", lambda p: {"files": [png("补充证据.png")]},
                     lambda p: p.evidence.filter(original_name="补充证据.png").exists(), "work"),
    "withdraw": ("findings:withdraw", lambda p: {"reason": "不属实"},
                 lambda p: Problem.objects.get(pk=p.pk).status == Problem.Status.WITHDRAWN, "lead"),
    "to_clue": ("findings:to_clue", lambda p: {"person": "某人", "level": "other"},
                lambda p: Problem.objects.get(pk=p.pk).referred_clue_id is not None, "work"),
    "onsite_propose": ("findings:onsite_propose", lambda p: {"proposal": "立行立改"},
                       lambda p: OnSiteRectification.objects.filter(problem=p).exists(), "work"),
}


@pytest.mark.parametrize("which", ["city", "county"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_actions(demo, city_round, county_round, make_problem, which, action):
    round_, readers = (city_round, CITY_READ) if which == "city" else (county_round, COUNTY_READ)
    allowed = {("city", "work"): CITY_WORK, ("city", "lead"): CITY_LEAD,
               ("county", "work"): COUNTY_WORK, ("county", "lead"): COUNTY_LEAD}[(which, ACTIONS[action][3])]
    url_name, data, done, _who = ACTIONS[action]
    failures = []
    for username in USERS:
        p = _fresh(make_problem, round_, which)
        if action == "create":
            Problem.objects.filter(title="新登记问题").delete()
        args = [round_.pk] if action == "create" else [p.pk]
        r = _client(demo, username).post(reverse(url_name, args=args), data(p))
        if username in allowed:
            if r.status_code != 302 or not done(p):
                failures.append(f"{username}: allowed but {r.status_code}, done={done(p)}")
        else:
            want = 403 if username in readers else 404
            if r.status_code != want or done(p):
                failures.append(f"{username}: {r.status_code} != {want} or changed")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("which", ["city", "county"])
def test_onsite_consent_issue_and_download(demo, city_round, county_round, make_problem, which):
    round_, readers, lead = ((city_round, CITY_READ, CITY_LEAD) if which == "city"
                             else (county_round, COUNTY_READ, COUNTY_LEAD))
    today = timezone.localdate().isoformat()
    failures = []
    for username in USERS:
        p = _fresh(make_problem, round_, which)
        onsite.propose(demo["zuyuan" if which == "city" else "sq_zz"], p, proposal="立行立改")
        c = _client(demo, username)
        r = c.post(reverse("findings:onsite_consent", args=[p.pk]), {
            "consent_by": "领导小组组长", "consent_on": today, "consent_document": "纪要5号"})
        item = OnSiteRectification.objects.get(problem=p)
        want_ok = username in lead
        if want_ok != (item.status == "consented") or (not want_ok and r.status_code != (
                403 if username in readers else 404)):
            failures.append(f"{username}: consent {r.status_code} status={item.status}")
        if not want_ok:
            onsite.record_consent(demo["zuzhang" if which == "city" else "sq_zz"], p, consent_by="组长",
                                  consent_on=timezone.localdate(), consent_document="纪要")
        r = c.post(reverse("findings:onsite_issue", args=[p.pk]), {"requirement": "整改", "deadline_days": 5})
        item.refresh_from_db()
        if want_ok != (item.status == "issued"):
            failures.append(f"{username}: issue {r.status_code} status={item.status}")
        if not want_ok:
            onsite.issue_suggestion(demo["zuzhang" if which == "city" else "sq_zz"], p, requirement="整改")
        r = c.get(reverse("findings:onsite_file", args=[p.pk, "suggestion"]))
        want = 200 if username in readers else 404
        if r.status_code != want:
            failures.append(f"{username}: suggestion download {r.status_code} != {want}")
        elif want == 200 and not b"".join(r.streaming_content).startswith(b"PK"):
            failures.append(f"{username}: suggestion is not a .docx")
    assert not failures, "\n".join(failures)


def test_from_clue_every_role(demo, city_round):
    from xuncha.clues import services as clue_services

    failures = []
    for username in USERS:
        clue = clue_services.create_clue(demo["zuzhang"], city_round, clue_services.ClueData(
            person="某", summary=f"线索-{username}"))
        c = _client(demo, username)
        r_get = c.get(reverse("findings:from_clue", args=[clue.pk]))
        r = c.post(reverse("findings:from_clue", args=[clue.pk]), {
            "found_by": "petition", "title": f"由线索-{username}", "severity": "general", "amount": "0",
            "amount_to_recover": "0"})
        made = Problem.objects.filter(source_clue=clue).exists()
        if username in CITY_WORK:
            if r_get.status_code != 200 or r.status_code != 302 or not made:
                failures.append(f"{username}: {r_get.status_code}/{r.status_code} made={made}")
        elif made or r.status_code not in (403, 404) or r_get.status_code not in (403, 404):
            failures.append(f"{username}: refused expected, got {r_get.status_code}/{r.status_code} made={made}")
    assert not failures, "\n".join(failures)


def test_unit_and_commission_see_no_problem_links(demo, city_round, make_problem):
    """The clue page (which 纪委监委 sees when transferred) and the round page (which the unit sees)
    show no problem list to them; services refuse them too."""
    from xuncha.clues import services as clue_services
    from xuncha.clues.models import Disposal
    from xuncha.orgs.models import Organization

    p = make_problem()
    clue = services.problem_to_clue(demo["zuyuan"], p, person="某科长")
    discipline = Organization.objects.get(kind=Organization.Kind.DISCIPLINE, jurisdiction=city_round.jurisdiction)
    clue_services.dispose(demo["zuzhang"], clue, kind=Disposal.Kind.DISCIPLINE, receiver=discipline)
    page = _client(demo, "jiwei").get(reverse("clues:detail", args=[clue.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="clue-problems"' not in text and "/problems/" not in text
    team_page = _client(demo, "zuyuan").get(reverse("clues:detail", args=[clue.pk])).content.decode()
    assert 'id="clue-problems"' in team_page and reverse("findings:detail", args=[p.pk]) in team_page
    for username in ("rfb", "rfb_head"):
        r = _client(demo, username).get(reverse("rounds:detail", args=[city_round.pk]))
        assert r.status_code == 200 and reverse("findings:round", args=[city_round.pk]) not in r.content.decode()
    r = _client(demo, "zuyuan").get(reverse("rounds:detail", args=[city_round.pk]))
    assert reverse("findings:round", args=[city_round.pk]) in r.content.decode()
