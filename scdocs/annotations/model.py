"""A scholar's annotation as a W3C Web Annotation, and its validation.

An annotation targets the document's FRBR expression URI and content hash, with three ways
to find its words again: a TextQuoteSelector (the exact words with 40 characters of context
each side), a TextPositionSelector (offsets into the canonical text) and the section eId.
"""

from __future__ import annotations

import difflib
import re
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from scdocs.document.folding import fold, fold_char
from scdocs.document.model import EID_PREFIX, Document, Section
from scdocs.errors import ScdocsError
from scdocs.formats.render import clip
from scdocs.formats.webanno import content_hash, document_uri, now, position_selector, quote_selector, stable_id

MOTIVATIONS = ("commenting", "tagging", "highlighting")
# Characters NFKC keeps as they are and that are not whitespace: copied in runs, not one by one.
_STABLE = re.compile(r"[!-~\u4e00-\u9fff\u3400-\u4dbf]+")
CLOSEST_WINDOWS = 4000  # windows compared one by one when looking for the closest passage


class AnnotationError(ScdocsError):
    """An annotation or annotation file that is malformed or cannot be placed."""


LONG_QUOTE = 16  # characters: a quote this long found once elsewhere is the same text, moved

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

    def anchors_in(self, doc: Document) -> bool:
        """Whether the annotation's words are at its position in `doc` (orphaned or stale ones are not)."""
        return doc.text[self.anchor.start: self.anchor.end] == self.anchor.exact

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


def section_at(doc: Document, start: int, end: int, within_units: bool = False) -> Section | None:
    """The innermost unit (article or item) or container holding [start, end); with `within_units`,
    the innermost paragraph or point inside it where one holds it (a note made on 第六条第一款第一项)."""
    best = None
    for s in doc.walk():
        if s.start <= start and end <= s.end and (within_units or s.kind not in SUBUNIT_KINDS):
            best = s
    return best


SUBUNIT_KINDS = ("paragraph", "point", "subpoint")


def on_subunit(anchor: Anchor) -> bool:
    """Whether an anchor names a paragraph or point (art_6__para_1__point_1), not a whole unit."""
    return bool(anchor.eid) and any(f"__{EID_PREFIX[k]}_" in str(anchor.eid) for k in SUBUNIT_KINDS)


def anchor_moved(a: Annotation, doc: Document, start: int, end: int, source: str | None = None,
                 digest: str | None = None) -> Anchor:
    """`a`'s anchor placed on doc.text[start:end], naming a section as precise as it named before (a
    point stays a point): what migration, re-anchoring and import all make."""
    return anchor_in(doc, start, end, section_at(doc, start, end, within_units=on_subunit(a.anchor)), source, digest)


def new_annotation(doc: Document, section: Section, quote: str, note: str = "", tags: tuple[str, ...] = (),
                   creator: str = "anonymous", motivation: str = "commenting", occurrence: int = 1) -> Annotation:
    """An annotation of the `occurrence`-th appearance of `quote` inside `section`."""
    if motivation not in MOTIVATIONS:
        raise AnnotationError(f"motivation must be one of {', '.join(MOTIVATIONS)}, not {motivation!r}")
    if not quote:
        raise AnnotationError("the quote is empty")
    if not fold(quote):
        raise AnnotationError("the quote is only whitespace")
    match = locate_quote(section, quote, max(1, occurrence))
    if match is None:
        where = f"{section.name}"
        found = locate_quote(section, quote)
        if found is not None:
            times = f"{found.count} time{'s' if found.count != 1 else ''}"
            raise AnnotationError(f"the quote {_clip(quote)!r} occurs {times} in section {where}, not "
                                  f"{occurrence}; give --occurrence 1 to {found.count}")
        passage, score = closest_passage(section, quote)
        hint = (f"; closest passage: “{_clip(passage)}” (similarity {score:.2f})" if passage and score > 0
                else "; no passage in it is like the quote")
        raise AnnotationError(f"the quote {_clip(quote)!r} does not occur in section {where}{hint}")
    stamp = now()
    return Annotation(f"urn:uuid:{uuid.uuid4()}", creator, stamp, stamp, motivation, note, tuple(tags),
                      anchor_in(doc, match.start, match.end, section))


class Folded:
    """A text with character width and whitespace folded away, mapped back to the original.

    Each character goes through NFKC on its own (，→ ,  （→ (  １→ 1  Ａ→ A), curly quotes become
    straight ones and whitespace (spaces, ideographic spaces, line breaks) is dropped, so a quote
    typed with other punctuation widths or spacing finds the words it means. `span` turns a match
    in the folded text into offsets of the original, so an anchor keeps the document's characters.
    """

    def __init__(self, text: str) -> None:
        out: list[str] = []
        self._fstarts: list[int] = []  # runs: folded position → original position, in step
        self._ostarts: list[int] = []
        n = 0
        pos = 0

        def run(o: int) -> None:
            if not self._fstarts or self._ostarts[-1] + (n - self._fstarts[-1]) != o:
                self._fstarts.append(n)
                self._ostarts.append(o)

        while pos < len(text):
            m = _STABLE.match(text, pos)
            if m:
                run(pos)
                out.append(m.group())
                n += m.end() - pos
                pos = m.end()
                continue
            for ch in fold_char(text[pos]):  # one character may fold to several (㈠ → (一)): each maps to it
                run(pos)
                out.append(ch)
                n += 1
            pos += 1
        self.text = "".join(out)
        self._length = len(text)

    def origin(self, i: int) -> int:
        """The original position of folded character i."""
        j = bisect_right(self._fstarts, i) - 1
        return self._ostarts[j] + (i - self._fstarts[j])

    def span(self, fs: int, fe: int) -> tuple[int, int] | None:
        """Original [start, end) of folded [fs, fe), or None where the match cuts an original character
        (a quote "一)" inside ㈠)."""
        if fe <= fs:
            return None
        start, last = self.origin(fs), self.origin(fe - 1)
        if fs > 0 and self.origin(fs - 1) == start:
            return None
        if fe < len(self.text) and self.origin(fe) == last:
            return None
        return start, last + 1

    def find_all(self, quote: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Original spans of every (overlapping) occurrence of folded `quote` inside original [start, end)."""
        needle = fold(quote)
        end = self._length if end is None else end
        out: list[tuple[int, int]] = []
        if not needle:
            return out
        pos = self.text.find(needle)
        while pos != -1:
            span = self.span(pos, pos + len(needle))
            if span is not None and start <= span[0] and span[1] <= end:
                out.append(span)
            pos = self.text.find(needle, pos + 1)
        return out


@dataclass(frozen=True)
class QuoteMatch:
    start: int  # document offsets of the matched words
    end: int
    count: int  # how many times the quote occurs in the section (as matched: exactly or folded)
    folded: bool  # matched only once width and whitespace were folded


def closest_passage(section: Section, quote: str) -> tuple[str, float]:
    """The passage of the section most like the quote (windows of the quote's folded length,
    difflib ratio on folded text) and that likeness, 0..1."""
    folded = Folded(section.text)
    needle = fold(quote)
    hay, n = folded.text, len(needle)
    if not hay or not n:
        return "", 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    starts = range(max(1, len(hay) - n + 1))

    def best_of(candidates: range | list[int], best: tuple[float, int]) -> tuple[float, int]:
        for i in candidates:
            matcher.set_seq1(hay[i: i + n])
            if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
                ratio = matcher.ratio()
                if ratio > best[0]:
                    best = (ratio, i)
        return best

    stride = max(1, len(starts) // CLOSEST_WINDOWS)  # a long chapter: coarse first, then around the best
    score, at = best_of(starts[::stride], (0.0, 0))
    if stride > 1:
        score, at = best_of(list(range(max(0, at - stride), min(len(starts), at + stride))), (score, at))
    start = folded.origin(at)
    end = folded.origin(min(len(hay), at + n) - 1) + 1
    return section.text[start:end], score


def locate_quote(section: Section, quote: str, occurrence: int = 1) -> QuoteMatch | None:
    """The `occurrence`-th appearance of `quote` in the section: the exact words if they occur,
    else the words with width and whitespace folded (see Folded). None if neither occurs that often."""
    text = section.text
    exact: list[int] = []
    pos = text.find(quote)
    while pos != -1:
        exact.append(pos)
        pos = text.find(quote, pos + 1)
    if exact:
        if len(exact) < occurrence:
            return None
        at = exact[occurrence - 1]
        return QuoteMatch(section.start + at, section.start + at + len(quote), len(exact), False)
    spans = Folded(text).find_all(quote)
    if len(spans) < occurrence:
        return None
    s, e = spans[occurrence - 1]
    return QuoteMatch(section.start + s, section.start + e, len(spans), True)


def _clip(text: str, limit: int = 60) -> str:
    """A quote for a message: on one line, cut with … (`clip`)."""
    return clip(" ".join(text.split()), limit)


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
    if motivation not in MOTIVATIONS:  # as `annotate add` refuses it
        raise AnnotationError(f"{where}: motivation must be one of {', '.join(MOTIVATIONS)}, not {motivation!r}")
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
    for k, b in enumerate(body if isinstance(body, list) else [body], start=1):
        if not isinstance(b, dict) or ("value" in b and not isinstance(b["value"], str)):
            # a note that is no text would be read as none and written back empty: the user's words lost
            raise AnnotationError(f"{where}: body {k} must be an object whose 'value' is text")
        if isinstance(b.get("value"), str):
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
