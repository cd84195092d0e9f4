"""FRBR URIs for Akoma Ntoso documents, in the style Laws.Africa's cobalt uses.

An AKN file names its work, expression and manifestation with URIs such as
``/akn/cn/act/2021-08-20/pipl-2021`` (work), ``…/zho@2021-08-20`` (expression, a language
version at a date) and ``…/zho@2021-08-20/!main.xml`` (manifestation, this XML file). Other
AKN tools (cobalt, Indigo) recognise documents by these URIs, so they follow cobalt's layout:
``/akn/{country}/{doctype}[/{subtype}]/{date}/{number}``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from scdocs.document.model import Document
from scdocs.formats.xmltext import xml_safe

#: ISO 639-1 (what `Metadata.language` holds) → ISO 639-2/T (what AKN URIs use).
LANGUAGES = {"zh": "zho", "en": "eng", "fr": "fra", "de": "deu", "ja": "jpn", "ko": "kor", "ru": "rus",
             "es": "spa", "pt": "por", "ar": "ara", "it": "ita", "nl": "nld", "mn": "mon", "bo": "bod",
             "ug": "uig"}
_LANGUAGES_BACK = {v: k for k, v in LANGUAGES.items()} | {"chi": "zh"}
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_FULL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_URI = re.compile(
    r"^/akn/(?P<country>[a-z]{2}(?:-[^/]+)?)/(?P<doctype>[a-zA-Z]+)(?:/(?P<subtype>[^/@!0-9][^/@!]*))?"
    r"/(?P<date>[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)/(?P<number>[^/@!]+)"
    r"(?:/(?P<language>[a-z]{3})@(?P<expression_date>[^/!]*))?(?:/.*)?$"
)


def language_code(language: str) -> str:
    """The three-letter code AKN wants for a two-letter one ('zh' → 'zho'); 'und' if unknown."""
    lang = (language or "").strip().lower()
    if lang in LANGUAGES:
        return LANGUAGES[lang]
    return lang if re.fullmatch(r"[a-z]{3}", lang) else "und"


def language_from_code(code: str) -> str:
    """The two-letter code scdocs uses for a three-letter AKN one ('eng' → 'en')."""
    c = (code or "").strip().lower()
    return _LANGUAGES_BACK.get(c, c or "zh")


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens: what a URI component can hold unescaped."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def uri_date(date: str) -> str:
    """The date component of a URI: the ISO date (or year, or year-month) as far as it is known."""
    d = (date or "").strip()
    if _DATE.match(d):
        return d
    m = re.match(r"^([0-9]{4})(-[0-9]{2})?", d)
    return m.group(0) if m else "0000"


def xsd_date(date: str) -> str | None:
    """A date an XSD ``date`` attribute accepts, or None if `date` is not a full ISO date."""
    d = (date or "").strip()
    if not _FULL_DATE.match(d):
        return None
    try:
        datetime.date.fromisoformat(d)
    except ValueError:
        return None
    return d


def document_number(source: str, doc_number: str = "", fallback: str = "") -> str:
    """The number component of a work URI: the file's name, else the 发文字号's digits, else a hash.

    Source file names in the corpus are readable slugs (``pipl-2021.md``); a 发文字号 such as
    国发〔2019〕5号 gives ``2019-5``; failing both, a short hash of `fallback` keeps URIs stable.
    """
    src = (source or "").strip()
    if src and not src.startswith("<"):
        path = urlsplit(src).path if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.I) else src
        stem = PurePosixPath(path.replace("\\", "/")).stem
        if slug(stem):
            return slug(stem)
    if slug(doc_number):
        return slug(doc_number)
    return "doc-" + hashlib.sha1(fallback.encode("utf-8", "surrogatepass")).hexdigest()[:8]


@dataclass(frozen=True)
class FrbrUri:
    """The parts of an AKN work URI and the language and date of one expression of it."""

    doctype: str
    date: str
    number: str
    subtype: str = ""
    country: str = "cn"
    language: str = "zho"
    expression_date: str = ""

    @property
    def work(self) -> str:
        sub = f"/{self.subtype}" if self.subtype else ""
        return f"/akn/{self.country}/{self.doctype}{sub}/{self.date}/{self.number}"

    @property
    def expression(self) -> str:
        return f"{self.work}/{self.language}@{self.expression_date or self.date}"

    @property
    def manifestation(self) -> str:
        """The URI of this file: the expression's main component as XML."""
        return f"{self.expression}/!main.xml"

    @classmethod
    def parse(cls, uri: str) -> FrbrUri:
        """Split a work, expression or manifestation URI; ValueError if it is not one."""
        m = _URI.match((uri or "").strip())
        if not m:
            raise ValueError(f"not an Akoma Ntoso FRBR URI: {uri!r}")
        return cls(doctype=m["doctype"], date=m["date"], number=m["number"], subtype=m["subtype"] or "",
                   country=m["country"], language=m["language"] or "zho",
                   expression_date=m["expression_date"] or "")

def document_type(doc: Document) -> tuple[str, str, str]:
    """(AKN document element, its name attribute, FRBR subtype) for a document."""
    kind = xml_safe(doc.meta.kind.strip())
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
    doctype, _, subtype = document_type(doc)
    return FrbrUri(doctype=doctype, subtype=subtype, date=uri_date(m.date),
                   number=document_number(m.source, m.doc_number, m.title or doc.text[:200]),
                   language=language_code(m.language))


def expression_uri(doc: Document) -> str:
    """The FRBR expression URI of a document (this language version at this date)."""
    return frbr_uri(doc).expression
