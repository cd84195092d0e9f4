"""Readers on inputs written by the tests: encodings, line endings, front matter, .docx, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scdocs import load
from scdocs.readers import read_bytes, read_path, sniff

OPINIONS_HTML = """<html><head><meta charset="gb2312"><title>示例</title>
<script>var x = "（九十九）不应出现。";</script><style>p {color: red}</style></head>
<body><div class="nav">首页 &gt; 政策</div>
<div id="content"><p>关于示例工作的意见</p>
<p>为推进示例工作，现提出如下意见。</p>
<p>一、总体要求</p>
<p>（一）指导思想。坚持朱镕基同志提出的原则，文字在此之后继续。</p>
<p>（二）工作要求。统筹推进。</p>
<p>二、重点任务</p>
<p>（三）健全制度。建立全国统一的平台。</p>
<p class="article-editor">责任编辑：某某</p></div>
<div class="footer">版权所有</div></body></html>"""


def test_gb2312_declared_page_with_gbk_only_characters_is_not_truncated() -> None:
    data = OPINIONS_HTML.encode("gb18030")
    doc = read_bytes(data, "page.html")
    assert "朱镕基同志提出的原则，文字在此之后继续" in doc.text
    assert [u.heading for u in doc.units()] == ["指导思想", "工作要求", "健全制度"]
    for junk in ("九十九", "color", "首页", "责任编辑", "版权所有"):
        assert junk not in doc.text


def test_undeclared_gbk_page_is_detected() -> None:
    page = OPINIONS_HTML.replace('<meta charset="gb2312">', "")
    doc = read_bytes(page.encode("gbk"), "page.html")
    assert "朱镕基同志提出的原则，文字在此之后继续" in doc.text  # 镕 is GBK-only: not read as gb2312
    assert [(u.num, u.heading) for u in doc.units()] == [
        ("（一）", "指导思想"), ("（二）", "工作要求"), ("（三）", "健全制度")]
    assert doc.find(2).text == "（二）工作要求。统筹推进。"


def test_utf8_bom_and_mixed_line_endings(tmp_path: Path) -> None:
    raw = "示例条例\r\n\r\n（2024年1月1日示例省第一届人民代表大会常务委员会第一次会议通过）\r\n\r\n" \
          "第一条　为了示例，制定本条例。\n第二条　本条例适用于示例。\r第三条　本条例自公布之日起施行。\r\n"
    path = tmp_path / "law.txt"
    path.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    doc = read_path(path)
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert [u.num for u in doc.units()] == ["第一条", "第二条", "第三条"]
    assert doc.meta.title == "示例条例"
    assert doc.meta.date == "2024-01-01"
    assert doc.meta.issuer == "示例省人民代表大会常务委员会"
    assert doc.preface is not None and "通过" in doc.preface.text


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "law16.txt"
    path.write_bytes("示例\n第一条　甲。\n第二条　乙。\n".encode("utf-16"))
    doc = read_path(path)
    assert [u.text for u in doc.units()] == ["第一条　甲。", "第二条　乙。"]
    assert doc.meta.title == "示例" and "\ufeff" not in doc.text


def test_markdown_front_matter_and_info_marker(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text("# 示例法\n\n2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过\n\n"
                    "<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n", encoding="utf-8")
    doc = read_path(path)
    assert doc.meta.title == "示例法" and doc.meta.issuer == "全国人民代表大会常务委员会"
    assert doc.body[0].heading == "总则"
    assert "#" not in doc.text and "INFO END" not in doc.text


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"])
@pytest.mark.parametrize("lead", ["", "\ufeff", "\u200b", "\n\n"])
def test_front_matter_is_read_whatever_the_line_breaks(newline: str, lead: str) -> None:
    """A Markdown file saved on Windows (\r\n), with old Mac breaks or a zero-width character before
    its front matter reads as the \n file does."""
    lines = ["---", "title: 某某省社会信用条例", "doc_number: 某某省人大常委会公告第1号", "kind: local-regulation",
             "extra.id: mou-2023", "---", "", "第一条　为了规范信用管理，制定本条例。",
             "第二条　本条例自公布之日起施行。", ""]
    doc = read_bytes((lead + newline.join(lines)).encode("utf-8"), "law.md")
    assert (doc.meta.title, doc.meta.doc_number, doc.meta.kind, doc.meta.extra["id"]) == (
        "某某省社会信用条例", "某某省人大常委会公告第1号", "local-regulation", "mou-2023")
    assert [u.num for u in doc.units()] == ["第一条", "第二条"] and "---" not in doc.text


def test_rules_around_a_title_are_no_front_matter_and_nothing_is_dropped() -> None:
    """--- lines around a title or a sentence of a plain text are rules, not YAML: every word stays."""
    doc = read_bytes("---\n某某条例\n---\n第一条　内容。\n第二条　内容。\n".encode(), "rules.txt")
    assert doc.meta.title == "某某条例" and [u.num for u in doc.units()] == ["第一条", "第二条"]
    prose = read_bytes("---\n本文件依据某某法制定，现予公布。\n---\n第一条　内容。\n".encode(), "prose.txt")
    assert "本文件依据某某法制定，现予公布。" in prose.text


def test_a_utf16_mark_before_other_bytes_is_refused_and_a_cut_character_is_counted() -> None:
    """UTF-8 behind a stray UTF-16 mark (any byte pairs decode as UTF-16: 견룤ꆝ…) is an error; a UTF-16
    text with one byte too many at its end reads, saying that byte was left out."""
    from scdocs.errors import InputError

    with pytest.raises(InputError, match="read as no text"):
        read_bytes(b"\xff\xfe\xfd" + "第一条　abc\n".encode(), "stray.txt")
    doc = read_bytes(b"\xff\xfe" + "示例\n第一条　甲。\n第二条　乙。\n".encode("utf-16-le") + b"x", "cut.txt")
    assert [u.num for u in doc.units()] == ["第一条", "第二条"]
    assert any("left out 1 undecodable byte at the end" in w for w in doc.warnings)


def test_a_title_in_short_lines_alone_or_above_info_end_is_the_title() -> None:
    """某某省 / 社会信用条例 alone is a title wrapped over two lines (it names a kind of document), not a
    title and a paragraph; a Markdown law's title in plain lines above <!-- INFO END --> is its title."""
    alone = read_bytes("某某省\n社会信用条例\n".encode(), "title.txt")
    assert alone.meta.title == "某某省社会信用条例" and not alone.units()
    assert any(w.startswith("no body text") for w in alone.warnings)
    marked = read_bytes("中华人民共和国\n个人信息保护法\n\n<!-- INFO END -->\n\n第一条 为了保护个人信息，制定本法。\n"
                        .encode(), "law.md")
    assert marked.meta.title == "中华人民共和国个人信息保护法" and [u.num for u in marked.units()] == ["第一条"]


def test_markdown_italics_and_list_items_are_markup() -> None:
    """*重要* reads as 重要 (as **bold** does), an escaped \\* as a star, and a list item's - marker is
    markup: - （一）甲； is point (一)."""
    doc = read_bytes("# 某某条例\n\n第一条　*重要*内容，a\\*b。\n\n第二条　有下列情形：\n\n- （一）甲；\n- （二）乙。\n"
                     .encode(), "law.md")
    assert doc.find(1).text == "第一条　重要内容，a*b。"
    assert [p.num for p in doc.find(2).children] == ["（一）", "（二）"]


def test_reviewed_reading_edges() -> None:
    """Front matter with a comment first, a Chinese or quoted key; UTF-16 Japanese behind its mark; a
    title above INFO END that stops before the issuer; a heading over a list ending in 法; rules kept in
    their place; an escaped star inside emphasis-like text."""
    front = "---\n# metadata\n发布机关: 某\n\"title\": 某法\ndate: 2020-01-02\n---\n"
    fm = read_bytes((front + "第一条　甲\n").encode(), "x.md")
    assert (fm.meta.title, fm.meta.date) == ("某法", "2020-01-02")
    ja = read_bytes(b"\xff\xfe" + "日本語のテキスト\n第一条　ひらがな。\n".encode("utf-16-le"), "ja.txt")
    assert "ひらがな" in ja.text
    head = "中华人民共和国某法\n\n全国人民代表大会常务委员会\n\n2020年1月1日\n\n"
    law = read_bytes((head + "<!-- INFO END -->\n\n第一条　甲\n").encode(), "law.md")
    assert (law.meta.title, law.meta.issuer) == ("中华人民共和国某法", "全国人民代表大会常务委员会")
    listed = read_bytes("常用方法\n加法\n减法\n".encode(), "list.txt")
    assert listed.meta.title == "常用方法" and [s.text for s in listed.units()] == ["加法", "减法"]
    ruled = read_bytes("----\n某某条例\n----\n第一条　甲\n".encode(), "ruled.txt")
    assert ruled.meta.title == "某某条例" and ruled.text.startswith("----\n某某条例\n----\n")
    star = read_bytes("# 某某条例\n\n第一条　按5*3\\*2计算。\n".encode(), "star.md")
    assert star.find(1).text == "第一条　按5*3*2计算。"


def test_a_markdown_round_trip_keeps_leading_dashes(tmp_path: Path) -> None:
    from scdocs.formats.render import to_markdown

    doc = read_bytes("某某条例\n第一条　下列行为：\n- 甲；\n+ 乙。\n".encode(), "rt.txt")
    back = read_bytes(to_markdown(doc).encode(), "rt.md")
    assert back.text == doc.text


def test_docx(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "示例条例"
    for line in ["示例条例", "第一章　总则", "第一条　为了示例，制定本条例。", "第二条　有下列情形之一的：",
                 "（一）甲；", "（二）乙。"]:
        d.add_paragraph(line)
    path = tmp_path / "law.docx"
    d.save(str(path))
    assert sniff(path.read_bytes(), str(path)) == "docx"
    doc = read_path(path)
    assert doc.meta.title == "示例条例"
    assert [u.num for u in doc.units()] == ["第一条", "第二条"]
    assert [p.num for p in doc.find(2).children] == ["（一）", "（二）"]


def test_json_article_list_rebuilds_chapters() -> None:
    data = {"title": "示例条例", "issuing_body": "国务院", "issued_date": "2020-01-01",
            "provisions": [
                {"provision_ref": "1", "chapter": "第一章 总则", "content": "甲。"},
                {"provision_ref": "2", "chapter": "第一章 总则", "content": "乙：\n（一）丙；\n（二）丁。"},
                {"provision_ref": "3", "chapter": "第二章 附则", "content": "本条例自公布之日起施行。"}]}
    doc = read_bytes(json.dumps(data, ensure_ascii=False).encode(), "regs.json")
    assert [(c.num, c.heading) for c in doc.containers()] == [("第一章", "总则"), ("第二章", "附则")]
    assert [p.num for p in doc.find(2).children] == ["（一）", "（二）"]
    assert doc.find(3).text == "第三条　本条例自公布之日起施行。"
    # Every line break splits paragraphs (U+2028 as \n does), and a text that prints its own number is
    # not given it twice.
    data["provisions"] = [{"provision_ref": "1", "content": "甲。\u2028乙。"},
                          {"provision_ref": "2", "content": "第二条　丙。"}]
    doc = read_bytes(json.dumps(data, ensure_ascii=False).encode(), "regs.json")
    assert [p.text for p in doc.find(1).children] == ["甲。", "乙。"]
    assert doc.find(2).text == "第二条　丙。"


def test_load_accepts_text_bytes_and_paths(tmp_path: Path) -> None:
    text = "示例\n第一条　甲。\n第二条　乙。"
    assert len(load(text).units()) == 2
    assert len(load(text.encode()).units()) == 2
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    assert len(load(path).units()) == 2
    assert len(load(str(path)).units()) == 2


@pytest.mark.parametrize("fmt", ["json", "md", "txt"])
def test_convert_outputs(tmp_path: Path, raw_dir: Path, fmt: str) -> None:
    from typer.testing import CliRunner

    from scdocs.cli import app

    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(app, ["convert", str(raw_dir / "scs-opinions-2022.md"), "--to", fmt,
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(written)
        assert (data["format"], data["format_version"]) == ("scdocs-document", 1)
        back = read_path(out)
        assert [u.heading for u in back.units()][-1] == "加强安全保护"
        assert back.to_dict() == read_path(raw_dir / "scs-opinions-2022.md").to_dict()
    elif fmt == "md":
        assert "## 六、加强组织实施" in written and "\n（十九）加强党的领导。" in written  # not bold: would not render
    else:
        assert written.count("\n（") == 23


def test_cli_sections_show_and_check(raw_dir: Path) -> None:
    from typer.testing import CliRunner

    from scdocs.cli import app

    runner = CliRunner()
    opinions = str(raw_dir / "scs-opinions-2022.md")
    r = runner.invoke(app, ["sections", opinions])
    assert r.exit_code == 0 and "加强党的领导" in r.stdout and "part_6__item_19" in r.stdout
    r = runner.invoke(app, ["show", opinions, "19"])
    assert r.exit_code == 0 and "坚持和加强党对社会信用体系建设工作的领导" in r.stdout
    r = runner.invoke(app, ["show", opinions, "99"])
    assert r.exit_code == 2 and "no section numbered 99" in r.stderr
    r = runner.invoke(app, ["check", opinions])
    assert r.exit_code == 0 and "consistent" in r.stdout
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("scdocs ")


@pytest.mark.parametrize("path", [p for p in __import__("conftest").corpus_files()], ids=lambda p: p.name)
def test_markdown_output_reads_back(tmp_path: Path, path: Path) -> None:
    """`convert --to md` writes what the Markdown reader reads: same units, headings and containers."""
    from scdocs.formats.render import to_markdown

    doc = read_path(path)
    out = tmp_path / "doc.md"
    out.write_text(to_markdown(doc), encoding="utf-8")
    back = read_path(out)
    assert [(u.num, u.heading) for u in back.units()] == [(u.num, u.heading) for u in doc.units()]
    assert [c.num for c in back.containers()] == [c.num for c in doc.containers()]
    assert back.meta.title == doc.meta.title
    # Nothing is lost on the way: the metadata, and every character of the text but spacing.
    assert (back.meta.issuer, back.meta.date, back.meta.doc_number) == (doc.meta.issuer, doc.meta.date,
                                                                        doc.meta.doc_number)
    assert (back.meta.kind, back.meta.language, back.meta.extra) == (doc.meta.kind, doc.meta.language,
                                                                     doc.meta.extra)
    assert back.text == doc.text


def test_markdown_round_trip_of_awkward_titles_and_bare_texts(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    from scdocs.formats.render import to_markdown

    for text in ("关于印发《办法》的通知: 第二版 # x\n第一条　甲。\n（一）乙。\n", "第一条 甲。\n第二条 乙。\n"):
        doc = load(text)
        out = tmp_path / "doc.md"
        out.write_text(to_markdown(doc), encoding="utf-8")
        back = read_path(out)
        assert (back.text, back.meta.title) == (doc.text, doc.meta.title)
        assert "**" not in MarkdownIt("commonmark").render(out.read_text(encoding="utf-8"))  # bold renders


def test_plain_text_output_reads_back_with_its_title_and_header(tmp_path: Path, raw_dir: Path) -> None:
    # The adoption line under the title (2021年8月20日 …通过) is header, never glued onto the title.
    from scdocs.formats.render import to_text

    doc = read_path(raw_dir / "pipl-2021.md")
    out = tmp_path / "pipl.txt"
    out.write_text(to_text(doc), encoding="utf-8")
    back = read_path(out)
    assert (back.meta.title, back.meta.date, back.text) == (doc.meta.title, doc.meta.date, doc.text)


def test_load_takes_text_in_every_shape_and_names_the_problem_otherwise() -> None:
    from scdocs.errors import InputError

    assert [u.num for u in load("标题\r第一条　甲。\r第二条　乙。").units()] == ["第一条", "第二条"]  # CR line ends
    assert [u.num for u in load("第一条　甲。").units()] == ["第一条"]  # one line of Chinese is text
    assert [u.num for u in load(bytearray("第一条　甲。".encode())).units()] == ["第一条"]
    assert load("<p>第一条　甲。</p>").units()[0].num == "第一条"  # markup on one line
    assert load("第一条 为了规范社会信用/制定本条例。").units()[0].num == "第一条"  # a / in a sentence is text
    assert load("Article 1 This law applies to credit information.").units()[0].num == "Article 1"
    for bad, problem in (("", "empty"), ("nonexistent.md", "no such file"), ("no/such/法律", "no such file"),
                         ("a b", "no such file"), ("my rules/pipl", "no such file")):
        with pytest.raises(InputError, match=problem):
            load(bad)


@pytest.mark.parametrize("path", [p for p in __import__("conftest").corpus_files()], ids=lambda p: p.name)
def test_document_json_validates_against_its_published_schema(path: Path) -> None:
    # What `convert --to json` writes and `Document.to_dict()` returns are one shape, the one
    # scdocs/data/document.schema.json publishes for other tools.
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("scdocs").joinpath("data/document.schema.json").read_text(encoding="utf-8"))
    data = read_path(path).to_dict()
    jsonschema.validate(data, schema)
    assert (data["format"], data["format_version"]) == ("scdocs-document", 1)


def test_markdown_output_keeps_markup_characters_and_lets_no_html_through(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    from scdocs.formats.render import to_markdown

    source = tmp_path / "odd.txt"  # plain text: every character is text
    source.write_text("示例条例\n第一条　价格为**5**元 <script>alert(1)</script> &amp; __x__ \\ 路径\n"
                      "#不是标题 *星*\n第二条　乙。\n", encoding="utf-8")
    doc = read_path(source)
    assert "<script>" in doc.text and "**5**" in doc.text
    out = tmp_path / "odd.md"
    out.write_text(to_markdown(doc), encoding="utf-8")
    assert read_path(out).text == doc.text
    html = MarkdownIt("commonmark").render(out.read_text(encoding="utf-8"))
    assert "<script" not in html and "**5**" in html and "__x__" in html


@pytest.mark.parametrize("path", [p for p in __import__("conftest").corpus_files()], ids=lambda p: p.name)
def test_plain_text_export_reads_back_as_the_same_text(path: Path) -> None:
    """`convert --to txt` and back: the same text at the same offsets, and the title and 发文字号
    where the text prints them (a two-line title over its 国发〔2019〕5号 stays title, number apart)."""
    from scdocs.formats.render import to_text

    doc = read_path(path)
    back = read_bytes(to_text(doc).encode("utf-8"), "back.txt")
    assert back.text == doc.text
    assert [(s.eid, s.start, s.end) for s in back.walk()] == [(s.eid, s.start, s.end) for s in doc.walk()]
    if doc.meta.title and doc.text.startswith(doc.meta.title[:4]):
        assert (back.meta.title, back.meta.doc_number) == (doc.meta.title, doc.meta.doc_number)


def test_a_section_is_found_however_its_num_is_typed(raw_dir: Path) -> None:
    opinions, pipl = read_path(raw_dir / "scs-opinions-2022.md"), read_path(raw_dir / "pipl-2021.md")
    for ref in ("（十九）", "(十九)", "( 十九 )", "19", "１９", "(19)"):
        assert opinions.find(ref).eid == "part_6__item_19", ref
    for ref in ("第十三条", "第13条", "第１３条", "13"):
        assert pipl.find(ref).eid == "chp_2__sec_1__art_13", ref
    assert pipl.find_all("第99条") == [] and pipl.find_all("(甲)") == []


def test_a_corpus_document_keeps_its_catalogue_facts_through_markdown(fetched: None, tmp_path: Path) -> None:
    """The kind and the catalogue's facts (id, work, work date) survive `--to md`: the document read
    back names the same FRBR work as the one converted (one work per law, whatever the version)."""
    from typer.testing import CliRunner

    from scdocs.cli import app
    from scdocs.formats.frbr import expression_uri

    doc = load("company-law-2023")
    md = tmp_path / "cl.md"
    assert CliRunner().invoke(app, ["convert", "company-law-2023", "--to", "md", "--output", str(md)]).exit_code == 0
    back = read_path(md)
    assert back.meta.kind == doc.meta.kind == "law" and back.meta.extra == doc.meta.extra
    assert str(expression_uri(back)) == str(expression_uri(doc)) == "/akn/cn/act/1993-12-29/company-law/zho@2023-12-29"


def test_plain_text_export_ends_the_title_where_the_reader_will(tmp_path: Path) -> None:
    from scdocs.formats.render import to_text

    source = tmp_path / "x.txt"
    source.write_text("关于*加强*信用[建设]的`意见`\n\n# 不是标题\n一、总体要求\n（一）指导思想。坚持党的领导。\n",
                      encoding="utf-8")
    doc = read_path(source)
    back = read_bytes(to_text(doc).encode("utf-8"), "back.txt")
    assert (back.meta.title, back.text) == (doc.meta.title, doc.text) == ("关于*加强*信用[建设]的`意见`", doc.text)


def test_a_heading_over_a_list_of_short_lines_is_no_wrapped_title(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("信用名录\n上海市\n北京市\n广东省\n浙江省\n", encoding="utf-8")
    doc = read_path(names)
    assert doc.meta.title == "信用名录" and [s.text for s in doc.walk()] == ["上海市", "北京市", "广东省", "浙江省"]
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("海南自由贸易港违反市场准入承诺即入制\n失信惩戒若干规定\n第一条　为了规范。\n", encoding="utf-8")
    assert read_path(wrapped).meta.title == "海南自由贸易港违反市场准入承诺即入制失信惩戒若干规定"


def test_a_provision_without_a_number_is_numbered_by_its_place_and_says_so(tmp_path: Path) -> None:
    """The tester's finding: 第三条 was printed for a provision the source gives no number, silently."""
    from typer.testing import CliRunner

    from scdocs.cli import app

    path = tmp_path / "list.json"
    path.write_text(json.dumps({"title": "某条例", "provisions": [
        {"provision_ref": "1", "content": "甲。"}, {"provision_ref": "2", "content": "乙。"}, {"content": "丙。"}]},
        ensure_ascii=False), encoding="utf-8")
    doc = read_path(path)
    assert [u.num for u in doc.units()] == ["第一条", "第二条", "第三条"]
    note = ("added numbers to 1 provision without provision_ref: numbered by their place in the list (the source "
            "prints no number for them)")
    assert note in doc.warnings
    r = CliRunner().invoke(app, ["sections", str(path)])
    assert r.exit_code == 0 and note in r.stderr
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 1


def test_a_page_whose_articles_are_a_table_under_a_heading(tmp_path: Path) -> None:
    """The tester's findings: the <h1> naming the document was left out as 'outside the main content'
    (and the page's <title> taken for its title), and each table cell was a line of its own."""
    path = tmp_path / "table.html"
    path.write_text("<html><head><title>某市信用条例（表格版）- 某市政府网</title></head><body><nav>首页 新闻</nav>"
                    "<h1>某市信用条例</h1><table><tr><th>条号</th><th>内容</th></tr>"
                    "<tr><td>第一条</td><td>为了推进社会信用体系建设，制定本条例。</td></tr>"
                    "<tr><td>第二条</td><td>本条例自公布之日起施行。</td></tr></table></body></html>",
                    encoding="utf-8")
    doc = read_path(path)
    assert doc.meta.title == "某市信用条例" and doc.text.startswith("某市信用条例\n")
    assert [u.text for u in doc.units()] == ["第一条　为了推进社会信用体系建设，制定本条例。",
                                             "第二条　本条例自公布之日起施行。"]
    assert not any("某市信用条例" in w for w in doc.warnings)


def test_a_row_beside_an_article_and_a_sites_banner_are_not_the_documents(tmp_path: Path) -> None:
    """The code reviewer's findings: a row 发布日期 | 第一条… became one line (第一条 lost), and a site's
    <h1> two levels above the content became the document's first line and title."""
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>某市社会信用条例_某市政府</title></head><body><h1>某市人民政府</h1>"
                    "<div><div><h3>政策原文</h3><table><tr><td>发布日期：2021-03-01</td>"
                    "<td>第一条　为了规范管理，制定本条例。</td></tr>"
                    "<tr><td>第二条　本条例自公布之日起施行。</td></tr></table></div></div></body></html>",
                    encoding="utf-8")
    doc = read_path(path)
    assert [u.num for u in doc.units()] == ["第一条", "第二条"] and not [w for w in doc.warnings if "gap" in w]
    assert doc.meta.title == "某市社会信用条例_某市政府" and "某市人民政府" not in doc.text.split("\n")[0]


def test_an_english_regulation_has_its_title_and_adoption_date(tmp_path: Path) -> None:
    """The tester's finding: an English text's title line and '(Adopted … on 15 March 2021)' gave no
    title and no date (so trend left it out and Akoma Ntoso dated it 0001-01-01)."""
    path = tmp_path / "reg.txt"
    path.write_text("Regulations on the Administration of Public Credit Information of Example Province\n\n"
                    "(Adopted at the 12th Meeting of the Standing Committee of the Example Provincial People's "
                    "Congress on 15 March 2021)\n\nArticle 1 These Regulations are formulated to protect the "
                    "lawful rights and interests of credit subjects.\n\nArticle 2 These Regulations shall come "
                    "into force on June 1, 2021.\n", encoding="utf-8")
    doc = read_path(path)
    assert doc.meta.title == "Regulations on the Administration of Public Credit Information of Example Province"
    assert doc.meta.date == "2021-03-15" and [u.num for u in doc.units()] == ["Article 1", "Article 2"]


def test_a_latin1_declaration_over_chinese_bytes_is_passed_over() -> None:
    """The tester's finding: a server's `charset=iso-8859-1` over UTF-8 or GB18030 Chinese gave mojibake
    with exit 0 (latin-1 decodes any bytes, so the wrong declaration never failed); a Western page still
    reads as cp1252."""
    from scdocs.readers import read_bytes

    text = "某条例\n第一条　为了规范社会信用信息管理，制定本条例。\n"
    for enc in ("utf-8", "gb18030"):
        for declared in ("iso-8859-1", "latin-1", "windows-1252"):
            assert read_bytes(text.encode(enc), "x.txt", declared_charset=declared).text.startswith("某条例"), (
                enc, declared)
    western = "Caf\xe9 r\xe8glement. Article 1 The fee is 10 \u20ac.\n"
    assert read_bytes(western.encode("cp1252"), "w.txt", declared_charset="windows-1252").text == western.strip()


def test_html_br_inside_a_sentence_and_a_number_in_its_own_element() -> None:
    """The tester's findings: <br> inside a sentence split the article into two paragraphs and the cue
    联合惩戒 in two; <strong>第一条</strong>对… ran the number into its text and lost the article."""
    from scdocs import load, tag

    page = ("<html><head><title>某办法</title></head><body><h1>某办法</h1>"
            "<p><strong>第一条</strong>对严重失信主体实施联合惩戒。</p><p><strong>第二条</strong> 保护个人信息。</p>"
            "<p>第三条　对严重失信主体依法实施联合<br>惩戒，限制其参与政府采购。<br>"
            "第四条　本办法自公布之日起施行。</p></body></html>").encode()
    doc = load(page)
    assert [u.num for u in doc.units()] == ["第一条", "第二条", "第三条", "第四条"]
    third = doc.units()[2]
    assert third.text.strip() == "第三条　对严重失信主体依法实施联合惩戒，限制其参与政府采购。" and not third.children
    words = {e.text for st in tag(doc, engine="rules").sections if st.section.num == "第三条"
             for t in st.themes for e in t.evidence}
    assert "联合惩戒" in words


def test_a_word_line_break_inside_a_sentence_is_joined(tmp_path: Path) -> None:
    """The tester's finding: Shift+Enter (<w:br/>) between 联合 and 惩戒 made two paragraphs and broke the
    cue; a line break before another article still parts them."""
    import docx

    from scdocs import load

    d = docx.Document()
    d.add_paragraph("某办法")
    p = d.add_paragraph("第一条　对严重失信主体依法实施联合")
    p.add_run().add_break()
    p.add_run("惩戒，限制其参与政府采购。")
    q = d.add_paragraph("第二条　为了规范。")
    q.add_run().add_break()
    q.add_run("第三条　本办法自公布之日起施行。")
    d.save(tmp_path / "br.docx")
    assert [u.text for u in load(tmp_path / "br.docx").units()] == [
        "第一条　对严重失信主体依法实施联合惩戒，限制其参与政府采购。", "第二条　为了规范。",
        "第三条　本办法自公布之日起施行。"]


def test_markdown_with_front_matter_and_an_html_block_reads_every_article() -> None:
    """The tester's finding: front matter plus one <div> block sent the whole Markdown body to the HTML
    reader, which glued the articles into one line (two of four were lost, exit 0); a raw HTML block's
    text is read as a browser shows it."""
    from scdocs import load

    text = ("---\ntitle: \"条例\"\n---\n\n# 条例\n\n第一条 甲。\n\n第二条 乙。\n\n<div>第三条 丙。</div>\n\n"
            "第四条 丁。\n")
    for data in (text, text.split("---\n\n", 1)[1]):
        doc = load(data.encode())
        assert [u.text for u in doc.units()] == ["第一条 甲。", "第二条 乙。", "第三条 丙。", "第四条 丁。"]


def test_word_equations_are_read_and_hidden_text_is_counted_not_read(tmp_path: Path) -> None:
    """The tester's findings: an equation (OMML) vanished from its article with no warning, and hidden
    text (w:vanish) was read as visible, running into 第八条 so that the article was lost."""
    import docx
    from docx.oxml import parse_xml

    from scdocs import load

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    m = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    d = docx.Document()
    d.add_paragraph("某办法")
    p = d.add_paragraph("第一条　信用分的计算公式为：")
    p._p.append(parse_xml(f'<m:oMath {m}><m:r><m:t>S=0.6A+0.4B</m:t></m:r></m:oMath>'))
    p._p.append(parse_xml(f'<w:r {w}><w:t>，其中A为履约得分。</w:t></w:r>'))
    q = d.add_paragraph()
    q._p.append(parse_xml(f'<w:r {w}><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>'))
    q._p.append(parse_xml(f'<w:r {w}><w:t>第二条　可见文字。</w:t></w:r>'))
    d.save(tmp_path / "m.docx")
    doc = load(tmp_path / "m.docx")
    assert [u.text for u in doc.units()] == ["第一条　信用分的计算公式为：S=0.6A+0.4B，其中A为履约得分。",
                                             "第二条　可见文字。"]
    assert any("4 characters of hidden text" in w for w in doc.warnings)


def test_a_heading_that_opens_the_content_and_names_the_document_is_its_title() -> None:
    """The tester's finding: with the <h1> inside the content, the title was the page's <title> with the
    site's name (某办法_某某市人民政府), or nothing where the page had no <title>."""
    from scdocs import load

    body = "<h1>某某市失信联合惩戒实施办法</h1><p>第一条　为了规范，制定本办法。</p>"
    for head in ("<title>某某市失信联合惩戒实施办法_某某市人民政府</title>", ""):
        page = f"<html><head>{head}</head><body>{body}</body></html>".encode()
        assert load(page).meta.title == "某某市失信联合惩戒实施办法", head
    banner = "<html><head><title>门户网站</title></head><body><h1>新闻中心</h1><p>第一条　甲。</p></body></html>"
    assert load(banner.encode()).meta.title == "门户网站"  # a heading that names no document is no title


def test_an_article_lists_own_record_id_is_not_taken_for_a_corpus_id(raw_dir: Path) -> None:
    """The tester's finding: tagging the article-list JSON by its path named the document by the list's
    internal record id (ff8081…) in the CSV, and the annotation store would file its notes under it."""
    from scdocs import load

    doc = load(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    assert "id" not in doc.meta.extra and doc.meta.extra["record_id"].startswith("ff8081")
    assert doc.meta.ref == str(raw_dir / "enterprise-info-disclosure-regs-2024.json")


def test_a_word_text_box_follows_the_paragraph_that_holds_it(tmp_path: Path) -> None:
    """The tester's finding: a text box inside 第二条's paragraph came out at the end of 第一条."""
    import docx
    from docx.oxml import parse_xml

    from scdocs import load

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    d.add_paragraph("某办法")
    d.add_paragraph("第一条　普通条文。")
    p = d.add_paragraph("第二条　正文。")
    p._p.append(parse_xml(f'<w:r {w}><w:pict><w:txbxContent><w:p><w:r><w:t>文本框中的文字</w:t></w:r></w:p>'
                          '</w:txbxContent></w:pict></w:r>'))
    d.save(tmp_path / "tb.docx")
    units = load(tmp_path / "tb.docx").units()
    assert [u.text for u in units] == ["第一条　普通条文。", "第二条　正文。\n文本框中的文字"]


def test_an_html_ruby_reading_is_no_part_of_the_text() -> None:
    """The tester's finding: <ruby>社<rt>she</rt></ruby>会 read as 社she会 inside the article."""
    from scdocs import load

    doc = load("<html><body><h1>某办法</h1><p>第一条　<ruby>社<rt>she</rt></ruby>会信用。</p></body></html>".encode())
    assert doc.units()[0].text == "第一条　社会信用。" and any("<rt>" in w for w in doc.warnings)
