"""From cue matches to decisions: does a section provide for a theme, and how strongly?

themes.md asks for a provision about the theme, not a passing mention. Three rules carry
that: weights (a strong cue alone suffices, weak cues must add up), a cap on a cue's
repetitions (one word said five times is still one word), and damping inside purpose,
scope and definition clauses; a cue in the section's own heading counts more.
"""

from __future__ import annotations

import re

from .result import Evidence, ThemeTag
from .taxonomy import Pattern, Taxonomy

SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")


def context_factors(text: str, taxonomy: Taxonomy) -> list[tuple[int, int, float, frozenset[str] | None]]:
    """Sentences of `text` in which matches count less: (start, end, factor, themes or None for all)."""
    if not taxonomy.contexts:
        return []
    out = []
    for m in SENTENCE.finditer(text):
        sentence = m.group()
        for ctx in taxonomy.contexts:
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
    contexts = context_factors(text, taxonomy)
    by_theme: dict[str, list[tuple[int, int, Pattern]]] = {}
    for start, end, key in hits:
        p = index.get(key)
        if p is not None:
            by_theme.setdefault(p.theme, []).append((start, end, p))
    tags = []
    for theme_id, theme_hits in by_theme.items():
        # The same words are counted once for a theme: a cue inside a longer cue (信用服务 in
        # 信用服务机构) gives way to it, and of two cues on the same words the heavier one counts.
        best: dict[tuple[int, int], tuple[int, int, Pattern]] = {}
        for h in theme_hits:
            if (h[0], h[1]) not in best or h[2].weight > best[(h[0], h[1])][2].weight:
                best[(h[0], h[1])] = h
        spans = list(best.values())
        kept = [h for h in spans
                if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in spans)]
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
            evidence.append(Evidence(text[start:end], offset + start, offset + end, p.key, w))
        score = 0.0
        for weights in per_pattern.values():
            score += min(sum(weights), settings.repeat_cap * max(weights))
        if score >= threshold and score > 0:
            tags.append(ThemeTag(theme_id, score, evidence))
    tags.sort(key=lambda t: (-t.score, t.id))
    return tags
