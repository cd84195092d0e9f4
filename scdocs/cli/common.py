"""What every command shares: resolving DOC, writing output to stdout or --output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ScdocsError
from ..model import Document, Section

DocArg = Annotated[str, typer.Argument(metavar="DOC", help="A corpus id, a file path or an http(s) URL.",
                                       show_default=False)]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to FILE (atomically) instead of standard output.")]


def load_doc(ref: str) -> Document:
    """Load DOC as the API does; errors surface as one-line messages."""
    from ..api import load

    return load(ref)


def find_section(doc: Document, ref: str, label: str) -> Section:
    """A section of DOC by number, printed num or eId; a one-line error naming DOC if there is none."""
    try:
        return doc.find(ref)
    except KeyError as exc:
        raise ScdocsError(f"{label}: {exc.args[0]}") from None


def emit(data: str | bytes, output: Path | None, inputs: tuple[str, ...] = ()) -> None:
    """Print to stdout, or write FILE atomically (never over one of the command's inputs)."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    from ..fileio import write_atomic

    for ref in inputs:
        p = Path(ref)
        if p.exists() and output.exists() and p.resolve() == output.resolve():
            raise ScdocsError(f"{output}: refusing to overwrite the input document")
    write_atomic(output, data)
    from rich.console import Console

    Console(stderr=True).print(f"wrote {output}")
