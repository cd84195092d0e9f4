"""`scdocs convert`: a document in another format (Akoma Ntoso, JSON, Markdown, text)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from scdocs.cli.common import DocArg, OutputOpt, emit, load_doc
from scdocs.cli.root import app


class Target(StrEnum):
    akn = "akn"
    json = "json"
    md = "md"
    txt = "txt"


@app.command()
def convert(
    doc: DocArg,
    to: Annotated[Target, typer.Option("--to", help="akn (Akoma Ntoso 3.0 XML), json, md or txt.")] = Target.json,
    output: OutputOpt = None,
) -> None:
    """Convert DOC to Akoma Ntoso, JSON (scdocs-document v1), Markdown or plain text.

    Examples:

      scdocs convert scs-opinions-2022 --to akn --output opinions.xml

      scdocs convert ../shared/corpus/raw/pipl-2021.md --to json
    """
    from scdocs.formats import render

    d = load_doc(doc)
    if to is Target.akn:
        from scdocs.formats.akn import to_akn

        data: str | bytes = to_akn(d)
    elif to is Target.json:
        data = render.to_json(d)
    elif to is Target.md:
        data = render.to_markdown(d)
    else:
        data = render.to_text(d)
    emit(data, output, inputs=(doc,))
