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
first: both texts are cut into sentences (at most UNIT characters each), each sentence becomes
one character, diff-match-patch diffs those (under a wall-clock limit proportional to the
length), and the changed spans
between equal sentences are diffed character by character when they are short (at most SPAN
characters), or kept as deleted + inserted when they are not. The edits of this coarse diff are
an upper bound on the true edit distance: when its square is within EXACT_WORK per character of
input, the exact diff runs (so ordinary revisions diff exactly as before, whatever their length);
otherwise the coarse diff is the result. Either way the work is bounded by a constant times the
length of the texts, plus the coarse pass's time limit.
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
#: Coarse pass: longest unit, longest changed span diffed by characters, and the time limit of
#: its sentence diff: 2 s per million characters of differing middles (never under 10 ms).
UNIT = 64
SPAN = 1_000
UNIT_SECONDS_PER_CHAR = 2e-6
UNIT_SECONDS_MIN = 0.01
SENTENCE = re.compile(rf"[^。！？；!?;\n]{{1,{UNIT}}}[。！？；!?;\n]?|[。！？；!?;\n]")
#: Code points a unit can be encoded as: everything but the surrogates, which are not text.
POOL = 0x110000 - 0x800 - 1


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


def _limited(a: str, b: str, seconds: float) -> list[tuple[str, str]]:
    """(op, text) runs without cleanup, giving up on what is left after `seconds` (the unresolved
    parts come back as deleted + inserted): for the coarse pass only."""
    try:
        import fast_diff_match_patch as fdmp

        return [(op, text) for op, text in fdmp.diff(a, b, timelimit=seconds, cleanup="No", counts_only=False)]
    except ImportError:
        from diff_match_patch import diff_match_patch

        dmp = diff_match_patch()
        dmp.Diff_Timeout = seconds
        return [({0: EQUAL, 1: INSERT, -1: DELETE}[op], text) for op, text in dmp.diff_main(a, b)]


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


def _coarse(a: str, b: str, unit: re.Pattern[str]) -> list[tuple[str, str]]:
    """A valid diff of a and b in bounded time: sentences first, characters inside short spans."""
    ua, ub = _units(a, unit), _units(b, unit)
    ids: dict[str, str] = {}

    def code(u: str) -> str:
        c = ids.get(u)
        if c is None:
            k = len(ids) if len(ids) < POOL else hash(u) % POOL  # a full pool reuses codes: checked below
            c = chr(k + 1 if k + 1 < 0xD800 else k + 0x801)
            if len(ids) < POOL:
                ids[u] = c
        return c

    ea = "".join(map(code, ua))
    eb = "".join(map(code, ub))
    out: list[tuple[str, str]] = []
    i = j = 0
    pending_a: list[str] = []
    pending_b: list[str] = []

    def flush() -> None:
        da, db = "".join(pending_a), "".join(pending_b)
        pending_a.clear()
        pending_b.clear()
        if da and db and len(da) + len(db) <= SPAN:
            out.extend(_exact(da, db))
            return
        if da:
            out.append((DELETE, da))
        if db:
            out.append((INSERT, db))

    seconds = max(UNIT_SECONDS_MIN, UNIT_SECONDS_PER_CHAR * (len(a) + len(b)))
    for op, codes in _limited(ea, eb, seconds):
        n = len(codes)
        if op == EQUAL:
            for x, y in zip(ua[i:i + n], ub[j:j + n], strict=True):
                if x == y:
                    flush()
                    out.append((EQUAL, x))
                else:  # two units that share a code
                    pending_a.append(x)
                    pending_b.append(y)
            i += n
            j += n
        elif op == DELETE:
            pending_a.extend(ua[i:i + n])
            i += n
        else:
            pending_b.extend(ub[j:j + n])
            j += n
    flush()
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
