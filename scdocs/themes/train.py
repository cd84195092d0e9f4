"""Fitting the learned layer on labelled sections, and measuring it honestly.

Labels are rows of (doc, section number, themes, disputed[, part]) as in `benchmarks/labels/`.
`fit` trains one L1-regularised logistic regression per theme (scikit-learn, needed for training
only: `pip install 'scdocs[train]'`); the L1 penalty keeps a few hundred features per theme, so
the model file stays small and every decision can be read. `cross_validate` leaves each
document out in turn, trains on the others and scores the left-out one: the figure to quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scdocs.document.model import Document, Section
from scdocs.errors import ScdocsError
from scdocs.themes.decide import RAW
from scdocs.themes.evaluate import Evaluation, Row, Score
from scdocs.themes.features import chain_text, heading_chains, referenced_scores, section_features
from scdocs.themes.model import ThemeModel, ThemeWeights, taxonomy_version
from scdocs.themes.tagger import tag
from scdocs.themes.taxonomy import Taxonomy

C = 1.0  # inverse regularisation strength, chosen once by leave-one-document-out on the dev labels (0.3, 1, 3)
THRESHOLD = 0.5
MIN_POSITIVES = 3  # a theme with fewer labelled sections gets no model (one example teaches nothing)


@dataclass
class Example:
    doc: str
    number: int
    section: Section
    features: dict[str, float]
    themes: set[str]
    disputed: set[str]
    outside: frozenset[str] = frozenset()  # themes the taxonomy's scopes leave out of its document


def _part(eid: str) -> int | None:
    m = re.match(r"part_(\d+)__", eid)
    return int(m.group(1)) if m else None


def document_features(doc: Document, taxonomy: Taxonomy) -> list[tuple[Section, dict[str, float]]]:
    """Every taggable section of a document with its features (cues scored by the rule tagger)."""
    chains = heading_chains(doc)
    raw = tag(doc, taxonomy, RAW, engine="rules")
    scored = [(st.section, {t.id: t.score for t in st.themes}) for st in raw.sections]
    refs = referenced_scores(scored)
    return [(s, section_features(s.text, chain_text(chains.get(s.eid, ())), scores, refs.get(s.eid)))
            for s, scores in scored]


def examples(rows: Iterable[Row], load: Callable[[str], Document], taxonomy: Taxonomy) -> list[Example]:
    """The labelled sections with their features; a label naming no section is an error."""
    rows = list(rows)
    by_doc: dict[str, dict[tuple[int | None, int], tuple[Section, dict[str, float]]]] = {}
    outside: dict[str, frozenset[str]] = {}
    first_row = {r.doc: r.where for r in reversed(rows)}  # where each document is first named
    for doc_id in dict.fromkeys(r[0] for r in rows):
        sections: dict[tuple[int | None, int], tuple[Section, dict[str, float]]] = {}
        try:
            document = load(doc_id)
        except ScdocsError as exc:
            raise ScdocsError(f"{_labels(first_row[doc_id])}: document {doc_id}: {exc}") from None
        featured = document_features(document, taxonomy)
        outside[doc_id] = taxonomy.out_of_scope([s.text for s, _ in featured])[0]  # as tagging decides
        for section, feats in featured:
            if section.number is not None and section.kind in ("article", "item"):
                sections.setdefault((_part(section.eid), section.number), (section, feats))
                sections.setdefault((None, section.number), (section, feats))
        by_doc[doc_id] = sections
    out = []
    seen: dict[tuple[str, int], str] = {}  # (doc, id of the section) → where it was first labelled
    for doc_id, number, themes, disputed, part, where in rows:
        found = by_doc[doc_id].get((part, number))
        if found is None:
            raise ScdocsError(f"{_labels(where)}: {doc_id} has no section {number}"
                              + (f" in part {part}" if part else ""))
        key = (doc_id, id(found[0]))
        if key in seen:  # 23 and 第二十三条 name one section: it would be trained on and scored twice
            raise ScdocsError(f"{_labels(where)}: {doc_id} section {number} is labelled already "
                              f"(at {seen[key] or 'an earlier row'}); give each section one row")
        seen[key] = where
        out.append(Example(doc_id, number, found[0], found[1], themes, disputed, outside[doc_id]))
    return out


def _labels(where: str) -> str:
    """How an error names a label: `labels FILE: line N` where it was read from a file."""
    return f"labels {where}" if where else "labels"


def _sklearn() -> tuple[Any, Any]:
    """The two scikit-learn classes training needs, imported on demand."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise ScdocsError("training needs scikit-learn, which is not installed: pip install 'scdocs[train]'") from None
    return DictVectorizer, LogisticRegression


def fit(train: list[Example], taxonomy: Taxonomy, c: float = C) -> ThemeModel:
    """One logistic regression per theme of the taxonomy; a theme with no positive label gets none."""
    DictVectorizer, LogisticRegression = _sklearn()
    vec = DictVectorizer()
    x = vec.fit_transform([e.features for e in train]).tocsr()
    # liblinear takes 32-bit sparse indices only; some SciPy builds hand out 64-bit ones
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")
    names = vec.get_feature_names_out()
    themes = {}
    for theme in taxonomy.themes:
        keep = [i for i, e in enumerate(train) if theme not in e.disputed]
        y = [int(theme in train[i].themes) for i in keep]
        if sum(y) < MIN_POSITIVES or sum(y) == len(y):
            continue
        clf = LogisticRegression(l1_ratio=1.0, solver="liblinear", C=c, class_weight="balanced", max_iter=2000,
                                 random_state=0)
        clf.fit(x[keep], y)
        weights = {str(names[j]): float(w) for j, w in enumerate(clf.coef_[0]) if abs(w) > 1e-6}
        themes[theme] = ThemeWeights(float(clf.intercept_[0]), THRESHOLD, weights)
    docs = sorted({e.doc for e in train})
    return ThemeModel(taxonomy_version(taxonomy), themes, {"sections": len(train), "documents": docs})


def predict(model: ThemeModel, feats: dict[str, float], outside: frozenset[str] = frozenset()) -> set[str]:
    """The themes the model gives a section, computed exactly as tagging computes them (`outside`:
    the themes its document's scopes leave out)."""
    return {t for t in model.positives(feats) if t not in outside}


def score(examples_: list[Example], predicted: list[set[str]]) -> Evaluation:
    """Precision, recall and F1 per theme and micro, disputed themes left out, misses listed."""
    ev = Evaluation()
    for e, pred in zip(examples_, predicted, strict=True):
        for theme in (e.themes | pred) - e.disputed:
            s = ev.per_theme.setdefault(theme, Score())
            if theme in e.themes and theme in pred:
                s.tp += 1
                ev.micro.tp += 1
            elif theme in pred:
                s.fp += 1
                ev.micro.fp += 1
                ev.errors.append((e.doc, e.number, theme, "fp"))
            else:
                s.fn += 1
                ev.micro.fn += 1
                ev.errors.append((e.doc, e.number, theme, "fn"))
    return ev


def cross_validate(all_examples: list[Example], taxonomy: Taxonomy, c: float = C,
                   with_predictions: bool = False) -> Any:
    """Leave one document out: train on the others, predict it; scored over all documents.
    With `with_predictions`, also each example's predicted themes (for scoring subsets)."""
    predicted: list[set[str]] = [set() for _ in all_examples]
    for doc in dict.fromkeys(e.doc for e in all_examples):
        model = fit([e for e in all_examples if e.doc != doc], taxonomy, c)
        for i, e in enumerate(all_examples):
            if e.doc == doc:
                predicted[i] = predict(model, e.features, e.outside)
    ev = score(all_examples, predicted)
    return (ev, predicted) if with_predictions else ev


def evaluate_tagger(rows: list[Row], load: Callable[[str], Document], taxonomy: Taxonomy,
                    model: ThemeModel | None) -> Evaluation:
    """Score a tagger on labels: the learned `model`, or the rule tagger when it is None."""
    found = examples(rows, load, taxonomy)
    if model is not None:
        return score(found, [predict(model, e.features, e.outside) for e in found])
    return score(found, [rule_themes(e, taxonomy) for e in found])


def rule_themes(example: Example, taxonomy: Taxonomy) -> set[str]:
    """The themes the rule tagger gives a labelled section, as tagging with --engine rules does."""
    threshold = taxonomy.settings.threshold
    return {f[4:] for f, v in example.features.items()
            if f.startswith("cue:") and v >= threshold and f[4:] not in example.outside}
