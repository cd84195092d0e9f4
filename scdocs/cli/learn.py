"""`scdocs train` and `scdocs evaluate`: fit the learned tagger on your labels, and measure a tagger."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from scdocs.cli.common import given, refuse_overwriting
from scdocs.cli.root import app

if TYPE_CHECKING:
    from scdocs.document.model import Document
    from scdocs.themes.evaluate import Row, Score

LabelsArg = Annotated[list[Path], typer.Argument(metavar="LABELS.tsv...", show_default=False,
                                                 help="Label files: doc, section, themes, disputed[, part].")]
DocsOpt = Annotated[Path | None, typer.Option("--documents", metavar="DIR",
                                              help="Read each labelled doc from DIR: its file name, or that name "
                                                   "without its extension; a doc with no file there is a corpus id "
                                                   "(default: every doc is a corpus id).")]
TaxonomyOpt = Annotated[Path | None, typer.Option("--taxonomy", metavar="FILE",
                                                  help="The taxonomy the labels use (default: the built-in one).")]


def _loader(folder: Path | None) -> Callable[[str], Document]:
    """How a doc id becomes a Document: the file DIR/<id> or DIR/<id>.* when --documents is given and has
    one, else a corpus id (a user's labels may mix their own files with corpus documents)."""
    from scdocs.api import load
    from scdocs.errors import ScdocsError

    if folder is None:
        return load
    if not folder.is_dir():
        raise ScdocsError(f"{folder}: not a folder")
    files: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file():
            files.setdefault(p.name, []).append(p)
            files.setdefault(p.stem, []).append(p)

    def by_file(doc_id: str) -> Document:
        found = files.get(doc_id, [])
        if not found:
            from scdocs.corpus.catalogue import Catalogue

            if Catalogue.default().has(doc_id):
                return load(doc_id)
            raise ScdocsError(f"{folder}: no file for labelled document {doc_id!r}, and it is no corpus id (give "
                              "its file name or the name without its extension)")
        if len(found) > 1:
            raise ScdocsError(f"{folder}: labelled document {doc_id!r} could be any of "
                              f"{', '.join(p.name for p in found)}; give the file name")
        return load(found[0])

    return by_file


def _rows(labels: list[Path], known: Iterable[str]) -> list[Row]:
    from scdocs.themes.evaluate import read_gold

    return [row for path in labels for row in read_gold(path, known)]


@app.command()
def train(
    labels: LabelsArg,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="Where to write the model (JSON).")],
    taxonomy: TaxonomyOpt = None,
    documents: DocsOpt = None,
    c: Annotated[float, typer.Option("--c", min=1e-4, help="Inverse L1 regularisation strength.")] = 1.0,
) -> None:
    """Fit the learned tagger (one linear model per theme) on labelled sections and write it as a
    safe JSON file, for `scdocs tag --model FILE`. Needs scikit-learn (`pip install 'scdocs[train]'`).

    Examples:

      scdocs train my-labels.tsv --output my-model.json

      scdocs train labels/*.tsv --taxonomy my-themes.toml --documents ~/laws --output my-model.json
    """
    from scdocs.errors import ScdocsError
    from scdocs.themes import load_taxonomy
    from scdocs.themes.train import MIN_POSITIVES, examples, fit

    refuse_overwriting(output, (*map(str, labels), *given(taxonomy)))  # before any work
    tax = load_taxonomy(str(taxonomy) if taxonomy else None)
    found = examples(_rows(labels, tax.themes), _loader(documents), tax)
    model = fit(found, tax, c)
    left = sorted(set(tax.themes) - set(model.themes))
    if not model.themes:
        raise ScdocsError(f"no theme has {MIN_POSITIVES} or more labelled sections: nothing to train")
    model.source = str(output)
    model.save(output)
    n_docs = len({e.doc for e in found})
    err = Console(stderr=True, soft_wrap=True)
    err.print(f"trained on {len(found)} sections of {n_docs} documents: {len(model.themes)} themes; wrote {output}")
    if left:
        err.print(f"[yellow]warning:[/] not in the model (fewer than {MIN_POSITIVES} labelled sections, or no "
                  f"section without it): {', '.join(left)}; those themes are never tagged with this model")


@app.command()
def evaluate(
    labels: LabelsArg,
    model: Annotated[Path | None, typer.Option("--model", metavar="FILE", help="A model from `scdocs train`.")]
    = None,
    engine: Annotated[str, typer.Option("--engine", help="auto, model or rules.")] = "auto",
    taxonomy: TaxonomyOpt = None,
    documents: DocsOpt = None,
    misses: Annotated[bool, typer.Option("--misses", help="List every miss and false tag with its section.")]
    = False,
) -> None:
    """Measure a tagger on labelled sections: per-theme precision, recall and F1, the confusion
    counts per theme, and (with --misses) every miss with its section.

    Examples:

      scdocs evaluate my-labels.tsv --model my-model.json --misses

      scdocs evaluate my-labels.tsv --engine rules
    """
    from scdocs.themes import load_taxonomy
    from scdocs.themes.model import learned_model
    from scdocs.themes.train import evaluate_tagger

    tax = load_taxonomy(str(taxonomy) if taxonomy else None)
    chosen = learned_model(engine, model, tax)
    ev = evaluate_tagger(_rows(labels, tax.themes), _loader(documents), tax, chosen)
    table = Table(title=f"{'model ' + chosen.source if chosen else 'rules'} on {', '.join(map(str, labels))}",
                  title_justify="left")
    for col in ("theme", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="left" if col == "theme" else "right")
    for theme, s in sorted(ev.per_theme.items()):
        table.add_row(theme, *_prf(s), str(s.tp), str(s.fp), str(s.fn))
    m = ev.micro
    table.add_row("micro", *_prf(m), str(m.tp), str(m.fp), str(m.fn))
    console = Console(highlight=False)
    console.print(table)
    if misses:
        for doc, number, theme, kind in ev.errors:
            console.print(f"{'missed' if kind == 'fn' else 'false'}\t{doc}\t{number}\t{theme}")


def _prf(s: Score) -> tuple[str, str, str]:
    """P, R and F1 as printed: — where there is nothing to divide by (no gold positive has no recall;
    no prediction has no precision), rather than a 1.00 nobody measured."""
    p = f"{s.precision:.2f}" if s.tp + s.fp else "—"
    r = f"{s.recall:.2f}" if s.tp + s.fn else "—"
    f = f"{s.f1:.2f}" if s.tp + s.fp and s.tp + s.fn else "—"
    return p, r, f
