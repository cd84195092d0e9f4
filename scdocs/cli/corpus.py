"""`scdocs corpus …`: the catalogue of documents (list, show, fetch, add)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from scdocs.cli import completion
from scdocs.cli.root import app

if TYPE_CHECKING:
    from scdocs.corpus.catalogue import Catalogue, Entry

corpus_app = typer.Typer(
    help=(
        "The catalogue of documents: list, show, fetch and add.\n\n"
        "Texts are not shipped with scdocs: `fetch` copies them from an offline mirror (--from) "
        "or downloads them from pinned URLs, and keeps only bytes whose sha256 matches the catalogue.\n\n"
        "Example: `scdocs corpus fetch --from ../shared/corpus/raw`"
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(corpus_app, name="corpus")


def _catalogue() -> Catalogue:
    from scdocs.corpus.catalogue import Catalogue

    return Catalogue.default()


def _fetched_label(cat: Catalogue, entry: Entry) -> str:
    if cat.is_fetched(entry.id):
        return "yes"
    return "no" if entry.source else "none"  # none: the catalogue has no source to fetch it from


@corpus_app.command("list")
def list_entries(
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object per entry instead of a table.")] = False,
) -> None:
    """List every catalogue entry: id, date, kind, status and whether its text is fetched.

    Example: `scdocs corpus list --json`
    """
    cat = _catalogue()
    entries = cat.entries()
    if as_json:
        for e in entries:
            print(json.dumps({"id": e.id, "date": e.date, "kind": e.kind, "status": e.status,
                              "fetched": cat.is_fetched(e.id), "has_source": e.source is not None,
                              "user": e.user, "title_zh": e.title_zh, "title_en": e.title_en},
                             ensure_ascii=False))
        return
    from rich import box
    from rich.table import Table

    fetched = sum(1 for e in entries if cat.is_fetched(e.id))
    table = Table(caption=f"{len(entries)} entries, {fetched} fetched (none: no source to fetch) · "
                          f"texts in {cat.texts_dir()}",
                  caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=max(len(e.id) for e in entries) if entries else 2)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("status", no_wrap=True, min_width=8)
    table.add_column("fetched", no_wrap=True, min_width=7)
    table.add_column("kind", overflow="ellipsis", no_wrap=True)  # last: the one to shorten when narrow
    for e in entries:
        label = _fetched_label(cat, e)
        style = {"yes": "green", "no": "yellow"}.get(label, "dim")
        table.add_row(escape(e.id) + (" [dim](yours)[/]" if e.user else ""), e.date, e.status,
                      f"[{style}]{label}[/]", e.kind)
    Console(highlight=False).print(table)


@corpus_app.command()
def show(
    entry_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=completion.corpus_ids,
                                            help="A corpus id (see `scdocs corpus list`).",
                                            show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the entry as JSON.")] = False,
) -> None:
    """Show everything the catalogue says about ID: titles, issuers, lineage, source and where it is stored.

    Example: `scdocs corpus show enterprise-info-disclosure-regs-2024`
    """
    cat = _catalogue()
    e = cat.get(entry_id)
    path = cat.path(e.id)
    fetched = cat.is_fetched(e.id)
    same_work = cat.versions(e.lineage.work)
    versions = [v.id for v in same_work]
    work_date = cat.work_date(e.lineage.work)  # what the work's FRBR URI carries
    stated = any(v.lineage.first_enacted for v in same_work)
    # A user's newer version names this one in `replaces`; the shipped entry cannot know it.
    newer = [x.id for x in cat.entries() if x.lineage.replaces == e.id]
    replaced_by = e.lineage.replaced_by or ", ".join(newer)
    if as_json:
        data = e.to_dict()
        data["lineage"]["replaced_by"] = replaced_by
        data.update({"fetched": fetched, "path": str(path) if fetched else None, "entry_file": str(e.origin),
                     "versions": versions, "work_date": work_date})
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False, soft_wrap=True)

    def line(key: str, value: str) -> None:
        out.print(f"[bold]{key:<13}[/] {escape(value)}" if value else f"[bold]{key:<13}[/] [dim]—[/]")

    line("id", e.id + ("  (your own entry)" if e.user else ""))
    line("title", e.title_zh)
    line("title (en)", e.title_en)
    line("issuers", "、".join(e.issuers))
    line("date", e.date)
    line("doc number", e.doc_number)
    line("kind", e.kind)
    line("status", e.status)
    line("official url", e.official_url)
    if e.note:
        line("note", e.note)
    out.print("[bold]lineage[/]")
    line("  work", e.lineage.work)
    how = "first enacted" if stated else "its earliest catalogued version"
    line("  work date", f"{work_date}  ({how})" if work_date else "")
    line("  version of", e.lineage.version_of)
    line("  replaces", e.lineage.replaces)
    line("  replaced by", replaced_by)
    line("  versions", " → ".join(versions))
    if e.source:
        out.print("[bold]source[/]")
        line("  url", e.source.url)
        line("  file", e.source.file)
        line("  sha256", e.source.sha256)
        line("  format", e.source.format)
        line("  bytes", f"{e.source.bytes:,}")
        if e.source.note:
            line("  note", e.source.note)
        line("fetched", f"yes, at {path}" if fetched else f"no; run `scdocs corpus fetch {e.id}`")
    else:
        line("source", "none: no mirror holds this text, so it cannot be fetched")
    line("entry file", str(e.origin))


@corpus_app.command()
def fetch(
    ids: Annotated[list[str] | None, typer.Argument(metavar="ID", show_default=False,
                                                    help="Corpus ids to fetch (default: all).")] = None,
    from_dir: Annotated[Path | None, typer.Option(
        "--from", metavar="DIR", help="Copy from this offline mirror instead of downloading.")] = None,
    fetch_all: Annotated[bool, typer.Option("--all", help="Fetch every entry that has a source "
                                                           "(the default when no ids are given).")] = False,
) -> None:
    """Fetch texts into your data directory, refusing any whose sha256 differs from the catalogue.

    Prints how many were fetched, already present and failed; exits 2 if any failed.

    Examples:

      scdocs corpus fetch --from ../shared/corpus/raw

      scdocs corpus fetch pipl-2021 dsl-2021
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if ids and fetch_all:
        from scdocs.cli.root import fail

        fail("give ids or --all, not both")
    cat = _catalogue()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    total = len(set(ids)) if ids else len(cat.ids())
    with Progress(TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("", total=total)
        report = cat.fetch(ids or None, from_dir=from_dir, raise_errors=False,
                           progress=lambda i: bar.update(task, advance=1, description=i))
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"fetched {len(report.fetched)}, already present {len(report.present)}, "
              f"failed {len(report.failed)}")
    if report.skipped:
        out.print(f"[dim]skipped {len(report.skipped)} without a source: "
                  f"{escape(', '.join(i for i, _ in report.skipped))} (see `scdocs corpus show ID`)[/]")
    for _entry_id, message in report.failed:
        err.print(f"[bold red]error:[/] {escape(message)}")
    if report.failed:
        raise typer.Exit(2)


@corpus_app.command()
def add(
    source: Annotated[str, typer.Argument(metavar="FILE|URL", show_default=False,
                                          help="A document file or an http(s) URL.")],
    entry_id: Annotated[str | None, typer.Option(
        "--id", help="Its corpus id (default: from the file name).")] = None,
    title_zh: Annotated[str | None, typer.Option(
        "--title-zh", help="Chinese title (default: from the text).")] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="English title.")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="law, administrative-regulation, local-regulation, judicial-interpretation, "
                       "department-rule, opinions, plan, normative-document or other.")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="draft, in-force, amended, repealed, expired or unknown (default).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="ISO date, e.g. 2024-03-31.")] = None,
    issuer: Annotated[list[str] | None, typer.Option("--issuer", help="Issuing body (repeatable).")] = None,
    doc_number: Annotated[str | None, typer.Option(
        "--doc-number", help="发文字号, e.g. 国发〔2019〕5号.")] = None,
    official_url: Annotated[str | None, typer.Option("--official-url", help="The official page.")] = None,
    version_of: Annotated[str | None, typer.Option(
        "--version-of", metavar="ID", help="An entry this is another version of.")] = None,
    replaces: Annotated[str | None, typer.Option(
        "--replaces", metavar="ID", help="An entry this supersedes.")] = None,
) -> None:
    """Add your own document to the catalogue: it is parsed (so unreadable files are refused),
    its text stored in your data directory and an entry written beside it.

    Examples:

      scdocs corpus add ./guizhou-credit-regs.txt --id guizhou-credit-regs-2024 --kind local-regulation

      scdocs corpus add https://example.org/new-version.html --version-of shanghai-credit-regs-2017
    """
    metadata = {"title_zh": title_zh, "title_en": title_en, "kind": kind, "status": status, "date": date,
                "issuers": issuer, "doc_number": doc_number, "official_url": official_url,
                "version_of": version_of, "replaces": replaces}
    cat = _catalogue()
    entry = cat.add(source, id=entry_id, **{k: v for k, v in metadata.items() if v})
    Console(highlight=False, soft_wrap=True).print(
        f"added {escape(entry.id)}: {escape(entry.title_zh)} ({entry.kind}) · "
        f"entry {escape(str(entry.origin))}\n"
        f"use it as `scdocs sections {escape(entry.id)}`")
