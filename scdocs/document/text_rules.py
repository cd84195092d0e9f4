"""Loads the text rules (preface, closing and page-boilerplate patterns) from their data file."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def _rules() -> dict[str, Any]:
    data = resources.files("scdocs").joinpath("data/text-rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


@cache
def preface_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _rules()["preface"]["patterns"])


@cache
def closing_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _rules()["closing"]["patterns"])


@cache
def html_rules() -> tuple[frozenset[str], tuple[str, ...], tuple[re.Pattern[str], ...]]:
    """(tags to drop, class/id substrings to drop, paragraph patterns to drop)."""
    html = _rules()["html"]
    return (
        frozenset(html["drop_tags"]),
        tuple(s.lower() for s in html["drop_class_or_id"]),
        tuple(re.compile(p) for p in html["drop_text"]),
    )
