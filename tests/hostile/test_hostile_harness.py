"""The harness itself: a missing file through the bounded child process is a one-line error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def test_missing_file_is_one_line_error(scdocs: Callable, tmp_path: Path) -> None:
    scdocs("sections", tmp_path / "missing.txt").assert_one_line_error("no such file")


def test_a_small_law_reads(scdocs: Callable, tmp_path: Path) -> None:
    path = tmp_path / "law.txt"
    path.write_text("某条例\n第一条　为了规范管理，制定本条例。\n第二条　本条例自公布之日起施行。\n", encoding="utf-8")
    run = scdocs("sections", path)
    run.assert_ok()
    assert "第二条" in run.stdout
