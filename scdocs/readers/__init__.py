"""Readers: bytes or text of any supported format → `Document`, chosen by content and extension.

Content wins over the extension (a .txt that holds HTML is read as HTML); the extension
decides only where content is ambiguous.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import BinaryIO

from scdocs.document.model import Document
from scdocs.document.structure import parse
from scdocs.errors import InputError
from scdocs.readers.common import NO_BODY, Extracted, check_size, decode, text_head

SURROGATE = re.compile("[\ud800-\udfff]")
FORMATS = ("text", "markdown", "html", "json", "akn", "docx")


#: File names whose format is binary: when the bytes are not that format, the file is not read as
#: text (a Word file that is not a ZIP archive is damaged or something else renamed).
BINARY_SUFFIXES = {".docx": "a Word .docx (a ZIP archive)", ".pdf": "a PDF", ".doc": "a Word document",
                   ".xlsx": "a spreadsheet", ".zip": "a ZIP archive"}


def sniff(data: bytes, name: str = "") -> str:
    """The format of a document from its first characters and its name.

    The head is decoded first (`text_head`), so Akoma Ntoso or HTML in UTF-16/32 is seen as
    what it is, not as text with NULs in it.
    """
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"%PDF"):
        return "pdf"
    if suffix in BINARY_SUFFIXES:  # a name that promises a binary format the bytes do not have
        return "mislabelled"
    text = text_head(data)
    head = text[:2048].lstrip(" \t\r\n").lower()
    if head.startswith(("{", "[")):
        return "json"
    if "akomantoso" in text.lower() and head.startswith(("<?xml", "<akomantoso", "<!doctype", "<an:")):
        return "akn"
    if head.startswith(("<?xml", "<!doctype")) and "<html" not in head and not head.startswith("<!doctype html"):
        return "xml"  # the Akoma Ntoso reader checks the root element and refuses entity declarations
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<div", "<p", "<table", "<meta")):
        return "html"
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    if suffix == ".md":
        return "markdown"
    return "text"


def _decoded(data: bytes, source: str, declared_charset: str | None = None, fmt: str | None = None,
             ) -> Extracted | Document | tuple[str, str, list[str]]:
    """A binary format read whole (Word, Akoma Ntoso), or the format of a text format with its
    decoded text and what decoding left out: the bytes are not needed after this."""
    check_size(data, source)
    fmt = fmt or sniff(data, source)
    if fmt == "docx":
        from scdocs.readers.docx import read_docx

        return read_docx(data, source)
    if fmt == "pdf":
        raise InputError(source, "PDF is not supported; convert it to text, .docx or HTML first")
    if fmt == "mislabelled":
        what = BINARY_SUFFIXES[Path(source).suffix.lower()]
        if data.startswith(OLE_MAGIC):  # Word 97–2003 (.doc), or a .docx saved in that format
            raise InputError(source, "a legacy Word 97–2003 file (.doc), which is not supported: save it as .docx")
        raise InputError(source, f"named as {what} but the bytes are not one (damaged, or another file renamed)")
    if fmt in ("akn", "xml"):
        from scdocs.readers.akn import read_akn

        return read_akn(data, source)
    dropped: list[str] = []
    return fmt, decode(data, source, declared_charset, dropped), dropped


def _read_text_of(fmt: str, text: str, source: str) -> Extracted | Document:
    """The reader of a decoded text format."""
    if fmt == "json":
        from scdocs.readers.articles_json import load_json, read_articles_json

        parsed = load_json(text, source)
        if isinstance(parsed, dict) and parsed.get("format") == "scdocs-document":
            return _scdocs_json(parsed, source)
        return read_articles_json(text, source, parsed)
    if fmt == "html":
        from scdocs.readers.html import read_html_str

        return read_html_str(text, source)
    from scdocs.readers.text import read_text

    return read_text(text, source, markdown=True if fmt == "markdown" else None)


def read_bytes(data: bytes, source: str = "<bytes>", declared_charset: str | None = None,
               fmt: str | None = None) -> Document:
    """Parse a document from its bytes."""
    got = _decoded(data, source, declared_charset, fmt)
    del data  # a long text's bytes go once decoded, before its lines are read and parsed
    if isinstance(got, tuple):
        fmt, text, dropped = got
        got = _read_text_of(fmt, text, source)
        got.warnings[:0] = dropped
    if isinstance(got, Document):
        return got
    if not got.text.strip():
        raise InputError(source, "no text in document")
    fields = (got.text, got.meta.title, got.meta.issuer, got.meta.date, got.meta.doc_number)
    if any(SURROGATE.search(f) for f in fields):  # e.g. "\ud800" in JSON: not a character, cannot be written
        raise InputError(source, "text holds unpaired surrogate code points (not valid Unicode)")
    doc = parse(got.text, got.meta, got.body_start)
    doc.warnings[:0] = got.warnings
    if next(doc.walk(), None) is None and not any(w.startswith(NO_BODY) for w in doc.warnings):
        # every line went to the title block (a page of short lines, a directory listing): say so
        doc.warnings.append(f"{NO_BODY}: every line was read as the title or header")
    return doc


#: The first bytes of an OLE compound file: Word 97–2003, Excel 97–2003.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_file_bytes(path: str | os.PathLike[str]) -> bytes:
    """A document file's bytes, with one-line errors for missing, unreadable or oversized paths."""
    from scdocs.readers.common import max_bytes

    p = Path(path)
    source = str(path)
    if not p.exists():
        raise InputError(source, "no such file")
    if p.is_dir():
        raise InputError(source, "is a directory, not a document")
    try:
        size, cap = p.stat().st_size, max_bytes()
        if size > cap:
            raise InputError(source, f"file is {size:,} bytes, over the size cap of {cap:,} bytes "
                                     "(set SCDOCS_MAX_BYTES or --max-size to raise it)")
        with open(p, "rb") as fh:  # never more than the cap, whatever the size said: /dev/zero, a FIFO
            data = fh.read(cap + 1)
        if len(data) > cap:
            raise InputError(source, f"over the size cap of {cap:,} bytes (not a regular file, or it grew "
                                     "while read; set SCDOCS_MAX_BYTES or --max-size to raise it)")
        return data
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None


STDIN = "<stdin>"


def read_stdin_bytes(stream: BinaryIO | None = None) -> bytes:
    """Standard input's bytes, under the same size cap as a file (never more than cap + 1 read)."""
    from scdocs.readers.common import max_bytes

    if stream is None:
        stream = sys.stdin.buffer
    cap = max_bytes()
    try:
        data = stream.read(cap + 1)
    except OSError as exc:
        raise InputError(STDIN, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > cap:
        raise InputError(STDIN, f"standard input is over the size cap of {cap:,} bytes "
                                "(set SCDOCS_MAX_BYTES or --max-size to raise it)")
    return data


def read_stdin(stream: BinaryIO | None = None) -> Document:
    """Parse a document from standard input: its format is sniffed from the content (there is no
    file name), plain text by default; errors and metadata name it <stdin>."""
    return read_bytes(read_stdin_bytes(stream), STDIN)


def read_path(path: str | os.PathLike[str]) -> Document:
    """Parse a document file."""
    return read_bytes(read_file_bytes(path), str(path))


def _scdocs_json(data: dict, source: str) -> Document:
    """Read back what `scdocs convert --to json` wrote."""
    from scdocs.document.model import DOCUMENT_FORMAT_VERSION as JSON_FORMAT_VERSION

    version = data.get("format_version")
    if version != JSON_FORMAT_VERSION:
        raise InputError(source, f"scdocs-document format version {version!r} is not supported "
                                 f"(this scdocs reads version {JSON_FORMAT_VERSION})")
    try:
        return Document.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
        raise InputError(source, f"malformed scdocs-document JSON ({type(exc).__name__}: {exc})") from None
