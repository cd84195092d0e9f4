"""Measuring the tagger against a gold set (doc, section, themes, disputed) as themes.md defines it.

Precision, recall and F1 over (doc, section, theme) triples, per theme and micro-averaged;
disputed themes of a section count neither right nor wrong.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from scdocs.datafiles import read_user_text
from scdocs.document.model import Document
from scdocs.errors import ScdocsError
from scdocs.themes.tagger import tag
from scdocs.themes.taxonomy import Taxonomy


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    per_theme: dict[str, Score] = field(default_factory=dict)
    micro: Score = field(default_factory=Score)
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # (doc, section, theme, fp|fn)


class Row(NamedTuple):
    """One labelled section: the document, the section's number, its themes and disputed themes, the
    part for numbering that restarts per part, and where the label was read (file:line) for errors."""

    doc: str
    number: int
    themes: set[str]
    disputed: set[str]
    part: int | None = None
    where: str = ""


LABEL_COLUMNS = ("doc", "section", "themes", "disputed")


def _themes(value: str | None) -> set[str]:
    value = (value or "").strip()
    return set() if value in ("", "-") else {t.strip() for t in value.split(",") if t.strip()}


def read_gold(path: Path, known: Iterable[str] | None = None) -> list[Row]:
    """Rows of a labels file: tab-separated, a header with doc, section, themes, disputed (and an
    optional `part` for items whose numbering restarts in every part, 国发〔2019〕5号: section 1 of
    part 3 and of part 4 differ). `section` is the number (23) or the printed num (第二十三条);
    themes are comma-separated ids, `-` for none. With `known`, a theme outside it is an error.
    Every problem is one line naming the file and the line."""
    from scdocs.document.numerals import number_of

    where = str(path)
    text = read_user_text(path, "labels")
    reader = csv.DictReader(text.splitlines(), delimiter="\t")
    missing = [c for c in LABEL_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ScdocsError(f"labels {where}: the header needs tab-separated columns {', '.join(LABEL_COLUMNS)} "
                          f"(missing: {', '.join(missing)})")
    allowed = set(known) if known is not None else None
    rows = []
    width = len(reader.fieldnames or [])
    for row in reader:
        line = reader.line_num  # the file's line, blank lines counted
        # a row that is not the header's columns (spaces for a tab, a column left out or one too many)
        # would be read as a section with no themes: an error, never a silent label (`part` is optional)
        found = sum(v is not None for k, v in row.items() if k is not None) + len(row.get(None) or [])
        if any(row.get(c) is None for c in LABEL_COLUMNS) or row.get(None):
            raise ScdocsError(f"labels {where}: line {line}: {found} tab-separated columns where the header has "
                              f"{width} ({', '.join(reader.fieldnames or [])}); write - for no themes")
        if not (row["themes"] or "").strip():
            raise ScdocsError(f"labels {where}: line {line}: the themes column is empty; write - for no themes")
        raw = (row["section"] or "").strip()
        number = int(raw) if raw.isdigit() else number_of(raw)
        if number is None:
            raise ScdocsError(f"labels {where}: line {line}: section {raw!r} is not a number (23 or 第二十三条)")
        themes, disputed = _themes(row["themes"]), _themes(row["disputed"])
        unknown = sorted((themes | disputed) - allowed) if allowed is not None else []
        if unknown:
            raise ScdocsError(f"labels {where}: line {line}: unknown theme {unknown[0]!r}; see `scdocs themes`")
        both = sorted(themes & disputed)
        if both:  # given and set aside at once: which is it?
            raise ScdocsError(f"labels {where}: line {line}: theme {both[0]!r} is both given and disputed")
        part = (row.get("part") or "-").strip()
        rows.append(Row((row["doc"] or "").strip(), number, themes, disputed, int(part) if part.isdigit() else None,
                        f"{where}: line {line}"))
    if not rows:
        raise ScdocsError(f"labels {where}: no labelled sections")
    return rows


def _part_of(eid: str) -> int | None:
    m = re.match(r"part_(\d+)__", eid)
    return int(m.group(1)) if m else None


def evaluate(gold_path: Path, load: Callable[[str], Document], taxonomy: Taxonomy | None = None) -> Evaluation:
    """Tag every gold document (loaded by id with `load`) and score the decisions."""
    gold = read_gold(gold_path)
    ev = Evaluation()
    tagged: dict[str, dict[tuple[int | None, int], set[str]]] = {}
    for doc_id in dict.fromkeys(g[0] for g in gold):
        result = tag(load(doc_id), taxonomy)
        tagged[doc_id] = {}
        for st in result.sections:
            s = st.section
            if s.number is not None and s.kind in ("article", "item"):
                tagged[doc_id].setdefault((_part_of(s.eid), s.number), set()).update(st.theme_ids)
                tagged[doc_id].setdefault((None, s.number), set()).update(st.theme_ids)
    for doc_id, number, truth, disputed, part, _ in gold:
        predicted = tagged[doc_id].get((part, number), set())
        for theme in (truth | predicted) - disputed:
            score = ev.per_theme.setdefault(theme, Score())
            if theme in truth and theme in predicted:
                score.tp += 1
                ev.micro.tp += 1
            elif theme in predicted:
                score.fp += 1
                ev.micro.fp += 1
                ev.errors.append((doc_id, number, theme, "fp"))
            else:
                score.fn += 1
                ev.micro.fn += 1
                ev.errors.append((doc_id, number, theme, "fn"))
    return ev
