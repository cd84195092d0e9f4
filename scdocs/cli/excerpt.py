"""`scdocs excerpt`: annotated excerpts with citations for handouts."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from scdocs.cli import completion
from scdocs.cli.common import (
    OutputOpt,
    anchored,
    check_themes,
    counted,
    emit,
    given,
    load_doc,
    output_format,
    select_refs,
)
from scdocs.cli.root import app, fail

if TYPE_CHECKING:
    from scdocs.reports.excerpts import Excerpt


class HandoutFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    json = "json"


@app.command()
def excerpt(
    docs: Annotated[list[str] | None, typer.Argument(metavar="[DOC]...", autocompletion=completion.corpus_ids,
                                                     show_default=False,
                                                     help="Corpus ids, file paths, URLs or - (stdin).")] = None,
    all_docs: Annotated[bool, typer.Option("--all", help="Every fetched corpus document.")] = False,
    theme: Annotated[list[str] | None, typer.Option("--theme", metavar="ID", autocompletion=completion.themes,
                                                    help="Sections tagged with a theme.")]
    = None,
    section: Annotated[list[str] | None, typer.Option("--section", metavar="REF",
                                                      help="Sections by number, printed num or eId.")] = None,
    query: Annotated[str | None, typer.Option("--query", metavar="TEXT",
                                              help="Sections containing the text: words separated by spaces "
                                                   "must all occur, \"quotes\" make one phrase (as in search).")]
    = None,
    annotated: Annotated[bool, typer.Option("--annotated", help="Sections that carry annotations.")] = False,
    fmt: Annotated[HandoutFormat | None, typer.Option(
        "--format", "-f", show_default=False,
        help="md, html (print-ready), docx or json; default: from --output's extension, else md.")] = None,
    title: Annotated[str, typer.Option("--title", help="The handout's title.")] = "Excerpts",
    store: Annotated[Path | None, typer.Option("--store", metavar="DIR", help="Annotation folder.")] = None,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", metavar="FILE", help="Theme taxonomy additions.")]
    = None,
    output: OutputOpt = None,
) -> None:
    """Pull sections into a handout: by theme, section, text or annotation, each with its citation,
    its theme evidence highlighted and its annotations as notes.

    A section must meet every kind of criterion given (--theme T --section 23: section 23, if it
    has T); a repeated --theme or --section offers alternatives (--section 19 --section 23: both).

    Examples:

      scdocs excerpt --all --theme party-leadership --format html --output party.html

      scdocs excerpt scs-opinions-2022 --section 19 --section 23 --format docx --output handout.docx

      scdocs excerpt shanghai-credit-regs-2017 --annotated --store annotations
    """
    fmt = output_format(fmt, HandoutFormat.md, output)
    from scdocs.annotations import AnnotationStore
    from scdocs.document.query import search_terms
    from scdocs.reports import handout
    from scdocs.reports.excerpts import Selection, select
    from scdocs.themes import load_taxonomy, tag_many

    if not (theme or section or query or annotated):
        fail("choose what to excerpt: --theme, --section, --query or --annotated")
    if fmt is HandoutFormat.docx and output is None:
        fail("--format docx writes a Word file: give --output FILE.docx")
    refs = select_refs(docs, all_docs)
    tax = load_taxonomy(str(taxonomy) if taxonomy else None)
    check_themes(theme, tax)
    if query is not None and not search_terms(query):
        fail("--query needs a word to look for")
    sel = Selection(tuple(theme or ()), tuple(section or ()), query, annotated)
    notes_store = AnnotationStore(store)
    documents = [load_doc(r) for r in refs]
    for ref in section or ():  # before any tagging
        if not any(doc.find_all(ref) for doc in documents):
            fail(f"no section {ref!r} in {', '.join(refs) if len(refs) < 4 else f'the {len(refs)} documents'}")
    excerpts = []
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for ref, doc, tags in zip(refs, documents, tag_many(documents, tax), strict=True):
        notes = anchored(ref, doc, notes_store.load(doc))
        found = select(doc, tags, notes, sel)
        excerpts += found
        if annotated:  # a note across two sections lies in no excerpt: said, never dropped silently
            shown = {a.id for e in found for a in e.notes}
            stray = [a for a in notes if a.id not in shown and a.anchors_in(doc)]
            if stray and not (theme or section or query):
                err.print(f"[yellow]warning:[/] {escape(ref)}: left out {counted(len(stray), 'annotation')} whose "
                          "words span two sections "
                          f"({', '.join(a.id.removeprefix('urn:uuid:')[:8] for a in stray[:5])})")
    n = len(excerpts)
    searched = len(documents)
    found_in = len({id(e.document) for e in excerpts})
    source = (f"{found_in} document{'' if found_in == 1 else 's'}" if found_in == searched
              else f"{found_in} of {searched} documents searched")
    err.print(f"{n} excerpt{'' if n == 1 else 's'} from {source}")
    if not n and sum(map(bool, (theme, section, query, annotated))) > 1:
        err.print("[yellow]warning:[/] no section meets every criterion given; a section must meet them all "
                  "(--theme, --section, --query, --annotated)")
    renderers: dict[HandoutFormat, Callable[[list[Excerpt], str], str | bytes]] = {
        HandoutFormat.md: handout.to_markdown, HandoutFormat.html: handout.to_html,
        HandoutFormat.docx: handout.to_docx, HandoutFormat.json: handout.to_json}
    render = renderers[fmt]
    # every excerpt carries its notes, so the annotation files are read with or without --annotated
    stores = tuple(str(notes_store.path_for(d)) for d in documents)
    # never over a document, annotation file or taxonomy it read
    emit(render(excerpts, title), output, inputs=(*refs, *stores, *given(taxonomy)))
