"""The inspected unit never sees petitions, clues, 疑点, the team's notes or another unit's rectification: its
two accounts try every URL of the platform, filled with the ids of those records, by GET and by POST, and
crawl every link they are shown; no response carries any of their text, and nothing is changed."""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from xuncha.clues import services as clues
from xuncha.core.tests.test_pages import crawl
from xuncha.crosscheck.tests.records import suspicion
from xuncha.petitions import services as petitions
from xuncha.reports import services as reports
from xuncha.reports.tests.conftest import add_problem, add_problems, fresh, issue_all, make_round, to_feedback
from xuncha.rounds import worklogs

from .. import ledger
from ..models import Evidence, Item, ItemEvent, PlanVersion
from .conftest import accepted, pdf_upload

SECRETS = ("反映主任收受好处费的举报内容", "线索摘要机密", "谈话记录机密内容", "汉阴县独有的整改问题", "疑点摘要机密")
SKIP = re.compile(r"^accounts/|^public/|logout|2fa|/public/")


def routes(resolvers=None, prefix=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def fill(route: str, ids: list[int]) -> list[str]:
    """Every way of filling the route's <int:…> with the ids (and <str:…> with a few words)."""
    slots = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    choices = []
    for conv, _name in slots:
        choices.append(ids if conv == "int" else ["docx", "progress", "head", "document", "archive", "x"])
    urls = []
    parts = re.split(r"<(?:\w+:)?\w+>", route)
    for combo in itertools.product(*choices):
        url = parts[0] + "".join(str(value) + part for value, part in zip(combo, parts[1:], strict=True))
        urls.append("/" + url)
    return urls


@pytest.fixture
def world(demo):
    u = demo
    r = make_round(u, number=1)
    add_problems(r)
    petition, _ = petitions.intake(u["zuzhang"], r, petitions.ReportData(subject_name="郑卫东", content=SECRETS[0]),
                                   channel="letter")
    clue = clues.create_clue(u["zuzhang"], r, clues.ClueData(person="郑卫东", summary=SECRETS[1]))
    log = worklogs.add_log(u["zuyuan"], r, day=r.planned_start, work_type="talks", content=SECRETS[2],
                           people_talked=2)
    doubt = suspicion(r)
    type(doubt).objects.filter(pk=doubt.pk).update(summary=SECRETS[4], title=SECRETS[4])
    r = to_feedback(u, r)
    issue_all(u, r)
    f = r.feedbacks.get()
    reports.mark_read(u["rfb_head"], f)
    reports.sign_feedback(u["rfb_head"], fresh(f), confirmed=True)
    accepted(u, fresh(f))
    # another unit's rectification (汉阴县人民防空办公室) in another round
    for user in u.values():
        user.__dict__.pop("_team_roles", None)
    other = make_round(u, number=2, targets=("汉阴县人民防空办公室",))
    add_problem(other, 1, "RF9-3-2", SECRETS[3], unit="汉阴县人民防空办公室")
    for user in u.values():
        user.__dict__.pop("_team_roles", None)
    other = to_feedback(u, other)
    issue_all(u, other)
    g = other.feedbacks.get()
    reports.mark_read(u["hy_rfb_head"], g)
    reports.sign_feedback(u["hy_rfb_head"], fresh(g), confirmed=True)
    from .. import plans
    from .conftest import full_plan

    plans.file_plan(u["hy_rfb"], fresh(g), full_plan(fresh(g)))
    plans.accept_plan(u["xcb"], fresh(g))
    item = Item.objects.get(feedback=g)
    ledger.add_evidence(u["hy_rfb"], item, pdf_upload("汉阴凭证.pdf"))
    return fresh(f), fresh(g), [petition.pk, clue.pk, log.pk, doubt.pk, doubt.run_id]


def counts():
    return (PlanVersion.objects.count(), Item.objects.exclude(status="not_started").count(), Evidence.objects.count(),
            ItemEvent.objects.count())


@pytest.mark.parametrize("username", ["rfb", "rfb_head"])
def test_unit_accounts_try_every_url_with_confidential_ids(demo, world, username):
    own, other, secret_ids = world
    client = Client()
    client.force_login(demo[username])
    other_item = Item.objects.get(feedback=other)
    ids = sorted({*secret_ids, other.pk,
                  other.round_id, other_item.pk, Evidence.objects.get(item=other_item).pk})
    before = counts()
    tried = 0
    for route in routes():
        if SKIP.search(route) or "<" not in route:
            continue
        for url in fill(route, ids):
            for method in (client.get, client.post):
                resp = method(url)
                tried += 1
                assert resp.status_code != 500, url
                if resp.status_code == 200 and "text/html" in resp.get("Content-Type", ""):
                    body = resp.content.decode()
                    assert not any(s in body for s in SECRETS), (username, url)
                elif resp.status_code == 200:
                    data = b"".join(resp.streaming_content) if resp.streaming else resp.content
                    assert not any(s.encode() in data for s in SECRETS), (username, url)
    assert tried > 200
    assert counts() == before
    # and every page it is shown
    visited = crawl(client, ["/"], limit=120)
    for path, status in visited.items():
        confidential = (path.startswith(("/petitions/", "/clues/", "/crosscheck/"))
                        and not path.startswith("/petitions/public/"))
        assert not confidential or status in (403, 404), path
        if status == 200:
            resp = client.get(path)
            body = b"".join(resp.streaming_content) if resp.streaming else resp.content
            assert not any(s.encode() in body for s in SECRETS), path
    assert any(p.startswith(f"/rectification/feedback/{own.pk}/") for p in visited)     # its own pages it does see
