"""Character-level cue matching (Aho-Corasick phrases and regexes), free of spaCy.

Chinese cues are found on characters, never on tokens, so a Chinese section needs no spaCy
pipeline at all: the tagger calls this directly and loads spaCy only for sections with Latin
words when the taxonomy has English cues (which need stemmed tokens).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

from scdocs.themes.taxonomy import Pattern

LATIN_WORD = re.compile(r"[A-Za-z]")


class CharMatcher:
    """Every occurrence of every character-level cue (Chinese phrases and regexes) in a text."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.automaton = ahocorasick.Automaton()
        by_text: dict[str, list[Pattern]] = {}
        self.regexes: list[tuple[re.Pattern[str], Pattern]] = []
        for p in patterns:
            if p.kind == "zh":
                by_text.setdefault(str(p.value), []).append(p)
            elif p.kind == "regex":
                self.regexes.append((re.compile(str(p.value)), p))
        for text, pats in by_text.items():
            self.automaton.add_word(text, (len(text), tuple(pats)))
        self.empty = not by_text
        if not self.empty:
            self.automaton.make_automaton()

    def __call__(self, text: str) -> list[tuple[int, int, Pattern]]:
        hits: list[tuple[int, int, Pattern]] = []
        if not self.empty:
            for end, (length, pats) in self.automaton.iter(text):
                for p in pats:
                    hits.append((end + 1 - length, end + 1, p))
        for regex, p in self.regexes:
            for m in regex.finditer(text):
                if m.end() > m.start():
                    hits.append((m.start(), m.end(), p))
        return hits
