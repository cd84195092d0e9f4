"""`scdocs search`, `scdocs index` and `scdocs batch`: full-text search and batch work at scale."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scdocs.cli import completion
from scdocs.cli.root import app, fail

if TYPE_CHECKING:
    from scdocs.corpus.batch import Outcome
    from scdocs.corpus.index import SearchIndex

JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False,
                                             help="Local processes (default: the cores available; never more).")]
BackendOpt = Annotated[str, typer.Option("--backend", help="local, or dask (needs scdocs[dask] and --scheduler).")]
SchedulerOpt = Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS",
                                                  help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")]
IndexOpt = Annotated[Path | None, typer.Option("--index", metavar="FILE",
                                               help="The SQLite index (default: in the user data directory).")]


class SearchFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _progress(console: Console, total: int) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=total < 2 or not console.is_terminal)


def _update_corpus_index(index_path: Path | None, jobs: int | None = None, engine: str = "local",
                         scheduler: str | None = None, quiet: bool = False) -> SearchIndex:
    from scdocs.corpus.batch import corpus_jobs, default_index_path, update_index
    from scdocs.corpus.index import SearchIndex

    index = SearchIndex(index_path or default_index_path())
    todo = list(corpus_jobs())
    if not todo:
        fail("no fetched documents: run `scdocs corpus fetch` (or --from DIR) first")
    err = Console(stderr=True, soft_wrap=True)
    with _progress(err, len(todo)) as progress:
        task = progress.add_task("indexing", total=len(todo))
        report = update_index(index, todo, None, jobs, engine, scheduler, prune=True,
                              on_progress=lambda: progress.advance(task))
    if not quiet or report.processed or report.removed:
        err.print(f"index: {report.processed} indexed, {report.skipped} unchanged, {report.removed} removed"
                  + (f", {len(report.failed)} failed" if report.failed else ""))
    for problem in report.failed:
        err.print(f"[yellow]warning:[/] {escape(problem)}")
    return index


@app.command()
def search(
    query: Annotated[str, typer.Argument(
        metavar="QUERY", help="Words to find (any length; no segmentation needed). Words separated by spaces "
                              "must all occur; \"quotes\" make one phrase.")],
    theme: Annotated[str | None, typer.Option("--theme", metavar="ID", autocompletion=completion.themes,
                                              help="Only sections tagged with it.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", autocompletion=completion.kinds,
                                             help="Only documents of this kind (e.g. local-regulation).")]
    = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Documents dated on or after.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Documents dated on or before.")]
    = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=1_000_000_000,
                                                            help="At most this many hits.")] = None,
    fmt: Annotated[SearchFormat, typer.Option("--format", "-f", help="table, json or jsonl.")] = SearchFormat.table,
    index: IndexOpt = None,
) -> None:
    """Full-text search over every fetched document, section by section, with citations.

    The index (SQLite FTS5, trigram tokenizer) lives in the user data directory and is
    brought up to date first, re-reading only documents that changed. With --index FILE
    (for example one that `scdocs batch` built) that index is searched as it is.

    Examples:

      scdocs search 国家安全

      scdocs search 信用修复 --kind local-regulation --since 2020-01-01

      scdocs search 平台 --theme centralization --format json
    """
    from scdocs.corpus.index import check_date, search_json, search_jsonl_lines

    since, until = check_date(since, "--since"), check_date(until, "--until")  # checked before any work
    if theme:
        from scdocs.cli.common import check_themes

        check_themes([theme], None)
    if index is None:
        idx = _update_corpus_index(None, quiet=True)
    else:  # a given index (e.g. one `scdocs batch` built) is searched as it is
        from scdocs.corpus.index import SearchIndex

        if not index.exists():
            fail(f"{index}: no such index; build it with `scdocs index --index {index}` (the fetched corpus) or "
                 f"`scdocs batch DIR --index {index}` (a folder)")
        idx = SearchIndex(index)
    with idx:
        hits = list(idx.search(query, theme, kind, since, until, limit))
        total = idx.count(query, theme, kind, since, until) if limit and len(hits) == limit else len(hits)
    if fmt is SearchFormat.json:
        print(search_json(query, hits))
        return
    if fmt is SearchFormat.jsonl:
        sys.stdout.writelines(search_jsonl_lines(query, hits))
        return
    shown = f"showing {len(hits)} of {total} sections that contain" if total > len(hits) else \
        f"{total} section{'' if total == 1 else 's'} contain{'s' if total == 1 else ''}"
    table = Table(title=f"{shown} {escape(query)!r}", title_justify="left")
    table.add_column("document", overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("section", no_wrap=True)
    table.add_column("snippet", overflow="fold")
    for h in hits:
        snippet, a, b = h.snippet(query)
        table.add_row(escape(h.doc_id), escape(h.date), escape(f"{h.num or h.eid} {h.heading or ''}".strip()),
                      escape(snippet[:a]) + "[bold red]" + escape(snippet[a:b]) + "[/]" + escape(snippet[b:]))
    Console(highlight=False).print(table)


@app.command("index")
def index_command(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the index and build it again.")] = False,
    jobs: JobsOpt = None, backend: BackendOpt = "local", scheduler: SchedulerOpt = None, index: IndexOpt = None,
) -> None:
    """Bring the search index up to date with the fetched corpus (search does this by itself).

    Example: `scdocs index --rebuild --jobs 2`
    """
    from scdocs.corpus.batch import default_index_path

    path = index or default_index_path()
    if rebuild:
        from scdocs.corpus.index import check_index_file

        check_index_file(path)  # --rebuild deletes the file: only ever an index
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    _update_corpus_index(path, jobs, backend, scheduler).close()


@app.command()
def batch(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of documents (searched recursively).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Append each new document's tags as a JSON line.")] = None,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", metavar="FILE", help="Theme taxonomy additions.")]
    = None,
    jobs: JobsOpt = None, backend: BackendOpt = "local", scheduler: SchedulerOpt = None, index: IndexOpt = None,
) -> None:
    """Tag and index every document in DIR: streaming, with progress, resumable (unchanged documents
    are skipped), on local processes or a Dask cluster. Exits 1 when a document could not be read
    (each is named; the others are indexed).

    Examples:

      scdocs batch ~/laws --jobs 2 --output tags.jsonl

      scdocs batch /data/national-db --backend dask --scheduler tcp://10.0.0.5:8786 --index /data/laws.sqlite
    """
    from scdocs.corpus.batch import DOCUMENT_SUFFIXES, default_index_path, directory_jobs, document_files, update_index
    from scdocs.corpus.index import SearchIndex
    from scdocs.themes import load_taxonomy

    if not directory.is_dir():
        fail(f"{directory}: not a folder")
    tax = str(taxonomy) if taxonomy else None
    load_taxonomy(tax)
    total = len(document_files(directory))
    if not total:
        fail(f"{directory}: no documents (.md .txt .html .json .xml .docx)")
    if output is not None:
        if not (output.parent if str(output.parent) else Path(".")).is_dir():
            fail(f"{output}: the folder {output.parent} does not exist")
        if output.resolve().is_relative_to(directory.resolve()) and output.suffix.lower() in DOCUMENT_SUFFIXES:
            fail(f"{output}: inside the folder being read; it would be read as a document next time")
    err = Console(stderr=True, soft_wrap=True)
    ignored = sum(1 for p in directory.rglob("*") if p.is_file() and p.suffix.lower() not in DOCUMENT_SUFFIXES)
    empty: list[str] = []
    try:  # JSON lines are appended, one whole line per document: an interrupted run loses nothing
        sink = output.open("a", encoding="utf-8") if output else None
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    try:
        with SearchIndex(index or default_index_path()) as idx, _progress(err, total) as progress:
            task = progress.add_task("tagging + indexing", total=total)

            def done(outcome: Outcome) -> None:
                if outcome.record is not None and not outcome.record.sections:
                    empty.append(outcome.doc_id)
                if sink is not None and outcome.tags_json:
                    sink.write(outcome.tags_json + "\n")
                    sink.flush()

            report = update_index(idx, directory_jobs(directory), tax, jobs, backend, scheduler, on_result=done,
                                  on_progress=lambda: progress.advance(task))
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    finally:
        if sink is not None:
            sink.close()
    err.print(f"{report.processed} processed, {report.skipped} unchanged (skipped), {len(report.failed)} failed"
              + (f"; {ignored} other files ignored (not .md .txt .html .json .xml .docx)" if ignored else ""))
    for problem in report.failed:
        err.print(f"[red]failed:[/] {escape(problem)}")
    if empty:
        err.print(f"[yellow]warning:[/] no numbered sections found in {len(empty)} document(s): "
                  + escape(", ".join(empty[:10])) + (" …" if len(empty) > 10 else ""))
    if report.failed:  # the others are indexed; a script must still see that some were not
        raise typer.Exit(1)
