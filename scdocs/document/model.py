"""The document model every part of scdocs reads: a canonical text and a tree of sections.

A `Section` never copies text it does not own: its `start`/`end` are offsets into the
document's canonical text, so taggers, differs and annotations can all point at the same
characters (as spaCy's `Span` points into its `Doc`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Section kinds, outermost first. Containers group units; units are the numbered provisions
#: (articles of a law, items of an opinions document) that tags, diffs and excerpts address.
CONTAINER_KINDS = ("book", "part", "chapter", "section")
UNIT_KINDS = ("article", "item")
SUBUNIT_KINDS = ("paragraph", "point", "subpoint")
KINDS = CONTAINER_KINDS + UNIT_KINDS + SUBUNIT_KINDS
#: eId prefix of the paragraphs a text without any numbered unit is read as (one section per
#: paragraph, kind "paragraph", at the top of the body: ``unnumbered__para_3``), so that tags,
#: diffs and annotations still have sections to address. The document carries a warning saying so.
FALLBACK_EID_PREFIX = "unnumbered__"
#: The eId prefix of each kind (Akoma Ntoso's naming: art_5, chp_2__art_5__para_1).
EID_PREFIX = {"book": "book", "part": "part", "chapter": "chp", "section": "sec", "article": "art",
              "item": "item", "paragraph": "para", "point": "point", "subpoint": "point"}


#: How `Section.name` calls a paragraph of a text without numbered units (spaces folded away).
_PARAGRAPH_NAME = re.compile(r"paragraph([0-9]+)")
#: A unit's number as written around: 第13条, (19).
_NUM_WRAPPED = re.compile(r"第(.+?)条|\((.+?)\)")

#: The JSON shape of `Document.to_dict()` (scdocs/data/document.schema.json); the version changes
#: whenever a field changes meaning or disappears.
DOCUMENT_FORMAT = "scdocs-document"
DOCUMENT_FORMAT_VERSION = 1

@dataclass
class Metadata:
    """What a document says about itself (and what its catalogue entry adds)."""

    title: str = ""
    issuer: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD) where known
    doc_number: str = ""  # 发文字号, e.g. 国发〔2019〕5号
    language: str = "zh"
    kind: str = ""  # law, administrative-regulation, local-regulation, opinions, ...
    source: str = ""  # path or URL it was read from
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """How a report names the document: its corpus id where it has one (aml-law-2024), else where
        it was read from, never the path of a fetched copy in the user data folder."""
        return self.extra.get("id") or self.source

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date,
            "doc_number": self.doc_number,
            "language": self.language,
            "kind": self.kind,
            "source": self.source,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        extra = data.get("extra") or {}
        return cls(
            title=str(data.get("title", "")),
            issuer=str(data.get("issuer", "")),
            date=str(data.get("date", "")),
            doc_number=str(data.get("doc_number", "")),
            language=str(data.get("language", "zh")),
            kind=str(data.get("kind", "")),
            source=str(data.get("source", "")),
            extra={str(k): str(v) for k, v in dict(extra).items()},
        )


class Section:
    """One numbered (or ordinal) unit of a document, with offsets into its canonical text.

    `num` is the numbering exactly as printed (（十九）, 第二十三条, Article 5); `number` is the
    integer of its own numeral (19, 23, 5), not unique where numbering restarts per part;
    `eid` is unique (Akoma Ntoso style: ``chp_2__art_23__para_2``).

    `text` is the section's stretch of the document's text. The parser passes that whole text as
    `source` and the section slices it when asked, so a law of 80,000 articles does not hold its
    text twice; a section made from its own `text` (or given one later) keeps that string.

    A one-line article costs little more than its text: a `num` printed where the section starts is
    kept as its length and sliced when asked (so `start` stays where it is once the section is made),
    an `eid` of the plain form ``art_5`` is made from the kind and number when asked, and `children`
    is made only when first asked for (a leaf holds none).
    """

    # slots: 80,000 articles and their paragraphs cost a dict each otherwise
    __slots__ = ("_children", "_eid", "_kind", "_num", "_number", "_own", "_source", "end", "heading", "start")
    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: never a set member or key
    _num: str | int | None  # the num, or its length where it is printed where the section starts
    _eid: str | None  # the eId, or None where it is the plain form made from kind and number
    _children: list[Section] | None

    def __init__(self, kind: str, eid: str, num: str | None, number: int | None, heading: str | None,
                 start: int, end: int, text: str = "", children: list[Section] | None = None, *,
                 source: str | None = None) -> None:
        self._kind, self._number, self.heading = kind, number, heading
        self._eid: str | None = None
        self.start, self.end = start, end
        self._children = children  # a list given (even empty) is the one children are added to
        self._own = source is None
        self._source = text if source is None else source
        self.eid = eid
        self.num = num

    @property
    def text(self) -> str:
        return self._source if self._own else self._source[self.start:self.end]

    @text.setter
    def text(self, value: str) -> None:
        if not self._own:
            raise AttributeError(f"section {self.eid}: its text is its document's text at {self.start}–{self.end}; "
                                 "change the document's text and read it again (offsets of every section follow it)")
        num = self.num  # a num kept as a length into the old text becomes a string first
        self._source, self._own = value, True
        self.num = num

    def slice_from(self, source: str) -> None:
        """Take `text` from the document's text at this section's offsets from now on (a reader
        that learns the offsets after making the section)."""
        num = self.num
        self._source, self._own = source, False
        self.num = num

    @property
    def num(self) -> str | None:
        n = self._num
        if not isinstance(n, int):
            return n
        start = 0 if self._own else self.start
        return self._source[start:start + n]

    @num.setter
    def num(self, value: str | None) -> None:
        start = 0 if self._own else self.start
        self._num = len(value) if value and self._source.startswith(value, start) else value

    @property
    def eid(self) -> str:
        eid = self._eid
        return eid if eid is not None else f"{EID_PREFIX[self._kind]}_{self._number}"

    @eid.setter
    def eid(self, value: str) -> None:
        plain = (self._number is not None and self._kind in EID_PREFIX
                 and value == f"{EID_PREFIX[self._kind]}_{self._number}")
        self._eid = None if plain else value

    @property
    def kind(self) -> str:
        return self._kind

    @kind.setter
    def kind(self, value: str) -> None:
        self._set_keeping_eid("_kind", value)

    @property
    def number(self) -> int | None:
        return self._number

    @number.setter
    def number(self, value: int | None) -> None:
        self._set_keeping_eid("_number", value)

    def _set_keeping_eid(self, slot: str, value: object) -> None:
        """Change the kind or number: an eId made from them stays what it was."""
        eid = self.eid
        setattr(self, slot, value)
        self.eid = eid

    @property
    def children(self) -> list[Section]:
        """The sections directly below this one (a list made on first ask: a leaf keeps none)."""
        if self._children is None:
            self._children = []
        return self._children

    @children.setter
    def children(self, value: list[Section]) -> None:
        self._children = value

    @property
    def subsections(self) -> tuple[Section, ...]:
        """The children as a tuple (to read, not to change: use `children`); a leaf gives an empty one
        without making a list for it."""
        return tuple(self._children) if self._children else ()

    def _key(self) -> tuple[object, ...]:
        return (self.kind, self.eid, self.num, self.number, self.heading, self.start, self.end, self.text,
                self._children or [])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Section)
        return self._key() == other._key()

    def __repr__(self) -> str:
        return (f"Section(kind={self.kind!r}, eid={self.eid!r}, num={self.num!r}, number={self.number!r}, "
                f"heading={self.heading!r}, start={self.start!r}, end={self.end!r}, text={self.text!r}, "
                f"children={self._children or []!r})")

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in document order."""
        yield self
        for child in self._children or ():
            yield from child.walk()

    @property
    def fallback(self) -> bool:
        """Whether this is a paragraph of a text without numbered units (see FALLBACK_EID_PREFIX)."""
        return self.kind == "paragraph" and self.eid.startswith(FALLBACK_EID_PREFIX)

    @property
    def name(self) -> str:
        """How reports and citations name the section: its printed num; a paragraph of a text without
        numbered units as `paragraph 3` (its eId is an internal name); else its eId."""
        if self.num:
            return self.num
        if self.fallback:
            return f"paragraph {self.number}"
        return self.eid

    @property
    def label(self) -> str:
        """A short human label: the num and heading, or the kind and number."""
        head = self.num or f"{self.kind} {self.number}"
        return f"{head} {self.heading}" if self.heading else head

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str) -> Section:
        """Rebuild a section (and its children) from `to_dict()` output and the canonical text."""
        start, end = int(data["start"]), int(data["end"])
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"section {data.get('eId')!r} has offsets {start}–{end} outside the text")
        num = data.get("num")
        if isinstance(num, str) and num and num not in text[start:end]:  # offsets shifted off the text
            raise ValueError(f"section {data.get('eId')!r}: its num {num!r} is not in its text at {start}–{end} "
                             "(the offsets do not fit the text)")
        return cls(str(data["kind"]), str(data["eId"]), data.get("num"), data.get("number"),
                   data.get("heading"), start, end, children=[cls.from_dict(c, text) for c in data.get("children", [])],
                   source=text)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "eId": self.eid,
            "num": self.num,
            "number": self.number,
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
            "children": [c.to_dict() for c in self._children or ()],
        }


@dataclass
class Span:
    """A stretch of non-numbered material (preface, preamble, conclusions)."""

    start: int
    end: int
    text: str


@dataclass
class Document:
    """A parsed document: canonical text, metadata, the section tree and what lies outside it."""

    text: str
    meta: Metadata
    body: list[Section]
    preface: Span | None = None  # title block, adoption notes, table of contents
    preamble: Span | None = None  # text before the first numbered unit
    conclusions: Span | None = None  # signatures, dates, publication notices
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        """Every section in document order (containers, units and sub-units)."""
        for section in self.body:
            yield from section.walk()

    def units(self) -> list[Section]:
        """The numbered provisions: articles of a law, items of an opinions document; in a text
        without any, the paragraphs it was read as (`Section.fallback`)."""
        return [s for s in self.walk() if s.kind in UNIT_KINDS or s.fallback]

    def containers(self) -> list[Section]:
        return [s for s in self.walk() if s.kind in CONTAINER_KINDS]

    @property
    def unit_kind(self) -> str | None:
        units = self.units()
        return units[0].kind if units else None

    def find_all(self, ref: str | int) -> list[Section]:
        """Every section a reference names: an eId names one; a printed num names the unit that prints
        it, else every section that does (（二） in many articles); a bare number names each unit with
        that number (items that restart their numbering in each part share one)."""
        sref = str(ref).strip()
        for section in self.walk():
            if section.eid == sref:
                return [section]
        # A num as typed: full- or half-width brackets and digits alike ((十九) for （十九）, 第１３条).
        folded = unicodedata.normalize("NFKC", sref).replace(" ", "")
        printed = [section for section in self.walk() if section.num and (
            section.num == sref or unicodedata.normalize("NFKC", section.num) == folded)]
        if printed:  # a unit's num names the unit; （二） printed in many articles' points names each of them
            return [s for s in printed if s.kind in UNIT_KINDS] or printed
        named = _PARAGRAPH_NAME.fullmatch(folded)  # `paragraph 2`, as `name` calls a text's paragraph
        if named:
            return [s for s in self.walk() if s.fallback and s.number == int(named[1])]
        from scdocs.document.numerals import NumeralError, chinese_to_int

        m = _NUM_WRAPPED.fullmatch(folded)  # 第13条 or (19): the number inside
        try:
            n = chinese_to_int(next(g for g in m.groups() if g) if m else folded)
        except NumeralError:
            return []
        hits = [s for s in self.units() if s.number == n]
        return hits or [s for s in self.containers() if s.number == n][:1]

    def find(self, ref: str | int) -> Section:
        """A section by eId, by its printed num, or by the number of a unit (19 → item 19).

        Raises KeyError if none matches, or if a bare number is ambiguous (items that
        restart their numbering in each part), naming the candidates.
        """
        if isinstance(ref, bool) or not isinstance(ref, str | int):
            raise TypeError(f"find takes a number, a printed num or an eId, not {type(ref).__name__}")
        hits = self.find_all(ref)
        if len(hits) > 1:  # 2 is 第二条, not 第二条之一 inserted after it (name that by its num or eId)
            plain = [h for h in hits if not (h.num and "条之" in h.num)]
            hits = plain if len(plain) == 1 else hits
        if len(hits) == 1:
            return hits[0]
        sref = str(ref).strip()
        if not hits:
            from scdocs.document.numerals import NumeralError, chinese_to_int

            try:
                n = chinese_to_int(sref)
            except NumeralError:
                raise KeyError(f"no section {sref!r}") from None
            raise KeyError(f"no section numbered {n}")
        shown = ", ".join(h.eid for h in hits[:5]) + (f", … ({len(hits)} in all)" if len(hits) > 5 else "")
        raise KeyError(f"{len(hits)} sections are numbered {sref}; give an eId: {shown}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document from `to_dict()` output (the scdocs JSON format). ValueError names what
        does not fit: another format or version, no text, offsets outside the text or off a section's num."""
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError("an scdocs-document needs its text (the key 'text', a string)")
        if data.get("format", DOCUMENT_FORMAT) != DOCUMENT_FORMAT:
            raise ValueError(f"format {data.get('format')!r} is not {DOCUMENT_FORMAT}")
        if data.get("format_version", DOCUMENT_FORMAT_VERSION) != DOCUMENT_FORMAT_VERSION:
            raise ValueError(f"{DOCUMENT_FORMAT} format version {data.get('format_version')!r} is not supported "
                             f"(this scdocs reads version {DOCUMENT_FORMAT_VERSION})")
        text = data["text"]

        def span(s: dict[str, int] | None) -> Span | None:
            if not s:
                return None
            if not 0 <= s["start"] <= s["end"] <= len(text):
                raise ValueError(f"span offsets {s['start']}–{s['end']} outside the text")
            return Span(s["start"], s["end"], text[s["start"]: s["end"]])

        doc = cls(text, Metadata.from_dict(data.get("metadata") or {}),
                  [Section.from_dict(s, text) for s in data.get("sections", [])],
                  span(data.get("preface")), span(data.get("preamble")), span(data.get("conclusions")),
                  list(data.get("warnings", [])))
        seen: set[str] = set()
        for section in doc.walk():  # eIds name sections in annotations, diffs and Akoma Ntoso: one each
            if section.eid in seen:
                raise ValueError(f"eId {section.eid!r} is used by more than one section")
            seen.add(section.eid)
        return doc

    def to_dict(self) -> dict[str, object]:
        def span(s: Span | None) -> dict[str, int] | None:
            return {"start": s.start, "end": s.end} if s else None

        return {
            "format": DOCUMENT_FORMAT,
            "format_version": DOCUMENT_FORMAT_VERSION,
            "metadata": self.meta.to_dict(),
            "text": self.text,
            "preface": span(self.preface),
            "preamble": span(self.preamble),
            "conclusions": span(self.conclusions),
            "sections": [s.to_dict() for s in self.body],
            "warnings": list(self.warnings),
        }
