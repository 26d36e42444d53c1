"""待我办理 (home panel) entries of the rectification: filled in by ``selectors.todo_items``."""

from __future__ import annotations


def todo_panel(user) -> dict | None:
    from .selectors import todo_items

    items = todo_items(user)
    if not items:
        return None
    return {"template": "rectification/_todo_panel.html", "items": items}
