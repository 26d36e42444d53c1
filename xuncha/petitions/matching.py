"""Same matter reported twice (同一事项重复反映): how alike two petitions' subjects and texts are.

Tuned on pairs in ``tests/test_same_matter.py``: complaints about the same matter whose subjects
differ by a post (市人防办 / 市人防办副主任), by a full or short unit name (汉阴县人民防空办公室 /
汉阴县人防办) or by a space, and whose texts are retold in other words; and pairs that must stay
apart: the same unit on another matter, the same wording about another person.

- subjects are compared on their words: a subject that is the other plus a post is the same;
- texts are compared on their words (rapidfuzz on words) and characters, after removing the
  reporting formula (来信反映、电话举报 …) and turning common full unit names into their short form;
- the verdict needs both: alike subjects and alike texts; or an almost identical long text
  whose subjects do not contradict each other.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from xuncha.core.words import content_words, shorten

#: the reporting formula at the start of a text, which says nothing about the matter
FORMULA = re.compile(r"^(?:(?:来信|来电|电话|来访|网上|邮件|群众|实名|匿名)?(?:反映|举报|检举|控告)(?:称|说|：|:)?)+")
POSTS = ("副主任", "主任", "副局长", "局长", "党组书记", "书记", "副书记", "科长", "副科长", "站长",
         "队长", "所长", "主任科员", "工作人员", "干部")

SUBJECT_ALIKE = 85          # subjects this alike (0–100) name the same person or unit
TEXT_ALIKE = 75             # with alike subjects, texts this alike tell the same matter
TEXT_SAME = 92              # texts this alike tell the same matter unless the subjects contradict
SUBJECT_NOT_CONTRADICTING = 60
MIN_LONG_TEXT = 20


def _normal(text: str) -> str:
    return shorten(text)


def _subject_words(subject: str) -> list[str]:
    return content_words(_normal(subject))


def subject_similarity(a: str, b: str) -> int:
    """0–100. A subject that is the other one plus a post (市人防办 / 市人防办副主任) scores 100."""
    wa, wb = _subject_words(a), _subject_words(b)
    if not wa or not wb:
        return 0
    ja, jb = "".join(wa), "".join(wb)
    scores = [fuzz.ratio(ja, jb), fuzz.token_set_ratio(" ".join(wa), " ".join(wb))]
    core_a = [w for w in wa if w not in POSTS]
    core_b = [w for w in wb if w not in POSTS]
    if core_a and core_b:
        scores.append(fuzz.ratio("".join(core_a), "".join(core_b)))
    return int(max(scores))


def _text(content: str) -> str:
    return FORMULA.sub("", _normal(content))


def text_similarity(a: str, b: str) -> int:
    """0–100 on words and characters of the two texts (the reporting formula left out)."""
    ta, tb = _text(a), _text(b)
    if not ta or not tb:
        return 0
    wa, wb = content_words(ta), content_words(tb)
    scores = [fuzz.ratio("".join(wa), "".join(wb)), fuzz.token_sort_ratio(" ".join(wa), " ".join(wb))]
    if min(len(ta), len(tb)) >= MIN_LONG_TEXT:
        scores.append(fuzz.token_set_ratio(" ".join(wa), " ".join(wb)))
    return int(max(scores))


def same_matter(subject_a: str, content_a: str, subject_b: str, content_b: str) -> tuple[str, int] | None:
    """(reason, score) when the two petitions tell the same matter, else None."""
    subject = subject_similarity(subject_a, subject_b)
    text = text_similarity(content_a, content_b)
    if subject >= SUBJECT_ALIKE and text >= TEXT_ALIKE:
        return "同一被反映人、内容相似", text
    long_enough = min(len(_text(content_a)), len(_text(content_b))) >= MIN_LONG_TEXT
    if text >= TEXT_SAME and long_enough and subject >= SUBJECT_NOT_CONTRADICTING:
        return "内容高度相似", text
    return None
