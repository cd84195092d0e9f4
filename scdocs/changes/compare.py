"""`diff(old, new)`: alignment, text diffs, theme deltas and flags for two documents."""

from __future__ import annotations

from pathlib import Path

from scdocs.changes.align import align
from scdocs.changes.amendments import check
from scdocs.changes.flags import flag_pair
from scdocs.changes.result import DocumentDiff, Pair
from scdocs.changes.rules import load_rules
from scdocs.changes.text import diff_text
from scdocs.document.amendments import amendments
from scdocs.document.model import Document
from scdocs.themes import tag
from scdocs.themes.tagger import taggable_sections
from scdocs.themes.taxonomy import Taxonomy, load_taxonomy


def diff_documents(old: Document, new: Document, by: str = "content",
                   taxonomy: Taxonomy | str | Path | None = None,
                   rules: str | Path | None = None, rules_mode: str = "extend") -> DocumentDiff:
    """Compare two documents section by section (pure: documents in, a DocumentDiff out)."""
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    rule_list = load_rules(rules, rules_mode)
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
        pair.flags = flag_pair(pair, rule_list, ot, nt)
        pairs.append(pair)
    result = DocumentDiff(old, new, pairs, by, tuple(r.id for r in rule_list))
    found = amendments(new)
    if found:  # NEW is an amending decision: check its instructions against what the diff shows
        result.amendments = check(result, found)
    return result
