"""What the amendment cross-check finds: each instruction beside the change the diff shows for it,
and the changes no instruction explains.

These are plain data, kept apart from `scdocs.changes.amendments` (which computes them from a
DocumentDiff) so that `DocumentDiff` can carry a check without an import cycle.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scdocs.document.amendments import Amendment

#: matched: the diff shows the change where the instruction says; misaligned: the diff shows it but
#: pairs the articles otherwise; unseen: the diff shows no such change; unchecked: the instruction
#: was not understood, so there is nothing to look for.
MATCH_STATUSES = ("matched", "misaligned", "unseen", "unchecked")


@dataclass(frozen=True)
class Change:
    """Words one pair of the diff changed (or a whole article added or removed), with offsets into
    the OLD and NEW canonical texts."""

    kind: str  # "words", "added" or "removed"
    old_num: str | None  # the printed num of the old article (第六条), None for an added one
    new_num: str | None
    deleted: str
    inserted: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int

    @property
    def label(self) -> str:
        return f"{self.old_num or '—'} → {self.new_num or '—'}"

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "old": self.old_num, "new": self.new_num, "deleted": self.deleted,
                "inserted": self.inserted, "old_start": self.old_start, "old_end": self.old_end,
                "new_start": self.new_start, "new_end": self.new_end}


@dataclass(frozen=True)
class InstructionMatch:
    """One amending operation and what the diff shows for it."""

    amendment: Amendment
    status: str  # one of MATCH_STATUSES
    note: str  # how the diff shows it, or why it does not
    changes: tuple[Change, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"instruction": self.amendment.to_dict(), "description": self.amendment.describe(),
                "status": self.status, "note": self.note, "changes": [c.to_dict() for c in self.changes]}


@dataclass
class AmendmentCheck:
    """The amending instructions of NEW checked against the diff OLD → NEW."""

    matches: list[InstructionMatch]
    unexplained: list[Change] = field(default_factory=list)
    problem: str | None = None  # why the instructions do not fit OLD (then articles are not renumbered)

    def counts(self) -> dict[str, int]:
        """Operations by status, every status in MATCH_STATUSES order."""
        counted = Counter(m.status for m in self.matches)
        return {s: counted.get(s, 0) for s in MATCH_STATUSES}

    @property
    def instructions(self) -> int:
        """How many numbered instructions the operations come from."""
        return len({m.amendment.number for m in self.matches if m.amendment.number is not None})

    def to_dict(self) -> dict[str, object]:
        return {"instructions": self.instructions, "operations": len(self.matches), "counts": self.counts(),
                "problem": self.problem, "matches": [m.to_dict() for m in self.matches],
                "unexplained": [c.to_dict() for c in self.unexplained]}
