"""Hard-wrapped text (lines cut at a page's width) is read as the paragraphs it was cut from."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_files

from scdocs.readers import read_path
from scdocs.readers.text import HTML_BODY
from scdocs.readers.wrapping import columns

WRAPPED = "joined"  # how the reader's warning about joined lines begins


def rewrap(text: str, width: int) -> str:
    """Every body line cut at `width` columns, as a PDF export or an old e-mail would print it."""
    out: list[str] = []
    lines = text.splitlines()
    while lines and not lines[0].strip():
        out.append(lines.pop(0))
    if lines and lines[0] == "---":  # front matter is metadata, not printed text
        end = lines.index("---", 1) + 1
        out, lines = out + lines[:end], lines[end:]
    for line in lines:
        cur = ""
        for ch in line:
            if columns(cur + ch) > width:
                out.append(cur)
                cur = ""
            cur += ch
        out.append(cur)
    return "\n".join(out) + "\n"


def units(path: Path) -> list[tuple[str | None, str]]:
    return [(u.num, u.text.replace("\n", "")) for u in read_path(path).units()]


@pytest.mark.parametrize("path", [p for p in corpus_files() if p.suffix in (".md", ".txt")], ids=lambda p: p.stem)
def test_a_corpus_text_cut_at_a_width_reads_as_before(path: Path, tmp_path: Path) -> None:
    """The same units with the same texts, whether the lines were cut at 36 or 80 columns."""
    text = path.read_text(encoding="utf-8", errors="replace")
    assert not any(w.startswith(WRAPPED) for w in read_path(path).warnings)  # not wrapped as published
    want = units(path)
    for width in (36, 80):
        cut = tmp_path / f"cut{path.suffix}"
        cut.write_text(rewrap(text, width), encoding="utf-8")
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
