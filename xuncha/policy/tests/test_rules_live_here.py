"""Every permission rule lives in xuncha/policy: nothing outside it checks a role, and the rules
that moved here (briefing, team records, new rounds, team candidates, clue receivers,
menus) answer as before for every demo role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xuncha.orgs.models import Jurisdiction
from xuncha.policy.clues import clue_policy, received_clues
from xuncha.policy.rounds import round_policy, team_candidates
from xuncha.rounds.models import Round

ROOT = Path(__file__).resolve().parents[2]
ROLE_CHECK = re.compile(r"has_role\(|\.role ==|user\.roles")
ALLOWED = ("/policy/", "/tests/", "/migrations/", "/orgs/models.py")


def test_no_role_check_outside_the_policy_package():
    """The grep of the issue: views, selectors, apps, services and templates ask the policy."""
    found = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html") or not path.is_file():
            continue
        rel = "/" + path.relative_to(ROOT.parent).as_posix()
        if any(part in rel for part in ALLOWED):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_CHECK.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


EVERYONE = ["admin", "xcb", "leader", "zuzhang", "fuzuzhang", "zuyuan", "lianluo", "zuyuan2", "rfb", "jiwei",
            "sq_xcb", "sq_zz", "sq_rfb"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", EVERYONE)
def test_moved_rules_per_role(demo, username):
    user = demo[username]
    city = Round.objects.get(jurisdiction__name="安康市", year=2026, number=1)
    office_or_leader = username in ("admin", "xcb", "leader", "sq_xcb")
    assert round_policy.can(user, "brief") is office_or_leader
    assert round_policy.can(user, "overview") is office_or_leader
    city_team = {"zuzhang", "fuzuzhang", "zuyuan", "lianluo"}
    assert round_policy.can(user, "team_records", city) is (username in city_team | {"admin", "xcb", "leader"})
    assert round_policy.can(user, "view", city) is (username in city_team | {"admin", "xcb", "leader", "rfb"})
    ankang = Jurisdiction.objects.get(name="安康市")
    assert round_policy.can(user, "create", ankang) is (username in ("admin", "xcb"))
    assert clue_policy.can(user, "receive") is (username == "jiwei")
    assert (user in team_candidates(city)) is (username in {"admin", "xcb", "zuzhang", "fuzuzhang", "zuyuan",
                                                            "lianluo", "zuyuan2", "sq_xcb", "sq_zz"})
    assert received_clues(user).exists() is (username == "jiwei")      # the demo's transferred clue
