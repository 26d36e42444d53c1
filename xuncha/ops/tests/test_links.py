"""Every link a user is shown opens for him (no 403/404/500 behind a visible link), for every role.

The load benchmark's simulated users click what they see; a link to a page the user may not open
is an error a real user hits too."""

from __future__ import annotations

import re

import pytest

LINK = re.compile(r'<a [^>]*href="(/[^"#]*)"')
SKIP = ("/static/", "/accounts/logout/", ".docx", ".xlsx", "/audit/verify/")


@pytest.mark.parametrize("username", ["admin", "leader", "zuzhang", "zuyuan2", "rfb", "jiwei", "hy_xcb", "hy_zz"])
def test_every_link_a_user_is_shown_opens(client_as, username):
    client = client_as(username)
    todo, seen, broken = [("/", "")], set(), []
    while todo and len(seen) < 150:
        path, parent = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 400:
            broken.append((path, response.status_code, f"linked from {parent}"))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if not any(s in link for s in SKIP) and link not in seen and "page=" not in link:
                todo.append((link, path))
    assert broken == [], broken
    assert len(seen) > 3
