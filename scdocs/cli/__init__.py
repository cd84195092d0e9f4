"""The `scdocs` command: a Typer app that wires the library to files and the terminal.

The app, its global options and the error boundary are in `scdocs.cli.root`; each command group
lives in a module of its own and registers on the app when imported. The commands parse
options, call the library and print: they hold no decision a Python user would also need.

Start-up matters for a command run once per document from a shell loop, so `main` imports only
the module of the command the command line names (`scdocs diff …` never imports the annotation
store, the plots or the search index); help, completion and an unknown command import them all.
`scdocs.cli.app` (and each module name) loads every command, for Python users and tests.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from scdocs.cli.root import fail

#: The module that registers each command, in the order of `scdocs --help`.
COMMANDS: dict[str, str] = {
    "amend": "amend", "annotate": "annotate", "convert": "convert", "corpus": "corpus", "diff": "diff",
    "excerpt": "excerpt", "sections": "inspect", "show": "inspect", "check": "inspect", "train": "learn",
    "evaluate": "learn", "search": "search", "index": "search", "batch": "search", "tag": "tag", "themes": "tag",
    "compare": "views", "trend": "views",
}
MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))
#: Global options that take a value (`--max-size 10`), skipped when looking for the command.
_VALUED = ("--max-size", "--data-dir")

__all__ = ["COMMANDS", "MODULES", "app", "command_module", "fail", "load", "main"]


def load(modules: Iterable[str] = MODULES) -> None:
    """Import command modules (registering their commands on the app), in the order of MODULES."""
    wanted = set(modules)
    for name in MODULES:
        if name in wanted:
            importlib.import_module(f"scdocs.cli.{name}")


def command_module(args: Sequence[str]) -> str | None:
    """The module of the command an argument list names, or None when it names none we know
    (root help, the version, a typo to suggest a command for)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif arg.startswith("-"):
            if arg.split("=", 1)[0] not in _VALUED:
                return None  # -h, -V, or an option click will reject: it needs every command
        else:
            return COMMANDS.get(arg)
    return None


def main() -> None:
    """Console entry point: register the named command's module (all of them if unsure), then run."""
    from scdocs.cli import root

    completing = any(k.startswith("_SCDOCS") and k.endswith("_COMPLETE") for k in os.environ)
    module = None if completing else command_module(sys.argv[1:])
    load(MODULES if module is None else (module,))
    root.main()


def __getattr__(name: str) -> Any:
    """`scdocs.cli.app` is the app with every command registered; `scdocs.cli.diff` etc. the modules."""
    if name == "app":
        from scdocs.cli.root import app

        load()
        globals()["app"] = app  # looked up once
        return app
    if name in MODULES:
        load((name,))
        return sys.modules[f"scdocs.cli.{name}"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
