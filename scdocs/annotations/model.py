"""A scholar's annotation as a W3C Web Annotation, and its validation.

An annotation targets the document's FRBR expression URI and content hash, with three ways
to find its words again: a TextQuoteSelector (the exact words with 40 characters of context
each side), a TextPositionSelector (offsets into the canonical text) and the section eId.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from scdocs.document.model import Document, Section
from scdocs.errors import ScdocsError
from scdocs.formats.webanno import content_hash, document_uri, now, position_selector, quote_selector, stable_id

MOTIVATIONS = ("commenting", "tagging", "highlighting")


class AnnotationError(ScdocsError):
    """An annotation or annotation file that is malformed or cannot be placed."""


@dataclass(frozen=True)
class Anchor:
    """Where an annotation points: document, words and section."""

    source: str  # FRBR expression URI (or path) of the document
    content_hash: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    eid: str | None

    def to_target(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "scdocs:contentHash": self.content_hash,
            "scdocs:eId": self.eid,
            "selector": [
                {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
                position_selector(self.start, self.end),
            ],
        }


@dataclass(frozen=True)
class Annotation:
    id: str
    creator: str
    created: str
    modified: str
    motivation: str
    note: str
    tags: tuple[str, ...]
    anchor: Anchor
    anchoring: dict[str, Any] | None = None  # the outcome of the last migration, if any
    extra: dict[str, Any] = field(default_factory=dict)  # other JSON-LD keys, kept on round trips

    def to_jsonld(self) -> dict[str, Any]:
        body: list[dict[str, Any]] = []
        if self.note:
            body.append({"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": self.note})
        body += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in self.tags]
        out: dict[str, Any] = {
            **self.extra,
            "id": self.id,
            "type": "Annotation",
            "motivation": self.motivation,
            "creator": {"type": "Person", "name": self.creator},
            "created": self.created,
            "modified": self.modified,
            "body": body,
            "target": self.anchor.to_target(),
        }
        if self.anchoring is not None:
            out["scdocs:anchoring"] = self.anchoring
        return out


def anchor_in(doc: Document, start: int, end: int, section: Section | None,
              source: str | None = None, digest: str | None = None) -> Anchor:
    """An anchor on doc.text[start:end]; `source` and `digest` save recomputing the document's URI
    and hash when many annotations are placed in one document."""
    q = quote_selector(doc.text, start, end)
    return Anchor(source or document_uri(doc), digest or content_hash(doc), str(q["exact"]), str(q["prefix"]),
                  str(q["suffix"]), start, end, section.eid if section else None)


def section_at(doc: Document, start: int, end: int) -> Section | None:
    """The innermost unit (article or item) or container holding [start, end)."""
    best = None
    for s in doc.walk():
        if s.start <= start and end <= s.end and s.kind not in ("paragraph", "point", "subpoint"):
            best = s
    return best


def new_annotation(doc: Document, section: Section, quote: str, note: str = "", tags: tuple[str, ...] = (),
                   creator: str = "anonymous", motivation: str = "commenting", occurrence: int = 1) -> Annotation:
    """An annotation of the `occurrence`-th appearance of `quote` inside `section`."""
    if motivation not in MOTIVATIONS:
        raise AnnotationError(f"motivation must be one of {', '.join(MOTIVATIONS)}, not {motivation!r}")
    if not quote:
        raise AnnotationError("the quote is empty")
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = section.text.find(quote, pos + 1)
        if pos == -1:
            break
    if pos == -1:
        where = f"{section.num or section.eid}"
        raise AnnotationError(f"the quote {quote!r} does not occur in section {where}"
                              + (f" {occurrence} times" if occurrence > 1 else ""))
    start = section.start + pos
    stamp = now()
    return Annotation(f"urn:uuid:{uuid.uuid4()}", creator, stamp, stamp, motivation, note, tuple(tags),
                      anchor_in(doc, start, start + len(quote), section))


def _req(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise AnnotationError(f"{where}: missing or malformed '{key}'")
    return value


def from_jsonld(data: Any, where: str) -> Annotation:
    """Validate and read one annotation; `where` names it in errors (file and position)."""
    if not isinstance(data, dict):
        raise AnnotationError(f"{where}: an annotation must be a JSON object")
    ident = _req(data, "id", str, where)
    if data.get("type") != "Annotation":
        raise AnnotationError(f"{where}: 'type' must be \"Annotation\"")
    motivation = _req(data, "motivation", str, where)
    target = _req(data, "target", dict, where)
    selectors = _req(target, "selector", list, f"{where}: target")
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str):
        raise AnnotationError(f"{where}: target needs a TextQuoteSelector with 'exact'")
    if position is None or not all(isinstance(position.get(k), int) for k in ("start", "end")):
        raise AnnotationError(f"{where}: target needs a TextPositionSelector with integer 'start' and 'end'")
    if not 0 <= position["start"] <= position["end"]:
        raise AnnotationError(f"{where}: TextPositionSelector start/end out of order")
    note, tags = "", []
    body = data.get("body", [])
    for b in body if isinstance(body, list) else [body]:
        if isinstance(b, dict) and isinstance(b.get("value"), str):
            if b.get("purpose") == "tagging":
                tags.append(b["value"])
            else:
                note = b["value"] if not note else note + "\n" + b["value"]
    creator = data.get("creator", "")
    creator_name = creator.get("name", "") if isinstance(creator, dict) else str(creator)
    known = {"id", "type", "motivation", "creator", "created", "modified", "body", "target", "scdocs:anchoring",
             "@context"}
    anchoring = data.get("scdocs:anchoring")
    return Annotation(
        ident, creator_name, str(data.get("created", "")), str(data.get("modified", data.get("created", ""))),
        motivation, note, tuple(tags),
        Anchor(str(target.get("source", "")), str(target.get("scdocs:contentHash", "")), quote["exact"],
               str(quote.get("prefix", "")), str(quote.get("suffix", "")), position["start"], position["end"],
               target.get("scdocs:eId")),
        anchoring if isinstance(anchoring, dict) else None,
        {k: v for k, v in data.items() if k not in known},
    )


def moved(annotation: Annotation, anchor: Anchor, anchoring: dict[str, Any], new_hash: str) -> Annotation:
    """The annotation carried onto a new version: a copy with its own id (the same id each time the
    same annotation is migrated onto the same text), pointing back to the one it came from."""
    origin = annotation.extra.get("scdocs:migratedFrom") or annotation.id
    ident = stable_id(str(origin), new_hash)
    extra = {**annotation.extra, "scdocs:migratedFrom": annotation.id}
    return replace(annotation, id=ident, anchor=anchor, anchoring=anchoring, modified=now(), extra=extra)
