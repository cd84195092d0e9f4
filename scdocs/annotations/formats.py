"""Annotation exchange formats: W3C JSON-LD collections and Hypothesis' API format."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from scdocs.annotations.model import (
    LONG_QUOTE,
    Annotation,
    AnnotationError,
    anchor_in,
    anchor_moved,
    from_jsonld,
    now,
    section_at,
)
from scdocs.document.model import Document
from scdocs.formats.render import clip
from scdocs.formats.webanno import JSONLD_CONTEXT, document_uri, stable_id


def to_jsonld_collection(doc: Document, items: list[Annotation]) -> dict[str, Any]:
    return {"@context": JSONLD_CONTEXT, "type": "AnnotationCollection", "label": doc.meta.title,
            "scdocs:formatVersion": 1, "total": len(items),
            "first": {"type": "AnnotationPage", "items": [a.to_jsonld() for a in items]}}


def hypothesis_uri(doc: Document) -> str:
    """An absolute URI, as Hypothesis' API wants: the document's web address where it was read from
    one, else its Akoma Ntoso expression URI (a path, /akn/cn/…) as urn:x-akn:/akn/cn/…, the way
    Hypothesis itself names documents without an address (urn:x-pdf:…)."""
    source = doc.meta.source or ""
    if source.startswith(("http://", "https://")):
        return source
    uri = document_uri(doc)
    return uri if ":" in uri.split("/", 1)[0] else f"urn:x-akn:{uri}"


def to_hypothesis(doc: Document, items: list[Annotation]) -> list[dict[str, Any]]:
    """Rows shaped like Hypothesis' API (uri, text, tags, target[].selector, user, created, updated)."""
    uri = hypothesis_uri(doc)
    return [{
        "id": a.id.removeprefix("urn:uuid:"), "uri": uri, "text": a.note, "tags": list(a.tags),
        "user": f"acct:{a.creator}@scdocs", "created": a.created, "updated": a.modified,
        "document": {"title": [doc.meta.title]},
        "target": [{"source": uri, "selector": a.anchor.to_target()["selector"]}],
    } for a in items]


def _from_hypothesis(row: dict[str, Any], doc: Document, where: str) -> Annotation:
    targets = row.get("target")
    if targets is None:
        raise AnnotationError(f"{where}: a Hypothesis row needs 'target'")
    if not isinstance(targets, list) or not targets or not isinstance(targets[0], dict):
        raise AnnotationError(f"{where}: a Hypothesis row's 'target' must be a list of objects "
                              f"(found {type(targets).__name__}{' (empty)' if targets == [] else ''})")
    selectors = targets[0].get("selector", [])
    selectors = selectors if isinstance(selectors, list) else []
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise AnnotationError(f"{where}: needs a TextQuoteSelector with 'exact'")
    exact = quote["exact"]
    prefix, suffix = str(quote.get("prefix") or ""), str(quote.get("suffix") or "")
    start = position.get("start") if isinstance(position, dict) else None
    if not (isinstance(start, int) and doc.text[start: start + len(exact)] == exact):
        start = _by_context(doc.text, exact, prefix, suffix, where)
    end = start + len(exact)
    user = str(row.get("user", "anonymous")).removeprefix("acct:").split("@")[0]
    ident = str(row.get("id") or "")
    raw_tags = row.get("tags")
    tags = raw_tags if isinstance(raw_tags, list) else []
    return Annotation(
        ident if ident.startswith("urn:") else f"urn:uuid:{ident}" if ident else stable_id(exact, str(start)),
        user, str(row.get("created", now())), str(row.get("updated", row.get("created", now()))), "commenting",
        str(row.get("text", "")), tuple(str(t) for t in tags), anchor_in(doc, start, end, section_at(doc, start, end)))


def _by_context(text: str, exact: str, prefix: str, suffix: str, where: str) -> int:
    """The one occurrence of `exact` whose surroundings match the quote's prefix and suffix."""
    hits = []
    pos = text.find(exact)
    while pos != -1:
        hits.append(pos)
        pos = text.find(exact, pos + 1)
    if len(hits) > 1 and (prefix or suffix):  # compared in place: no copy of the text per hit
        hits = [h for h in hits if h >= len(prefix) and text.startswith(prefix, h - len(prefix))
                and text.startswith(suffix, h + len(exact))]
    if len(hits) == 1:
        return hits[0]
    raise AnnotationError(f"{where}: the quote {clip(exact, 30)!r} is "
                          + ("not in the document" if not hits else f"in {len(hits)} places its context cannot tell "
                                                                     "apart; refused rather than guessed"))


def _placed(a: Annotation, doc: Document, where: str) -> Annotation:
    """The annotation if its words are where it says in `doc`; else moved to the one occurrence its
    context singles out; else refused: it belongs to another document (use `annotate migrate`). One
    marked orphaned (a migration found its words nowhere in this version) is kept as the export kept
    it: a store's backup restores every note."""
    if doc.text[a.anchor.start: a.anchor.end] == a.anchor.exact:
        return a
    if a.anchoring is not None and a.anchoring.get("outcome") == "orphaned":
        return a
    try:
        start = _by_context(doc.text, a.anchor.exact, a.anchor.prefix, a.anchor.suffix, where)
    except AnnotationError as exc:
        raise AnnotationError(f"{exc}; import it into the document it annotates, or migrate it from there") from None
    end = start + len(a.anchor.exact)
    return replace(a, anchor=anchor_moved(a, doc, start, end))


def relocated(a: Annotation, doc: Document) -> Annotation | None:
    """The annotation placed on its words in `doc` (the one occurrence, or the one its recorded prefix
    and suffix single out), or None where they are not in it or cannot be told apart. A short quote
    found once elsewhere is as likely another use of the same words: it moves only where the words
    beside it agree with those recorded (as `annotate migrate` asks), else it stays, reported."""
    try:
        b = _placed(a, doc, "")
    except AnnotationError:
        return None
    if b is a or len(a.anchor.exact) >= LONG_QUOTE:
        return b
    start, end = b.anchor.start, b.anchor.end
    before, after = a.anchor.prefix[-CONTEXT_AGREES:], a.anchor.suffix[:CONTEXT_AGREES]
    agrees = ((before and start >= len(before) and doc.text.startswith(before, start - len(before)))
              or (after and doc.text.startswith(after, end)))
    return b if agrees else None


#: Characters next to a short quote that must agree with those recorded for it to move (`relocated`).
CONTEXT_AGREES = 4


def read_import(path: Path, doc: Document) -> list[Annotation]:
    """Annotations from a W3C collection, a list of W3C annotations, or a Hypothesis export."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationError(f"{path}: not a readable JSON annotation file ({exc})") from None
    except RecursionError:
        raise AnnotationError(f"{path}: not a readable JSON annotation file (nested too deeply)") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        data = (data.get("first") or {}).get("items", [])
    if isinstance(data, dict) and "rows" in data:  # Hypothesis search API response
        data = data["rows"]
    if isinstance(data, dict) and data.get("type") == "Annotation":  # one annotation (`annotate show`)
        data = [{k: v for k, v in data.items() if k != "@context"}]
    if not isinstance(data, list):
        raise AnnotationError(f"{path}: expected an AnnotationCollection or a list of annotations")
    out = []
    for i, item in enumerate(data, start=1):
        where = f"{path}: annotation {i}"
        if isinstance(item, dict) and item.get("type") == "Annotation":
            out.append(_placed(from_jsonld(item, where), doc, where))
        elif isinstance(item, dict) and "type" in item:  # W3C-shaped, but not an annotation
            raise AnnotationError(f"{where}: type {item['type']!r} is not a W3C Annotation")
        elif isinstance(item, dict):
            out.append(_from_hypothesis(item, doc, where))
        else:
            raise AnnotationError(f"{where}: not an annotation")
    return out
