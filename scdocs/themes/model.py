"""The learned layer: one linear model per theme over `section_features`, stored as a safe file.

The file is JSON (format ``scdocs-theme-model``): per theme a bias, a decision threshold and the
weights of the features it uses, plus the taxonomy version it was trained for. Nothing in it is
code: loading never executes anything, unlike a pickle. Applying it needs no scikit-learn: a
section's score for a theme is the bias plus the weights of the features it has, through the
logistic function. Every positive can name the features that decided it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

from scdocs.datafiles import read_user_text
from scdocs.errors import ScdocsError
from scdocs.fileio import write_atomic
from scdocs.themes.features import CLAUSE_TYPES, CUE_CAP, SectionFeatures
from scdocs.themes.taxonomy import Taxonomy

MODEL_FORMAT = "scdocs-theme-model"
MODEL_FORMAT_VERSION = 1
BUILTIN = "model.json"
_second = itemgetter(1)  # the value of an Aho-Corasick match (end, value)


class ModelError(ScdocsError):
    """A model file that cannot be used, naming the file and the problem."""


def taxonomy_version(taxonomy: Taxonomy) -> str:
    """The fingerprint a model records of the taxonomy it was trained for (`Taxonomy.version`)."""
    return taxonomy.version


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _logit(p: float) -> float:
    """The log-odds of a probability (thresholds of 0 and 1 become -inf and +inf)."""
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return math.log(p / (1.0 - p))


@dataclass
class ThemeWeights:
    bias: float
    threshold: float
    weights: dict[str, float]

    def reasons(self, feats: Mapping[str, float], most: int = 3) -> list[tuple[str, float]]:
        """The features that pushed hardest toward the theme: (feature, contribution)."""
        weights = self.weights
        if len(feats) < len(weights):  # a section has a few dozen features, a theme hundreds of weights
            found = [(f, w * v) for f, v in feats.items() if v and (w := weights.get(f, 0.0)) > 0]
        else:
            found = [(f, w * v) for f, w in weights.items() if w > 0 and (v := feats.get(f, 0.0))]
        return sorted(found, key=lambda x: (-x[1], x[0]))[:most]


@dataclass
class ThemeModel:
    taxonomy_version: str
    themes: dict[str, ThemeWeights]
    trained_on: dict[str, object] = field(default_factory=dict)
    source: str = "built-in"
    _grams: Any = field(default=None, repr=False, compare=False)
    _grams_empty: bool | None = field(default=None, repr=False, compare=False)
    _cue_feature: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _ref_feature: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _chain_features: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _headings: list[tuple[str, str]] = field(default_factory=list, repr=False, compare=False)
    _clauses: list[tuple[str, str]] = field(default_factory=list, repr=False, compare=False)
    _by_feature: dict[str, list[tuple[int, float]]] = field(default_factory=dict, repr=False, compare=False)
    _biases: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    _limits: list[tuple[str, float, float]] = field(default_factory=list, repr=False, compare=False)

    def present(self, feats: SectionFeatures) -> dict[str, float]:
        """The model's features that a section has, with their values: its n-grams found in one pass
        of an Aho-Corasick automaton over the text, the rest looked up one by one."""
        if self._grams is None:
            self._compile()
        assert self._grams is not None
        found: dict[str, float] = {}
        if self._grams_empty is False:  # an n-gram found twice is one feature: dict.fromkeys keeps the first
            found = dict.fromkeys(map(_second, self._grams.iter(feats.text)), 1.0)
        for theme, score in feats.cues.items():  # a section has a few cue scores; the model names ~14
            f = self._cue_feature.get(theme)
            if f is not None and score > 0:
                found[f] = min(score, CUE_CAP)
        for theme, score in feats.refs.items():
            f = self._ref_feature.get(theme)
            if f is not None and score > 0:
                found[f] = min(score, CUE_CAP)
        if feats.chain:
            headings = self._chain_features.get(feats.chain)
            if headings is None:  # every article of a chapter shares its chain: looked up once
                headings = [f for f, words in self._headings if words in feats.chain]
                self._chain_features[feats.chain] = headings
            for f in headings:
                found[f] = 1.0
        for f, clause in self._clauses:
            if CLAUSE_TYPES[clause].search(feats.text):
                found[f] = 1.0
        return found

    def positives(self, present: dict[str, float]) -> dict[str, float]:
        """The themes whose probability reaches their threshold, with it; the others are compared on
        the log-odds scale and never go through the logistic function (the tagger's hot path)."""
        z = self._log_odds(present)  # compiles the model on first use
        out = {}
        for i, (theme, limit, threshold) in enumerate(self._limits):
            if z[i] >= limit - 1e-9 and (p := _sigmoid(z[i])) >= threshold:
                out[theme] = p
        return out

    def _log_odds(self, present: dict[str, float]) -> list[float]:
        """Bias plus weighted features per theme (in `_limits` order), in one pass over the features
        a section has; most are n-grams of value 1, added without a multiplication."""
        if self._grams is None:
            self._compile()
        z = list(self._biases.values())
        get = self._by_feature.get
        for f, v in present.items():
            weights = get(f)
            if weights is None:
                continue
            if v == 1.0:
                for i, w in weights:
                    z[i] += w
            else:
                for i, w in weights:
                    z[i] += w * v
        return z

    def _compile(self) -> None:
        import ahocorasick

        features = {f for m in self.themes.values() for f in m.weights}
        self._by_feature = {}
        self._biases = {t: m.bias for t, m in self.themes.items()}
        self._limits = [(t, _logit(m.threshold), m.threshold) for t, m in self.themes.items()]
        for i, m in enumerate(self.themes.values()):  # themes by position: a list, not a dict, per section
            for f, w in m.weights.items():
                self._by_feature.setdefault(f, []).append((i, w))
        self._grams = ahocorasick.Automaton()
        for f in features:
            if f.startswith("g:"):
                self._grams.add_word(f[2:], f)
        self._grams_empty = len(self._grams) == 0
        if not self._grams_empty:
            self._grams.make_automaton()
        self._cue_feature = {f[4:]: f for f in sorted(features) if f.startswith("cue:")}
        self._chain_features = {}
        self._headings = [(f, f[2:]) for f in sorted(features) if f.startswith("h:")]
        self._ref_feature = {f[4:]: f for f in sorted(features) if f.startswith("ref:")}
        self._clauses = [(f, f[7:]) for f in sorted(features) if f.startswith("clause:") and f[7:] in CLAUSE_TYPES]

    def check(self, taxonomy: Taxonomy) -> None:
        """Refuse a taxonomy other than the one the model was trained for, in one line."""
        have = taxonomy_version(taxonomy)
        if have != self.taxonomy_version:
            raise ModelError(f"model {self.source}: trained for taxonomy version {self.taxonomy_version}, but this "
                             f"taxonomy is version {have}; train a model for it with `scdocs train`, or tag with "
                             "--engine rules")
        unknown = sorted(set(self.themes) - set(taxonomy.themes))
        if unknown:  # an edited file: it would tag a theme the taxonomy does not define
            raise ModelError(f"model {self.source}: theme {unknown[0]!r} is not in the taxonomy (the file was "
                             "edited?); train a model with `scdocs train`")

    def to_json(self) -> str:
        return json.dumps({
            "format": MODEL_FORMAT, "format_version": MODEL_FORMAT_VERSION,
            "taxonomy_version": self.taxonomy_version, "trained_on": self.trained_on,
            "themes": {t: {"bias": round(m.bias, 6), "threshold": m.threshold,
                           "weights": {f: round(w, 6) for f, w in sorted(m.weights.items())}}
                       for t, m in sorted(self.themes.items())},
        }, ensure_ascii=False, indent=1) + "\n"

    def save(self, path: str | Path) -> None:
        write_atomic(Path(path), self.to_json())


def _parse(text: str, source: str) -> ThemeModel:
    try:
        data = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except ValueError as exc:
        raise ModelError(f"model {source}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ModelError(f"model {source}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"model {source}: not an {MODEL_FORMAT} file")
    if data.get("format_version") != MODEL_FORMAT_VERSION:
        raise ModelError(f"model {source}: format_version {data.get('format_version')!r} is not supported")
    themes = {}
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, dict) or not isinstance(data.get("taxonomy_version"), str):
        raise ModelError(f"model {source}: missing 'themes' or 'taxonomy_version'")
    for theme, raw in raw_themes.items():
        try:
            weights = {str(f): float(w) for f, w in raw["weights"].items()}
            themes[theme] = ThemeWeights(float(raw["bias"]), float(raw["threshold"]), weights)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ModelError(f"model {source}: theme {theme!r} needs numeric 'bias', 'threshold' and "
                             "'weights'") from None
    trained = data.get("trained_on", {})
    return ThemeModel(data["taxonomy_version"], themes, trained if isinstance(trained, dict) else {}, source)


def load_model(path: str | Path | None = None) -> ThemeModel:
    """The shipped model, or a user's model file."""
    if path is None:
        return _builtin()
    return _parse(read_user_text(path, "model", ModelError), str(path))


_CACHE: dict[str, ThemeModel] = {}


def _builtin() -> ThemeModel:
    if "builtin" not in _CACHE:
        text = resources.files("scdocs.themes").joinpath(BUILTIN).read_text(encoding="utf-8")
        _CACHE["builtin"] = _parse(text, "built-in")
    return _CACHE["builtin"]


ENGINES = ("auto", "model", "rules")


def learned_model(engine: str, model: str | Path | ThemeModel | None, taxonomy: Taxonomy,
                  min_score: float | None = None) -> ThemeModel | None:
    """The model an engine uses: none for `rules`; for `model` the given or shipped one, checked
    against the taxonomy; for `auto` the same where it fits the taxonomy and no --min-score (a
    rule-tagger setting) is asked for, else none."""
    if engine not in ENGINES:
        raise ScdocsError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if min_score is not None and not (math.isfinite(min_score) and min_score >= 0):
        raise ScdocsError(f"--min-score {min_score} is not a score (a number of 0 or more)")
    if engine == "model" and min_score is not None:
        raise ScdocsError("--min-score is the rule tagger's threshold; the learned model decides at a probability "
                          "of 0.5: drop --min-score, or use --engine rules")
    if engine == "rules":
        if model is not None:
            raise ScdocsError("--model is a learned model; it cannot be used with --engine rules")
        return None
    if engine == "auto" and min_score is not None and model is None:
        return None
    found = model if isinstance(model, ThemeModel) else load_model(model)
    if engine == "auto" and model is None and found.taxonomy_version != taxonomy_version(taxonomy):
        return None  # the shipped model belongs to the built-in taxonomy: a user's taxonomy gets the rules
    found.check(taxonomy)
    return found
