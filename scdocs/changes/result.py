"""What `scdocs diff` produces: aligned pairs with their text diffs, theme deltas and moves, and the
systematic changes that run across them.

Format history: version 2 replaced version 1's `flags` (per pair and top level) by `moves`, added
`systematic` and the move summary; every other field of version 1 is unchanged. Version 3 added the
status `normalised` (a pair that differs only in character width or whitespace), per pair
`normalised` (indices into its `diff` of such runs, which the character counts leave out), and the
top-level `warnings`; every field of version 2 is unchanged. Version 4 added `move_filter`, the only
move ids reported when the diff was filtered (empty: all); every field of version 3 is unchanged.
Version 5 counts a pair's `stats` without normalisation (as the summary does) and adds the pair's
`normalisation` counts; `rules` also names the program's detectors (fine-up … actor-down). Version 6
adds `outline`: changes outside the numbered units (containers added, removed or renamed; the title
block, preamble or closing lines changed); every field of version 5 is unchanged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from scdocs.changes.crosscheck import AmendmentCheck
from scdocs.changes.moves import Move
from scdocs.changes.normalise import as_shown
from scdocs.changes.outline import OutlineChange
from scdocs.changes.rules import MOVES
from scdocs.changes.systematic import SystematicChange
from scdocs.changes.text import DELETE, EQUAL, INSERT, Op, TextDiff
from scdocs.document.model import Document, Section

DIFF_FORMAT = "scdocs-diff"
DIFF_FORMAT_VERSION = 7
STATUSES = ("unchanged", "renumbered", "normalised", "modified", "moved", "split", "merged", "added", "removed")


class CharacterCounts(TypedDict):
    inserted: int
    deleted: int


class DiffSummary(TypedDict):
    """What `DocumentDiff.summary()` returns (and the diff JSON carries as "summary")."""

    pairs: int
    statuses: dict[str, int]  # every status in STATUSES, in that order, with its count of pairs
    references_only: int
    characters: CharacterCounts
    moves: dict[str, MoveCount]  # every move id, in the order of MOVES
    toward: int  # places of moves toward the centre
    away: int  # places of moves away from it
    systematic: int  # systematic changes (renamings, renumbered references)


class MoveCount(TypedDict):
    direction: str
    places: int  # sections where the move sits
    changes: int  # distinct changes (a change repeated in several places counts once)
    sections: list[str]  # "old → new" labels


def _counts(ops: list[Op], *kinds: str) -> dict[str, int]:
    """Characters per kind of run (equal, inserted, deleted), in one pass over the runs."""
    names = {EQUAL: "equal", INSERT: "inserted", DELETE: "deleted"}
    out = {names[k]: 0 for k in kinds}
    for o in ops:
        if o.op in kinds:
            out[names[o.op]] += len(o.text)
    return out


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
    moves: list[Move] = field(default_factory=list)
    group: int | None = None
    references_only: bool = False
    normalised: tuple[int, ...] = ()  # runs of text_diff that only change width or whitespace

    def shown_ops(self) -> list[Op]:
        """The diff's runs as reports show them: normalisation reads as unchanged text."""
        return [] if self.text_diff is None else as_shown(self.text_diff.ops, self.normalised)

    @property
    def inserted(self) -> int:
        """Characters inserted, not counting normalisation."""
        return sum(len(o.text) for o in self.shown_ops() if o.op == INSERT)

    @property
    def deleted(self) -> int:
        return sum(len(o.text) for o in self.shown_ops() if o.op == DELETE)

    @property
    def shown(self) -> bool:
        """Whether reports show the pair: a status change, a theme delta or a move."""
        return self.status not in ("unchanged", "normalised") or bool(self.themes_gained or self.themes_lost
                                                                      or self.moves)

    @property
    def label(self) -> str:
        old = self.old.name if self.old else "—"
        new = self.new.name if self.new else "—"
        return f"{old} → {new}"

    def to_dict(self, with_text: bool = True) -> dict[str, object]:
        out: dict[str, object] = {
            "old": _ref(self.old), "new": _ref(self.new), "status": self.status,
            "similarity": round(self.similarity, 4), "group": self.group,
            "references_only": self.references_only,
            "themes_gained": self.themes_gained, "themes_lost": self.themes_lost,
            "moves": [m.id for m in self.moves],
        }
        if self.text_diff is not None:
            # as reports count (v5): normalisation is neither inserted nor deleted, but counted apart
            out["stats"] = _counts(self.shown_ops(), EQUAL, INSERT, DELETE)
            out["normalisation"] = _counts([self.text_diff.ops[i] for i in self.normalised], INSERT, DELETE)
            out["normalised"] = list(self.normalised)
            if with_text:
                out["diff"] = [[o.op, o.text] for o in self.text_diff.ops]
        else:  # an added or removed section (v7): its whole text is the change, counted as the summary counts it
            section = self.new if self.new is not None else self.old
            op = INSERT if self.new is not None else DELETE
            text = section.text if section is not None else ""
            out["stats"] = {"equal": 0, "inserted": len(text) if op == INSERT else 0,
                            "deleted": len(text) if op == DELETE else 0}
            out["normalisation"] = {"inserted": 0, "deleted": 0}
            out["normalised"] = []
            if with_text:
                out["diff"] = [[op, text]]
        return out


@dataclass
class DocumentDiff:
    old: Document
    new: Document
    pairs: list[Pair]
    by: str = "content"
    rules: tuple[str, ...] = ()
    systematic: list[SystematicChange] = field(default_factory=list)
    amendments: AmendmentCheck | None = None  # where NEW is an amending decision: its instructions checked
    warnings: list[str] = field(default_factory=list)  # what a reader must know before trusting the pairs
    move_filter: tuple[str, ...] = ()  # the only move ids reported (`only_moves`); empty: all of them
    outline: list[OutlineChange] = field(default_factory=list)  # changes outside the numbered units

    def only_moves(self, ids: Iterable[str]) -> None:
        """Report only these move ids (the others are left out of every count and format, and the
        report says so: a zero for another id means 'not asked for', not 'none found'). An id that is
        no move is a ValueError: a typo would otherwise report zero moves."""
        wanted = tuple(ids)
        unknown = [i for i in wanted if i not in MOVES]
        if unknown:
            raise ValueError(f"not a move id: {', '.join(unknown)} (the moves: {', '.join(MOVES)})")
        self.move_filter = wanted
        for p in self.pairs:
            p.moves = [m for m in p.moves if m.id in self.move_filter]

    def answer(self, summary: DiffSummary | None = None) -> str:
        """The moves in a phrase, 5 toward the centre, 4 away from it (only enforcement); a report that
        has its `summary()` already passes it."""
        s = summary if summary is not None else self.summary()
        only = f" (only {', '.join(self.move_filter)})" if self.move_filter else ""
        return f"{s['toward']} toward the centre, {s['away']} away from it{only}"

    @property
    def headline(self) -> str:
        """The answer in one line: Moves: 5 toward the centre, 4 away from it (only enforcement)."""
        return f"Moves: {self.answer()}"

    @property
    def moves(self) -> list[Move]:
        return [m for p in self.pairs for m in p.moves]

    def move_counts(self) -> dict[str, MoveCount]:
        """Per move id: direction, places, distinct changes and the sections, toward moves first."""
        out: dict[str, MoveCount] = {}
        for move_id, direction in MOVES.items():
            found = [m for m in self.moves if m.id == move_id]
            groups = {m.group for m in found if m.group is not None}
            out[move_id] = {"direction": direction, "places": len(found),
                            "changes": len(groups) + sum(1 for m in found if m.group is None),
                            "sections": [m.place for m in found]}
        return out

    def summary(self) -> DiffSummary:
        statuses = Counter(p.status for p in self.pairs)
        inserted = sum(p.inserted for p in self.pairs if p.text_diff) + sum(
            len(p.new.text) for p in self.pairs if p.status == "added" and p.new)
        deleted = sum(p.deleted for p in self.pairs if p.text_diff) + sum(
            len(p.old.text) for p in self.pairs if p.status == "removed" and p.old)
        return {
            "pairs": len(self.pairs),
            "statuses": {s: statuses.get(s, 0) for s in STATUSES},
            "references_only": sum(1 for p in self.pairs if p.references_only),
            "characters": {"inserted": inserted, "deleted": deleted},
            "moves": (counts := self.move_counts()),
            "toward": sum(c["places"] for c in counts.values() if c["direction"] == "toward"),
            "away": sum(c["places"] for c in counts.values() if c["direction"] == "away"),
            "systematic": len(self.systematic),
        }

    def to_dict(self) -> dict[str, object]:
        def doc(d: Document) -> dict[str, object]:
            m = d.meta
            return {"title": m.title, "issuer": m.issuer, "date": m.date, "doc_number": m.doc_number,
                    "source": m.source, "id": m.extra.get("id", "")}

        return {"format": DIFF_FORMAT, "format_version": DIFF_FORMAT_VERSION, "by": self.by,
                "old": doc(self.old), "new": doc(self.new), "rules": list(self.rules),
                "summary": self.summary(), "moves": [m.to_dict() for m in self.moves],
                "systematic": [s.to_dict() for s in self.systematic],
                "pairs": [p.to_dict() for p in self.pairs], "warnings": list(self.warnings),
                "move_filter": list(self.move_filter), "outline": [c.to_dict() for c in self.outline],
                **({"amendments": self.amendments.to_dict()} if self.amendments is not None else {})}
