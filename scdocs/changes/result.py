"""What `scdocs diff` produces: aligned pairs with their text diffs, theme deltas and flags."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TypedDict

from scdocs.changes.crosscheck import AmendmentCheck
from scdocs.changes.text import TextDiff
from scdocs.document.model import Document, Section

DIFF_FORMAT = "scdocs-diff"
DIFF_FORMAT_VERSION = 1
STATUSES = ("unchanged", "renumbered", "modified", "moved", "split", "merged", "added", "removed")


class CharacterCounts(TypedDict):
    inserted: int
    deleted: int


class DiffSummary(TypedDict):
    """What `DocumentDiff.summary()` returns (and the diff JSON carries as "summary")."""

    pairs: int
    statuses: dict[str, int]  # every status in STATUSES, in that order, with its count of pairs
    references_only: int
    characters: CharacterCounts
    flags: dict[str, int]  # rule → count, most common first
    flags_by_theme: dict[str, int]


@dataclass(frozen=True)
class FlagEvidence:
    """Words that carry a flag: inserted (in NEW) or deleted (in OLD), with document offsets."""

    side: str  # "new" or "old"
    change: str  # "inserted", "deleted" or "present" (a theme cue that was there before the change)
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"side": self.side, "change": self.change, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Flag:
    rule: str
    description: str
    theme: str | None
    old: str | None  # eIds of the pair
    new: str | None
    evidence: tuple[FlagEvidence, ...]

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "description": self.description, "theme": self.theme,
                "old": self.old, "new": self.new, "evidence": [e.to_dict() for e in self.evidence]}


def _ref(s: Section | None) -> dict[str, object] | None:
    return None if s is None else {"eId": s.eid, "num": s.num, "number": s.number, "heading": s.heading}


@dataclass
class Pair:
    old: Section | None
    new: Section | None
    status: str
    similarity: float
    text_diff: TextDiff | None = None
    themes_gained: list[str] = field(default_factory=list)
    themes_lost: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    group: int | None = None
    references_only: bool = False

    @property
    def shown(self) -> bool:
        """Whether reports show the pair: a status change, a theme delta or a flag."""
        return self.status != "unchanged" or bool(self.themes_gained or self.themes_lost or self.flags)

    @property
    def label(self) -> str:
        old = self.old.num or self.old.eid if self.old else "—"
        new = self.new.num or self.new.eid if self.new else "—"
        return f"{old} → {new}"

    def to_dict(self, with_text: bool = True) -> dict[str, object]:
        out: dict[str, object] = {
            "old": _ref(self.old), "new": _ref(self.new), "status": self.status,
            "similarity": round(self.similarity, 4), "group": self.group,
            "references_only": self.references_only,
            "themes_gained": self.themes_gained, "themes_lost": self.themes_lost,
            "flags": [f.to_dict() for f in self.flags],
        }
        if self.text_diff is not None:
            out["stats"] = self.text_diff.stats()
            if with_text:
                out["diff"] = [[o.op, o.text] for o in self.text_diff.ops]
        return out


@dataclass
class DocumentDiff:
    old: Document
    new: Document
    pairs: list[Pair]
    by: str = "content"
    rules: tuple[str, ...] = ()
    amendments: AmendmentCheck | None = None  # where NEW is an amending decision: its instructions checked

    @property
    def flags(self) -> list[Flag]:
        return [f for p in self.pairs for f in p.flags]

    def summary(self) -> DiffSummary:
        statuses = Counter(p.status for p in self.pairs)
        inserted = sum(p.text_diff.inserted for p in self.pairs if p.text_diff) + sum(
            len(p.new.text) for p in self.pairs if p.status == "added" and p.new)
        deleted = sum(p.text_diff.deleted for p in self.pairs if p.text_diff) + sum(
            len(p.old.text) for p in self.pairs if p.status == "removed" and p.old)
        return {
            "pairs": len(self.pairs),
            "statuses": {s: statuses.get(s, 0) for s in STATUSES},
            "references_only": sum(1 for p in self.pairs if p.references_only),
            "characters": {"inserted": inserted, "deleted": deleted},
            "flags": dict(Counter(f.rule for f in self.flags).most_common()),
            "flags_by_theme": dict(Counter(f.theme or "-" for f in self.flags).most_common()),
        }

    def to_dict(self) -> dict[str, object]:
        def doc(d: Document) -> dict[str, object]:
            m = d.meta
            return {"title": m.title, "issuer": m.issuer, "date": m.date, "doc_number": m.doc_number,
                    "source": m.source, "id": m.extra.get("id", "")}

        return {"format": DIFF_FORMAT, "format_version": DIFF_FORMAT_VERSION, "by": self.by,
                "old": doc(self.old), "new": doc(self.new), "rules": list(self.rules),
                "pairs": [p.to_dict() for p in self.pairs], "flags": [f.to_dict() for f in self.flags],
                "summary": self.summary(),
                **({"amendments": self.amendments.to_dict()} if self.amendments is not None else {})}
