"""Hard-wrapped text (a PDF's or an e-mail's lines cut at a fixed width) joined back into paragraphs.

A Chinese paragraph ends with 。；：！？ or the like; a line cut at the page's width does not, and the
next line carries on its sentence (合法权 / 益). Read as they stand, such lines become paragraphs
of their own and cues cut in two (合法权益) are never found. A text is taken as hard-wrapped only
when it shows the signature of it: many lines of one width (counted in columns: a Chinese character
is two) that end mid-sentence, and hardly a line wider than that. Then a line of about that width
that ends mid-sentence is joined with the line under it, unless a blank line parts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

#: How a paragraph (or a heading, an item) ends: a line that ends so is never joined to the next.
PARAGRAPH_END = ("。", "；", "：", "！", "？", ".", ";", ":", "!", "?", "”", "」", "）", ")")
MIN_WIDTH = 30  # columns: shorter lines (titles, headings, a paragraph's last line) say nothing of wrapping
MIN_WRAPPED = 5  # lines cut at one width before a text is taken as hard-wrapped
WRAPPED_SHARE = 0.3  # of the lines of MIN_WIDTH columns or more
WIDER_SHARE = 0.05  # at most this share of those lines is wider than the wrapping width
SLACK = 3  # columns short of the width a cut line may end (a wide character that did not fit, a space)
SAMPLE = 5000  # lines of MIN_WIDTH columns or more looked at
LEADERS = ("……", "...", "··", "．．")  # a table of contents' dot leaders: its lines are never joined


def columns(line: str) -> int:
    """The width of a line as printed: Chinese characters and full-width forms take two columns.
    GB 18030 encodes exactly those in two bytes or more and ASCII in one, in C."""
    return len(line.encode("gb18030", "replace"))


def wrap_width(lines: Iterable[str]) -> int | None:
    """The width at which the lines were hard-wrapped, or None where they were not."""
    cut: Counter[int] = Counter()
    wide: Counter[int] = Counter()
    for raw in lines:
        line = raw.rstrip()  # a paragraph's indent (　　第一条) is printed: it counts in its width
        if len(line) * 2 < MIN_WIDTH:  # too short even if all Chinese: no need to count its columns
            continue
        width = columns(line)
        if width < MIN_WIDTH:
            continue
        wide[width] += 1
        if not line.endswith(PARAGRAPH_END):
            cut[width] += 1
        if wide.total() == SAMPLE:  # hard wrapping is a property of the whole text: a sample shows it
            break
    if not cut:
        return None
    width = max(cut, key=lambda w: (cut[w] + cut[w - 1], w))
    band = cut[width] + cut[width - 1]
    total = sum(wide.values())
    wider = sum(n for w, n in wide.items() if w > width + 1)
    if band >= MIN_WRAPPED and band >= WRAPPED_SHARE * total and wider <= WIDER_SHARE * total:
        return width
    return None


class LineJoiner:
    """Passes lines on to `sink`, joining a line cut at `width` with the one under it."""

    def __init__(self, width: int, sink: Callable[[str], None]) -> None:
        self.width, self.sink = width, sink
        self.pending: str | None = None  # the paragraph so far, held until the next line says it ended
        self.last = ""  # its last line as printed
        self.joined = 0

    def add(self, line: str, after_blank: bool, printed: str) -> None:
        """Take the next (stripped, non-empty) line, printed as `printed` (its indent included);
        `after_blank` if a blank line came before it."""
        held = self.pending
        if held is not None and not after_blank and self._cut(self.last):
            # English is wrapped between words: a space where a line of spaced words was cut (a Chinese
            # line cut inside 20万元 or a name is joined as it is)
            words = " " in self.last.strip() and held[-1].isascii() and held[-1].isalnum() and line[0].isascii() \
                and line[0].isalnum()
            self.pending = held + (" " if words else "") + line
            self.joined += 1
        else:
            self.flush()
            self.pending = line
        self.last = printed.rstrip()

    def flush(self) -> None:
        if self.pending is not None:
            self.sink(self.pending)
            self.pending = None

    def _cut(self, line: str) -> bool:
        """Whether a printed line was cut at the width, mid-sentence."""
        return (not line.endswith(PARAGRAPH_END) and not any(leader in line for leader in LEADERS)
                and columns(line) >= self.width - SLACK)
