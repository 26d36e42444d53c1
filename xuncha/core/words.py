"""Chinese words (中文分词) for the places that need word boundaries: same-matter detection of
petitions and line breaks of document titles. rjieba (jieba-rs) with the platform's own terms
added, so that 专项巡察, 人防办, 易地建设费 … stay one word."""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba

#: terms of the trade that must not be cut apart
TERMS = [
    "巡察", "专项巡察", "常规巡察", "联动巡察", "巡察组", "巡察办", "巡察工作", "领导小组", "工作方案",
    "巡察公告", "动员会", "承诺书", "人防", "人防办", "人防工程", "人防系统", "人民防空", "人民防空办公室",
    "易地建设费", "防空地下室", "纪委监委", "党组", "党组书记", "副主任", "主任", "副局长", "局长",
    "腐败问题", "减免缓", "试运行", "住建局", "发改局", "财政局",
]
_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
                    r"!-/:-@\[-`{-~“”‘’…—·]+")


#: full unit names as people shorten them
SHORT_NAMES = {
    "人民防空办公室": "人防办", "人民防空办": "人防办", "住房和城乡建设局": "住建局",
    "发展和改革局": "发改局", "发展和改革委员会": "发改委", "人力资源和社会保障局": "人社局",
}


def shorten(text: str) -> str:
    """Spaces removed and full unit names in their short form (人民防空办公室 -> 人防办)."""
    text = "".join((text or "").split())
    for full, short in SHORT_NAMES.items():
        text = text.replace(full, short)
    return text


@lru_cache(maxsize=1)
def _jieba():
    seg = rjieba.Jieba()
    for term in TERMS:
        seg.add_word(term, 10_000_000, None)
    return seg


def cut(text: str) -> list[str]:
    """The words of ``text`` in order (punctuation and spaces are words of their own)."""
    return list(_jieba().cut(text or "", True)) if text else []


def content_words(text: str) -> list[str]:
    """The words of ``text`` without punctuation and spaces (for comparing texts)."""
    return [w for w in cut(text) if not _PUNCT.fullmatch(w)]
