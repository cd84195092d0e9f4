"""`scdocs amend`: carry out an amending decision on the earlier version and compare with the
consolidated text the decision publishes."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from scdocs.cli import completion
from scdocs.cli.common import OutputOpt, emit, load_doc
from scdocs.cli.root import app, print_warning


class AmendFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("amend")
def amend_command(
    old: Annotated[str, typer.Argument(metavar="OLD", autocompletion=completion.corpus_ids,
                                       help="The earlier version the decision amends.",
                                       show_default=False)],
    decision: Annotated[str, typer.Argument(metavar="DECISION", help="The amending decision (关于修改《…》的决定).",
                                            show_default=False)],
    fmt: Annotated[AmendFormat, typer.Option("--format", "-f", help="text or json.")] = AmendFormat.text,
    amended_text: Annotated[bool, typer.Option("--amended-text",
                                               help="Print OLD as amended instead of the comparison (with "
                                                    "--format json: as an scdocs-document).")] = False,
    output: OutputOpt = None,
) -> None:
    """Apply the numbered instructions of DECISION (第X条修改为…, 增加一条作为第X条, 删除第X条,
    将“A”修改为“B”, 将第X条改为第Y条) to OLD, and report article by article where the result
    differs from the consolidated text published with DECISION (after 附：).

    Exits 0 when the result is the published text, 1 when there are differences, 2 on errors
    (no instructions, an instruction naming an article OLD does not have, no consolidated text).

    Examples:

      scdocs amend spc-defaulter-list-2013 spc-defaulter-list-2017

      scdocs amend spc-defaulter-list-2013 spc-defaulter-list-2017 --format json --output check.json

      scdocs amend old-regs.md decision.md --amended-text --output amended.txt
    """
    from scdocs.changes.amend import amend
    from scdocs.cli.root import fail
    from scdocs.reports.amendments import amend_text

    result = amend(load_doc(old), load_doc(decision))
    if amended_text:
        amended = (json.dumps(result.amended.to_dict(), ensure_ascii=False, indent=2) + "\n"
                   if fmt is AmendFormat.json else result.amended.text + "\n")
        emit(amended, output, inputs=(old, decision))
        skipped = [a for a in result.amendments if a.operation == "other"]
        if skipped:
            for note in result.notes:
                if "not carried out" in note:
                    print_warning(note)
            raise typer.Exit(1)
        return
    if not result.compared:
        fail(f"{decision}: no consolidated text after the instructions to compare with "
             "(--amended-text prints OLD as amended)")
    if fmt is AmendFormat.json:
        data = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        data = amend_text(result)
    emit(data, output, inputs=(old, decision))
    if not result.identical:
        raise typer.Exit(1)
