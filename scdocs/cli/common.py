"""What every command shares: resolving DOC, writing output to stdout or --output."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from scdocs.cli import completion
from scdocs.document.model import Document, Section
from scdocs.errors import InputError, ScdocsError, unknown_value
from scdocs.fileio import write_in_pieces
from scdocs.formats.render import counted

if TYPE_CHECKING:
    from scdocs.annotations import Annotation
    from scdocs.themes.taxonomy import Taxonomy

DocArg = Annotated[str, typer.Argument(metavar="DOC", autocompletion=completion.corpus_ids,
                                       help="A corpus id, a file path, an http(s) URL or - (standard input).",
                                       show_default=False)]
def _stdout_dash(value: Path | None) -> Path | None:
    """`--output -` is standard output, as DOC `-` is standard input (not a file named -)."""
    return None if value is not None and str(value) == "-" else value


OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", callback=_stdout_dash,
                                                help="Write to FILE (atomically) instead of standard output "
                                                     "(- is standard output).")]


_stdin = {"read": False}  # whether this invocation has read standard input (reset by the app's callback)


def reset_stdin() -> None:
    """A new invocation: standard input has not been read yet."""
    _stdin["read"] = False


def load_doc(ref: str, warn: bool = True) -> Document:
    """Load DOC as the API does, or standard input for `-` (once per command); errors surface as
    one-line messages. Warnings that the reader left text out, or that a text had no numbered unit
    (its paragraphs taken as sections), go to stderr whatever the command, so that none uses a
    partial or guessed structure silently; `scdocs check` (warn=False) reports the structure notes
    with its other problems."""
    from scdocs.document.structure import FALLBACK_WARNING
    from scdocs.readers.common import ADDED, JOINED, LEFT_OUT, NO_BODY

    if ref == "-":
        from scdocs.readers import STDIN, read_stdin

        if _stdin["read"]:
            raise InputError(STDIN, "standard input can be read only once: give - for one DOC only")
        _stdin["read"] = True
        doc = read_stdin()
    else:
        from scdocs.api import load

        doc = load(ref, text=False)  # DOC is a corpus id, a path, a URL or -: never text itself
    shown = [w for w in doc.warnings
             if w.startswith((LEFT_OUT, NO_BODY, JOINED)) or (warn and w.startswith((FALLBACK_WARNING, ADDED)))]
    if shown:
        from rich.console import Console
        from rich.markup import escape

        err = Console(stderr=True, highlight=False, soft_wrap=True)
        for warning in shown:
            err.print(f"[yellow]warning:[/] {escape(shown_ref(doc, ref))}: {escape(warning)}")
    return doc


def anchored(ref: str, doc: Document, items: list[Annotation], kept: str = "see `scdocs annotate list`"
             ) -> list[Annotation]:
    """The annotations whose words are at their place in `doc`; the others (orphaned by a migration)
    are named in one warning on stderr, never dropped silently."""
    here = [a for a in items if a.anchors_in(doc)]
    if len(here) < len(items):
        from rich.console import Console
        from rich.markup import escape

        left = counted(len(items) - len(here), "annotation")
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[yellow]warning:[/] {escape(shown_ref(doc, ref))}: left out {left} whose words are not at their "
            f"place in this text (orphaned; {kept})")
    return here


def shown_ref(doc: Document, ref: str) -> str:
    """The DOC a user gave, as messages name it: <stdin> for -."""
    return doc.meta.source if ref == "-" else ref


def doc_label(doc: Document, ref: str) -> str:
    """How a document is named to the user: its title, else the DOC given (<stdin> for -)."""
    return doc.meta.title or shown_ref(doc, ref)


def find_section(doc: Document, ref: str, label: str) -> Section:
    """A section of DOC by number, printed num or eId; a one-line error naming DOC if there is none."""
    try:
        return doc.find(ref)
    except KeyError as exc:
        raise ScdocsError(f"{label}: {exc.args[0]}") from None


F = TypeVar("F", bound=StrEnum)
#: File extensions that name a format by another name.
_EXTENSIONS = {"markdown": "md", "htm": "html", "jsonld": "annotations"}


def output_format(given: F | None, default: F, output: Path | None) -> F:
    """The format asked for with --format; without it, the one --output's extension names (handout.docx,
    report.html, tags.csv), else `default`: a Word handout is never Markdown in a .docx file."""
    if given is not None:
        return given
    if output is not None:
        ext = output.suffix.lower().lstrip(".")
        ext = _EXTENSIONS.get(ext, ext)
        for choice in type(default):
            if choice.value == ext:
                return choice
    return default


def emit(data: str | bytes | Iterable[str], output: Path | None, inputs: tuple[str, ...] = ()) -> None:
    """Print to stdout, or write FILE atomically (never over one of the command's inputs). An
    iterable of strings is written piece by piece, never joined in memory."""
    if output is None:
        if isinstance(data, bytes):
            write_in_pieces(sys.stdout.buffer, data)
        else:
            for piece in [data] if isinstance(data, str) else data:
                write_in_pieces(sys.stdout, piece)
        return
    from scdocs.fileio import write_atomic

    refuse_overwriting(output, inputs)
    write_atomic(output, data)
    from rich.console import Console

    Console(stderr=True, soft_wrap=True).print(f"wrote {output}")


def given(*paths: Path | None) -> tuple[str, ...]:
    """The optional files a command was given (--taxonomy, --model, --rules), as `emit`'s inputs."""
    return tuple(str(p) for p in paths if p is not None)


def refuse_overwriting(output: Path, inputs: tuple[str, ...]) -> None:
    """Refuse an output file that is one of the command's inputs (a document, an annotation, labels or
    taxonomy file) or a stored corpus text: a user's data is never written over."""
    from scdocs.datafiles import default_store

    target = output.resolve()
    if output.exists() and any(p.resolve() == target for p in _read_files(inputs)):
        raise ScdocsError(f"{output}: refusing to overwrite a file this command reads (an input document, "
                          "annotation, labels or taxonomy file)")
    stores = ([Path(r) for r in inputs if Path(r).is_dir()] + [default_store()]
              + [Path(r).parent for r in inputs if r.endswith(".jsonld")])  # a store's files: their folder
    if any(target.parent == d.resolve() for d in stores if d.is_dir()):
        raise ScdocsError(f"{output}: refusing to write into an annotation store (its files are scdocs's to "
                          "keep; `annotate` commands change them); write somewhere else")
    if not output.exists():
        return
    from scdocs.corpus.catalogue import texts_dir

    if target.parent == texts_dir().resolve():
        raise ScdocsError(f"{output}: refusing to overwrite a stored corpus text (`scdocs corpus fetch` keeps "
                          "these); write somewhere else")


def _read_files(refs: tuple[str, ...]) -> list[Path]:
    """The files a command's DOC and store arguments are read from: a path as given, a corpus id's
    stored text."""
    files = []
    for ref in refs:
        p = Path(ref)
        if p.exists():
            files.append(p)
            continue
        from scdocs.corpus.catalogue import Catalogue

        cat = Catalogue.default()
        if cat.has(ref):
            files.append(cat.path(ref))
    return files


def select_refs(docs: list[str] | None, all_docs: bool, kind: str | None = None) -> list[str]:
    """DOC arguments plus the fetched corpus documents --all (or --kind KIND) adds, each once, in order."""
    from scdocs.corpus.catalogue import KINDS, Catalogue

    refs = list(docs or [])
    offer_kind = kind is not None  # commands that take --kind pass "" when it is not given
    kind = kind or None
    if all_docs or kind:
        if kind and kind not in KINDS:
            raise unknown_value("kind", kind, KINDS)
        cat = Catalogue.default()
        fetched = cat.fetched_ids(kind)
        if not fetched:
            what = f"documents of kind {kind}" if kind else "documents"
            raise ScdocsError(f"no fetched {what}: run `scdocs corpus fetch` (or --from DIR) first")
        missing = [e.id for e in cat.entries() if (not kind or e.kind == kind) and e.id not in fetched]
        if missing:
            from rich.console import Console
            from rich.markup import escape

            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[dim]left out {len(missing)} not fetched: {escape(', '.join(missing))}[/]")
        refs += fetched
    if not refs:
        raise ScdocsError("give a DOC (corpus id, file or URL)" + (", --all or --kind KIND" if offer_kind
                                                                     else " or --all"))
    return list(dict.fromkeys(refs))


def check_themes(wanted: list[str] | tuple[str, ...] | None, taxonomy: Taxonomy | str | Path | None = None
                 ) -> list[str]:
    """The requested theme ids, checked against the taxonomy (a Taxonomy or a file path), else all."""
    from scdocs.themes import Taxonomy, load_taxonomy

    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    if not wanted:
        return list(tax.themes)
    unknown = [t for t in wanted if t not in tax.themes]
    if unknown:
        raise unknown_value("theme", unknown[0], tax.themes, "scdocs themes")
    return list(dict.fromkeys(wanted))
