"""`diff(old, new)`: alignment, text diffs, theme deltas, systematic changes and moves for two documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from scdocs.changes.align import align, dice, unit_grams, unrelated_warning
from scdocs.changes.amendments import check
from scdocs.changes.moves import DETECTOR_RULES, carries_move, detect, group_moves
from scdocs.changes.normalise import normalisation_runs
from scdocs.changes.outline import outline_changes
from scdocs.changes.result import DocumentDiff, Pair
from scdocs.changes.rules import load_rules
from scdocs.changes.systematic import find as find_systematic
from scdocs.changes.text import EQUAL, diff_text
from scdocs.changes.values import fines
from scdocs.document.amendments import amendments
from scdocs.document.model import Document, Section
from scdocs.themes import tag
from scdocs.themes.tagger import taggable_sections
from scdocs.themes.taxonomy import Taxonomy, load_taxonomy


def diff_documents(old: Document, new: Document, by: str = "content",
                   taxonomy: Taxonomy | str | Path | None = None,
                   rules: str | Path | None = None, rules_mode: str = "extend",
                   normalise: bool = True) -> DocumentDiff:
    """Compare two documents section by section (pure: documents in, a DocumentDiff out). With
    `normalise` (the default), changes of character width or whitespace alone are normalisation:
    kept in the diff, but neither shown nor counted as edits, and a pair with nothing else is
    `normalised` rather than `modified`."""
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    move_rules = load_rules(rules, rules_mode)
    old_units, new_units = taggable_sections(old), taggable_sections(new)
    links, refs_only = align(old_units, new_units, by)
    old_tags = {st.section.eid: st for st in tag(old, tax).sections}
    new_tags = {st.section.eid: st for st in tag(new, tax).sections}
    english = old.meta.language == "en" and new.meta.language == "en"
    pairs = []
    for k, link in enumerate(links):
        o = old_units[link.old] if link.old is not None else None
        n = new_units[link.new] if link.new is not None else None
        pair = Pair(o, n, link.status, link.similarity, group=link.group, references_only=refs_only[k])
        if o is not None and n is not None:
            pair.text_diff = diff_text(o.text, n.text, words=english)
            if pair.status in ("unchanged", "renumbered"):
                pair.similarity = 1.0  # the same content; only the printed number may differ
            elif pair.status not in ("split", "merged"):
                pair.similarity = pair.text_diff.similarity()
        ot = old_tags.get(o.eid) if o else None
        nt = new_tags.get(n.eid) if n else None
        before = set(ot.theme_ids) if ot else set()
        after = set(nt.theme_ids) if nt else set()
        if pair.status != "removed":
            pair.themes_gained = sorted(after - before)
        if pair.status != "added":
            pair.themes_lost = sorted(before - after)
        pairs.append(pair)
    systematic = find_systematic([(p.old, p.new, p.text_diff.ops) for p in pairs
                                  if p.old is not None and p.new is not None and p.text_diff is not None
                                  and p.status not in ("unchanged", "renumbered")])
    # 可以 → 应当 or a body of another rank in many sections is the same move in many places, not a renaming
    systematic = [s for s in systematic if s.kind != "substitution" or not carries_move(*s.shown, move_rules)]
    covered = {key for s in systematic for key in s.pairs}
    fined = [(s, unit_grams(s.text, s.num)) for s in old_units if fines(s.text)]
    joined: dict[int, list[str]] = {}  # the old texts each merge joins
    for p in pairs:
        if p.status == "merged" and p.group is not None and p.old is not None:
            joined.setdefault(p.group, []).append(p.old.text)
    for p in pairs:
        if not p.references_only:
            base = _fine_base(p.new, fined) if p.old is None and p.new is not None else None
            merged_from = "\n".join(joined[p.group]) if p.status == "merged" and p.group in joined else None
            p.moves = detect(p.old, p.new, p.text_diff.ops if p.text_diff else None, p.status, move_rules, covered,
                             (old.text, new.text), base, merged_from)
    group_moves([m for p in pairs for m in p.moves])
    if normalise:
        for p in pairs:
            if p.text_diff is not None and p.status == "modified":
                p.normalised = normalisation_runs(p.text_diff.ops)
                if p.normalised and not p.moves and all(o.op == EQUAL for o in p.shown_ops()):
                    p.status, p.similarity = "normalised", 1.0
    # Paired by number, sections share little text however related the documents: that warning says so.
    unrelated = unrelated_warning(links, len(old_units), len(new_units)) if by != "number" else None
    result = DocumentDiff(old, new, pairs, by, move_rules.ids + DETECTOR_RULES, systematic,
                          warnings=([unrelated] if unrelated else []) + _numbering_warnings(pairs, by)
                          + _order_warnings(old, new),
                          outline=outline_changes(old, new, old_units, new_units))
    found = amendments(new)
    if found:  # NEW is an amending decision: check its instructions against what the diff shows
        result.amendments = check(result, found)
    return result


def _order_warnings(old: Document, new: Document) -> list[str]:
    """The same text twice, or a NEW dated before OLD (every move would read backwards)."""
    if old.text == new.text:
        return ["OLD and NEW are the same text: nothing changed"]
    a, b = old.meta.date, new.meta.date
    if a and b and b < a:
        return [f"NEW is dated {b}, before OLD ({a}): the changes read from the later text to the earlier, and "
                "every move the other way round; give the earlier version first"]
    return []


#: Below this median similarity, sections paired by number are mostly different provisions.
BY_NUMBER_MIN = 0.3


def _numbering_warnings(pairs: list[Pair], by: str) -> list[str]:
    """Sections paired by their numbers (--by number) that share little text: the articles were
    probably renumbered, and every move on such a pair compares two different provisions."""
    if by != "number":
        return []
    out = []
    for side in ("old", "new"):
        # articles only: items (（一）) restart in every part by design
        counts = Counter(s.num for p in pairs if (s := getattr(p, side)) is not None and s.kind == "article")
        twice = [n for n, k in counts.items() if k > 1 and n]
        if twice:
            out.append(f"{side.upper()} has more than one section numbered {', '.join(twice[:5])}"
                       f"{' …' if len(twice) > 5 else ''}: sections of one number are paired in their order")
    sims = sorted(p.similarity for p in pairs if p.old is not None and p.new is not None and p.status != "unchanged")
    if len(sims) < 3 or sims[len(sims) // 2] >= BY_NUMBER_MIN:
        return out
    return [*out, f"sections paired by number share little text (median similarity {sims[len(sims) // 2]:.2f} "
            f"over {len(sims)} changed pairs): the articles were probably renumbered; --by content pairs them by "
            "their text"]


#: How alike an added section and an old one must be for their fines to be compared.
BASE_MIN = 0.3


def _fine_base(section: Section, fined: list[tuple[Section, Counter[str]]]) -> Section | None:
    """The old section with fines that an added section with fines most resembles (a liability
    article split into several keeps its sanctions, and their values are compared with it)."""
    if not fined or not fines(section.text):
        return None
    grams = unit_grams(section.text, section.num)
    score, best = max(((dice(grams, g), s) for s, g in fined), key=lambda x: x[0])
    return best if score >= BASE_MIN else None
