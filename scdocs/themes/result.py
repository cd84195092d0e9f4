"""What tagging produces: per section, the themes it provides for, each with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from scdocs.document.model import Document, Section

TAGS_FORMAT = "scdocs-tags"
TAGS_FORMAT_VERSION = 2
#: The pattern of evidence from the learned layer starts with this (`model:g:商业` a character n-gram,
#: `model:h:…` one of a heading above); cue evidence names its taxonomy pattern.
MODEL_EVIDENCE = "model:"


@dataclass(frozen=True, slots=True)  # slots: a long law has hundreds of thousands of these
class Evidence:
    """One matched cue: the words, their offsets in the document's canonical text, the pattern."""

    text: str
    start: int
    end: int
    pattern: str
    weight: float

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "pattern": self.pattern,
                "weight": round(self.weight, 3)}


@dataclass(slots=True)
class ThemeTag:
    id: str
    score: float
    evidence: list[Evidence]

    def to_dict(self, start: int = 0, end: int | None = None) -> dict[str, object]:
        """With the section's offsets, evidence outside them (the words of a chapter heading above the
        section, which the learned layer reads) says so: `"context": "heading"`."""
        evidence = []
        for e in self.evidence:
            d = e.to_dict()
            if end is not None and not (start <= e.start and e.end <= end):
                d["context"] = "heading"
            evidence.append(d)
        return {"id": self.id, "score": round(self.score, 3), "evidence": evidence}


@dataclass(slots=True)
class SectionTags:
    section: Section
    themes: list[ThemeTag]

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def get(self, theme_id: str) -> ThemeTag | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def to_dict(self) -> dict[str, object]:
        s = self.section
        return {"eId": s.eid, "kind": s.kind, "num": s.num, "number": s.number, "heading": s.heading,
                "start": s.start, "end": s.end, "themes": [t.to_dict(s.start, s.end) for t in self.themes]}


@dataclass
class DocumentTags:
    """The tags of one document; `to_dict()` is the versioned JSON output."""

    document: Document
    sections: list[SectionTags]
    threshold: float
    taxonomy_sources: tuple[str, ...] = field(default=())
    engine: str = "rules"  # "rules", or "model (<source>)" when the learned layer decided
    notes: list[str] = field(default_factory=list)  # themes the taxonomy's scopes left out, and why
    #: The themes a filter asked for (`tag --theme`), whose sections alone are listed; empty: all (v2).
    theme_filter: tuple[str, ...] = ()

    def profile(self) -> dict[str, int]:
        """How many sections provide for each theme, most frequent first."""
        counts: dict[str, int] = {}
        for st in self.sections:
            for t in st.themes:
                counts[t.id] = counts.get(t.id, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def section(self, ref: str | int | Section) -> SectionTags:
        """The tags of one section: by number, printed num or eId, or the Section itself."""
        if isinstance(ref, Section):
            for st in self.sections:
                if st.section is ref or (st.section.eid == ref.eid and st.section.text == ref.text):
                    return st
            where = "is not tagged" if any(s is ref for s in self.document.walk()) else \
                "belongs to another document"
            raise KeyError(f"section {ref.name} ({ref.eid}) {where}")
        target = self.document.find(ref)
        for st in self.sections:
            if st.section is target:
                return st
        raise KeyError(f"section {ref!r} is not tagged")

    def document_dict(self) -> dict[str, object]:
        """The document's identity as every tags output carries it."""
        meta = self.document.meta
        return {"title": meta.title, "issuer": meta.issuer, "date": meta.date, "doc_number": meta.doc_number,
                "language": meta.language, "source": meta.source, "id": meta.extra.get("id", "")}

    def to_dict(self) -> dict[str, object]:
        return {
            "format": TAGS_FORMAT,
            "format_version": TAGS_FORMAT_VERSION,
            "document": self.document_dict(),
            "taxonomy": list(self.taxonomy_sources),
            "threshold": self.threshold,
            "engine": self.engine,
            "notes": list(self.notes),
            "theme_filter": list(self.theme_filter),
            "sections": [st.to_dict() for st in self.sections],
            "profile": self.profile(),
        }
