"""`tag(doc)`: every taggable section of a document with the themes it provides for.

Taggable sections are the numbered units (articles, items) and containers that hold no
units (a part of an opinions document written as prose). Their texts go through a blank
spaCy pipeline in batches (`nlp.pipe`) and the `scdocs_themes` component; decisions are
then made per section by `decide`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.document.model import CONTAINER_KINDS, UNIT_KINDS, Document, Section
from scdocs.themes.decide import RAW, decide, section_decision
from scdocs.themes.features import heading_chains, referenced_scores
from scdocs.themes.matcher import LATIN_WORD, CharMatcher
from scdocs.themes.model import ThemeModel, learned_model
from scdocs.themes.result import DocumentTags, SectionTags, ThemeTag
from scdocs.themes.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from spacy.language import Language

    from scdocs.themes.component import ThemeComponent

_PIPELINES: dict[tuple[str, int], tuple[Language, ThemeComponent]] = {}
_MATCHERS: dict[int, tuple[Taxonomy, CharMatcher]] = {}
THRESHOLD = 0.5  # the learned layer's decision threshold (a probability), reported with its tags


def taggable_sections(doc: Document) -> list[Section]:
    """Units, and containers without units below them, in document order."""
    out = []
    for s in doc.walk():
        if s.kind in UNIT_KINDS or (s.kind in CONTAINER_KINDS and not any(c.kind in UNIT_KINDS for c in s.walk())
              and not any(c.kind in CONTAINER_KINDS for c in s.children)):
            out.append(s)
    return out


def heading_end(section: Section) -> int:
    """Where a section's heading ends in its text (0 where it has none)."""
    if section.kind in CONTAINER_KINDS:
        nl = section.text.find("\n")
        return len(section.text) if nl == -1 else nl
    if not section.heading:
        return 0
    i = section.text.find(section.heading)
    return i + len(section.heading) if 0 <= i < 60 else 0


def pipeline(lang: str, taxonomy: Taxonomy) -> tuple[Language, ThemeComponent]:
    """A blank spaCy pipeline for the language and the theme component for the taxonomy (cached)."""
    key = ("en" if lang == "en" else "zh", id(taxonomy))
    if key not in _PIPELINES:
        import spacy

        from scdocs.themes import component  # registers the clause tokenizer

        if key[0] == "zh":  # cues are found on characters: clause tokens suffice and are cheap
            nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "scdocs.ClauseTokenizer.v1"}}})
        else:
            nlp = spacy.blank("en")
        _PIPELINES[key] = (nlp, component.ThemeComponent(nlp, taxonomy=taxonomy))
    return _PIPELINES[key]


def _char_matcher(taxonomy: Taxonomy) -> CharMatcher:
    """The character matcher of a taxonomy, built once (the taxonomy is kept alive with it, so its
    id is never reused for another)."""
    if id(taxonomy) not in _MATCHERS:
        _MATCHERS[id(taxonomy)] = (taxonomy, CharMatcher(taxonomy.pattern_index().values()))
    return _MATCHERS[id(taxonomy)][1]


def _hits(sections: list[Section], lang: str, tax: Taxonomy, chars: CharMatcher, token_cues: bool,
          batch_size: int) -> Iterator[list[tuple[int, int, str]]]:
    """Each section's cue hits (start, end, pattern id), sorted. Character cues need no spaCy: the
    pipeline is built only when a section has Latin words and the taxonomy has token-level cues."""
    if lang == "zh" and not (token_cues and any(LATIN_WORD.search(s.text) for s in sections)):
        for s in sections:
            yield sorted((a, b, p.id) for a, b, p in chars(s.text))
        return
    nlp, component = pipeline(lang, tax)
    for sdoc in nlp.pipe((s.text for s in sections), batch_size=batch_size):
        yield component(sdoc).user_data["scdocs_theme_hits"]


def _resolve(taxonomy: Taxonomy | str | Path | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return load_taxonomy(taxonomy)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def tag(doc: Document, taxonomy: Taxonomy | str | Path | None = None, min_score: float | None = None,
        themes: Iterable[str] | None = None, engine: str = "auto",
        model: str | Path | ThemeModel | None = None) -> DocumentTags:
    """Tag every taggable section of `doc` with the themes it provides for, with evidence."""
    return next(tag_many([doc], taxonomy, min_score, themes, engine=engine, model=model))


def tag_many(docs: Iterable[Document], taxonomy: Taxonomy | str | Path | None = None,
             min_score: float | None = None, themes: Iterable[str] | None = None,
             batch_size: int = 256, engine: str = "auto",
             model: str | Path | ThemeModel | None = None) -> Iterator[DocumentTags]:
    """Tag documents one after another. `engine` "rules" decides by the taxonomy's cues alone;
    "model" by the learned layer over cues, clause types, headings and characters; "auto" (the
    default) uses the model where one fits the taxonomy."""
    tax = _resolve(taxonomy)
    learned = learned_model(engine, model, tax, min_score)
    wanted = set(themes) if themes else None
    index = tax.pattern_index()
    threshold = tax.settings.threshold if min_score is None else min_score
    chars = _char_matcher(tax)
    token_cues = any(p.kind in ("en", "tokens") for p in index.values())
    for doc in docs:
        sections = taggable_sections(doc)
        lang = "en" if doc.meta.language == "en" or not _HAN.search(doc.text[:2000]) else "zh"
        chains = heading_chains(doc) if learned is not None else {}
        results = []
        hits_of = list(_hits(sections, lang, tax, chars, token_cues, batch_size))
        raws: list[list[ThemeTag] | None] = [None] * len(sections)
        refs: dict[str, dict[str, float]] = {}
        if learned is not None:  # every section's cue scores first: a liability clause reads those it cites
            raws = [decide(s.text, s.start, heading_end(s), h, tax, index, RAW) for s, h in zip(sections, hits_of,
                                                                                             strict=True)]
            refs = referenced_scores([(s, {t.id: t.score for t in r or []}) for s, r in zip(sections, raws,
                                                                                               strict=True)])
        for section, hits, raw in zip(sections, hits_of, raws, strict=True):
            tags = section_decision(section.text, section.start, heading_end(section), hits, tax, index,
                                    min_score, learned, chains.get(section.eid, ()), refs.get(section.eid), raw)
            if wanted is not None:
                tags = [t for t in tags if t.id in wanted]
            results.append(SectionTags(section, tags))
        yield DocumentTags(doc, results, threshold if learned is None else THRESHOLD, tax.sources,
                           engine="rules" if learned is None else f"model ({learned.source})")
