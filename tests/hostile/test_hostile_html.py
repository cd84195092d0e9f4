"""Hostile HTML (issue 14, "never lose text silently"): nested content blocks, deep nesting, a
huge text node and page boilerplate. Every page is generated here at test time; the command-line
cases run in a bounded child process (see conftest.py), the rest call the reader directly."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scdocs.errors import InputError
from scdocs.readers import read_bytes, read_path
from scdocs.readers.common import LEFT_OUT, SKIPPED
from scdocs.readers.html import DEPTH_CAP, read_html_str

PREFACE = "为了规范示例工作，保障当事人的合法权益，根据有关法律，制定本条例。"
ARTICLES = [f"第{n}条　{text}" for n, text in
            (("一", "本条例适用于本省行政区域内的示例活动。"), ("二", "县级以上人民政府负责示例工作。"),
             ("三", "有关部门应当依法履行职责。"), ("四", "本条例自公布之日起施行。"))]


def _page(body: str, title: str = "示例条例") -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"


def nested_page() -> str:
    """The user's page: three articles in a few nested <div>s (the richest block), the preface and
    the fourth article beside them."""
    inner = "".join(f"<p>{a}</p>" for a in ARTICLES[:3])
    return _page(f"<div class='wrap'><h1>示例条例</h1><p>{PREFACE}</p><div><div><div>{inner}</div></div></div>"
                 f"<p>{ARTICLES[3]}</p></div>")


def deep_page(depth: int) -> str:
    """Text at the top, every 100 levels down, at the bottom and after the nest closes."""
    parts = [f"<p>{ARTICLES[0]}</p>"]
    for level in range(1, depth + 1):
        parts.append("<div>")
        if level % 100 == 0:
            parts.append(f"<p>第{level}层的文字。</p>")
    parts.append(f"<p>{ARTICLES[1]}</p>" + "</div>" * depth + f"<p>{ARTICLES[2]}</p>")
    return _page("".join(parts))


def write(tmp_path: Path, name: str, page: str) -> Path:
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    return path


def left_out_lines(stderr: str) -> list[str]:
    """The warnings that name what was left out (`warning: DOC: left out …`)."""
    return [line for line in stderr.splitlines() if line.startswith("warning:") and f": {LEFT_OUT}" in line]


# --- through the command line ------------------------------------------------------------------

def test_preface_and_article_beside_a_nested_block_are_kept(scdocs: Callable, tmp_path: Path) -> None:
    path = write(tmp_path, "nested.html", nested_page())
    run = scdocs("convert", path, "--to", "txt")
    run.assert_ok()
    assert PREFACE in run.stdout
    for article in ARTICLES:
        assert article in run.stdout
    outline = scdocs("sections", path)
    outline.assert_ok()
    assert "4 articles" in outline.stdout
    assert not left_out_lines(outline.stderr)  # nothing of the page was left out


@pytest.mark.parametrize("depth", [300, 3_000])
def test_deep_nesting_is_read_completely(scdocs: Callable, tmp_path: Path, depth: int) -> None:
    run = scdocs("convert", write(tmp_path, f"deep{depth}.html", deep_page(depth)), "--to", "txt")
    run.assert_ok()
    for article in ARTICLES[:3]:
        assert article in run.stdout
    for level in range(100, depth + 1, 100):
        assert f"第{level}层的文字。" in run.stdout
    assert not left_out_lines(run.stderr)


def test_100000_deep_nesting_is_a_one_line_error(scdocs: Callable, tmp_path: Path) -> None:
    run = scdocs("sections", write(tmp_path, "deep100k.html", deep_page(100_000)))
    run.assert_one_line_error("deep100k.html", "nests elements deeper than 5,000 levels")


def test_an_11_mb_text_node_is_read_completely(scdocs: Callable, tmp_path: Path) -> None:
    sentence = "申请人应当如实提供有关材料，行政机关应当依法审查。"
    body = sentence * (11 * 1024 * 1024 // len(sentence.encode()) + 1)
    path = write(tmp_path, "huge.html", _page(f"<p>{ARTICLES[0]}</p><p>第二条　{body}完。</p>"))
    assert path.stat().st_size > 11 * 1024 * 1024
    run = scdocs("convert", path, "--to", "txt")
    run.assert_ok()
    assert run.stdout.count(sentence) == body.count(sentence)
    assert "完。" in run.stdout and ARTICLES[0] in run.stdout
    assert not left_out_lines(run.stderr)


def test_boilerplate_left_out_is_counted(scdocs: Callable, tmp_path: Path) -> None:
    nav = "首页 新闻 政策 互动 服务"
    footer = "主办单位：示例网站 版权所有 联系我们"
    articles = "".join(f"<p>{a}</p>" for a in ARTICLES)
    path = write(tmp_path, "furniture.html", _page(f"<nav>{nav}</nav><div id='content'>{articles}</div>"
                                                   f"<footer>{footer}</footer><script>var a = '第九条';</script>"))
    run = scdocs("sections", path)
    run.assert_ok()
    assert "4 articles" in run.stdout
    nav_chars, footer_chars = (len(re.sub(r"\s", "", s)) for s in (nav, footer))
    total = nav_chars + footer_chars + sum(len(re.sub(r"\s", "", a)) for a in ARTICLES)
    summary = left_out_lines(run.stderr)[0]
    assert f"left out {nav_chars + footer_chars} of the page's {total} characters" in summary
    assert f"<nav> {nav_chars}" in summary and f"<footer> {footer_chars}" in summary
    assert "script and style code" in summary


def test_check_reports_numbering_not_furniture(scdocs: Callable, tmp_path: Path) -> None:
    """The left-out note goes to stderr; `check` still judges the numbering alone."""
    path = write(tmp_path, "furniture.html", _page("<nav>首页 新闻 政策 互动</nav>"
                                                   + "".join(f"<p>{a}</p>" for a in ARTICLES)))
    run = scdocs("check", path)
    run.assert_ok()
    assert "consistent" in run.stdout and left_out_lines(run.stderr)


def test_a_little_page_furniture_is_noted_quietly(scdocs: Callable, tmp_path: Path) -> None:
    """Under 5 % of the page and no numbered unit: a `skipped` note in the warnings, not on stderr."""
    body = "".join(f"<p>{a}</p>" for a in ARTICLES) * 5
    path = write(tmp_path, "quiet.html", _page(f"<nav>首页</nav><div>{body}</div>"))
    run = scdocs("sections", path)
    run.assert_ok()
    assert run.stderr == ""
    total = 2 + 5 * sum(len(a) - 1 for a in ARTICLES)  # each article has one ideographic space
    notes = [w for w in read_path(path).warnings if w.startswith((SKIPPED, LEFT_OUT))]
    assert notes == [f"{SKIPPED} 2 of the page's {total} characters (0.6 %): <nav> 2"]


# --- at the reader -------------------------------------------------------------------------------

def test_nested_block_keeps_everything_in_document_order() -> None:
    doc = read_bytes(nested_page().encode(), "nested.html")
    assert [u.text for u in doc.units()] == ARTICLES
    positions = [doc.text.index(s) for s in ("示例条例", PREFACE, *ARTICLES)]
    assert positions == sorted(positions)
    assert doc.warnings == []


def test_every_character_is_accounted_for() -> None:
    """kept + left out = the page's text, reason by reason."""
    articles = "".join(f"<p>{a}</p>" for a in ARTICLES)
    links = "<ul>" + "".join(f"<li><a href='/{i}'>相关新闻标题{i}</a></li>" for i in range(5)) + "</ul>"
    page = _page(f"<div class='share-bar'>分享到微信</div><div id='content'>{articles}"
                 f"<p>责任编辑：某某</p></div><div class='aside-box'>{links}</div><p>扫码关注</p>")
    got = read_html_str(page, "page.html")
    summary = got.warnings[0]
    parts = summary.split(": ", 1)[1].split(";")[0].split(", ")
    numbers = {name: int(n.replace(",", "")) for name, n in (part.rsplit(" ", 1) for part in parts)}
    kept = len(re.sub(r"\s", "", got.text))
    m = re.search(r"left out ([0-9,]+) of the page's ([0-9,]+) characters", summary)
    assert m is not None, summary
    left, total = (int(g.replace(",", "")) for g in m.groups())
    assert kept + left == total
    assert sum(numbers.values()) == left, numbers
    assert numbers['class or id "share"'] == len("分享到微信")
    assert numbers["editor and share lines"] == len("责任编辑：某某")
    assert numbers["link lists"] + numbers["outside the main content"] == \
        sum(len(f"相关新闻标题{i}") for i in range(5)) + len("扫码关注")


def test_a_dropped_block_holding_a_numbered_unit_is_named() -> None:
    articles = "".join(f"<p>{a}</p>" for a in ARTICLES)
    page = _page(f"<div id='content'>{articles}</div><div class='share'><p>第五条　被误放在分享栏里的条文。</p></div>")
    got = read_html_str(page, "page.html")
    named = [w for w in got.warnings if "第五条" in w]
    assert named and '<div class="share">' in named[0] and "被误放在分享栏里" in named[0]


def test_a_large_dropped_block_is_named_even_without_numbering() -> None:
    page = _page("<div id='content'>" + "".join(f"<p>{a}</p>" for a in ARTICLES) + "</div>"
                 "<aside><p>" + "相关解读文字" * 40 + "</p></aside>")
    got = read_html_str(page, "page.html")
    assert any(w.startswith(f"{LEFT_OUT} <aside>") and "% of the page" in w for w in got.warnings), got.warnings


def test_a_class_guess_does_not_drop_the_document() -> None:
    """'menu' in a class is a guess at boilerplate: a block holding the articles is kept."""
    page = _page("<div class='menu-content'>" + "".join(f"<p>{a}</p>" for a in ARTICLES) + "</div>")
    doc = read_bytes(page.encode(), "page.html")
    assert [u.text for u in doc.units()] == ARTICLES


def test_link_lists_beside_the_content_stay_out() -> None:
    links = "".join(f"<p><a href='/{i}'>第{i}期新闻：示例报道。</a></p>" for i in range(1, 4))
    page = _page(f"<div class='main'><p>{PREFACE}</p><div><div>" + "".join(f"<p>{a}</p>" for a in ARTICLES)
                 + f"</div></div><div>{links}</div></div>")
    doc = read_bytes(page.encode(), "page.html")
    assert PREFACE in doc.text and "示例报道" not in doc.text
    assert any("link lists" in w for w in doc.warnings), doc.warnings


def test_deep_page_beyond_the_cap_names_the_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.html", deep_page(DEPTH_CAP + 10))
    with pytest.raises(InputError, match=f"deeper than {DEPTH_CAP:,} levels"):
        read_path(path)


def test_deep_page_under_the_cap_reads_completely(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "deep.html", deep_page(DEPTH_CAP - 10)))
    assert ARTICLES[2] in doc.text and f"第{DEPTH_CAP - 100}层的文字。" in doc.text
