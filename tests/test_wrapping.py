"""Hard-wrapped text (lines cut at a page's width) is read as the paragraphs it was cut from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import corpus_files
from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.readers import read_path
from scdocs.readers.common import LEFT_OUT
from scdocs.readers.text import HTML_BODY
from scdocs.readers.wrapping import columns

WRAPPED = "joined"  # how the reader's warning about joined lines begins


def rewrap(text: str, width: int, blank: bool = False) -> str:
    """Every body line cut at `width` columns, as a PDF export or an old e-mail would print it; with
    `blank`, a blank line after each of the text's own paragraphs (its lines that end a sentence)."""
    out: list[str] = []
    lines = text.splitlines()
    while lines and not lines[0].strip():
        out.append(lines.pop(0))
    if lines and lines[0] == "---":  # front matter is metadata, not printed text
        end = lines.index("---", 1) + 1
        out, lines = out + lines[:end], lines[end:]
    for line in lines:
        cur, tag = "", False
        for ch in line:
            if columns(cur + ch) > width and not tag:  # never inside an HTML tag: <p> cut in two is no tag
                out.append(cur)
                cur = ""
            cur += ch
            tag = (tag or ch == "<") and ch != ">"
        out.append(cur)
        if blank and line.rstrip().endswith(("。", "；", "：")):
            out.append("")
    return "\n".join(out) + "\n"


def units(path: Path) -> list[tuple[str | None, str | None]]:
    """The title, date and title block, the containers' nums and headings, and the units' nums and
    texts (line breaks aside; spaces aside in the title block, where a cut may fall on one)."""
    doc = read_path(path)
    block = re.sub(r"\s+", "", doc.preface.text) if doc.preface else ""
    return ([(doc.meta.title, doc.meta.date), ("preface", block)] + [(c.num, c.heading) for c in doc.containers()]
            + [(u.num, u.text.replace("\n", "")) for u in doc.units()])


@pytest.mark.parametrize("path", [p for p in corpus_files() if p.suffix in (".md", ".txt")], ids=lambda p: p.stem)
def test_a_corpus_text_cut_at_a_width_reads_as_before(path: Path, tmp_path: Path) -> None:
    """The same chapters and units with the same texts, whether the lines were cut at 30, 36 or 80
    columns, with blank lines between paragraphs or without."""
    text = path.read_text(encoding="utf-8", errors="replace")
    assert not any(w.startswith(WRAPPED) for w in read_path(path).warnings)  # not wrapped as published
    want = units(path)
    for width, blank in ((36, False), (80, False), (30, True)):
        cut = tmp_path / f"cut{path.suffix}"
        cut.write_text(rewrap(text, width, blank), encoding="utf-8")
        assert units(cut) == want, width
        if HTML_BODY.search(text):
            continue  # a page in Markdown clothing: HTML joins its lines itself
        assert any(w.startswith(f"{WRAPPED} ") and f"width of {width} columns" in w
                   for w in read_path(cut).warnings)


ARTICLES = ["第一条　为了规范社会信用信息的归集、共享、公开和使用，保护信用主体的合法权益，根据有关法律、行政法规，"
            "结合本市实际，制定本条例。",
            "第二条　本条例适用于本市行政区域内社会信用信息的归集、共享、公开和使用，以及信用主体权益保护等活动。",
            "第三条　本条例所称信用主体，是指具有完全民事行为能力的自然人、法人和非法人组织。"] * 3


def test_joining_stops_at_a_paragraph_end_and_a_blank_line(tmp_path: Path) -> None:
    wrapped = rewrap("某市社会信用条例\n" + "\n".join(ARTICLES), 36)
    assert "合法权益" not in wrapped.replace("某市社会信用条例", "")  # the cue is cut in two
    path = tmp_path / "wrapped.txt"
    path.write_text(wrapped, encoding="utf-8")
    doc = read_path(path)
    assert [u.text for u in doc.units()] == ARTICLES and doc.meta.title == "某市社会信用条例"
    lines = wrapped.splitlines()
    lines.insert(2, "")  # a blank line after the first line of 第一条: it is a paragraph's end
    path.write_text("\n".join(lines), encoding="utf-8")
    first = read_path(path).units()[0]
    assert first.text == lines[1] + "\n" + ARTICLES[0][len(lines[1]):]


def test_english_is_joined_with_a_space_and_figures_without(tmp_path: Path) -> None:
    english = ("Article 1 These Regulations are formulated in order to regulate the collection and\n"
               "use of credit information and to protect the lawful rights of credit subjects.\n")
    path = tmp_path / "en.txt"
    path.write_text("Example Regulations\n" + english * 6, encoding="utf-8")
    assert read_path(path).units()[0].text.startswith("Article 1 These Regulations are formulated in order "
                                                       "to regulate the collection and use of credit")
    chinese = "第一条　经营个人征信业务的征信机构违反本条例规定的，对单位处2万元以上2\n0万元以下的罚款。\n"
    path = tmp_path / "zh.txt"
    path.write_text("某条例\n" + chinese * 6, encoding="utf-8")
    assert read_path(path).units()[0].text.endswith("对单位处2万元以上20万元以下的罚款。")


def test_text_of_short_lines_and_finished_paragraphs_is_never_joined(tmp_path: Path) -> None:
    """Headings and paragraphs that end their sentences, however many share a width, stay as they are."""
    lines = ["某某条例", "第一章　总则"] + [f"第{n}条　本条例所称信用信息，是指可以判断信用状况的数据和资料。"
                                        for n in "一二三四五六七八九"]
    path = tmp_path / "plain.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = read_path(path)
    assert len(doc.units()) == 9 and not any(w.startswith(WRAPPED) for w in doc.warnings)


def test_indented_paragraphs_count_their_indent(tmp_path: Path) -> None:
    """A paragraph's first line indented with two full-width spaces is as wide as the lines cut under it."""
    wrapped = rewrap("某市社会信用条例\n" + "\n".join("\u3000\u3000" + a for a in ARTICLES), 40)
    path = tmp_path / "indented.txt"
    path.write_text(wrapped, encoding="utf-8")
    assert [u.text for u in read_path(path).units()] == ARTICLES


def test_a_heading_as_wide_as_the_page_is_never_glued_to_the_article_under_it(tmp_path: Path) -> None:
    """A short wrapped text (three cut lines are enough), a chapter heading that fills the width, and
    `check` passing the joined text."""
    text = ("示范条例\n第一章　总则\n"
            "第一条　为了规范社会信用信息管理，保护信用主\n体合法权益，根据有关法律，结合本省实际，制定\n本条例。\n"
            "第二条　本条例适用于本省行政区域内的社会信用\n信息归集、披露、使用及其管理活动。\n"
            "第二章　信用信息的归集、共享与使用管理规则\n"
            "第三条　信息提供单位应当按照公共信用信息目录\n，及时、准确、完整地报送信用信息。\n"
            "第四条　本条例自2025年1月1日起施行。\n")
    path = tmp_path / "glue.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_path(path)
    assert [(c.num, c.heading) for c in doc.containers()] == [("第一章", "总则"),
                                                               ("第二章", "信用信息的归集、共享与使用管理规则")]
    assert [u.num for u in doc.units()] == ["第一条", "第二条", "第三条", "第四条"]
    assert doc.units()[0].text == ("第一条　为了规范社会信用信息管理，保护信用主体合法权益，根据有关法律，"
                                   "结合本省实际，制定本条例。")
    r = CliRunner().invoke(app, ["check", str(path)])
    assert r.exit_code == 0 and "numbering is consistent" in r.output


def test_page_numbers_of_a_printed_text_are_left_out_and_counted(tmp_path: Path) -> None:
    lines = rewrap("某市社会信用条例\n" + "\n".join(ARTICLES), 40).splitlines()
    lines.insert(4, "— 1 —")  # between two lines of one sentence
    lines.insert(9, "第 2 页")
    path = tmp_path / "pages.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = read_path(path)
    assert [u.text for u in doc.units()] == ARTICLES
    assert f"{LEFT_OUT} 2 page numbers of a printed text (— 6 —, 第6页)" in doc.warnings


def test_line_breaks_of_a_pages_source_are_whitespace_unless_they_end_a_sentence(tmp_path: Path) -> None:
    """As a browser shows it: a break inside a sentence is no break (none between Chinese characters, a
    space between words); after 。 or before 第二条 it parts lines, as such pages mean it to."""
    page = ("<html><body><div id='content'><p>某某条例</p>"
            "<p>三、以良好的信用环境支撑国内国际双循\n    环相互促进</p>"
            "<div>第一条　本条例适用于本市。\n第二条　建立Social\nCredit平台。</div><pre>第三条　甲\n乙。</pre>"
            "</div></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    lines = read_path(path).text.splitlines()
    assert "三、以良好的信用环境支撑国内国际双循环相互促进" in lines
    assert "第一条　本条例适用于本市。" in lines and "第二条　建立Social Credit平台。" in lines
    assert "第三条　甲" in lines  # <pre> keeps its lines


def test_a_title_block_cut_at_the_width_is_joined_but_never_into_the_title(tmp_path: Path) -> None:
    """An adoption note cut in two is one line again (its date is read); a title as wide as the page
    keeps its note on a line of its own."""
    title = "关于推进社会信用体系建设高质量发展促进形成新发展格局的意见"  # 60 columns
    note = "（2022年3月29日中共中央办公厅国务院办公厅印发，自印发之日起施行并由有关部门负责解释）"
    text = rewrap(title + "\n" + note + "\n" + "\n".join(ARTICLES), 60)
    path = tmp_path / "opinions.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_path(path)
    assert doc.meta.title == title and doc.meta.date == "2022-03-29"
    assert doc.text.splitlines()[:2] == [title, note]
    assert [u.text for u in doc.units()] == ARTICLES
