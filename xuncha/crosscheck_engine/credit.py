"""统一社会信用代码 (GB 32100-2015) check character, fast."""

from __future__ import annotations

from functools import lru_cache

from stdnum.cn import uscc

_ALPHABET = uscc._alphabet  # GB 32100-2015 character set, as python-stdnum has it
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@lru_cache(maxsize=1 << 18)
def valid_uscc(code: str | None) -> bool:
    """统一社会信用代码 with a correct check character (GB 32100-2015).

    Same answer as ``stdnum.cn.uscc.is_valid`` on a code already without spaces (a test pins this), but
    about twenty times faster, because the check runs on every distinct code of a million-row import.
    """
    if not code or len(code) != 18 or not code[:8].isdigit():
        return False
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(code[:17], _WEIGHTS, strict=True))
        return _VALUE[code[17]] == (31 - total % 31) % 31 and all(ch in _VALUE for ch in code[8:])
    except KeyError:
        return False


def valid_uscc_reference(code: str) -> bool:
    """python-stdnum's check (the reference the fast check is tested against)."""
    return uscc.is_valid(code)


def code_division(code: str | None) -> str | None:
    """The registering authority's division (3rd–8th characters) of a valid code."""
    return code[2:8] if valid_uscc(code) else None
