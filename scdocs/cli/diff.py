"""`scdocs diff`: section-level change reports between two documents."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from scdocs.cli import completion
from scdocs.cli.common import OutputOpt, emit, given, load_doc, output_format
from scdocs.cli.root import app


class DiffFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    json = "json"


class By(StrEnum):
    content = "content"
    number = "number"


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", autocompletion=completion.corpus_ids,
                                       help="The earlier (or central) document.", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", autocompletion=completion.corpus_ids,
                                       help="The later (or local) document.", show_default=False)],
    by: Annotated[By, typer.Option("--by", help="Align sections by content (robust to renumbering) or by number.")]
    = By.content,
    fmt: Annotated[DiffFormat | None, typer.Option(
        "--format", "-f", show_default=False,
        help="table (terminal), md, html or json; default: from --output's extension, else table.")] = None,
    rules: Annotated[Path | None, typer.Option("--rules", metavar="FILE",
                                               help="Move rules (TOML, format 2) to add to the built-in ones.")] = None,
    replace_rules: Annotated[bool, typer.Option("--replace-rules",
                                                help="Use only the --rules file's rules and levels, not the "
                                                     "built-in ones (fines, multiples and periods are compared "
                                                     "as numbers whatever the rules).")] = False,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", metavar="FILE",
                                                  help="Theme taxonomy additions for tagging both sides.")] = None,
    show_unchanged: Annotated[bool, typer.Option("--unchanged", help="List unchanged sections too.")] = False,
    move: Annotated[list[str] | None, typer.Option(
        "--move", metavar="ID", autocompletion=completion.moves,
        help="Report only these moves (repeatable): party-leadership, central-authority, national-system, "
             "security, enforcement, safeguard, local-discretion. The sections are all still listed.")] = None,
    show_normalisation: Annotated[bool, typer.Option(
        "--show-normalisation", help="Show changes of character width or whitespace alone (（ → ( and "
                                     "full-width digits) as edits; by default they are normalisation, not "
                                     "counted.")] = False,
    output: OutputOpt = None,
) -> None:
    """Compare OLD and NEW section by section. The report leads with the answer: the moves the
    revision made, toward the centre (party-leadership, central-authority, national-system,
    security, enforcement) or away from it (safeguard, local-discretion), each with its evidence
    and, for fines and periods, the old and new values; then the systematic changes (renamings,
    renumbered references, once each with their places); then every added, removed, renumbered,
    moved, split, merged and modified section with its text changes and themes gained and lost.

    Examples:

      scdocs diff enterprise-info-disclosure-regs-2014 enterprise-info-disclosure-regs-2024

      scdocs diff company-law-2018 company-law-2023 --format html --output company-law.html

      scdocs diff aml-law-2006 aml-law-2024 --format md --output aml.md

      scdocs diff scs-opinions-2022 shanghai-credit-regs-2017 --format json --rules my-moves.toml
    """
    fmt = output_format(fmt, DiffFormat.table, output)
    from scdocs.changes import diff_documents
    from scdocs.cli.root import fail
    from scdocs.reports.diff_text import print_diff, to_markdown

    if replace_rules and rules is None:
        fail("--replace-rules needs --rules FILE")
    from scdocs.changes.rules import MOVES
    from scdocs.errors import unknown_value

    for move_id in move or ():
        if move_id not in MOVES:
            raise unknown_value("move", move_id, MOVES)
    if fmt is DiffFormat.table and output is not None:  # before any work
        fail("the table format prints to the terminal; choose --format md, html or json with --output")
    docs = load_doc(old), load_doc(new)
    for ref, doc in zip((old, new), docs, strict=True):
        if not doc.body:  # no section at all: nothing a diff could pair
            fail(f"{ref}: no sections to compare (only a title?)")
    result = diff_documents(*docs, by=by.value,
                            taxonomy=str(taxonomy) if taxonomy else None, rules=rules,
                            rules_mode="replace" if replace_rules else "extend", normalise=not show_normalisation)
    if move:  # a filter on what is reported: the other moves are left out of every format, which say so
        result.only_moves(move)
    if fmt is not DiffFormat.table:  # the table report prints its warnings itself, at its head
        for warning in result.warnings:
            Console(stderr=True, highlight=False, soft_wrap=True).print(f"[yellow]warning:[/] {escape(warning)}")
    if fmt is DiffFormat.table:
        print_diff(result, Console(highlight=False), show_unchanged)
        return
    if fmt is DiffFormat.json:
        data = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt is DiffFormat.md:
        data = to_markdown(result, show_unchanged)
    else:
        from scdocs.reports.diff_html import render_html

        data = render_html(result)
    emit(data, output, inputs=(old, new, *given(rules, taxonomy)))
