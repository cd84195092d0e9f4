"""Carry out an amending decision on the earlier version, and compare with the published result.

A decision is often published with the consolidated text "as amended". Applying the
instructions mechanically to the earlier version and comparing the outcome with that text,
article by article, shows whether the consolidated text says what the decision says: silent
edits, and instructions the consolidator missed, come out as differences with their words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from scdocs.changes.text import EQUAL, diff_text
from scdocs.document.amendments import Amendment, AmendmentError, amendments, has_consolidated_text, outline
from scdocs.document.model import Document, Section
from scdocs.document.numerals import int_to_chinese
from scdocs.document.structure import ZH_ARTICLE, ZH_PAREN, ZH_PART, parse

AMEND_FORMAT = "scdocs-amend"
AMEND_FORMAT_VERSION = 1
SPACES = re.compile(r"[ \t\u3000\u00a0]+")
CONTEXT = 8  # characters of context shown on each side of a difference


@dataclass
class _Article:
    """An article being amended: its paragraphs, each a text line followed by its point lines."""

    paragraphs: list[list[str]]

    @classmethod
    def from_lines(cls, lines: list[str]) -> _Article:
        paragraphs: list[list[str]] = []
        for i, line in enumerate(ln.strip() for ln in lines):
            if not line:
                continue
            if paragraphs and i and (ZH_PAREN.match(line) or ZH_PART.match(line)):
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
        return cls(paragraphs)

    @classmethod
    def from_section(cls, section: Section) -> _Article:
        text = section.text[len(section.num or ""):] if section.text.startswith(section.num or "") else section.text
        return cls.from_lines(text.split("\n"))

    @classmethod
    def from_quote(cls, text: str) -> _Article:
        """New text from an instruction; a 第X条 it may begin with is dropped (the number comes from its place)."""
        m = ZH_ARTICLE.match(text.strip())
        return cls.from_lines((text.strip()[m.end():] if m else text).split("\n"))

    def lines(self) -> list[str]:
        return [line for p in self.paragraphs for line in p]


def apply(old: Document, found: Sequence[Amendment]) -> Document:
    """The earlier version with the instructions carried out, parsed as a document.

    Articles are renumbered as `outline` says; an article keeps the chapter heading it had. Words
    a substitution should replace but the article does not contain are noted in the result's
    `warnings` (instruction by instruction); instructions that name a missing article, paragraph
    or point raise AmendmentError.
    """
    articles = [u for u in old.units() if u.kind == "article" and u.number is not None]
    if not articles:
        raise AmendmentError("the earlier version has no numbered articles to amend")
    slots = outline([u.number for u in articles if u.number is not None], found)
    texts = {u.number: _Article.from_section(u) for u in articles}
    notes: list[str] = []
    for a in found:
        if a.articles and a.operation in ("replace", "insert", "delete", "substitute"):
            for n in a.articles:
                _carry_out(texts[n], a, n, notes)
    new_articles = {s.insert: _Article.from_quote(s.insert.text or "") for s in slots if s.insert is not None}
    everywhere = [a for a in found if a.operation == "substitute" and not a.articles]
    for a in everywhere:
        done = [_substitute(t.paragraphs, a) for t in [*texts.values(), *new_articles.values()]]
        if not any(done):
            notes.append(f"instruction {a.label}: the text does not contain “{a.old_words}”")
    headings = _headings(old, [s.old for s in slots if s.old is not None])
    first = articles[0]
    separator = first.text[len(first.num or ""):][:1] if (first.num and first.text.startswith(first.num)) else ""
    separator = separator if separator.isspace() else "\u3000"
    lines: list[str] = []
    for slot in slots:
        body = texts[slot.old] if slot.old is not None else new_articles[slot.insert] if slot.insert else None
        assert body is not None
        article_lines = body.lines() or [""]
        lines += headings.get(slot.old, []) if slot.old is not None else []
        lines.append(f"第{int_to_chinese(slot.number)}条{separator}{article_lines[0]}")
        lines += article_lines[1:]
    start, end = old.body[0].start, old.body[-1].end
    text = old.text[:start] + "\n".join(lines) + old.text[end:]
    meta = replace(old.meta, extra=dict(old.meta.extra))
    doc = parse(text, meta, old.preface.end + 1 if old.preface else 0)
    doc.warnings.extend(notes)
    return doc


def _headings(old: Document, kept: list[int]) -> dict[int, list[str]]:
    """Container heading lines (第二章 …) by the first kept article they now stand before."""
    out: dict[int, list[str]] = {}
    waiting: list[str] = []
    firsts: dict[int, list[str]] = {}
    for c in old.containers():
        unit = next((u for u in c.walk() if u.kind == "article" and u.number is not None), None)
        if unit is not None and unit.number is not None:
            firsts.setdefault(unit.number, []).append(c.text.split("\n", 1)[0])
    kept_set = set(kept)
    for u in old.units():
        if u.number is None:
            continue
        waiting += firsts.get(u.number, [])
        if u.number in kept_set and waiting:  # a deleted first article hands its heading on
            out[u.number], waiting = waiting, []
    return out


def _carry_out(article: _Article, a: Amendment, number: int, notes: list[str]) -> None:
    """One operation on one article, in place."""
    if a.operation == "substitute":
        scope = [article.paragraphs[_paragraph_index(article, a, number)]] if a.paragraph else article.paragraphs
        if not _substitute(scope, a, a.point):
            notes.append(f"instruction {a.label}: article {number} does not contain “{a.old_words}”")
        return
    new = _Article.from_quote(a.text or "")
    if a.unit == "point":
        _carry_out_on_point(article, a, number, new)
    elif a.unit == "paragraph" and a.operation == "insert":
        at = len(article.paragraphs) + 1 if a.paragraph is None else a.paragraph
        if not 1 <= at <= len(article.paragraphs) + 1:
            raise AmendmentError(f"instruction {a.label} inserts paragraph {at} into article {number}, "
                                 f"which has {len(article.paragraphs)}")
        article.paragraphs[at - 1: at - 1] = new.paragraphs
    elif a.unit == "paragraph":
        i = _paragraph_index(article, a, number)
        article.paragraphs[i: i + 1] = new.paragraphs if a.operation == "replace" else []
    elif a.operation == "replace":
        article.paragraphs = new.paragraphs


def _paragraph_index(article: _Article, a: Amendment, number: int) -> int:
    if a.paragraph is None or not 1 <= a.paragraph <= len(article.paragraphs):
        raise AmendmentError(f"instruction {a.label} names paragraph {a.paragraph} of article {number}, "
                             f"which has {len(article.paragraphs)}")
    return a.paragraph - 1


def _carry_out_on_point(article: _Article, a: Amendment, number: int, new: _Article) -> None:
    """Replace, insert or delete a point (项); the points after an inserted or deleted one are renumbered."""
    if a.paragraph is not None:
        index = _paragraph_index(article, a, number)
    else:  # 第（一）项 alone: the paragraph that has points
        index = next((i for i, p in enumerate(article.paragraphs) if len(p) > 1), len(article.paragraphs) - 1)
    para = article.paragraphs[index]
    points = para[1:]
    k = len(points) if a.point is None else a.point - 1  # 增加一项 without a place: at the end
    if not 0 <= k <= (len(points) if a.operation == "insert" else len(points) - 1):
        raise AmendmentError(f"instruction {a.label} names point {a.point} of article {number}, "
                             f"which has {len(points)}")
    words = new.lines()
    if a.operation == "delete":
        del points[k]
    else:
        line = "".join(words)
        if not (ZH_PAREN.match(line) or ZH_PART.match(line)):
            num = ZH_PAREN.match(points[k]) if a.operation == "replace" else None
            line = (num.group(1) if num else f"（{int_to_chinese(k + 1)}）") + line
        if a.operation == "replace":
            points[k] = line
        else:
            points.insert(k, line)
    if a.operation != "replace":
        points = [ZH_PAREN.sub(f"（{int_to_chinese(i)}）", p, count=1) if ZH_PAREN.match(p) else p
                  for i, p in enumerate(points, start=1)]
    para[1:] = points


def _substitute(paragraphs: list[list[str]], a: Amendment, point: int | None = None) -> bool:
    """Replace the old words by the new ones in place (in one point only if given); whether any were found."""
    old, new = a.old_words or "", a.new_words or ""
    found = False
    for para in paragraphs:
        for i, line in enumerate(para):
            if point is not None and (i == 0 or i != point):
                continue
            if old and old in line:
                para[i] = line.replace(old, new)
                found = True
    return found


@dataclass(frozen=True)
class Difference:
    """Where the amended earlier version and the published consolidated text disagree in one article."""

    article: int
    kind: str  # "words"; "missing": only the published text has the article; "extra": only the amended one
    paragraph: int | None  # where the published text has the words: paragraph (款) and point (项)
    point: int | None
    amended: str  # the words in the earlier version as amended
    published: str  # the words in the published consolidated text
    before: str = ""  # context, for finding the place
    after: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"article": self.article, "kind": self.kind, "paragraph": self.paragraph, "point": self.point,
                "amended": self.amended,
                "published": self.published, "before": self.before, "after": self.after}


@dataclass
class AmendResult:
    """The earlier version with the decision's instructions carried out, beside the published text."""

    old: Document
    decision: Document
    amendments: list[Amendment]
    amended: Document
    compared: bool = False  # whether DECISION carries a consolidated text to compare with
    differences: list[Difference] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """Whether the amended text is the published one (False where there is nothing to compare)."""
        return self.compared and not self.differences

    @property
    def notes(self) -> list[str]:
        """What could not be carried out literally, and numbering problems of the result."""
        return self.amended.warnings

    def to_dict(self) -> dict[str, object]:
        def doc(d: Document) -> dict[str, object]:
            return {"title": d.meta.title, "date": d.meta.date, "source": d.meta.source,
                    "id": d.meta.extra.get("id", "")}

        return {"format": AMEND_FORMAT, "format_version": AMEND_FORMAT_VERSION, "old": doc(self.old),
                "decision": doc(self.decision),
                "instructions": len({a.number for a in self.amendments if a.number is not None}),
                "amendments": [{**a.to_dict(), "description": a.describe()} for a in self.amendments],
                "articles": len([u for u in self.amended.units() if u.kind == "article"]),
                "compared": self.compared, "identical": self.identical,
                "differences": [d.to_dict() for d in self.differences],
                "notes": list(self.notes)}


def _normalized(section: Section) -> str:
    """An article's words for comparison: without its printed number and without spacing."""
    text = section.text[len(section.num or ""):] if section.text.startswith(section.num or "") else section.text
    return "\n".join(SPACES.sub("", line) for line in text.strip().split("\n"))


def reconcile(amended: Document, published: Document) -> list[Difference]:
    """The differences between two versions of the same text, article by article, in words."""
    mine = {u.number: u for u in amended.units() if u.kind == "article" and u.number is not None}
    theirs = {u.number: u for u in published.units() if u.kind == "article" and u.number is not None}
    out: list[Difference] = []
    for n in sorted(mine.keys() | theirs.keys()):
        if n not in theirs:
            out.append(Difference(n, "extra", None, None, _normalized(mine[n]), ""))
            continue
        if n not in mine:
            out.append(Difference(n, "missing", None, None, "", _normalized(theirs[n])))
            continue
        a, b = _normalized(mine[n]), _normalized(theirs[n])
        if a == b:
            continue
        ops = diff_text(a, b).ops
        places = [(p, k) for p, para in enumerate(_Article.from_section(theirs[n]).paragraphs, start=1)
                  for k in range(len(para))]  # line of the published article → (paragraph, point)
        i = 0
        while i < len(ops):
            if ops[i].op == EQUAL:
                i += 1
                continue
            j = i
            while j < len(ops) and ops[j].op != EQUAL:
                j += 1
            run = ops[i:j]
            deleted = "".join(o.text for o in run if o.op == "-")
            inserted = "".join(o.text for o in run if o.op == "+")
            at = run[0].old_start
            paragraph, point = places[min(b[:run[0].new_start].count("\n"), len(places) - 1)]
            out.append(Difference(n, "words", paragraph, point or None, deleted, inserted,
                                  a[max(0, at - CONTEXT): at], a[at + len(deleted): at + len(deleted) + CONTEXT]))
            i = j
    return out


def amend(old: Document, decision: Document) -> AmendResult:
    """Apply DECISION's instructions to OLD and compare with the consolidated text DECISION carries."""
    name = decision.meta.source or "the decision"
    found = amendments(decision)
    if not found:
        raise AmendmentError(f"{name}: no amending instructions found (expected …作如下修改： and numbered "
                             "instructions)")
    try:
        amended = apply(old, found)
    except AmendmentError as exc:
        raise AmendmentError(f"{name}: {exc}") from None
    for a in found:
        if a.operation == "other":  # said in the amended text's warnings, never left out silently
            words = decision.text[a.start:a.end].strip().replace("\n", " ")
            amended.warnings.append(f"instruction {a.number if a.number is not None else '(unnumbered)'} not "
                                    f"carried out (not understood): {words[:60]}{'…' if len(words) > 60 else ''}")
    if not has_consolidated_text(decision, found):
        return AmendResult(old, decision, found, amended)
    return AmendResult(old, decision, found, amended, True, reconcile(amended, decision))
