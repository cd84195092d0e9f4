"""Word's automatic numbering: the numbers a .docx shows that are not in its text.

A paragraph with ``w:numPr`` (a list, or articles numbered by Word: 第%1条 in Chinese counting)
is shown with a label computed from ``word/numbering.xml``: the level's ``w:lvlText`` with each
``%N`` replaced by the counter of level N in the level's number format. Read without it, the
labels (第一条, 1., （一）) are silently lost and a law numbered by Word has no articles.
Counters run per list (``w:numId``); a level's counter restarts when a higher level counts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scdocs.document.numerals import int_to_chinese

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEMS = "甲乙丙丁戊己庚辛壬癸"  # the heavenly stems Word counts ideographTraditional with
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")  # 大写 numerals


class DoctypeRefused(Exception):
    """Raised from a parser target when a part declares a DOCTYPE (Word never writes one)."""


def _refuse_doctype(*_args: Any) -> None:
    raise DoctypeRefused


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """a, b, …, z, aa, bb (as Word counts letters)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (w:numFmt); an unknown format is shown as digits."""
    if fmt == "ideographTraditional" and 1 <= n <= len(_STEMS):
        return _STEMS[n - 1]  # 甲乙丙丁…
    if fmt == "chineseLegalSimplified":
        return int_to_chinese(n).translate(_LEGAL)  # 壹贰叁…
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting"):
        return int_to_chinese(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


class _AttributesTarget:
    """An lxml parser target that reads attributes only: text is ignored, a DOCTYPE refused, and
    parsing returns the target itself with what it gathered."""

    doctype = staticmethod(_refuse_doctype)

    def data(self, _text: str) -> None:
        pass

    def close(self) -> Any:
        return self


class Definitions(_AttributesTarget):
    """lxml parser target over numbering.xml: each list's levels (numId → ilvl → Level)."""

    def __init__(self) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.lists: dict[str, str] = {}  # numId → abstractNumId
        self.overrides: dict[str, dict[int, int]] = {}  # numId → ilvl → start override
        self.links: dict[str, str] = {}  # abstractNumId → the list style it takes its levels from (numStyleLink)
        self.styles: dict[str, str] = {}  # list style → the abstractNumId that defines it (styleLink)
        self._abstract: str | None = None
        self._num: str | None = None
        self._level: Level | None = None
        self._ilvl = 0

    def start(self, tag: str, attrib: Any) -> None:
        val = attrib.get(W + "val")
        if tag == W + "abstractNum":
            self._abstract = attrib.get(W + "abstractNumId")
            if self._abstract is not None:
                self.abstract.setdefault(self._abstract, {})
        elif tag == W + "num":
            self._num = attrib.get(W + "numId")
        elif tag == W + "abstractNumId" and self._num is not None and val is not None:
            self.lists[self._num] = val
        elif tag == W + "numStyleLink" and self._abstract is not None and val is not None:
            self.links[self._abstract] = val
        elif tag == W + "styleLink" and self._abstract is not None and val is not None:
            self.styles[val] = self._abstract
        elif tag == W + "lvl" and self._abstract is not None:
            self._ilvl = _int(attrib.get(W + "ilvl"), 0)
            self._level = self.abstract[self._abstract].setdefault(self._ilvl, Level())
        elif tag == W + "lvlOverride" and self._num is not None:
            self._ilvl = _int(attrib.get(W + "ilvl"), 0)
        elif tag == W + "startOverride" and self._num is not None and val is not None:
            self.overrides.setdefault(self._num, {})[self._ilvl] = _int(val, 1)
        elif self._level is not None and val is not None:
            if tag == W + "numFmt":
                self._level.fmt = val
            elif tag == W + "lvlText":
                self._level.text = val
            elif tag == W + "start":
                self._level.start = _int(val, 1)

    def end(self, tag: str) -> None:
        if tag == W + "abstractNum":
            self._abstract = None
        elif tag == W + "num":
            self._num = None
        elif tag == W + "lvl":
            self._level = None

    def level(self, num: str, ilvl: int) -> Level | None:
        abstract = self.lists.get(num)
        if abstract is not None and not self.abstract.get(abstract) and abstract in self.links:
            abstract = self.styles.get(self.links[abstract], abstract)  # levels defined by a list style
        return self.abstract.get(abstract, {}).get(ilvl) if abstract is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class Counters:
    """The running counters of every list, giving each numbered paragraph its label."""

    definitions: Definitions
    counts: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, num: str, ilvl: int) -> str:
        """The label Word shows before the next paragraph of list `num` at level `ilvl` ("" for none)."""
        level = self.definitions.level(num, ilvl)
        if level is None or num == "0":  # numId 0 switches numbering off
            return ""
        # lists (numIds) that share one definition continue one sequence, unless a list restarts its own
        key = num if num in self.definitions.overrides else f"abstract:{self.definitions.lists.get(num)}"
        counts = self.counts.setdefault(key, {})
        start = self.definitions.overrides.get(num, {}).get(ilvl, level.start)
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else start
        for deeper in [k for k in counts if k > ilvl]:  # a higher level counted on: lower ones restart
            del counts[deeper]

        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = self.definitions.level(num, k)
            n = counts.get(k, lv.start if lv is not None else 1)
            return format_number(n, lv.fmt if lv is not None else "decimal")

        return "" if level.fmt == "bullet" else _PLACEHOLDER.sub(value, level.text)


class StyleNumbers(_AttributesTarget):
    """lxml parser target over styles.xml: the list a paragraph style numbers with (styleId → (numId,
    ilvl)), as python-docx's "List Number" and many templates' heading styles do, following basedOn."""

    def __init__(self) -> None:
        self.own: dict[str, tuple[str | None, int | None]] = {}
        self.based: dict[str, str] = {}
        self._style: str | None = None
        self._in_ppr = False

    def start(self, tag: str, attrib: Any) -> None:
        val = attrib.get(W + "val")
        if tag == W + "style":
            self._style = attrib.get(W + "styleId")
        elif self._style is None:
            return
        elif tag == W + "basedOn" and val:
            self.based[self._style] = val
        elif tag == W + "pPr":
            self._in_ppr = True
        elif self._in_ppr and tag in (W + "numId", W + "ilvl") and val is not None:
            num, ilvl = self.own.get(self._style, (None, None))
            self.own[self._style] = (val, ilvl) if tag == W + "numId" else (num, _int(val, 0))

    def end(self, tag: str) -> None:
        if tag == W + "style":
            self._style = None
        elif tag == W + "pPr":
            self._in_ppr = False

    def of(self, style: str) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph style, from it or the styles it is based on."""
        num: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        current: str | None = style
        while current is not None and current not in seen:
            seen.add(current)
            own_num, own_ilvl = self.own.get(current, (None, None))
            num = num if num is not None else own_num
            ilvl = ilvl if ilvl is not None else own_ilvl
            current = self.based.get(current)
        return (num, ilvl or 0) if num is not None else None
