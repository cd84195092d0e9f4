"""Outputs that open where they are read (issue 15): CSV in Excel, Markdown on GitHub and in pandoc,
Word handouts on A4 with the scholars' notes as Word comments."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from lxml import etree
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.formats.render import md_bold, md_line_start

runner = CliRunner()
BOM = b"\xef\xbb\xbf"
OPINIONS_TITLE = "关于推进社会信用体系建设高质量发展促进形成新发展格局的意见"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WIDE = {"COLUMNS": "240"}


def _tag_json(*args: str) -> dict:  # type: ignore[type-arg]
    r = runner.invoke(app, ["tag", *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# CSV


def test_tag_csv_file_has_a_bom_titles_and_one_row_per_tag(fetched: None, tmp_path: Path) -> None:
    out = tmp_path / "tags.csv"
    r = runner.invoke(app, ["tag", "scs-opinions-2022", "--format", "csv", "--output", str(out)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(BOM) and not raw.startswith(BOM * 2)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert list(rows[0])[:4] == ["format_version", "document", "title", "eId"]  # no BOM left in a name
    assert {r["format_version"] for r in rows} == {"2"}
    assert {r["document"] for r in rows} == {"scs-opinions-2022"} and {r["title"] for r in rows} == {OPINIONS_TITLE}

    tags = _tag_json("scs-opinions-2022")
    expected = [(s["eId"], t["id"]) for s in tags["sections"] for t in s["themes"]]
    assert [(r["eId"], r["theme"]) for r in rows] == expected  # one row per (section, theme), in order
    assert len(set(expected)) == len(expected)
    by_key = {(s["eId"], t["id"]): t["evidence"] for s in tags["sections"] for t in s["themes"]}
    for row in rows:
        spans = {(e["text"], e["start"], e["end"]) for e in by_key[row["eId"], row["theme"]]}
        listed = row["evidence"].split("; ")
        assert len(listed) == len(set(listed)) == int(row["evidence_count"]) == len(spans)  # each span once
        assert sorted(listed) == sorted(f"{t} @{a}–{b}" for t, a, b in spans)
    item19 = next(r for r in rows if r["eId"] == "part_6__item_19" and r["theme"] == "party-leadership")
    assert item19["evidence"].count("党的领导 @") == 1 and item19["heading"] == "加强党的领导"


def test_csv_on_standard_output_has_no_bom_unless_asked(fetched: None, tmp_path: Path) -> None:
    plain = runner.invoke(app, ["tag", "scs-opinions-2022", "--format", "csv"])
    assert plain.exit_code == 0 and plain.stdout_bytes.startswith(b"format_version,document,title,")
    excel = runner.invoke(app, ["tag", "scs-opinions-2022", "--format", "csv", "--excel"])
    assert excel.stdout_bytes == BOM + plain.stdout_bytes
    out = tmp_path / "plain.csv"
    r = runner.invoke(app, ["tag", "scs-opinions-2022", "--format", "csv", "--no-excel", "--output", str(out)])
    assert r.exit_code == 0 and out.read_bytes() == plain.stdout_bytes
    trend = tmp_path / "trend.csv"
    r = runner.invoke(app, ["trend", "--theme", "blacklisting", "shanghai-credit-regs-2017", "scs-opinions-2022",
                            "--format", "csv", "--output", str(trend)])
    assert r.exit_code == 0, r.output
    assert trend.read_bytes().startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(trend.read_text(encoding="utf-8-sig"), newline="")))
    assert {r["title"] for r in rows if r["level"] == "document"} == {"上海市社会信用条例", OPINIONS_TITLE}


def test_csv_quotes_titles_with_commas_and_quotes(tmp_path: Path) -> None:
    doc = tmp_path / "rules.txt"
    doc.write_text('示例规定,"第二版"\n第一条　失信被执行人名单应当依法公布，严重失信主体名单应当公开。\n',
                   encoding="utf-8")
    out = tmp_path / "rules.csv"
    r = runner.invoke(app, ["tag", str(doc), "--format", "csv", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert '"示例规定,""第二版"""' in out.read_text(encoding="utf-8-sig")  # RFC 4180 quoting
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows and {r["title"] for r in rows} == {'示例规定,"第二版"'} and {r["document"] for r in rows} == {str(doc)}


# --------------------------------------------------------------------------------------------
# The terminal table


def test_tag_table_with_a_theme_lists_only_the_sections_that_have_it(fetched: None) -> None:
    tags = _tag_json("scs-opinions-2022")
    having = [s["num"] for s in tags["sections"] if any(t["id"] == "party-leadership" for t in s["themes"])]
    lacking = [s["num"] for s in tags["sections"] if s["num"] not in having]
    assert "（十九）" in having and "（二十三）" in lacking
    r = runner.invoke(app, ["tag", "scs-opinions-2022", "--theme", "party-leadership"], env=WIDE)
    assert r.exit_code == 0, r.output
    assert all(num in r.stdout for num in having)
    assert [num for num in lacking if num in r.stdout] == []
    everything = runner.invoke(app, ["tag", "scs-opinions-2022"], env=WIDE)
    assert "（二十三）" in everything.stdout  # without --theme every section is listed


# --------------------------------------------------------------------------------------------
# Markdown


def test_md_bold_flanks_on_letters_and_line_starts_stay_text() -> None:
    md = MarkdownIt("commonmark")
    assert md_bold("“信用”") == "“**信用**”"
    assert md.renderInline("前" + md_bold("“信用”") + "后") == "前“<strong>信用</strong>”后"
    assert md.renderInline("前**“信用”**后") == "前**“信用”**后"  # why: the naive bold is not rendered
    assert md_bold("。") == "。" and md_bold("a*b") == "**a\\*b**"
    assert md.render(md_line_start("1. 第一项")) == "<p>1. 第一项</p>\n"
    assert md.render("甲\n" + md_line_start("- 乙")) == "<p>甲\n- 乙</p>\n"


def test_handout_markdown_uses_bold_not_mark(fetched: None, tmp_path: Path) -> None:
    store = str(tmp_path / "notes")
    r = runner.invoke(app, ["annotate", "add", "shanghai-credit-regs-2017", "25", "--quote", "严重失信主体名单",
                            "--note", "remedies *required*", "--store", store])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["excerpt", "shanghai-credit-regs-2017", "--section", "25", "--theme", "blacklisting",
                            "--store", store, "--format", "md"])
    assert r.exit_code == 0, r.output
    assert "==" not in r.stdout and "**严重失信主体名单**" in r.stdout
    html = MarkdownIt("commonmark").render(r.stdout)
    assert "<strong>严重失信主体名单</strong>" in html and "**" not in html and "<mark" not in html
    assert "remedies \\*required\\*" in r.stdout and "<em>" not in html  # the note stays text
    assert html.count("<blockquote>") == 1 and html.count("<p>") >= 3  # one quoted paragraph per line


# --------------------------------------------------------------------------------------------
# DOCX


def _commented_text(body: etree._Element) -> dict[str, str]:
    """The text between each commentRangeStart and its commentRangeEnd, by comment id."""
    open_ids: list[str] = []
    texts: dict[str, str] = {}
    for el in body.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        cid = el.get(f"{W}id")
        if el.tag == f"{W}commentRangeStart":
            open_ids.append(cid)  # type: ignore[arg-type]
            texts[cid] = ""  # type: ignore[index]
        elif el.tag == f"{W}commentRangeEnd":
            open_ids.remove(cid)  # type: ignore[arg-type]
        else:
            for i in open_ids:
                texts[i] += el.text or ""
    return texts


def test_docx_handout_is_a4_with_notes_as_comments(fetched: None, tmp_path: Path) -> None:
    store = str(tmp_path / "notes")
    for quote, note in (("严重失信主体名单", "a blacklist with remedies <b>"), ("救济途径", "remedies: 救济")):
        r = runner.invoke(app, ["annotate", "add", "shanghai-credit-regs-2017", "25", "--quote", quote,
                                "--note", note, "--tag", "blacklisting", "--store", store])
        assert r.exit_code == 0, r.output
    out = tmp_path / "handout.docx"
    r = runner.invoke(app, ["excerpt", "shanghai-credit-regs-2017", "--annotated", "--theme", "blacklisting",
                            "--store", store, "--format", "docx", "--output", str(out)])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        document = etree.fromstring(z.read("word/document.xml"))
        comments = etree.fromstring(z.read("word/comments.xml")) if "word/comments.xml" in names else None
        content_types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    page = document.find(f".//{W}sectPr/{W}pgSz")
    assert page is not None and (page.get(f"{W}w"), page.get(f"{W}h")) == ("11906", "16838")
    margins = document.find(f".//{W}sectPr/{W}pgMar")
    assert margins is not None and all(900 <= int(margins.get(f"{W}{side}", "0")) <= 1440
                                       for side in ("top", "bottom", "left", "right"))
    assert comments is not None and "comments+xml" in content_types and "comments.xml" in rels
    notes = {c.get(f"{W}id"): "".join(c.itertext()) for c in comments.iter(f"{W}comment")}
    assert sorted(notes.values()) == ["a blacklist with remedies <b> [blacklisting]", "remedies: 救济 [blacklisting]"]
    starts = [e.get(f"{W}id") for e in document.iter(f"{W}commentRangeStart")]
    ends = [e.get(f"{W}id") for e in document.iter(f"{W}commentRangeEnd")]
    refs = [e.get(f"{W}id") for e in document.iter(f"{W}commentReference")]
    assert sorted(starts) == sorted(ends) == sorted(refs) == sorted(notes)
    anchored = _commented_text(document)
    assert {notes[i]: anchored[i] for i in notes} == {
        "a blacklist with remedies <b> [blacklisting]": "严重失信主体名单", "remedies: 救济 [blacklisting]": "救济途径"}
    body_text = "".join(document.itertext())
    assert "a blacklist with remedies" not in body_text and "第二十五条" in body_text  # notes are comments only


def test_markdown_shows_document_text_as_typed_entities_included() -> None:
    import html as html_module

    from markdown_it import MarkdownIt

    from scdocs.formats.render import md_escape

    text = "维护国家安全 &amp; 公共利益，<b>粗</b> &lt;i&gt; *星* _线_ [链](x)"
    rendered = MarkdownIt("commonmark").render(md_escape(text))
    shown = html_module.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    assert shown == text


def test_csv_cells_that_would_run_as_formulas_are_defused(tmp_path: Path) -> None:
    import csv as csv_module
    import io as io_module

    from typer.testing import CliRunner

    from scdocs.cli import app
    from scdocs.formats.render import csv_cell

    doc = tmp_path / "formula.txt"
    doc.write_text('=HYPERLINK("http://evil.example","点击")\n第一条　个人信息受法律保护。\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["tag", str(doc), "--format", "csv"])
    assert r.exit_code == 0, r.output
    [row] = list(csv_module.DictReader(io_module.StringIO(r.stdout)))
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\",\"点击\")"
    assert [csv_cell(v) for v in ("@cmd", "+1+1", "-", "-1.5", 3, "第一条")] == ["'@cmd", "'+1+1", "-", "-1.5", 3,
                                                                                 "第一条"]


def test_output_never_replaces_a_stored_corpus_text_or_a_read_only_file(fetched: None, tmp_path: Path) -> None:
    """--output over the stored text of the corpus id being read, over another stored text, or over a
    read-only file: one-line refusal, exit 2, the file untouched."""
    from scdocs.corpus.catalogue import Catalogue

    cat = Catalogue.default()
    pipl, dsl = cat.path("pipl-2021"), cat.path("dsl-2021")
    locked = tmp_path / "locked.json"
    locked.write_text("{}", encoding="utf-8")
    locked.chmod(0o444)
    for args, target, problem in (
            (["convert", "pipl-2021", "--to", "json"], pipl, "refusing to overwrite a file this command reads"),
            (["tag", "pipl-2021", "--format", "json"], dsl, "refusing to overwrite a stored corpus text"),
            (["convert", "pipl-2021", "--to", "json"], locked, "is read-only")):
        before = target.read_bytes()
        r = runner.invoke(app, [*args, "--output", str(target)])
        assert r.exit_code == 2 and problem in r.stderr, (args, r.output)
        assert len(r.stderr.strip().splitlines()) == 1 and target.read_bytes() == before


def test_output_into_a_named_pipe_or_device_writes_into_it(tmp_path: Path) -> None:
    """The tester's finding: --output to a FIFO (or /dev/null, as root even /dev/full) renamed a regular
    file over it, destroying the device; special files are now written into as they are."""
    import os
    import stat
    import threading

    doc = tmp_path / "a.txt"
    doc.write_text("某条例\n第一条　为了规范管理，制定本条例。\n", encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = CliRunner().invoke(app, ["convert", str(doc), "--to", "txt", "--output", str(fifo)])
    reader.join(10)
    assert r.exit_code == 0 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert "第一条　为了规范管理" in got[0].decode("utf-8")
    r = CliRunner().invoke(app, ["convert", str(doc), "--to", "txt", "--output", os.devnull])
    assert r.exit_code == 0 and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    r = CliRunner().invoke(app, ["convert", str(doc), "--to", "txt", "--output", str(doc / "x.txt")])
    assert r.exit_code == 2 and "is not a folder" in r.output


def test_the_output_files_extension_names_the_format_when_none_is_given(tmp_path: Path) -> None:
    """The tester's finding: `excerpt … -o handout.docx` without --format wrote Markdown into a .docx file."""
    doc = tmp_path / "a.txt"
    doc.write_text("某条例\n第一条　对严重失信主体实施联合惩戒，限制其参与政府采购。\n", encoding="utf-8")
    runner = CliRunner()
    handout = tmp_path / "handout.docx"
    assert runner.invoke(app, ["excerpt", str(doc), "--section", "1", "-o", str(handout)]).exit_code == 0
    assert zipfile.is_zipfile(handout)
    tags = tmp_path / "tags.csv"
    assert runner.invoke(app, ["tag", str(doc), "-o", str(tags)]).exit_code == 0
    assert tags.read_text(encoding="utf-8-sig").startswith("format_version,document")
    report = tmp_path / "report.html"
    assert runner.invoke(app, ["diff", str(doc), str(doc), "-o", str(report)]).exit_code == 0
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = tmp_path / "report.md"  # an explicit --format wins over the extension
    assert runner.invoke(app, ["diff", str(doc), str(doc), "--format", "json", "-o", str(md)]).exit_code == 0
    assert json.loads(md.read_text(encoding="utf-8"))["format"] == "scdocs-diff"


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    """The tester's finding: `-o -` wrote a file named '-' (DOC - is standard input)."""
    doc = tmp_path / "a.txt"
    doc.write_text("某条例\n第一条　信用信息。\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["tag", str(doc), "-f", "csv", "-o", "-"])
    assert r.exit_code == 0 and r.stdout.startswith("format_version,document")  # no BOM: not a file
    assert not Path("-").exists()
