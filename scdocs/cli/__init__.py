"""The `scdocs` command: a Typer app that wires the library to files and the terminal.

The app, its global options and the error boundary are in `scdocs.cli.app`; each command group
lives in a module of its own and registers on the app when imported here. The commands parse
options, call the library and print: they hold no decision a Python user would also need.
"""

from __future__ import annotations

from scdocs.cli import amend, annotate, convert, corpus, diff, excerpt, inspect, learn, search, tag, views
from scdocs.cli.app import app, fail, main

__all__ = ["amend", "annotate", "app", "convert", "corpus", "diff", "excerpt", "fail", "inspect", "learn", "main",
           "search", "tag", "views"]
