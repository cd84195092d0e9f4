"""Changes outside the numbered units: chapters, sections and parts added, removed or renamed, and
the text around the units (the title block with its adoption notes, a preamble, closing lines).

Sections are paired by `align`; these are not sections a provision lives in, but a revision that
renames a chapter (社会信用体系建设 → 诚信体系建设), inserts 第一节 or records a new adoption is a
change a scholar must see, not `unchanged 51`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from scdocs.changes.text import DELETE, EQUAL, TextDiff, diff_text
from scdocs.document.model import Document, Section
from scdocs.themes.tagger import taggable_sections

_SPACE = re.compile(r"\s+")
#: The parts of a document around its numbered units, in the order they are reported.
AROUND = ("preface", "preamble", "conclusions")
NEAR = 20  # new containers an old one is compared with, in order (a renaming keeps its place)
RENAMED_ALIKE = 0.5  # how alike two headings are (difflib ratio) for a container to count as renamed
RUN_SHOWN = 60  # characters of an inserted or deleted run that a one-line brief shows


@dataclass
class OutlineChange:
    """One change outside the units. `kind` is a container's kind (chapter, section, part, book) or one
    of AROUND; `status` is added, removed or renamed (a container) or modified, added or removed (text)."""

    kind: str
    status: str
    old: Section | None = None  # the container on each side (None for text around the units)
    new: Section | None = None
    text_diff: TextDiff | None = None  # the text around the units, old → new

    @property
    def label(self) -> str:
        """The container as each side names it: 第二章 社会信用体系建设 → 第二章 诚信体系建设 when renamed,
        the one side's name when added or removed."""
        if self.kind in AROUND:
            return self.kind
        if self.old is not None and self.new is not None:
            return f"{_name(self.old)} → {_name(self.new)}"
        shown = self.old or self.new
        return _name(shown) if shown is not None else self.kind

    def brief(self, context: int = 12, escape: Callable[[str], str] = str,
              mark: Callable[[str, str], str] | None = None) -> str:
        """The change in one line: `chapter renamed: 第二章 社会信用体系建设 → 第二章 诚信体系建设`, or the
        changed runs of the text around the units with a little context (…第[-九-]{+十+}次会议…). A report
        passes its own `escape` for text and `mark` for a changed run (op, escaped text): <del>/<ins>."""
        mark = mark or (lambda op, t: f"[-{t}-]" if op == DELETE else f"{{+{t}+}}")
        if self.text_diff is None:
            return escape(f"{self.kind} {self.status}: {self.label}")
        parts: list[str] = []
        ops = self.text_diff.ops
        for k, o in enumerate(ops):
            text = o.text.replace("\n", " ⏎ ")
            if o.op == EQUAL:
                head = text[:context] + ("…" if len(text) > context else "") if k > 0 else ""
                tail = ("…" if len(text) > context else "") + text[-context:] if k < len(ops) - 1 else ""
                parts.append(escape(text if len(text) <= 2 * context and 0 < k < len(ops) - 1 else
                                    head + (" " if head and tail else "") + tail))
            else:
                if len(text) > RUN_SHOWN:  # a whole adoption note or notice: its start and its length
                    text = f"{text[:RUN_SHOWN]}… ({len(o.text):,} characters)"
                parts.append(mark(o.op, escape(text)))
        return escape(f"{self.kind} {self.status}: ") + "".join(parts).strip()

    def to_dict(self) -> dict[str, object]:
        def ref(s: Section | None) -> dict[str, object] | None:
            return None if s is None else {"eId": s.eid, "num": s.num, "heading": s.heading}

        out: dict[str, object] = {"kind": self.kind, "status": self.status, "old": ref(self.old),
                                  "new": ref(self.new)}
        if self.text_diff is not None:
            out["diff"] = [[o.op, o.text] for o in self.text_diff.ops]
        return out


def _name(s: Section) -> str:
    return " ".join(x for x in (s.num, s.heading) if x) or s.eid


def _key(s: Section) -> tuple[str, str]:
    """What makes two containers the same: their kind and heading (a renumbered 第三章 is still it)."""
    return s.kind, _SPACE.sub("", s.heading or "")


def _containers(doc: Document, units: Sequence[Section]) -> list[Section]:
    """The containers that are not themselves diffed as sections (a part of an opinions text written
    as prose is a unit of its own: its changes are a pair's, not the outline's). `units` are the
    document's taggable sections, which the diff has already."""
    eids = {s.eid for s in units}
    return [s for s in doc.containers() if s.eid not in eids]


def _alike(a: Section, b: Section) -> bool:
    """Two headings that share at least half their characters (difflib ratio, its quick bounds first:
    thousands of unlike headings are told apart without the full comparison)."""
    x, y = _key(a)[1], _key(b)[1]
    if not (x and y):
        return False
    m = SequenceMatcher(None, x, y, autojunk=False)
    return m.real_quick_ratio() >= RENAMED_ALIKE and m.quick_ratio() >= RENAMED_ALIKE and m.ratio() >= RENAMED_ALIKE


def outline_changes(old: Document, new: Document, old_units: Sequence[Section] | None = None,
                    new_units: Sequence[Section] | None = None) -> list[OutlineChange]:
    """Containers added, removed or renamed (in document order), then the text around the units that
    differs beyond whitespace. The units diffed as sections are the documents' taggable sections
    (computed here unless the caller has them)."""
    out: list[OutlineChange] = []
    a = _containers(old, taggable_sections(old) if old_units is None else old_units)
    b = _containers(new, taggable_sections(new) if new_units is None else new_units)
    matcher = SequenceMatcher(None, [_key(s) for s in a], [_key(s) for s in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        # a container of the same kind whose heading is much like an old one's, in order: renamed
        # (信用信息归集 → 信用信息采集, even where a chapter inserted before it shifted its number)
        for o in list(olds):
            n = next((n for n in news[:NEAR] if n.kind == o.kind and _alike(o, n)), None)
            if n is None and news and news[0].kind == o.kind and news[0].number == o.number:
                n = news[0]  # in the same place with the same number: renamed outright (总则 → 一般规定)
            if n is not None:
                cut = news.index(n)
                out += [OutlineChange(s.kind, "added", new=s) for s in news[:cut]]
                out.append(OutlineChange(o.kind, "renamed", o, n))
                olds.remove(o)
                news = news[cut + 1:]
            else:
                out.append(OutlineChange(o.kind, "removed", old=o))
                olds.remove(o)
        out += [OutlineChange(s.kind, "added", new=s) for s in news]
    for part in AROUND:
        before, after = getattr(old, part), getattr(new, part)
        t0, t1 = (before.text if before else ""), (after.text if after else "")
        if _SPACE.sub("", t0) == _SPACE.sub("", t1):
            continue
        status = "added" if not t0 else "removed" if not t1 else "modified"
        out.append(OutlineChange(part, status, text_diff=diff_text(t0, t1)))
    return out
