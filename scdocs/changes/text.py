"""Character diffs inside aligned sections, with diff-match-patch.

The C++ implementation (fast-diff-match-patch) gives the same output as the reference
Python port but 75× faster on 200k characters; neither is given a time limit (the Python
port's default 1 s limit silently returns a poor diff). Chinese is diffed by characters,
English by words (each word mapped to one private-use character, as diff_linesToChars does
for lines), and both get diff-match-patch's semantic cleanup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"\w+|\s+|[^\w\s]")
EQUAL, INSERT, DELETE = "=", "+", "-"


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


def _raw_diff(a: str, b: str) -> list[tuple[str, str]]:
    """(op, text) runs with semantic cleanup."""
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


def _encode_words(a: str, b: str) -> tuple[str, str, list[str]]:
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

    return enc(a), enc(b), words


def diff_text(a: str, b: str, words: bool = False) -> TextDiff:
    """Diff two texts: by characters, or by words (for English)."""
    if words:
        ea, eb, vocab = _encode_words(a, b)

        def dec(s: str) -> str:
            return "".join(vocab[ord(c) - 0xE000] if ord(c) < 0xF0000 else vocab[ord(c) - 0xF0000 + 6400]
                           for c in s)

        runs = [(op, dec(t)) for op, t in _raw_diff(ea, eb)]
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
