"""Systematic changes: one substitution repeated across sections, reported once with its places.

A revision that renames a body (工商行政管理部门 → 市场监督管理部门) or renumbers the articles
it cites touches dozens of sections with the same replacement. Each is one systematic change,
not dozens of findings, and never a move.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from scdocs.changes.text import DELETE, EQUAL, INSERT, Op
from scdocs.document.model import Section
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS

#: A replacement seen in this many sections is systematic.
MIN_PLACES = 3
#: Characters of context before and after that make a lone insertion or deletion recognisable
#: (股东[大]会: two before, one after, so 股东大会会议 and 股东大会应当 are the same edit).
CONTEXT, AFTER = 2, 1
#: Longer lone insertions or deletions are new or dropped provisions, not edits that recur.
LONE_MAX = 12
#: Characters of shared context shown around a substitution, at most, either side.
SHOWN = 6
#: Where shown context stops: a space or a punctuation mark parts the edit from other words.
_SEPARATED = re.compile(r"[\s，。；：、,.;:（）()“”《》]")
_NUMERAL = re.compile(rf"^[{CHINESE_NUMERAL_CHARS}0-9０-９]+$")


@dataclass
class SystematicChange:
    kind: str  # "renumbered references", "character width" or "substitution"
    old_text: str  # for references: "" (many different numbers)
    new_text: str
    places: list[tuple[Section | None, Section | None]] = field(default_factory=list)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # the (deleted, inserted) texts it covers
    context: tuple[str, str] = ("", "")  # the words around it in every place (工商行政[管理部门])
    #: For the same words inserted or deleted everywhere: the words themselves (old, new), without
    #: the few characters of context that identify the edit in `old_text` and `new_text`.
    core: tuple[str, str] | None = None

    @property
    def shown(self) -> tuple[str, str]:
        """Old and new words with the context they share everywhere: 工商行政管理部门 → 市场监督管理部门,
        通过企业信用 → 通过国家企业信用 (not 通过企 → 通过国家企)."""
        before, after = self.context
        before = _SEPARATED.split(before)[-1]  # 第二条　工商… shows 工商…, not the number's 条 and its space
        after = _SEPARATED.split(after)[0]
        old, new = self.core or (self.old_text, self.new_text)
        return before + old + after, before + new + after

    @property
    def labels(self) -> list[str]:
        """Each place as printed: 第二条, or 第十七条 → 第十八条 where the number changed."""
        out = []
        for o, n in self.places:
            a, b = (o.name if o else "—"), (n.name if n else "—")
            out.append(a if a == b else f"{a} → {b}")
        return out

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "old": self.old_text, "new": self.new_text, "shown": list(self.shown),
                "count": len(self.places),
                "places": [{"old": o.eid if o else None, "new": n.eid if n else None,
                            "old_num": o.num if o else None, "new_num": n.num if n else None}
                           for o, n in self.places]}


def _is_reference(deleted: str, inserted: str) -> bool:
    """A replaced number: the numeral of a cited article or paragraph (第三十四条 → 第三十六条)."""
    return bool(_NUMERAL.match(deleted.strip()) and _NUMERAL.match(inserted.strip()))


_CITATION_OPENS = re.compile(rf"第[{CHINESE_NUMERAL_CHARS}0-9０-９]*$")
_CITATION_CLOSES = re.compile(rf"[{CHINESE_NUMERAL_CHARS}0-9０-９]*[条款项章节]")


def _cites(op: Op, old: Section, new: Section) -> bool:
    """Whether a replaced numeral stands in a citation, 第…条, 第…款 or 第…项 (not a date, 2007年 → 2024年,
    nor an amount): only then is it a renumbered reference."""
    text, at = (old.text, op.old_start) if op.op == DELETE else (new.text, op.new_start)
    return bool(_CITATION_OPENS.search(text, max(0, at - 12), at)) and bool(
        _CITATION_CLOSES.match(text, at + len(op.text)))


def lone_key(op: Op, old: Section, new: Section) -> tuple[str, str]:
    """A lone insertion or deletion as a substitution of words in their context: deleting 大 from
    股东大会 is (股东大会, 股东会), so that it is recognised wherever it recurs."""
    if op.op == DELETE:
        a, b = op.old_start, op.old_start + len(op.text)
        before, after = old.text[max(0, a - CONTEXT):a], old.text[b:b + AFTER]
        return before + op.text + after, before + after
    a, b = op.new_start, op.new_start + len(op.text)
    before, after = new.text[max(0, a - CONTEXT):a], new.text[b:b + AFTER]
    return before + after, before + op.text + after


def replacements(ops: Sequence[Op]) -> list[tuple[Op, Op]]:
    """(deletion, insertion) runs that stand beside each other: what the revision replaced."""
    return [(a, b) if a.op == DELETE else (b, a) for a, b in pairwise(ops) if {a.op, b.op} == {INSERT, DELETE}]


def lone_ops(ops: Sequence[Op], replaced: Collection[Op]) -> list[Op]:
    """Insertions and deletions that replace nothing (no opposite run beside them)."""
    ids = {id(o) for o in replaced}
    return [o for o in ops if o.op in (INSERT, DELETE) and id(o) not in ids]


def _shared_start(texts: list[str]) -> str:
    """The characters all texts begin with."""
    first = min(texts, key=len)
    n = next((k for k, c in enumerate(first) if any(t[k] != c for t in texts)), len(first))
    return first[:n]


def _unchanged_around(ops: Sequence[Op], first: int, last: int) -> tuple[str, str]:
    """Up to SHOWN characters of the unchanged text before ops[first] and after ops[last]: the words
    both versions share there (text beside another edit is not shared, and is not shown)."""
    before = ops[first - 1].text[-SHOWN:] if first > 0 and ops[first - 1].op == EQUAL else ""
    after = ops[last + 1].text[:SHOWN] if last + 1 < len(ops) and ops[last + 1].op == EQUAL else ""
    return before, after


def _own_number(op: Op, old: Section, new: Section) -> bool:
    """Whether an edit lies in the section's own number (第四条 → 第五条 as the articles are
    renumbered), which is no reference to another article."""
    start, num = (op.old_start, old.num) if op.op == DELETE else (op.new_start, new.num)
    return bool(num) and start < len(num or "")


def find(pairs: Iterable[tuple[Section, Section, Sequence[Op]]]) -> list[SystematicChange]:
    """Systematic changes among the (old, new, diff operations) of every aligned pair: all renumbered
    references as one change, and each substitution (or the same words inserted or deleted in the
    same context) seen in at least MIN_PLACES sections. An edit of a section's own number is neither."""
    refs = SystematicChange("renumbered references", "", "")
    seen: dict[tuple[str, str], SystematicChange] = {}
    around: dict[tuple[str, str], list[tuple[str, str]]] = {}
    cores: dict[tuple[str, str], tuple[str, str]] = {}
    spans: dict[tuple[str, str], dict[tuple[int, int], _Span]] = {}  # where each edit sits, per place
    for old, new, ops in pairs:
        at = {id(o): k for k, o in enumerate(ops)}
        place = (id(old), id(new))
        all_reps = replacements(ops)
        reps = [(d, i) for d, i in all_reps if not _own_number(d, old, new)]
        keys = {(d.text, i.text) for d, i in reps if d.text.strip() and i.text.strip()}
        for d, i in reps:
            first, last = min(at[id(d)], at[id(i)]), max(at[id(d)], at[id(i)])
            around.setdefault((d.text, i.text), []).append(_unchanged_around(ops, first, last))
            spans.setdefault((d.text, i.text), {}).setdefault(place, (first, last, ops))
        for o in lone_ops(ops, [o for r in all_reps for o in r]):
            if o.text.strip() and len(o.text) <= LONE_MAX and not _own_number(o, old, new):
                key = lone_key(o, old, new)
                keys.add(key)
                around.setdefault(key, []).append(_unchanged_around(ops, at[id(o)], at[id(o)]))
                cores.setdefault(key, (o.text, "") if o.op == DELETE else ("", o.text))
                spans.setdefault(key, {}).setdefault(place, (at[id(o)], at[id(o)], ops))
        numbers = {(d.text, i.text) for d, i in reps if _is_reference(d.text, i.text) and _cites(d, old, new)}
        if numbers:
            refs.places.append((old, new))
            refs.pairs |= numbers
        for key in sorted(keys - numbers):
            seen.setdefault(key, SystematicChange("substitution", *key, pairs={key})).places.append((old, new))
    width = SystematicChange("character width", "", "")  # （一） for (一), full-width digits: one change
    for key in [k for k in seen if unicodedata.normalize("NFKC", k[0]) == unicodedata.normalize("NFKC", k[1])]:
        change = seen.pop(key)
        width.pairs.add(key)
        width.places += [p for p in change.places if not any(p[0] is q[0] and p[1] is q[1] for q in width.places)]
    if width.places:
        seen[("", "width")] = width
    found = [c for c in seen.values() if len(c.places) >= MIN_PLACES or c is width]
    for c in found:
        if c.kind == "substitution" and around.get((c.old_text, c.new_text)):
            befores, afters = zip(*around[(c.old_text, c.new_text)], strict=True)
            c.context = (_shared_start([b[::-1] for b in befores])[::-1], _shared_start(list(afters)))
            c.core = cores.get((c.old_text, c.new_text))
    found = _merge_adjacent(found, spans)
    found.sort(key=lambda c: -len(c.places))
    return ([refs] if refs.places else []) + found


_Span = tuple[int, int, Sequence[Op]]  # first and last op index of an edit, and the pair's ops
#: Two edits in the same places at most this many unchanged characters apart are one change.
ADJACENT = 4


def _merge_adjacent(found: list[SystematicChange], spans: dict[tuple[str, str], dict[tuple[int, int], _Span]]
                    ) -> list[SystematicChange]:
    """One change where two substitutions sit side by side in every one of the same places:
    由[+过]半数[-以上-][+的] is 由半数以上 → 由过半数的 (more than half), not two changes."""
    out = list(found)
    by_places: dict[tuple[tuple[int, int], ...], list[SystematicChange]] = {}
    for c in found:
        if c.kind == "substitution" and (c.old_text, c.new_text) in spans:
            by_places.setdefault(tuple((id(o), id(n)) for o, n in c.places), []).append(c)
    for places, group in by_places.items():
        if len(group) < 2:
            continue
        first_place = places[0]
        group.sort(key=lambda c: spans[(c.old_text, c.new_text)][first_place][0])
        merged = group[0]
        for nxt in group[1:]:
            joined = _joined(merged, nxt, places, spans)
            if joined is None:
                merged = nxt
                continue
            out = [c for c in out if c is not merged and c is not nxt] + [joined]
            spans[(joined.old_text, joined.new_text)] = {
                p: (spans[(merged.old_text, merged.new_text)][p][0], spans[(nxt.old_text, nxt.new_text)][p][1],
                    spans[(nxt.old_text, nxt.new_text)][p][2]) for p in places}
            merged = joined
    return out


def _joined(a: SystematicChange, b: SystematicChange, places: tuple[tuple[int, int], ...],
            spans: dict[tuple[str, str], dict[tuple[int, int], _Span]]) -> SystematicChange | None:
    """`a` and `b` as one change, where in every place only a few unchanged characters part them and
    the joined words are the same."""
    words: set[tuple[str, str]] = set()
    contexts = []
    for p in places:
        first, _, ops = spans[(a.old_text, a.new_text)][p]
        b_first, last, b_ops = spans[(b.old_text, b.new_text)][p]
        between = ops[spans[(a.old_text, a.new_text)][p][1] + 1: b_first]
        if b_ops is not ops or b_first <= first or any(o.op != EQUAL for o in between) \
                or sum(len(o.text) for o in between) > ADJACENT:
            return None
        run = ops[first: last + 1]
        words.add(("".join(o.text for o in run if o.op != INSERT), "".join(o.text for o in run if o.op != DELETE)))
        contexts.append(_unchanged_around(ops, first, last))
    if len(words) != 1:
        return None
    [(old_words, new_words)] = words
    befores, afters = zip(*contexts, strict=True)
    return SystematicChange("substitution", old_words, new_words, list(a.places), a.pairs | b.pairs,
                            (_shared_start([x[::-1] for x in befores])[::-1], _shared_start(list(afters))))
