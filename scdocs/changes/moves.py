"""Moves: what a revision changed on one aligned pair, and which way it moved power.

Detectors look at the change, not the topic: (a) wording the diff operations inserted or deleted,
absent from the other version; (b) values: fines, multiples and periods compared as numbers;
(c) modality: 可以 → 应当 and back, on the same spot; (d) actor level: the responsible body
replaced by one higher or lower (levels are data); (e) added and removed sections judged whole,
a removal counting in the reverse direction (the `lost` rules). Words inside a systematic
substitution (a renamed body, a renumbered reference) never make a move.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from scdocs.changes import values as numbers
from scdocs.changes.rules import MOVES, MoveRules, Rule
from scdocs.changes.systematic import lone_key, lone_ops, replacements
from scdocs.changes.text import DELETE, EQUAL, INSERT, Op
from scdocs.document.model import Section

#: A replaced body is judged only in replacements this short (longer ones rewrite a passage).
ACTOR_SPAN = 30
#: 可以 ⇄ 应当 counts only where the replacement is this short: the same obligation, reworded.
MODAL_SPAN = 8


@dataclass(frozen=True)
class Evidence:
    """Words that carry a move: inserted (in NEW) or deleted (in OLD), with document offsets."""

    side: str  # "new" or "old"
    change: str  # "inserted", "deleted", or "value" (a number compared, with its words)
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"side": self.side, "change": self.change, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ValueChange:
    """Old and new value of a number the revision changed (the maxima, or minima, that decided)."""

    kind: str  # fine, multiple, period
    old: numbers.Value | None
    new: numbers.Value | None
    old_offset: int = 0
    new_offset: int = 0
    compared_with: str = ""  # for an added section: the old section whose values it replaces

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "old": self.old.to_dict(self.old_offset) if self.old else None,
                "new": self.new.to_dict(self.new_offset) if self.new else None,
                "compared_with": self.compared_with or None}

    @property
    def shown(self) -> str:
        where = f" (old {self.compared_with})" if self.compared_with and self.old else ""
        return f"{self.old.shown if self.old else '—'}{where} → {self.new.shown if self.new else '—'}"


@dataclass
class Move:
    """One move on one pair: the move id, its direction, why (rules and detectors) and the evidence."""

    id: str
    old: Section | None
    new: Section | None
    rules: list[str] = field(default_factory=list)
    detectors: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    values: list[ValueChange] = field(default_factory=list)
    group: int | None = None  # the same change in several places shares a group (see `group_moves`)

    @property
    def direction(self) -> str:
        return MOVES[self.id]

    @property
    def place(self) -> str:
        old = self.old.name if self.old else "—"
        new = self.new.name if self.new else "—"
        return f"{old} → {new}"

    @property
    def key(self) -> str:
        """What makes two moves 'the same change': the move id and its first words or value change."""
        if self.values:
            return f"{self.id}|{self.values[0].kind}"
        words = next((e.text for e in self.evidence), "")
        return f"{self.id}|{words}"

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "direction": self.direction, "rules": self.rules, "detectors": self.detectors,
                "description": "; ".join(self.descriptions),
                "old": self.old.eid if self.old else None, "new": self.new.eid if self.new else None,
                "old_num": self.old.num if self.old else None, "new_num": self.new.num if self.new else None,
                "evidence": [e.to_dict() for e in self.evidence], "values": [v.to_dict() for v in self.values],
                "group": self.group}


@dataclass(frozen=True)
class _Change:
    """The pair's changed runs in document offsets: inserted runs in NEW, deleted runs in OLD, and
    which inserted/deleted runs stand beside each other (replacements)."""

    inserted: list[tuple[int, int, str]]
    deleted: list[tuple[int, int, str]]
    replacements: list[tuple[Op, Op]]


def _changes(old: Section | None, new: Section | None, ops: Sequence[Op] | None,
             systematic: Collection[tuple[str, str]]) -> _Change:
    """The changed runs, less those of systematic substitutions (a renaming is never a move)."""
    if ops is None:
        ins = [(new.start, new.end, new.text)] if new is not None and old is None else []
        dels = [(old.start, old.end, old.text)] if old is not None and new is None else []
        return _Change(ins, dels, [])
    assert old is not None and new is not None
    all_reps = replacements(ops)
    reps = [(d, i) for d, i in all_reps if (d.text, i.text) not in systematic]
    skip = {id(o) for d, i in all_reps if (d.text, i.text) in systematic for o in (d, i)}
    skip |= {id(o) for o in lone_ops(ops, [o for r in all_reps for o in r]) if lone_key(o, old, new) in systematic}
    ins = [(new.start + o.new_start, new.start + o.new_start + len(o.text), o.text) for o in ops
           if o.op == INSERT and id(o) not in skip]
    dels = [(old.start + o.old_start, old.start + o.old_start + len(o.text), o.text) for o in ops
            if o.op == DELETE and id(o) not in skip]
    return _Change(ins, dels, reps)


def _inside(start: int, end: int, ranges: list[tuple[int, int, str]]) -> bool:
    return any(s < end and start < e for s, e, _ in ranges)


def _same_cue(a: str, b: str) -> bool:
    """Whether two matches of one rule are the same cue reworded: the shorter shares 70% of its
    distinct characters with the longer."""
    short, long_ = sorted((set(a), set(b)), key=len)
    return len(short & long_) >= 0.7 * len(short)


def _wording(rule: Rule, old: Section | None, new: Section | None, ch: _Change,
             context: tuple[str, str], merged_from: str | None = None) -> Iterator[Evidence]:
    """Matches of a gained (lost) rule in words the revision inserted (deleted), absent from the other side.

    The other side is the aligned section; for an added section, and for anything lost, it is the
    whole other document (a cue the old law had elsewhere is not new; one the new law keeps
    elsewhere was moved, not lost).
    """
    assert rule.pattern is not None
    gained = rule.kind == "gained"
    section, ranges, side, change = ((new, ch.inserted, "new", "inserted") if gained
                                     else (old, ch.deleted, "old", "deleted"))
    if section is None:
        return
    other_section = old if gained else None
    other = other_section.text if other_section is not None else context[0 if gained else 1]
    if gained and merged_from is not None:  # a merge: words from any of the old sections it joins are not new
        other = merged_from
    # The same cue on the other side is no move: the same words, the words less a prefix
    # (企业信用信息公示系统 → 国家企业信用信息公示系统 renames the system), or a match of the rule
    # sharing most of its characters (列入严重违法企业名单 → 列入…严重违法失信名单 is the same listing).
    before = [m.group() for m in rule.pattern.finditer(other)]
    for m in rule.pattern.finditer(section.text):
        start, end = section.start + m.start(), section.start + m.end()
        if not _inside(start, end, ranges):
            continue
        words = m.group()
        if words in other or (len(words) > 6 and words[2:] in other) or any(_same_cue(words, b) for b in before):
            continue
        yield Evidence(side, change, words, start, end)


def _replacements(rule: Rule, old: Section, new: Section, ch: _Change) -> Iterator[list[Evidence]]:
    assert rule.deleted is not None and rule.inserted is not None
    for d, i in ch.replacements:
        md, mi = rule.deleted.search(d.text), rule.inserted.search(i.text)
        if (len(d.text) > MODAL_SPAN or len(i.text) > MODAL_SPAN) and not (
                md and mi and md.end() == len(d.text) and mi.end() == len(i.text)):
            continue  # a rewritten passage, unless both runs end on the modal words (the same verb follows)
        if _flips(rule, d.text, i.text):  # md and mi, and neither the other way round
            yield [Evidence("old", "deleted", d.text, old.start + d.old_start, old.start + d.old_start + len(d.text)),
                   Evidence("new", "inserted", i.text, new.start + i.new_start,
                            new.start + i.new_start + len(i.text))]


def _rank(text: str, rules: MoveRules) -> int | None:
    ranks = [lv.rank for lv in rules.levels if lv.pattern.search(text)]
    return max(ranks) if ranks else None


#: Unchanged characters around a replaced run read with it when ranking bodies: the diff may change
#: only part of a name ([-设区的-]{+省、自治区、直辖+}市人民政府, [-市-]{+省+}人民政府).
NAME_BEFORE, NAME_AFTER = 2, 6


def _named(text: str, start: int, end: int, other_text: str, other_start: int, other_end: int) -> str:
    """The run text[start:end] with the characters around it that both versions share there."""
    before, after = text[max(0, start - NAME_BEFORE):start], text[end:end + NAME_AFTER]
    o_before, o_after = other_text[max(0, other_start - NAME_BEFORE):other_start], other_text[
        other_end:other_end + NAME_AFTER]
    k = next((n for n in range(min(len(before), len(o_before)), 0, -1) if before[-n:] == o_before[-n:]), 0)
    m = next((n for n in range(min(len(after), len(o_after)), 0, -1) if after[:n] == o_after[:n]), 0)
    return (before[len(before) - k:] if k else "") + text[start:end] + after[:m]


def rank_change(old_words: str, new_words: str, rules: MoveRules) -> str | None:
    """central-authority where the new words name a body of higher rank than the old, local-discretion
    where lower, else None."""
    before, after = _rank(old_words, rules), _rank(new_words, rules)
    if before is None or after is None or before == after:
        return None
    return "central-authority" if after > before else "local-discretion"


def _flips(rule: Rule, old_words: str, new_words: str) -> bool:
    """Whether a replacement rule's deleted words (可以) give way to its inserted ones (应当) here: the old
    words have the one and not the other, the new words the reverse."""
    assert rule.deleted is not None and rule.inserted is not None
    return bool(rule.deleted.search(old_words) and rule.inserted.search(new_words)
                and not rule.inserted.search(old_words) and not rule.deleted.search(new_words))


def modal_change(old_words: str, new_words: str, rules: MoveRules) -> str | None:
    """The move of a replacement rule (可以 → 应当) that these words make, else None."""
    for rule in rules.rules:
        if rule.kind == "replacement" and _flips(rule, old_words, new_words):
            return rule.move
    return None


def carries_move(old_words: str, new_words: str, rules: MoveRules) -> bool:
    """Whether a substitution is itself a move (可以 → 应当; a body of another rank), however often it
    recurs: such a change is never folded into a systematic renaming."""
    return bool(modal_change(old_words, new_words, rules) or rank_change(old_words, new_words, rules))


def _actors(old: Section, new: Section, ch: _Change, rules: MoveRules) -> Iterator[tuple[str, list[Evidence]]]:
    """A responsible body replaced by one of another rank: up is central-authority, down local-discretion.
    Each run is ranked with the unchanged characters around it, so a name changed in part is read whole."""
    for d, i in ch.replacements:
        if len(d.text) > ACTOR_SPAN or len(i.text) > ACTOR_SPAN:
            continue  # a rewritten passage, not a body named in another's place
        d_end, i_end = d.old_start + len(d.text), i.new_start + len(i.text)
        move = rank_change(_named(old.text, d.old_start, d_end, new.text, i.new_start, i_end),
                           _named(new.text, i.new_start, i_end, old.text, d.old_start, d_end), rules)
        if move is None:
            continue
        yield move, [Evidence("old", "deleted", d.text, old.start + d.old_start, old.start + d.old_start + len(d.text)),
                     Evidence("new", "inserted", i.text, new.start + i.new_start,
                              new.start + i.new_start + len(i.text))]


def _values(old: Section | None, new: Section | None, new_text_all: str = "",
            base: Section | None = None) -> Iterator[tuple[str, ValueChange]]:
    """Fines, multiples and periods compared as numbers on the two sides. A removed section's values
    that the new document still sets elsewhere moved with the text, and are no change. An added
    section is compared with `base`, the old section its sanctions most resemble, where there is one."""
    compared_with = ""
    if old is None and base is not None:
        old, compared_with = base, base.name
    old_text = old.text if old else ""
    new_text = new.text if new else ""
    found = {"old": numbers.fines(old_text) + numbers.periods(old_text) + numbers.retention(old_text),
             "new": numbers.fines(new_text) + numbers.periods(new_text) + numbers.retention(new_text)}
    o_off, n_off = (old.start if old else 0), (new.start if new else 0)
    for kind in ("fine", "multiple", "period", "retention"):
        o = [v for v in found["old"] if v.kind == kind]
        n = [v for v in found["new"] if v.kind == kind]
        if not o and not n:
            continue
        if o and n:
            # tier by tier: a higher fine for one subject and a lower one for another are two moves
            for sign in (1, -1):
                hit = next(((ov, nv) for s, ov, nv in numbers.tiers(o, n, old_text, new_text) if s == sign), None)
                if hit is not None:
                    yield ("enforcement" if sign > 0 else "safeguard"), ValueChange(kind, *hit, o_off, n_off,
                                                                                    compared_with)
            continue
        # A fine where there was none is a new sanction; a period where there was none is a new time
        # limit (on a listing or a restriction), which protects; removals count the other way.
        added = bool(n)
        if not added and new is None and all(v.text in new_text_all for v in o):
            continue
        harsher = added if kind != "period" else not added
        # the time limit itself (期限为二年), not the extension beside it (延长一至三年); else the highest value
        pick = min if kind == "period" else max
        top = pick(n or o, key=lambda v: v.high)
        yield ("enforcement" if harsher else "safeguard"), ValueChange(kind, None if added else top,
                                                                        top if added else None, o_off, n_off)


def detect(old: Section | None, new: Section | None, ops: Sequence[Op] | None, status: str, rules: MoveRules,
           systematic: Collection[tuple[str, str]] = (), context: tuple[str, str] = ("", ""),
           value_base: Section | None = None, merged_from: str | None = None) -> list[Move]:
    """Every move on one aligned pair (or added or removed section), one per move id, in id order.
    `context` is the (old, new) documents' texts, against which added and lost words are checked;
    `value_base` the old section an added section's fines are compared with; `merged_from` the texts of
    all the old sections a merged section joins."""
    if status in ("unchanged", "renumbered"):
        return []
    if ops is not None and all(o.op == EQUAL for o in ops):
        return []
    ch = _changes(old, new, ops, systematic)
    whole = "section" if old is None or new is None else None
    found: dict[str, Move] = {}

    def add(move_id: str, rule: str, detector: str, description: str, evidence: list[Evidence],
            value: ValueChange | None = None) -> None:
        m = found.setdefault(move_id, Move(move_id, old, new))
        if rule not in m.rules:
            m.rules.append(rule)
            m.descriptions.append(description)
        if detector not in m.detectors:
            m.detectors.append(detector)
        m.evidence.extend(e for e in evidence if e not in m.evidence)
        if value is not None:
            m.values.append(value)

    for rule in rules.rules:
        if rule.kind in ("gained", "lost"):
            hits = list(_wording(rule, old, new, ch, context, merged_from))
            if hits:
                add(rule.move, rule.id, whole or "wording", rule.description, hits)
        elif old is not None and new is not None:
            for ev in _replacements(rule, old, new, ch):
                add(rule.move, rule.id, "modality", rule.description, ev)
    if old is not None and new is not None:
        for move_id, ev in _actors(old, new, ch, rules):
            add(move_id, f"actor-{'up' if move_id == 'central-authority' else 'down'}", "actor",
                "The responsible body moves " + ("up" if move_id == "central-authority" else "down"), ev)
    for move_id, vc in _values(old, new, context[1], value_base):
        evidence = []
        if vc.old is not None:
            evidence.append(Evidence("old", "value", vc.old.text, vc.old.start + vc.old_offset,
                                     vc.old.end + vc.old_offset))
        if vc.new is not None:
            evidence.append(Evidence("new", "value", vc.new.text, vc.new.start + vc.new_offset,
                                     vc.new.end + vc.new_offset))
        what = {"fine": "fine", "multiple": "fine (multiple of gains)", "period": "listing or restriction period",
                "retention": "record-keeping period"}[vc.kind]
        description = (f"The {what} " + ("rises" if move_id == "enforcement" else "falls")
                       + f": {vc.shown}" if vc.old and vc.new else
                       f"A {what} is {'added' if vc.new else 'removed'}: {vc.shown}")
        add(move_id, f"{vc.kind}-{'up' if move_id == 'enforcement' else 'down'}", "value", description, evidence, vc)
    # 依照《资产评估法》…的规定处罚: the sanction moved to another law; it did not fall or go.
    if ("safeguard" in found and set(found["safeguard"].rules) <= SANCTION_DOWN and new is not None
            and REFERRAL.search(new.text) and not (old is not None and REFERRAL.search(old.text))):
        del found["safeguard"]
    return [found[k] for k in MOVES if k in found]


#: The ids of the program's own detectors that a move can cite beside the rule file's: values compared
#: as numbers, and a responsible body replaced by one of another level (levels are data).
DETECTOR_RULES = tuple(f"{kind}-{way}" for kind in ("fine", "multiple", "period", "retention", "actor")
                       for way in ("up", "down"))


#: A provision that hands its sanction to another law (依照《中华人民共和国会计法》…的规定处罚).
REFERRAL = re.compile(r"依照《[^》]{2,40}》[^。；]{0,60}?(?:处罚|处理|追究)")
#: The safeguard rules that read a sanction's absence: no move where the sanction was referred elsewhere.
SANCTION_DOWN = frozenset({"sanction-removed", "fine-down", "multiple-down"})


def group_moves(moves: list[Move]) -> None:
    """The same change in several places (the same words inserted, the same kind of value raised)
    shares a group number, so reports count it once with its places."""
    by_key: dict[str, list[Move]] = {}
    for m in moves:
        by_key.setdefault(m.key, []).append(m)
    n = 0
    for same in by_key.values():
        if len(same) > 1 and not same[0].values:
            n += 1
            for m in same:
                m.group = n
