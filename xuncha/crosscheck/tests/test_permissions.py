"""Item 9: every role against every page and action of 数据比对. Allowed roles get the page (its
content asserted) or the change (its effect asserted); the others get 404 (cannot see the round's
疑点) or 403 (see but may not act), and nothing changes."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from xuncha.crosscheck import services
from xuncha.crosscheck.models import CheckPolicy, CheckRun, DataFile, Suspicion
from xuncha.rounds.models import Round

from .conftest import AS_OF, upload, uploads, work_queue

pytestmark = pytest.mark.django_db

USERS = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb", "rfb_head",
         "jiwei", "hy_xcb", "hy_zz", "sq_admin"]
READERS = {"admin", "xcb", "zuzhang", "fuzuzhang", "zuyuan", "lianluo"}   # the city round's team and office
WORKERS = READERS
REOPENERS = {"zuzhang", "fuzuzhang"}
OFFICES = {"admin", "xcb", "hy_xcb", "sq_admin"}


class Rollback(Exception):
    pass


def attempt(fn):
    """Call fn in a transaction rolled back afterwards; return what it returned."""
    try:
        with transaction.atomic():
            raise Rollback(fn())
    except Rollback as r:
        return r.args[0]


@pytest.fixture
def world(demo, media, city_round, messy_dir):
    services.upload_files(demo["zuyuan"], city_round, uploads(messy_dir))
    run = services.start_run(demo["zuyuan"], city_round, as_of=AS_OF)
    work_queue()
    run.refresh_from_db()
    s = run.suspicions.filter(entities__isnull=False).order_by("finding_no").first()
    dismissed = run.suspicions.exclude(pk=s.pk).order_by("finding_no").first()
    Suspicion.objects.filter(pk=dismissed.pk).update(status="dismissed", reason="已核实无误")
    entity = next(e for s2 in run.suspicions.order_by("finding_no") for e in s2.entities)
    return {"run": run, "s": s, "dismissed": dismissed, "entity": entity, "u": demo, "round": city_round,
            "file": DataFile.objects.filter(round=city_round, active=True).first()}


def _client(u) -> Client:
    c = Client()
    c.force_login(u)
    return c


PAGES = [
    ("round", lambda w: reverse("crosscheck:round", args=[w["round"].pk]), "数据文件"),
    ("round_suspicions", lambda w: reverse("crosscheck:round_suspicions", args=[w["round"].pk]), "疑点"),
    ("run", lambda w: reverse("crosscheck:run", args=[w["run"].pk]), "运行记录"),
    ("run_progress", lambda w: reverse("crosscheck:run_progress", args=[w["run"].pk]), "100%"),
    ("run_policy", lambda w: reverse("crosscheck:run_policy", args=[w["run"].pk]), "[shelter]"),
    ("suspicions", lambda w: reverse("crosscheck:suspicions", args=[w["run"].pk]), "共 "),
    ("suspicion", lambda w: reverse("crosscheck:suspicion", args=[w["s"].pk]), "各部门记录对照"),
    ("dossier_search", lambda w: reverse("crosscheck:dossier_search", args=[w["run"].pk]) + "?q=公司", "记录数"),
    ("dossier", lambda w: reverse("crosscheck:dossier", args=[w["run"].pk, w["entity"]]), "时间线"),
]


@pytest.mark.parametrize("username", USERS)
def test_every_page_every_role(world, username):
    c = _client(world["u"][username])
    for name, url, text in PAGES:
        resp = c.get(url(world))
        if username in READERS:
            assert resp.status_code == 200, (name, resp.status_code)
            assert text in resp.content.decode(), name
        else:
            assert resp.status_code == 404, (name, resp.status_code)
    resp = c.get(reverse("crosscheck:export", args=[world["run"].pk]))
    if username in READERS:
        assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    else:
        assert resp.status_code == 404


def _post_status(c, url, data=None, **kw):
    return c.post(url, data or {}, **kw).status_code


@pytest.mark.parametrize("username", USERS)
def test_every_action_every_role(world, username, messy_dir):
    u, w = world["u"][username], world
    c = _client(u)
    s, dismissed, run, round_ = w["s"], w["dismissed"], w["run"], w["round"]
    denied = 403 if username in READERS else 404

    def check(action, do, changed):
        status, did = attempt(lambda: (do(), changed()))
        if username in (REOPENERS if action == "reopen" else WORKERS):
            assert did, (action, status)
        else:
            assert status == denied and not did, (action, status)

    check("confirm", lambda: _post_status(c, reverse("crosscheck:decide", args=[s.pk, "confirm"])),
          lambda: Suspicion.objects.get(pk=s.pk).status == "confirmed")
    check("dismiss", lambda: _post_status(c, reverse("crosscheck:decide", args=[s.pk, "dismiss"]), {"reason": "已补缴"}),
          lambda: Suspicion.objects.get(pk=s.pk).status == "dismissed")
    check("reopen", lambda: _post_status(c, reverse("crosscheck:decide", args=[dismissed.pk, "reopen"])),
          lambda: Suspicion.objects.get(pk=dismissed.pk).status == "open")
    check("clue", lambda: _post_status(c, reverse("crosscheck:decide", args=[s.pk, "clue"])),
          lambda: Suspicion.objects.get(pk=s.pk).clue_id is not None)
    check("bulk", lambda: _post_status(c, reverse("crosscheck:bulk", args=[run.pk]),
                                       {"ids": [s.pk], "action": "dismiss", "reason": "批量"}),
          lambda: Suspicion.objects.get(pk=s.pk).status == "dismissed")
    check("remove_file", lambda: _post_status(c, reverse("crosscheck:remove_file", args=[w["file"].pk])),
          lambda: not DataFile.objects.get(pk=w["file"].pk).active)
    check("upload", lambda: _post_status(c, reverse("crosscheck:round", args=[round_.pk]),
                                         {"upload": "1", "files": [upload(messy_dir / "payments.csv")]}),
          lambda: DataFile.objects.filter(round=round_).count() > len(run.files))
    check("run", lambda: _post_status(c, reverse("crosscheck:round", args=[round_.pk]),
                                      {"run": "1", "as_of": AS_OF.isoformat()}),
          lambda: CheckRun.objects.filter(round=round_).count() == 2)


def test_a_city_office_reads_a_county_round_but_does_not_act(world, demo, messy_dir):
    county_round = Round.objects.get(jurisdiction__name="汉阴县", number=1)
    services.upload_files(demo["hy_zz"], county_round, uploads(messy_dir))
    c = _client(demo["xcb"])
    assert c.get(reverse("crosscheck:round", args=[county_round.pk])).status_code == 200
    resp = c.post(reverse("crosscheck:round", args=[county_round.pk]), {"run": "1", "as_of": AS_OF.isoformat()})
    assert resp.status_code == 403 and not county_round.check_runs.exists()
    assert _client(demo["hy_xcb"]).get(reverse("crosscheck:round", args=[world["round"].pk])).status_code == 404


@pytest.mark.parametrize("username", USERS)
def test_policy_pages_every_role(demo, username):
    u = demo[username]
    c = _client(u)
    listing = c.get(reverse("crosscheck:policies"))
    new = c.get(reverse("crosscheck:policy_new"))
    if username in OFFICES:
        assert listing.status_code == 200 and "比对策略" in listing.content.decode()
        assert new.status_code == 200 and "结建比例" in new.content.decode()
        form = new.context["form"].initial
        data = {k: ("on" if v is True else v) for k, v in form.items() if v is not False}
        c.post(reverse("crosscheck:policy_new"), data)
        p = CheckPolicy.objects.get(jurisdiction=u.organization.jurisdiction)
        assert c.get(reverse("crosscheck:policy_export", args=[p.pk])).status_code == 200
    else:
        assert listing.status_code == 404 and new.status_code == 404
        assert not CheckPolicy.objects.exists()


def test_a_county_policy_is_read_by_the_city_office_and_edited_only_by_its_own(demo):
    from xuncha.crosscheck.policies import default_toml

    j = demo["hy_xcb"].organization.jurisdiction
    p = services.save_policy(demo["hy_xcb"], j, 2026, default_toml())
    city = _client(demo["xcb"])
    assert city.get(reverse("crosscheck:policy_export", args=[p.pk])).status_code == 200
    assert city.get(reverse("crosscheck:policy_edit", args=[p.pk])).status_code == 403
    assert _client(demo["sq_admin"]).get(reverse("crosscheck:policy_export", args=[p.pk])).status_code == 404
