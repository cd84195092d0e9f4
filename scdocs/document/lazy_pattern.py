"""Regular expressions compiled on first use.

Compiling a pattern over the large character classes of Chinese numerals costs milliseconds.
Patterns that serve one rare path (the grammar of amending decisions) are declared with `lazy`
so that importing their module, which every `scdocs diff` does, compiles none of them.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    """Stands for `re.compile(pattern, flags)`, compiled when a method or attribute is first used."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern, self._flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return getattr(self._compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern that behaves as `re.compile(pattern, flags)` and is compiled on its first use."""
    return cast(re.Pattern[str], _LazyPattern(pattern, flags))
