"""The `scdocs_themes` spaCy component: theme cues as spans in ``doc.spans["themes"]``.

Chinese cues are found on characters (an Aho-Corasick automaton over ``doc.text``), never
on tokens: word segmenters split 个人信息 and 国家安全 across tokens, and the engineering
notes measured 4% of cues lost that way. English phrase cues are matched on word stems, so
inflected forms match; both with the matchers `scdocs tag` uses (scdocs.themes.matcher), so
the component and the tagger find the same cues. A taxonomy's `tokens` cues (spaCy Matcher
tables) go through spaCy's Matcher. Spans are then aligned to whatever tokens the pipeline
made; exact character offsets are kept in ``doc.user_data["scdocs_theme_hits"]``.

    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> nlp.add_pipe("scdocs_themes")          # registered by scdocs' spaCy entry point
    >>> [s.label_ for s in nlp("依法保护个人信息").spans["themes"]]
    ['personal-information']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import registry

from scdocs.document.language import writes_chinese
from scdocs.themes.decide import section_decision
from scdocs.themes.matcher import LATIN_WORD, CharMatcher, WordMatcher, stem
from scdocs.themes.model import learned_model
from scdocs.themes.taxonomy import Taxonomy, load_taxonomy

SPAN_KEY = "themes"
HITS_KEY = "scdocs_theme_hits"


class ThemeComponent:
    """Annotates a Doc with every theme cue of a taxonomy (a spaCy pipeline component)."""

    def __init__(self, nlp: Language, name: str = "scdocs_themes", taxonomy: Taxonomy | None = None,
                 engine: str | None = None) -> None:
        """`engine` (auto, model or rules) makes the component also decide the text's themes, as
        `scdocs tag` does, into ``doc.cats``; None (scdocs' own tagger) only finds the cues."""
        self.name = name
        self.taxonomy = taxonomy or load_taxonomy()
        self.patterns = self.taxonomy.pattern_index()
        self.chars = CharMatcher(self.patterns.values())
        self.words = WordMatcher(self.patterns.values())
        self.decides = engine is not None
        self.learned = learned_model(engine, None, self.taxonomy) if engine is not None else None
        self.chinese_only = engine == "auto"  # as `scdocs tag`: auto decides a text not in Chinese by the rules
        self.tokens = Matcher(nlp.vocab)
        for key, p in self.patterns.items():  # keys are pattern ids: theme|kind:value
            if p.kind == "tokens":
                assert isinstance(p.value, tuple), "a tokens pattern holds a tuple of spaCy token tables"
                self.tokens.add(key, [list(p.value)])

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        hits = [(s, e, p.id) for s, e, p in self.chars(text) + self.words(text)]
        if LATIN_WORD.search(text) and len(self.tokens):
            _stem_norms(doc)
            for match_id, start, end in self.tokens(doc):
                matched = doc[start:end]
                hits.append((matched.start_char, matched.end_char, doc.vocab.strings[match_id]))
        hits.sort()
        doc.user_data[HITS_KEY] = hits
        spans = []
        seen: set[tuple[int, int, str]] = set()  # two cues of a theme on the same words: one span
        for start, end, key in hits:
            span = doc.char_span(start, end, label=self.patterns[key].theme, alignment_mode="expand")
            if span is not None and (span.start, span.end, span.label_) not in seen:
                seen.add((span.start, span.end, span.label_))
                spans.append(Span(doc, span.start, span.end, label=span.label_, span_id=key))
        doc.spans[SPAN_KEY] = spans
        if self.decides:  # the same decision as `scdocs tag`: theme → score for the themes it provides for
            learned = None if self.chinese_only and not writes_chinese(text) else self.learned
            tags = section_decision(text, 0, 0, hits, self.taxonomy, self.patterns, None, learned)
            outside, _ = self.taxonomy.out_of_scope([text])  # the text is its own document
            doc.cats = {t.id: round(t.score, 4) for t in tags if t.id not in outside}
        return doc


def _stem_norms(doc: Doc) -> None:
    """Set each Latin word's NORM to its stem, so that `tokens` cues on NORM are inflection-blind."""
    for token in doc:
        if LATIN_WORD.match(token.text):
            token.norm_ = stem(token.lower_)


CLAUSE = re.compile(r"[^，。；、：！？,;:!?\n]+[，。；、：！？,;:!?\n]?|[，。；、：！？,;:!?\n]")


class ClauseTokenizer:
    """Splits Chinese text into clauses (up to a comma or full stop) rather than characters.

    Theme cues are found on characters whatever the tokens are, so scdocs' own pipeline needs
    no finer tokens; clause tokens make a Doc about forty times cheaper to build and read
    than one token per character (the engineering notes' measure of spaCy's cost per token).
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = CLAUSE.findall(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)


@registry.tokenizers("scdocs.ClauseTokenizer.v1")
def create_clause_tokenizer() -> Any:
    def create(nlp: Language) -> ClauseTokenizer:
        return ClauseTokenizer(nlp.vocab)

    return create


@Language.factory("scdocs_themes", default_config={"taxonomy_path": None, "engine": "auto"})
def make_theme_component(nlp: Language, name: str, taxonomy_path: str | None, engine: str) -> ThemeComponent:
    """spaCy factory: ``nlp.add_pipe("scdocs_themes", config={"taxonomy_path": "my.toml", "engine": "rules"})``.
    Cues go to ``doc.spans["themes"]``, the decision (as `scdocs tag` makes it) to ``doc.cats``."""
    return ThemeComponent(nlp, name, load_taxonomy(taxonomy_path), engine)
