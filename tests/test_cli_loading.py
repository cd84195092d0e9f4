"""`scdocs CMD` imports only CMD's module; the map it uses must name every command's real module."""

from __future__ import annotations

import subprocess
import sys

import click
import typer.main

import scdocs.cli as cli


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    group = typer.main.get_command(cli.app)
    assert isinstance(group, click.Group)
    registered = {}
    for name, command in group.commands.items():
        callback = command.callback if not isinstance(command, click.Group) else None
        module = callback.__module__ if callback is not None else None
        registered[name] = module
    assert set(registered) == set(cli.COMMANDS)
    for name, module in registered.items():
        if module is not None:  # sub-apps (annotate, corpus) have no callback of their own
            assert module == f"scdocs.cli.{cli.COMMANDS[name]}", name


def test_the_command_is_found_past_global_options() -> None:
    assert cli.command_module(["diff", "a", "b"]) == "diff"
    assert cli.command_module(["--max-size", "100", "tag", "x"]) == "tag"
    assert cli.command_module(["--data-dir=/tmp", "annotate", "list"]) == "annotate"
    assert cli.command_module(["-h"]) is None
    assert cli.command_module(["dif", "a"]) is None  # a typo: every command is loaded to suggest one


def test_a_command_line_imports_only_its_module() -> None:
    code = ("import sys; sys.argv = ['scdocs', 'themes']\n"
            "from scdocs.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('scdocs.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    assert "scdocs.cli.tag" in loaded
    for other in ("annotate", "views", "search", "corpus", "diff"):
        assert f"scdocs.cli.{other}'" not in loaded


def test_every_argument_shows_its_help() -> None:
    """`scdocs CMD --help` explains each argument, not only its name (click 8.5 dropped typer's
    argument help: the reason click is held below 8.5)."""
    from typer.testing import CliRunner

    group = typer.main.get_command(cli.app)
    assert isinstance(group, click.Group)
    commands = [([name], c) for name, c in group.commands.items() if not isinstance(c, click.Group)]
    commands += [([name, sub], s) for name, c in group.commands.items() if isinstance(c, click.Group)
                 for sub, s in c.commands.items()]
    checked = 0
    for path, command in commands:
        shown = " ".join(CliRunner().invoke(cli.app, [*path, "--help"], env={"COLUMNS": "200"}).stdout.split())
        shown = shown.replace("`", "")
        for param in command.params:
            help_text = getattr(param, "help", None)
            if isinstance(param, click.Argument) and help_text:
                assert " ".join(help_text.replace("`", "").split())[:30] in shown, (path, param.name)
                checked += 1
    assert checked >= 20
