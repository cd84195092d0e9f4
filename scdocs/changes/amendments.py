"""Cross-check a diff against the amending instructions that say what changed.

A scholar reading a diff of two versions wants to know that every change is accounted for: each
instruction of the amending decision should show up as a change in the diff, where it says, and
every change should come from an instruction. Changes that no instruction explains are silent
edits of the published consolidated text (or differences between the sources); instructions the
diff does not show are restated text or misread alignments. Renumbering and updated
cross-references to renumbered articles are never counted as unexplained.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scdocs.changes.align import XREF
from scdocs.changes.crosscheck import AmendmentCheck, Change, InstructionMatch
from scdocs.changes.result import DocumentDiff, Pair
from scdocs.changes.text import EQUAL
from scdocs.document.amendments import Amendment, AmendmentError, outline
from scdocs.document.model import Section
from scdocs.document.numerals import NumeralError, chinese_to_int

SPACES = " \t\u3000\u00a0"


def check(diff: DocumentDiff, found: Sequence[Amendment]) -> AmendmentCheck:
    """Match each amending operation to the change it made in `diff`, and list the changes none explains."""
    old_numbers = [u.number for u in diff.old.units() if u.kind == "article" and u.number is not None]
    problem = None
    try:
        slots = outline(old_numbers, found)
    except AmendmentError as exc:
        slots, problem = [], str(exc)
    expected = {s.old: s.number for s in slots if s.old is not None}
    inserted = {s.insert: s.number for s in slots if s.insert is not None}
    by_old: dict[int, Pair] = {}
    by_new: dict[int, Pair] = {}
    for p in diff.pairs:
        if p.old is not None and p.old.kind == "article" and p.old.number is not None:
            by_old.setdefault(p.old.number, p)
        if p.new is not None and p.new.kind == "article" and p.new.number is not None:
            by_new.setdefault(p.new.number, p)
    numbers = {**{p.old.number: p.new.number for p in diff.pairs if p.old and p.new and p.old.number is not None
                  and p.new.number is not None}, **expected}
    changes = {id(p): _changes(p, numbers) for p in diff.pairs}
    ctx = _Context(diff, found, by_old, by_new, changes, expected, inserted)
    matches = [ctx.match(a) for a in found]
    unexplained = [c for p in diff.pairs for c in ctx.unexplained(p)]
    return AmendmentCheck(matches, unexplained, problem)


def _changes(pair: Pair, numbers: dict[int, int]) -> list[Change]:
    """The changes of one pair, leaving out the printed number, spacing and updated cross-references."""
    o, n = pair.old, pair.new
    if o is None or n is None:
        s = n or o
        assert s is not None
        kind = "added" if n else "removed"
        return [Change(kind, o.num if o else None, n.num if n else None, o.text if o else "", n.text if n else "",
                       o.start if o else 0, o.end if o else 0, n.start if n else 0, n.end if n else 0)]
    if pair.text_diff is None or pair.references_only:
        return []
    out: list[Change] = []
    old_prefix, new_prefix = _prefix(o), _prefix(n)
    run: list[tuple[str, str, int, int]] = []  # consecutive non-equal ops: (op, text, old_start, new_start)
    for op in [*pair.text_diff.ops, None]:
        if op is not None and op.op != EQUAL:
            run.append((op.op, op.text, op.old_start, op.new_start))
            continue
        if run:
            deleted = "".join(t for kind, t, _, _ in run if kind == "-")
            added = "".join(t for kind, t, _, _ in run if kind == "+")
            os_, ns = run[0][2], run[0][3]
            oe, ne = os_ + len(deleted), ns + len(added)
            trivial = (oe <= old_prefix and ne <= new_prefix) or (
                not deleted.strip(SPACES) and not added.strip(SPACES)) or _reference_update(
                o.text, n.text, os_, oe, ns, ne, numbers)
            if not trivial:
                out.append(Change("words", o.num, n.num, deleted, added, o.start + os_, o.start + oe,
                                  n.start + ns, n.start + ne))
            run = []
    return out


def _prefix(section: Section) -> int:
    """Length of the printed num and the spacing after it (第二条　), which renumbering changes."""
    num = section.num or ""
    if not section.text.startswith(num):
        return 0
    return len(num) + len(section.text[len(num):]) - len(section.text[len(num):].lstrip(SPACES))


def _reference_update(old: str, new: str, os_: int, oe: int, ns: int, ne: int, numbers: dict[int, int]) -> bool:
    """Whether a change only rewrites 第N条 to the new number of the article it points to."""
    def ref(text: str, start: int, end: int) -> int | None:
        for m in XREF.finditer(text):
            if m.start() <= start and end <= m.end():
                try:
                    return chinese_to_int(m.group(1))
                except NumeralError:
                    return None
        return None

    before, after = ref(old, os_, oe), ref(new, ns, ne)
    return before is not None and after is not None and numbers.get(before) == after


def _overlaps(start: int, end: int, lo: int, hi: int) -> bool:
    """Whether [start, end) touches [lo, hi); an insertion point counts where it falls inside."""
    return lo <= start <= hi if start == end else start < hi and end > lo


def _occurrences(words: str | None, section: Section, within: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Document offsets of each occurrence of some words in a section, inside a paragraph or point if given."""
    if not words or within is None:
        return []
    found = [(section.start + m.start(), section.start + m.end()) for m in re.finditer(re.escape(words), section.text)]
    return [(s, e) for s, e in found if within[0] <= s and e <= within[1]]


def _unit(section: Section, paragraph: int | None, point: int | None) -> tuple[int, int] | None:
    """Document offsets of a paragraph or point of an article (the whole article if neither)."""
    if paragraph is None and point is None:
        return section.start, section.end
    paragraphs = [c for c in section.subsections if c.kind == "paragraph"]
    scope = section
    if paragraph is not None:
        if paragraphs:
            if paragraph > len(paragraphs):
                return None
            scope = paragraphs[paragraph - 1]
        elif paragraph != 1:
            return None
    if point is None:
        return scope.start, scope.end
    hit = next((s for s in scope.walk() if s.kind == "point" and s.number == point), None)
    return (hit.start, hit.end) if hit else None


class _Context:
    """The diff, indexed by article number, and what the instructions lead one to expect of it."""

    def __init__(self, diff: DocumentDiff, found: Sequence[Amendment], by_old: dict[int, Pair],
                 by_new: dict[int, Pair], changes: dict[int, list[Change]], expected: dict[int, int],
                 inserted: dict[Amendment, int]) -> None:
        self.diff, self.found, self.by_old, self.by_new = diff, found, by_old, by_new
        self.changes, self.expected, self.inserted = changes, expected, inserted

    def new_number(self, a: Amendment) -> int | None:
        """The number the article an operation acts on (or adds) has in NEW."""
        if a.new_number is not None:
            return a.new_number
        if not a.articles:
            return self.inserted.get(a)
        return self.expected.get(a.articles[0], a.articles[0])

    def explains(self, a: Amendment, pair: Pair, c: Change) -> bool:
        """Whether operation `a` accounts for change `c` of `pair`."""
        o, n = pair.old, pair.new
        if a.operation not in ("replace", "insert", "delete", "substitute") or o is None or n is None:
            return False
        if a.articles and o.number not in a.articles:
            return False
        if a.operation == "substitute":
            olds = _occurrences(a.old_words, o, _unit(o, a.paragraph, a.point))
            news = _occurrences(a.new_words, n, _unit(n, a.paragraph, a.point))
            return any(_overlaps(c.old_start, c.old_end, *r) for r in olds) or any(
                _overlaps(c.new_start, c.new_end, *r) for r in news)
        if not a.articles:
            return False
        old_unit = None if a.operation == "insert" else _unit(o, a.paragraph, a.point)
        new_unit = None if a.operation == "delete" else _unit(n, a.paragraph, a.point)
        return (old_unit is not None and _overlaps(c.old_start, c.old_end, *old_unit)) or (
            new_unit is not None and _overlaps(c.new_start, c.new_end, *new_unit))

    def match(self, a: Amendment) -> InstructionMatch:
        """What the diff shows for one operation."""
        if a.operation == "other":
            return InstructionMatch(a, "unchecked", "the instruction was not understood")
        if a.operation == "renumber" and not a.articles:
            moved = [p for p in self.diff.pairs if p.old and p.new and p.old.number != p.new.number]
            if moved:
                return InstructionMatch(a, "matched", f"{len(moved)} articles have new numbers")
            return InstructionMatch(a, "unseen", "no article has a new number")
        target = self.new_number(a)
        if a.operation == "insert" and not a.articles:
            return self._new_article(a, target)
        number = a.articles[0] if len(a.articles) == 1 else None
        if number is None:  # a substitution in several articles, or throughout the text
            return self._substitution(a)
        pair = self.by_old.get(number)
        if pair is None:
            return InstructionMatch(a, "unseen", f"the old version has no article {number}")
        whole = a.paragraph is None and a.point is None
        if pair.new is None:
            return self._removed(a, pair, target, whole)
        shown = f"the diff pairs old {pair.old.num if pair.old else number} with new {pair.new.num}"
        if pair.new.number != target:
            return InstructionMatch(a, "misaligned", f"{shown}, not with article {target}",
                                    tuple(self.changes[id(pair)]))
        if a.operation == "renumber":
            return InstructionMatch(a, "matched", shown + (" (otherwise unchanged)" if pair.status in (
                "renumbered", "unchanged") else f" ({pair.status})"))
        if a.operation == "delete" and whole:
            return InstructionMatch(a, "misaligned", f"{shown} instead of showing it removed")
        hits = tuple(c for c in self.changes[id(pair)] if self.explains(a, pair, c))
        if hits:
            return InstructionMatch(a, "matched", f"{shown}: {len(hits)} change{'s' if len(hits) > 1 else ''}"
                                                  f"{' in ' + a.where() if not whole else ''}", hits)
        return InstructionMatch(a, "unseen", f"{shown} but shows no change in {a.where()}")

    def _new_article(self, a: Amendment, target: int | None) -> InstructionMatch:
        pair = self.by_new.get(target) if target is not None else None
        if pair is None:
            return InstructionMatch(a, "unseen", f"the new version has no article {target}")
        if pair.status == "added":
            return InstructionMatch(a, "matched", f"{pair.new.num if pair.new else target} added",
                                    tuple(self.changes[id(pair)]))
        return InstructionMatch(a, "misaligned", f"the diff reads new {pair.new.num if pair.new else target} as "
                                                 f"old {pair.old.num if pair.old else '?'} ({pair.status})",
                                tuple(self.changes[id(pair)]))

    def _removed(self, a: Amendment, pair: Pair, target: int | None, whole: bool) -> InstructionMatch:
        """An operation on an old article the diff shows removed."""
        old = pair.old.num if pair.old else "?"
        if a.operation == "delete" and whole:
            return InstructionMatch(a, "matched", f"{old} removed", tuple(self.changes[id(pair)]))
        added = self.by_new.get(target) if target is not None else None
        if a.operation == "replace" and whole and added is not None and added.status == "added":
            return InstructionMatch(
                a, "matched", f"seen as {old} removed and {added.new.num if added.new else target} added: the new "
                              "text has too little in common with the old one for the alignment to pair them",
                tuple(self.changes[id(pair)] + self.changes[id(added)]))
        return InstructionMatch(a, "unseen", f"the diff shows {old} removed")

    def _substitution(self, a: Amendment) -> InstructionMatch:
        hits = tuple(c for p in self.diff.pairs for c in self.changes[id(p)] if self.explains(a, p, c))
        scope = a.where() or "the text"
        if hits:
            places = ", ".join(dict.fromkeys(c.label for c in hits))
            return InstructionMatch(a, "matched", f"{len(hits)} change{'s' if len(hits) > 1 else ''} in {places}",
                                    hits)
        return InstructionMatch(a, "unseen", f"the diff shows no “{a.old_words}” → “{a.new_words}” in {scope}")

    def unexplained(self, pair: Pair) -> list[Change]:
        """The changes of a pair that no operation accounts for."""
        if pair.status == "added":
            number = pair.new.number if pair.new else None
            if any(self.new_number(a) == number for a in self.found
                   if a.operation in ("insert", "replace") and a.paragraph is None and a.point is None):
                return []
            return self.changes[id(pair)]
        if pair.status == "removed":
            number = pair.old.number if pair.old else None
            if any(number in a.articles for a in self.found
                   if a.operation in ("delete", "replace") and a.paragraph is None and a.point is None):
                return []
            return self.changes[id(pair)]
        return [c for c in self.changes[id(pair)]
                if not any(self.explains(a, pair, c) for a in self.found)]
