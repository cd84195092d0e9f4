"""Systematic changes: one substitution repeated across sections, reported once with its places.

A revision that renames a body (工商行政管理部门 → 市场监督管理部门) or renumbers the articles
it cites touches dozens of sections with the same replacement. Each is one systematic change,
not dozens of findings, and never a move.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from scdocs.changes.text import Op
from scdocs.document.model import Section
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS

#: A replacement seen in this many sections is systematic.
MIN_PLACES = 3
_NUMERAL = re.compile(rf"^[{CHINESE_NUMERAL_CHARS}0-9０-９]+$")


@dataclass
class SystematicChange:
    kind: str  # "renumbered references" or "substitution"
    old_text: str  # for references: "" (many different numbers)
    new_text: str
    places: list[tuple[Section | None, Section | None]] = field(default_factory=list)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # the (deleted, inserted) texts it covers

    @property
    def labels(self) -> list[str]:
        return [f"{o.num or o.eid if o else '—'} → {n.num or n.eid if n else '—'}" for o, n in self.places]

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "old": self.old_text, "new": self.new_text, "count": len(self.places),
                "places": [{"old": o.eid if o else None, "new": n.eid if n else None,
                            "old_num": o.num if o else None, "new_num": n.num if n else None}
                           for o, n in self.places]}


def _is_reference(deleted: str, inserted: str) -> bool:
    """A replaced number: the numeral of a cited article or paragraph (第三十四条 → 第三十六条)."""
    return bool(_NUMERAL.match(deleted.strip()) and _NUMERAL.match(inserted.strip()))


def find(pairs: Iterable[tuple[Section | None, Section | None, list[tuple[Op, Op]]]]) -> list[SystematicChange]:
    """Systematic changes among the (old, new, replacements) of every aligned pair: all renumbered
    references as one change, and each substitution seen in at least MIN_PLACES sections."""
    refs = SystematicChange("renumbered references", "", "")
    seen: dict[tuple[str, str], SystematicChange] = {}
    for old, new, reps in pairs:
        keys = {(d.text, i.text) for d, i in reps if d.text.strip() and i.text.strip()}
        numbers = {k for k in keys if _is_reference(*k)}
        if numbers:
            refs.places.append((old, new))
            refs.pairs |= numbers
        for key in sorted(keys - numbers):
            seen.setdefault(key, SystematicChange("substitution", *key, pairs={key})).places.append((old, new))
    found = [c for c in seen.values() if len(c.places) >= MIN_PLACES]
    found.sort(key=lambda c: -len(c.places))
    return ([refs] if refs.places else []) + found
