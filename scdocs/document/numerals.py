"""Chinese, Roman and Latin-letter numerals as printed in legal texts, both ways.

Legal numbering mixes styles (第二十三条, （十九）, 第一〇六号, Article 5, I., (a)); every
structure rule and every cross-reference check needs the integer behind the numeral.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
          "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

#: Characters that may make up a Chinese numeral (for building regular expressions).
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


class NumeralError(ValueError):
    """Raised for a string that is not a numeral of the expected kind."""


def chinese_to_int(text: str) -> int:
    """Convert a Chinese numeral (一百零一, 二十三, 十, 一〇六, 两千, 123) to an int."""
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        raise NumeralError("empty numeral")
    if s.isdigit():
        return int(s)
    if any(ch not in DIGITS and ch not in SMALL_UNITS and ch not in BIG_UNITS for ch in s):
        raise NumeralError(f"not a Chinese numeral: {text!r}")
    if all(ch in DIGITS for ch in s):
        # Digit-by-digit style, as in 主席令第一〇六号.
        return int("".join(str(DIGITS[ch]) for ch in s))
    total = 0  # completed big-unit groups
    section = 0  # the group below the current big unit
    digit: int | None = None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (digit or 1) * SMALL_UNITS[ch]  # 十 alone and 零十 both mean ten
            digit = None
        else:  # big unit
            section += digit or 0
            total = (total + section) * BIG_UNITS[ch] if BIG_UNITS[ch] > 10_000 else total + section * BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def int_to_chinese(n: int, _head: bool = True) -> str:
    """Convert a non-negative int to the Chinese numeral a legal text prints (23 → 二十三).

    `_head` is False for the low part of a large number, where ten is 一十 (十万零一十).
    """
    if n < 0:
        raise NumeralError(f"negative numeral: {n}")
    if n == 0:
        return "零"
    names = "零一二三四五六七八九"
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        rest = int_to_chinese(low, False) if low else ""
        if 0 < low < 10_000_000 and not rest.startswith("零"):
            rest = "零" + rest  # 一亿零一千: the empty 万 group is spoken
        return int_to_chinese(high) + "亿" + rest
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = int_to_chinese(low, False) if low else ""
        return int_to_chinese(high) + "万" + rest
    out = []
    units = ((1000, "千"), (100, "百"), (10, "十"))
    pending_zero = False
    started = not _head
    for value, unit in units:
        d, n = divmod(n, value)
        if d:
            if pending_zero:
                out.append("零")
                pending_zero = False
            # "十" alone for 10-19 at the head of a number (十九, not 一十九).
            out.append(unit if (value == 10 and d == 1 and not started) else names[d] + unit)
            started = True
        elif started:
            pending_zero = True
    if n:
        if pending_zero:
            out.append("零")
        out.append(names[n])
    return "".join(out)


def roman_to_int(text: str) -> int:
    """Convert a Roman numeral (IV, xii) to an int."""
    s = text.strip().upper()
    if not s or any(ch not in _ROMAN for ch in s):
        raise NumeralError(f"not a Roman numeral: {text!r}")
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def letter_to_int(text: str) -> int:
    """Convert a Latin letter used as a numeral ((a) → 1, (aa) → 27) to an int."""
    s = text.strip().lower()
    if not s or not s.isalpha() or not s.isascii():
        raise NumeralError(f"not a letter numeral: {text!r}")
    if len(set(s)) == 1 and len(s) > 1:  # (aa), (bb): the doubled style
        return 26 * (len(s) - 1) + ord(s[0]) - ord("a") + 1
    total = 0
    for ch in s:
        total = total * 26 + ord(ch) - ord("a") + 1
    return total


_NUM_TOKEN = re.compile(rf"[0-9０-９]+|[{CHINESE_NUMERAL_CHARS}]+")


def number_of(num: str) -> int | None:
    """The integer behind a printed num: 第二十三条 → 23, （十九） → 19, 3. → 3; None if none."""
    m = _NUM_TOKEN.search(num)
    if m:
        try:
            return chinese_to_int(m.group())
        except NumeralError:
            return None
    m = re.search(r"\b([IVXLCDM]+)\b", num)
    if m:
        return roman_to_int(m.group(1))
    m = re.search(r"\(([a-z]{1,3})\)", num)
    if m:
        return letter_to_int(m.group(1))
    return None
