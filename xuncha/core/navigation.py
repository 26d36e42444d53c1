"""The navigation bar: each app registers its entries with a rule saying who sees them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 50


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.url_name] = item


def items_for(user, current_path: str = "") -> list[dict]:
    """The entries a user sees, in order, each with its URL and whether it is the current page."""
    if not getattr(user, "is_authenticated", False):
        return []
    result = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.label)):
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"label": item.label, "url": url, "active": False})
    # The current page belongs to the entry with the longest URL that starts it.
    matching = [e for e in result if (current_path == e["url"] if e["url"] == "/"
                                      else current_path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
    return result
