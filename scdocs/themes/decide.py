"""From cue matches to decisions: does a section provide for a theme, and how strongly?

themes.md asks for a provision about the theme, not a passing mention. Three rules carry
that: weights (a strong cue alone suffices, weak cues must add up), a cap on a cue's
repetitions (one word said five times is still one word), and damping inside purpose,
scope and definition clauses; a cue in the section's own heading counts more.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from sys import intern

from scdocs.themes.features import Heading, SectionFeatures, chain_text
from scdocs.themes.model import ThemeModel
from scdocs.themes.result import MODEL_EVIDENCE, Evidence, ThemeTag
from scdocs.themes.taxonomy import Pattern, Taxonomy

SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")


def context_factors(text: str, taxonomy: Taxonomy, starts: list[int] | None = None,
                    ) -> list[tuple[int, int, float, frozenset[str] | None]]:
    """Sentences of `text` in which matches count less: (start, end, factor, themes or None for all).
    With `starts` (sorted hit starts), only the sentences where a hit starts are looked at."""
    if not taxonomy.contexts:
        return []
    # A context-free pattern found nowhere in the section is found in none of its sentences.
    candidates = [ctx for ctx in taxonomy.contexts if ctx.sensitive or ctx.regex.search(text)]
    if not candidates:
        return []
    out = []
    for m in SENTENCE.finditer(text):
        if starts is not None and bisect_left(starts, m.start()) == bisect_left(starts, m.end()):
            continue
        sentence = m.group()
        for ctx in candidates:
            if ctx.regex.search(sentence):
                out.append((m.start(), m.end(), ctx.factor, ctx.themes))
                break
    return out


def decide(
    text: str,
    offset: int,
    heading_end: int,
    hits: list[tuple[int, int, str]],  # (start, end, pattern id)
    taxonomy: Taxonomy,
    index: dict[str, Pattern],
    min_score: float | None = None,
) -> list[ThemeTag]:
    """Theme tags for one section. `hits` are (start, end, pattern key) relative to `text`;
    `offset` maps them into the document; `heading_end` is where the heading ends (0: none)."""
    settings = taxonomy.settings
    threshold = settings.threshold if min_score is None else min_score
    by_theme: dict[str, list[tuple[int, int, Pattern]]] = {}
    for start, end, key in hits:
        p = index.get(key)
        if p is not None:
            by_theme.setdefault(p.theme, []).append((start, end, p))
    tags: list[ThemeTag] = []
    if not by_theme:
        return tags
    contexts = context_factors(text, taxonomy, sorted(h[0] for h in hits))
    for theme_id, theme_hits in by_theme.items():
        # The same words are counted once for a theme: of two cues where one lies inside the other
        # (信用服务 in 信用服务机构, 隐私 in 个人隐私的信息) only the heavier counts, the longer on a tie.
        def rank(h: tuple[int, int, Pattern]) -> tuple[float, int]:
            return (h[2].weight, h[1] - h[0])

        kept = _outranked_removed(theme_hits, rank)
        unique: dict[tuple[int, int], tuple[int, int, Pattern]] = {}  # equal cues on the same words: one
        for h in kept:
            unique.setdefault((h[0], h[1]), h)
        kept = list(unique.values())
        per_pattern: dict[str, list[float]] = {}
        evidence = []
        for start, end, p in sorted(kept, key=lambda h: (h[0], h[1])):
            w = p.weight
            if start < heading_end:
                w *= settings.heading_factor
            for c_start, c_end, factor, only in contexts:
                if c_start <= start and end <= c_end and (only is None or theme_id in only):
                    w *= factor
                    break
            per_pattern.setdefault(p.id, []).append(w)
            # the same cue words recur thousands of times in a long law: one string object each
            evidence.append(Evidence(intern(text[start:end]), offset + start, offset + end, p.key, w))
        score = 0.0
        for weights in per_pattern.values():
            score += min(sum(weights), settings.repeat_cap * max(weights))
        if score >= threshold and score > 0:
            tags.append(ThemeTag(theme_id, score, evidence))
    tags.sort(key=lambda t: (-t.score, t.id))
    return tags


def _outranked_removed(hits: list[tuple[int, int, Pattern]],
                       rank: Callable[[tuple[int, int, Pattern]], tuple[float, int]]) -> list[tuple[int, int, Pattern]]:
    """The hits that no hit nested with them (one inside the other) outranks, in their order. Only hits
    that overlap can nest, so each is compared with its overlapping neighbours in start order."""
    by_start = sorted(hits, key=lambda h: (h[0], -h[1]))
    beaten: set[int] = set()
    n = len(by_start)
    for i, h in enumerate(by_start):
        for j in range(i + 1, n):  # indices, not a slice: a slice would copy the rest for every hit
            o = by_start[j]
            if o[0] >= h[1]:
                break  # starts after h ends: neither this one nor any later one overlaps h
            if o[1] <= h[1]:  # o inside h (on the same start, h is the longer by the sort)
                if rank(o) > rank(h):
                    beaten.add(id(h))
                elif rank(h) > rank(o):
                    beaten.add(id(o))
    return [h for h in hits if id(h) not in beaten]


RAW = 1e-9  # the rule threshold at which every cue's score is reported (features of the learned layer)


def section_decision(text: str, offset: int, heading_end: int, hits: list[tuple[int, int, str]], taxonomy: Taxonomy,
                     index: dict[str, Pattern], min_score: float | None, learned: ThemeModel | None,
                     chain: tuple[Heading, ...] = (), refs: dict[str, float] | None = None,
                     raw: list[ThemeTag] | None = None) -> list[ThemeTag]:
    """The one decision both `tag()` and the spaCy component make: the rules' (`learned` None), or the
    learned layer's over the rules' raw cue scores (`raw`, computed here unless given), the clause
    types, the heading chain, the cue scores of the articles it cites (`refs`) and the text."""
    if learned is None:
        return decide(text, offset, heading_end, hits, taxonomy, index, min_score)
    if raw is None:
        raw = decide(text, offset, heading_end, hits, taxonomy, index, RAW)
    scores = {t.id: t.score for t in raw}
    feats = learned.present(SectionFeatures(text, chain_text(chain), scores, refs or {}))
    tags = []
    for theme, p in learned.positives(feats).items():
        weights = learned.themes[theme]
        evidence = list(next((t.evidence for t in raw if t.id == theme), []))
        evidence += _located(weights.reasons(feats, most=8), text, offset, chain, most=3)
        tags.append(ThemeTag(theme, p, evidence))
    tags.sort(key=lambda t: (-t.score, t.id))
    return tags


@lru_cache(maxsize=8192)
def _feature_names(feature: str) -> tuple[str, str]:
    """A model feature's words and its name in evidence, made once: a long law repeats them thousands of times."""
    return feature[2:], f"{MODEL_EVIDENCE}{feature}"


def _located(reasons: list[tuple[str, float]], text: str, offset: int, chain: tuple[Heading, ...],
             most: int) -> list[Evidence]:
    """Up to `most` of the deciding features that have a place: characters of the section (where they
    first occur), characters of a heading above it. Clause types and cue scores are shown through the cues."""
    out: list[Evidence] = []
    for feature, contribution in reasons:
        if len(out) == most:
            break
        if feature.startswith("g:"):
            words, key = _feature_names(feature)
            i = text.find(words)
            if i >= 0:
                out.append(Evidence(words, offset + i, offset + i + len(words), key, contribution))
        elif feature.startswith("h:"):
            words, key = _feature_names(feature)
            for heading, start in chain:
                i = heading.find(words)
                if i >= 0:
                    out.append(Evidence(words, start + i, start + i + len(words), key, contribution))
                    break
    return out
