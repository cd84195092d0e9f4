"""The short Python API: `load(source)` for a path, URL, corpus id, bytes or text."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.document.language import HAN
from scdocs.document.model import Document
from scdocs.errors import InputError

if TYPE_CHECKING:
    from scdocs.changes.result import DocumentDiff
    from scdocs.themes.result import DocumentTags
    from scdocs.themes.taxonomy import Taxonomy
from scdocs.readers import read_bytes, read_path

URL = re.compile(r"^https?://", re.I)


def load(source: str | os.PathLike[str] | bytes | bytearray | memoryview, text: bool = True) -> Document:
    r"""Parse a document from a path, an http(s) URL, a corpus id, raw bytes or raw text. A string is
    text when it holds a line break (\n or \r), begins with markup (<), or names no file and no corpus
    document and reads as text: Chinese, or three or more words (never a name ending in a file extension
    or made of path segments: those are paths that do not exist). With `text` False a string is never
    text (the command line's DOC: a mistyped file name is an error, not a one-line document)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return read_bytes(bytes(source))
    if isinstance(source, os.PathLike):
        return read_path(source)
    if not isinstance(source, str):
        raise InputError(type(source).__name__, "load takes a path, URL, corpus id, text or bytes")
    s = source
    if not s.strip():
        raise InputError("<text>", "empty: give a path, URL, corpus id or the text itself")
    if URL.match(s):
        from scdocs.readers.url import read_url

        return read_url(s)
    if text and ("\n" in s or "\r" in s or len(s) > 400 or s.lstrip().startswith("<")):
        try:
            data = s.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate (\ud800): no text a file could hold
            raise InputError("<text>", f"not valid Unicode text (character {exc.start}: "
                                       f"{s[exc.start]!r} is a lone surrogate)") from None
        return read_bytes(data, "<text>")
    if Path(s).exists():
        return read_path(s)
    from scdocs.corpus.catalogue import Catalogue

    catalogue = Catalogue.default()
    if catalogue.has(s):
        return catalogue.load(s)
    from difflib import get_close_matches

    # Offer the fetched ids first (their text can be read now); an unfetched one says how to fetch it.
    fetched = catalogue.fetched_ids()
    close = (get_close_matches(s, fetched, n=1, cutoff=0.75)
             or get_close_matches(s, catalogue.ids(), n=1, cutoff=0.75))
    hint = ""
    if close:
        hint = f" (did you mean {close[0]}?" + ("" if close[0] in fetched else
                                               f" not fetched yet: scdocs corpus fetch {close[0]}") + ")"
    if text and not hint and _looks_like_text(s):
        return read_bytes(s.encode("utf-8"), "<text>")  # one line of Chinese, or a sentence: text, not a path
    shown = repr(s) if s != s.strip() or any(c in s for c in "\n\r\t") else s  # one line, the name visible
    if re.match(r"^[a-z][a-z0-9+.-]*://", s, re.I):  # file://, ftp://: a URL, of a scheme not read
        raise InputError(shown, "only http(s) URLs are read; give a local file as its path")
    raise InputError(shown, "no such file, URL or corpus id" + hint)


_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


#: Segments joined by / or \\ with no space or sentence punctuation in them (no/such/法律): a path.
_PATH_LIKE = re.compile(r"[^\s/\\。，；：]*(?:[/\\][^\s/\\。，；：]*)+")


def _looks_like_text(s: str) -> bool:
    """One line that names no file or corpus document and reads as text, not as a mistyped path: Chinese,
    or three or more words (a / between words of a sentence is text); never a name that ends in a file
    extension (条例.md) or is made of path segments (no/such/法律)."""
    if _EXTENSION.search(s) or _PATH_LIKE.fullmatch(s.strip()):
        return False
    return bool(HAN.search(s)) or len(s.split()) >= 3


def tag(doc: Document | str | os.PathLike[str] | bytes, taxonomy: Taxonomy | str | Path | None = None,
        min_score: float | None = None, engine: str = "auto", model: str | Path | None = None) -> DocumentTags:
    """Tag every section of a document (or anything `load` accepts) with the themes it provides for.
    `engine` "rules" uses the taxonomy's cues alone, "model" the learned layer, "auto" the model
    where one fits the taxonomy."""
    from scdocs.themes import tag as tag_document

    document = doc if isinstance(doc, Document) else load(doc)
    return tag_document(document, taxonomy, min_score, engine=engine, model=model)


def diff(old: Document | str | os.PathLike[str] | bytes, new: Document | str | os.PathLike[str] | bytes,
         by: str = "content", rules: str | os.PathLike[str] | None = None, replace_rules: bool = False
         ) -> DocumentDiff:
    """Compare two documents (or anything `load` accepts) section by section. `rules` is a move-rules
    file added to the built-in rules (or used alone with `replace_rules`), as `scdocs diff --rules`."""
    from scdocs.changes import diff_documents

    a = old if isinstance(old, Document) else load(old)
    b = new if isinstance(new, Document) else load(new)
    return diff_documents(a, b, by=by, rules=None if rules is None else str(rules),
                          rules_mode="replace" if replace_rules else "extend")
