"""Plain renderings of a Document: JSON (versioned), Markdown and canonical text."""

from __future__ import annotations

import json

from scdocs.document.model import CONTAINER_KINDS, Document, Section

JSON_FORMAT = "scdocs-document"
JSON_FORMAT_VERSION = 1


def to_json(doc: Document) -> str:
    """The document as JSON: metadata, canonical text and the section tree with offsets.

    The shape is described by ``scdocs/data/document.schema.json``; ``format_version``
    changes whenever a field changes meaning or disappears.
    """
    data = {"format": JSON_FORMAT, "format_version": JSON_FORMAT_VERSION, **doc.to_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]|#~"} | {"<": "&lt;", ">": "&gt;"})


def md_escape(text: str, newline: str = "\n") -> str:
    """Document text made inert in Markdown: markup characters escaped, angle brackets as entities
    (so no HTML gets through), line breaks as `newline` (" " or "<br>" inside a table cell)."""
    return text.translate(_MD_SPECIAL).replace("\n", newline)


def to_markdown(doc: Document) -> str:
    """Headings for containers, a bold num for each unit; the text itself is unchanged."""
    out: list[str] = [f"# {doc.meta.title or 'Untitled document'}", ""]
    facts = [("Issuer", doc.meta.issuer), ("Date", doc.meta.date), ("Document number", doc.meta.doc_number)]
    out += [f"- {k}: {v}" for k, v in facts if v]
    out += ["", "<!-- INFO END -->", ""]  # the header block ends here, as in Markdown law collections
    if doc.preamble:
        out += [doc.preamble.text.replace("\n", "\n\n"), ""]

    def emit(section: Section, depth: int) -> None:
        if section.kind in CONTAINER_KINDS:
            own_end = section.children[0].start if section.children else section.end
            heading, *paragraphs = doc.text[section.start: own_end].strip().split("\n")
            out.extend([f"{'#' * min(depth + 2, 6)} {heading}", ""])
            for line in paragraphs:  # text of a part that has no items of its own
                out.extend([line, ""])
            for child in section.children:
                emit(child, depth + 1)
            return
        lines = section.text.split("\n")
        num = section.num or ""
        first = lines[0][len(num):].lstrip(" \u3000") if num and lines[0].startswith(num) else lines[0]
        out.extend([f"**{num}** {first}" if num else first, ""])
        for line in lines[1:]:
            out.extend([line, ""])

    for section in doc.body:
        emit(section, 0)
    if doc.conclusions:
        out += [doc.conclusions.text.replace("\n", "  \n"), ""]
    return "\n".join(out).rstrip() + "\n"


def to_text(doc: Document) -> str:
    return doc.text + "\n"
