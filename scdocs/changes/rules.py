"""The move rules of `scdocs diff` (``moves.toml``): loading and validation.

Format 2 replaced the flag rules of format 1 (theme-gained/theme-lost/inserted/deleted flags):
a format-1 file is refused with a message that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scdocs.datafiles import read_toml
from scdocs.errors import ScdocsError

MOVES = {"party-leadership": "toward", "central-authority": "toward", "national-system": "toward",
         "security": "toward", "enforcement": "toward", "safeguard": "away", "local-discretion": "away"}
KINDS = {"gained": ("pattern",), "lost": ("pattern",), "replacement": ("deleted", "inserted")}
FORMAT_VERSION = 2


class RulesError(ScdocsError):
    """A move-rules file that cannot be used, naming the file, the rule and the key."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    move: str
    description: str
    pattern: re.Pattern[str] | None = None
    deleted: re.Pattern[str] | None = None
    inserted: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Level:
    """A rank of responsible bodies (national 4 … county 1) and the pattern that finds them."""

    name: str
    rank: int
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class MoveRules:
    rules: tuple[Rule, ...]
    levels: tuple[Level, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


def _regex(where: str, key: str, value: object) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise RulesError(f"{where}: missing key '{key}'")
    try:
        return re.compile(value, re.I)
    except re.error as exc:
        raise RulesError(f"{where}: key '{key}' is not a valid regular expression ({exc})") from None


def _rule(where: str, raw: object) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: must be a table")
    for key in ("id", "kind", "move", "description"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RulesError(f"{where}: missing or empty key '{key}'")
    if raw["kind"] not in KINDS:
        raise RulesError(f"{where}: key 'kind' must be one of {', '.join(KINDS)}")
    if raw["move"] not in MOVES:
        raise RulesError(f"{where}: key 'move' must be one of {', '.join(MOVES)}")
    unknown = set(raw) - {"id", "kind", "move", "description", "pattern", "deleted", "inserted"}
    if unknown:
        raise RulesError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    compiled = {key: _regex(where, key, raw.get(key)) for key in KINDS[raw["kind"]]}
    return Rule(raw["id"], raw["kind"], raw["move"], raw["description"], compiled.get("pattern"),
                compiled.get("deleted"), compiled.get("inserted"))


def _level(where: str, raw: object) -> Level:
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: must be a table")
    if not isinstance(raw.get("name"), str) or not raw["name"]:
        raise RulesError(f"{where}: missing or empty key 'name'")
    if not isinstance(raw.get("rank"), int) or isinstance(raw["rank"], bool):
        raise RulesError(f"{where}: key 'rank' must be an integer")
    return Level(raw["name"], raw["rank"], _regex(where, "pattern", raw.get("pattern")))


def _parse(source: str, data: dict[str, Any]) -> MoveRules:
    unknown = sorted(set(data) - {"format_version", "rule", "level"})
    if unknown:  # [[rules]] for [[rule]]: its rules would silently not apply
        raise RulesError(f"rules {source}: unknown key or table '{unknown[0]}' (a rules file holds format_version, "
                         "[[rule]] and [[level]] tables)")
    if "format_version" not in data:
        raise RulesError(f"rules {source}: missing key 'format_version' (this version reads {FORMAT_VERSION})")
    if not data.get("rule") and not data.get("level"):
        raise RulesError(f"rules {source}: no [[rule]] or [[level]] tables")
    version = data["format_version"]
    if version == 1:
        raise RulesError(f"rules {source}: format_version 1 (flag rules) is replaced by move rules, format_version "
                         "2: see the top of scdocs/changes/moves.toml")
    if version != FORMAT_VERSION:
        raise RulesError(f"rules {source}: format_version {version!r} is not supported")
    for key in ("rule", "level"):
        if not isinstance(data.get(key, []), list):
            raise RulesError(f"rules {source}: '{key}' must be an array of [[{key}]] tables")
    rules = tuple(_rule(f"rules {source}: rule {r.get('id', n) if isinstance(r, dict) else n}", r)
                  for n, r in enumerate(data.get("rule", []), start=1))
    levels = tuple(_level(f"rules {source}: level {lv.get('name', n) if isinstance(lv, dict) else n}", lv)
                   for n, lv in enumerate(data.get("level", []), start=1))
    for kind, names in (("rule", [r.id for r in rules]), ("level", [lv.name for lv in levels])):
        twice = next((n for k, n in enumerate(names) if n in names[:k]), None)
        if twice is not None:
            raise RulesError(f"rules {source}: two [[{kind}]] tables are named '{twice}'")
    return MoveRules(rules, levels)


def load_rules(path: str | Path | None = None, mode: str = "extend") -> MoveRules:
    """The built-in rules; with `path`, extended by (mode 'extend') or replaced by ('replace') that file's.
    Levels work the same way, by name."""
    builtin = _parse(*read_toml("scdocs.changes", "moves.toml", None, "rules", RulesError))
    if path is None:
        return builtin
    own = _parse(*read_toml("scdocs.changes", "moves.toml", path, "rules", RulesError))
    if mode == "replace":
        return own
    ids, names = {r.id for r in own.rules}, {lv.name for lv in own.levels}
    return MoveRules(tuple(r for r in builtin.rules if r.id not in ids) + own.rules,
                     tuple(lv for lv in builtin.levels if lv.name not in names) + own.levels)
