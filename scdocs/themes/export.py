"""Tag results as JSON, JSON Lines, CSV, Markdown and W3C Web Annotations (JSON-LD)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from scdocs.formats.render import csv_lines, csv_text, md_escape
from scdocs.formats.webanno import (
    JSONLD_CONTEXT,
    content_hash,
    document_uri,
    now,
    position_selector,
    quote_selector,
    software_agent,
    stable_id,
)
from scdocs.themes.result import TAGS_FORMAT_VERSION, DocumentTags, Evidence, SectionTags

#: The CSV has its own version: v2 added `title` and gave each distinct piece of evidence once, with
#: its offsets (v1, the JSON's version number, repeated a cue's text for every occurrence).
TAGS_CSV_FORMAT_VERSION = 2
CSV_COLUMNS = ["format_version", "document", "title", "eId", "num", "number", "heading", "theme", "score",
               "evidence_count", "evidence"]


def to_json(results: list[DocumentTags]) -> str:
    """One document: the versioned object; several: a JSON array of them."""
    data: object = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def jsonl_lines(result: DocumentTags, sections: Iterable[SectionTags] | None = None) -> Iterable[str]:
    """One line per section, each self-describing (document and format version included); the
    sections are the result's, or those of `tag_stream`'s iterator as they are decided."""
    # The line's head (format and document) is the same on every line: encoded once, not per section.
    head = json.dumps({"format": "scdocs-tags-section", "format_version": TAGS_FORMAT_VERSION,
                       "document": result.document_dict(), "theme_filter": list(result.theme_filter)},
                      ensure_ascii=False)[:-1]
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # one encoder for every line
    for st in result.sections if sections is None else sections:
        yield head + ", " + encode(st.to_dict())[1:] + "\n"


def _doc_name(result: DocumentTags) -> str:
    meta = result.document.meta
    return meta.extra.get("id") or meta.source or meta.title


def evidence_text(evidence: Iterable[Evidence]) -> str:
    """Each distinct piece of evidence once, in text order, with its offsets in the document:
    `个人信息 @120–124; 国家安全 @131–135` (several patterns matching one span count once)."""
    spans = sorted({(e.start, e.end, e.text) for e in evidence})
    return "; ".join(f"{text} @{start}–{end}" for start, end, text in spans)


def csv_rows(result: DocumentTags, sections: Iterable[SectionTags] | None = None) -> Iterable[list[object]]:
    """One row per (section, theme): the document's id or path, its title, the section, the theme,
    and the theme's evidence joined once (the sections as in `jsonl_lines`)."""
    name, title = _doc_name(result), result.document.meta.title
    for st in result.sections if sections is None else sections:
        s = st.section
        for t in st.themes:
            spans = {(e.start, e.end) for e in t.evidence}
            yield [TAGS_CSV_FORMAT_VERSION, name, title, s.eid, s.num or "",
                   s.number if s.number is not None else "", s.heading or "", t.id, round(t.score, 3),
                   len(spans), evidence_text(t.evidence)]


def to_csv(results: list[DocumentTags], bom: bool = False) -> str:
    """RFC 4180 CSV; `bom` puts a UTF-8 byte-order mark first, which Excel needs to read Chinese."""
    return csv_text(CSV_COLUMNS, (row for r in results for row in csv_rows(r)), bom=bom)


def csv_stream(streamed: Iterable[tuple[DocumentTags, Iterable[SectionTags]]], bom: bool = False) -> Iterable[str]:
    """`to_csv` record by record over `tag_stream`'s results, as they are decided."""
    return csv_lines(CSV_COLUMNS, (row for r, sections in streamed for row in csv_rows(r, sections)), bom=bom)


def jsonl_stream(streamed: Iterable[tuple[DocumentTags, Iterable[SectionTags]]]) -> Iterable[str]:
    """JSON Lines over `tag_stream`'s results, a section at a time."""
    return (line for r, sections in streamed for line in jsonl_lines(r, sections))


def _md_escape(text: str) -> str:
    return md_escape(text, " ")


def to_markdown(results: list[DocumentTags]) -> str:
    out: list[str] = []
    for r in results:
        meta = r.document.meta
        out += [f"# {_md_escape(meta.title or _doc_name(r))}", ""]
        profile = r.profile()
        if profile:
            out += ["| theme | sections |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in profile.items()] + [""]
        out += ["| section | heading | themes | evidence |", "|---|---|---|---|"]
        for st in r.sections:
            if not st.themes:
                continue
            s = st.section
            themes = ", ".join(f"{t.id} ({t.score:.2f})" for t in st.themes)
            evidence = "; ".join(f"{t.id}: " + ", ".join(dict.fromkeys(e.text for e in t.evidence)) for t in st.themes)
            out.append(f"| {_md_escape(s.name)} | {_md_escape(s.heading or '')} | {themes} | "
                       f"{_md_escape(evidence)} |")
        out.append("")
    return "\n".join(out)


def to_annotations(results: list[DocumentTags]) -> str:
    """A W3C AnnotationCollection: one `tagging` annotation per (section, theme).

    The target is the section (quote and position selectors); the body names the theme;
    the evidence rides along as scdocs:evidence, each with its own selectors.
    """
    created = now()
    items = []
    for r in results:
        doc = r.document
        text = doc.text
        source = document_uri(doc)
        digest = content_hash(doc)
        for st in r.sections:
            s = st.section
            for t in st.themes:
                items.append({
                    "id": stable_id(digest, s.eid, t.id),
                    "type": "Annotation",
                    "motivation": "tagging",
                    "created": created,
                    "creator": software_agent(),
                    "body": [{"type": "TextualBody", "purpose": "tagging", "value": t.id},
                             {"type": "TextualBody", "purpose": "describing", "format": "text/plain",
                              "value": f"{t.id} (score {t.score:.2f}): "
                                       + ", ".join(dict.fromkeys(e.text for e in t.evidence))}],
                    "target": {"source": source, "scdocs:contentHash": digest, "scdocs:eId": s.eid,
                               "selector": [quote_selector(text, s.start, s.end), position_selector(s.start, s.end)]},
                    "scdocs:score": round(t.score, 3),
                    "scdocs:evidence": [{"scdocs:pattern": e.pattern,
                                         "selector": [quote_selector(text, e.start, e.end),
                                                      position_selector(e.start, e.end)]} for e in t.evidence],
                })
    collection = {"@context": JSONLD_CONTEXT, "type": "AnnotationCollection",
                  "label": "scdocs theme tags", "scdocs:formatVersion": TAGS_FORMAT_VERSION,
                  "total": len(items), "first": {"type": "AnnotationPage", "items": items}}
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
