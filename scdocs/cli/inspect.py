"""`scdocs sections`, `show` and `check`: looking at a document's structure."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from scdocs.cli.common import DocArg, counted, doc_label, find_section, load_doc
from scdocs.cli.root import app

if TYPE_CHECKING:
    from scdocs.document.model import Section


@app.command()
def sections(
    doc: DocArg,
    depth: Annotated[int, typer.Option(min=1, metavar="N", help="How many levels to show (containers count).")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outline as JSON lines.")] = False,
) -> None:
    """Show the outline of DOC as a tree: num, heading, length in characters.

    Example: `scdocs sections scs-opinions-2022 --depth 2`
    """
    d = load_doc(doc)
    if as_json:
        for s in d.walk():
            print(json.dumps({"eId": s.eid, "kind": s.kind, "num": s.num, "number": s.number,
                              "heading": s.heading, "start": s.start, "end": s.end}, ensure_ascii=False))
        return
    title = escape(doc_label(d, doc))
    tree = Tree(f"[bold]{title}[/]  [dim]{counted(len(d.units()), d.unit_kind or 'unit')}, {len(d.text):,} chars[/]")

    def add(node: Tree, section: Section, level: int) -> None:
        label = escape(section.label)
        branch = node.add(f"{label}  [dim]{section.eid} · {section.end - section.start:,} chars[/]")
        if level + 1 < depth:
            for child in section.subsections:
                add(branch, child, level + 1)

    for s in d.body:
        add(tree, s, 0)
    Console(highlight=False).print(tree)


@app.command()
def show(
    doc: DocArg,
    section: Annotated[str, typer.Argument(metavar="SECTION",
                                           help="A number (19, 二十三), a printed num (第二十三条) or an eId.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the section as JSON.")] = False,
) -> None:
    """Print one section of DOC, by number, printed num or eId.

    Example: `scdocs show scs-opinions-2022 19`
    """
    s = find_section(load_doc(doc), section, doc)
    if as_json:
        print(json.dumps({**s.to_dict(), "text": s.text}, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{escape(s.label)}[/]  [dim]{s.eid} · characters {s.start}–{s.end}[/]")
    print(s.text)  # the words as they are: never re-wrapped, so grep and copy find them


@app.command()
def check(doc: DocArg) -> None:
    """Report structure problems in DOC: numbering gaps, duplicates, numbers out of order or
    restarting where no part or chapter begins a new run; text that no section covers (outside
    the title block, preamble and closing lines); no numbered units at all.

    Exits 0 when the structure is clean and 1 when there are warnings.

    Example: `scdocs check hebei-credit-info-regs-2023`
    """
    from scdocs.document.structure import uncovered
    from scdocs.readers.common import JOINED, LEFT_OUT, SKIPPED

    d = load_doc(doc, warn=False)  # what the reader left out goes to stderr; numbering is this command's
    console = Console(highlight=False)
    units = d.units()
    console.print(f"{escape(doc_label(d, doc))}: "
                  f"{counted(len(units), d.unit_kind or 'unit')}, "
                  f"{len(d.containers())} containers")
    problems = [*(w for w in d.warnings if not w.startswith((LEFT_OUT, SKIPPED, JOINED))), *uncovered(d)]
    for w in problems:
        console.print(f"[yellow]warning:[/] {escape(w)}")
    if problems:
        raise typer.Exit(1)
    console.print("[green]numbering is consistent[/]")
