"""The theme taxonomy: loading, validating and merging the data file(s).

The fourteen core themes ship in ``taxonomy.toml``; a user file given with ``--taxonomy``
adds themes or changes existing ones. Every problem in a file is reported with the file,
the theme and the key, so a user can fix it without reading code.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from scdocs.datafiles import read_toml
from scdocs.errors import ScdocsError

CORE_THEME_IDS = (
    "party-leadership", "national-security", "personal-information", "data-security", "centralization",
    "local-experimentation", "blacklisting", "joint-punishment", "rewards-incentives", "financial-credit",
    "information-sharing", "rights-protection", "government-integrity", "credit-supervision",
)
PATTERN_KINDS = ("zh", "regex", "en", "tokens")
THEME_ID = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
TEXT_FIELDS = ("label_zh", "label_en", "definition_zh", "definition_en")


class TaxonomyError(ScdocsError):
    """A taxonomy file that cannot be used, naming the file, theme and key."""


@dataclass(frozen=True)
class Pattern:
    """One cue for a theme. `key` names it in evidence (``zh:个人信息``, ``en:joint punishment``)."""

    theme: str
    kind: str
    value: str | tuple[Any, ...]
    weight: float

    @cached_property
    def key(self) -> str:
        """How evidence names the pattern (the same cue may serve several themes)."""
        if self.kind == "tokens":
            return f"tokens:{_token_repr(self.value)}"
        return f"{self.kind}:{self.value}"

    @cached_property
    def id(self) -> str:
        """Unique within a taxonomy: the theme and the key (computed once: the tagger reads it per hit)."""
        return f"{self.theme}|{self.key}"


def _token_repr(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Theme:
    id: str
    label_zh: str
    label_en: str
    definition_zh: str
    definition_en: str
    patterns: tuple[Pattern, ...]

    def pattern_counts(self) -> dict[str, int]:
        """How many patterns of each kind (zh, regex, en, tokens) the theme has."""
        return {k: sum(1 for p in self.patterns if p.kind == k) for k in ("zh", "regex", "en", "tokens")}

    def to_dict(self) -> dict[str, object]:
        """The theme as `scdocs themes --json` lists it: labels, definitions, pattern counts."""
        return {"id": self.id, "label_zh": self.label_zh, "label_en": self.label_en,
                "definition_zh": self.definition_zh, "definition_en": self.definition_en,
                "patterns": self.pattern_counts()}


# Regex syntax whose result depends on what lies outside a match (anchors, lookaround, word
# boundaries): such a regex may match in a substring where it does not in the whole, or the reverse.
_CONTEXT_SENSITIVE = re.compile(r"\(\?<?[=!]|\\[bBAZ]|\$|(?<!\[)\^")


def context_sensitive(regex: re.Pattern[str]) -> bool:
    """Whether a match of `regex` may depend on text outside it, so that it must be matched on each
    section (or sentence) alone rather than once over a whole text."""
    return bool(_CONTEXT_SENSITIVE.search(regex.pattern))


@dataclass(frozen=True)
class Context:
    """A clause in which matches count less (purpose, scope and definition clauses)."""

    id: str
    regex: re.Pattern[str]
    factor: float
    themes: frozenset[str] | None = None  # None: every theme

    @cached_property
    def sensitive(self) -> bool:
        """`context_sensitive(regex)`, computed once."""
        return context_sensitive(self.regex)


@dataclass(frozen=True)
class Scope:
    """Themes that belong to one subject (the credit system): they apply only in a document where
    at least `min_share` of the sections mention it (`regex`), so a civil procedure law's rights of
    litigants are not read as safeguards for the subjects of the credit system."""

    id: str
    regex: re.Pattern[str]
    min_share: float
    themes: frozenset[str]

    def left_out(self, hits: int, sections: int) -> str | None:
        """Why this scope's themes do not apply to a document where `hits` of its `sections` mention
        the scope, or None."""
        if not sections or hits >= self.min_share * sections:
            return None
        return (f"{', '.join(sorted(self.themes))} left out: {hits} of {sections} sections mention "
                f"{self.id} (under {self.min_share:.0%})")


@dataclass(frozen=True)
class Settings:
    threshold: float = 1.0
    heading_factor: float = 2.0
    repeat_cap: float = 1.2


@dataclass(frozen=True)
class Taxonomy:
    themes: dict[str, Theme]
    settings: Settings = Settings()
    contexts: tuple[Context, ...] = ()
    sources: tuple[str, ...] = field(default=())
    scopes: tuple[Scope, ...] = ()

    def out_of_scope(self, texts: Iterable[str]) -> tuple[frozenset[str], list[str]]:
        """The themes that do not apply to a document of these section texts, and why (the texts are
        read once, one at a time: a long law's sections need not be sliced all at once)."""
        themes: set[str] = set()
        notes: list[str] = []
        if not self.scopes:
            return frozenset(), notes
        hits = [0] * len(self.scopes)
        sections = 0
        for text in texts:
            sections += 1
            for i, scope in enumerate(self.scopes):
                if scope.regex.search(text):
                    hits[i] += 1
        for scope, n in zip(self.scopes, hits, strict=True):
            why = scope.left_out(n, sections)
            if why is not None:
                themes |= scope.themes
                notes.append(why)
        return frozenset(themes), notes

    def patterns(self) -> list[Pattern]:
        return [p for t in self.themes.values() for p in t.patterns]

    def pattern_index(self) -> dict[str, Pattern]:
        return {p.id: p for p in self.patterns()}

    @cached_property
    def version(self) -> str:
        """A fingerprint of what a learned model depends on: the theme ids and every pattern with
        its weight (computed once; a changed taxonomy is a new object with its own)."""
        items = sorted((p.theme, p.key, round(p.weight, 6)) for p in self.patterns())
        data = json.dumps([sorted(self.themes), items], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def _fail(source: str, where: str, problem: str) -> TaxonomyError:
    return TaxonomyError(f"taxonomy {source}: {where}: {problem}")


def _number(source: str, where: str, value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(source, where, f"key '{key}' must be a number, not {value!r}")
    if not math.isfinite(value):  # TOML's inf and nan: a score of Infinity is no JSON, nan never fires
        raise _fail(source, where, f"key '{key}' must be a finite number, not {value!r}")
    if value < 0:
        raise _fail(source, where, f"key '{key}' must not be negative")
    return float(value)


def _patterns(source: str, theme_id: str, raw: object, key: str) -> tuple[Pattern, ...]:
    where = f"theme '{theme_id}'"
    if not isinstance(raw, list):
        raise _fail(source, where, f"key '{key}' must be a list of pattern tables")
    out = []
    for i, item in enumerate(raw, start=1):
        pwhere = f"{where}: {key}[{i}]"
        if not isinstance(item, dict):
            raise _fail(source, pwhere, "a pattern must be a table like { zh = \"…\", weight = 1.0 }")
        kinds = [k for k in PATTERN_KINDS if k in item]
        unknown = set(item) - set(PATTERN_KINDS) - {"weight"}
        if unknown:
            raise _fail(source, pwhere, f"unknown key '{sorted(unknown)[0]}' (use one of {', '.join(PATTERN_KINDS)} "
                                        "and weight)")
        if len(kinds) != 1:
            raise _fail(source, pwhere, f"needs exactly one of the keys {', '.join(PATTERN_KINDS)}")
        kind = kinds[0]
        value = item[kind]
        if "weight" not in item:
            raise _fail(source, pwhere, "missing key 'weight'")
        weight = _number(source, pwhere, item["weight"], "weight")
        if kind == "tokens":
            if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
                raise _fail(source, pwhere, "key 'tokens' must be a non-empty list of spaCy token tables")
            out.append(Pattern(theme_id, kind, tuple(value), weight))
            continue
        if not isinstance(value, str) or not value.strip():
            raise _fail(source, pwhere, f"key '{kind}' must be a non-empty string")
        if kind == "regex":
            try:
                re.compile(value)
            except re.error as exc:
                raise _fail(source, pwhere, f"key 'regex' is not a valid regular expression ({exc})") from None
        out.append(Pattern(theme_id, kind, value.strip(), weight))
    return tuple(out)


def _read(path: Path | None) -> tuple[str, dict[str, Any]]:
    return read_toml("scdocs.themes", "taxonomy.toml", path, "taxonomy", TaxonomyError)


def _merge(base: Taxonomy | None, source: str, data: dict[str, Any]) -> Taxonomy:
    version = data.get("format_version", 1)
    if version != 1:
        raise _fail(source, "format_version", f"version {version!r} is not supported (this scdocs reads 1)")
    themes = dict(base.themes) if base else {}
    raw_themes = data.get("themes", {})
    if not isinstance(raw_themes, dict):
        raise _fail(source, "themes", "must be a table of [themes.ID] tables")
    for theme_id, raw in raw_themes.items():
        where = f"theme '{theme_id}'"
        if not THEME_ID.match(theme_id):
            raise _fail(source, where, "ids are 2 to 64 lowercase letters, digits and hyphens, starting with a letter")
        if not isinstance(raw, dict):
            raise _fail(source, where, "must be a table")
        unknown = set(raw) - set(TEXT_FIELDS) - {"patterns", "add_patterns"}
        if unknown:
            raise _fail(source, where, f"unknown key '{sorted(unknown)[0]}'")
        for key in TEXT_FIELDS:
            if key in raw and not isinstance(raw[key], str):
                raise _fail(source, where, f"key '{key}' must be a string")
        old = themes.get(theme_id)
        if old is None:
            if "patterns" not in raw and "add_patterns" not in raw:
                raise _fail(source, where, "a new theme needs the key 'patterns'")
            if "label_en" not in raw and "label_zh" not in raw:
                raise _fail(source, where, "a new theme needs 'label_en' or 'label_zh'")
            old = Theme(theme_id, "", "", "", "", ())
        patterns = _patterns(source, theme_id, raw["patterns"], "patterns") if "patterns" in raw else old.patterns
        if "add_patterns" in raw:
            patterns = patterns + _patterns(source, theme_id, raw["add_patterns"], "add_patterns")
        themes[theme_id] = replace(old, patterns=patterns, **{k: raw[k] for k in TEXT_FIELDS if k in raw})
    settings = base.settings if base else Settings()
    if "settings" in data:
        raw = data["settings"]
        if not isinstance(raw, dict):
            raise _fail(source, "settings", "must be a table")
        unknown = set(raw) - {"threshold", "heading_factor", "repeat_cap"}
        if unknown:
            raise _fail(source, "settings", f"unknown key '{sorted(unknown)[0]}'")
        settings = replace(settings, **{k: _number(source, "settings", v, k) for k, v in raw.items()})
    contexts = list(base.contexts) if base else []
    for i, raw in enumerate(data.get("context", []), start=1):
        where = f"context[{i}]"
        if not isinstance(raw, dict) or not all(k in raw for k in ("id", "pattern", "factor")):
            raise _fail(source, where, "needs the keys 'id', 'pattern' and 'factor'")
        limited = raw.get("themes")
        if limited is not None and not (isinstance(limited, list) and all(isinstance(t, str) for t in limited)):
            raise _fail(source, where, "key 'themes' must be a list of theme ids")
        try:
            regex = re.compile(raw["pattern"])
        except (re.error, TypeError) as exc:
            raise _fail(source, where, f"key 'pattern' is not a valid regular expression ({exc})") from None
        contexts = [c for c in contexts if c.id != raw["id"]]
        contexts.append(Context(str(raw["id"]), regex, _number(source, where, raw["factor"], "factor"),
                                frozenset(limited) if limited is not None else None))
    scopes = list(base.scopes) if base else []
    for i, raw in enumerate(data.get("scope", []), start=1):
        where = f"scope[{i}]"
        if not isinstance(raw, dict) or not all(k in raw for k in ("id", "pattern", "min_share", "themes")):
            raise _fail(source, where, "needs the keys 'id', 'pattern', 'min_share' and 'themes'")
        listed = raw["themes"]
        if not (isinstance(listed, list) and all(isinstance(t, str) for t in listed)):
            raise _fail(source, where, "key 'themes' must be a list of theme ids")
        unknown_themes = [t for t in listed if t not in themes]
        if unknown_themes:
            raise _fail(source, where, f"key 'themes' names unknown theme {unknown_themes[0]!r}")
        try:
            regex = re.compile(raw["pattern"])
        except (re.error, TypeError) as exc:
            raise _fail(source, where, f"key 'pattern' is not a valid regular expression ({exc})") from None
        share = _number(source, where, raw["min_share"], "min_share")
        if share > 1:
            raise _fail(source, where, "key 'min_share' is a share of sections, from 0 to 1")
        scopes = [c for c in scopes if c.id != raw["id"]]
        scopes.append(Scope(str(raw["id"]), regex, share, frozenset(listed)))
    sources = (base.sources if base else ()) + (source,)
    return Taxonomy(themes, settings, tuple(contexts), sources, tuple(scopes))


_BUILTIN: Taxonomy | None = None
_FILES: dict[tuple[str, int, int], Taxonomy] = {}


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The built-in taxonomy, extended or overridden by the file at `path` if given."""
    global _BUILTIN
    if _BUILTIN is None:
        source, data = _read(None)
        _BUILTIN = _merge(None, source, data)
        missing = set(CORE_THEME_IDS) - set(_BUILTIN.themes)
        if missing:  # a broken install, not a user error
            raise TaxonomyError(f"built-in taxonomy lacks the core themes {sorted(missing)}")
    if path is None:
        return _BUILTIN
    try:  # one Taxonomy object per unchanged file, so pipelines built for it are reused
        stat = Path(path).stat()
        key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _FILES:
        return _FILES[key]
    source, data = _read(Path(path))
    taxonomy = _merge(_BUILTIN, source, data)
    if key is not None:
        _FILES[key] = taxonomy
    return taxonomy
