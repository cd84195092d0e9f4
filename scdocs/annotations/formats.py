"""Annotation exchange formats: W3C JSON-LD collections and Hypothesis' API format."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..model import Document
from ..webanno import JSONLD_CONTEXT, document_uri
from .model import Anchor, Annotation, AnnotationError, anchor_in, from_jsonld, now, section_at


def to_jsonld_collection(doc: Document, items: list[Annotation]) -> dict[str, Any]:
    return {"@context": JSONLD_CONTEXT, "type": "AnnotationCollection", "label": doc.meta.title,
            "scdocs:formatVersion": 1, "total": len(items),
            "first": {"type": "AnnotationPage", "items": [a.to_jsonld() for a in items]}}


def to_hypothesis(doc: Document, items: list[Annotation]) -> list[dict[str, Any]]:
    """Rows shaped like Hypothesis' API (uri, text, tags, target[].selector, user, created, updated)."""
    uri = document_uri(doc)
    return [{
        "id": a.id.removeprefix("urn:uuid:"), "uri": uri, "text": a.note, "tags": list(a.tags),
        "user": f"acct:{a.creator}@scdocs", "created": a.created, "updated": a.modified,
        "document": {"title": [doc.meta.title]},
        "target": [{"source": uri, "selector": a.anchor.to_target()["selector"]}],
    } for a in items]


def _from_hypothesis(row: dict[str, Any], doc: Document, where: str) -> Annotation:
    targets = row.get("target")
    if not isinstance(targets, list) or not targets or not isinstance(targets[0], dict):
        raise AnnotationError(f"{where}: a Hypothesis row needs 'target'")
    selectors = targets[0].get("selector", [])
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str):
        raise AnnotationError(f"{where}: needs a TextQuoteSelector")
    exact = quote["exact"]
    if position is not None and doc.text[position.get("start", 0): position.get("end", 0)] == exact:
        start = int(position["start"])
    else:
        start = doc.text.find(exact)
        if start == -1:
            raise AnnotationError(f"{where}: the quote {exact[:30]!r} is not in the document")
    end = start + len(exact)
    section = section_at(doc, start, end)
    user = str(row.get("user", "anonymous")).removeprefix("acct:").split("@")[0]
    ident = str(row.get("id") or "")
    return Annotation(
        ident if ident.startswith("urn:") else f"urn:uuid:{ident}" if ident else f"urn:hypothesis:{start}",
        user, str(row.get("created", now())), str(row.get("updated", row.get("created", now()))), "commenting",
        str(row.get("text", "")), tuple(str(t) for t in row.get("tags", [])),
        Anchor(document_uri(doc), "", exact, str(quote.get("prefix", "")), str(quote.get("suffix", "")), start, end,
               section.eid if section else None))


def _placed(a: Annotation, doc: Document, where: str) -> Annotation:
    """The annotation if its words are where it says in `doc`; else moved to their only occurrence;
    else refused: it belongs to another document (or another version: use `annotate migrate`)."""
    if doc.text[a.anchor.start: a.anchor.end] == a.anchor.exact:
        return a
    first = doc.text.find(a.anchor.exact)
    if first != -1 and doc.text.find(a.anchor.exact, first + 1) == -1:
        end = first + len(a.anchor.exact)
        return replace(a, anchor=anchor_in(doc, first, end, section_at(doc, first, end)))
    raise AnnotationError(f"{where}: its words {a.anchor.exact[:30]!r} are not in this document "
                          f"({'ambiguous' if first != -1 else 'not found'}); import it into the document it "
                          "annotates, or migrate it from there")


def read_import(path: Path, doc: Document) -> list[Annotation]:
    """Annotations from a W3C collection, a list of W3C annotations, or a Hypothesis export."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationError(f"{path}: not a readable JSON annotation file ({exc})") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        data = (data.get("first") or {}).get("items", [])
    if isinstance(data, dict) and "rows" in data:  # Hypothesis search API response
        data = data["rows"]
    if not isinstance(data, list):
        raise AnnotationError(f"{path}: expected an AnnotationCollection or a list of annotations")
    out = []
    for i, item in enumerate(data, start=1):
        where = f"{path}: annotation {i}"
        if isinstance(item, dict) and item.get("type") == "Annotation":
            out.append(_placed(from_jsonld(item, where), doc, where))
        elif isinstance(item, dict):
            out.append(_from_hypothesis(item, doc, where))
        else:
            raise AnnotationError(f"{where}: not an annotation")
    return out
