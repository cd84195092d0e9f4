"""FRBR URIs for Akoma Ntoso documents, laid out the way Laws.Africa's cobalt and Indigo lay them out.

A *work* is a law across all its versions: ``/akn/cn/act/1993-12-29/company-law`` (country,
document type, the date of its first enactment, a number). Each version is an *expression* of
it, which adds a language and the version's date: ``…/company-law/zho@2023-12-29``; this XML
file is a *manifestation* of that expression: ``…/zho@2023-12-29/!main.xml``. So AKN tools see
company-law-2018 and company-law-2023 as two versions of one work, while W3C annotations,
which point into one version's text, point at an expression, which differs between versions.
The layout, ``/akn/{country}/{doctype}[/{subtype}]/{date}/{number}[/{language}@{date}]``, is
what cobalt's `FrbrUri.parse` reads (tests/test_frbr.py checks every corpus document).

Where the parts come from: a document loaded from the catalogue carries its work's slug and
date in `Metadata.extra` (``work``; ``work_date``, the catalogue's ``first_enacted``, else the
date of the work's earliest catalogued version). A document read from a plain file knows only
itself, so its work is named by its file name (or 发文字号) and dated by its own date. An AKN
file from another tool keeps the URI it was read with.

Language: ``zho``, not ``chi``. The AKN naming convention asks for an ISO 639-2 alpha-3 code
without choosing between ISO 639-2's bibliographic (``chi``) and terminological (``zho``)
codes, and cobalt accepts any three letters; Indigo, which mints most cobalt URIs, uses the
terminological codes, which are also ISO 639-3's. ``zho`` is what scdocs has always written,
so expression URIs in earlier files and annotations keep their language; ``chi`` in a file from
elsewhere still reads as Chinese.
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
    """A work (country, type, date of first enactment, number) and one expression of it (language, date).

    The method names are cobalt's, so code written against either reads the same; unlike
    cobalt's, `expression_date` is a bare date (cobalt keeps the ``@`` with it).
    """

    doctype: str
    date: str
    number: str
    subtype: str = ""
    country: str = "cn"
    language: str = "zho"
    expression_date: str = ""

    def work_uri(self) -> str:
        """The work: the same for every version of a law."""
        sub = f"/{self.subtype}" if self.subtype else ""
        return f"/akn/{self.country}/{self.doctype}{sub}/{self.date}/{self.number}"

    def expression_uri(self) -> str:
        """One version: the work in a language at a date (the work's date if the version's is unknown)."""
        return f"{self.work_uri()}/{self.language}@{self.expression_date or self.date}"

    def manifestation_uri(self) -> str:
        """This file: the expression's main component as XML."""
        return f"{self.expression_uri()}/!main.xml"

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
    """The FRBR URI `to_akn` names a document with: the one it was read with, else one made from its
    metadata: the catalogue's work and work date where it came from the catalogue
    (``/akn/cn/act/1993-12-29/company-law/zho@2023-12-29``), else its own file name and date
    (``/akn/cn/act/2021-08-20/pipl-2021/zho@2021-08-20``)."""
    m = doc.meta
    known = m.extra.get("frbr_expression", "")
    if known:
        try:
            return FrbrUri.parse(known)
        except ValueError:
            pass
    doctype, _, subtype = document_type(doc)
    number = slug(m.extra.get("work", "")) or document_number(m.source, m.doc_number, m.title or doc.text[:200])
    return FrbrUri(doctype=doctype, subtype=subtype, date=uri_date(m.extra.get("work_date") or m.date),
                   number=number, language=language_code(m.language), expression_date=uri_date(m.date))


def expression_uri(doc: Document) -> str:
    """The FRBR expression URI of a document: this version, in its language, at its date."""
    return frbr_uri(doc).expression_uri()
