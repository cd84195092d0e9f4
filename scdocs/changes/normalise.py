"""Normalisation is not an edit: runs of a text diff that only change character width (( → （,
full-width digits and letters), typographic quotes or whitespace (`scdocs.document.folding`).

Published versions of one law are often typeset differently; a reader comparing them wants the
changes in wording, not a redline over every bracket. The runs found here stay in the diff (the
amendment check and `--show-normalisation` see them) and reports show them as unchanged text.
"""

from __future__ import annotations

from collections.abc import Sequence

from scdocs.changes.text import DELETE, EQUAL, INSERT, Op
from scdocs.document.folding import fold


def width_or_space_only(old: str, new: str) -> bool:
    """Whether two different strings differ only in character width, quotes or whitespace."""
    return old != new and fold(old) == fold(new)


def normalisation_runs(ops: Sequence[Op]) -> tuple[int, ...]:
    """Indices of the runs that only normalise: a deletion next to an insertion that differ only in
    width or whitespace, and insertions or deletions of whitespace alone."""
    found: set[int] = set()
    for i, o in enumerate(ops):
        if o.op in (INSERT, DELETE) and not o.text.strip():
            found.add(i)
        if i + 1 < len(ops) and {o.op, ops[i + 1].op} == {INSERT, DELETE} and i not in found:
            deleted, inserted = (o, ops[i + 1]) if o.op == DELETE else (ops[i + 1], o)
            if width_or_space_only(deleted.text, inserted.text):
                found.update((i, i + 1))
    return tuple(sorted(found))


def as_shown(ops: Sequence[Op], normalised: Sequence[int]) -> list[Op]:
    """The runs a report shows: a normalising insertion reads as unchanged text (in its new form),
    a normalising deletion is not shown."""
    skip = set(normalised)
    out = []
    for i, o in enumerate(ops):
        if i not in skip:
            out.append(o)
        elif o.op == INSERT:
            out.append(Op(EQUAL, o.text, o.old_start, o.new_start))
    return out
