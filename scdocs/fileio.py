"""Writing files without ever leaving a half-written or clobbered file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scdocs.errors import ScdocsError


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`.

    A crash or a full disk leaves the old file as it was; readers never see a partial file.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ScdocsError(f"{target}: the folder {directory} does not exist")
    if target.is_dir():
        raise ScdocsError(f"{target}: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ScdocsError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
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
