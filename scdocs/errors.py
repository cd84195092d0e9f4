"""Errors a user can act on. The command line prints their message on one line and exits 2."""

from __future__ import annotations


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
