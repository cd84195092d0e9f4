"""Plain renderings of a Document: JSON (versioned), Markdown and canonical text; the CSV and
Markdown conventions every output shares."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from scdocs.document.model import CONTAINER_KINDS, DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION, Document, Section

JSON_FORMAT, JSON_FORMAT_VERSION = DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION  # the names earlier releases had


def to_json(doc: Document) -> str:
    """The document as JSON: metadata, canonical text and the section tree with offsets.

    The shape is described by ``scdocs/data/document.schema.json``; ``format_version``
    changes whenever a field changes meaning or disappears.
    """
    return json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n"


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]|#~"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def md_escape(text: str, newline: str = "\n") -> str:
    """Document text made inert in Markdown: markup characters escaped, angle brackets and ampersands as entities
    (so no HTML gets through), line breaks as `newline` (" " or "<br>" inside a table cell)."""
    return text.translate(_MD_SPECIAL).replace("\n", newline)


def _inert_edge(ch: str) -> bool:
    """Whitespace, punctuation or a symbol: a character next to which `**` may fail to open or close."""
    return ch.isspace() or unicodedata.category(ch)[0] in "PSZC"


def md_bold(text: str) -> str:
    """Document text in bold that renders on GitHub (cmark-gfm) and in pandoc alike.

    CommonMark opens `**` only when it is followed by a letter or preceded by whitespace or
    punctuation, so `前**“信用”**后` stays literal. Leading and trailing punctuation, symbols and
    spaces are left outside the bold, so the delimiters always touch a letter on the inside and
    flank correctly whatever surrounds them. A text of punctuation alone is not bolded.
    """
    lo, hi = 0, len(text)
    while lo < hi and _inert_edge(text[lo]):
        lo += 1
    while hi > lo and _inert_edge(text[hi - 1]):
        hi -= 1
    if lo == hi:
        return md_escape(text)
    return md_escape(text[:lo]) + "**" + md_escape(text[lo:hi]) + "**" + md_escape(text[hi:])


_BLOCK_START = re.compile(r"^(\d{1,9})([.)])|^([-+=])")


def md_line_start(line: str) -> str:
    """A line of document text that cannot start a list or underline a heading (`1.`, `-`, `+`, `=`)."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line, count=1)


#: The UTF-8 byte-order mark: Excel reads a CSV file as UTF-8 only when it starts with one
#: (without it, Chinese comes out in the system's legacy code page).
UTF8_BOM = "\ufeff"


def clip(text: str, most: int) -> str:
    """At most `most` characters, ending in … where some were cut: a quote cut silently looks complete."""
    return text if len(text) <= most else text[:most - 1] + "…"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = False) -> str:
    """RFC 4180 CSV (the csv module's quoting, CRLF line ends), optionally led by a UTF-8 BOM. Text
    that a spreadsheet would run as a formula is defused (see `csv_cell`)."""
    return "".join(csv_lines(header, rows, bom))


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = False) -> Iterator[str]:
    """`csv_text` a record at a time, for writers that stream (a record's text may hold line breaks)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    yield (UTF8_BOM if bom else "") + buf.getvalue()
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([csv_cell(v) for v in row])
        yield buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell as written: document text that begins like a formula (=HYPERLINK(…), +, -, @) gets a
    leading ' so that Excel or LibreOffice shows it instead of running it (OWASP's advice for CSV);
    numbers, and a lone - for "none", are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and value != "-":
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def to_markdown(doc: Document) -> str:
    """Headings for containers, a bold num for each unit; the text itself is unchanged. The metadata
    goes in front matter (read back by the Markdown reader), the header lines under the title stay."""
    m = doc.meta
    facts = [("title", m.title), ("issuer", m.issuer), ("date", m.date), ("doc_number", m.doc_number),
             ("kind", m.kind), ("language", m.language if m.language != "zh" else ""),
             *((f"extra.{k}", v) for k, v in sorted(m.extra.items()))]  # catalogue facts: id, work, work_date …
    # Values are double-quoted (JSON strings are YAML scalars): a title with ": " or " # " stays one value.
    given = [f"{k}: {json.dumps(_one_line(v), ensure_ascii=False)}" for k, v in facts if v or k.startswith("extra.")]
    out: list[str] = ["---", *given, "---", ""] if given else []
    # The preface is text of the document (title, adoption note, 发文字号, a notice): written as it is,
    # its first lines as the `#` heading where they are the title.
    lines = [ln.strip() for ln in doc.preface.text.split("\n") if ln.strip()] if doc.preface else []
    k = _title_lines(doc.meta.title, lines)
    for i, line in enumerate(lines):
        out += [f"# {md_text(line)}" if i < k else md_text(line), ""]
    out += ["<!-- INFO END -->", ""]  # the header block ends here, as in Markdown law collections
    if doc.preamble:
        out += [md_text(line) + "\n" for line in doc.preamble.text.split("\n")]

    def emit(section: Section, depth: int) -> None:
        if section.kind in CONTAINER_KINDS:
            own_end = section.subsections[0].start if section.subsections else section.end
            heading, *paragraphs = doc.text[section.start: own_end].strip().split("\n")
            out.extend([f"{'#' * min(depth + 2, 6)} {md_text(heading)}", ""])
            for line in paragraphs:  # text of a part that has no items of its own
                out.extend([md_text(line), ""])
            for child in section.subsections:
                emit(child, depth + 1)
            return
        lines = section.text.split("\n")
        num = section.num or ""
        rest = lines[0][len(num):] if num and lines[0].startswith(num) else None
        if rest is not None and _bold_renders(num, rest):  # the spacing after the num as printed: 第一条　…
            out.extend([f"**{md_text(num)}**{md_text(rest, line_start=False)}", ""])
        else:  # （一）指导思想: ** after a bracket and before a letter is not bold in CommonMark; plain then
            out.extend([md_text(lines[0]), ""])
        for line in lines[1:]:
            out.extend([md_text(line), ""])

    for section in doc.body:
        emit(section, 0)
    if doc.conclusions:
        out += ["  \n".join(md_text(line) for line in doc.conclusions.text.split("\n")), ""]
    return "\n".join(out).rstrip() + "\n"


#: What `md_text` escapes; the Markdown reader undoes exactly this (`md_unescape`).
_MD_TEXT = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md_text(text: str, line_start: bool = True) -> str:
    """A line of document text written into a Markdown document that scdocs reads back exactly: no
    markup (**, __, a leading #) and no HTML (<script>) gets through to a renderer."""
    out = text.translate(_MD_TEXT)
    # a leading # would be a heading, a leading - or + and a space a list item
    return "\\" + out if line_start and (out.startswith("#") or re.match(r"[-+]\s", out)) else out


def md_unescape(line: str) -> str:
    """The inverse of `md_text`: backslash escapes of \\ * _ # - +, then the three entities."""
    line = re.sub(r"\\([\\*_#+\-])", r"\1", line)
    return line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _bold_renders(num: str, rest: str) -> bool:
    """Whether `**num**rest` is bold in CommonMark (GitHub, pandoc): a closing ** after punctuation
    must be followed by a space, punctuation or the end of the line."""
    if not unicodedata.category(num[-1]).startswith("P") or not rest:
        return True
    nxt = rest[0]
    return nxt.isspace() or unicodedata.category(nxt).startswith("P")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _title_lines(title: str, lines: list[str]) -> int:
    """How many of the first lines spell the title (a title wrapped over two lines is two), else 0."""
    title, joined, k = title.replace(" ", ""), "", 0
    while k < len(lines) and title.startswith(joined + lines[k].replace(" ", "")) and joined != title:
        joined, k = joined + lines[k].replace(" ", ""), k + 1
    return k if title and joined == title else 0


def to_text(doc: Document) -> str:
    """The canonical text, with an empty line after the title's lines: the plain-text reader ends a
    title there, so the text reads back with the same title (and the same text: empty lines are no text)."""
    lines = doc.text.split("\n")
    k = _title_lines(doc.meta.title, lines) if doc.preface and doc.preface.start == 0 else 0
    if 0 < k < len(lines):
        return "\n".join(lines[:k]) + "\n\n" + "\n".join(lines[k:]) + "\n"
    return doc.text + "\n"


def percent(fraction: float) -> str:
    """A share as a percentage a reader can trust: 0.35% is 0.3%, never 0% (which would say none)."""
    if 0 < fraction < 0.01:
        return f"{fraction:.1%}" if fraction >= 0.001 else "<0.1%"
    return f"{fraction:.0%}"


def counted(n: int, noun: str) -> str:
    """`1 article`, `3 articles`: a count with its noun (regular English plurals)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
