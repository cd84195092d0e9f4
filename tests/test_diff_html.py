"""The HTML diff report: self-contained, well-formed, escaped, and right about the enterprise
information disclosure regulations 2014 → 2024; then the same pages in headless Chromium
(screenshot, rendered DOM, console) so we know a browser shows what the string promises."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import lxml.html
import pytest
from browser import browser, chromium, colours, console_lines

import scdocs
from scdocs.changes import DocumentDiff, Pair, diff_documents
from scdocs.readers import read_path
from scdocs.reports.diff_html import pair_ids, render_html, shown

HOSTILE = "<script>alert(1)</script>"
OLD_TEXT = f"示例\n第一条　甲。\n第二条　{HOSTILE}乙。\n第三条　丙丁戊己庚辛。"
NEW_TEXT = f"示例\n第一条　甲。\n第二条　{HOSTILE}乙丙。\n第三条　丙丁戊己庚辛壬\"'&。"


@pytest.fixture(scope="module")
def enterprise(raw_dir: Path) -> DocumentDiff:
    return diff_documents(read_path(raw_dir / "enterprise-info-disclosure-regs-2014.json"),
                          read_path(raw_dir / "enterprise-info-disclosure-regs-2024.json"))


@pytest.fixture(scope="module")
def enterprise_html(enterprise: DocumentDiff) -> str:
    return render_html(enterprise)


@pytest.fixture(scope="module")
def hostile() -> DocumentDiff:
    old, new = scdocs.load(OLD_TEXT), scdocs.load(NEW_TEXT)
    old.meta.title, new.meta.title = f"旧{HOSTILE}", f"新{HOSTILE}"
    old.meta.issuer, new.meta.issuer = '"><img src=x onerror=alert(2)>', "<b>机关</b>"
    return diff_documents(old, new)


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def moved_pairs(d: DocumentDiff) -> list[Pair]:
    """Pairs on which the diff found a move (the report must show each beside its pair)."""
    return [p for p in d.pairs if p.moves]


# -- the HTML string ------------------------------------------------------------------------

def test_self_contained(enterprise_html: str) -> None:
    root = tree(enterprise_html)
    assert root.get("lang") == "zh"
    assert root.xpath("//meta[@charset]")[0].get("charset").lower() == "utf-8"
    assert enterprise_html.startswith("<!DOCTYPE html>")
    assert not root.xpath("//link | //script | //img | //iframe | //object | //embed | //*[@src]")
    styles = " ".join(s.text_content() for s in root.xpath("//style"))
    assert "url(" not in styles and "@import" not in styles and "@font-face" not in styles
    assert not root.xpath("//*[@style]")
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not re.search(r"(https?:)?//", value), f"{el.tag} {name}={value!r} points outside the page"
    assert "http://" not in enterprise_html and "https://" not in enterprise_html
    for a in root.xpath("//a[@href]"):  # every link is an anchor into the page
        assert a.get("href").startswith("#") and root.xpath(f"//*[@id='{a.get('href')[1:]}']"), a.get("href")


def test_header_and_summary(enterprise: DocumentDiff, enterprise_html: str) -> None:
    header = tree(enterprise_html).xpath("//header[@class='doc-head']")[0].text_content()
    for meta in (enterprise.old.meta, enterprise.new.meta):
        for value in (meta.title, meta.date, meta.issuer, meta.ref):
            assert value in header
    summary = tree(enterprise_html).xpath("//section[@id='summary']")[0].text_content()
    chars = enterprise.summary()["characters"]
    assert f"{chars['inserted']:,}" in summary and f"{chars['deleted']:,}" in summary  # type: ignore[index]
    assert "added 新增" in summary and "modified 修改" in summary
    moves = tree(enterprise_html).xpath("//section[@id='moves']")[0].text_content()
    s = enterprise.summary()
    assert f"Moves: {s['toward']} toward the centre, {s['away']} away from it" in moves
    assert all(move_id in moves for move_id, c in s["moves"].items() if c["places"])
    assert "“工商行政管理部门” → “市场监督管理部门”" in moves  # the systematic renaming, once


def test_move_summary_comes_first(enterprise_html: str) -> None:
    """The answer leads: after the title and metadata, the first section is the move summary."""
    body = tree(enterprise_html).xpath("//body")[0]
    blocks = [el for el in body if el.tag not in ("input",)]
    assert blocks[0].tag == "header" and blocks[1].get("id") == "moves"


def test_toc_lists_changed_pairs_only(enterprise: DocumentDiff, enterprise_html: str) -> None:
    root = tree(enterprise_html)
    ids = dict(zip(map(id, enterprise.pairs), pair_ids(enterprise), strict=True))
    toc = {a.get("href")[1:]: a.text_content() for a in root.xpath("//nav[@class='toc']//a")}
    expected = [ids[id(p)] for p in enterprise.pairs if shown(p)]
    assert list(toc) == expected
    unchanged = [ids[id(p)] for p in enterprise.pairs if not shown(p)]
    assert unchanged and not set(unchanged) & set(toc)
    assert not root.xpath("//section[@class='pair' and @data-status='unchanged']")
    for num in ("第十六条", "第二十条"):  # added in 2024
        [added] = [p for p in enterprise.pairs if p.status == "added" and p.new is not None and p.new.num == num]
        assert num in toc[ids[id(added)]] and "added" in toc[ids[id(added)]]
        block = root.get_element_by_id(ids[id(added)])
        assert block.xpath(".//div[contains(@class,'side')]//ins")[0].text_content() == added.new.text
    assert len(set(pair_ids(enterprise))) == len(enterprise.pairs)


def test_moves_beside_their_pairs(enterprise: DocumentDiff, enterprise_html: str) -> None:
    root = tree(enterprise_html)
    ids = dict(zip(map(id, enterprise.pairs), pair_ids(enterprise), strict=True))
    moved = moved_pairs(enterprise)
    assert moved and {m.direction for p in moved for m in p.moves} == {"toward", "away"}
    for p in moved:
        block = root.get_element_by_id(ids[id(p)])
        assert block.get("data-moves").split() == [m.id for m in p.moves]
        for m in p.moves:
            [badge] = block.xpath(f".//div[contains(@class,'flag') and @data-move='{m.id}']")
            assert m.id in badge.text_content() and m.descriptions[0] in badge.text_content()
            assert m.direction in badge.get("class").split()
            quoted = " ".join(q.text_content() for q in badge.xpath(".//blockquote"))
            assert all(e.text[:10] in quoted for e in m.evidence)
    with_moves = {b.get("id") for b in root.xpath("//section[@data-moves]")}
    assert with_moves == {ids[id(p)] for p in moved}


def _marked_then(root: lxml.html.HtmlElement, xpath: str, word: str) -> list[str]:
    """Marked runs that, read on with the text after them, spell `word` (the run holding its changed part)."""
    return [el.text_content() for el in root.xpath(xpath)
            if el.text_content() and word.startswith(el.text_content())
            and (el.text_content() + (el.tail or "")).startswith(word)]


def test_replacement_marked(enterprise_html: str) -> None:
    """工商行政管理 → 市场监督管理: the character diff marks 工商行政 / 市场监督 and keeps 管理 shared."""
    root = tree(enterprise_html)
    side_old = "//div[contains(@class,'col old')]//del"
    side_new = "//div[contains(@class,'col new')]//ins"
    assert _marked_then(root, side_old, "工商行政管理")
    assert _marked_then(root, side_new, "市场监督管理")
    assert not root.xpath("//div[contains(@class,'col old')]//ins | //div[contains(@class,'col new')]//del")
    inline = root.xpath("//div[contains(@class,'view inline')]")
    assert any("<del>工商行政</del><ins>市场监督</ins>管理" in lxml.html.tostring(v, encoding="unicode")
               for v in inline)


def test_escaping(hostile: DocumentDiff) -> None:
    html = render_html(hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>机关" not in html
    root = tree(html)
    assert not root.xpath("//script | //img | //*[@onerror]")
    body = root.body.text_content()
    assert HOSTILE in body and '"><img src=x onerror=alert(2)>' in body and "<b>机关</b>" in body
    assert HOSTILE in root.xpath("//title")[0].text_content()
    assert root.xpath("//ins[contains(., '壬\"') and contains(., \"'&\")]")


def test_merge_ids_unique_and_output_stable(hostile: DocumentDiff) -> None:
    """Two pairs with one new section (a merge) still get distinct ids; the page is deterministic."""
    new = hostile.pairs[-1].new
    olds = [p.old for p in hostile.pairs if p.old is not None]
    merged = DocumentDiff(hostile.old, hostile.new, [Pair(o, new, "merged", 0.5, group=1) for o in olds])
    ids = pair_ids(merged)
    assert len(set(ids)) == len(ids) and ids[0] == f"pair-{new.eid}"
    assert render_html(merged) == render_html(merged)
    html = render_html(merged)
    assert all(f'id="{i}"' in html for i in ids)


# -- in a browser ---------------------------------------------------------------------------

PROBE = "scdocs-console-probe"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, enterprise_html: str, hostile: DocumentDiff) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    out = {"enterprise": folder / "enterprise.html", "hostile": folder / "hostile.html",
           "probe": folder / "enterprise-probe.html"}
    out["enterprise"].write_text(enterprise_html, encoding="utf-8")
    out["hostile"].write_text(render_html(hostile), encoding="utf-8")
    # The same page plus one console.log: proves the console check below can see console output.
    out["probe"].write_text(enterprise_html.replace("</body>", f"<script>console.log('{PROBE}')</script></body>"),
                            encoding="utf-8")
    return out


@browser
def test_browser_screenshot(tmp_path: Path, pages: dict[str, Path]) -> None:
    png = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", pages["enterprise"].as_uri())
    data = png.read_bytes()
    assert len(data) > 10_000
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    n = colours(png)
    assert n >= 8, f"screenshot has {n} colour(s): blank page?"


@browser
def test_browser_dom_and_console(tmp_path: Path, enterprise: DocumentDiff, pages: dict[str, Path]) -> None:
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", pages["probe"].as_uri())
    root = tree(done.stdout)
    ids = dict(zip(map(id, enterprise.pairs), pair_ids(enterprise), strict=True))
    for p in moved_pairs(enterprise):
        block = root.get_element_by_id(ids[id(p)])
        assert block.get("data-moves").split() == [m.id for m in p.moves]
        assert block.xpath(f".//div[contains(@class,'flag') and @data-move='{p.moves[0].id}']")
    shown = [el for el in root.xpath("//body")[0] if el.tag != "input"]  # as Chromium built the page
    assert shown[0].tag == "header" and shown[1].get("id") == "moves"
    assert "toward the centre" in shown[1].text_content()
    console = console_lines(done.stderr)
    assert any(PROBE in line for line in console), "console output not captured:\n" + done.stderr[-2000:]
    errors = [line for line in console if PROBE not in line]
    assert not errors, "\n".join(errors)


@browser
def test_browser_hostile_text_shown(tmp_path: Path, pages: dict[str, Path]) -> None:
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", pages["hostile"].as_uri())
    root = tree(done.stdout)
    assert not root.xpath("//script | //img | //*[@onerror]")
    assert HOSTILE in root.body.text_content()
    console = console_lines(done.stderr)
    assert not console, "\n".join(console)


@browser
@pytest.mark.parametrize("width", [800, 1400])
def test_browser_summary_above_the_fold(tmp_path: Path, enterprise_html: str, width: int) -> None:
    """The move summary starts within the first screen at a laptop's and at a narrow window's width."""
    script = ("<script>const e = document.getElementById('moves'); document.body.setAttribute('data-top', "
              "e ? Math.round(e.getBoundingClientRect().top) : -1); "
              "document.body.setAttribute('data-width', window.innerWidth);</script></body>")
    page = tmp_path / "probe.html"
    page.write_text(enterprise_html.replace("</body>", script), encoding="utf-8")
    done = chromium(tmp_path, f"--window-size={width},900", "--dump-dom", page.as_uri())
    body = tree(done.stdout).body
    assert int(body.get("data-width")) == width
    assert 0 <= int(body.get("data-top")) < 900 - 100, f"summary starts at {body.get('data-top')} px"


def test_changes_outside_the_units_are_marked_as_html_in_html_and_markdown(tmp_path: Path) -> None:
    """The tester's finding: the outline lines showed {+…+} text markers in HTML and Markdown."""
    from typer.testing import CliRunner

    from scdocs.cli import app

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("测试条例\n第一条　甲。\n", encoding="utf-8")
    b.write_text("测试条例<script>alert(1)</script>\n第一条　甲。\n", encoding="utf-8")
    page = CliRunner().invoke(app, ["diff", str(a), str(b), "--format", "html"]).stdout
    assert "<li>preface modified: 测试条例<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins></li>" in page
    md = CliRunner().invoke(app, ["diff", str(a), str(b), "--format", "md"]).stdout
    assert "- preface modified: 测试条例<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in md and "{+" not in md
