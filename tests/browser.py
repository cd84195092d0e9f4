"""Headless Chromium for tests that look at rendered HTML reports (Debian's chromium package)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SCDOCS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
browser = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                             reason=f"Chromium not found at {CHROMIUM} (Debian: apt-get install -y chromium)")
TIMEOUT = 60


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh profile and no background networking."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    # Its own process group, so a hung browser goes with all its helper processes.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"Chromium did not finish in {TIMEOUT} s; a script dialog such as alert() blocks --dump-dom, "
                    "so the page may be running script")
    assert proc.returncode == 0, err[-2000:]
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def console_lines(stderr: str) -> list[str]:
    """Console messages and uncaught errors Chromium logged (with --enable-logging=stderr)."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def colours(png: Path) -> int:
    """How many distinct colours a screenshot has (a blank page has one or two)."""
    from PIL import Image

    with Image.open(png) as im:
        return len(im.convert("RGB").getcolors(maxcolors=1 << 24) or [])
