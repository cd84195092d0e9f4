"""`scdocs corpus …`: the catalogue of documents (list, show, fetch, add)."""

from __future__ import annotations

import typer

from . import app

corpus_app = typer.Typer(help="The catalogue of documents: list, show, fetch and add.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
