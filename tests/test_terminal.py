"""Terminal output at 80 columns: nothing wider than the terminal, theme ids never broken mid-word,
and a diff's changed text given the width instead of a dozen columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.themes import load_taxonomy

runner = CliRunner()


def _width(line: str) -> int:
    return Console().measure(line).maximum if line else 0


def test_tag_table_fits_80_columns_with_whole_theme_ids(fetched: None) -> None:
    r = runner.invoke(app, ["tag", "scs-opinions-2022"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 80
    ids = set(load_taxonomy().themes)
    words = {word for line in lines for word in line.replace("│", " ").split() if word.isascii()}
    shown = words & ids
    broken = {w for w in words - ids if len(w) > 4 and any(i.startswith(w) for i in ids)}
    assert not broken, broken
    assert {"party-leadership", "centralization"} <= shown


def test_diff_at_80_columns_gives_the_changed_text_the_width(fetched: None) -> None:
    r = runner.invoke(app, ["diff", "enterprise-info-disclosure-regs-2014", "enterprise-info-disclosure-regs-2024"],
                      env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    from rich.cells import cell_len

    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    redlines = [line for line in lines if "{+" in line or "[-" in line]
    assert redlines and max(cell_len(line) for line in redlines) > 60  # not squeezed into a narrow column


def test_help_piped_to_a_file_or_pager_is_80_columns_not_padded_to_240() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TERMINAL_WIDTH")}
    for args in (["--help"], ["diff", "--help"], ["tag", "-h"]):
        out = subprocess.run([sys.executable, "-m", "scdocs", *args], capture_output=True, text=True, env=env,
                             check=True).stdout
        widths = [len(line) for line in out.splitlines()]
        assert widths and max(widths) <= 80, (args, max(widths))


def test_a_closed_pipe_ends_with_status_141_and_no_traceback(raw_dir) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    # `scdocs diff A B | head -1`: the reader goes away; 1 would read as "differences" or "warnings".
    proc = subprocess.Popen([sys.executable, "-m", "scdocs", "diff", str(raw_dir / "company-law-2018.md"),
                             str(raw_dir / "company-law-2023.md")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "Error" not in err


@pytest.mark.parametrize("args", [["convert", "{law}", "--to", "txt"], ["tag", "{law}", "--format", "json"],
                                  ["sections", "{law}"]])
def test_a_closed_pipe_under_one_large_output_ends_with_status_141(args: list[str], tmp_path: Path) -> None:
    """The testers' finding: a command that printed megabytes in one write (convert, JSON, a rich tree)
    ended with status 0 when the reader went away after 10 bytes; output is written in pieces now."""
    import subprocess
    import sys

    law = tmp_path / "law.txt"
    law.write_text("某条例\n" + "".join(f"第{n}条　信用主体有权查询自身信用信息，公共信用信息工作机构应当提供。\n"
                                     for n in range(1, 8001)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "scdocs", *(a.format(law=law) for a in args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 141, err
    assert "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
@pytest.mark.parametrize("args", [["tag", "{law}", "--format", "json"], ["sections", "{law}"],
                                  ["convert", "{law}", "--to", "akn"], ["diff", "{law}", "{law}"]])
def test_standard_output_on_a_full_disk_is_one_line(args: list[str], tmp_path: Path) -> None:
    import subprocess
    import sys

    law = tmp_path / "law.txt"
    law.write_text("某条例\n第一条　个人信息受法律保护。\n第二条　本条例自公布之日起施行。\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "scdocs", *(a.format(law=law) for a in args)], stdout=full,
                              stderr=subprocess.PIPE, timeout=120)
    err = proc.stderr.decode("utf-8", "replace").strip()
    assert proc.returncode == 2
    assert err == "error: cannot write standard output (No space left on device)"


def test_a_diff_of_undated_unchanged_texts_has_no_trailing_spaces_and_no_empty_table(tmp_path: Path) -> None:
    same = tmp_path / "same.txt"
    same.write_text("某条例\n第一条　甲。\n第二条　乙。\n", encoding="utf-8")
    r = runner.invoke(app, ["diff", str(same), str(same)], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["某条例 → 某条例", "warning: OLD and NEW are the same text: nothing changed",
                                     "Moves: 0 toward the centre, 0 away from it",
                                     "unchanged 2; 0 characters inserted, 0 deleted"]


def test_a_diff_of_texts_without_sections_says_so(tmp_path: Path) -> None:
    """The testers' findings: the counts line opened with a stray '; ', and a title-only file was then
    diffed as a version at all; the command refuses it, and the library's report says 'no sections'."""
    from scdocs import diff
    from scdocs.reports.diff_text import to_markdown

    title = tmp_path / "title.txt"
    title.write_text("Only a title\n", encoding="utf-8")
    r = runner.invoke(app, ["diff", str(title), str(title)], env={"COLUMNS": "120"})
    assert r.exit_code == 2 and "no sections to compare" in r.output
    assert "- no sections" in to_markdown(diff(title, title)).splitlines()


def test_a_command_group_run_bare_prints_its_help_and_no_empty_error() -> None:
    """The tester's finding: `scdocs annotate` printed its help, then the line 'error:  (see …)'."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "scdocs", "annotate"], capture_output=True, text=True)
    assert "Usage: " in r.stdout + r.stderr and "error:" not in r.stdout + r.stderr
