"""Akoma Ntoso 3.0 ⇄ `Document`: lossless for files scdocs writes, sensible for other tools' files.

Writing. Laws and regulations (documents with articles) become ``<act>``; everything else
(opinions, notices: items grouped in parts) becomes ``<doc name="opinions">`` with a
``<mainBody>``, because AKN's ``<act>`` is for legislation and its ``<body>`` cannot hold
free-standing paragraphs. Items have no AKN element of their own (AKN's ``<item>`` belongs
to lists), so they are ``<hcontainer name="item">``. Every section's eId is its `Section.eid`.

Losslessness. The canonical text is cut into *fragments*, the ``<num>``, ``<heading>`` and
``<p>`` elements in document order, each holding its characters verbatim. What lies between
two fragments (normally one newline) is their *joiner*; a fragment whose joiner is not a
newline says so in ``scdocs:before`` (the ideographic space between 第三条 and its text, the
empty string between （一） and its text). A section's start and end are the start of its
first fragment and the end of its last, so reading rebuilds text and offsets from the XML
hierarchy alone. A run-in heading (（一）指导思想。…) stays inside its paragraph and its
``<heading>`` is marked ``scdocs:inText="false"``, as is a title added only for AKN readers.
Characters XML cannot hold (form feeds, NULs) are ``<span scdocs:char="12"/>`` placeholders.
Metadata and the format version sit in ``<proprietary source="#scdocs">``; the FRBR URIs
(`frbr_uri`, `expression_uri`) follow cobalt's naming, see `scdocs.formats.frbr`: the work is
dated by its first enactment, the expression and manifestation by this version's date.

The reader is `scdocs.readers.akn`; the vocabulary both share (namespaces, element ↔ kind) is here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from lxml import etree

from scdocs.document.model import Document, Section, Span
from scdocs.document.numerals import number_of
from scdocs.errors import ScdocsError
from scdocs.formats.frbr import document_type, frbr_uri, xsd_date
from scdocs.formats.xmltext import ILLEGAL, xml_safe

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: Namespace of scdocs' own attributes and metadata (a private URN: no one resolves it).
SCDOCS_NS = "urn:scdocs:akn"
FORMAT = "scdocs-akn"
FORMAT_VERSION = 1

#: Section kind → (AKN element, value of its name attribute).
ELEMENT_FOR_KIND: dict[str, tuple[str, str | None]] = {
    "book": ("book", None), "part": ("part", None), "chapter": ("chapter", None),
    "section": ("section", None), "article": ("article", None), "item": ("hcontainer", "item"),
    "paragraph": ("paragraph", None), "point": ("point", None), "subpoint": ("point", None),
}
_BASE_KINDS = {"book", "part", "chapter", "section", "article", "paragraph", "point"}


def akn_name(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def scdocs_name(name: str) -> str:
    return f"{{{SCDOCS_NS}}}{name}"


def _clean(value: str) -> str:
    """A value for a standard AKN attribute: what XML cannot hold becomes U+FFFD (the exact
    value is kept in the proprietary block)."""
    return xml_safe(value)


def base_kind(tag: str, name: str | None, parent_kind: str | None) -> str | None:
    """The section kind an AKN element stands for, before any scdocs:kind override."""
    if tag == "hcontainer":
        return "item" if name == "item" else None
    if tag not in _BASE_KINDS:
        return None
    if tag == "point" and parent_kind in ("point", "subpoint"):
        return "subpoint"
    return tag


def default_number(num: str | None, kind: str, siblings: Sequence[Section]) -> int | None:
    """The number a reader infers: the numeral of the num, else the position among same-kind siblings."""
    if num is not None:
        return number_of(num)
    return 1 + sum(1 for s in siblings if s.kind == kind)


# --------------------------------------------------------------------------------------------
# Writing


class _Writer:
    """Emits fragments in text order, recording each joiner that is not the default newline."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.pos = 0
        self.count = 0

    def fragment(self, el: etree._Element, start: int, end: int, holder: etree._Element | None = None,
                 where: str = "") -> None:
        if start < self.pos or end < start:
            raise ScdocsError(f"{self.doc.meta.source or '<document>'}: cannot write Akoma Ntoso: "
                              f"{where or 'a span'} overlaps the text before it (offsets {start}-{end})")
        joiner = self.text[self.pos:start]
        if joiner != ("\n" if self.count else ""):
            _set_attr_text(el, "before", joiner)
        _set_text(holder if holder is not None else el, self.text[start:end])
        self.pos = end
        self.count += 1

    def segments(self, start: int, end: int, continuation: bool) -> list[tuple[int, int]]:
        """The non-blank lines of text[start:end]; a continued line loses its leading blanks."""
        out = []
        i = start
        while True:
            nl = self.text.find("\n", i, end)
            stop = end if nl < 0 else nl
            a = i
            if continuation and i == start:
                while a < stop and self.text[a].isspace():
                    a += 1
            if self.text[a:stop].strip():
                out.append((a, stop))
            if nl < 0:
                return out
            i = nl + 1

    def paragraphs(self, parent: etree._Element, segs: list[tuple[int, int]], where: str,
                   tag: str = "p") -> None:
        for a, b in segs:
            self.fragment(etree.SubElement(parent, akn_name(tag)), a, b, where=where)

    def span(self, parent: etree._Element, span: Span, where: str) -> None:
        """Preface, preamble or conclusions: one <p> per line; title and 发文字号 lines marked up."""
        title, number = self.doc.meta.title, self.doc.meta.doc_number
        for a, b in self.segments(span.start, span.end, False):
            line = self.text[a:b]
            if title and line == title and where == "preface":
                p = etree.SubElement(etree.SubElement(parent, akn_name("longTitle")), akn_name("p"))
                self.fragment(p, a, b, etree.SubElement(p, akn_name("docTitle")), where)
                title = ""
            elif number and line == number:
                p = etree.SubElement(parent, akn_name("p"))
                self.fragment(p, a, b, etree.SubElement(p, akn_name("docNumber")), where)
                number = ""
            else:
                self.fragment(etree.SubElement(parent, akn_name("p")), a, b, where=where)

    def section(self, parent: etree._Element, s: Section, siblings: Sequence[Section],
                parent_kind: str | None) -> None:
        if s.kind not in ELEMENT_FOR_KIND:
            raise ScdocsError(f"cannot write Akoma Ntoso: unknown section kind {s.kind!r} ({s.eid})")
        tag, name = ELEMENT_FOR_KIND[s.kind]
        el = etree.SubElement(parent, akn_name(tag))
        if name:
            el.set("name", name)
        el.set("eId", s.eid)
        if base_kind(tag, name, parent_kind) != s.kind:
            el.set(scdocs_name("kind"), s.kind)
        if s.number != default_number(s.num, s.kind, siblings):
            el.set(scdocs_name("number"), "" if s.number is None else str(s.number))
        text = self.text
        pos = s.start
        children = s.subsections
        head_end = children[0].start if children else s.end
        first = self.count
        if s.num is not None:
            num_el = etree.SubElement(el, akn_name("num"))
            if s.num and text.startswith(s.num, pos) and pos + len(s.num) <= head_end and pos >= self.pos:
                self.fragment(num_el, pos, pos + len(s.num), where=s.eid)
                pos += len(s.num)
            else:
                _set_text(num_el, s.num)
                num_el.set(scdocs_name("inText"), "false")
        if s.heading is not None:
            h_el = etree.SubElement(el, akn_name("heading"))
            line_end = text.find("\n", pos, head_end)
            line_end = head_end if line_end < 0 else line_end
            idx = text.find(s.heading, pos, line_end) if s.heading else -1
            if (idx >= self.pos and _is_separator(text[pos:idx])
                    and not text[idx + len(s.heading):line_end].strip()):
                self.fragment(h_el, idx, idx + len(s.heading), where=s.eid)
                pos = idx + len(s.heading)
            else:  # run-in: the heading is the first words of the text, which stays whole
                _set_text(h_el, s.heading)
                h_el.set(scdocs_name("inText"), "false")
        own = self.segments(pos, head_end, pos > s.start)
        if children:
            if own:
                self.paragraphs(etree.SubElement(el, akn_name("intro")), own, s.eid)
            elif self.count == first and s.start < head_end and s.start >= self.pos:
                # nothing of its own but it starts before its first child (a num-only line):
                # an empty <p/> marks where it starts
                intro = etree.SubElement(el, akn_name("intro"))
                self.fragment(etree.SubElement(intro, akn_name("p")), s.start, s.start, where=s.eid)
            for i, child in enumerate(children):
                if i:  # text between two children (never produced by structure.parse)
                    self.paragraphs(el, self.segments(children[i - 1].end, child.start, True), s.eid,
                                    "crossHeading")
                self.section(el, child, children[:i], s.kind)
            tail = self.segments(children[-1].end, s.end, True)
            holder = etree.SubElement(el, akn_name("wrapUp")) if tail else None
            if holder is not None:
                self.paragraphs(holder, tail, s.eid)
        else:
            holder = None
            if own or s.kind not in ("book", "part", "chapter", "section"):
                holder = etree.SubElement(el, akn_name("content"))
                self.paragraphs(holder, own, s.eid)
            if self.count == first and s.start >= self.pos:  # an empty section: an empty <p/> marks its place
                holder = etree.SubElement(el, akn_name("content")) if holder is None else holder
                self.fragment(etree.SubElement(holder, akn_name("p")), s.start, s.start, where=s.eid)
        if self.count > first and self.pos < s.end:
            # blanks after a num or heading at the very end of the section: kept so its end is exact
            if holder is None:
                holder = etree.SubElement(el, akn_name("wrapUp" if children else "content"))
            self.fragment(etree.SubElement(holder, akn_name("p")), self.pos, s.end, where=s.eid)


def _is_separator(sep: str) -> bool:
    """Whether the characters between a num and a heading only separate them (space, colon, dot)."""
    return len(sep) <= 8 and not any(ch.isalnum() for ch in sep)


def _set_text(el: etree._Element, value: str) -> None:
    """Set the text of an inline element, with placeholders for characters XML cannot hold."""
    pieces = ILLEGAL.split(value)
    if len(pieces) == 1:
        el.text = value
        return
    el.text = pieces[0]
    for ch, piece in zip(ILLEGAL.findall(value), pieces[1:], strict=True):
        span = etree.SubElement(el, akn_name("span"))
        span.set(scdocs_name("char"), str(ord(ch)))
        span.tail = piece


def _set_attr_text(el: etree._Element, name: str, value: str) -> None:
    """An scdocs attribute holding text, JSON-escaped if XML cannot hold it as it is."""
    if ILLEGAL.search(value):
        el.set(scdocs_name(name + "Json"), json.dumps(value))
    else:
        el.set(scdocs_name(name), value)


def _value(parent: etree._Element, name: str, value: str, **attrs: str) -> etree._Element:
    """An scdocs metadata element holding `value` (JSON-escaped if XML cannot hold it)."""
    el = etree.SubElement(parent, scdocs_name(name), attrs)
    if ILLEGAL.search(value):
        el.set("json", "1")
        el.text = json.dumps(value)
    else:
        el.text = value
    return el




def free_eid(wanted: str, used: set[str]) -> str:
    eid, k = wanted, 2
    while eid in used:
        eid = f"{wanted}-{k}"
        k += 1
    used.add(eid)
    return eid


def _frbr_date(value: str) -> tuple[str, str]:
    """(date, name) for an FRBRdate, which needs a full date: the date itself ("Generation"), the
    first day of the year or month that is known ("approximate"), or a marker ("unknown")."""
    date = xsd_date(value)
    if date:
        return date, "Generation"
    known = re.match(r"^([0-9]{4})(?:-([0-9]{2}))?", (value or "").strip())
    date = (xsd_date(f"{known[1]}-{known[2]}-01") or xsd_date(f"{known[1]}-01-01")) if known else None
    return (date, "approximate") if date else ("0001-01-01", "unknown")


def _meta(doc: Document, tail: str) -> etree._Element:
    """<meta>: FRBR identification, the issuer as a TLCOrganization, scdocs' own metadata."""
    m = doc.meta
    used = {s.eid for s in doc.walk()}
    me = free_eid("scdocs", used)
    issuer = free_eid("issuer", used) if m.issuer.strip() else me
    frbr = frbr_uri(doc)
    country = frbr.country.split("-")[0]

    meta = etree.Element(akn_name("meta"))
    ident = etree.SubElement(meta, akn_name("identification"), source=f"#{me}")

    def core(parent: etree._Element, this: str, uri: str, author: str, when: str, name: str = "") -> None:
        etree.SubElement(parent, akn_name("FRBRthis"), value=this)
        etree.SubElement(parent, akn_name("FRBRuri"), value=uri)
        if m.title and parent.tag == akn_name("FRBRWork"):
            etree.SubElement(parent, akn_name("FRBRalias"), value=_clean(m.title), name="title")
        date, date_name = _frbr_date(when)
        etree.SubElement(parent, akn_name("FRBRdate"), date=date, name=name or date_name)
        etree.SubElement(parent, akn_name("FRBRauthor"), href=f"#{author}")

    work = etree.SubElement(ident, akn_name("FRBRWork"))
    core(work, f"{frbr.work_uri()}/!main", frbr.work_uri(), issuer, frbr.date)
    etree.SubElement(work, akn_name("FRBRcountry"), value=country)
    if frbr.subtype:
        etree.SubElement(work, akn_name("FRBRsubtype"), value=frbr.subtype)
    etree.SubElement(work, akn_name("FRBRnumber"), value=frbr.number)
    if m.title:
        etree.SubElement(work, akn_name("FRBRname"), value=_clean(m.title))
    expr = etree.SubElement(ident, akn_name("FRBRExpression"))
    core(expr, f"{frbr.expression_uri()}/!main", frbr.expression_uri(), issuer, m.date)
    etree.SubElement(expr, akn_name("FRBRlanguage"), language=frbr.language)
    manif = etree.SubElement(ident, akn_name("FRBRManifestation"))
    # Its FRBRuri is the expression's, as cobalt writes it: cobalt reads ``…/zho@2023-12-29.akn`` as
    # an expression dated "2023-12-29.akn".
    core(manif, frbr.manifestation_uri(), frbr.expression_uri(), me, m.date, "Transformation")
    etree.SubElement(manif, akn_name("FRBRformat"), value="application/akn+xml")

    refs = etree.SubElement(meta, akn_name("references"), source=f"#{me}")
    etree.SubElement(refs, akn_name("TLCOrganization"), eId=me, href="/ontology/organization/scdocs",
                     showAs="scdocs")
    if issuer != me:
        name = _clean(m.issuer.strip())
        etree.SubElement(refs, akn_name("TLCOrganization"), eId=issuer,
                         href=f"/ontology/organization/{country}/{quote(name, safe='')}", showAs=name)

    prop = etree.SubElement(meta, akn_name("proprietary"), source=f"#{me}")
    block = etree.SubElement(prop, scdocs_name("document"), format=FORMAT, formatVersion=str(FORMAT_VERSION))
    for key in ("title", "issuer", "date", "doc_number", "language", "kind", "source"):
        _value(block, "docNumber" if key == "doc_number" else key, getattr(m, key))
    for key, value in m.extra.items():
        if ILLEGAL.search(key):
            _value(block, "extra", json.dumps([key, value]), pair="json")
        else:
            _value(block, "extra", value, key=key)
    for warning in doc.warnings:
        _value(block, "warning", warning)
    text_el = etree.SubElement(block, scdocs_name("text"), length=str(len(doc.text)),
                               sha256=hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest())
    if tail:
        _set_attr_text(text_el, "tail", tail)
    return meta


def _indent(el: etree._Element, level: int = 0) -> None:
    """Indent element-only content for people reading the file, never touching fragment text."""
    if len(el) == 0 or el.tag in (akn_name("p"), akn_name("num"), akn_name("heading"), akn_name("crossHeading")):
        return
    if (el.text or "").strip() or any((c.tail or "").strip() for c in el):
        return  # mixed content: whitespace there is text
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        _indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


def to_akn(doc: Document) -> bytes:
    """The document as Akoma Ntoso 3.0 XML (UTF-8), from which `read_akn` restores it exactly."""
    doctype, name, _ = document_type(doc)
    root = etree.Element(akn_name("akomaNtoso"), nsmap={None: AKN_NS, "scdocs": SCDOCS_NS})
    top = etree.SubElement(root, akn_name(doctype), name=name)
    w = _Writer(doc)
    title_in_preface = (doc.preface is not None
                        and doc.meta.title in doc.text[doc.preface.start:doc.preface.end].split("\n"))
    if doc.preface or doc.meta.title:
        preface = etree.SubElement(top, akn_name("preface"))
        if doc.meta.title and not title_in_preface:  # for AKN readers only: not part of the text
            p = etree.SubElement(etree.SubElement(preface, akn_name("longTitle")), akn_name("p"))
            p.set(scdocs_name("inText"), "false")
            _set_text(etree.SubElement(p, akn_name("docTitle")), doc.meta.title)
        if doc.preface:
            w.span(preface, doc.preface, "preface")
    if doc.preamble:
        w.span(etree.SubElement(top, akn_name("preamble")), doc.preamble, "preamble")
    body = etree.SubElement(top, akn_name("body" if doctype == "act" else "mainBody"))
    for i, section in enumerate(doc.body):
        w.section(body, section, doc.body[:i], None)
    if not doc.body:  # mainBody needs content; an empty paragraph that is not part of the text
        etree.SubElement(body, akn_name("p")).set(scdocs_name("inText"), "false")
    if doc.conclusions:
        w.span(etree.SubElement(top, akn_name("conclusions")), doc.conclusions, "conclusions")
    top.insert(0, _meta(doc, doc.text[w.pos:]))
    _indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8",
                                                                      xml_declaration=False) + b"\n"
