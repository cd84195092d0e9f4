"""W3C Web Annotation Data Model pieces shared by tag output and the annotation store.

Selectors follow https://www.w3.org/TR/annotation-model/: a TextQuoteSelector (exact text
plus prefix and suffix, so that an annotation can be found again after edits) beside a
TextPositionSelector (code-point offsets into the canonical text).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from scdocs.document.model import Document
from scdocs.version import __version__

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SCDOCS_NS = "https://scdocs.invalid/ns#"
JSONLD_CONTEXT: list[object] = [ANNO_CONTEXT, {"scdocs": SCDOCS_NS}]
CONTEXT_CHARS = 40  # prefix and suffix of a TextQuoteSelector: at least 32, more where the text allows
_NAMESPACE = uuid.UUID("6f1d2c5e-9a47-4e0b-8c55-3d2f4b1a7e90")


def content_hash(doc: Document) -> str:
    """sha256 of the canonical text: identifies the exact expression an annotation points into."""
    return "sha256:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def document_uri(doc: Document) -> str:
    """The FRBR expression URI of a document where the catalogue or AKN gives one, else its source."""
    for key in ("frbr_expression", "expression_uri"):
        if doc.meta.extra.get(key):
            return doc.meta.extra[key]
    from scdocs.formats.frbr import expression_uri  # the Akoma Ntoso module names documents

    return str(expression_uri(doc))


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> dict[str, object]:
    return {"type": "TextQuoteSelector", "exact": text[start:end],
            "prefix": text[max(0, start - context): start], "suffix": text[end: end + context]}


def position_selector(start: int, end: int) -> dict[str, object]:
    return {"type": "TextPositionSelector", "start": start, "end": end}


def stable_id(*parts: str) -> str:
    """A deterministic URN UUID, so that re-running a command gives the same annotation ids."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '|'.join(parts))}"


def now() -> str:
    """The current UTC time as W3C annotations write it (xsd:dateTime, seconds, Z)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def software_agent() -> dict[str, str]:
    return {"type": "Software", "name": f"scdocs {__version__}"}
