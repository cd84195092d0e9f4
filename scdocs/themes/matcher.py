"""Cue matching free of spaCy: Chinese phrases and regexes on characters, English phrases on stems.

Chinese cues are found on characters, never on tokens (word segmenters split 个人信息 across
tokens). English phrase cues are matched on word stems (punished, punishment → punish), with
words and every other character as tokens, as spaCy's PhraseMatcher on stemmed norms would.
Neither needs spaCy: the tagger loads it only for a taxonomy's `tokens` cues (spaCy Matcher
tables), and the `scdocs_themes` component uses these same matchers, so both decide alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

import ahocorasick

from scdocs.themes.taxonomy import Pattern, context_sensitive

TOKEN = re.compile(r"[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9]")

LATIN_WORD = re.compile(r"[A-Za-z]")


class CharMatcher:
    """Every occurrence of every character-level cue (Chinese phrases and regexes) in a text."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.automaton = ahocorasick.Automaton()
        by_text: dict[str, list[Pattern]] = {}
        regexes: list[tuple[re.Pattern[str], Pattern]] = []
        for p in patterns:
            if p.kind == "zh":
                by_text.setdefault(str(p.value), []).append(p)
            elif p.kind == "regex":
                regexes.append((re.compile(str(p.value)), p))
        self.whole = [(r, p) for r, p in regexes if not context_sensitive(r)]  # one pass over a whole text
        self.spanwise = [(r, p) for r, p in regexes if context_sensitive(r)]  # span by span
        for text, pats in by_text.items():
            self.automaton.add_word(text, (len(text), tuple(pats)))
        self.empty = not by_text
        if not self.empty:
            self.automaton.make_automaton()

    def __call__(self, text: str) -> list[tuple[int, int, Pattern]]:
        """Every hit in `text`: the text as one span."""
        return self.spans(text, [(0, len(text))])[0]

    def spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[list[tuple[int, int, Pattern]]]:
        """The hits of each span ``text[start:end]``, relative to the span, exactly as ``self(text[start:end])``
        would give them, but from one pass of each matcher over the whole text: a section of a long law
        then costs a few microseconds instead of some forty matcher calls.

        Phrases are all occurrences, so those inside a span are the span's. A context-free regex scanned
        over the whole text finds inside a span what it finds in the span alone, unless one of its matches
        crosses the span's edge; such spans (and context-sensitive regexes) are matched span by span.
        Spans that overlap each other are matched one by one."""
        order = sorted(range(len(spans)), key=lambda i: spans[i])
        starts = [spans[i][0] for i in order]
        ends = [spans[i][1] for i in order]
        if any(ends[k] > starts[k + 1] for k in range(len(order) - 1)):
            return [self(text[a:b]) for a, b in spans]
        out: list[list[tuple[int, int, Pattern]]] = [[] for _ in spans]

        def place(start: int, end: int, p: Pattern) -> None:
            k = bisect_right(starts, start) - 1
            if k >= 0 and end <= ends[k]:
                out[order[k]].append((start - starts[k], end - starts[k], p))

        if not self.empty:
            for end, (length, pats) in self.automaton.iter(text):
                for p in pats:
                    place(end + 1 - length, end + 1, p)
        for regex, p in self.whole:
            redo: set[int] = set()
            for m in regex.finditer(text):
                a, b = m.span()
                if b <= a:
                    continue
                inside = bisect_right(starts, a), bisect_left(starts, b), bisect_right(ends, a), bisect_left(ends, b)
                if inside[0] != inside[1] or inside[2] != inside[3]:  # an edge lies inside the match
                    redo.update(order[k] for k in range(inside[2], max(inside[1], inside[3])))
                    continue
                place(a, b, p)
            for i in redo:
                s0, e0 = spans[i]
                kept = [h for h in out[i] if h[2] is not p]
                out[i] = kept + [(m.start() - s0, m.end() - s0, p) for m in regex.finditer(text, s0, e0)
                                 if m.end() > m.start()]
        for regex, p in self.spanwise:
            for i, (s0, e0) in enumerate(spans):
                out[i] += [(m.start(), m.end(), p) for m in regex.finditer(text[s0:e0]) if m.end() > m.start()]
        return out


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem of a lowercase word (punished, punishment → punish)."""
    return str(_stemmer().stemWord(word))


def _norm(token: str) -> str:
    return stem(token.lower()) if token[0].isascii() and token[0].isalpha() else token.lower()


class WordMatcher:
    """Every occurrence of every English phrase cue, matched on stems of whole words."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns = [p for p in patterns if p.kind == "en"]
        self._phrases: dict[tuple[str, ...], list[Pattern]] | None = None  # stemmed on first use
        self.lengths: list[int] = []

    def __len__(self) -> int:
        return len(self.patterns)

    @property
    def phrases(self) -> dict[tuple[str, ...], list[Pattern]]:
        """Each phrase's stems → its patterns (built when a text first has Latin words: a Chinese
        document never loads the stemmer)."""
        if self._phrases is None:
            self._phrases = {}
            for p in self.patterns:
                key = tuple(_norm(t) for t in TOKEN.findall(str(p.value)))
                if key:
                    self._phrases.setdefault(key, []).append(p)
            self.lengths = sorted({len(k) for k in self._phrases})
        return self._phrases

    def __call__(self, text: str) -> list[tuple[int, int, Pattern]]:
        if not self.patterns or not LATIN_WORD.search(text):
            return []
        phrases = self.phrases
        tokens = [(m.start(), m.end(), _norm(m.group())) for m in TOKEN.finditer(text)]
        norms = [t[2] for t in tokens]
        hits = []
        for i in range(len(tokens)):
            for n in self.lengths:
                pats = phrases.get(tuple(norms[i:i + n])) if i + n <= len(tokens) else None
                for p in pats or ():
                    hits.append((tokens[i][0], tokens[i + n - 1][1], p))
        return hits
