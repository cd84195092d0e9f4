"""The hostile-input suite: every bad input is generated here at test time (nothing big is checked
in) and run through the real command line in a child process under a memory limit and a timeout,
so a hang, a traceback or a memory blow-up fails the test instead of the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of the child: scdocs + spaCy need ~600 MB virtual
TIMEOUT = 30.0  # seconds; every case is expected to finish in a few


@dataclass(frozen=True)
class Run:
    """What a user sees from one scdocs command."""

    code: int
    stdout: str
    stderr: str

    def assert_one_line_error(self, *needles: str) -> str:
        """Exit 2, stderr one `error:` line (warnings may precede it), no traceback; returns the line."""
        assert self.code == 2, f"exit {self.code}, stderr: {self.stderr[-800:]}"
        assert "Traceback" not in self.stderr, self.stderr[-2000:]
        errors = [line for line in self.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, self.stderr
        for needle in needles:
            assert needle.lower() in errors[0].lower(), errors[0]
        return errors[0]

    def assert_ok(self) -> None:
        assert self.code == 0, f"exit {self.code}, stderr: {self.stderr[-2000:]}"
        assert "Traceback" not in self.stderr, self.stderr[-2000:]


def run_scdocs(*args: str | Path, memory: int = MEMORY_LIMIT, timeout: float = TIMEOUT,
               env: dict[str, str] | None = None, stdin: bytes | None = None) -> Run:
    """Run `python -m scdocs ARGS` with an address-space limit and a wall-clock timeout."""
    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    try:
        proc = subprocess.run([sys.executable, "-m", "scdocs", *map(str, args)], capture_output=True,
                              timeout=timeout, preexec_fn=limit, env=full_env, input=stdin)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scdocs {' '.join(map(str, args))} did not finish in {timeout:.0f} s")
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


@pytest.fixture
def scdocs() -> Callable[..., Run]:
    """`scdocs("tag", path)` runs the command line as a user would, bounded; see `run_scdocs`."""
    return run_scdocs
