"""`scdocs tag` and `scdocs themes`: what a document provides for, section by section, and why."""

from __future__ import annotations

import itertools
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scdocs.cli import completion
from scdocs.cli.common import OutputOpt, check_themes, emit, given, load_doc, output_format, select_refs
from scdocs.cli.root import app, fail
from scdocs.errors import ScdocsError
from scdocs.formats.render import percent

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from scdocs.document.model import Document
    from scdocs.themes.result import DocumentTags, SectionTags


class TagFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    annotations = "annotations"


TaxonomyOpt = Annotated[Path | None, typer.Option("--taxonomy", metavar="FILE",
                                                  help="A TOML file that adds themes or overrides patterns.")]
#: Shared with `compare` and `trend`: CSV for Excel. A file gets the BOM Excel needs to read UTF-8
#: (without it Chinese turns to mojibake); standard output does not, because what reads a pipe
#: (csvkit, pandas, awk) would take the BOM for part of the first column's name.
ExcelOpt = Annotated[bool | None, typer.Option("--excel/--no-excel",
                                               help="CSV: start with a UTF-8 byte-order mark so Excel reads the "
                                                    "Chinese right (default: yes with --output, no on standard "
                                                    "output).", show_default=False)]


def check_excel(excel: bool | None, csv: bool) -> None:
    """--excel/--no-excel is a CSV option: given with another format it would be ignored silently."""
    if excel is not None and not csv:
        fail("--excel/--no-excel is about CSV: give it with --format csv")


def excel_bom(excel: bool | None, output: Path | None) -> bool:
    """Whether a CSV gets the UTF-8 BOM: as asked, else for a file and not for standard output."""
    return output is not None if excel is None else excel


def _table(console: Console, result: DocumentTags, only_tagged: bool = False) -> None:
    """Every section with its themes and evidence; with `only_tagged` (a --theme filter), only the
    sections that carry one of the themes asked for."""
    meta = result.document.meta
    table = Table(title=escape(meta.title or meta.source), title_justify="left", show_lines=False)
    table.add_column("section", no_wrap=True)
    table.add_column("heading", overflow="fold", ratio=1)
    # ids never break mid-word, at any width; the number beside each is the model's probability, or the
    # rule tagger's cue score (which has no upper bound)
    table.add_column("theme · " + ("cue score" if result.engine == "rules" else "probability"), no_wrap=True)
    table.add_column("evidence", style="dim", ratio=2, overflow="fold")
    rows: list[tuple[str, str, str, str, str]] = []  # section, heading, theme, score, words: plain text
    for st in result.sections:
        if only_tagged and not st.themes:
            continue
        s = st.section
        if not st.themes:
            rows.append((s.name, s.heading or "", "–", "", ""))
        for i, t in enumerate(st.themes):  # one row per theme: its evidence beside it
            # words joined by 、 plus a space: the terminal wraps between cue words, not inside one
            words = "、 ".join(dict.fromkeys(e.text for e in t.evidence))
            rows.append((s.name if i == 0 else "", (s.heading or "") if i == 0 else "", t.id, f"{t.score:.2f}", words))
    if only_tagged and not rows:
        console.print(f"[dim]{escape(meta.title or meta.source)}: no section has the themes asked for[/]")
    elif len(rows) > PLAIN_ROWS:
        _plain_table(console, meta.title or meta.source, table.columns[2].header, rows)
    else:
        for num, heading, theme, score, words in rows:
            table.add_row(escape(num), escape(heading), f"{theme} [dim]{score}[/]" if score else "[dim]–[/]",
                          escape(words))
        console.print(table)
    for note in result.notes:  # themes a scope of the taxonomy left out of this document, and why
        console.print(f"[dim]note: {escape(note)}[/]")
    profile = Table(title="Document profile: sections per theme", title_justify="left")
    profile.add_column("theme")
    profile.add_column("sections", justify="right")
    profile.add_column("share", justify="right")
    total = len(result.sections) or 1
    for theme_id, n in result.profile().items():
        profile.add_row(theme_id, str(n), percent(n / total))
    console.print(profile)


#: Above this many rows the table is printed as aligned lines: rich lays out every cell of a table
#: (about 1.2 ms a row: 12,000 articles took 15 s to print, 48,000 over a minute).
PLAIN_ROWS = 2000


def _plain_table(console: Console, title: str, theme_header: object, rows: list[tuple[str, str, str, str, str]]
                 ) -> None:
    """The table's rows as aligned lines of plain text, written in pieces."""
    from rich.cells import cell_len

    def pad(text: str, width: int) -> str:
        return text + " " * max(0, width - cell_len(text))

    w_num = min(16, max(cell_len(r[0]) for r in rows))
    w_head = min(20, max(cell_len(r[1]) for r in rows))
    w_theme = min(32, max(len(r[2]) + 1 + len(r[3]) for r in rows))
    console.print(escape(title), highlight=False)
    lines = [f"{pad('section', w_num)}  {pad('heading', w_head)}  {pad(str(theme_header), w_theme)}  evidence"]
    lines += [f"{pad(num, w_num)}  {pad(heading, w_head)}  {pad(f'{theme} {score}'.rstrip(), w_theme)}  {words}"
              .rstrip() for num, heading, theme, score, words in rows]
    console.file.write("\n".join(lines) + "\n")
    console.file.flush()


@app.command()
def tag(
    docs: Annotated[list[str] | None, typer.Argument(metavar="[DOC]...", autocompletion=completion.corpus_ids,
                                                     show_default=False,
                                                     help="Corpus ids, file paths, URLs or - (stdin).")] = None,
    all_docs: Annotated[bool, typer.Option("--all", help="Tag every fetched corpus document.")] = False,
    fmt: Annotated[TagFormat | None, typer.Option(
        "--format", "-f", show_default=False,
        help="Output format; default: from --output's extension, else table.")] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", metavar="ID", autocompletion=completion.themes,
                                                    help="Only these themes (repeatable).")] = None,
    min_score: Annotated[float | None, typer.Option("--min-score", metavar="SCORE", min=0.0,
                                                    help="The rule tagger's score a theme needs (default: the "
                                                         "taxonomy's, 1.0); giving it selects the rules. The "
                                                         "learned model decides at a probability of 0.5.")]
    = None,
    taxonomy: TaxonomyOpt = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False,
                                             help="Processes for many documents (default: one per 32 documents, "
                                                  "up to the cores available; never more).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="auto (the learned model where it fits the taxonomy "
                                                          "and the text is Chinese, as the model learned), model, "
                                                          "or rules (the transparent cue-only tagger).")]
    = "auto",
    model: Annotated[Path | None, typer.Option("--model", metavar="FILE", help="A model from `scdocs train`.")]
    = None,
    backend: Annotated[str, typer.Option("--backend", help="local, or dask (needs scdocs[dask] and --scheduler).")]
    = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS",
                                                  help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    excel: ExcelOpt = None,
    output: OutputOpt = None,
) -> None:
    """Tag each section of DOC with the themes it provides for, with the evidence for every tag.

    Examples:

      scdocs tag scs-opinions-2022

      scdocs tag scs-opinions-2022 --theme party-leadership --format json

      scdocs tag --all --format csv --output tags.csv    (UTF-8 with a BOM: opens in Excel)

      scdocs tag --all --format jsonl --jobs 2 --output tags.jsonl

      scdocs tag my-rules.md --taxonomy my-themes.toml --format annotations

      scdocs tag my-rules.md --engine rules

      scdocs tag my-rules.md --model my-model.json

      scdocs tag --all --backend dask --scheduler tcp://10.0.0.5:8786 --format jsonl
    """
    fmt = output_format(fmt, TagFormat.table, output)
    from scdocs.corpus.engine import workers_for
    from scdocs.corpus.tagging import stream_documents
    from scdocs.themes import export

    check_excel(excel, fmt is TagFormat.csv)
    if scheduler and backend != "dask":  # else the address would be ignored without a word
        fail("--scheduler is the dask scheduler's address: give it with --backend dask")
    if fmt is TagFormat.table and output is not None:  # before any work
        fail("the table format prints to the terminal; choose --format json, jsonl, csv, md or annotations "
             "with --output")
    refs = select_refs(docs, all_docs)
    tax_path = str(taxonomy) if taxonomy else None
    wanted = tuple(check_themes(theme, tax_path)) if theme else ()
    err = Console(stderr=True, soft_wrap=True)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=len(refs) < 2 or not err.is_terminal) as progress:
        task = progress.add_task("tag", total=len(refs))

        failed: list[str] = []

        def readable() -> Iterator[Document]:
            """The documents that read; of several, one that does not is named and left out, and the
            others are tagged (as `batch` does), the command exiting 1 at the end."""
            for ref in refs:
                if len(refs) == 1:
                    yield load_doc(ref)
                    continue
                try:
                    yield load_doc(ref)
                except ScdocsError as exc:
                    failed.append(str(exc))
                    err.print(f"[red]failed:[/] {escape(str(exc))}", highlight=False)
                    progress.advance(task)

        docs_read = readable()
        first = next(docs_read, None)  # before any output is written: a run that reads nothing writes nothing
        if first is None:
            fail(f"none of the {len(refs)} documents could be read")

        # called here, not inside the generator below: a broken taxonomy or model fails before any output
        # (a CSV header, say) is written
        stream = stream_documents(itertools.chain([first], docs_read), tax_path, min_score, wanted,
                                  workers_for(jobs, len(refs)), backend, scheduler, engine,
                                  str(model) if model else None)

        def streamed() -> Iterator[tuple[DocumentTags, Iterable[SectionTags]]]:
            """Each document's result and its sections as they are decided; the bar moves as the
            writer finishes a document."""
            for pair in stream:
                if fmt not in (TagFormat.table, TagFormat.json):  # the formats with no place for them
                    for note in pair[0].notes:
                        err.print(f"note: {escape(pair[0].document.meta.source or pair[0].document.meta.title)}: "
                                  f"{escape(note)}", highlight=False)
                if wanted:  # only the sections with a theme asked for, as every format lists them
                    pair[0].theme_filter = wanted
                    pair = (pair[0], (st for st in pair[1] if st.themes))
                yield pair  # resumed once the writer has taken this document's sections
                if output is None:
                    sys.stdout.flush()  # a pipe reader gets each document as soon as it is tagged
                progress.advance(task)

        if fmt in (TagFormat.jsonl, TagFormat.csv):  # written as decided: a long law's tags never all held
            lines = (export.jsonl_stream(streamed()) if fmt is TagFormat.jsonl
                     else export.csv_stream(streamed(), bom=excel_bom(excel, output)))
            emit(lines, output, inputs=(*refs, *given(taxonomy, model)))
        else:
            results = []
            for result, sections in streamed():
                result.sections = list(sections)
                results.append(result)
    if fmt is TagFormat.table:
        console = Console(highlight=False)
        for r in results:
            _table(console, r, only_tagged=bool(wanted))
    elif fmt not in (TagFormat.jsonl, TagFormat.csv):
        rendered = {
            TagFormat.json: export.to_json,
            TagFormat.md: export.to_markdown,
            TagFormat.annotations: export.to_annotations,
        }[fmt](results)
        emit(rendered, output, inputs=(*refs, *given(taxonomy, model)))
    if failed:  # the others are tagged; a script must still see that some were not
        err.print(f"{len(failed)} of {len(refs)} documents could not be read and are left out", highlight=False)
        raise typer.Exit(1)


@app.command()
def themes(
    taxonomy: TaxonomyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the taxonomy as JSON.")] = False,
) -> None:
    """List the themes with their definitions and pattern counts.

    Examples:

      scdocs themes

      scdocs themes --taxonomy my-themes.toml
    """
    import json

    from scdocs.themes import load_taxonomy

    tax = load_taxonomy(str(taxonomy) if taxonomy else None)
    if as_json:
        print(json.dumps([t.to_dict() for t in tax.themes.values()], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(tax.themes)} themes ({', '.join(tax.sources)})", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("label")
    table.add_column("definition")
    table.add_column("zh", justify="right")
    table.add_column("en", justify="right")
    for t in tax.themes.values():
        counts = t.pattern_counts()
        zh, en = counts["zh"] + counts["regex"], counts["en"] + counts["tokens"]
        label = escape(f"{t.label_zh} / {t.label_en}".strip(" /"))
        table.add_row(t.id, label, escape(t.definition_en or t.definition_zh),
                      str(zh), str(en))
    Console(highlight=False).print(table)
