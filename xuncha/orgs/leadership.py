"""Does a clue concern a unit's leadership (领导班子)? Read from the unit's roster, not from a checkbox.

A clue concerns the leadership when its person or position names a member of the roster, or names
one of the roster's posts as a post of that unit: "汉阴县人防办主任" or "主任、党组书记" for 汉阴县人民防空
办公室 whose roster has a 主任、党组书记; not "办公室主任" (another post) or "科员".
"""

from __future__ import annotations

import re

from xuncha.core.words import shorten

from .models import Organization, split_posts

GENERIC = ("该单位", "本单位", "该", "某")


def _prefixes(org: Organization) -> list[str]:
    """Ways a text names the unit (and its place) before a post, longest first."""
    place = org.jurisdiction.name
    short_place = place[:-1] if len(place) > 2 and place[-1] in "市县区" else place
    own = shorten(org.name)
    bare = own[len(place):] if own.startswith(place) else own
    names = {own, bare, shorten(org.party_org), place, short_place, place[-1:], *GENERIC}
    if bare.startswith(("市", "县", "区")):
        names.add(bare[1:])
    return sorted((n for n in names if n), key=len, reverse=True)


def _posts_named(text: str, prefixes: list[str]) -> list[str]:
    """The posts a text names, once the unit's names in front of them are taken off."""
    found = []
    for part in split_posts(re.sub(r"[（(][^）)]*[）)]", "、", shorten(text))):
        changed = True
        while changed and part:
            changed = False
            for prefix in prefixes:
                if part.startswith(prefix) and len(part) > len(prefix):
                    part, changed = part[len(prefix):], True
                    break
        found.append(part)
    return found


def leadership_ties(org: Organization, *texts: str) -> list[str]:
    """Sentences saying how the texts (a clue's person, position) name the unit's leadership."""
    roster = list(org.leadership.all())
    if not roster:
        return []
    joined = "".join(shorten(t) for t in texts)
    found = [f"{m.name}是{org.name}领导班子成员（{m.posts}）" for m in roster if m.name and m.name in joined]
    posts = {p for m in roster for p in m.post_list}
    prefixes = _prefixes(org)
    for text in texts:
        for post in _posts_named(text, prefixes):
            if post in posts:
                sentence = f"“{post}”是{org.name}领导班子的职务"
                if sentence not in found:
                    found.append(sentence)
    return found
