"""Property tests (Hypothesis) for the invariants the rest of scdocs builds on.

Documents are generated from a structure (chapters, sections, articles, paragraphs, points and
sub-points of a law; parts, items and points of an opinions document) with Chinese numerals
and random body text, so each test knows what the parser should find:

- the parser finds exactly the generated structure, and on any text (messy layouts too) every
  section's text is ``doc.text[start:end]``, children lie inside their parent in order without
  overlapping, and every line of the text belongs to exactly one top-level span;
- diffing a document with itself pairs every unit with itself, unchanged, with no moves and no systematic changes;
- an annotation migrated to the same text lands where it was; one migrated past an edit in an
  earlier unit lands on the same words or is orphaned, never elsewhere;
- numerals round-trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from scdocs import diff, load
from scdocs.annotations import Reanchorer, new_annotation
from scdocs.document.model import Document, Metadata, Section
from scdocs.document.numerals import (
    CHINESE_NUMERAL_CHARS,
    chinese_to_int,
    int_to_chinese,
    letter_to_int,
    number_of,
    roman_to_int,
)
from scdocs.document.structure import parse, split_lines
from scdocs.readers import read_bytes
from scdocs.themes.tagger import taggable_sections

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Body text: common characters of regulations, none of them a numeral or a numbering word, so
# that only the generated numbering opens a line with a numeral.
ALPHABET = "".join(dict.fromkeys(
    ch for ch in "信用主体应当依法建立健全社会制度规范公共服务平台企业数据安全保护监督检查"
                 "政府部门市场守法诚信激励惩戒权益维护"
    if ch not in CHINESE_NUMERAL_CHARS and ch not in "第条章节编"))
# Phrases the tagger and the move rules react to, so that self-diffs meet themes and move cues.
CUES = ("坚持党的领导", "建立全国统一的信用信息共享平台", "维护国家安全", "保护个人信息", "国务院统筹协调",
        "依法提出异议")

words = st.text(alphabet=ALPHABET, min_size=1, max_size=8)
clauses = st.one_of(words, st.sampled_from(CUES))
sentences = st.lists(clauses, min_size=1, max_size=3).map(lambda cs: "，".join(cs) + "。")
# Now and then a stock sentence, so that units with the same text occur.
prose = st.one_of(st.lists(sentences, min_size=1, max_size=3).map("".join),
                  st.sampled_from(["本条例自公布之日起施行。", "坚持党的领导。", "依法保护信用主体权益。"]))
headings = st.text(alphabet=ALPHABET, min_size=2, max_size=8)


@dataclass
class Expected:
    """A section the parser should find: what it is, and the lines (and leading characters) it spans."""

    kind: str
    num: str | None
    number: int
    heading: str | None
    first: int  # line index
    last: int = -1
    skip: int = 0  # characters of the first line before the section starts (paragraph 1 after the num)
    children: list[Expected] = field(default_factory=list)

    def walk(self):  # type: ignore[no-untyped-def]
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Generated:
    lines: list[str]
    body: list[Expected]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def shape(self) -> list[tuple[str, str | None, int, str | None, str]]:
        """(kind, num, number, heading, text) of every expected section in document order."""
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line) + 1)
        text = self.text
        return [(e.kind, e.num, e.number, e.heading,
                 text[starts[e.first] + e.skip: starts[e.last] + len(self.lines[e.last])])
                for top in self.body for e in top.walk()]


@st.composite
def laws(draw: st.DrawFn) -> Generated:
    """A Chinese law: a title, then articles, optionally in chapters (optionally in sections);
    articles with paragraphs (款), points (项) and sub-points (目)."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(headings))
    article_no = 0

    def article() -> Expected:
        nonlocal article_no
        article_no += 1
        num = f"第{int_to_chinese(article_no)}条"
        node = Expected("article", num, article_no, None, len(lines))
        paragraphs = []
        for p in range(1, draw(st.integers(1, 3)) + 1):
            lines.append(f"{num}　{draw(prose)}" if p == 1 else draw(prose))
            para = Expected("paragraph", None, p, None, len(lines) - 1, skip=len(num) + 1 if p == 1 else 0)
            for k in range(1, draw(st.integers(0, 3)) + 1):
                pnum = f"（{int_to_chinese(k)}）"
                lines.append(pnum + draw(prose))
                point = Expected("point", pnum, k, None, len(lines) - 1)
                for j in range(1, draw(st.integers(0, 2)) + 1):
                    lines.append(f"{j}．{draw(prose)}")
                    point.children.append(Expected("subpoint", f"{j}．", j, None, len(lines) - 1, len(lines) - 1))
                point.last = len(lines) - 1
                para.children.append(point)
            para.last = len(lines) - 1
            paragraphs.append(para)
        node.last = len(lines) - 1
        # Paragraphs are sections only where an article has two or more.
        node.children = paragraphs if len(paragraphs) > 1 else paragraphs[0].children
        return node

    def container(kind: str, word: str, n: int, inner: object) -> Expected:
        heading = draw(headings)
        num = f"第{int_to_chinese(n)}{word}"
        lines.append(f"{num}　{heading}")
        node = Expected(kind, num, n, heading, len(lines) - 1)
        node.children = inner()  # type: ignore[operator]
        node.last = len(lines) - 1
        return node

    def articles() -> list[Expected]:
        return [article() for _ in range(draw(st.integers(1, 3)))]

    def sections() -> list[Expected]:
        return [container("section", "节", s, articles) for s in range(1, draw(st.integers(1, 2)) + 1)]

    layout = draw(st.sampled_from(["flat", "chapters", "chapters and sections"]))
    if layout == "flat":
        body = [article() for _ in range(draw(st.integers(1, 5)))]
    else:
        inner = articles if layout == "chapters" else sections
        body = [container("chapter", "章", c, inner) for c in range(1, draw(st.integers(1, 3)) + 1)]
    return Generated(lines, body)


@st.composite
def opinions(draw: st.DrawFn) -> Generated:
    """A Chinese opinions document: a title, a preamble, items （一） with run-in headings and
    points 1．, optionally in parts 一、 (items numbered through or restarting in each part)."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(headings))
    if draw(st.booleans()):  # longer than a title line can be
        lines.append(draw(st.lists(sentences, min_size=4, max_size=6).map("".join).filter(lambda s: len(s) > 40)))
    item_no = 0

    def item() -> Expected:
        nonlocal item_no
        item_no += 1
        num = f"（{int_to_chinese(item_no)}）"
        heading = draw(headings)
        lines.append(f"{num}{heading}。{draw(prose)}")
        node = Expected("item", num, item_no, heading, len(lines) - 1)
        k = 0
        for kind in draw(st.lists(st.sampled_from(["point", "prose"]), max_size=4)):
            if kind == "point":
                k += 1
                lines.append(f"{k}．{draw(prose)}")
                node.children.append(Expected("point", f"{k}．", k, None, len(lines) - 1, len(lines) - 1))
            else:
                lines.append(draw(prose))
        node.last = len(lines) - 1
        return node

    if draw(st.booleans()):
        body = [item() for _ in range(draw(st.integers(1, 5)))]
    else:
        restart = draw(st.booleans())
        body = []
        for p in range(1, draw(st.integers(1, 4)) + 1):
            heading = draw(headings)
            num = f"{int_to_chinese(p)}、"
            lines.append(num + heading)
            part = Expected("part", num, p, heading, len(lines) - 1)
            if restart:
                item_no = 0
            if draw(st.booleans()):  # a part written as prose
                lines.append(draw(prose))
            part.children = [item() for _ in range(draw(st.integers(0, 3)))]
            part.last = len(lines) - 1
            body.append(part)
    return Generated(lines, body)


documents = st.one_of(laws(), opinions())

# Messy layouts: any numbering prefix, separator and rest, blank lines, CRLF and lone CR.
PREFIXES = ["第一章", "第二编", "第三节", "第一条", "第十二条", "第三条之二", "（一）", "（十九）", "(2)", "一、",
            "十、", "1.", "2．", "Chapter I", "Part III", "Article 1", "(a)", "IV.", "目录", "", "", ""]
SEPARATORS = ["", " ", "\u3000", "  ", "\t", ". ", ": "]
RESTS = ["总则", "本法适用。", "【定义】本法所称", "指导思想。坚持", "General Provisions", "text here.", "", "国务院",
         "2019年1月22日", "（此件公开发布）", "  ", "总\u3000则 ", "坚持党的领导，建立全国统一的信用信息共享平台。"]
messy_lines = st.tuples(st.sampled_from(PREFIXES), st.sampled_from(SEPARATORS), st.sampled_from(RESTS)).map("".join)
messy_texts = st.tuples(st.lists(messy_lines, min_size=1, max_size=15),
                        st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n \n"])).map(lambda t: t[1].join(t[0]))


def load_text(text: str) -> Document:
    """`scdocs.load` on the text's bytes (a one-line str would be taken for a path or corpus id)."""
    return load(text.encode("utf-8"))


def check_offsets_and_nesting(doc: Document) -> None:
    """Every section's text is its slice of the canonical text; children lie inside their parent,
    in order, without overlapping; preface, preamble, body and conclusions likewise; every
    non-blank line lies in exactly one of them; eIds are unique."""
    text = doc.text
    eids: list[str] = []

    def visit(sections: list[Section], lo: int, hi: int) -> None:
        at = lo
        for s in sections:
            assert s.text == text[s.start: s.end], s.eid
            assert at <= s.start <= s.end <= hi, (s.eid, at, s.start, s.end, hi)
            eids.append(s.eid)
            visit(s.children, s.start, s.end)
            at = s.end

    spans = [x for x in (doc.preface, doc.preamble) if x]
    for span in (*spans, doc.conclusions):
        if span:
            assert span.text == text[span.start: span.end]
    tops = [(x.start, x.end) for x in (*spans, *doc.body, doc.conclusions) if x]
    assert all(a[1] <= b[0] for a, b in pairwise(tops)), tops
    visit(doc.body, doc.body[0].start if doc.body else 0, len(text))
    assert len(set(eids)) == len(eids)
    for line in split_lines(text):
        if line.text.strip():
            assert sum(1 for s, e in tops if s <= line.start and line.end <= e) == 1, line


# ------------------------------------------------------------------------------------------
# Structure


@FAST
@given(documents)
def test_parser_finds_the_generated_structure(generated: Generated) -> None:
    doc = load_text(generated.text)
    assert doc.text == generated.text
    assert [(s.kind, s.num, s.number, s.heading, s.text) for s in doc.walk()] == generated.shape()
    check_offsets_and_nesting(doc)
    assert doc.warnings == []


@FAST
@given(messy_texts)
def test_offsets_and_nesting_hold_on_any_layout(text: str) -> None:
    assume(text.strip())
    check_offsets_and_nesting(read_bytes(text.encode("utf-8"), "messy.txt"))  # canonical text
    check_offsets_and_nesting(parse(text, Metadata()))  # the raw text, CRs and blank lines included


# ------------------------------------------------------------------------------------------
# Diff


def _check_self_diff(text: str) -> None:
    old, new = load_text(text), load_text(text)  # two parses: nothing may rest on the objects being the same
    result = diff(old, new)
    units = [s.eid for s in taggable_sections(old)]
    assert [(p.old.eid if p.old else None, p.new.eid if p.new else None) for p in result.pairs] == [
        (eid, eid) for eid in units]
    assert {p.status for p in result.pairs} <= {"unchanged"}
    assert all(p.similarity == 1.0 and not p.themes_gained and not p.themes_lost for p in result.pairs)
    assert result.moves == [] and result.systematic == []
    summary = result.summary()
    assert summary["characters"] == {"inserted": 0, "deleted": 0}
    assert summary["statuses"]["unchanged"] == len(units)  # type: ignore[index]


@SLOW
@given(documents)
def test_diff_with_itself_has_no_changes_and_no_moves(generated: Generated) -> None:
    _check_self_diff(generated.text)


@SLOW
@given(messy_texts)
@example("第一章总则\n第一条")  # an article without a body was removed and added (fixed in changes/align.py)
def test_diff_with_itself_on_any_layout(text: str) -> None:
    assume(text.strip() and "\n" in text.strip())
    _check_self_diff(text.strip())


# ------------------------------------------------------------------------------------------
# Annotations


def _occurrence(text: str, quote: str, at: int) -> int:
    """Which appearance of `quote` in `text` (counted as `new_annotation` counts) starts at `at`."""
    pos, n = -1, 0
    while True:
        pos = text.find(quote, pos + 1)
        n += 1
        if pos == at:
            return n
        assert pos != -1


def _annotate(doc: Document, data: st.DataObject, sections: list[Section]):  # type: ignore[no-untyped-def]
    """An annotation on a random stretch (up to 40 characters) of one of `sections`."""
    section = data.draw(st.sampled_from(sections))
    i = data.draw(st.integers(0, len(section.text) - 1))
    j = data.draw(st.integers(i + 1, min(len(section.text), i + 40)))
    quote = section.text[i:j]
    assume(quote.strip())  # a quote of white space alone is refused (an annotation needs words)
    a = new_annotation(doc, section, quote, note="n", occurrence=_occurrence(section.text, quote, i))
    assert (a.anchor.start, a.anchor.end, a.anchor.exact) == (section.start + i, section.start + j, quote)
    return a, section


@SLOW
@given(documents, st.data())
def test_annotation_migrated_to_the_same_text_stays_in_place(generated: Generated, data: st.DataObject) -> None:
    old, new = load_text(generated.text), load_text(generated.text)
    a, section = _annotate(old, data, taggable_sections(old))
    result = Reanchorer(old, new).migrate([a])
    (b,) = result.annotations
    assert result.counts["position"] == 1
    assert (b.anchor.start, b.anchor.end, b.anchor.exact, b.anchor.eid) == (
        a.anchor.start, a.anchor.end, a.anchor.exact, section.eid)
    assert b.anchor.content_hash == a.anchor.content_hash


@SLOW
@given(documents, st.data(), st.sampled_from(["新增规定。", "坚持党的领导。", "信用"]))
def test_annotation_migrated_past_an_edit_lands_on_its_words_or_orphans(
        generated: Generated, data: st.DataObject, inserted: str) -> None:
    old = load_text(generated.text)
    units = taggable_sections(old)
    assume(len(units) >= 2)
    edited = data.draw(st.integers(0, len(units) - 2))
    at = units[edited].end  # the end of an earlier unit's last line
    new = load_text(old.text[:at] + inserted + old.text[at:])
    assert len(taggable_sections(new)) == len(units)
    a, section = _annotate(old, data, units[edited + 1:])
    (b,) = Reanchorer(old, new).migrate([a]).annotations
    outcome = b.anchoring["outcome"]  # type: ignore[index]
    if outcome != "orphaned":
        assert (b.anchor.start, b.anchor.end) == (a.anchor.start + len(inserted), a.anchor.end + len(inserted)), outcome
    if section.text.count(a.anchor.exact) == 1:  # words that occur once in an untouched unit are found
        assert outcome in ("position", "section"), outcome


# ------------------------------------------------------------------------------------------
# Numerals

FINANCIAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
DIGIT_STYLE = str.maketrans("0123456789", "〇一二三四五六七八九")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def to_roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        k, n = divmod(n, value)
        out.append(letters * k)
    return "".join(out)


def test_chinese_numerals_round_trip_from_1_to_9999() -> None:
    """Every article number a law can have, both ways, and as the parser reads it in a num."""
    for n in range(1, 10_000):
        zh = int_to_chinese(n)
        assert chinese_to_int(zh) == n, zh
        assert number_of(f"第{zh}条") == n and number_of(f"（{zh}）") == n, zh


@FAST
@given(st.integers(min_value=0, max_value=10**12))
def test_other_ways_of_writing_a_chinese_numeral(n: int) -> None:
    assert chinese_to_int(int_to_chinese(n).translate(FINANCIAL)) == n  # 大写: 壹佰零壹
    assert chinese_to_int(str(n).translate(DIGIT_STYLE)) == n  # digit by digit: 二〇二四
    assert chinese_to_int(str(n).translate(FULLWIDTH)) == n  # full-width digits: １２


def test_roman_numerals_round_trip() -> None:
    assert [roman_to_int(to_roman(n)) for n in range(1, 4000)] == list(range(1, 4000))
    assert roman_to_int("xiv") == 14 and number_of("XIV.") == 14


def test_letter_numerals_round_trip() -> None:
    """(a)…(z), then the doubled style legal texts use: (aa)…(zz), (aaa)…(zzz)."""
    for n in range(1, 79):
        letters = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
        assert letter_to_int(letters) == n and number_of(f"({letters})") == n, letters


# Pieces of cue words and of the characters their regexes exclude or cross (。；，\n), so that
# generated texts are dense in phrase hits and in regex matches that run over a span's edge.
_CUE_PIECES = ["个人", "信息", "失信", "名单", "国家", "平台", "党对", "工作的", "领导", "境外", "提供", "。", "；",
               "，", "\n", "数据", "信用信息", "共享", "限制", "进入", "的", "和"]


@SLOW
@example(pieces=["的", "个人", "的", "个人", "信息"], cuts=[4])  # the whole-text match hides the second span's own
@given(pieces=st.lists(st.sampled_from(_CUE_PIECES), min_size=1, max_size=80),
       cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_matching_spans_over_the_whole_text_equals_matching_each_span(pieces: list[str], cuts: list[int]) -> None:
    """The tagger matches all sections of a document in one pass over its text; that must give each
    section exactly the hits that matching the section's text alone gives, wherever the edges fall."""
    from scdocs.themes import load_taxonomy
    from scdocs.themes.matcher import CharMatcher

    text = "".join(pieces)
    edges = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    spans = [(a, b) for a, b in pairwise(edges) if b > a]
    spans = [(a, b - (1 if b - a > 3 and a % 2 else 0)) for a, b in spans]  # gaps between some spans
    matcher = _matcher(CharMatcher, load_taxonomy)

    def key(hits: list) -> list[tuple[int, int, str]]:
        return sorted((a, b, p.id) for a, b, p in hits)

    assert [key(h) for h in matcher.spans(text, spans)] == [key(matcher(text[a:b])) for a, b in spans]


_MATCHERS: dict[str, object] = {}


def _matcher(cls, load):  # type: ignore[no-untyped-def]
    if "m" not in _MATCHERS:
        _MATCHERS["m"] = cls(load().pattern_index().values())
    return _MATCHERS["m"]


LINE_STUFF = st.lists(st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0c", "\x85", "a", "第", " ", "条"]),
                      max_size=60).map("".join)


@FAST
@given(LINE_STUFF, st.sampled_from([1, 2, 5, 1 << 20]))
def test_lines_read_a_piece_at_a_time_are_splitlines(text: str, piece: int) -> None:
    """The text reader takes a long text's lines a piece at a time; they are exactly str.splitlines()."""
    from scdocs.readers.common import iter_lines

    assert list(iter_lines(text, piece)) == text.splitlines()
