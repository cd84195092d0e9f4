"""Character diffs inside aligned sections, with diff-match-patch, bounded in time.

The C++ implementation (fast-diff-match-patch) gives the same output as the reference
Python port but 75× faster on 200k characters; neither is given a time limit (the Python
port's default 1 s limit silently returns a poor diff, and a limit also turns on a shortcut
that makes ordinary diffs differ). Chinese is diffed by characters, English by words (each
word mapped to one private-use character, as diff_linesToChars does for lines), and both get
diff-match-patch's semantic cleanup.

Exact diff-match-patch takes time roughly proportional to the square of the number of
characters that differ (two unrelated 10,000-character texts: 1 s; 300,000: far over a
minute), so it runs only when that number is known to be small. A coarse pass estimates it
first: both texts are cut into sentences (at most UNIT characters each); equal sentences are
matched by a patience diff (sentences found once on each side anchor the match, the same again
between anchors, and exact diff-match-patch on ranges of few sentences), and the changed spans
between equal sentences are diffed character by character when they are short (at most SPAN
characters), or kept as deleted + inserted when they are not. The edits of this coarse diff are
an upper bound on the true edit distance: when its square is within EXACT_WORK per character of
input, the exact diff runs (so ordinary revisions diff exactly as before, whatever their length);
otherwise the coarse diff is the result. It is deterministic (no wall-clock limit, the same
result on any machine), and the work is bounded by a constant times the length of the texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

WORD = re.compile(r"\w+|\s+|[^\w\s]")
EQUAL, INSERT, DELETE = "=", "+", "-"
#: The exact diff runs when (coarse edits)² ≤ EXACT_WORK × (length of the differing middles):
#: any pair whose differing middles total at most this many characters, and e.g. two 300,000-
#: character versions differing in up to ~34,000 characters (≈3 s at worst).
EXACT_WORK = 2_000
#: ... and the coarse edits are at most this many (≈2.5 s of exact diff at worst).
EXACT_EDITS = 40_000
#: Coarse pass: longest unit, longest changed span diffed by characters.
UNIT = 64
SPAN = 1_000
#: Unit ranges up to UNIT_EXACT units (both sides) get exact diff-match-patch; larger ones are
#: anchored on units found once on each side, at most UNIT_DEPTH levels deep.
UNIT_EXACT = 2_000
UNIT_DEPTH = 6
SENTENCE = re.compile(rf"[^。！？；!?;\n]{{1,{UNIT}}}[。！？；!?;\n]?|[。！？；!?;\n]")


@dataclass(frozen=True)
class Op:
    """One run of a diff: `op` is =, + or -; offsets are relative to the compared texts."""

    op: str
    text: str
    old_start: int  # where it starts in the old text (for = and -), or the insertion point
    new_start: int  # where it starts in the new text (for = and +), or the deletion point


@dataclass(frozen=True)
class TextDiff:
    ops: tuple[Op, ...]

    @property
    def inserted(self) -> int:
        return sum(len(o.text) for o in self.ops if o.op == INSERT)

    @property
    def deleted(self) -> int:
        return sum(len(o.text) for o in self.ops if o.op == DELETE)

    @property
    def equal(self) -> int:
        return sum(len(o.text) for o in self.ops if o.op == EQUAL)

    def similarity(self) -> float:
        total = 2 * self.equal + self.inserted + self.deleted
        return 2 * self.equal / total if total else 1.0

    def stats(self) -> dict[str, int]:
        return {"equal": self.equal, "inserted": self.inserted, "deleted": self.deleted}


def _exact(a: str, b: str) -> list[tuple[str, str]]:
    """(op, text) runs with semantic cleanup and no time limit: the optimal diff."""
    try:
        import fast_diff_match_patch as fdmp

        return [(op, text) for op, text in fdmp.diff(a, b, timelimit=0, cleanup="Semantic", counts_only=False)]
    except ImportError:  # the reference implementation, same algorithm
        from diff_match_patch import diff_match_patch

        dmp = diff_match_patch()
        dmp.Diff_Timeout = 0
        diffs = dmp.diff_main(a, b)
        dmp.diff_cleanupSemantic(diffs)
        return [({0: EQUAL, 1: INSERT, -1: DELETE}[op], text) for op, text in diffs]


def _affix(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix of what follows it."""
    n = min(len(a), len(b))
    p = 0
    step = 1024
    while p < n:  # compare in blocks: a slice comparison is C speed
        k = min(step, n - p)
        if a[p:p + k] == b[p:p + k]:
            p += k
            continue
        if k == 1:
            break
        step = max(1, k // 2)
    s = 0
    n -= p
    step = 1024
    while s < n:
        k = min(step, n - s)
        if a[len(a) - s - k:len(a) - s] == b[len(b) - s - k:len(b) - s]:
            s += k
            continue
        if k == 1:
            break
        step = max(1, k // 2)
    return p, s


def _units(text: str, unit: re.Pattern[str]) -> list[str]:
    return unit.findall(text)


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of pairs increasing in both positions (pairs sorted by the first), O(P log P)."""
    tails: list[int] = []  # tails[k]: index in pairs of the smallest second position ending a chain of k + 1
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        lo = _search(pairs, tails, j)
        if lo > 0:
            back[k] = tails[lo - 1]
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    chain: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _search(pairs: list[tuple[int, int]], tails: list[int], j: int) -> int:
    """The first chain length whose tail's second position is not below j."""
    lo, hi = 0, len(tails)
    while lo < hi:
        mid = (lo + hi) // 2
        if pairs[tails[mid]][1] < j:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _unit_matches(ua: list[str], ub: list[str], a0: int, a1: int, b0: int, b1: int, depth: int,
                  out: list[tuple[int, int]]) -> None:
    """Equal units of ua[a0:a1] and ub[b0:b1] as (i, j) pairs in order, deterministic and in
    O(n log n) per level: common ends, then exact diff-match-patch on small ranges, else the units
    found once on each side as anchors (patience diff) and the same again between anchors."""
    tail: list[tuple[int, int]] = []
    while a0 < a1 and b0 < b1 and ua[a0] == ub[b0]:
        out.append((a0, b0))
        a0, b0 = a0 + 1, b0 + 1
    while a0 < a1 and b0 < b1 and ua[a1 - 1] == ub[b1 - 1]:
        a1, b1 = a1 - 1, b1 - 1
        tail.append((a1, b1))
    if a0 < a1 and b0 < b1:
        if (a1 - a0) + (b1 - b0) <= UNIT_EXACT:
            codes: dict[str, str] = {}
            ea = "".join(codes.setdefault(u, chr(0xE000 + len(codes))) for u in ua[a0:a1])
            eb = "".join(codes.setdefault(u, chr(0xE000 + len(codes))) for u in ub[b0:b1])
            i, j = a0, b0
            for op, t in _exact(ea, eb):
                if op == EQUAL:
                    out.extend((i + k, j + k) for k in range(len(t)))
                if op != INSERT:
                    i += len(t)
                if op != DELETE:
                    j += len(t)
        elif depth < UNIT_DEPTH:
            seen_a: dict[str, int] = {}
            for i in range(a0, a1):
                seen_a[ua[i]] = -1 if ua[i] in seen_a else i
            seen_b: dict[str, int] = {}
            for j in range(b0, b1):
                if ub[j] in seen_a:
                    seen_b[ub[j]] = -1 if ub[j] in seen_b else j
            pairs = sorted((seen_a[u], j) for u, j in seen_b.items() if j >= 0 and seen_a[u] >= 0)
            i, j = a0, b0
            for ai, bj in _lis(pairs):
                _unit_matches(ua, ub, i, ai, j, bj, depth + 1, out)
                out.append((ai, bj))
                i, j = ai + 1, bj + 1
            if (i, j) != (a0, b0):
                _unit_matches(ua, ub, i, a1, j, b1, depth + 1, out)
    out.extend(reversed(tail))


def _coarse(a: str, b: str, unit: re.Pattern[str]) -> list[tuple[str, str]]:
    """A valid diff of a and b in bounded time: sentences first, characters inside short spans."""
    ua, ub = unit.findall(a), unit.findall(b)
    matches: list[tuple[int, int]] = []
    _unit_matches(ua, ub, 0, len(ua), 0, len(ub), 0, matches)
    out: list[tuple[str, str]] = []

    def changed(da: str, db: str) -> None:
        if da and db and len(da) + len(db) <= SPAN:
            out.extend(_exact(da, db))
            return
        if da:
            out.append((DELETE, da))
        if db:
            out.append((INSERT, db))

    i = j = 0
    for mi, mj in [*matches, (len(ua), len(ub))]:
        changed("".join(ua[i:mi]), "".join(ub[j:mj]))
        if mi < len(ua):
            out.append((EQUAL, ua[mi]))
        i, j = mi + 1, mj + 1
    return out


def _merge(runs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Adjacent runs of one kind joined, empty runs dropped."""
    out: list[tuple[str, list[str]]] = []
    for op, text in runs:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1][1].append(text)
        else:
            out.append((op, [text]))
    return [(op, "".join(parts)) for op, parts in out]


def _raw_diff(a: str, b: str, unit: re.Pattern[str] = SENTENCE) -> list[tuple[str, str]]:
    """(op, text) runs: exact when the texts differ little enough for that to be quick, else the
    coarse diff (see the module docstring for the bound)."""
    p, s = _affix(a, b)
    size = len(a) + len(b) - 2 * (p + s)
    if size <= EXACT_WORK:  # then (edits)² ≤ size² ≤ EXACT_WORK × size
        return _exact(a, b)
    coarse = _coarse(a[p:len(a) - s], b[p:len(b) - s], unit)
    edits = sum(len(t) for op, t in coarse if op != EQUAL)
    if edits <= EXACT_EDITS and edits * edits <= EXACT_WORK * size:
        return _exact(a, b)
    return _merge([(EQUAL, a[:p]), *coarse, (EQUAL, a[len(a) - s:])])


def _encode_words(a: str, b: str) -> tuple[str, str, list[str]] | None:
    """Each distinct word as one private-use character; None when there are more distinct words
    than such characters."""
    vocab: dict[str, str] = {}
    words: list[str] = []

    def enc(text: str) -> str:
        out = []
        for w in WORD.findall(text):
            if w not in vocab:
                vocab[w] = chr(0xE000 + len(words)) if len(words) < 6400 else chr(0xF0000 + len(words) - 6400)
                words.append(w)
            out.append(vocab[w])
        return "".join(out)

    if len(set(WORD.findall(a)) | set(WORD.findall(b))) > 6400 + 0x20000:
        return None
    return enc(a), enc(b), words


def _word_units(vocab: list[str], code: Callable[[int], str]) -> re.Pattern[str]:
    """Sentence units over encoded words: ends at the codes of sentence punctuation and newlines."""
    ends = "".join(re.escape(code(k)) for k, w in enumerate(vocab) if w in ".!?;。！？；" or "\n" in w)
    if not ends:
        return re.compile(rf"(?s:.{{1,{UNIT}}})")
    return re.compile(rf"[^{ends}]{{1,{UNIT}}}[{ends}]?|[{ends}]")


def diff_text(a: str, b: str, words: bool = False) -> TextDiff:
    """Diff two texts: by characters, or by words (for English); bounded in time for any input."""
    encoded = _encode_words(a, b) if words else None
    if encoded is not None:
        ea, eb, vocab = encoded

        def dec(s: str) -> str:
            return "".join(vocab[ord(c) - 0xE000] if ord(c) < 0xF0000 else vocab[ord(c) - 0xF0000 + 6400]
                           for c in s)

        def code(k: int) -> str:
            return chr(0xE000 + k) if k < 6400 else chr(0xF0000 + k - 6400)

        runs = [(op, dec(t)) for op, t in _raw_diff(ea, eb, _word_units(vocab, code))]
    else:
        runs = _raw_diff(a, b)
    ops = []
    i = j = 0
    for op, text in runs:
        if not text:
            continue
        ops.append(Op(op, text, i, j))
        if op in (EQUAL, DELETE):
            i += len(text)
        if op in (EQUAL, INSERT):
            j += len(text)
    return TextDiff(tuple(ops))
