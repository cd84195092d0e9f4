"""The Typer app every command registers on, its global options, and the error boundary
(every ScdocsError becomes one line on stderr and exit status 2)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import click
import typer
from typer.core import TyperGroup

from scdocs.errors import ScdocsError, did_you_mean
from scdocs.fileio import write_in_pieces
from scdocs.version import __version__

if TYPE_CHECKING:
    from rich.console import Console


class ScdocsGroup(TyperGroup):
    """Turns the library's errors, and mistakes on the command line, into one-line messages."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        """Usage mistakes (an unknown command or option, a missing argument, a value out of range)
        get one `error:` line naming the command's help, like every other error, not a framed panel."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click.UsageError as exc:
            if not exc.format_message().strip():  # a group run bare: its help is printed, no empty error line
                sys.exit(exc.exit_code)
            where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
            print_error(exc.format_message().rstrip(".") + where)
            sys.exit(exc.exit_code)
        except click.Abort:
            print_error("aborted")
            sys.exit(1)
        try:  # what is still buffered: a full disk shows only now
            sys.stdout.flush()
        except BrokenPipeError:
            sys.exit(_stdout_closed())
        except OSError as exc:
            print_error(_stdout_failed(exc))
            sys.exit(2)
        sys.exit(code if isinstance(code, int) else 0)

    # `ctx` is click's Context, or typer._click's where a Typer release vendors click: no public
    # name covers both, so it is typed Any.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ScdocsError as exc:
            fail(str(exc), exc.exit_code)
        except typer.BadParameter as exc:
            choices = getattr(getattr(exc.param, "type", None), "choices", None)
            value = getattr(exc, "value", None) or _invalid_value(exc)
            if not choices or value is None:
                raise
            name = exc.param.opts[0] if exc.param is not None and getattr(exc.param, "opts", None) else "value"
            known = [str(getattr(c, "value", c)) for c in choices]
            fail(f"invalid {name} {value!r}{did_you_mean(value, known)}; one of {', '.join(known)}")
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            raise typer.Exit(_stdout_closed()) from None
        except OSError as exc:  # files are read and written through scdocs's own errors: this is output
            if exc.filename is None:  # standard output on a full disk or /dev/full
                fail(_stdout_failed(exc))
            fail(f"{exc.filename}: {exc.strerror or exc}")


#: The exit status when the reader of our output goes away (`scdocs diff A B | head -1`): 128 + SIGPIPE,
#: what a shell reports for any program a closed pipe stops; never 1, which means warnings or differences.
CLOSED_PIPE = 141


def _stdout_closed() -> int:
    """Send what is still buffered for standard output nowhere (so that flushing it at exit raises
    nothing more) and return the exit status for a closed pipe (standard output that cannot be
    written to at all is let go the same way)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return CLOSED_PIPE


def _stdout_failed(exc: OSError) -> str:
    """Let go of standard output that cannot be written (what is buffered would fail again at exit)
    and say why, in one line."""
    _stdout_closed()
    return f"cannot write standard output ({exc.strerror or exc})"


class _Pieces:
    """Standard output written in pieces (see `write_in_pieces`), for rich's consoles, which write a
    whole table or tree at once; everything else is the stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # a text stream, as click tests by writing b"" to it
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        write_in_pieces(self._stream, text)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _rich_closed_pipe(console: Console) -> None:
    """rich's hook for a broken pipe (it would exit 1 silently): exit CLOSED_PIPE instead."""
    raise SystemExit(_stdout_closed())


def _invalid_value(exc: Exception) -> str | None:
    """The rejected value of a choice option, from click's message ("'jsn' is not one of …")."""
    import re

    m = re.search(r"'([^']*)' is not one of", str(getattr(exc, "message", exc)))
    return m.group(1) if m else None


def print_warning(message: str) -> None:
    """`warning: message` on one line of stderr."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[yellow]warning:[/] {escape(message)}")


def print_error(message: str) -> None:
    """`error: message` on one line of stderr."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[bold red]error:[/] {escape(message)}")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: message` on one line to stderr and exit with `code`."""
    print_error(message)
    raise typer.Exit(code)


app = typer.Typer(
    cls=ScdocsGroup,
    name="scdocs",
    help=(
        "Parse, tag, diff and annotate China's social credit documents.\n\n"
        "DOC is always a corpus id (see `scdocs corpus list`), a file path, an http(s) URL or - "
        "(standard input).\n\n"
        "Examples:\n\n"
        "  scdocs corpus fetch --from ../shared/corpus/raw\n\n"
        "  scdocs sections scs-opinions-2022\n\n"
        "  scdocs show scs-opinions-2022 19\n\n"
        "  scdocs convert pipl-2021 --to akn --output pipl.xml"
    ),
    no_args_is_help=True,
    suggest_commands=False,  # click suggests a close command itself: once is enough
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scdocs {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    max_size: Annotated[int | None, typer.Option("--max-size", metavar="BYTES", min=1,
                                                 help="Refuse documents larger than this (default 50 MB; "
                                                      "env SCDOCS_MAX_BYTES).")] = None,
    data_dir: Annotated[str | None, typer.Option("--data-dir", metavar="DIR",
                                                 help="Where fetched corpus texts live "
                                                      "(env SCDOCS_DATA_DIR).")] = None,
) -> None:
    """Global options become environment settings for this invocation only."""
    from scdocs.cli.common import reset_stdin

    reset_stdin()
    settings = {"SCDOCS_MAX_BYTES": None if max_size is None else str(max_size), "SCDOCS_DATA_DIR": data_dir}
    for key, value in settings.items():
        if value is None:
            continue
        previous = os.environ.get(key)
        os.environ[key] = value
        ctx.call_on_close(lambda k=key, v=previous: _restore(k, v))


def _restore(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


def main() -> None:
    """Console entry point."""
    args = sys.argv[1:]
    asks_help = not args or "-h" in args or "--help" in args
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ and not asks_help:
        # Piped or redirected: rich would wrap tables at 80 columns. Help keeps 80, or its framed
        # panels would be padded to 240 columns in a pager or a file.
        os.environ["COLUMNS"] = "240"
    import rich.console

    # rich exits 1 silently on a closed pipe; its on_broken_pipe hook is there to be replaced.
    rich.console.Console.on_broken_pipe = _rich_closed_pipe  # type: ignore[method-assign, assignment]
    if not sys.stdout.isatty():
        sys.stdout = _Pieces(sys.stdout)
    app()
