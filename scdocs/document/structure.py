"""Canonical text → section tree, for Chinese laws, Chinese opinions and English translations.

Readers hand over a canonical text: one paragraph per line. Structure is recognised line by
line from the numbering that begins a line, so every section is a contiguous stretch of the
canonical text and its offsets are exact. The kind of document (law or opinions, Chinese or
English) decides what a numeral means: （一） is an item of an opinions document but a point
(项) inside an article of a law.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from scdocs.document import metadata as text_metadata
from scdocs.document.language import detect_language
from scdocs.document.model import CONTAINER_KINDS, EID_PREFIX, FALLBACK_EID_PREFIX, Document, Metadata, Section, Span
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS as CN
from scdocs.document.numerals import NumeralError, chinese_to_int, letter_to_int, roman_to_int
from scdocs.document.text_rules import closing_patterns, preface_patterns

_SP = r"[ \t\u3000\u00a0]"
# Chinese containers and articles. A container heading is a short line of its own.
ZH_CONTAINER = re.compile(rf"^(第([{CN}0-9０-９]+)(编|章|节|編|節)){_SP}*(.*)$")  # 編 節 (Traditional), 第１０４条
# 第一条　text; 第一条：text or 第一条、text; 第二条【heading】 or 第二条（heading）text.
ZH_ARTICLE = re.compile(rf"^(第([{CN}0-9０-９]+)[条條](?:之[{CN}]+)?)(?:{_SP}+|[：:、．.]{_SP}*|(?=[【（(])|$)")
#: 第一条为了… with nothing after the number: read as articles only in a text where no article line
#: has a separator and at least two lines open so (a line of running text may open with 第五条规定…).
ZH_ARTICLE_RUN_ON = re.compile(rf"^(第([{CN}0-9０-９]+)[条條](?:之[{CN}]+)?)(?=[\u4e00-\u9fff“])")
INSERTED = re.compile(rf"[条條]之[{CN}]+$")  # 第二条之一: inserted after 第二条 without renumbering
ZH_PAREN = re.compile(rf"^([（(]([{CN}0-9０-９]+)[）)]){_SP}*")
ZH_PART = re.compile(rf"^(([{CN}]+)、){_SP}*")
ARABIC_POINT = re.compile(rf"^(([0-9０-９]+)[.．、]){_SP}*(?![0-9])")
ARABIC_PAREN = re.compile(rf"^([（(]([0-9０-９]+)[）)]){_SP}*")
# English.
EN_CONTAINER = re.compile(r"^((Part|PART|Chapter|CHAPTER|Section|SECTION)\s+([IVXLC]+|[0-9]+))\b[.:]?\s*(.*)$")
EN_ARTICLE = re.compile(r"^((?:Article|ARTICLE)\s+([0-9]+))\b[.:]?\s*")
EN_ROMAN_PART = re.compile(r"^(([IVXLC]+)\.)\s+")
EN_NUM_PAREN = re.compile(r"^(\(([0-9]+)\))\s*")
EN_LETTER_PAREN = re.compile(r"^(\(([a-z]{1,2})\))\s*")
#: A table of contents entry's dot leaders and page number (第一章　总则……………1).
TOC_PAGE = re.compile(r"(?:[.…·．・_—\-]{2,}[ \t\u3000]*|[ \t\u3000]+)[0-9０-９]{1,4}$|[.…·．・_—\-]{2,}$")
TOC_LINE = re.compile(rf"^目{_SP}*录$|^(Contents|CONTENTS|Table of Contents)$")
# An amending decision (关于修改《X》的决定) published with X as amended after 附： (or after
# "…作相应修改，重新公布"). 等…部 marks a decision that amends several texts at once.
AMENDING_DECISION = re.compile(r"关于修改[《〈]([^《》〈〉]+)[》〉](等[^的]{1,10})?的决定")
#: The line an annex opens with: 附件, 附件1, 附件一, 附表, with or without its title after a colon.
ANNEX = re.compile(rf"^附{_SP}*[件表]{_SP}*[0-9０-９一二三四五六七八九十]*{_SP}*(?:[：:].*)?$")
CONSOLIDATED_MARK = re.compile(rf"^附{_SP}*(件{_SP}*[0-9一二三四五六七八九十]*)?{_SP}*[：:]?$|重新公布")

ZH_CONTAINER_KIND = {"编": "book", "章": "chapter", "节": "section", "編": "book", "節": "section"}
EN_CONTAINER_KIND = {"part": "part", "chapter": "chapter", "section": "section"}
FALLBACK_WARNING = "no numbered units found"  # begins the warning of a text read paragraph by paragraph
#: An article's heading beside its number is a few words (适用范围, 信用信息的定义); a longer run with
#: no punctuation is the start of a sentence that goes on below (a line cut at a page's width).
ARTICLE_HEADING_MAX = 12
HEADING_MAX = 40  # a run-in heading (（一）指导思想。…) is a short first sentence


class Line:
    """A non-empty line of the canonical text: its offsets, its text sliced when asked (a long law's
    lines are not held as copies of the text beside it while it is parsed)."""

    __slots__ = ("_source", "end", "start")

    def __init__(self, start: int, end: int, source: str) -> None:
        self.start, self.end, self._source = start, end, source

    @property
    def text(self) -> str:
        return self._source[self.start:self.end]


@dataclass(slots=True)
class Node:
    """A section under construction: its lines are known before its sub-structure."""

    kind: str
    num: str | int | None  # the num, or its length where it opens the node's first line (held as the text)
    number: int | None
    heading: str | None
    start: int
    end: int
    level: int
    line: Line  # the line it opens with
    more: list[Line] | None = None  # the lines that follow it (a unit's, for sub-units); most have none
    children: list[Node] | None = None  # a leaf, as most are, holds no list

    @property
    def lines(self) -> list[Line]:
        return [self.line, *self.more] if self.more else [self.line]

    def num_in(self, text: str) -> str | None:
        """The num as printed (sliced from `text` where only its length is kept)."""
        return text[self.start:self.start + self.num] if isinstance(self.num, int) else self.num


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The non-empty lines of text[start:end] with their offsets."""
    end = len(text) if end is None else end
    lines = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        if not text[pos:stop].isspace() and stop > pos:
            lines.append(Line(pos, stop, text))
        pos = stop + 1
    return lines


def detect_style(lines: list[Line], run_on: bool = False) -> str:
    """'law-zh', 'opinions-zh', 'law-en' or 'opinions-en', from the numbering that lines open with
    (with `run_on`, articles numbered 第一条为了… count too: see `_run_on`)."""
    zh_articles = sum(1 for ln in lines if ZH_ARTICLE.match(ln.text)) or (
        sum(1 for ln in lines if ZH_ARTICLE_RUN_ON.match(ln.text)) if run_on else 0)
    en_articles = sum(1 for ln in lines if EN_ARTICLE.match(ln.text))
    if zh_articles >= 2 or (zh_articles and zh_articles >= en_articles):
        return "law-zh"
    if en_articles >= 1:
        return "law-en"
    heads = "\n".join(ln.text[:20] for ln in lines)
    return "opinions-en" if detect_language(heads, len(heads)) == "en" else "opinions-zh"


def _run_in_heading(rest: str, stops: str = "。") -> str | None:
    """The run-in heading of an item (指导思想 in （一）指导思想。以…), if the first sentence is short."""
    rest = rest.strip()
    for i, ch in enumerate(rest):
        if ch in stops:
            head = rest[:i].strip()
            return head if 0 < len(head) <= HEADING_MAX and "，" not in head else None
        if i > HEADING_MAX:
            return None
    return rest if 0 < len(rest) <= HEADING_MAX and not rest.endswith(("；", ";", "：")) else None


Classifier = Callable[[str], "tuple[str, str, int, str | None] | None"]


#: An article's heading in brackets right after its number: 【立法目的】, or （失信惩戒） (not （一）).
ARTICLE_HEADING = re.compile(rf"^【([^】]{{1,40}})】|^[（(](?![{CN}0-9０-９]+[）)])([^（）()，。；]{{2,20}})[）)]")


def _classify_law_zh(text: str, run_on: bool = False) -> tuple[str, str, int, str | None] | None:
    m = ZH_CONTAINER.match(text)
    if m and len(text) <= 60 and not text.rstrip().endswith(("。", "；", "，")):
        return ZH_CONTAINER_KIND[m.group(3)], m.group(1), chinese_to_int(m.group(2)), m.group(4).strip() or None
    m = ZH_ARTICLE.match(text) or (ZH_ARTICLE_RUN_ON.match(text) if run_on else None)
    if m:
        hm = ARTICLE_HEADING.match(text[m.end():])
        return "article", m.group(1), chinese_to_int(m.group(2)), (hm.group(1) or hm.group(2)) if hm else None
    return None


def _run_on(lines: list[Line]) -> bool:
    """Whether a text numbers its articles with nothing after 第X条 (第一条为了…): no article line has a
    separator, and at least two lines open with a number so."""
    return not any(ZH_ARTICLE.match(ln.text) for ln in lines) and sum(
        1 for ln in lines if ZH_ARTICLE_RUN_ON.match(ln.text)) >= 2


def _classify_opinions_zh(text: str) -> tuple[str, str, int, str | None] | None:
    m = ZH_PART.match(text)
    if m and not ZH_PAREN.match(text):
        try:
            n = chinese_to_int(m.group(2))
        except ValueError:
            return None
        return "part", m.group(1), n, _run_in_heading(text[m.end():])
    m = ZH_PAREN.match(text)
    if m and not ARABIC_PAREN.match(text):  # （1） is an item only where nothing ranks above it (_arabic_units)
        return "item", m.group(1), chinese_to_int(m.group(2)), _run_in_heading(text[m.end():])
    return None


def zh_rank(text: str) -> tuple[int, str, int] | None:
    """The rank of the numbering a Chinese line opens with, as official documents order them
    (GB/T 9704): 一、 0, （一） 1, 1． 2, （1） 3; with the num and its number."""
    for rank, pattern in enumerate((ZH_PART, ZH_PAREN, ARABIC_POINT, ARABIC_PAREN)):
        m = pattern.match(text)
        if m and not (rank == 0 and ZH_PAREN.match(text)) and not (rank == 1 and ARABIC_PAREN.match(text)):
            try:
                return rank, m.group(1), chinese_to_int(m.group(2))
            except ValueError:
                return None
    return None


def _arabic_units(lines: list[Line], classify: Classifier) -> dict[int, tuple[str, str, int, str | None]]:
    """Lines numbered 1． (or, failing those, （1）) that are the units of an opinions document:
    those of a part 一、 without items （一） (or of a document with neither parts nor items).
    Under an item they are its points instead; `_subunits` finds them there."""
    kinds = [c[0] if (c := classify(ln.text)) else None for ln in lines]
    segments: list[list[int]] = []
    if "part" in kinds:
        for i, kind in enumerate(kinds):
            if kind == "part":
                segments.append([])
            elif segments:
                segments[-1].append(i)
    else:
        segments = [list(range(len(lines)))]
    found: dict[int, tuple[str, str, int, str | None]] = {}
    for seg in segments:
        if any(kinds[i] == "item" for i in seg):
            continue
        for rank in (2, 3):
            hits = [(i, r) for i in seg if (r := zh_rank(lines[i].text)) and r[0] == rank]
            if hits:
                for i, (_, num, number) in hits:
                    text = lines[i].text
                    found[i] = ("item", num, number, _run_in_heading(text[len(num):]))
                break
    return found


def _classify_law_en(text: str) -> tuple[str, str, int, str | None] | None:
    m = EN_CONTAINER.match(text)
    if m and len(text) <= 120 and not text.rstrip().endswith((".", ";")):
        raw = m.group(3)
        n = int(raw) if raw.isdigit() else roman_to_int(raw)
        return EN_CONTAINER_KIND[m.group(2).lower()], m.group(1), n, m.group(4).strip() or None
    m = EN_ARTICLE.match(text)
    if m:
        rest = text[m.end():].strip()
        heading = rest if rest and len(rest) <= 80 and not rest.endswith((".", ";", ":")) else None
        return "article", m.group(1), int(m.group(2)), heading
    return None


def _classify_opinions_en(text: str) -> tuple[str, str, int, str | None] | None:
    m = EN_ROMAN_PART.match(text)
    if m:
        return "part", m.group(1), roman_to_int(m.group(2)), _run_in_heading(text[m.end():], ".")
    m = EN_NUM_PAREN.match(text)
    if m:
        return "item", m.group(1), int(m.group(2)), _run_in_heading(text[m.end():], ".")
    return None


CLASSIFIERS: dict[str, Classifier] = {
    "law-zh": _classify_law_zh,
    "opinions-zh": _classify_opinions_zh,
    "law-en": _classify_law_en,
    "opinions-en": _classify_opinions_en,
}
LEVELS = {
    "law-zh": {"book": 0, "part": 0, "chapter": 1, "section": 2, "article": 3},
    "law-en": {"part": 0, "chapter": 1, "section": 2, "article": 3},
    "opinions-zh": {"part": 0, "item": 1},
    "opinions-en": {"part": 0, "item": 1},
}


def _point_match(style: str, text: str, depth: int) -> tuple[str, str, int] | None:
    """A point (项) or sub-point (目) opening a line inside a unit: (kind, num, number)."""
    if style == "law-zh":
        m = ZH_PAREN.match(text)
        if m:
            return "point", m.group(1), chinese_to_int(m.group(2))
        m = ZH_PART.match(text)
        if m:
            try:
                return "point", m.group(1), chinese_to_int(m.group(2))
            except ValueError:
                return None
        m = ARABIC_POINT.match(text)
        if m:  # 1． under a point is a sub-point (目); directly under an article it is the article's point
            return ("subpoint" if depth >= 1 else "point"), m.group(1), chinese_to_int(m.group(2))
        return None
    if style == "opinions-zh":
        m = ARABIC_POINT.match(text)
        return ("point", m.group(1), chinese_to_int(m.group(2))) if m else None
    if style == "law-en":
        m = EN_NUM_PAREN.match(text)
        if m:
            return "point", m.group(1), int(m.group(2))
        m = EN_LETTER_PAREN.match(text)
        if m:
            return "subpoint", m.group(1), letter_to_int(m.group(2))
        return None
    m = EN_LETTER_PAREN.match(text)
    return ("point", m.group(1), letter_to_int(m.group(2))) if m else None


def _find_toc(lines: list[Line], classify: Classifier) -> tuple[int, int] | None:
    """The index range of a table of contents (目录 and the container headings it lists)."""
    for i, ln in enumerate(lines[:60]):
        if TOC_LINE.match(ln.text.strip()):
            entries: list[str] = []
            j = i + 1
            while j < len(lines):
                c = classify(lines[j].text.strip())
                if not c or c[0] == "article" or c[0] == "item":
                    break
                # 第一章　总则……1 lists 第一章　总　　则: leaders, page number and spaces aside
                key = re.sub(r"\s+", "", TOC_PAGE.sub("", lines[j].text.strip()))
                if entries and key == entries[0]:
                    break  # the body begins: the first heading is listed again
                entries.append(key)
                j += 1
            return (i, j) if entries else None
    return None


def _is_preface_line(text: str) -> bool:
    t = text.strip()
    if any(p.search(t) for p in preface_patterns()):
        return True
    return len(t) <= 60 and not t.endswith(("。", "；", "：", ".", ";", ":"))


def _consolidated_text(lines: list[Line], classify: Classifier) -> tuple[int, str] | None:
    """Where the consolidated text of an amending decision begins, and the amended text's title.

    Such a document is read as the text it amends, as amended: the decision and its instructions
    stay in the preface (scdocs.document.amendments reads them there), the consolidated text is
    the body, and the title is the amended text's (from 关于修改《X》的决定, or the title lines
    after 附： where the decision amends several texts), not the notice's 公告.
    """
    first = next((i for i, ln in enumerate(lines) if classify(ln.text)), len(lines))
    lead = lines[:first]
    decision = AMENDING_DECISION.search("".join(ln.text.strip() for ln in lead))
    marks = [i for i, ln in enumerate(lead) if CONSOLIDATED_MARK.search(ln.text.strip())]
    if decision is None or not marks or first == len(lines):
        return None
    k = marks[-1] + 1
    while k < first and _is_preface_line(lines[k].text):
        k += 1
    block = [ln.text.strip() for ln in lines[marks[-1] + 1: k]
             if not any(p.search(ln.text.strip()) for p in preface_patterns())]
    title = decision.group(1) if decision.group(2) is None or not block else "".join(block)
    return k, title


_CLAUSE_MARK = re.compile(r"[。；，：、,.;:！？!?]")


def _heading_line(line: str) -> bool:
    """A short line with no sentence punctuation: a container's heading printed under its number."""
    line = line.strip()
    return 0 < len(line) <= 20 and not _CLAUSE_MARK.search(line)


def _after_num(node: Node, text: str) -> str:
    """The rest of a unit's first line after its printed num, spaces aside."""
    first = node.lines[0].text
    num = node.num_in(text) or ""
    return first[len(num):].strip(" \t\u3000\u00a0") if first.startswith(num) else ""


def _heading_after_num(node: Node, text: str) -> str | None:
    """The rest of an article's first line, where it is a heading (short, no sentence punctuation)
    and the article's text follows on lines of its own: 第二条 适用范围."""
    rest = _after_num(node, text)
    if not rest or len(rest) > ARTICLE_HEADING_MAX or not _heading_line(rest) or LEAD_IN.search(rest):
        return None
    return rest


#: How a sentence that introduces a list ends when its colon is missing (本条例所称信用信息包括).
LEAD_IN = re.compile(r"(包括|如下|下列|以下|有|是|为|指)$")


#: How a point opens (（一）, 1．, （1）).
POINT_OPENERS = (ZH_PAREN, ARABIC_POINT, ARABIC_PAREN)


def _opens_point(line: str) -> bool:
    """A line that opens a point: what follows a lead-in, never an article's text."""
    return any(p.match(line) for p in POINT_OPENERS)


def _heading_on_line(node: Node, text: str) -> bool:
    """Whether the article's first line is its num and heading only (第二条 适用范围, 第三条【主管部门】),
    its text on the lines below."""
    if node.kind != "article" or node.heading is None or node.more is None:
        return False
    return _after_num(node, text) in (node.heading, f"【{node.heading}】")


def parse(text: str, meta: Metadata, body_start: int = 0) -> Document:
    """Recognise the structure of a canonical text.

    `body_start` is where the reader knows the header ends (Markdown's INFO END marker, a
    page's content cell); before it everything is preface. Without it, the leading title
    lines and adoption notes are taken as preface by their shape.
    """
    lines = split_lines(text)
    body_lines = [ln for ln in lines if ln.start >= body_start]
    run_on = _run_on(body_lines)
    style = detect_style(body_lines, run_on)
    classify = CLASSIFIERS[style]
    if style == "law-zh" and run_on:
        classify = partial(_classify_law_zh, run_on=True)
    levels = LEVELS[style]
    warnings: list[str] = []

    head = [ln for ln in lines if ln.end <= body_start]
    rest = [ln for ln in lines if ln.start >= body_start]
    toc = _find_toc(rest, classify)
    if toc:
        head += rest[: toc[1]]
        rest = rest[toc[1]:]
    if not head:  # no marker from the reader: leading short lines are the title block
        k = 0
        while k < len(rest) and not classify(rest[k].text) and _is_preface_line(rest[k].text):
            k += 1
        head, rest = rest[:k], rest[k:]
    consolidated = _consolidated_text(rest, classify)
    if consolidated:
        k, meta.title = consolidated
        head, rest = head + rest[:k], rest[k:]
    # Header lines the reader left in the body (a 发文字号 or adoption note under the title).
    while rest and not classify(rest[0].text) and any(p.search(rest[0].text.strip()) for p in preface_patterns()):
        head.append(rest.pop(0))

    # Trailing closing material: dates, signatures, publication notices.
    tail: list[Line] = []
    patterns = closing_patterns()
    while rest and not classify(rest[-1].text) and (
        any(p.search(rest[-1].text.strip()) for p in patterns)
    ):
        tail.insert(0, rest.pop())
    # An annex after the last unit (附件：失信惩戒措施清单, its list below) is no part of that article.
    annex = next((i for i, ln in enumerate(rest) if i > 0 and ANNEX.match(ln.text.strip())
                  and not any(classify(later.text) for later in rest[i:])), None)
    if annex is not None:
        annexed = rest[annex:]
        tail = annexed + tail
        rest = rest[:annex]
        warnings.append(f"an annex after the last numbered unit ({annexed[0].text.strip()[:30]}, "
                        f"{annexed[-1].end - annexed[0].start:,} characters) is kept apart from it, with the "
                        "closing lines")

    roots: list[Node] = []
    stack: list[Node] = []
    preamble: list[Line] = []
    arabic = _arabic_units(rest, classify) if style == "opinions-zh" else {}
    for idx, ln in enumerate(rest):
        c = classify(ln.text) or arabic.get(idx)
        if c is None:
            if stack:
                node = stack[-1]
                node.end = ln.end
                if node.more is None:
                    if node.kind in CONTAINER_KINDS and node.heading is None and _heading_line(ln.text):
                        node.heading = ln.text.strip()  # 第一章 / 总则: the heading on the next line
                    elif node.kind == "article" and node.heading is None and not _opens_point(ln.text):
                        node.heading = _heading_after_num(node, text)  # ### 第二条 适用范围, its text below
                    node.more = []
                node.more.append(ln)
                for anc in stack:
                    anc.end = max(anc.end, ln.end)
            elif not roots:
                preamble.append(ln)
            else:  # text after a closed top-level section cannot happen: stack is never emptied
                preamble.append(ln)
            continue
        kind, num, number, heading = c
        level = levels[kind]
        held = len(num) if num and text.startswith(num, ln.start) else num  # 80,000 nums are not copied
        node = Node(kind, held, number, heading, ln.start, ln.end, level, ln)
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            parent = stack[-1]
            if parent.children is None:
                parent.children = []
            parent.children.append(node)
        else:
            roots.append(node)
        stack.append(node)
        for anc in stack:
            anc.end = max(anc.end, ln.end)

    del lines, rest  # the nodes hold their lines now, and let them go as they become sections
    used: set[str] = set()
    body = _finish_all(roots, text, style, "", used)
    if not body and preamble:
        # No numbered unit anywhere: each paragraph becomes a section of its own, marked as such,
        # so that tags, diffs and annotations have something to address; never an empty table.
        body = [Section("paragraph", f"{FALLBACK_EID_PREFIX}para_{i}", None, i, None, ln.start, ln.end, source=text)
                for i, ln in enumerate(preamble, start=1)]
        n = len(body)
        warnings.append(f"{FALLBACK_WARNING}: {n} paragraph{'s' if n != 1 else ''} read as sections")
        preamble = []
    header = [ln.text.strip() for ln in head[: text_metadata.HEADER_LINES]]
    found = text_metadata.read(header, [ln.text.strip() for ln in tail], meta.title)
    text_metadata.fill(meta, found)
    doc = Document(
        text=text,
        meta=meta,
        body=body,
        preface=_span(text, head),
        preamble=_span(text, preamble),
        conclusions=_span(text, tail),
        warnings=warnings,
    )
    doc.warnings.extend(check_numbering(doc))
    return doc


def _span(text: str, lines: list[Line]) -> Span | None:
    if not lines:
        return None
    return Span(lines[0].start, lines[-1].end, text[lines[0].start: lines[-1].end])


def _eid(kind: str, number: int | str | None, ordinal: int, parent: str, used: set[str]) -> str:
    base = f"{EID_PREFIX[kind]}_{number if number is not None else ordinal}"
    eid = f"{parent}__{base}" if parent else base
    k = 2
    candidate = eid
    while candidate in used:
        candidate = f"{eid}-{k}"
        k += 1
    used.add(candidate)
    return candidate


def _inserted_number(num: str | None, number: int | None) -> int | str | None:
    """第二条之一 (inserted after 第二条 by an amendment) is numbered 2_1 in its eId, as Akoma Ntoso
    names an inserted 2bis by its own number, never 2-2, which names a second 第二条."""
    m = INSERTED.search(num or "")
    if m is None or number is None:
        return number
    try:
        return f"{number}_{chinese_to_int(m.group()[2:])}"
    except NumeralError:
        return number


def _finish(node: Node, text: str, style: str, parent: str, used: set[str], ordinal: int = 1) -> Section:
    num = node.num_in(text)
    eid = _eid(node.kind, _inserted_number(num, node.number) if node.kind == "article" else node.number, ordinal,
               parent, used)
    section = Section(node.kind, eid, num, node.number, node.heading, node.start, node.end, source=text)
    children = _finish_all(node.children, text, style, eid, used) if node.children else []
    if node.kind in ("article", "item"):
        children = _subunits(node, text, style, eid, used) + children
    if children:  # a leaf keeps no list
        section.children = children
    return section


def _finish_all(nodes: list[Node], text: str, style: str, parent: str, used: set[str]) -> list[Section]:
    """The sections of `nodes`, in order; each node is let go once it is a section, so a text of
    80,000 articles never holds its nodes and its sections whole at once."""
    out: list[Section] = []
    nodes.reverse()  # taken from the end, in document order
    while nodes:
        out.append(_finish(nodes.pop(), text, style, parent, used, len(out) + 1))
    return out

_SPACES = re.compile(f"{_SP}*")


def _ranked_points(node: Node) -> Callable[[str], tuple[str, str, int] | None]:
    """Points of a Chinese opinions unit: the highest-ranked numbering below the unit's own
    (1． under （一）, （1） under 1．), and sub-points the rank below that."""
    own = zh_rank(node.lines[0].text)
    unit_rank = own[0] if own else 1
    below = sorted({r[0] for ln in node.lines[1:] if (r := zh_rank(ln.text)) and r[0] > unit_rank})

    def match(text: str) -> tuple[str, str, int] | None:
        r = zh_rank(text)
        if r is None or not below or r[0] < below[0]:
            return None
        return ("point" if r[0] == below[0] else "subpoint", r[1], r[2])

    return match


def _subunits(node: Node, text: str, style: str, parent: str, used: set[str]) -> list[Section]:
    """Paragraphs (款), points (项) and sub-points (目) of one unit, from its lines."""
    first = node.lines[0]
    num = node.num_in(text) or ""
    # One compiled pattern for every unit (a pattern per num would be compiled anew for each article).
    spaces = _SPACES.match(first.text, len(num)) if first.text.startswith(num) else None  # matches the empty run too
    body_start = first.start + (spaces.end() if spaces else 0)
    # Group lines: each paragraph is a plain line followed by its points.
    paragraphs: list[list[tuple[Line, tuple[str, str, int] | None]]] = []
    match = _ranked_points(node) if style == "opinions-zh" else None
    for i, ln in enumerate(node.lines):
        if i == 0:
            pm = None
            # 第三条　（一）维护国家安全； its first point on the article's own line
            opens = _point_match(style, text[body_start:ln.end], 0) if style == "law-zh" and body_start < ln.end \
                else None
            if opens is not None and opens[0] == "point" and opens[2] == 1 and len(node.lines) > 1:
                paragraphs.append([(ln, None), (Line(body_start, ln.end, text), opens)])
                continue
        elif match is not None:
            pm = match(ln.text)
        else:
            # under a （一） point, 1． is its sub-point; after a 1． point of the article, the next is its sibling
            last = next((m for _, m in reversed(paragraphs[-1]) if m is not None and m[0] == "point"), None) \
                if paragraphs else None
            pm = _point_match(style, ln.text, 1 if last is not None and not _arabic(last[1]) else 0)
        if pm is None:
            paragraphs.append([(ln, None)])
        else:
            paragraphs[-1].append((ln, pm))
    if len(paragraphs) > 1 and (body_start >= first.end or _heading_on_line(node, text)) and len(paragraphs[0]) == 1:
        paragraphs.pop(0)  # the num stands alone on its line (or with its heading): the first paragraph is the next
        body_start = paragraphs[0][0][0].start
    out: list[Section] = []
    make_paragraphs = style.startswith("law") and len(paragraphs) >= 2
    for p_index, group in enumerate(paragraphs, start=1):
        container_eid = parent
        target = out
        if make_paragraphs:
            p_start = body_start if p_index == 1 else group[0][0].start
            p_end = group[-1][0].end
            para = Section("paragraph", _eid("paragraph", None, p_index, parent, used), None, p_index,
                           None, p_start, p_end, source=text)
            out.append(para)
            container_eid, target = para.eid, para.children
        last_point: Section | None = None
        for ln, pm in group[1:]:
            assert pm is not None
            kind, num, number = pm
            if kind == "subpoint" and last_point is not None:
                sub = Section("subpoint", _eid("subpoint", number, 0, last_point.eid, used), num, number, None,
                              ln.start, ln.end, source=text)
                last_point.children.append(sub)
                last_point.end = ln.end  # its text is sliced at its offsets: it now ends here
                continue
            kind = "point"
            point = Section("point", _eid("point", number, 0, container_eid, used), num, number, None,
                            ln.start, ln.end, source=text)
            target.append(point)
            last_point = point
    return out


def check_numbering(doc: Document) -> list[str]:
    """Warnings for gaps, duplicates and out-of-order numbers among sibling sections."""
    warnings: list[str] = []

    def check(seq: list[Section], where: str) -> None:
        prev: Section | None = None
        seen: dict[int, Section] = {}
        for s in seq:
            if s.number is None or s.num is None:
                continue
            if INSERTED.search(s.num) and prev is not None and prev.number == s.number:
                continue  # 第二条之一 after 第二条: an article inserted by an amendment, not a duplicate
            if s.number == 1 and 1 in seen and prev is not None:
                # A new run of numbers with nothing (a part, a chapter) that begins it.
                warnings.append(f"numbering restarts: {s.num} ({s.eid}) follows {prev.num}{where}, "
                                "with no container that begins a new run")
                seen, prev = {1: s}, s
                continue
            if s.number in seen:
                warnings.append(f"duplicate: {s.num} ({s.eid}) repeats {seen[s.number].eid}{where}")
            elif prev is not None and prev.number is not None:
                if s.number < prev.number:
                    warnings.append(f"out of order: {s.num} ({s.eid}) follows {prev.num}{where}")
                elif s.number > prev.number + 1:
                    missing = s.number - prev.number - 1
                    warnings.append(f"gap: {s.num} ({s.eid}) follows {prev.num}{where}"
                                    f" ({missing} number{'s' if missing > 1 else ''} missing)")
            elif prev is None and s.number != 1 and (not where or s.kind in ("point", "subpoint")):
                # points from （二）: （一） is missing (items 1． may run on from the part before)
                warnings.append(f"gap: numbering starts at {s.num} ({s.eid}){where}")
            seen.setdefault(s.number, s)
            prev = s

    units = doc.units()
    # Articles and chapters run through the whole document; items may restart per part.
    by_kind: dict[str, list[Section]] = {}
    for s in doc.walk():
        if s.kind in ("book", "chapter", "article"):
            by_kind.setdefault(s.kind, []).append(s)
    for seq in by_kind.values():
        check(seq, "")
    parts = [s for s in doc.body if s.kind == "part"]
    check(parts, "")
    # Items （一） run through the document or restart in each part; items 1． (a part's units
    # where it has no （一）) always count within their part.
    items = [u for u in units if u.kind == "item" and not _arabic(u.num)]
    restart = any(p.subsections and p.subsections[0].kind == "item" and not _arabic(p.subsections[0].num)
                  and p.subsections[0].number == 1 for p in parts[1:] if p.subsections)
    if restart:
        for p in parts:
            check([c for c in p.subsections if c.kind == "item" and not _arabic(c.num)], f" in {p.num}")
    else:
        check(items, "")
    for p in parts:
        check([c for c in p.subsections if c.kind == "item" and _arabic(c.num)], f" in {p.num}")
    check([s for s in doc.body if s.kind == "item" and _arabic(s.num)], "")
    for s in doc.walk():
        if s.kind == "chapter":
            check([c for c in s.subsections if c.kind == "section"], f" in {s.num}")
        if s.kind in ("article", "item", "paragraph", "point"):
            check([c for c in s.subsections if c.kind in ("point", "subpoint")], f" in {s.eid}")
    return warnings


def _arabic(num: str | None) -> bool:
    return bool(num) and bool(re.match(r"^[（(]?[0-9０-９]", num or ""))


def uncovered(doc: Document, limit: int = 5) -> list[str]:
    """Problems for text that lies outside every section and outside the title block (preface),
    preamble and closing lines (conclusions): words no section, tag or diff would ever show."""
    spans = sorted((s.start, s.end) for s in (doc.preface, doc.preamble, doc.conclusions, *doc.body) if s)
    gaps: list[tuple[int, int]] = []
    at = 0
    for start, end in [*spans, (len(doc.text), len(doc.text))]:
        if start > at and doc.text[at:start].strip():
            gaps.append((at, start))
        at = max(at, end)
    out = []
    for start, end in gaps[:limit]:
        words = doc.text[start:end].strip()
        shown = words if len(words) <= 30 else words[:30] + "…"
        out.append(f"text outside every section: characters {start}–{end} ({shown!r})")
    if len(gaps) > limit:
        out.append(f"text outside every section: {len(gaps) - limit} more stretches")
    return out
