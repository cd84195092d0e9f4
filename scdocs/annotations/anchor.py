"""Re-anchoring annotations on a new version of their document, most confident first.

1. position   — the same words at the recorded position;
2. section    — the exact words inside the section the diff aligns with the old one;
3. elsewhere  — the exact words elsewhere, if they occur once (or their context singles one out);
4. fuzzy      — an approximate match of the words and their context (the whole old context,
                not just 32 characters), with a minimum score and a margin over the runner-up;
5. orphaned   — kept and reported, never dropped and never silently misplaced.

Hypothesis re-anchors with no minimum score and misplaces annotations silently; scdocs
prefers an orphan to a wrong place.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scdocs.annotations.model import (
    LONG_QUOTE,
    Annotation,
    Folded,
    anchor_moved,
    moved,
    now,
)
from scdocs.changes.align import align, dice, unit_grams, unrelated_warning
from scdocs.changes.text import DELETE, EQUAL, INSERT, TextDiff, diff_text
from scdocs.document.model import Document, Section
from scdocs.formats.webanno import content_hash, document_uri
from scdocs.themes.tagger import taggable_sections

OUTCOMES = ("position", "section", "elsewhere", "fuzzy", "orphaned")
MIN_SCORE = 0.85  # a fuzzy candidate's score: 0.8 × quote likeness + 0.2 × context likeness
MIN_QUOTE = 1.0  # by default the words themselves must survive (up to character width)
MIN_CONTEXT = 0.4  # context likeness a shorter quote needs to be anchored elsewhere
MARGIN = 0.1  # a fuzzy winner must beat the runner-up elsewhere by this much
HEIR_SHARE = 0.2  # of its bigrams a new unit shares with an old section it took text from
CONTEXT_WINDOW = 200  # characters of old context used to tell occurrences apart


@dataclass
class Migration:
    annotations: list[Annotation]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))


def _fold(text: str) -> str:
    """Width-folded text (（一） → (一)); NFKC keeps the length of CJK text, so offsets still fit."""
    return unicodedata.normalize("NFKC", text)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return diff_text(_fold(a), _fold(b)).similarity()


def _occurrences(text: str, quote: str, start: int = 0, end: int | None = None) -> list[int]:
    end = len(text) if end is None else end
    out, pos = [], text.find(quote, start, end)
    while pos != -1 and pos + len(quote) <= end:
        out.append(pos)
        pos = text.find(quote, pos + 1, end)
    return out


def _context_score(old: Document, a: Annotation, new: Document, pos: int, end: int | None = None) -> float:
    """How alike the surroundings of an occurrence [pos, end) are to the annotation's old surroundings
    (`end` defaults to pos + the length of the old words)."""
    ostart, oend = a.anchor.start, a.anchor.end
    old_ok = old.text[ostart:oend] == a.anchor.exact
    before = old.text[max(0, ostart - CONTEXT_WINDOW): ostart] if old_ok else a.anchor.prefix
    after = old.text[oend: oend + CONTEXT_WINDOW] if old_ok else a.anchor.suffix
    nb = new.text[max(0, pos - len(before)): pos]
    end = pos + len(a.anchor.exact) if end is None else end
    na = new.text[end: end + len(after)]
    return (_similarity(before, nb) + _similarity(after, na)) / 2


def _pick(old: Document, a: Annotation, new: Document, positions: list[int]) -> int | None:
    """One occurrence: the only one, or the one whose context clearly fits best."""
    if len(positions) == 1:
        return positions[0]
    if not positions:
        return None
    scored = sorted(((_context_score(old, a, new, p), p) for p in positions), reverse=True)
    return scored[0][1] if scored[0][0] - scored[1][0] >= MARGIN else None


@lru_cache(maxsize=1024)
def _section_diff(old_text: str, new_text: str) -> TextDiff:
    """The character diff of two section texts, computed once for all annotations in them."""
    return diff_text(old_text, new_text)


def _map_offset(section_old: Section, section_new: Section, offset: int, right: bool) -> int:
    """Carry a document offset in the old section across the section's text diff."""
    rel = offset - section_old.start
    d = _section_diff(section_old.text, section_new.text)
    new_pos = 0
    old_pos = 0
    for op in d.ops:
        n = len(op.text)
        if op.op == EQUAL:
            if old_pos + n > rel or (old_pos + n == rel and not right):
                return section_new.start + new_pos + (rel - old_pos)
            old_pos += n
            new_pos += n
        elif op.op == DELETE:
            if old_pos + n > rel:
                return section_new.start + new_pos
            old_pos += n
        elif op.op == INSERT:
            new_pos += n
    return section_new.start + new_pos


class Reanchorer:
    """Carries annotations from one version of a document to the next."""

    def __init__(self, old: Document, new: Document, min_score: float = MIN_SCORE,
                 min_quote: float = MIN_QUOTE) -> None:
        self.old, self.new = old, new
        self.min_score, self.min_quote = min_score, min_quote
        old_units, new_units = taggable_sections(old), taggable_sections(new)
        links, _ = align(old_units, new_units)
        self.partners: dict[str, list[Section]] = {}
        for lk in links:
            if lk.old is not None and lk.new is not None:
                self.partners.setdefault(old_units[lk.old].eid, []).append(new_units[lk.new])
        #: Why NEW looks like another text rather than a new version, as `scdocs diff` warns, or None.
        self.unrelated = unrelated_warning(links, len(old_units), len(new_units))
        self.old_units, self.new_units = old_units, new_units
        self._new_starts = [u.start for u in new_units]
        self._new_grams: dict[str, Any] = {}  # a new unit's bigrams, made when an annotation asks
        self._folded: Folded | None = None

    @property
    def folded(self) -> Folded:
        """The new text with width and whitespace folded, made once for all annotations."""
        if self._folded is None:
            self._folded = Folded(self.new.text)
        return self._folded

    def _old_section(self, a: Annotation) -> Section | None:
        eid = a.anchor.eid
        if eid:  # the unit of that eId, or the innermost one holding it (a part's lead-in holds no item)
            holding = [s for s in self.old_units if s.eid == eid or eid.startswith(s.eid + "__")]
            if holding:
                return max(holding, key=lambda s: (s.eid == eid, len(s.eid)))
        for s in self.old_units:
            if s.start <= a.anchor.start and a.anchor.end <= s.end:
                return s
        return None

    def reanchor(self, a: Annotation) -> tuple[str, tuple[int, int] | None, float]:
        """(outcome, new (start, end) or None, score)."""
        exact, new_text = a.anchor.exact, self.new.text
        start, end = a.anchor.start, a.anchor.end
        if new_text[start:end] == exact and (not a.anchor.prefix or new_text[:start].endswith(a.anchor.prefix[-8:])):
            return "position", (start, end), 1.0
        old_section = self._old_section(a)
        partners = self.partners.get(old_section.eid, []) if old_section else []
        found = sorted({p for s in partners for p in _occurrences(new_text, exact, s.start, s.end)})
        pos = _pick(self.old, a, self.new, found)
        if pos is None and found and old_section is not None:
            pos = self._by_diff(a, old_section, partners, found)
        if pos is not None:
            return "section", (pos, pos + len(exact)), 1.0
        if not found:
            everywhere = _occurrences(new_text, exact)
            pos = _pick(self.old, a, self.new, everywhere)
            # A short quote found in another place is as likely another use of the same words:
            # it needs its surroundings to agree too, or to stand in the one article that took over
            # the old provision's text (an article split in two aligns with neither half).
            if pos is not None and (len(exact) >= LONG_QUOTE
                                    or _context_score(self.old, a, self.new, pos) >= MIN_CONTEXT):
                return "elsewhere", (pos, pos + len(exact)), 1.0
            inherited = self._in_heirs(old_section, everywhere) if old_section is not None else []
            if len(inherited) == 1:
                return "elsewhere", (inherited[0], inherited[0] + len(exact)), 1.0
        return self._fuzzy(a, old_section, partners)

    def _in_heirs(self, old_section: Section, positions: list[int]) -> list[int]:
        """The positions that lie in a new unit sharing at least HEIR_SHARE of the old section's words
        (character bigrams, as `align` compares units): where its text went, aligned or not."""
        if not positions:
            return []
        grams = unit_grams(old_section.text, old_section.num)
        out = []
        for pos in positions:
            k = bisect_right(self._new_starts, pos) - 1
            unit = self.new_units[k] if k >= 0 else None
            if unit is None or pos >= unit.end:
                continue
            if unit.eid not in self._new_grams:
                self._new_grams[unit.eid] = unit_grams(unit.text, unit.num)
            if dice(grams, self._new_grams[unit.eid]) >= HEIR_SHARE:
                out.append(pos)
        return out

    def _by_diff(self, a: Annotation, old_section: Section, partners: list[Section], found: list[int]) -> int | None:
        """Among several occurrences in the aligned section, the one the section's diff carries the old one to."""
        if self.old.text[a.anchor.start: a.anchor.end] != a.anchor.exact:
            return None
        mapped = [_map_offset(old_section, s, a.anchor.start, right=False) for s in partners]
        near = [p for p in found if any(abs(p - m) <= len(a.anchor.exact) // 2 for m in mapped)]
        return near[0] if len(near) == 1 else None

    def _fuzzy(self, a: Annotation, old_section: Section | None, partners: list[Section]
               ) -> tuple[str, tuple[int, int] | None, float]:
        """Approximate match: the quote (with width and whitespace folded, see Folded, or at least
        `min_quote` alike) with its context; the best candidate must reach `min_score` and beat the
        runner-up by MARGIN. A folded match keeps the new version's characters at its offsets."""
        exact = a.anchor.exact
        candidates: dict[tuple[int, int], float] = {}
        for fs, fe in self.folded.find_all(exact):
            candidates[(fs, fe)] = 0.8 + 0.2 * _context_score(self.old, a, self.new, fs, fe)
        if self.min_quote < 1.0 and old_section is not None and self.old.text[a.anchor.start: a.anchor.end] == exact:
            for s in partners:  # where the section's own diff carries the old words
                ms = _map_offset(old_section, s, a.anchor.start, right=False)
                me = _map_offset(old_section, s, a.anchor.end, right=True)
                quote = _similarity(exact, self.new.text[ms:me]) if me > ms else 0.0
                if quote >= self.min_quote and (ms, me) not in candidates:
                    candidates[(ms, me)] = 0.8 * quote + 0.2 * _context_score(self.old, a, self.new, ms)
        ranked = sorted(candidates.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < self.min_score:
            return "orphaned", None, ranked[0][1] if ranked else 0.0
        (ws, we), best = ranked[0]
        rivals = [score for (s2, e2), score in ranked[1:] if e2 <= ws or we <= s2]  # other places only
        if rivals and best - rivals[0] < MARGIN:
            return "orphaned", None, best
        return "fuzzy", (ws, we), best

    def migrate(self, annotations: list[Annotation]) -> Migration:
        result = Migration([])
        uri, digest = document_uri(self.new), content_hash(self.new)
        for a in annotations:
            outcome, span, score = self.reanchor(a)
            record: dict[str, Any] = {
                "outcome": outcome, "score": round(score, 3), "at": now(),
                "from": {"source": a.anchor.source, "contentHash": a.anchor.content_hash,
                         "start": a.anchor.start, "end": a.anchor.end, "eId": a.anchor.eid},
                "to": uri,
            }
            result.counts[outcome] += 1
            if span is None:
                result.annotations.append(moved(a, a.anchor, record, digest))
                continue
            anchor = anchor_moved(a, self.new, *span, uri, digest)
            result.annotations.append(moved(a, anchor, record, digest))
        return result
