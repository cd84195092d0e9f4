"""Amending instruments: the numbered instructions of a decision that amends an earlier text.

A decision such as 关于修改《X》的决定 says what to do to X, one numbered instruction at a time:
一、将第一条修改为：“…” / 二、增加一条，作为第二条：“…” / 删除第五条 / 将第七条中的“A”修改为“B” /
将第二条改为第五条，修改为：“…”. `amendments(doc)` reads them from the canonical text as
`Amendment`s with exact offsets, so that a diff can be checked against what the decision says it
changed, and the earlier version can be amended mechanically (`scdocs.changes.amend`).

Instructions are parsed on a skeleton of their wording in which every quoted passage (the new
text, the words substituted) is one placeholder character: the grammar of the instruction is
then short, and nothing inside a quoted article can be mistaken for an instruction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scdocs.document.lazy_pattern import lazy
from scdocs.document.model import Document
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS, chinese_to_int, int_to_chinese
from scdocs.errors import ScdocsError

OPERATIONS = ("replace", "insert", "delete", "substitute", "renumber", "other")

_N = rf"[{CHINESE_NUMERAL_CHARS}0-9]+"  # a numeral as printed (the one numeral alphabet of numerals.py)
_Q = "“[\ue000-\uf8ff]”"  # a quoted passage, in the skeleton
_QS = rf"{_Q}(?:\s*{_Q})*"  # several quoted paragraphs in a row
# What an instruction names: articles, a paragraph, a point; lists (第五条、第六条); the whole text.
_TGT = rf"(?:第{_N}条(?!之)|第{_N}款|第[（(]?{_N}[）)]?项|[、和及与]|本?(?:法|规定|条例|办法|细则|决定|规则))+"
_TO = r"(?:统一|一律|均|分别)?(?:修改|改|修订|替换|调整)(?:为|成)"

# Compiled on first use: every diff imports this module, few read an amending decision.
INTRO = lazy(r"(?:作|作出|进行)如下(?:修改|修正|修订|补充)|修改(?:和补充)?如下")
FIRST_INSTRUCTION = lazy(rf"^一、(?:将|把|在|删除|删去|增加|第{_N}条)")
NUMBERED = lazy(rf"^({_N})、")
END_LINE = lazy(r"^(?:附\s*件?\s*\S{0,6}[：:]?$|本决定自|根据本决定|《[^》]*》(?:根据|依照)本决定)")
SEP = lazy(r"[\s，,；;。、]*(?:并且|并|同时|此外|另外)?[，,]?\s*")
OTHER = lazy(r"[^；;。\n]+[；;。]?")

RENUMBER = lazy(rf"(?:将|把)?第(?P<a>{_N})条(?:改为|调整为|移作|作为)第(?P<b>{_N})条(?![之款项])")
SUBSTITUTE = lazy(rf"(?:将|把)?(?P<tgt>{_TGT})?(?:中的|中|的)?(?P<pairs>{_Q}{_TO}{_Q}"
                  rf"(?:[，、；和](?:将|把)?{_Q}{_TO}{_Q})*)")
WORDS_DELETED = lazy(rf"(?:将|把)?(?P<tgt>{_TGT})?(?:中的|中|的)?(?P<qs>{_Q}(?:[、和]{_Q})*)(?:删除|删去|去掉)"
                     rf"|(?:删除|删去)(?P<tgt2>{_TGT})?(?:中的|中|的)(?P<qs2>{_Q}(?:[、和]{_Q})*)")
WORDS_ADDED = lazy(rf"在?(?P<tgt>{_TGT})?(?:中的|中|的)?(?P<anchor>{_Q})(?P<where>之?后|之?前)"
                   rf"(?:增加|增写|加上|添加|插入)(?P<add>{_Q})")
REPLACE = lazy(rf"(?:将|把)?(?P<tgt>{_TGT})?{_TO}[：:]?(?P<q>{_QS})")
INSERT = lazy(rf"在?(?P<tgt>{_TGT})?(?P<where>之?后|之?前|中)?[，,]?(?:增加|增写|新增|增设|补充|加入)"
              rf"(?:{_N})?(?P<unit>条|款|项)[，,]?(?:分别)?(?:(?:作为|列为)(?P<as>{_TGT}))?[：:]?(?P<q>{_QS})")
DELETE = lazy(rf"(?:删除|删去|废止)(?P<tgt>{_TGT})|(?:将|把)?(?P<tgt2>{_TGT})(?:删除|删去|废止)")
REORDER = lazy(r"[^“”。；\n]*?(?:顺序|序号)[^“”。；\n]*?相应(?:的)?调整")
REF = lazy(rf"第[（(]?({_N})[）)]?(条|款|项)|本(?:法|规定|条例|办法|细则|决定|规则)")


class AmendmentError(ScdocsError):
    """Instructions that cannot be carried out on the earlier version (one-line message)."""


@dataclass(frozen=True)
class Amendment:
    """One operation of an amending instruction, addressed in the earlier version's numbering.

    `articles` are the earlier version's articles it acts on (empty for a new article, and for a
    substitution throughout the text); `paragraph`/`point` narrow that (for an insertion: the
    number the new paragraph or point gets, None to add it at the end); `unit` is the kind of
    unit acted on or added (article, paragraph or point). `new_number` is the article's number once amended,
    where the instruction says it (作为第二条, 改为第五条); `after` is the earlier article a new
    one follows (在第三条后增加一条). `start`/`end` delimit the instruction's words in the
    decision's canonical text. One numbered instruction may hold several operations (八、将第六条
    改为第八条，将第三款改为…将第四款改为…): they share its `number`.
    """

    number: int | None  # 八、 → 8; None for an unnumbered direction (条文顺序作相应调整)
    operation: str  # one of OPERATIONS
    articles: tuple[int, ...]
    start: int
    end: int
    paragraph: int | None = None
    point: int | None = None
    new_number: int | None = None
    after: int | None = None
    text: str | None = None  # the new text of a replace or insert, paragraphs on lines of their own
    old_words: str | None = None  # a substitution's words before …
    new_words: str | None = None  # … and after
    unit: str = "article"

    @property
    def label(self) -> str:
        """The instruction's number as printed (八、), or 'unnumbered'."""
        return f"{int_to_chinese(self.number)}、" if self.number is not None else "unnumbered"

    def where(self) -> str:
        """The address in words: article 6 paragraph 3 point 1."""
        parts = [f"article {'/'.join(map(str, self.articles))}"] if self.articles else []
        parts += [f"paragraph {self.paragraph}"] if self.paragraph else []
        parts += [f"point {self.point}"] if self.point else []
        return " ".join(parts)

    def describe(self) -> str:
        """A one-line English summary of the operation, for reports."""
        moved = f" (becomes article {self.new_number})" if self.new_number and self.articles else ""
        if self.operation == "insert":
            if not self.articles:
                position = (f" as article {self.new_number}" if self.new_number
                            else f" after article {self.after}" if self.after is not None else "")
                return f"insert an article{position}"
            return f"insert a {self.unit} into {self.where()}{moved}"
        if self.operation == "substitute":
            scope = self.where() or "the whole text"
            return f"substitute “{self.old_words}” → “{self.new_words}” in {scope}{moved}"
        if self.operation == "renumber":
            if not self.articles:
                return "renumber the articles in order"
            return f"renumber article {self.articles[0]} as article {self.new_number}"
        if self.operation == "other":
            return "not understood (left unchecked)"
        return f"{self.operation} {self.where()}{moved}"

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "operation": self.operation, "articles": list(self.articles),
                "paragraph": self.paragraph, "point": self.point, "new_number": self.new_number,
                "after": self.after, "text": self.text, "old_words": self.old_words,
                "new_words": self.new_words, "unit": self.unit, "start": self.start, "end": self.end}


@dataclass
class _Skeleton:
    """An instruction's wording with each quoted passage reduced to one placeholder character."""

    text: str
    offsets: list[int]  # skeleton index → offset in the document text (one more than len(text))
    quotes: list[str]  # the quoted passages, by placeholder

    def quoted(self, placeholders: str) -> list[str]:
        return [self.quotes[ord(c) - 0xE000] for c in placeholders if "\ue000" <= c <= "\uf8ff"]


def _skeleton(text: str, start: int, end: int) -> _Skeleton:
    chars: list[str] = []
    offsets: list[int] = []
    quotes: list[str] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "“":
            depth, j = 1, i + 1
            while j < end and depth:
                depth += {"“": 1, "”": -1}.get(text[j], 0)
                j += 1
            if depth == 0:  # “…”: keep the marks, the passage becomes one character
                chars += ["“", chr(0xE000 + len(quotes)), "”"]
                offsets += [i, i + 1, j - 1]
                quotes.append(text[i + 1: j - 1])
                i = j
                continue
        chars.append(ch)
        offsets.append(i)
        i += 1
    offsets.append(end)
    return _Skeleton("".join(chars), offsets, quotes)


def _instruction_spans(text: str, limit: int) -> list[tuple[int | None, int, int]]:
    """(number, start, end) of each instruction, plus unnumbered directions to renumber. The
    instructions must be introduced (…作如下修改：) before `limit`, where the body begins: the same
    words inside an article of an ordinary law introduce nothing."""
    intro = INTRO.search(text, 0, limit)
    if intro:
        nl = text.find("\n", intro.end())
        pos = len(text) if nl == -1 else nl + 1
    else:
        first = next((m for m in re.finditer(r"^.+$", text, re.M)
                      if m.start() <= limit and FIRST_INSTRUCTION.match(m.group())), None)
        if first is None:
            return []
        pos = first.start()
    spans: list[tuple[int | None, int, int]] = []
    depth = 0  # inside a quoted passage, a line is never an instruction of its own
    ending = False
    for m in re.finditer(r"^.*$", text[pos:], re.M):
        line = m.group().strip()
        start, end = pos + m.start(), pos + m.end()
        if not line:
            continue
        numbered = NUMBERED.match(line)
        if line.startswith("附") and END_LINE.match(line):  # the consolidated text follows
            break
        if depth:
            spans[-1] = (spans[-1][0], spans[-1][1], end)
        elif ending or END_LINE.match(line):
            ending = True
            reorder = REORDER.search(line)
            if reorder:
                spans.append((None, start + reorder.start(), start + reorder.end()))
        elif numbered:
            spans.append((chinese_to_int(numbered.group(1)), start, end))
        elif line.startswith(("此外", "另外")):
            spans.append((None, start, end))
        elif spans:  # a further paragraph of the instruction (八、… / 将第四款改为：…)
            spans[-1] = (spans[-1][0], spans[-1][1], end)
        else:  # a decision of one unnumbered instruction
            spans.append((1, start, end))
        depth = max(0, depth + line.count("“") - line.count("”"))
    return spans


def amendments(doc: Document) -> list[Amendment]:
    """The amending instructions in a decision, in order (empty for any other document)."""
    out: list[Amendment] = []
    # Instructions come before the body; a decision with no numbered unit at all is read
    # paragraph by paragraph (fallback sections), and those paragraphs are its instructions.
    limit = doc.body[0].start if doc.body and not doc.body[0].fallback else len(doc.text)
    for number, start, end in _instruction_spans(doc.text, limit):
        out += _Instruction(doc.text, number, start, end).parse()
    return out


def _targets(words: str | None) -> tuple[tuple[int, ...], int | None, int | None, bool]:
    """(articles, paragraph, point, whole text?) that the words of a target name."""
    articles: list[int] = []
    paragraph = point = None
    whole = False
    for m in REF.finditer(words or ""):
        if m.group(1) is None:
            whole = True
        elif m.group(2) == "条":
            articles.append(chinese_to_int(m.group(1)))
        elif m.group(2) == "款":
            paragraph = chinese_to_int(m.group(1))
        else:
            point = chinese_to_int(m.group(1))
    return tuple(articles), paragraph, point, whole


class _Instruction:
    """One instruction, read clause by clause on its skeleton.

    Clauses share a context: after 将第六条改为第八条, 将第三款改为… means article 6's third
    paragraph, and the article becomes article 8. A renumbering that no later clause takes up is
    an operation of its own.
    """

    def __init__(self, text: str, number: int | None, start: int, end: int) -> None:
        self.sk = _skeleton(text, start, end)
        self.number, self.start = number, start
        self.out: list[Amendment] = []
        self.context: int | None = None
        self.renumbered: int | None = None
        self.pending: Amendment | None = None
        self.carried: int | None = None  # where the renumbering a clause takes up began

    def parse(self) -> list[Amendment]:
        s = self.sk.text
        numbered = NUMBERED.match(s)
        p = numbered.end() if numbered else 0
        first = True
        while True:
            sep = SEP.match(s, p)
            p = sep.end() if sep else p
            if p >= len(s):
                break
            p = self._clause(s, p, self.start if first else self.sk.offsets[p])
            first = False
        if self.pending is not None:
            self.out.append(self.pending)
        return sorted(self.out, key=lambda a: a.start)

    def _make(self, op: str, start: int, m: re.Match[str], articles: tuple[int, ...] = (), *,
              paragraph: int | None = None, point: int | None = None, new_number: int | None = None,
              after: int | None = None, text: str | None = None, old_words: str | None = None,
              new_words: str | None = None, unit: str | None = None) -> Amendment:
        if self.carried is not None:  # 将第二条改为第五条，修改为…: one operation from the first word
            start, self.carried = min(start, self.carried), None
        unit = unit or ("point" if point is not None else "paragraph" if paragraph is not None else "article")
        return Amendment(self.number, op, articles, start, self.sk.offsets[m.end()], paragraph, point, new_number,
                         after, text, old_words, new_words, unit)

    def _clause(self, s: str, p: int, start: int) -> int:
        """Read the clause at `p` (which begins at `start` in the text) and return where it ends."""
        sk, make, out = self.sk, self._make, self.out
        if m := RENUMBER.match(s, p):
            a, b = chinese_to_int(m.group("a")), chinese_to_int(m.group("b"))
            self._on(f"第{a}条")
            self.context, self.renumbered = a, b
            self.pending = make("renumber", start, m, (a,), new_number=b)
        elif m := SUBSTITUTE.match(s, p):
            articles, para, point, new = self._on(m.group("tgt"))
            for pm in re.finditer(rf"“(.)”{_TO}“(.)”", m.group("pairs")):
                old_w, new_w = sk.quoted(pm.group(1) + pm.group(2))
                out.append(make("substitute", start, m, articles, paragraph=para, point=point, new_number=new,
                                old_words=old_w, new_words=new_w))
        elif m := WORDS_DELETED.match(s, p):
            articles, para, point, new = self._on(m.group("tgt") or m.group("tgt2"))
            for words in sk.quoted(m.group("qs") or m.group("qs2")):
                out.append(make("substitute", start, m, articles, paragraph=para, point=point, new_number=new,
                                old_words=words, new_words=""))
        elif m := WORDS_ADDED.match(s, p):
            articles, para, point, new = self._on(m.group("tgt"))
            anchor, added = sk.quoted(m.group("anchor") + m.group("add"))
            words = anchor + added if "后" in m.group("where") else added + anchor
            out.append(make("substitute", start, m, articles, paragraph=para, point=point, new_number=new,
                            old_words=anchor, new_words=words))
        elif m := REPLACE.match(s, p):
            articles, para, point, new = self._on(m.group("tgt"))
            out.append(make("replace" if len(articles) == 1 else "other", start, m, articles, paragraph=para,
                            point=point, new_number=new, text="\n".join(sk.quoted(m.group("q")))))
        elif m := INSERT.match(s, p):
            out.append(self._insert(start, m))
        elif m := DELETE.match(s, p):
            articles, para, point, new = self._on(m.group("tgt") or m.group("tgt2"))
            out.append(make("delete" if articles else "other", start, m, articles, paragraph=para, point=point,
                            new_number=new))
        elif m := REORDER.match(s, p):
            out.append(make("renumber", start, m))
        else:
            m = OTHER.match(s, p)
            assert m is not None  # s[p] is not a separator, so at least one character matches
            out.append(make("other", start, m))
        return m.end()

    def _on(self, tgt: str | None) -> tuple[tuple[int, ...], int | None, int | None, int | None]:
        """Articles, paragraph, point and new number of a clause; 第三款 alone means the context's."""
        articles, paragraph, point, whole = _targets(tgt)
        if not articles and not whole and self.context is not None:
            articles = (self.context,)
        if articles and articles != (self.context,):  # another article: a pending renumbering stands alone
            if self.pending is not None:
                self.out.append(self.pending)
            self.pending, self.renumbered = None, None
            self.context = articles[0] if len(articles) == 1 else None
        elif articles and self.pending is not None:  # this clause carries the new number
            self.carried, self.pending = self.pending.start, None
        return articles, paragraph, point, (self.renumbered if articles else None)

    def _insert(self, start: int, m: re.Match[str]) -> Amendment:
        """增加一条/一款/一项: a new article (as 第X条, or after one), or a paragraph or point in one."""
        text = "\n".join(self.sk.quoted(m.group("q")))
        anchors, anchor_para, anchor_point, _ = _targets(m.group("tgt"))
        as_articles, as_para, as_point, _ = _targets(m.group("as"))
        step = 0 if "前" in (m.group("where") or "") else 1  # 在…前 puts it in the place of the anchor
        if m.group("unit") == "条":
            return self._make("insert", start, m, new_number=as_articles[0] if as_articles else None,
                              after=anchors[-1] - 1 + step if anchors else None, text=text)
        articles, _, _, new = self._on(m.group("tgt"))
        if len(articles) != 1:
            return self._make("other", start, m, text=text)
        if m.group("unit") == "款":
            paragraph = as_para or (anchor_para + step if anchor_para else None)
            return self._make("insert", start, m, articles, paragraph=paragraph, new_number=new, text=text,
                              unit="paragraph")
        point = as_point or (anchor_point + step if anchor_point else None)
        return self._make("insert", start, m, articles, paragraph=anchor_para or as_para, point=point,
                          new_number=new, text=text, unit="point")


def has_consolidated_text(doc: Document, found: Sequence[Amendment]) -> bool:
    """Whether the decision also carries the amended text (its articles follow the instructions)."""
    units = [u for u in doc.units() if u.kind == "article"]
    return bool(units) and bool(found) and units[0].start >= max(a.end for a in found)


@dataclass(frozen=True)
class Slot:
    """One article of the amended text: its number, and the earlier article or instruction behind it."""

    number: int
    old: int | None  # the earlier version's article it continues
    insert: Amendment | None = None  # the instruction that adds it


def outline(old_numbers: Sequence[int], found: Sequence[Amendment]) -> list[Slot]:
    """The articles of the amended text in order: which earlier article (or new one) each number holds.

    Numbers the instructions give (作为第二条, 将第二条改为第五条) are kept; the other articles keep
    their order and take the next free number after the article before them, which is what
    条文顺序作相应调整 means and what a consolidated text does where the decision is silent.
    Raises AmendmentError for an instruction naming an article the earlier version lacks, or two
    articles given one number.
    """
    known = set(old_numbers)
    fixed: dict[int, int] = {}  # earlier article → the number an instruction gives it
    for a in found:
        for n in a.articles:
            if n not in known:
                raise AmendmentError(f"instruction {a.label} names article {n}, which the earlier version "
                                     f"does not have (it has {len(known)} articles)")
        if a.operation == "insert" and not a.articles and a.after and a.after not in known:
            raise AmendmentError(f"instruction {a.label} inserts after article {a.after}, which the earlier "
                                 f"version does not have")
        renumbers = a.new_number is not None and a.articles and a.operation != "insert"
        if renumbers and fixed.setdefault(a.articles[0], a.new_number or 0) != a.new_number:
            raise AmendmentError(f"instruction {a.label} gives article {a.articles[0]} a second new number "
                                 f"({fixed[a.articles[0]]} and {a.new_number})")
    deleted = {n for a in found if a.operation == "delete" and a.paragraph is None and a.point is None
               for n in a.articles}
    new_articles = [a for a in found if a.operation == "insert" and not a.articles]
    sequence = [Slot(0, None, a) for a in new_articles if a.after == 0 and a.new_number is None]  # 在第一条前
    for n in old_numbers:
        if n not in deleted:
            sequence.append(Slot(fixed.get(n, 0), n))
        sequence += [Slot(0, None, a) for a in new_articles if a.after == n and a.new_number is None]
    sequence += [Slot(0, None, a) for a in new_articles if a.after is None and a.new_number is None]
    taken: dict[int, str] = {}
    for slot in sequence:
        if slot.number:
            _take(taken, slot.number, f"article {slot.old}")
    placed = [Slot(a.new_number, None, a) for a in new_articles if a.new_number is not None]
    for slot in placed:
        _take(taken, slot.number, f"instruction {slot.insert.label if slot.insert else ''}")
    previous = 0
    for i, slot in enumerate(sequence):
        if not slot.number:
            n = previous + 1
            while n in taken:
                n += 1
            taken[n] = "order"
            sequence[i] = replace(slot, number=n)
        previous = sequence[i].number
    return sorted(sequence + placed, key=lambda s: s.number)


def _take(taken: dict[int, str], number: int, who: str) -> None:
    if number in taken:
        raise AmendmentError(f"two articles would be article {number} ({taken[number]} and {who})")
    taken[number] = who
