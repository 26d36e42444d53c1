"""Line breaks of document titles (标题回行), GB/T 9704-2012 §7.3.1: 回行时，要做到词意完整，排列对称，
长短适宜，间距恰当 — a title longer than a line is broken between words, never inside a word, a
bracketed group (（试运行）, 〔2026〕) or a number with its unit (2026年), into lines of even length.

Widths count a Chinese character as 1 and a digit or Latin letter as ½ (二号小标宋: about 20
Chinese characters on the 156 mm line; ``MAX_WIDTH`` keeps a margin for the fallback fonts).
"""

from __future__ import annotations

import math

from xuncha.core.words import cut

MAX_WIDTH = 19.0
OPENING, CLOSING = "（(〔[【", "）)〕]】"
UNITS_AFTER_NUMBER = "年月日号轮批期届"


def width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _units(text: str) -> list[str]:
    """Pieces that a line break may not cut: words, with brackets, 《》, numbers and 的 held together."""
    units: list[str] = []
    depth = 0
    glue_next = False
    committee = False         # 中共 … 委 (中共安康市委) is one name
    for word in cut(text):
        join = bool(units) and (depth > 0 or glue_next or committee)
        glue_next = False
        if committee and word.endswith("委"):
            committee = False
        if word == "中共":
            committee = True
        if word in CLOSING or word in "》、，。：；！？" or (
                word[:1] in UNITS_AFTER_NUMBER and units and units[-1][-1:].isdigit()):
            join = bool(units)
        if join:
            units[-1] += word
        else:
            units.append(word)
        for ch in word:
            if ch in OPENING:
                depth += 1
            elif ch in CLOSING and depth:
                depth -= 1
        if word in "《的" or word in OPENING:
            glue_next = True
    return units


def _split_long(unit: str, limit: float) -> list[str]:
    """A single unit wider than a line (rare): cut it by characters."""
    parts, current = [], ""
    for ch in unit:
        if current and width(current + ch) > limit:
            parts.append(current)
            current = ""
        current += ch
    return parts + ([current] if current else [])


def break_title(text: str, max_width: float = MAX_WIDTH) -> list[str]:
    """The title's lines: as few as fit, as even as possible, broken only between words."""
    text = (text or "").strip()
    if width(text) <= max_width:
        return [text] if text else []
    units: list[str] = []
    for u in _units(text):
        units.extend(_split_long(u, max_width) if width(u) > max_width else [u])
    widths = [width(u) for u in units]
    total = sum(widths)
    n = len(units)
    for lines in range(max(2, math.ceil(total / max_width)), n + 1):
        target = total / lines
        # best[i][k]: (cost, breaks) for the first i units in k lines
        best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
        for i in range(1, n + 1):
            for k in range(1, lines + 1):
                choice = None
                for j in range(i - 1, -1, -1):
                    line = sum(widths[j:i])
                    if line > max_width:
                        break
                    prev = best.get((j, k - 1))
                    if prev is None:
                        continue
                    cost = prev[0] + (line - target) ** 2 + (0.5 if units[j][:1] == "的" else 0)
                    if choice is None or cost < choice[0]:
                        choice = (cost, prev[1] + [j])
                if choice is not None:
                    best[(i, k)] = choice
        if (n, lines) in best:
            starts = best[(n, lines)][1] + [n]
            return ["".join(units[starts[i]:starts[i + 1]]) for i in range(lines)]
    return _split_long(text, max_width)
