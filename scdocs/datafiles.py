"""Reading the TOML data files users may change (theme taxonomy, flag rules): the built-in
copy from the package, or the user's file, with one-line errors that name the file; and where the
user's annotation store is (a light module: the command line asks it before writing any output)."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from scdocs.errors import ScdocsError


def read_user_text(path: str | Path, what: str, error: type[ScdocsError] = ScdocsError) -> str:
    """The text of a user's data file (UTF-8, a BOM allowed), or one line naming the file and the problem."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{what} {path}: is a directory, not a file") from None
    except PermissionError:
        raise error(f"{what} {path}: permission denied") from None
    except UnicodeDecodeError as exc:
        raise error(f"{what} {path}: not UTF-8 text (at byte offset {exc.start})") from None
    except OSError as exc:
        raise error(f"{what} {path}: cannot read as UTF-8 text ({type(exc).__name__})") from None


def read_toml(package: str, name: str, path: str | Path | None, what: str,
              error: type[ScdocsError] = ScdocsError) -> tuple[str, dict[str, Any]]:
    """(source label, parsed data) of the built-in `package/name`, or of the user's file at `path`.

    `what` names the kind of file in messages ("taxonomy", "rules").
    """
    if path is None:
        source = "built-in"
        text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    else:
        source = str(path)
        text = read_user_text(path, what, error)
    try:
        return source, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{what} {source}: malformed TOML ({exc})") from None


def default_store() -> Path:
    """--store, else $SCDOCS_STORE, else ./annotations (the project's folder when run from a checkout)."""
    return Path(os.environ.get("SCDOCS_STORE") or "annotations")
