"""The flag rules of `scdocs diff` (``centralization.toml``): loading and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scdocs.datafiles import read_toml
from scdocs.errors import ScdocsError

KINDS = {"theme-gained": ("theme",), "theme-lost": ("theme",), "inserted": ("pattern",), "deleted": ("pattern",),
         "replacement": ("deleted", "inserted")}


class RulesError(ScdocsError):
    """A flag-rules file that cannot be used, naming the file, the rule and the key."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    description: str
    theme: str | None = None
    pattern: re.Pattern[str] | None = None
    deleted: re.Pattern[str] | None = None
    inserted: re.Pattern[str] | None = None


def _parse(source: str, data: dict[str, Any]) -> list[Rule]:
    if data.get("format_version", 1) != 1:
        raise RulesError(f"rules {source}: format_version {data.get('format_version')!r} is not supported")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise RulesError(f"rules {source}: 'rule' must be an array of [[rule]] tables")
    rules = []
    for n, raw in enumerate(raw_rules, start=1):
        where = f"rules {source}: rule {raw.get('id', n) if isinstance(raw, dict) else n}"
        if not isinstance(raw, dict):
            raise RulesError(f"{where}: must be a table")
        for key in ("id", "kind", "description"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise RulesError(f"{where}: missing or empty key '{key}'")
        kind = raw["kind"]
        if kind not in KINDS:
            raise RulesError(f"{where}: key 'kind' must be one of {', '.join(KINDS)}")
        unknown = set(raw) - {"id", "kind", "description", "theme", "pattern", "deleted", "inserted"}
        if unknown:
            raise RulesError(f"{where}: unknown key '{sorted(unknown)[0]}'")
        compiled: dict[str, re.Pattern[str]] = {}
        for key in KINDS[kind]:
            if key == "theme":
                if not isinstance(raw.get("theme"), str):
                    raise RulesError(f"{where}: missing key 'theme'")
                continue
            if not isinstance(raw.get(key), str):
                raise RulesError(f"{where}: missing key '{key}'")
            try:
                compiled[key] = re.compile(raw[key], re.I)
            except re.error as exc:
                raise RulesError(f"{where}: key '{key}' is not a valid regular expression ({exc})") from None
        rules.append(Rule(raw["id"], kind, raw["description"], raw.get("theme"), compiled.get("pattern"),
                          compiled.get("deleted"), compiled.get("inserted")))
    return rules


def load_rules(path: str | Path | None = None, mode: str = "extend") -> list[Rule]:
    """The built-in rules; with `path`, extended by (mode 'extend') or replaced by ('replace') that file's."""
    builtin = _parse(*read_toml("scdocs.changes", "centralization.toml", None, "rules", RulesError))
    if path is None:
        return builtin
    own = _parse(*read_toml("scdocs.changes", "centralization.toml", path, "rules", RulesError))
    if mode == "replace":
        return own
    ids = {r.id for r in own}
    return [r for r in builtin if r.id not in ids] + own
