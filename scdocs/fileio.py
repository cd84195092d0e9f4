"""Writing files without ever leaving a half-written or clobbered file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scdocs.errors import ScdocsError


def write_atomic(path: str | os.PathLike[str], data: str | bytes | Iterable[str]) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`.

    A crash or a full disk leaves the old file as it was; readers never see a partial file.
    `data` may be an iterable of strings (lines of JSON Lines, say): they are written as they
    come, so a large output is never held in memory whole.
    """
    target = Path(path)
    chunks: Iterable[bytes] = ([data.encode("utf-8")] if isinstance(data, str) else [data] if isinstance(data, bytes)
                               else (chunk.encode("utf-8") for chunk in data))
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ScdocsError(f"{target}: {directory} is not a folder" if directory.exists()
                          else f"{target}: the folder {directory} does not exist")
    if target.is_dir():
        raise ScdocsError(f"{target}: is a directory")
    if target.exists() and not target.is_file():
        _write_through(target, chunks)  # a device or a pipe (/dev/null, a FIFO): written into, never replaced
        return
    if target.exists() and not target.stat().st_mode & 0o222:
        # replacing by rename would ignore the file's permissions (and root ignores them anyway)
        raise ScdocsError(f"{target}: is read-only; refusing to replace it")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ScdocsError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ScdocsError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:  # the data's producer failed (or ^C): the old file stays, no stray temporary
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_through(target: Path, chunks: Iterable[bytes]) -> None:
    """Write into a special file as it is: renaming a temporary file over /dev/null or a named pipe
    would replace the device or the pipe with a regular file."""
    try:
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
    except OSError as exc:
        raise ScdocsError(f"{target}: cannot write ({exc.strerror or exc})") from None


#: Characters (or bytes) written to standard output at a time: under a pipe's 64 KB however wide they encode.
STDOUT_PIECE = 1 << 13


def write_in_pieces(stream: Any, data: str | bytes) -> None:
    """Write and flush `data` a piece at a time. One write of megabytes may be taken in part by a pipe
    whose reader then goes away without an error (`scdocs convert big.txt | head`): the closed pipe
    would go unnoticed and the command end with status 0."""
    for k in range(0, len(data), STDOUT_PIECE):
        stream.write(data[k:k + STDOUT_PIECE])
        stream.flush()
