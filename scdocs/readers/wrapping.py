"""Hard-wrapped text (a PDF's or an e-mail's lines cut at a fixed width) joined back into paragraphs.

A Chinese paragraph ends with 。；：！？ or the like; a line cut at the page's width does not, and the
next line carries on its sentence (合法权 / 益). Read as they stand, such lines become paragraphs
of their own and cues cut in two (合法权益) are never found. A text is taken as hard-wrapped only
when it shows the signature of it: many lines of one width (counted in columns: a Chinese character
is two) that end mid-sentence, and hardly a line wider than that. Then a line of about that width
that ends mid-sentence is joined with the line under it, unless a blank line parts them or it is a
heading. Page numbers printed between a page's lines and the next page's (— 6 —) are left out by
the reader, counted in a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from unicodedata import east_asian_width

from scdocs.document.structure import (
    EN_ARTICLE,
    EN_CONTAINER,
    POINT_OPENERS,
    TOC_LINE,
    ZH_ARTICLE,
    ZH_CONTAINER,
    ZH_PART,
)
from scdocs.readers.common import JOINED

#: How a paragraph (or a heading, an item) ends: a line that ends so is never joined to the next.
PARAGRAPH_END = ("。", "；", "：", "！", "？", ".", ";", ":", "!", "?", "”", "」", "）", ")")
MIN_WIDTH = 30  # columns: shorter lines (titles, headings, a paragraph's last line) say nothing of wrapping
MIN_WRAPPED = 3  # lines cut at one width before a text is taken as hard-wrapped
WRAPPED_SHARE = 0.3  # of the lines of MIN_WIDTH columns or more
WIDER_SHARE = 0.05  # at most this share of those lines is wider than the wrapping width
WIDER_FEW = 2  # or this many (a title set wider than the body in a short text)
SLACK = 3  # columns short of the width a cut line may end (a wide character that did not fit, a space)
SAMPLE = 5000  # lines of MIN_WIDTH columns or more looked at
BLANK_SHARE = 0.6  # of the lines that end a sentence, followed by a blank line: blank lines part paragraphs
#: A page number a PDF export leaves between the lines of a page and the next (— 6 —, - 6 -, 第6页).
PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)$")
#: A line with one of these is a sentence, not a heading. Without 、, unlike the structure's
#: _CLAUSE_MARK: a part's heading lists with it (二、完善信用信息归集、共享、公开机制).
CLAUSE_MARK = re.compile(r"[。；，：！？,;:!?]")
#: A table of contents' dot leaders: its lines are never joined. Dots only, unlike the structure's
#: TOC_PAGE: a dash run (——) is prose punctuation in a body line.
LEADERS = ("……", "...", "··", "．．")


def columns(line: str) -> int:
    """The width of a line as printed: Chinese characters and full-width forms take two columns.
    GB 18030 encodes exactly those in two bytes or more and ASCII in one, in C."""
    return len(line.encode("gb18030", "replace"))


@dataclass(frozen=True)
class Wrapping:
    """How a text was hard-wrapped: the width its lines were cut at, and whether blank lines part its
    paragraphs (then a cut line that happens to end in 。 still goes on under it)."""

    width: int
    blank_separated: bool


def wrap_width(lines: Iterable[str]) -> Wrapping | None:
    """How the lines were hard-wrapped, or None where they were not."""
    cut: Counter[int] = Counter()
    wide: Counter[int] = Counter()
    ends = ends_before_blank = 0  # lines that end a sentence, and those of them a blank line follows
    ended = False
    for raw in lines:
        line = raw.rstrip()  # a paragraph's indent (　　第一条) is printed: it counts in its width
        if not line.strip():
            ends_before_blank += ended
            ended = False
            continue
        ended = line.endswith(PARAGRAPH_END)
        ends += ended
        if len(line) * 2 < MIN_WIDTH or PAGE_NUMBER.match(line.strip()):  # too short even if all Chinese
            continue
        width = columns(line)
        if width < MIN_WIDTH:
            continue
        wide[width] += 1
        if not ended:
            cut[width] += 1
        if wide.total() == SAMPLE:  # hard wrapping is a property of the whole text: a sample shows it
            break
    if not cut:
        return None
    width = max(cut, key=lambda w: (cut[w] + cut[w - 1], w))
    band = cut[width] + cut[width - 1]
    total = wide.total()
    wider = sum(n for w, n in wide.items() if w > width + 1)
    if band >= MIN_WRAPPED and band >= WRAPPED_SHARE * total and wider <= max(WIDER_FEW, WIDER_SHARE * total):
        return Wrapping(width, ends >= MIN_WRAPPED and ends_before_blank >= BLANK_SHARE * ends)
    return None


#: Lines that open an item or a point: a sentence cut at the width never goes on with one of these
#: (an article or chapter number may: 违反本条例 / 第六条规定的).
ITEM_OPENERS = (ZH_PART, *POINT_OPENERS)
#: A date alone on its line (a signature block's, often right-aligned): never the rest of a sentence.
_N = "0-9一二三四五六七八九十"
DATE_ONLY = re.compile(rf"^(?:\d{{4}}|[〇○零一二三四五六七八九]{{4}})年[{_N}]{{1,2}}月[{_N}]{{1,3}}日$")
INDENT_MAX = 4  # columns of a paragraph's indent (　　第一条); a line indented more is set apart (a signature)


def starts_unit(line: str) -> bool:
    """A line that opens a numbered unit, an item, a container or a table of contents (第一条, 第二章,
    （一）, 一、, 1．, （1）)."""
    return any(p.match(line) for p in (ZH_CONTAINER, ZH_ARTICLE, *ITEM_OPENERS, EN_ARTICLE, EN_CONTAINER, TOC_LINE))


def opens_item(line: str) -> bool:
    return any(p.match(line) for p in ITEM_OPENERS)


def heading(line: str) -> bool:
    """A line that is a part's, chapter's or section's heading (第二章　总则, 五、以有效的信用监管… with no
    clause in it), or a table of contents'."""
    if ZH_CONTAINER.match(line) or EN_CONTAINER.match(line) or TOC_LINE.match(line):
        return not line.endswith(("。", "；", "，", ".", ";"))
    part = ZH_PART.match(line)
    return part is not None and not CLAUSE_MARK.search(line, part.end())


class LineJoiner:
    """Passes lines on to `sink`, joining a line cut at the width with the one under it.

    In a text whose paragraphs blank lines part, a cut line that ends in 。 goes on under it unless the
    next line opens a unit (`starts_unit`). A heading goes on only with words of its own: never into a
    unit or a sentence, however wide it is."""

    def __init__(self, wrapping: Wrapping, sink: Callable[[str], None]) -> None:
        self.width, self.blank_separated = wrapping.width, wrapping.blank_separated
        self.sink = sink
        self.parts: list[str] = []  # the paragraph so far, held until the next line says it ended (a list:
        #                             a paragraph of a million cut lines is joined once, not a million times)
        self.last = ""  # its last line as printed
        self.joined = 0

    def add(self, line: str, after_blank: bool, printed: str) -> None:
        """Take the next (stripped, non-empty) line, printed as `printed` (its indent included);
        `after_blank` if a blank line came before it."""
        parts = self.parts
        if parts and not after_blank and self._goes_on(line):
            # English is wrapped between words: a space where a line of spaced words was cut (a Chinese
            # line cut inside 20万元 or a name is joined as it is)
            end = parts[-1][-1]
            if " " in self.last.strip() and end.isascii() and end.isalnum() and line[0].isascii() and line[0].isalnum():
                parts.append(" ")
            parts.append(line)
            self.joined += 1
        else:
            self.flush()
            parts.append(line)
        self.last = printed.rstrip()

    def flush(self) -> None:
        if self.parts:
            self.sink("".join(self.parts))
            self.parts.clear()

    def cut(self, printed: str) -> bool:
        """Whether a printed line reaches the width: never a table of contents' line with leaders, nor a
        line set apart by a wide indent (a signature or date aligned to the right)."""
        width = columns(printed)
        return (width >= self.width - SLACK and width - columns(printed.lstrip()) <= INDENT_MAX
                and not any(leader in printed for leader in LEADERS))

    def cut_mid_sentence(self, printed: str) -> bool:
        """Whether a printed line reaches the width and ends inside a sentence: its text goes on."""
        return self.cut(printed) and not printed.endswith(PARAGRAPH_END)

    def _goes_on(self, line: str) -> bool:
        """Whether the held paragraph's last printed line was cut at the width and `line` carries it on."""
        last = self.last
        if not self.cut(last) or DATE_ONLY.match(line):
            return False
        if len(self.parts) == 1 and heading(self.parts[0]):  # 第二节　敏感个人信息的处理规则, as wide as the page:
            # its own words may go on (第三节　国家机关处理个人信息的 / 特别规定), never into a unit
            return not starts_unit(line)
        if not last.endswith(PARAGRAPH_END):
            return not opens_item(line)
        return self.blank_separated and not starts_unit(line)


def joined_note(joiner: LineJoiner) -> str | None:
    """The reader's note of the lines it joined (None if none), beginning with `JOINED`."""
    if not joiner.joined:
        return None
    return (f"{JOINED} {joiner.joined:,} lines cut at a width of {joiner.width} columns (hard-wrapped text) into "
            "the paragraphs they continue")



#: How the cells of a table row are parted when the row reads as one line (第一条　本条例…).
CELL_SEP = "\u3000"


def joinable_row(cells: list[str]) -> bool:
    """Whether a table row's cells read as one line: the first is no heading and no later cell opens
    a unit or is a heading (第一章　总则 merged down beside 第一条…, or 发布日期 beside 第一条, are
    lines of their own)."""
    texts = [c.strip() for c in cells]
    return bool(texts) and not heading(texts[0]) and not any(starts_unit(t) or heading(t) for t in texts[1:])


#: A line break that may be one or may be whitespace, until `soft_breaks` decides which.
SOFT = "\x0b"


def soft_breaks(line: str) -> list[str]:
    """A line split where its soft breaks (SOFT: a page's source line break, an HTML <br>, a Word
    line break) are line breaks the author meant (after 。 or a heading,
    before 第二条), and joined where a break cuts a sentence (三、以良好的信用环境支撑国内国际双循 /
    环相互促进): without a space between two Chinese characters (or one and a quotation mark), with one
    otherwise, as browsers show it (CSS Text's segment break rule)."""
    if SOFT not in line:
        return [line]
    lines: list[list[str]] = [[]]  # each line as its pieces, joined once at the end
    for piece in line.split(SOFT):
        current = lines[-1]
        prev = current[-1] if current else ""
        if not prev.strip() or not piece.strip():
            current.append(piece)
        elif (prev.rstrip().endswith(PARAGRAPH_END) or starts_unit(piece.strip())
              # a heading goes on only with words of its own (一、总体 / 要求), not into a sentence
              or (len(current) == 1 and heading(prev.strip()) and CLAUSE_MARK.search(piece) is not None)):
            lines.append([piece])
        else:
            widths = east_asian_width(prev.rstrip()[-1]) + east_asian_width(piece.lstrip()[0])
            wide = all(w in "WFA" for w in widths) and any(w in "WF" for w in widths)  # “ beside Chinese too
            current[-1] = prev.rstrip()
            current.append(("" if wide else " ") + piece.lstrip())
    return ["".join(pieces) for pieces in lines]
