"""Errors a user can act on. The command line prints their message on one line and exits 2."""

from __future__ import annotations

from collections.abc import Iterable


class ScdocsError(Exception):
    """An error caused by the user's input or environment, with a one-line message."""

    exit_code = 2


class InputError(ScdocsError):
    """A document (file, URL, bytes) that cannot be read: names the source and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}" if source else problem)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        """Rebuilt from (source, problem), so that it crosses process boundaries (--jobs, Dask)."""
        return (type(self), (self.source, self.problem))


class CatalogueError(ScdocsError):
    """A corpus catalogue entry that is missing, malformed or does not match its checksum."""


def did_you_mean(value: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """` (did you mean X?)` for the known value closest to a mistyped one, or "" when none is close."""
    from difflib import get_close_matches

    close = get_close_matches(value, list(options), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]}?)" if close else ""


def unknown_value(what: str, value: str, options: Iterable[str], listing: str = "") -> ScdocsError:
    """The one-line error for a value outside a known set: the value, a did-you-mean, where to look."""
    known = list(options)
    where = f"; see `{listing}`" if listing else f"; one of {', '.join(known)}" if len(known) <= 12 else ""
    return ScdocsError(f"unknown {what} {value!r}{did_you_mean(value, known)}{where}")
