"""Akoma Ntoso 3.0 → `Document`: exactly what scdocs' writer (`scdocs.formats.akn`) wrote, or a
sensible Document from other tools' files.

Reading AKN from other tools (no scdocs block): text is rebuilt from the same elements in
document order, one line per paragraph, a num joined to the text that follows it; kinds come
from element names, numbers from ``<num>``. Files scdocs wrote carry their canonical text's
joiners and metadata in ``<proprietary source="#scdocs">`` and are read back losslessly.

Safety: user XML is parsed without DTD loading, entity resolution or network access, and any
document whose DOCTYPE declares entities is refused (external-entity reads, entity bombs).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from scdocs.document.model import EID_PREFIX, KINDS, UNIT_KINDS, Document, Metadata, Section, Span
from scdocs.errors import InputError
from scdocs.formats.akn import (
    AKN_NS,
    FORMAT_VERSION,
    SCDOCS_NS,
    base_kind,
    default_number,
    free_eid,
    scdocs_name,
)
from scdocs.formats.frbr import language_from_code
from scdocs.readers.common import LEFT_OUT

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
_XML_WS = re.compile(r"[ \t\r\n]+")
ENTITY_PROBLEM = "XML declares entities (DOCTYPE with ENTITY); refused for safety"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname

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
    left: Counter[str] = field(default_factory=Counter)  # characters not read into the text, by element

    def text_of(self, el: etree._Element, count: bool = True) -> str:
        raw = _inline_text(el, self.source, self.left if count else None)
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
        if self.exact and el.get(scdocs_name("kind")) is not None:
            declared = el.get(scdocs_name("kind"), "")
            if declared not in KINDS:
                raise InputError(self.source, f"unknown scdocs:kind {declared!r} on <{tag}>")
            return declared
        kind = base_kind(tag, el.get("name"), parent_kind)
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
        # text that stands in a structural element outside any paragraph (<remark>编者按</remark>) is
        # no fragment of the text: counted, never dropped silently
        loose = _chars(el.text) + sum(_chars(c.tail) for c in el)
        if loose:
            self.left[_local(el)] += loose
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            tag = _local(child)
            if tag in _SKIPPED:
                if tag != "meta":  # metadata is read as metadata; a note, an image's text are left out
                    self.left[tag] += _chars(child.xpath("string()"))
                continue
            if tag in _FRAGMENTS and not (tag == "li" and any(_local(c) == "p" for c in child
                                                              if isinstance(c.tag, str))):
                if child.get(scdocs_name("inText")) != "false":
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
        # read again as fragments when the walk reaches them, where their notes are counted: not here
        num = self.text_of(num_el, count=False) if num_el is not None else None
        heading = self.text_of(head_el, count=False) if head_el is not None else None
        if not self.exact:
            num = num or None
            heading = heading or None
        raw_number = el.get(scdocs_name("number")) if self.exact else None
        if raw_number is None:
            number = default_number(num, kind, out)
        elif raw_number == "":
            number = None
        else:
            try:
                number = int(raw_number)
            except ValueError:
                raise InputError(self.source, f"scdocs:number {raw_number!r} is not an integer") from None
        eid = (el.get("eId") or el.get("id") or "").strip()
        if not eid or (eid in self.used and not self.exact):
            base = f"{EID_PREFIX[kind]}_{number if number is not None else len(out) + 1}"
            eid = f"{parent.eid}__{base}" if parent else base
        eid = free_eid(eid, self.used)
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


def _chars(text: object) -> int:
    """Characters of text that are not whitespace (what a reader would miss)."""
    return len(_XML_WS.sub("", text)) if isinstance(text, str) else 0


def _inline_text(el: etree._Element, source: str, left: Counter[str] | None = None) -> str:
    """The characters of an inline element, placeholders restored, notes left out (counted in `left`)."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            code = child.get(scdocs_name("char"))
            tag = _local(child)
            if code is not None:
                try:
                    out.append(chr(int(code)))
                except (ValueError, OverflowError):
                    raise InputError(source, f"scdocs:char {code!r} is not a character code") from None
            elif tag in _NO_FRAGMENT:
                out.append(" ")
            elif tag not in _SKIPPED:
                out.append(_inline_text(child, source, left))
            elif left is not None:
                left[tag] += _chars(child.xpath("string()"))
        out.append(child.tail or "")
    return "".join(out)


def _attr_text(el: etree._Element, name: str, source: str) -> str | None:
    if el.get(scdocs_name(name + "Json")) is not None:
        try:
            value = json.loads(el.get(scdocs_name(name + "Json"), ""))
        except json.JSONDecodeError:
            raise InputError(source, f"scdocs:{name}Json is not a JSON string") from None
        if not isinstance(value, str):
            raise InputError(source, f"scdocs:{name}Json is not a JSON string")
        return value
    return el.get(scdocs_name(name))


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
            block = prop.find(scdocs_name("document"))
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
    subtype_value = subtype.get("value") if subtype is not None else None
    return Metadata(title=title, issuer=issuer, date=date,
                    doc_number=reader.text_of(number_el) if number_el is not None else "",
                    language=language_from_code(lang.get("language", "")) if lang is not None else "zh",
                    kind=subtype_value or doc_el.get("name") or "",
                    source=source, extra=extra)


def read_akn(data: bytes, source: str = "<bytes>") -> Document:
    """Read Akoma Ntoso XML: exactly what `to_akn` wrote, or a sensible Document from other tools."""
    from scdocs.document.structure import check_numbering
    from scdocs.readers.common import check_size, xml_as_utf8

    if isinstance(data, str):
        data = data.encode("utf-8")
    check_size(data, source)
    data = xml_as_utf8(data)  # UTF-16/32 (BOM or not): libxml2 finds them only with a BOM or a declaration
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
    if reader.left:  # what the text leaves out of the file, counted (README: never silently)
        shown = ", ".join(f"<{tag}> {n:,}" for tag, n in reader.left.most_common())
        warnings.append(f"{LEFT_OUT} {sum(reader.left.values()):,} characters that are no part of the document's "
                        f"text ({shown})")
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
        section.slice_from(text)
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
