"""Excerpts for handouts: sections selected by theme, number, text or annotation, with citations.

Selection is a pure function over documents, their tags and their annotations; renderings
(Markdown, HTML, .docx, JSON) live in `reports.handout`.
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from scdocs.annotations.model import Annotation
from scdocs.document.citation import Citation, citation
from scdocs.document.model import CONTAINER_KINDS, Document, Section
from scdocs.document.query import search_terms
from scdocs.themes.result import MODEL_EVIDENCE, DocumentTags
from scdocs.themes.tagger import container_head, leads_in, taggable_sections

EXCERPTS_FORMAT = "scdocs-excerpts"
EXCERPTS_FORMAT_VERSION = 1
LEARNED_WORDS = 3  # the learned layer's words shown for a theme no cue decided


@dataclass(frozen=True)
class Highlight:
    """A stretch of the excerpt to mark: theme evidence or an annotated quote (offsets in the excerpt)."""

    start: int
    end: int
    kind: str  # "theme" or "annotation"
    label: str  # the theme id, or the annotation's short id


@dataclass
class Excerpt:
    document: Document
    section: Section
    citation: Citation
    themes: list[str] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    notes: list[Annotation] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why it was selected
    #: The themes no cue of the taxonomy decided, with the words the learned layer weighed most: a
    #: handout shows why, where there is nothing to mark in the text (its n-grams are no words to bold).
    learned: dict[str, list[str]] = field(default_factory=dict)

    def theme_label(self, theme: str) -> str:
        """party-leadership, or party-leadership (learned from 体系, 决策部) where no cue decided it."""
        words = self.learned.get(theme)
        return f"{theme} (learned from {', '.join(words)})" if words else theme

    @property
    def text(self) -> str:
        return self.section.text

    def to_dict(self) -> dict[str, object]:
        s = self.section
        return {"citation": self.citation.to_dict(), "eId": s.eid, "num": s.num, "number": s.number,
                "heading": s.heading, "start": s.start, "end": s.end, "text": s.text, "themes": self.themes,
                "reasons": self.reasons, "learned": self.learned,
                "highlights": [{"start": h.start, "end": h.end, "kind": h.kind, "label": h.label}
                               for h in self.highlights],
                "notes": [{"id": a.id, "note": a.note, "tags": list(a.tags), "by": a.creator,
                           "quote": a.anchor.exact} for a in self.notes]}


@dataclass
class Selection:
    """What to pull out: any of the criteria may be given; a section must meet all that are."""

    themes: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    query: str | None = None
    annotated: bool = False


def _wanted_sections(doc: Document, refs: tuple[str, ...], units: list[Section]) -> set[str]:
    """The excerptable sections (units) the references name: a unit itself, every unit of a named
    chapter or part, the unit that holds a named paragraph or point (a number shared by items of
    several parts names them all)."""
    ends = [u.end for u in units]  # `units` in document order, none inside another
    wanted = set()
    for s in (s for ref in refs for s in doc.find_all(ref)):
        k = bisect_right(ends, s.start)  # the first unit that ends after the named section begins
        while k < len(units) and units[k].start < s.end:
            wanted.add(units[k].eid)
            k += 1
    return wanted


def _excerptable(doc: Document, notes: list[Annotation]) -> list[Section]:
    """The taggable sections, and the heading of each chapter or part that holds a note on it (a note
    on 第二章 个人信息处理规则 lies in no article, and would be in no handout), in document order."""
    sections = taggable_sections(doc)
    if not notes:
        return sections
    starts = sorted(a.anchor.start for a in notes)
    heads = [h for c in doc.walk() if c.kind in CONTAINER_KINDS and (h := container_head(doc, c)) is not None
             and not leads_in(doc, h)  # a head with a lead-in is taggable already
             and bisect_right(starts, h.end - 1) > bisect_right(starts, h.start - 1)]
    return sorted(sections + heads, key=lambda s: s.start) if heads else sections


def select(doc: Document, tags: DocumentTags | None, notes: list[Annotation], sel: Selection) -> list[Excerpt]:
    """The excerpts of one document that meet every given criterion, in document order."""
    by_eid = {st.section.eid: st for st in tags.sections} if tags else {}
    candidates = _excerptable(doc, notes)
    wanted = _wanted_sections(doc, sel.sections, candidates) if sel.sections else None
    # As `search` reads a query: words separated by spaces must all occur, "quotes" make one phrase.
    terms = search_terms(sel.query) if sel.query else []
    query = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))) if terms else None
    out = []
    for section in candidates:
        reasons = []
        st = by_eid.get(section.eid)
        themes = [t for t in (st.theme_ids if st else []) if not sel.themes or t in sel.themes]
        if sel.themes:
            if not themes:
                continue
            reasons.append("theme " + ", ".join(themes))
        if wanted is not None:
            if section.eid not in wanted:
                continue
            reasons.append("section")
        text = section.text  # sliced from the document's text at each ask: once here
        hits = list(query.finditer(text)) if query else []
        if sel.query:
            if not hits or not all(t in text for t in terms):
                continue
            reasons.append(f"text {sel.query!r}")
        mine = sorted((a for a in notes if section.start <= a.anchor.start and a.anchor.end <= section.end
                       and a.anchors_in(doc)), key=lambda a: (a.anchor.start, a.anchor.end))  # in text order
        if sel.annotated:
            if not mine:
                continue
            reasons.append(f"{len(mine)} annotation{'s' if len(mine) > 1 else ''}")
        highlights = []
        if st:  # the cues' words are marked; the learned layer's character n-grams (商业秘) are not words to bold
            for t in st.themes:
                if t.id in themes:
                    highlights += [Highlight(e.start - section.start, e.end - section.start, "theme", t.id)
                                   for e in t.evidence if not e.pattern.startswith(MODEL_EVIDENCE)]
        highlights += [Highlight(m.start(), m.end(), "query", sel.query or "") for m in hits]
        highlights += [Highlight(a.anchor.start - section.start, a.anchor.end - section.start, "annotation",
                                 a.id.removeprefix("urn:uuid:")[:8]) for a in mine]
        shown = themes if sel.themes else (st.theme_ids if st else [])
        learned = {t.id: [e.text for e in t.evidence][:LEARNED_WORDS] for t in (st.themes if st else [])
                   if t.id in shown and t.evidence and all(e.pattern.startswith(MODEL_EVIDENCE) for e in t.evidence)}
        out.append(Excerpt(doc, section, citation(doc, section), shown,
                           sorted(highlights, key=lambda h: (h.start, -h.end)), mine, reasons, learned))
    return out


PRIORITY = {"annotation": 0, "query": 1, "theme": 2}


def non_overlapping(highlights: Iterable[Highlight]) -> list[Highlight]:
    """Highlights cut where any of them begins or ends, for marking up text: every word of each is
    marked, and where they overlap the one that wins shows (a scholar's annotation over a query hit
    over theme evidence; among equals the longer), so evidence that an annotation partly covers keeps
    the rest of its mark. Neighbouring stretches of one highlight are one. A sweep over the cuts with
    the highlights open at each in a heap: linear in the highlights, up to a logarithm."""
    marks = sorted(highlights, key=lambda h: h.start)
    cuts = sorted({p for h in marks for p in (h.start, h.end)})
    out: list[Highlight] = []
    open_: list[tuple[tuple[int, int, int], int, Highlight]] = []  # (rank, tie-break, highlight)
    k = 0
    for start, end in itertools.pairwise(cuts):
        while k < len(marks) and marks[k].start <= start:
            h = marks[k]
            heapq.heappush(open_, ((PRIORITY.get(h.kind, 3), -(h.end - h.start), h.start), k, h))
            k += 1
        while open_ and open_[0][2].end <= start:  # ended before this stretch: no longer open
            heapq.heappop(open_)
        if not open_:
            continue
        best = open_[0][2]
        if out and out[-1].end == start and (out[-1].kind, out[-1].label) == (best.kind, best.label):
            out[-1] = Highlight(out[-1].start, end, best.kind, best.label)
        else:
            out.append(Highlight(start, end, best.kind, best.label))
    return out
