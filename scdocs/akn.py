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
(`frbr_uri`, `expression_uri`) follow cobalt's naming, see `scdocs.uri`.

Reading AKN from other tools (no scdocs block): text is rebuilt from the same elements in
document order, one line per paragraph, a num joined to the text that follows it; kinds come
from element names, numbers from ``<num>``.

Safety: user XML is parsed without DTD loading, entity resolution or network access, and any
document whose DOCTYPE declares entities is refused (external-entity reads, entity bombs).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from .errors import InputError, ScdocsError
from .model import KINDS, UNIT_KINDS, Document, Metadata, Section, Span
from .numerals import number_of
from .uri import FrbrUri, document_number, language_code, language_from_code, slug, uri_date, xsd_date
from .xmltext import ILLEGAL, xml_safe

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
#: Extra mappings for AKN written by other tools (EU-, UK- and Africa-style hierarchies).
_FOREIGN_KINDS = {"subsection": "paragraph", "subparagraph": "point", "clause": "point",
                  "subclause": "subpoint", "rule": "article", "subrule": "paragraph",
                  "alinea": "paragraph", "indent": "point"}
#: Elements whose text is one fragment of the canonical text.
_FRAGMENTS = {"p", "num", "heading", "subheading", "crossHeading", "listIntroduction", "listWrapUp",
              "block", "tocItem", "li"}
_SKIPPED = {"meta", "attachments", "components", "componentRef", "authorialNote", "foreign", "img",
            "object", "embeddedStructure", "subFlow"}
_BODIES = {"body", "mainBody", "judgmentBody", "debateBody", "amendmentBody", "collectionBody",
           "portionBody"}
_DOC_TYPES = {"act", "bill", "doc", "statement", "judgment", "debate", "debateReport", "amendment",
              "amendmentList", "officialGazette", "documentCollection", "portion"}
_NO_FRAGMENT = {"eol", "eop", "br"}
#: Characters XML 1.0 cannot carry (lxml refuses to serialise them).
_XML_WS = re.compile(r"[ \t\r\n]+")
ENTITY_PROBLEM = "XML declares entities (DOCTYPE with ENTITY); refused for safety"


def _a(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def _s(name: str) -> str:
    return f"{{{SCDOCS_NS}}}{name}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _clean(value: str) -> str:
    """A value for a standard AKN attribute: what XML cannot hold becomes U+FFFD (the exact
    value is kept in the proprietary block)."""
    return xml_safe(value)


def _base_kind(tag: str, name: str | None, parent_kind: str | None) -> str | None:
    """The section kind an AKN element stands for, before any scdocs:kind override."""
    if tag == "hcontainer":
        return "item" if name == "item" else None
    if tag not in _BASE_KINDS:
        return None
    if tag == "point" and parent_kind in ("point", "subpoint"):
        return "subpoint"
    return tag


def _default_number(num: str | None, kind: str, siblings: list[Section]) -> int | None:
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
            self.fragment(etree.SubElement(parent, _a(tag)), a, b, where=where)

    def span(self, parent: etree._Element, span: Span, where: str) -> None:
        """Preface, preamble or conclusions: one <p> per line; title and 发文字号 lines marked up."""
        title, number = self.doc.meta.title, self.doc.meta.doc_number
        for a, b in self.segments(span.start, span.end, False):
            line = self.text[a:b]
            if title and line == title and where == "preface":
                p = etree.SubElement(etree.SubElement(parent, _a("longTitle")), _a("p"))
                self.fragment(p, a, b, etree.SubElement(p, _a("docTitle")), where)
                title = ""
            elif number and line == number:
                p = etree.SubElement(parent, _a("p"))
                self.fragment(p, a, b, etree.SubElement(p, _a("docNumber")), where)
                number = ""
            else:
                self.fragment(etree.SubElement(parent, _a("p")), a, b, where=where)

    def section(self, parent: etree._Element, s: Section, siblings: list[Section],
                parent_kind: str | None) -> None:
        if s.kind not in ELEMENT_FOR_KIND:
            raise ScdocsError(f"cannot write Akoma Ntoso: unknown section kind {s.kind!r} ({s.eid})")
        tag, name = ELEMENT_FOR_KIND[s.kind]
        el = etree.SubElement(parent, _a(tag))
        if name:
            el.set("name", name)
        el.set("eId", s.eid)
        if _base_kind(tag, name, parent_kind) != s.kind:
            el.set(_s("kind"), s.kind)
        if s.number != _default_number(s.num, s.kind, siblings):
            el.set(_s("number"), "" if s.number is None else str(s.number))
        text = self.text
        pos = s.start
        head_end = s.children[0].start if s.children else s.end
        first = self.count
        if s.num is not None:
            num_el = etree.SubElement(el, _a("num"))
            if s.num and text.startswith(s.num, pos) and pos + len(s.num) <= head_end and pos >= self.pos:
                self.fragment(num_el, pos, pos + len(s.num), where=s.eid)
                pos += len(s.num)
            else:
                _set_text(num_el, s.num)
                num_el.set(_s("inText"), "false")
        if s.heading is not None:
            h_el = etree.SubElement(el, _a("heading"))
            line_end = text.find("\n", pos, head_end)
            line_end = head_end if line_end < 0 else line_end
            idx = text.find(s.heading, pos, line_end) if s.heading else -1
            if (idx >= self.pos and _is_separator(text[pos:idx])
                    and not text[idx + len(s.heading):line_end].strip()):
                self.fragment(h_el, idx, idx + len(s.heading), where=s.eid)
                pos = idx + len(s.heading)
            else:  # run-in: the heading is the first words of the text, which stays whole
                _set_text(h_el, s.heading)
                h_el.set(_s("inText"), "false")
        own = self.segments(pos, head_end, pos > s.start)
        if s.children:
            if own:
                self.paragraphs(etree.SubElement(el, _a("intro")), own, s.eid)
            elif self.count == first and s.start < head_end and s.start >= self.pos:
                # nothing of its own but it starts before its first child (a num-only line):
                # an empty <p/> marks where it starts
                self.fragment(etree.SubElement(etree.SubElement(el, _a("intro")), _a("p")), s.start, s.start,
                              where=s.eid)
            for i, child in enumerate(s.children):
                if i:  # text between two children (never produced by structure.parse)
                    self.paragraphs(el, self.segments(s.children[i - 1].end, child.start, True), s.eid,
                                    "crossHeading")
                self.section(el, child, s.children[:i], s.kind)
            tail = self.segments(s.children[-1].end, s.end, True)
            holder = etree.SubElement(el, _a("wrapUp")) if tail else None
            if holder is not None:
                self.paragraphs(holder, tail, s.eid)
        else:
            holder = None
            if own or s.kind not in ("book", "part", "chapter", "section"):
                holder = etree.SubElement(el, _a("content"))
                self.paragraphs(holder, own, s.eid)
            if self.count == first and s.start >= self.pos:  # an empty section: an empty <p/> marks its place
                holder = etree.SubElement(el, _a("content")) if holder is None else holder
                self.fragment(etree.SubElement(holder, _a("p")), s.start, s.start, where=s.eid)
        if self.count > first and self.pos < s.end:
            # blanks after a num or heading at the very end of the section: kept so its end is exact
            if holder is None:
                holder = etree.SubElement(el, _a("wrapUp" if s.children else "content"))
            self.fragment(etree.SubElement(holder, _a("p")), self.pos, s.end, where=s.eid)


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
        span = etree.SubElement(el, _a("span"))
        span.set(_s("char"), str(ord(ch)))
        span.tail = piece


def _set_attr_text(el: etree._Element, name: str, value: str) -> None:
    """An scdocs attribute holding text, JSON-escaped if XML cannot hold it as it is."""
    if ILLEGAL.search(value):
        el.set(_s(name + "Json"), json.dumps(value))
    else:
        el.set(_s(name), value)


def _value(parent: etree._Element, name: str, value: str, **attrs: str) -> etree._Element:
    """An scdocs metadata element holding `value` (JSON-escaped if XML cannot hold it)."""
    el = etree.SubElement(parent, _s(name), **attrs)
    if ILLEGAL.search(value):
        el.set("json", "1")
        el.text = json.dumps(value)
    else:
        el.text = value
    return el


def _document_type(doc: Document) -> tuple[str, str, str]:
    """(AKN document element, its name attribute, FRBR subtype) for a document."""
    kind = _clean(doc.meta.kind.strip())
    if any(s.kind == "article" for s in doc.walk()):
        subtype = slug(kind) if kind and kind not in ("law", "act") else ""
        return "act", kind or "act", subtype
    name = kind or ("opinions" if doc.unit_kind == "item" else "document")
    return "doc", name, slug(name) or "document"


def frbr_uri(doc: Document) -> FrbrUri:
    """The FRBR URI `to_akn` names a document with: the one it was read with, else one made from
    its metadata (``/akn/cn/act/2021-08-20/pipl-2021``, ``/akn/cn/doc/opinions/…``)."""
    m = doc.meta
    known = m.extra.get("frbr_expression", "")
    if known:
        try:
            return FrbrUri.parse(known)
        except ValueError:
            pass
    doctype, _, subtype = _document_type(doc)
    return FrbrUri(doctype=doctype, subtype=subtype, date=uri_date(m.date),
                   number=document_number(m.source, m.doc_number, m.title or doc.text[:200]),
                   language=language_code(m.language))


def expression_uri(doc: Document) -> str:
    """The FRBR expression URI of a document (this language version at this date)."""
    return frbr_uri(doc).expression


def _free_eid(wanted: str, used: set[str]) -> str:
    eid, k = wanted, 2
    while eid in used:
        eid = f"{wanted}-{k}"
        k += 1
    used.add(eid)
    return eid


def _meta(doc: Document, tail: str) -> etree._Element:
    """<meta>: FRBR identification, the issuer as a TLCOrganization, scdocs' own metadata."""
    m = doc.meta
    used = {s.eid for s in doc.walk()}
    me = _free_eid("scdocs", used)
    issuer = _free_eid("issuer", used) if m.issuer.strip() else me
    frbr = frbr_uri(doc)
    country = frbr.country.split("-")[0]
    date, date_name = xsd_date(m.date), "Generation"
    if not date:  # FRBRdate needs a full date: the first day of what is known, or a marker
        known = re.match(r"^([0-9]{4})(?:-([0-9]{2}))?", m.date.strip())
        date = (xsd_date(f"{known[1]}-{known[2]}-01") or xsd_date(f"{known[1]}-01-01")) if known else None
        date, date_name = (date, "approximate") if date else ("0001-01-01", "unknown")

    meta = etree.Element(_a("meta"))
    ident = etree.SubElement(meta, _a("identification"), source=f"#{me}")

    def core(parent: etree._Element, this: str, uri: str, author: str, name: str = date_name) -> None:
        etree.SubElement(parent, _a("FRBRthis"), value=this)
        etree.SubElement(parent, _a("FRBRuri"), value=uri)
        if m.title and parent.tag == _a("FRBRWork"):
            etree.SubElement(parent, _a("FRBRalias"), value=_clean(m.title), name="title")
        etree.SubElement(parent, _a("FRBRdate"), date=date, name=name)
        etree.SubElement(parent, _a("FRBRauthor"), href=f"#{author}")

    work = etree.SubElement(ident, _a("FRBRWork"))
    core(work, f"{frbr.work}/!main", frbr.work, issuer)
    etree.SubElement(work, _a("FRBRcountry"), value=country)
    if frbr.subtype:
        etree.SubElement(work, _a("FRBRsubtype"), value=frbr.subtype)
    etree.SubElement(work, _a("FRBRnumber"), value=frbr.number)
    if m.title:
        etree.SubElement(work, _a("FRBRname"), value=_clean(m.title))
    expr = etree.SubElement(ident, _a("FRBRExpression"))
    core(expr, f"{frbr.expression}/!main", frbr.expression, issuer)
    etree.SubElement(expr, _a("FRBRlanguage"), language=frbr.language)
    manif = etree.SubElement(ident, _a("FRBRManifestation"))
    core(manif, frbr.manifestation, f"{frbr.expression}.akn", me, "Transformation")
    etree.SubElement(manif, _a("FRBRformat"), value="application/akn+xml")

    refs = etree.SubElement(meta, _a("references"), source=f"#{me}")
    etree.SubElement(refs, _a("TLCOrganization"), eId=me, href="/ontology/organization/scdocs",
                     showAs="scdocs")
    if issuer != me:
        name = _clean(m.issuer.strip())
        etree.SubElement(refs, _a("TLCOrganization"), eId=issuer,
                         href=f"/ontology/organization/{country}/{quote(name, safe='')}", showAs=name)

    prop = etree.SubElement(meta, _a("proprietary"), source=f"#{me}")
    block = etree.SubElement(prop, _s("document"), format=FORMAT, formatVersion=str(FORMAT_VERSION))
    for key in ("title", "issuer", "date", "doc_number", "language", "kind", "source"):
        _value(block, "docNumber" if key == "doc_number" else key, getattr(m, key))
    for key, value in m.extra.items():
        if ILLEGAL.search(key):
            _value(block, "extra", json.dumps([key, value]), pair="json")
        else:
            _value(block, "extra", value, key=key)
    for warning in doc.warnings:
        _value(block, "warning", warning)
    text_el = etree.SubElement(block, _s("text"), length=str(len(doc.text)),
                               sha256=hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest())
    if tail:
        _set_attr_text(text_el, "tail", tail)
    return meta


def _indent(el: etree._Element, level: int = 0) -> None:
    """Indent element-only content for people reading the file, never touching fragment text."""
    if len(el) == 0 or el.tag in (_a("p"), _a("num"), _a("heading"), _a("crossHeading")):
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
    doctype, name, _ = _document_type(doc)
    root = etree.Element(_a("akomaNtoso"), nsmap={None: AKN_NS, "scdocs": SCDOCS_NS})
    top = etree.SubElement(root, _a(doctype), name=name)
    w = _Writer(doc)
    title_in_preface = bool(doc.preface) and doc.meta.title in doc.text[doc.preface.start:doc.preface.end].split("\n")
    if doc.preface or doc.meta.title:
        preface = etree.SubElement(top, _a("preface"))
        if doc.meta.title and not title_in_preface:  # for AKN readers only: not part of the text
            p = etree.SubElement(etree.SubElement(preface, _a("longTitle")), _a("p"))
            p.set(_s("inText"), "false")
            _set_text(etree.SubElement(p, _a("docTitle")), doc.meta.title)
        if doc.preface:
            w.span(preface, doc.preface, "preface")
    if doc.preamble:
        w.span(etree.SubElement(top, _a("preamble")), doc.preamble, "preamble")
    body = etree.SubElement(top, _a("body" if doctype == "act" else "mainBody"))
    for i, section in enumerate(doc.body):
        w.section(body, section, doc.body[:i], None)
    if not doc.body:  # mainBody needs content; an empty paragraph that is not part of the text
        etree.SubElement(body, _a("p")).set(_s("inText"), "false")
    if doc.conclusions:
        w.span(etree.SubElement(top, _a("conclusions")), doc.conclusions, "conclusions")
    top.insert(0, _meta(doc, doc.text[w.pos:]))
    _indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8",
                                                                      xml_declaration=False) + b"\n"


# --------------------------------------------------------------------------------------------
# Reading


def _parse_xml(data: bytes, source: str) -> etree._Element:
    """Parse untrusted XML: no DTDs, no entities, no network; one-line errors naming the source."""
    if _declares_entities(data):
        raise InputError(source, ENTITY_PROBLEM)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"malformed XML: {' '.join((exc.msg or str(exc)).split())}") from None
    except (etree.LxmlError, ValueError) as exc:
        raise InputError(source, f"cannot parse XML: {' '.join(str(exc).split())}") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(source, ENTITY_PROBLEM)
    if any(True for _ in root.iter(etree.Entity)):
        raise InputError(source, "XML refers to entities that are not declared; refused for safety")
    return root


def _declares_entities(data: bytes) -> bool:
    """Whether a DOCTYPE declares entities, found before parsing so bombs never reach the parser."""
    blobs: list[str | bytes] = [data]
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        # Every wide encoding is tried (a BOM-less UTF-16BE decodes "successfully" as UTF-16LE garbage).
        for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"):
            try:
                blobs.append(data.decode(codec))
            except UnicodeDecodeError:
                continue
    for blob in blobs:
        if isinstance(blob, bytes):
            if b"<!DOCTYPE" in blob and b"<!ENTITY" in blob:
                return True
        elif "<!DOCTYPE" in blob and "<!ENTITY" in blob:
            return True
    return False


@dataclass
class _Region:
    first: int = -1
    last: int = -1


@dataclass
class _Reader:
    """Walks an AKN document in order, rebuilding the canonical text fragment by fragment."""

    source: str
    exact: bool
    sections_are_units: bool = False
    parts: list[str] = field(default_factory=list)
    length: int = 0
    frags: list[tuple[int, int]] = field(default_factory=list)
    prev: str = ""  # kind of the previous fragment (foreign mode joins a num to what follows)
    prev_text: str = ""
    depth: int = 0
    strays: list[tuple[int, int]] = field(default_factory=list)  # (fragment, top-level sections before)
    in_body: bool = False
    used: set[str] = field(default_factory=set)
    top: list[Section] = field(default_factory=list)

    def text_of(self, el: etree._Element) -> str:
        raw = _inline_text(el, self.source)
        return raw if self.exact else _XML_WS.sub(" ", raw).strip(" ")

    def add(self, el: etree._Element, kind: str) -> None:
        text = self.text_of(el)
        if not self.exact and not text:
            return
        if self.exact:
            joiner = _attr_text(el, "before", self.source)
            joiner = ("\n" if self.frags else "") if joiner is None else joiner
        elif not self.frags:
            joiner = ""
        elif self.prev == "num" and kind != "num":
            joiner = _num_separator(self.prev_text)
        else:
            joiner = "\n"
        self.parts.append(joiner)
        self.length += len(joiner)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if self.in_body and self.depth == 0:
            self.strays.append((len(self.frags), len(self.top)))
        self.frags.append((start, self.length))
        self.prev = "num" if kind == "num" else ("heading" if kind in ("heading", "subheading") else "text")
        self.prev_text = text

    def kind_of(self, el: etree._Element, parent_kind: str | None) -> str | None:
        tag = _local(el)
        if self.exact and el.get(_s("kind")) is not None:
            kind = el.get(_s("kind"), "")
            if kind not in KINDS:
                raise InputError(self.source, f"unknown scdocs:kind {kind!r} on <{tag}>")
            return kind
        kind = _base_kind(tag, el.get("name"), parent_kind)
        if not self.exact:  # other tools' hierarchies: map by name, then by nesting
            if self.sections_are_units and tag in ("section", "subsection"):
                kind = "article" if tag == "section" else "paragraph"
            kind = _FOREIGN_KINDS.get(tag, kind)
            if kind == "paragraph" and parent_kind in ("paragraph", "point", "subpoint"):
                kind = "point"
            if kind == "point" and parent_kind in ("point", "subpoint"):
                kind = "subpoint"
        return kind

    def walk(self, el: etree._Element, out: list[Section] | None, parent: Section | None) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            tag = _local(child)
            if tag in _SKIPPED:
                continue
            if tag in _FRAGMENTS and not (tag == "li" and any(_local(c) == "p" for c in child
                                                              if isinstance(c.tag, str))):
                if child.get(_s("inText")) != "false":
                    self.add(child, tag)
                continue
            kind = self.kind_of(child, parent.kind if parent else None) if out is not None else None
            if kind is None:
                self.walk(child, out, parent)
                continue
            assert out is not None
            self.section(child, kind, out, parent)

    def section(self, el: etree._Element, kind: str, out: list[Section], parent: Section | None) -> None:
        num_el = _child(el, "num")
        head_el = _child(el, "heading")
        num = self.text_of(num_el) if num_el is not None else None
        heading = self.text_of(head_el) if head_el is not None else None
        if not self.exact:
            num = num or None
            heading = heading or None
        raw_number = el.get(_s("number")) if self.exact else None
        if raw_number is None:
            number = _default_number(num, kind, out)
        elif raw_number == "":
            number = None
        else:
            try:
                number = int(raw_number)
            except ValueError:
                raise InputError(self.source, f"scdocs:number {raw_number!r} is not an integer") from None
        eid = (el.get("eId") or el.get("id") or "").strip()
        if not eid or (eid in self.used and not self.exact):
            from .structure import EID_PREFIX

            base = f"{EID_PREFIX[kind]}_{number if number is not None else len(out) + 1}"
            eid = f"{parent.eid}__{base}" if parent else base
        eid = _free_eid(eid, self.used)
        section = Section(kind, eid, num, number, heading, 0, 0, "")
        out.append(section)
        if parent is None and self.in_body:
            self.top.append(section)
        first = len(self.frags)
        self.depth += 1
        self.walk(el, section.children, section)
        self.depth -= 1
        if len(self.frags) > first:
            section.start, section.end = self.frags[first][0], self.frags[-1][1]
        else:
            section.start = section.end = self.length

    def region(self, el: etree._Element) -> _Region:
        first = len(self.frags)
        self.walk(el, None, None)
        return _Region(first, len(self.frags) - 1) if len(self.frags) > first else _Region()


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    for c in el:
        if isinstance(c.tag, str) and _local(c) == tag:
            return c
    return None


def _inline_text(el: etree._Element, source: str) -> str:
    """The characters of an inline element, placeholders restored, notes left out."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            code = child.get(_s("char"))
            tag = _local(child)
            if code is not None:
                try:
                    out.append(chr(int(code)))
                except (ValueError, OverflowError):
                    raise InputError(source, f"scdocs:char {code!r} is not a character code") from None
            elif tag in _NO_FRAGMENT:
                out.append(" ")
            elif tag not in _SKIPPED:
                out.append(_inline_text(child, source))
        out.append(child.tail or "")
    return "".join(out)


def _attr_text(el: etree._Element, name: str, source: str) -> str | None:
    if el.get(_s(name + "Json")) is not None:
        try:
            value = json.loads(el.get(_s(name + "Json"), ""))
        except json.JSONDecodeError:
            raise InputError(source, f"scdocs:{name}Json is not a JSON string") from None
        if not isinstance(value, str):
            raise InputError(source, f"scdocs:{name}Json is not a JSON string")
        return value
    return el.get(_s(name))


def _num_separator(num: str) -> str:
    """What joins a num to its text in a canonical line: 第三条　…, （一）…, Article 1 …"""
    if not num or num[-1].isascii():
        return " "
    return "" if unicodedata.category(num[-1]).startswith("P") else "\u3000"


def _meta_value(el: etree._Element, source: str) -> str:
    text = el.text or ""
    if el.get("json") == "1":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise InputError(source, f"scdocs metadata <{_local(el)}> is not valid JSON") from None
        return value if isinstance(value, str) else json.dumps(value)
    return text


def _scdocs_block(meta: etree._Element | None) -> etree._Element | None:
    if meta is None:
        return None
    for prop in meta:
        if isinstance(prop.tag, str) and _local(prop) == "proprietary":
            block = prop.find(_s("document"))
            if block is not None:
                return block
    return None


def _exact_metadata(block: etree._Element, source: str) -> tuple[Metadata, list[str], str, str | None]:
    """Metadata, warnings, trailing text and text digest from scdocs' proprietary block."""
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    warnings: list[str] = []
    text_el = None
    for el in block:
        if not isinstance(el.tag, str) or etree.QName(el).namespace != SCDOCS_NS:
            continue
        tag = _local(el)
        if tag == "extra":
            if el.get("pair") == "json":
                try:
                    key, value = json.loads(_meta_value(el, source))
                except (json.JSONDecodeError, ValueError, TypeError):
                    raise InputError(source, "scdocs metadata <extra> is not a JSON pair") from None
                extra[str(key)] = str(value)
            else:
                extra[el.get("key", "")] = _meta_value(el, source)
        elif tag == "warning":
            warnings.append(_meta_value(el, source))
        elif tag == "text":
            text_el = el
        else:
            values[tag] = _meta_value(el, source)
    meta = Metadata(title=values.get("title", ""), issuer=values.get("issuer", ""), date=values.get("date", ""),
                    doc_number=values.get("docNumber", ""), language=values.get("language", "zh"),
                    kind=values.get("kind", ""), source=values.get("source", source),
                    extra=extra)
    tail = (_attr_text(text_el, "tail", source) or "") if text_el is not None else ""
    digest = text_el.get("sha256") if text_el is not None else None
    return meta, warnings, tail, digest


def _foreign_metadata(doc_el: etree._Element, meta_el: etree._Element | None, source: str,
                      reader: _Reader) -> Metadata:
    """Metadata of an AKN file from another tool: FRBR identification, TLC references, preface."""

    def find(parent: etree._Element | None, *path: str) -> etree._Element | None:
        node = parent
        for tag in path:
            if node is None:
                return None
            node = _child(node, tag)
        return node

    ident = find(meta_el, "identification")
    work = find(ident, "FRBRWork")
    expr = find(ident, "FRBRExpression")
    title_el = next((e for e in doc_el.iter() if isinstance(e.tag, str) and _local(e) == "docTitle"), None)
    number_el = next((e for e in doc_el.iter() if isinstance(e.tag, str) and _local(e) == "docNumber"), None)
    title = reader.text_of(title_el) if title_el is not None else ""
    if not title:
        for el in (find(work, "FRBRname"), find(work, "FRBRalias")):
            if el is not None and el.get("value"):
                title = el.get("value", "")
                break
    date = ""
    for el in (find(expr, "FRBRdate"), find(work, "FRBRdate")):
        if el is not None and el.get("date") and el.get("name") != "unknown":
            date = el.get("date", "")[:10]
            break
    issuer = ""
    author = find(work, "FRBRauthor")
    if author is not None and (author.get("href") or "").startswith("#"):
        ref = author.get("href", "")[1:]
        for refs in (c for c in (meta_el if meta_el is not None else []) if isinstance(c.tag, str)
                     and _local(c) == "references"):
            for tlc in refs:
                if isinstance(tlc.tag, str) and tlc.get("eId") == ref:
                    issuer = tlc.get("showAs", "")
    lang = find(expr, "FRBRlanguage")
    subtype = find(work, "FRBRsubtype")
    extra: dict[str, str] = {}
    for key, el in (("frbr_work", find(work, "FRBRuri")), ("frbr_expression", find(expr, "FRBRuri"))):
        if el is not None and el.get("value"):
            extra[key] = el.get("value", "")
    return Metadata(title=title, issuer=issuer, date=date,
                    doc_number=reader.text_of(number_el) if number_el is not None else "",
                    language=language_from_code(lang.get("language", "")) if lang is not None else "zh",
                    kind=(subtype.get("value") if subtype is not None else None) or doc_el.get("name", ""),
                    source=source, extra=extra)


def read_akn(data: bytes, source: str = "<bytes>") -> Document:
    """Read Akoma Ntoso XML: exactly what `to_akn` wrote, or a sensible Document from other tools."""
    from .readers.common import check_size
    from .structure import check_numbering

    if isinstance(data, str):
        data = data.encode("utf-8")
    check_size(data, source)
    root = _parse_xml(data, source)
    if _local(root) != "akomaNtoso":
        raise InputError(source, f"not Akoma Ntoso: the root element is <{_local(root)}>, not <akomaNtoso>")
    doc_el = next((c for c in root if isinstance(c.tag, str) and _local(c) in _DOC_TYPES), None)
    if doc_el is None:
        raise InputError(source, "Akoma Ntoso file has no document (act, doc, bill, …) inside <akomaNtoso>")
    meta_el = _child(doc_el, "meta")
    block = _scdocs_block(meta_el)
    exact = block is not None
    warnings: list[str] = []
    if block is not None:
        try:
            version = int(block.get("formatVersion", ""))
        except ValueError:
            raise InputError(source, "scdocs AKN block has no valid formatVersion") from None
        if version > FORMAT_VERSION:
            raise InputError(source, f"written by a newer scdocs (AKN format version {version}; "
                                     f"this one reads {FORMAT_VERSION}): upgrade scdocs")
    namespace = etree.QName(root).namespace
    if namespace != AKN_NS:
        warnings.append(f"namespace {namespace or '(none)'} is not Akoma Ntoso 3.0; read by element names")
    reader = _Reader(source, exact)
    if not exact:
        tags = {_local(e) for e in doc_el.iter() if isinstance(e.tag, str)}
        reader.sections_are_units = "section" in tags and not ({"article", "rule"} & tags) and not any(
            _local(e) == "hcontainer" and e.get("name") == "item" for e in doc_el.iter() if isinstance(e.tag, str))
    regions: dict[str, _Region] = {}
    body: list[Section] = []
    for child in doc_el:
        if not isinstance(child.tag, str):
            continue
        tag = _local(child)
        if tag in ("coverPage", "preface", "preamble", "conclusions"):
            name = "preface" if tag == "coverPage" else tag
            got = reader.region(child)
            old = regions.get(name, _Region())
            regions[name] = _Region(old.first if old.first >= 0 else got.first, got.last if got.last >= 0 else old.last)
        elif tag in _BODIES:
            reader.in_body = True
            reader.walk(child, body, None)
            reader.in_body = False
        elif tag in ("attachments", "components") and not exact:
            warnings.append(f"<{tag}> not read: only the main document is")
    tail = ""
    digest = None
    if exact:
        assert block is not None
        meta, stored, tail, digest = _exact_metadata(block, source)
        warnings = stored + warnings
    else:
        meta = _foreign_metadata(doc_el, meta_el, source, reader)
    text = "".join(reader.parts) + tail
    if not text.strip():
        raise InputError(source, "no text in document")
    frags = reader.frags
    # Paragraphs in a body outside every section: before the first, part of the preamble; after
    # one, part of it (as a wrap-up), so that every line belongs somewhere.
    pre = regions.get("preamble", _Region())
    for index, before in reader.strays:
        if before == 0:
            pre = _Region(pre.first if pre.first >= 0 else index, index)
        else:
            section = reader.top[before - 1]
            section.end = max(section.end, frags[index][1])
    if pre.first >= 0:
        regions["preamble"] = pre

    def span(name: str) -> Span | None:
        r = regions.get(name)
        if r is None or r.first < 0:
            return None
        start, end = frags[r.first][0], frags[r.last][1]
        return Span(start, end, text[start:end])

    for section in _walk(body):
        section.text = text[section.start:section.end]
    doc = Document(text=text, meta=meta, body=body, preface=span("preface"), preamble=span("preamble"),
                   conclusions=span("conclusions"), warnings=warnings)
    if exact:
        if digest and digest != hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest():
            doc.warnings.append("text differs from the one scdocs wrote (the file was edited); "
                                "offsets follow the file as it is")
    else:
        doc.warnings.extend(check_numbering(doc))
        if not any(s.kind in UNIT_KINDS for s in doc.walk()) and body:
            doc.warnings.append("no articles or items found in the AKN hierarchy")
    return doc


def _walk(sections: list[Section]) -> Iterator[Section]:
    for s in sections:
        yield from s.walk()
