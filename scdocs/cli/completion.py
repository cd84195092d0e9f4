"""Shell completion (`scdocs --install-completion`): corpus ids, theme ids, kinds and move ids.

Each function gets what the user has typed so far and returns the known values that start
with it; they read the catalogue and the built-in taxonomy and rules, and never fail (a
completion that raised would print a traceback into the user's shell).
"""

from __future__ import annotations


def _starting(values: list[str], incomplete: str) -> list[str]:
    return [v for v in values if v.startswith(incomplete)]


def corpus_ids(incomplete: str) -> list[str]:
    """Corpus ids, fetched ones first (a path-like word is left to the shell's file completion)."""
    if "/" in incomplete or incomplete.startswith("."):
        return []
    try:
        from scdocs.corpus.catalogue import Catalogue

        cat = Catalogue.default()
        fetched = cat.fetched_ids()
        return _starting(fetched + [i for i in cat.ids() if i not in fetched], incomplete)
    except Exception:
        return []


def themes(incomplete: str) -> list[str]:
    try:
        from scdocs.themes import load_taxonomy

        return _starting(list(load_taxonomy().themes), incomplete)
    except Exception:
        return []


def kinds(incomplete: str) -> list[str]:
    from scdocs.corpus.catalogue import KINDS

    return _starting(list(KINDS), incomplete)


def moves(incomplete: str) -> list[str]:
    from scdocs.changes.rules import MOVES

    return _starting(list(MOVES), incomplete)
