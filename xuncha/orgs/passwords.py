"""Password rules that fit Chinese users (密码规则).

Django's own validators count and compare Latin text: a password of one repeated Chinese word
(``安康安康安康安康``), a name plus digits (``陈明19800101``) or a common pinyin phrase passes them.
``ChinesePasswordValidator`` refuses:

- a repetition of one shorter unit (``安康安康安康安康``, ``abcabcabc``, ``1212121212``);
- fewer than 4 different characters (``安安安康康康康康``);
- a password that is mostly the user's own name, user name, unit or place (what is left is shorter
  than 6 characters once they are removed), in Chinese or in pinyin initials-free form;
- common pinyin and keyboard phrases (``woaini1314``, ``1qaz2wsx``, ``zhongguo123`` …).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

COMMON = (
    "woaini", "wo123", "aini", "1314", "520", "zhongguo", "zhangsan", "lisi", "wangwu", "qwerty", "asdfgh",
    "zxcvbn", "1qaz2wsx", "qazwsx", "abc123", "a123456", "qq123", "password", "mima", "admin",
    "jiwei", "dangwei", "gongzuo", "123456", "654321", "888888", "666666", "000000", "111111",
)
REPEATED = re.compile(r"^(.{1,}?)\1+$", re.S)
MIN_DISTINCT = 4
MIN_REST = 6


def _personal_words(user) -> list[str]:
    if user is None:
        return []
    words = [getattr(user, "username", ""), getattr(user, "full_name", ""), getattr(user, "phone", "")]
    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    if organization is not None:
        words += [organization.name, getattr(organization.jurisdiction, "name", "")]
        place = getattr(organization.jurisdiction, "name", "")
        if place[-1:] in "市县区省":
            words.append(place[:-1])
    return [w.lower() for w in words if w and len(w) >= 2]


class ChinesePasswordValidator:
    def validate(self, password: str, user=None) -> None:
        text = password or ""
        lowered = text.lower()
        if REPEATED.match(text):
            raise ValidationError("密码不能由同一个词或同一组字符重复组成（如“安康安康安康安康”）。",
                                  code="password_repeated")
        if len(set(text)) < MIN_DISTINCT:
            raise ValidationError(f"密码至少要有 {MIN_DISTINCT} 个不同的字符。", code="password_few_characters")
        rest = lowered
        for word in sorted(_personal_words(user), key=len, reverse=True):
            rest = rest.replace(word, "")
        if len(rest) < MIN_REST and rest != lowered:
            raise ValidationError("密码不能主要由本人姓名、用户名、单位或地名组成。", code="password_personal")
        rest = lowered
        for word in COMMON:
            rest = rest.replace(word, "")
        if len(rest) < MIN_REST and rest != lowered:
            raise ValidationError("密码主要由常见拼音、数字或键盘顺序组成，太容易被猜到。", code="password_common")

    def get_help_text(self) -> str:
        return ("密码不能由同一个词重复组成，至少要有 4 个不同的字符，不能主要由本人姓名、单位、地名、"
                "常见拼音或键盘顺序组成。")
