"""Parsing of ids and numbers that arrive in query strings and forms.

``str.isdigit`` accepts "²" and other digits ``int`` refuses, and an id of twenty digits overflows the
database's integer: both were 500s. Use ``id_param`` for any id taken from a request.
"""

from __future__ import annotations


def id_param(raw: object) -> int | None:
    """A positive database id written in ASCII digits, or None."""
    text = str(raw if raw is not None else "").strip()
    if text.isascii() and text.isdigit() and 0 < len(text) < 10:
        return int(text)
    return None
