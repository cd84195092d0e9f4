"""`tag(doc)`: every taggable section of a document with the themes it provides for.

Taggable sections are the numbered units (articles, items) and containers that hold no
units (a part of an opinions document written as prose). Their texts go through a blank
spaCy pipeline in batches (`nlp.pipe`) and the `scdocs_themes` component; decisions are
then made per section by `decide`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.document.language import writes_chinese
from scdocs.document.model import CONTAINER_KINDS, UNIT_KINDS, Document, Section
from scdocs.themes.decide import RAW, decide, section_decision
from scdocs.themes.features import cited_numbers, heading_chains, referenced_scores
from scdocs.themes.matcher import LATIN_WORD, CharMatcher, WordMatcher
from scdocs.themes.model import ThemeModel, learned_model
from scdocs.themes.result import DocumentTags, SectionTags, ThemeTag
from scdocs.themes.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from spacy.language import Language

    from scdocs.themes.component import ThemeComponent

_PIPELINES: dict[tuple[str, int], tuple[Language, ThemeComponent]] = {}
_MATCHERS: dict[int, tuple[Taxonomy, tuple[CharMatcher, WordMatcher]]] = {}
THRESHOLD = 0.5  # the learned layer's decision threshold (a probability), reported with its tags


def taggable_sections(doc: Document) -> list[Section]:
    """Units (and the paragraphs of a text without units), and containers without units below
    them, in document order."""
    out = []
    for s in doc.walk():
        if s.kind in UNIT_KINDS or s.fallback or (
                s.kind in CONTAINER_KINDS and not any(c.kind in UNIT_KINDS for c in s.walk())
                and not any(c.kind in CONTAINER_KINDS for c in s.subsections)):
            out.append(s)
        elif s.kind in CONTAINER_KINDS and (lead := lead_in(doc, s)) is not None:
            out.append(lead)
    return out


def container_head(doc: Document, container: Section) -> Section | None:
    """A container's own words before its first section (its heading line and any lead-in), as a
    section of the container's kind, eId and heading that ends with the last line before its first
    section; None for a container without sections."""
    if not container.children:
        return None
    end = container.children[0].start
    while end > container.start and doc.text[end - 1].isspace():  # it ends with its last line, as a unit does
        end -= 1
    return Section(container.kind, container.eid, container.num, container.number, container.heading,
                   container.start, end, source=doc.text)


def lead_in(doc: Document, container: Section) -> Section | None:
    """A container's head (`container_head`) where it holds more than the heading line (一、加强惩戒 /
    各地要…联合惩戒。 / （一）…), else None. Those words are about the theme as much as any item's, and
    would otherwise be tagged nowhere."""
    head = container_head(doc, container)
    return head if head is not None and leads_in(doc, head) else None


def leads_in(doc: Document, head: Section) -> bool:
    """Whether a container's head holds words beyond its heading line."""
    nl = doc.text.find("\n", head.start, head.end)
    return nl != -1 and bool(doc.text[nl:head.end].strip())


def heading_end(section: Section, text: str | None = None) -> int:
    """Where a section's heading ends in its text (0 where it has none); `text` is the section's text
    where the caller has it already (a section slices it from the document's at every ask)."""
    text = section.text if text is None else text
    if section.kind in CONTAINER_KINDS:
        nl = text.find("\n")
        return len(text) if nl == -1 else nl
    if not section.heading:
        return 0
    i = text.find(section.heading)
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


def _matchers(taxonomy: Taxonomy) -> tuple[CharMatcher, WordMatcher]:
    """The character and word matchers of a taxonomy, built once (the taxonomy is kept alive with them,
    so its id is never reused for another)."""
    if id(taxonomy) not in _MATCHERS:
        patterns = taxonomy.pattern_index().values()
        _MATCHERS[id(taxonomy)] = (taxonomy, (CharMatcher(patterns), WordMatcher(patterns)))
    return _MATCHERS[id(taxonomy)][1]


def _hits(text: str, sections: list[Section], lang: str, tax: Taxonomy, matchers: tuple[CharMatcher, WordMatcher],
          token_cues: bool, batch_size: int) -> list[list[tuple[int, int, str]]]:
    """Each section's cue hits (start, end, pattern id), sorted. Chinese phrases and regexes are matched
    over the whole text in one pass, English phrases on the stems of the sections that have Latin
    words; spaCy is loaded only when the taxonomy has `tokens` cues (spaCy Matcher tables), and runs
    only on the sections those could match."""
    chars, words = matchers
    needs_tokens = [i for i, s in enumerate(sections)
                    if token_cues and (lang != "zh" or LATIN_WORD.search(s.text))]
    out: list[list[tuple[int, int, str]]] = [[] for _ in sections]
    if needs_tokens:
        nlp, component = pipeline(lang, tax)
        for i, sdoc in zip(needs_tokens, nlp.pipe((sections[i].text for i in needs_tokens), batch_size=batch_size),
                           strict=True):
            out[i] = component(sdoc).user_data["scdocs_theme_hits"]
    tokenised = set(needs_tokens)
    rest = [i for i in range(len(sections)) if i not in tokenised]
    # The matchers pass over the stretch of text these sections span, not the whole document; the
    # hits are relative to each section either way.
    lo = min((sections[i].start for i in rest), default=0)
    hi = max((sections[i].end for i in rest), default=0)
    for i, hits in zip(rest, chars.spans(text[lo:hi], [(sections[i].start - lo, sections[i].end - lo) for i in rest]),
                       strict=True):
        if len(words) and LATIN_WORD.search(sections[i].text):
            hits += words(sections[i].text)
        out[i] = sorted((a, b, p.id) for a, b, p in hits)
    return out


#: Sections matched at a time: a long law's cue hits are never all held at once (they would take
#: about three times the text's size while found), and each pass of the matchers covers only the
#: stretch of text its sections span.
HIT_CHUNK = 1024


def _hits_in_chunks(text: str, sections: list[Section], lang: str, tax: Taxonomy,
                    matchers: tuple[CharMatcher, WordMatcher], token_cues: bool,
                    batch_size: int) -> Iterator[list[tuple[int, int, str]]]:
    """`_hits` of every section, in order, found HIT_CHUNK sections at a time."""
    for k in range(0, len(sections), HIT_CHUNK):
        yield from _hits(text, sections[k:k + HIT_CHUNK], lang, tax, matchers, token_cues, batch_size)


def _resolve(taxonomy: Taxonomy | str | Path | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    if taxonomy is not None and not isinstance(taxonomy, str | Path):
        raise TypeError(f"taxonomy must be a Taxonomy, a path to a taxonomy file or None, not "
                        f"{type(taxonomy).__name__}")
    return load_taxonomy(taxonomy)




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
    default) uses the model where one fits the taxonomy and, for the shipped model, the text is Chinese."""
    for result, sections in tag_stream(docs, taxonomy, min_score, themes, batch_size, engine, model):
        result.sections = list(sections)
        yield result


def tag_stream(docs: Iterable[Document], taxonomy: Taxonomy | str | Path | None = None,
               min_score: float | None = None, themes: Iterable[str] | None = None,
               batch_size: int = 256, engine: str = "auto", model: str | Path | ThemeModel | None = None,
               ) -> Iterator[tuple[DocumentTags, Iterator[SectionTags]]]:
    """As `tag_many`, for writers that stream: each document's result (its `sections` left empty)
    with an iterator that decides its sections one by one, so that a long law's tags are never all
    held at once. Consume each iterator before asking for the next document."""
    tax = _resolve(taxonomy)
    learned = learned_model(engine, model, tax, min_score)
    wanted = set(themes) if themes else None
    threshold = tax.settings.threshold if min_score is None else min_score
    for doc in docs:
        sections = taggable_sections(doc)
        outside, notes = tax.out_of_scope(s.text for s in sections)
        # the shipped model learned Chinese labels: `auto` tags a text in another language by the rules,
        # whose cues hold English too (an explicit --engine model or --model is the user's choice)
        fits = not (engine == "auto" and model is None and _language(doc) != "zh")
        used = learned if fits else None
        label = "rules" if learned is None else f"model ({learned.source})" if fits else \
            "rules (the built-in model knows Chinese only)"
        result = DocumentTags(doc, [], threshold if used is None else THRESHOLD, tax.sources, engine=label,
                              notes=notes)
        yield result, _decisions(doc, sections, tax, min_score, used, wanted, outside, batch_size)


def _language(doc: Document) -> str:
    """en or zh: the document's stated language, else whether its opening is written in Chinese."""
    return "en" if doc.meta.language == "en" or not writes_chinese(doc.text) else "zh"


def _decisions(doc: Document, sections: list[Section], tax: Taxonomy, min_score: float | None,
               learned: ThemeModel | None, wanted: set[str] | None, outside: frozenset[str],
               batch_size: int) -> Iterator[SectionTags]:
    """Each taggable section of `doc` with its themes, in document order."""
    index = tax.pattern_index()
    token_cues = any(p.kind == "tokens" for p in index.values())
    lang = _language(doc)
    chains = heading_chains(doc) if learned is not None else {}
    matchers = _matchers(tax)
    raws: dict[int, list[ThemeTag]] = {}
    refs: dict[str, dict[str, float]] = {}
    if learned is not None:  # the cited articles' cue scores first: a liability clause reads those it cites
        cited = cited_numbers(sections)
        idx = [i for i, s in enumerate(sections) if s.kind == "article" and s.number in cited]
        for i, hits in zip(idx, _hits_in_chunks(doc.text, [sections[i] for i in idx], lang, tax, matchers,
                                                token_cues, batch_size), strict=True):
            s = sections[i]
            text = s.text
            raws[i] = decide(text, s.start, heading_end(s, text), hits, tax, index, RAW)
        refs = referenced_scores([(sections[i], {t.id: t.score for t in r}) for i, r in raws.items()], sections)
    found = _hits_in_chunks(doc.text, sections, lang, tax, matchers, token_cues, batch_size)
    for i, (section, hits) in enumerate(zip(sections, found, strict=True)):
        raw = raws.pop(i, None)  # a long law's raw scores go as its sections are decided
        text = section.text
        tags = section_decision(text, section.start, heading_end(section, text), hits, tax, index,
                                min_score, learned, chains.get(section.eid, ()), refs.get(section.eid), raw)
        if wanted is not None or outside:
            tags = [t for t in tags if (wanted is None or t.id in wanted) and t.id not in outside]
        yield SectionTags(section, tags)
