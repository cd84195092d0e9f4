"""Flags for moves toward centralization: rules (data) applied to one aligned pair."""

from __future__ import annotations

from itertools import pairwise

from scdocs.changes.result import Flag, FlagEvidence, Pair
from scdocs.changes.rules import Rule
from scdocs.changes.text import DELETE, INSERT
from scdocs.themes.result import SectionTags


def _changed_ranges(pair: Pair, op: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of inserted (op '+', NEW offsets) or deleted ('-', OLD offsets) runs, in the document."""
    if pair.status == "added" and pair.new is not None:
        return [(pair.new.start, pair.new.end, pair.new.text)] if op == INSERT else []
    if pair.status == "removed" and pair.old is not None:
        return [(pair.old.start, pair.old.end, pair.old.text)] if op == DELETE else []
    if pair.text_diff is None or pair.old is None or pair.new is None:
        return []
    out = []
    for o in pair.text_diff.ops:
        if o.op == op == INSERT:
            out.append((pair.new.start + o.new_start, pair.new.start + o.new_start + len(o.text), o.text))
        elif o.op == op == DELETE:
            out.append((pair.old.start + o.old_start, pair.old.start + o.old_start + len(o.text), o.text))
    return out


def _overlaps(start: int, end: int, ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [r for r in ranges if r[0] < end and start < r[1]]


def _pattern_flags(rule: Rule, pair: Pair, side: str) -> list[tuple[FlagEvidence, ...]]:
    """Matches of the rule's pattern that a change inserted (side new) or deleted (side old)."""
    section = pair.new if side == "new" else pair.old
    if section is None or rule.pattern is None:
        return []
    ranges = _changed_ranges(pair, INSERT if side == "new" else DELETE)
    change = "inserted" if side == "new" else "deleted"
    found = []
    for m in rule.pattern.finditer(section.text):
        start, end = section.start + m.start(), section.start + m.end()
        touched = _overlaps(start, end, ranges)
        if touched:
            evidence = [FlagEvidence(side, "present", m.group(), start, end)]
            evidence += [FlagEvidence(side, change, t, s, e) for s, e, t in touched]
            found.append(tuple(evidence))
    return found


def _replacement_flags(rule: Rule, pair: Pair) -> list[tuple[FlagEvidence, ...]]:
    """A deletion matching `deleted` directly followed by an insertion matching `inserted`."""
    if pair.text_diff is None or pair.old is None or pair.new is None:
        return []
    found: list[tuple[FlagEvidence, ...]] = []
    ops = pair.text_diff.ops
    for a, b in pairwise(ops):
        if (a.op == DELETE and b.op == INSERT and rule.deleted and rule.inserted
                and rule.deleted.search(a.text) and rule.inserted.search(b.text)):
            found.append((
                FlagEvidence("old", "deleted", a.text, pair.old.start + a.old_start,
                             pair.old.start + a.old_start + len(a.text)),
                FlagEvidence("new", "inserted", b.text, pair.new.start + b.new_start,
                             pair.new.start + b.new_start + len(b.text))))
    return found


def _theme_flags(rule: Rule, pair: Pair, old_tags: SectionTags | None, new_tags: SectionTags | None
                 ) -> list[tuple[FlagEvidence, ...]]:
    if rule.theme is None:
        return []
    if rule.kind == "theme-gained" and rule.theme in pair.themes_gained and new_tags is not None:
        tag, side, ranges = new_tags.get(rule.theme), "new", _changed_ranges(pair, INSERT)
    elif rule.kind == "theme-lost" and rule.theme in pair.themes_lost and old_tags is not None:
        tag, side, ranges = old_tags.get(rule.theme), "old", _changed_ranges(pair, DELETE)
    else:
        return []
    if tag is None:
        return []
    change = "inserted" if side == "new" else "deleted"
    evidence = []
    for e in tag.evidence:
        touched = _overlaps(e.start, e.end, ranges)
        evidence.append(FlagEvidence(side, change if touched else "present", e.text, e.start, e.end))
    # The words the change itself made come first.
    evidence.sort(key=lambda ev: (ev.change == "present", ev.start))
    return [tuple(evidence)]


def flag_pair(pair: Pair, rules: list[Rule], old_tags: SectionTags | None, new_tags: SectionTags | None) -> list[Flag]:
    """Every rule that fires on this pair, each with its evidence."""
    if pair.status in ("unchanged", "renumbered") and not (pair.themes_gained or pair.themes_lost):
        return []
    flags = []
    for rule in rules:
        if rule.kind in ("theme-gained", "theme-lost"):
            found = _theme_flags(rule, pair, old_tags, new_tags)
        elif rule.kind == "inserted":
            found = _pattern_flags(rule, pair, "new")
        elif rule.kind == "deleted":
            found = _pattern_flags(rule, pair, "old")
        else:
            found = _replacement_flags(rule, pair)
        for evidence in found:
            flags.append(Flag(rule.id, rule.description, rule.theme,
                              pair.old.eid if pair.old else None, pair.new.eid if pair.new else None, evidence))
    return flags
