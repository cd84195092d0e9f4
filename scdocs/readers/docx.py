"""Word .docx documents (official databases publish laws as .docx), read with bounded memory.

Each Word paragraph (body, table cell, text box, content control) is a line of the canonical
text, in document order (a table row of one-paragraph cells is one line), with the number Word's
automatic numbering shows before it (scdocs.readers.numbering); ``docProps/core.xml`` gives the title.

Why not python-docx: a .docx is a ZIP archive whose parts expand up to ~1000:1, and whose
declared sizes are whatever the file claims. python-docx inflates a part whole and builds a tree
of it: a 137 KB file with a 47 MB document.xml took 2.4 GB of memory. Here each part is
decompressed in chunks, the bytes *actually produced* are counted against the size cap
(``--max-size``), and the chunks are fed to lxml's parser with a target that keeps only the
text, so no tree is built. A DOCTYPE in a part is refused (Word never writes one; its entities
would drop text without a word, or multiply it). python-docx also skipped runs inside
insertions, smart tags and inline content controls; this reader keeps every ``w:t``.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from scdocs.document.model import Metadata
from scdocs.errors import InputError
from scdocs.readers.common import (
    LEFT_OUT,
    SKIPPED,
    Extracted,
    canonical,
    clean_line,
    guess_issuer,
    max_bytes,
    version_date,
)
from scdocs.readers.numbering import Counters, Definitions, DoctypeRefused, StyleNumbers
from scdocs.readers.wrapping import CELL_SEP, SOFT, joinable_row, soft_breaks

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
DOCUMENT = "word/document.xml"
NUMBERING = "word/numbering.xml"
STYLES = "word/styles.xml"
CORE = "docProps/core.xml"
#: Parts with text the reader does not put in the document: notes and comments are counted and
#: warned about; running headers and footers are page furniture, counted as skipped.
NOTE_PARTS = {"word/footnotes.xml": "footnotes", "word/endnotes.xml": "endnotes", "word/comments.xml": "comments"}
FURNITURE = re.compile(r"word/(header|footer)\d*\.xml")
MAX_PARTS = 10_000  # a Word file has tens of parts; zipfile keeps ~650 bytes per listed part
CHUNK = 64 * 1024


@dataclass
class _Para:
    """A w:p being read: its text so far, its own numbering (numId, ilvl), style, and whether its
    mark is a tracked deletion."""

    parts: list[str] = field(default_factory=list)
    num: str | None = None
    ilvl: str | None = None
    style: str | None = None
    struck: bool = False
    inner: list[str] = field(default_factory=list)  # lines of paragraphs inside it (a text box), read after it


class _Paragraphs:
    """lxml parser target: the text of every ``w:p``, a line each (a table row of one-paragraph
    cells is one line), with the number Word's automatic numbering shows; nothing else kept.

    A paragraph inside another (a text box) is emitted after the one holding it (its article). The
    ``mc:Fallback`` copy of a text box is skipped: ``mc:Choice`` holds the same text. Tracked
    changes are read as they leave the document: deletions and a moved passage's old place are
    counted, not read; a paragraph whose mark is deleted takes no number; the formatting a
    ``w:pPrChange`` records is the old one and is not read.
    """

    def __init__(self, numbers: Counters | None = None, styles: StyleNumbers | None = None) -> None:
        self.numbers = numbers  # Word's automatic numbering, where the file has numbering.xml
        self.styles = styles  # the lists paragraph styles number with (styles.xml)
        self.old_format = 0  # inside w:pPrChange (the formatting before a tracked change)
        self.moved_from = 0  # inside w:moveFrom (a moved passage's old place)
        self.lines: list[str] = []
        self.stack: list[str] = []
        self.open: list[_Para] = []  # each w:p being read, innermost last
        self.fallback = 0
        self.in_text = 0
        self.in_deleted = 0
        self.deleted = 0  # characters of tracked deletions (w:delText): struck out, not the text
        self.hidden = 0  # characters of hidden text (w:vanish): Word does not show or print it
        self.run_hidden = False  # the run being read is hidden
        self.rows: list[list[list[str]]] = []  # open table rows: their cells' paragraphs, innermost last

    def doctype(self, *_args: Any) -> None:
        raise DoctypeRefused

    def start(self, tag: str, attrib: Any) -> None:
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(tag)
        if tag == MC_FALLBACK or self.fallback:
            self.fallback += 1
            return
        if tag == W + "pPrChange":
            self.old_format += 1
        elif tag == W + "moveFrom":
            self.moved_from += 1
        if tag == W + "p":
            self.open.append(_Para())
        elif self.old_format:
            pass  # the paragraph's formatting before a tracked change: not what the document shows
        elif tag == W + "pStyle" and parent == W + "pPr" and self.open:
            self.open[-1].style = attrib.get(W + "val")
        elif tag == W + "numId" and parent == W + "numPr" and self.open:
            self.open[-1].num = attrib.get(W + "val", "")
        elif tag == W + "ilvl" and parent == W + "numPr" and self.open:
            self.open[-1].ilvl = attrib.get(W + "val", "")
        elif tag == W + "del" and parent == W + "rPr" and len(self.stack) > 2 and self.stack[-3] == W + "pPr":
            if self.open:
                self.open[-1].struck = True  # the paragraph mark itself is deleted
        elif tag == W + "tr":
            self.rows.append([])
        elif tag == W + "tc" and self.rows:
            self.rows[-1].append([])
        elif tag in (W + "t", M + "t"):  # M: an equation's text (S=0.6A+0.4B) is the document's too
            self.in_text += 1
        elif tag == W + "r":
            self.run_hidden = False
        elif tag == W + "vanish" and parent == W + "rPr" and len(self.stack) > 2 and self.stack[-3] == W + "r":
            self.run_hidden = True
        elif tag == W + "delText":
            self.in_deleted += 1
        elif self.open and parent == W + "r":  # w:tab in w:pPr/w:tabs is a tab stop, not a tab
            if tag in (W + "tab", W + "ptab"):
                self.open[-1].parts.append("\t")
            elif tag in (W + "br", W + "cr"):  # a page or column break breaks; a line break (Shift+Enter)
                # is kept after a sentence or before a unit and joined inside one (联合⏎惩戒 is 联合惩戒)
                self.open[-1].parts.append("\n" if attrib.get(W + "type") in ("page", "column") else SOFT)
            elif tag == W + "noBreakHyphen":
                self.open[-1].parts.append("-")

    def end(self, tag: str) -> None:
        self.stack.pop()
        if self.fallback:
            self.fallback -= 1
            return
        if tag == W + "pPrChange":
            self.old_format -= 1
        elif tag == W + "moveFrom":
            self.moved_from -= 1
        if tag in (W + "t", M + "t"):
            self.in_text -= 1
        elif tag == W + "r":
            self.run_hidden = False
        elif tag == W + "delText":
            self.in_deleted -= 1
        elif tag == W + "p" and self.open:
            para = self.open.pop()
            line = "".join(para.parts)
            numbered = self._numbering(para)
            if numbered is not None and self.numbers is not None and not para.struck:  # the number Word shows
                label = self.numbers.label(*numbered)
                if label:  # shown before an empty paragraph too (a 序号 column's cells)
                    line = label + _label_gap(label) + line.lstrip() if clean_line(line) else label
            lines = [("\n".join(soft_breaks(line)) if SOFT in line else line)] if clean_line(line) else []
            lines += para.inner  # empty paragraphs (layout) are dropped here, not stored
            if self.open:  # a text box's paragraph: it follows the paragraph that holds it
                self.open[-1].inner += lines
            else:
                for one in lines:
                    self._emit(one)
        elif tag == W + "tr" and self.rows:
            # a row of one-paragraph cells is one line, its cells parted by an ideographic space
            # (第一条　本条例…; （一）登记信息 a row of its own); cells with paragraphs of their own keep them
            row = [cell for cell in self.rows.pop() if cell]
            if row and all(len(cell) == 1 for cell in row) and joinable_row([cell[0] for cell in row]):
                self._emit(CELL_SEP.join(cell[0] for cell in row))
            else:
                for cell in row:
                    for line in cell:
                        self._emit(line)

    def _numbering(self, para: _Para) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph: its own w:numPr, what it leaves out taken from its style."""
        from_style = self.styles.of(para.style) if para.style is not None and self.styles is not None else None
        num = para.num if para.num is not None else (from_style[0] if from_style else None)
        if num is None:
            return None
        ilvl = para.ilvl if para.ilvl is not None else (str(from_style[1]) if from_style else "0")
        return num, int(ilvl) if ilvl.isdigit() else 0

    def _emit(self, line: str) -> None:
        """A finished line: into the table cell being read, else the document's lines."""
        if self.rows and self.rows[-1]:
            self.rows[-1][-1].append(line)
        else:
            self.lines.append(line)

    def data(self, text: str) -> None:
        if self.moved_from and (self.in_text or self.in_deleted) and not self.fallback:
            self.deleted += len(text.strip())  # the moved passage's old place: it reads where it went
        elif self.in_text and self.run_hidden and not self.fallback:
            self.hidden += len(text.strip())
        elif self.in_text and self.open and not self.fallback:
            self.open[-1].parts.append(text)
        elif self.in_deleted and not self.fallback:
            self.deleted += len(text.strip())

    def comment(self, _text: str) -> None:
        pass

    def pi(self, _target: str, _data: str | None = None) -> None:
        pass

    def close(self) -> list[str]:
        return self.lines


def _label_gap(label: str) -> str:
    """What parts a Word number from its paragraph's text, as the canonical texts print it: 第一条　…,
    （一）… (nothing after a bracket or mark), 1. … (a space after a Latin label)."""
    last = label[-1]
    if last.isascii():
        return " "
    return "" if unicodedata.category(last).startswith("P") else "\u3000"


class _Title:
    """lxml parser target: the text of ``dc:title`` in docProps/core.xml."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.inside = 0

    def doctype(self, *_args: Any) -> None:
        raise DoctypeRefused

    def start(self, tag: str, _attrib: Any) -> None:
        self.inside += tag == DC_TITLE

    def end(self, tag: str) -> None:
        self.inside -= tag == DC_TITLE

    def data(self, text: str) -> None:
        if self.inside:
            self.parts.append(text)

    def close(self) -> str:
        return "".join(self.parts).strip()


def _count_parts(data: bytes) -> int | None:
    """How many parts the archive's end record lists (ZIP64 included), read before zipfile
    builds an entry for each; None when there is no end record (zipfile then says why)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count: int = struct.unpack_from("<H", data, end + 10)[0]
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 40 <= len(data) and data[offset:offset + 4] == b"PK\x06\x06":
            (count,) = struct.unpack_from("<Q", data, offset + 32)
    return count


def _parse_part(zf: zipfile.ZipFile, name: str, target: Any, budget: list[int], source: str) -> Any:
    """Decompress one part chunk by chunk into a parser with `target`, counting the bytes that
    come out (not the size the archive declares) against what is left of the size cap."""
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        with zf.open(name) as part:
            while chunk := part.read(CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise InputError(source, f"{name} expands to over the size cap of {max_bytes():,} bytes "
                                             "(a ZIP bomb?; set SCDOCS_MAX_BYTES or --max-size to raise it)")
                parser.feed(chunk)
        return parser.close()
    except DoctypeRefused:
        raise InputError(source, f"{name} declares a DTD (<!DOCTYPE>), which Word never writes; "
                                 "refused for safety") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"corrupt .docx: malformed XML in {name}: "
                                 f"{' '.join((exc.msg or str(exc)).split())}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(source, f"corrupt .docx: {name}: {' '.join(str(exc).split())}") from None
    except NotImplementedError:  # a compression method zipfile lacks (e.g. Deflate64)
        raise InputError(source, f"corrupt .docx: {name} is compressed with a method that cannot be read") \
            from None
    except RuntimeError:  # zipfile: "File ... is encrypted, password required for extraction"
        raise InputError(source, f"{name} is encrypted; save the document without a password") from None


def read_docx(data: bytes, source: str) -> Extracted:
    """A .docx's paragraphs as canonical text, with bounded memory whatever the archive claims."""
    parts = _count_parts(data)
    if parts is not None and parts > MAX_PARTS:
        raise InputError(source, f"the .docx archive lists {parts:,} parts, over the limit of {MAX_PARTS:,} "
                                 "(a Word document has tens)")
    budget = [max_bytes()]  # decompressed bytes still allowed, shared by the parts read
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if DOCUMENT not in names:
                raise InputError(source, "a ZIP archive but not a Word .docx document")
            numbers = (Counters(_parse_part(zf, NUMBERING, Definitions(), budget, source))
                       if NUMBERING in names else None)
            styles = _parse_part(zf, STYLES, StyleNumbers(), budget, source) if numbers and STYLES in names else None
            body = _Paragraphs(numbers, styles)
            lines: list[str] = _parse_part(zf, DOCUMENT, body, budget, source)
            title: str = _parse_part(zf, CORE, _Title(), budget, source) if CORE in names else ""
            left = {what: sum(len(x.strip()) for x in _parse_part(zf, name, _Paragraphs(), budget, source))
                    for name, what in NOTE_PARTS.items() if name in names}
            furniture = sum(len(x.strip()) for name in sorted(names) if FURNITURE.fullmatch(name)
                            for x in _parse_part(zf, name, _Paragraphs(), budget, source))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error):
        raise InputError(source, "corrupt .docx (not a valid ZIP archive)") from None
    text = canonical(lines)
    if not text:
        raise InputError(source, "the .docx has no text")
    first_lines = text.split("\n")[:6]
    header = "\n".join(first_lines)
    meta = Metadata(title=title or first_lines[0], issuer=guess_issuer(header),  # the file's author is whoever saved it
                    date=version_date(header), source=source)
    notes = []
    if any(left.values()):
        notes.append(f"{LEFT_OUT} {sum(left.values()):,} characters of "
                     + ", ".join(f"{what} ({n:,})" for what, n in left.items() if n) + " (not part of the text read)")
    if body.deleted:  # Word shows them struck out; the text read is the document as its changes leave it
        notes.append(f"{LEFT_OUT} {body.deleted:,} characters of tracked deletions and moves' old places (struck "
                     "out in Word, not part of the text read; accept or reject the changes in Word to decide)")
    if body.hidden:
        notes.append(f"{LEFT_OUT} {body.hidden:,} characters of hidden text (Word neither shows nor prints it)")
    if furniture:
        notes.append(f"{SKIPPED} {furniture:,} characters of page headers and footers")
    return Extracted(text, meta, 0, warnings=notes)
