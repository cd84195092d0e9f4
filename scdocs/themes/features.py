"""What the learned layer sees of a section: its characters, its cues, its clause types, its headings.

Characters come as bigrams and trigrams (Chinese needs no word segmentation for this); cues as
the rule tagger's raw score per theme; clause types (purpose, scope, definition, enumeration,
obligation, liability, cross-reference) as flags, so that a cue inside a purpose clause or a
liability article weighs what the labels taught rather than a fixed discount; the heading chain
(chapter → section) as bigrams of its own, so a chapter's theme can carry to its articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scdocs.document.model import CONTAINER_KINDS, Document, Section
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS, number_of

NGRAMS = (2, 3)
CUE_CAP = 3.0
CLAUSE_TYPES: dict[str, re.Pattern[str]] = {
    "purpose": re.compile(r"^[^。]{0,12}为了|^[^。]{0,12}为[^。]{2,40}(制定本|根据)"),
    "scope": re.compile(r"适用本(条例|办法|法|规定)|本(条例|办法|法|规定)适用"),
    "definition": re.compile(r"是指|本(条例|办法|法|规定)所称"),
    "enumeration": re.compile(r"（[一二三四五六七八九十]+）[^\n]*\n[^\n]*（[一二三四五六七八九十]+）"),
    "obligation": re.compile(r"应当|必须|不得"),
    "liability": re.compile(r"违反本|罚款|法律责任|追究|处分|吊销"),
    "cross-reference": re.compile(r"本(条例|办法|法|规定)第[一二三四五六七八九十百零]+条"),
}


Heading = tuple[str, int]  # a container's heading and where it starts in the document's text


def heading_chains(doc: Document) -> dict[str, tuple[Heading, ...]]:
    """For every section, the headings of the containers above it (chapter → section), with offsets."""
    chains: dict[str, tuple[Heading, ...]] = {}

    def walk(sections: Sequence[Section], above: tuple[Heading, ...]) -> None:
        for s in sections:
            if above:  # a section under no heading has none (`chains.get(eid, ())`)
                chains[s.eid] = above
            here = above
            if s.kind in CONTAINER_KINDS and s.heading:
                i = s.text.find(s.heading)
                if i >= 0:
                    here = (*above, (s.heading, s.start + i))
            walk(s.subsections, here)

    walk(doc.body, ())
    return chains


def chain_text(chain: tuple[Heading, ...]) -> str:
    return "".join(h for h, _ in chain)


#: A reference to another article of the same text (违反本条例第十二条规定的…).
REFERENCE = re.compile(r"本(?:条例|办法|法|规定|细则|决定)第([一二三四五六七八九十百零〇0-9]+)条")


def cited_numbers(sections: list[Section]) -> set[int]:
    """The article numbers that some section cites (本条例第十二条): the articles whose cue scores
    `referenced_scores` needs."""
    return {n for s in sections for m in REFERENCE.finditer(s.text) if (n := number_of(m.group(1))) is not None}


def referenced_scores(sections: list[tuple[Section, dict[str, float]]],
                      citing: list[Section] | None = None) -> dict[str, dict[str, float]]:
    """For each section that cites other articles of its text, the highest cue score per theme among
    them: a liability clause takes its theme from the article whose breach it punishes. `sections`
    are the articles with their scores (all of them, or at least the cited ones); `citing` the
    sections to look for citations in (by default the same)."""
    by_number = {s.number: scores for s, scores in sections if s.kind == "article" and s.number is not None}
    out: dict[str, dict[str, float]] = {}
    for s in citing if citing is not None else [s for s, _ in sections]:
        refs: dict[str, float] = {}
        for m in REFERENCE.finditer(s.text):
            n = number_of(m.group(1))
            if n is None or n == s.number or n not in by_number:
                continue
            for theme, score in by_number[n].items():
                refs[theme] = max(refs.get(theme, 0.0), score)
        if refs:
            out[s.eid] = refs
    return out


_PUNCTUATION = frozenset("，。；：、！？（）()《》〈〉“”‘’「」【】—…·,.;:!?\"' \n\t\u3000")
_NUMBERING = frozenset(CHINESE_NUMERAL_CHARS + "0123456789０１２３４５６７８９第条款项章节编")


def _words(gram: str) -> bool:
    """Whether an n-gram is words a reader can see as evidence: no punctuation or space in it, and
    not a number (the section's own 第十二条 or （十二）, or a reference to another article)."""
    return not any(c in _PUNCTUATION for c in gram) and not all(c in _NUMBERING for c in gram)


def section_features(text: str, heading_chain: str, cue_scores: dict[str, float],
                     ref_scores: dict[str, float] | None = None) -> dict[str, float]:
    """The feature dict of one section (feature name → value)."""
    feats: dict[str, float] = {}
    for n in NGRAMS:
        for i in range(len(text) - n + 1):
            gram = text[i:i + n]
            if _words(gram):
                feats["g:" + gram] = 1.0
    for name, rx in CLAUSE_TYPES.items():
        if rx.search(text):
            feats["clause:" + name] = 1.0
    for theme, score in cue_scores.items():
        if score > 0:
            feats["cue:" + theme] = min(score, CUE_CAP)
    for i in range(len(heading_chain) - 1):
        feats["h:" + heading_chain[i:i + 2]] = 1.0
    for theme, score in (ref_scores or {}).items():
        if score > 0:
            feats["ref:" + theme] = min(score, CUE_CAP)
    return feats


@dataclass(frozen=True)
class SectionFeatures:
    """What a model needs of one section to find its features on demand (see `ThemeModel.present`):
    a model uses a few hundred features, and finding those is far cheaper than listing every n-gram."""

    text: str
    chain: str
    cues: dict[str, float]
    refs: dict[str, float]
