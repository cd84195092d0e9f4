"""Numbers a revision changes: fines (fixed amounts and multiples of illegal gains) and periods.

A move is judged on values, not words: 一万元以上十万元以下 → 五万元以上五十万元以下 raises the
maximum, whatever else the sentence says. Only amounts that *are* a sanction count: a range
followed by 罚款 (处…以下的罚款, 并处…罚款); thresholds that decide which tier applies
(违法所得五十万元以上的, 不足五十万元的) are not fines and are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scdocs.document.numerals import CHINESE_NUMERAL_CHARS, chinese_to_int

_NUM = rf"(?:[0-9０-９]+(?:\.[0-9]+)?|[{CHINESE_NUMERAL_CHARS}]+)"
_AMOUNT = rf"({_NUM})(万|亿)?元"
# A fine: a fixed range (low optional), or a multiple of illegal gains / turnover; then 罚款.
_FINE = re.compile(
    rf"(?:{_AMOUNT}以上)?{_AMOUNT}以下(?:的)?罚款"
    rf"|(?:({_NUM})倍以上)?({_NUM})倍以下(?:的)?罚款"
    rf"|处{_AMOUNT}(?:的)?罚款"
    rf"|{_AMOUNT}以上(?:的)?罚款"  # a minimum with no maximum: 处一万元以上罚款
)
#: The same in an English version: a fine of not less than 10,000 yuan but not more than 100,000 yuan,
#: of not more than …, of not less than …, or of … yuan; a period of 3 years.
_EN_AMOUNT = r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:(thousand|million)\s+)?yuan"
_EN_FINE = re.compile(rf"(?i:fine of (?:not less than {_EN_AMOUNT}(?:,? but not more than {_EN_AMOUNT})?"
                      rf"|not more than {_EN_AMOUNT}|{_EN_AMOUNT}))")
_EN_PERIOD = re.compile(r"(?i:period of ([0-9]+) (years?|months?|days?))")
_EN_SCALE = {"thousand": 1_000, "million": 1_000_000}
#: How long someone stays on a list or under a restriction (纳入…期限为二年, 延长一至三年).
_PERIOD = re.compile(rf"(?:期限|有效期)(?:一般)?为({_NUM})(年|个月|日)|延长({_NUM})至({_NUM})(年|个月)")
#: How long records must be kept (至少保存五年 → 十年): a longer duty is harsher, and so is a new one.
_RETENTION = re.compile(rf"保存({_NUM})(年|个月)")
_PERIOD_DAYS = {"年": 365, "个月": 30, "日": 1}


@dataclass(frozen=True)
class Value:
    """One number the text sets: a fine range in yuan or in multiples, or a period in days."""

    kind: str  # "fine" (yuan), "multiple" (of illegal gains or turnover), "period" or "retention" (days)
    low: float | None
    high: float
    text: str  # the words as printed
    start: int  # offsets in the section's text
    end: int

    def to_dict(self, offset: int = 0) -> dict[str, object]:
        return {"kind": self.kind, "low": self.low,  # no maximum (以上罚款) is null, never a JSON Infinity
                "high": None if math.isinf(self.high) else self.high, "text": self.text,
                "start": self.start + offset, "end": self.end + offset}

    @property
    def shown(self) -> str:
        """The value as a reader writes it: 20,000–500,000 元, ≤5 倍, 2 年, 1–3 年."""
        def amount(x: float) -> str:
            if self.kind in ("period", "retention"):
                return f"{x / 365:g} 年" if x % 365 == 0 else f"{x / 30:g} 个月" if x % 30 == 0 else f"{x:g} 日"
            return f"{x:g} 倍" if self.kind == "multiple" else f"{x:,.0f} 元"

        if self.low is None:
            return "≤" + amount(self.high)
        if self.high == math.inf:
            return "≥" + amount(self.low)
        if self.low == self.high:
            return amount(self.high)
        return f"{amount(self.low).split(' ')[0]}–{amount(self.high)}"


def _number(text: str | None, unit: str | None = None) -> float | None:
    if not text:
        return None
    t = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    try:
        n = float(t) if t[0].isdigit() else float(chinese_to_int(t))
    except (ValueError, KeyError):
        return None
    return n * {"万": 10_000, "亿": 100_000_000}.get(unit or "", 1)


def fines(text: str) -> list[Value]:
    """Every fine the text sets, in order."""
    out = []
    for m in _FINE.finditer(text):
        g = m.groups()
        if g[2] is not None:  # fixed range: low (g0, g1) optional, high (g2, g3)
            high = _number(g[2], g[3])
            low = _number(g[0], g[1])
            kind = "fine"
        elif g[5] is not None:  # multiple
            high = _number(g[5])
            low = _number(g[4])
            kind = "multiple"
        elif g[6] is not None:  # 处 N 元罚款: one amount
            high = _number(g[6], g[7])
            low = high
            kind = "fine"
        else:  # N 元以上罚款: a minimum, no maximum (compared on the minimum)
            low = _number(g[8], g[9])
            high = math.inf if low is not None else None
            kind = "fine"
        if high is not None:
            out.append(Value(kind, low, high, m.group(), m.start(), m.end()))
    for m in _EN_FINE.finditer(text):
        g = m.groups()
        amounts = [_en_number(g[i], g[i + 1]) for i in (0, 2, 4, 6)]
        low, high = ((amounts[0], amounts[1] if amounts[1] is not None else math.inf) if g[0] else
                     (None, amounts[2]) if g[4] else (amounts[3], amounts[3]))
        if high is not None:
            out.append(Value("fine", low, high, m.group(), m.start(), m.end()))
    return sorted(out, key=lambda v: v.start)


def _en_number(digits: str | None, scale: str | None) -> float | None:
    if not digits:
        return None
    return float(digits.replace(",", "")) * _EN_SCALE.get((scale or "").lower(), 1)


def periods(text: str) -> list[Value]:
    """Listing and restriction periods (纳入名单的期限为二年, 可以延长一至三年), in days."""
    out = []
    for m in _PERIOD.finditer(text):
        if m.group(1):
            n = _number(m.group(1))
            if n is not None:
                days = n * _PERIOD_DAYS[m.group(2)]
                out.append(Value("period", days, days, m.group(), m.start(), m.end()))
        else:
            low, high = _number(m.group(3)), _number(m.group(4))
            if high is not None:
                scale = _PERIOD_DAYS[m.group(5)]
                out.append(Value("period", None if low is None else low * scale, high * scale, m.group(),
                                 m.start(), m.end()))
    for m in _EN_PERIOD.finditer(text):
        unit = {"y": "年", "m": "个月", "d": "日"}[m.group(2)[0].lower()]
        days = int(m.group(1)) * _PERIOD_DAYS[unit]
        out.append(Value("period", days, days, m.group(), m.start(), m.end()))
    return sorted(out, key=lambda v: v.start)


def retention(text: str) -> list[Value]:
    """Record-keeping periods (至少保存十年), in days."""
    out = []
    for m in _RETENTION.finditer(text):
        n = _number(m.group(1))
        if n is not None:
            days = n * _PERIOD_DAYS[m.group(2)]
            out.append(Value("retention", days, days, m.group(), m.start(), m.end()))
    return out


def _context(text: str, v: Value, width: int = 40) -> set[str]:
    """Character bigrams of the words before a value, back to the sentence start: who is fined, for what."""
    start = max(text.rfind("。", 0, v.start), text.rfind("\n", 0, v.start), v.start - width) + 1
    before = text[start:v.start]
    return {before[i:i + 2] for i in range(len(before) - 1)}


#: How alike the words before two values must be (Jaccard of bigrams) for them to be one tier,
#: where a section sets several: 对…的公司，处以 and 对直接负责的主管人员…处以 are two tiers (0.1).
TIER_LIKENESS = 0.3


def tiers(old: list[Value], new: list[Value], old_text: str, new_text: str
          ) -> list[tuple[int, Value | None, Value]]:
    """Each new value beside the old value of the same tier (the one whose preceding words are most
    alike: the fine on the institution with the institution's, the individual's with the
    individual's), with +1 harsher, -1 milder or 0 the same. A new value like none of the old ones
    (a fine on the people in charge, beside the company's) is a new tier: +1, with no old value.
    One value on each side is one tier whatever the words around it."""
    out: list[tuple[int, Value | None, Value]] = []
    for n in new:
        ctx = _context(new_text, n)

        def likeness(o: Value, ctx: set[str] = ctx) -> float:
            c = _context(old_text, o)
            return len(ctx & c) / (len(ctx | c) or 1)

        o = max(old, key=likeness)
        if len(old) + len(new) > 2 and likeness(o) < TIER_LIKENESS:
            out.append((1, None, n))
            continue
        sign = compare([o], [n])[0]
        out.append((sign, o, n))
    return out


def compare(old: list[Value], new: list[Value]) -> tuple[int, Value | None, Value | None]:
    """+1 if the new values are harsher (a higher maximum, else a higher minimum), -1 if milder, 0 if
    neither or not comparable; with the old and new value that decided it."""
    if not old or not new:
        return 0, None, None
    o = max(old, key=lambda v: (v.high, v.low or 0))
    n = max(new, key=lambda v: (v.high, v.low or 0))
    if n.high != o.high:
        return (1 if n.high > o.high else -1), o, n
    if o.low is not None and n.low is not None and n.low != o.low:
        return (1 if n.low > o.low else -1), o, n
    return 0, o, n
