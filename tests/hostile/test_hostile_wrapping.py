"""Hard-wrapped text at scale: one paragraph cut into 200,000 lines (8 MB) is joined in one pass, under
the suite's memory limit and timeout, never a join per line that grows with the paragraph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

CUT = "为了规范社会信用信息的归集共享公开和使用保护信用主体的合法权益根据有关法律行政法规"  # no punctuation


def test_one_paragraph_of_200000_cut_lines(scdocs: Callable, tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text("某条例\n第一条　" + "\n".join([CUT] * 200_000) + "。\n第二条　本条例自公布之日起施行。\n",
                    encoding="utf-8")
    run = scdocs("sections", path)
    run.assert_ok()
    assert "2 articles" in run.stdout and "joined 199,999 lines" in run.stderr


def test_a_page_whose_paragraph_source_is_cut_into_200000_lines(scdocs: Callable, tmp_path: Path) -> None:
    """The same in HTML: source line breaks inside one <p> are whitespace, joined in one pass."""
    path = tmp_path / "wrapped.html"
    path.write_text("<html><body><div id='content'><p>某条例</p><p>第一条　" + "\n".join([CUT] * 200_000)
                    + "。</p><p>第二条　本条例自公布之日起施行。</p></div></body></html>", encoding="utf-8")
    run = scdocs("sections", path)
    run.assert_ok()
    assert "2 articles" in run.stdout
