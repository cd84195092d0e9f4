"""`scdocs excerpt`: selection by theme, section, text and annotation; citations; md, html, docx, json."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import lxml.html
from browser import browser, chromium, colours, console_lines
from conftest import corpus_files
from typer.testing import CliRunner

from scdocs.cli import app

runner = CliRunner()


def test_party_leadership_over_the_corpus_includes_item_19(fetched: None) -> None:
    r = runner.invoke(app, ["excerpt", "--all", "--theme", "party-leadership", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["format"], data["format_version"]) == ("scdocs-excerpts", 1)
    item = next(e for e in data["excerpts"] if e["citation"]["doc_id"] == "scs-opinions-2022" and e["number"] == 19)
    cite = item["citation"]
    assert cite["title"] == "关于推进社会信用体系建设高质量发展促进形成新发展格局的意见"
    assert cite["date"] == "2022-03-29" and "国务院办公厅" in cite["issuer"]
    assert (cite["num"], cite["heading"]) == ("（十九）", "加强党的领导")
    assert "party-leadership" in item["themes"]
    marked = [item["text"][h["start"]: h["end"]] for h in item["highlights"] if h["kind"] == "theme"]
    assert "党的领导" in marked
    assert all(e["themes"] == ["party-leadership"] for e in data["excerpts"])
    docs = {e["citation"]["doc_id"] for e in data["excerpts"]}
    assert len(docs) >= 3
    n, searched = len(data["excerpts"]), len(corpus_files())  # the summary counts the documents excerpted
    assert f"{n} excerpts from {len(docs)} of {searched} documents searched" in " ".join(r.stderr.split())


def test_docx_handout_reads_back(fetched: None, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "handout.docx"
    r = runner.invoke(app, ["excerpt", "scs-opinions-2022", "--section", "19", "--section", "23",
                            "--format", "docx", "--title", "社会信用讲义", "--output", str(out)])
    assert r.exit_code == 0, r.output
    d = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "社会信用讲义" in text and "（十九）加强党的领导。" in text and "（二十三）加强安全保护。" in text
    assert "《关于推进社会信用体系建设高质量发展促进形成新发展格局的意见》" in text
    highlighted = [run.text for p in d.paragraphs for run in p.runs if run.font.highlight_color is not None]
    assert "党的领导" in highlighted
    r = runner.invoke(app, ["excerpt", "scs-opinions-2022", "--section", "19", "--format", "docx"])
    assert r.exit_code == 2 and "--output" in r.stderr


def test_annotated_and_query_selection_with_notes(fetched: None, tmp_path: Path) -> None:
    store = str(tmp_path / "notes")
    r = runner.invoke(app, ["annotate", "add", "shanghai-credit-regs-2017", "25", "--quote", "严重失信主体名单",
                            "--note", "a blacklist with remedies <b>", "--tag", "blacklisting", "--store", store])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["excerpt", "shanghai-credit-regs-2017", "--annotated", "--store", store, "--format", "md"])
    assert r.exit_code == 0
    assert "第二十五条" in r.stdout and "a blacklist with remedies &lt;b&gt;" in r.stdout
    assert r.stdout.count("## ") == 1
    r = runner.invoke(app, ["excerpt", "shanghai-credit-regs-2017", "--query", "信用修复", "--format", "json"])
    hits = [e["number"] for e in json.loads(r.stdout)["excerpts"]]
    assert hits and all("信用修复" in e["text"] for e in json.loads(r.stdout)["excerpts"])
    r = runner.invoke(app, ["excerpt", "shanghai-credit-regs-2017", "--annotated", "--store", store,
                            "--format", "html"])
    assert "a blacklist with remedies &lt;b&gt;" in r.stdout and '<mark class="annotation">' in r.stdout
    r = runner.invoke(app, ["excerpt", "shanghai-credit-regs-2017"])
    assert r.exit_code == 2 and "choose what to excerpt" in r.stderr


@browser
def test_html_handout_renders_in_chromium(fetched: None, tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    r = runner.invoke(app, ["excerpt", "--all", "--theme", "party-leadership", "--format", "html",
                            "--title", "党的领导 <摘录>", "--output", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.w3.org", "") and "<script" not in page
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", out.as_uri())
    root = lxml.html.fromstring(done.stdout)
    assert root.findtext(".//h1") == "党的领导 <摘录>"
    sections = root.xpath("//section[@class='excerpt']")
    texts = [s.text_content() for s in sections]
    item19 = next(t for t in texts if "（十九）加强党的领导。" in t)
    assert "《关于推进社会信用体系建设高质量发展促进形成新发展格局的意见》" in item19
    assert root.xpath("//section[@class='excerpt']//mark[@class='theme' and text()='党的领导']")
    assert not console_lines(done.stderr)
    png = tmp_path / "handout.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1000,1400", out.as_uri())
    assert colours(png) >= 8


def test_a_section_no_document_has_is_an_error(fetched: None) -> None:
    r = runner.invoke(app, ["excerpt", "scs-opinions-2022", "--section", "99"])
    assert r.exit_code == 2 and "no section '99'" in r.stderr


def test_docx_handout_survives_control_characters(tmp_path: Path) -> None:
    import docx

    doc = tmp_path / "ff.txt"
    doc.write_text("示例规定\n第一条　甲\x07乙。\n第二条　丙。\n", encoding="utf-8")  # \x0c would be a line break
    out = tmp_path / "h.docx"
    r = runner.invoke(app, ["excerpt", str(doc), "--section", "1", "--format", "docx", "--title", "讲\x07义",
                            "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "甲\ufffd乙" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)


def test_a_number_shared_by_items_of_several_parts_selects_them_all(raw_dir: Path) -> None:
    r = runner.invoke(app, ["excerpt", str(raw_dir / "guofa-2019-5-joint-random-inspection.html"),
                            "--section", "1", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [e["eId"] for e in json.loads(r.stdout)["excerpts"]] == ["part_3__item_1", "part_4__item_1"]


def test_a_chapter_or_a_point_names_the_articles_it_covers(raw_dir: Path) -> None:
    """--section names any section `show` accepts: a chapter pulls each of its articles, a point the
    article that holds it (the tester's finding: both gave 0 excerpts, silently)."""
    from scdocs.readers import read_path

    def excerpted(doc: Path, ref: str) -> list[str]:
        r = runner.invoke(app, ["excerpt", str(doc), "--section", ref, "--format", "json"])
        assert r.exit_code == 0, r.output
        return [e["eId"] for e in json.loads(r.stdout)["excerpts"]]

    pipl = raw_dir / "pipl-2021.md"
    chapter = read_path(pipl).find("chp_2")
    assert excerpted(pipl, "chp_2") == [u.eid for u in chapter.walk() if u.kind == "article"] != []
    disclosure = raw_dir / "enterprise-info-disclosure-regs-2014.json"
    assert excerpted(disclosure, "art_6__para_1__point_1") == ["art_6"]


def test_handouts_mark_cue_words_not_the_learned_layers_character_ngrams(raw_dir: Path) -> None:
    import scdocs
    from scdocs.readers import read_path
    from scdocs.reports.excerpts import Selection, select
    from scdocs.themes.result import MODEL_EVIDENCE

    doc = read_path(raw_dir / "dsl-2021.md")
    tags = scdocs.tag(doc)
    model_only = {(e.start, e.end) for st in tags.sections for t in st.themes for e in t.evidence
                  if e.pattern.startswith(MODEL_EVIDENCE)}
    cues = {(e.start, e.end) for st in tags.sections for t in st.themes for e in t.evidence
            if not e.pattern.startswith(MODEL_EVIDENCE)}
    assert model_only - cues  # the model explains some tags with n-grams (数据安, 商业秘 …)
    excerpts = select(doc, tags, [], Selection(themes=tuple({t.id for st in tags.sections for t in st.themes})))
    marked = {(e.section.start + h.start, e.section.start + h.end) for e in excerpts for h in e.highlights
              if h.kind == "theme"}
    assert marked and marked <= cues


def test_a_highlight_without_a_note_reads_as_one(raw_dir: Path, tmp_path: Path) -> None:
    doc, store = str(raw_dir / "scs-opinions-2022.md"), str(tmp_path / "notes")
    assert runner.invoke(app, ["annotate", "add", doc, "19", "--quote", "中央统筹", "--by", "T",
                               "--store", store]).exit_code == 0
    md = runner.invoke(app, ["excerpt", doc, "--annotated", "--store", store]).stdout
    assert "- Highlight (T) on “中央统筹”\n" in md and "”: " not in md
    html = runner.invoke(app, ["excerpt", doc, "--annotated", "--store", store, "--format", "html"]).stdout
    assert "<li><b>T</b> on “中央统筹”</li>" in html


def test_standard_input_is_named_stdin_in_warnings(tmp_path: Path) -> None:
    store = str(tmp_path / "notes")
    r = runner.invoke(app, ["annotate", "add", "-", "1", "--quote", "相同", "--store", store],
                      input="某市信用条例\n第一条　相同。\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["excerpt", "-", "--annotated", "--store", store], input="某市信用条例\n第一条　不同。\n")
    assert "warning: <stdin>: left out 1 annotation" in " ".join(r.stderr.split()), r.output


def test_excerpt_query_reads_words_as_search_does(raw_dir: Path) -> None:
    doc = str(raw_dir / "scs-opinions-2022.md")
    words = json.loads(runner.invoke(app, ["excerpt", doc, "--query", "信用 修复", "--format", "json"]).stdout)
    texts = [e["text"] for e in words["excerpts"]]
    assert texts and all("信用" in t and "修复" in t for t in texts)
    phrase = json.loads(runner.invoke(app, ["excerpt", doc, "--query", '"信用 修复"', "--format", "json"]).stdout)
    assert phrase["excerpts"] == []  # the phrase with its space is in no section
    r = runner.invoke(app, ["excerpt", doc, "--query", " "])
    assert r.exit_code == 2 and "--query needs a word" in r.stderr


def test_criteria_that_no_section_meets_together_are_said_to_combine(raw_dir: Path) -> None:
    doc = str(raw_dir / "scs-opinions-2022.md")
    r = runner.invoke(app, ["excerpt", doc, "--theme", "party-leadership", "--section", "23"])
    assert r.exit_code == 0 and "0 excerpts" in r.stderr and "a section must meet them all" in r.stderr
    r = runner.invoke(app, ["excerpt", doc, "--theme", "party-leadership", "--section", "19"])
    assert "1 excerpt from" in r.stderr and "warning" not in r.stderr


def test_overlapping_highlights_are_each_marked_whole() -> None:
    """Two annotated quotes that overlap are both marked over all their words, and theme evidence that
    one of them partly covers keeps the rest of its mark (the tester's finding: 、 and 党的领导 lost theirs)."""
    from scdocs.reports.excerpts import Highlight, non_overlapping

    text = "坚持中央统筹、省负总责、市县抓落实，加强党的领导。"
    a = Highlight(text.index("中央"), text.index("省负") + 4, "annotation", "a")
    b = Highlight(text.index("省负"), text.index("，"), "annotation", "b")
    theme = Highlight(text.index("党的领导"), text.index("党的领导") + 4, "theme", "party-leadership")
    note = Highlight(text.index("加强") , text.index("党的") + 2, "annotation", "c")
    marks = non_overlapping([theme, a, b, note])
    covered = "".join(text[h.start:h.end] for h in marks if h.kind == "annotation")
    assert covered == "中央统筹、省负总责、市县抓落实加强党的"
    assert [(text[h.start:h.end], h.kind) for h in marks if h.kind == "theme"] == [("领导", "theme")]
    assert all(x.end <= y.start for x, y in itertools.pairwise(marks))  # marks never overlap


def test_a_document_without_a_title_is_cited_by_its_file_name(tmp_path: Path) -> None:
    """Never an empty 《》 (the tester's finding): a file outside the corpus with no title is known by its name."""
    path = tmp_path / "sa.txt"
    path.write_text("第一条　个人信息受保护。\n第二条　本规定自公布之日起施行。\n", encoding="utf-8")
    r = runner.invoke(app, ["excerpt", str(path), "--section", "1", "--format", "json"])
    assert r.exit_code == 0, r.output
    cited = json.loads(r.stdout)["excerpts"][0]["citation"]
    assert (cited["title"], cited["doc_id"], cited["text"]) == ("", "sa.txt", "sa.txt 第一条")
    r = runner.invoke(app, ["excerpt", str(path), "--section", "1", "--format", "md"])
    assert "《》" not in r.stdout and "Source: sa.txt 第一条" in r.stdout
