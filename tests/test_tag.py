"""Theme tagging: accuracy on the gold set, evidence offsets, the spaCy component, outputs, taxonomy files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import corpus_files
from typer.testing import CliRunner

from scdocs import load, tag
from scdocs.cli import app
from scdocs.readers import read_path
from scdocs.themes import CORE_THEME_IDS, load_taxonomy
from scdocs.themes.evaluate import evaluate

runner = CliRunner()


@pytest.fixture(scope="module")
def opinions(raw_dir: Path):  # type: ignore[no-untyped-def]
    return tag(read_path(raw_dir / "scs-opinions-2022.md"))


def test_accuracy_on_the_development_gold_set(raw_dir: Path) -> None:
    files = {p.stem: p for p in raw_dir.iterdir()}
    ev = evaluate(raw_dir.parent.parent / "gold" / "themes-dev.tsv", lambda d: read_path(files[d]))
    assert ev.micro.precision >= 0.80, ev.errors
    assert ev.micro.recall >= 0.80, ev.errors
    assert ev.micro.f1 >= 0.85, ev.errors


def test_opinions_2022_items_19_and_23(opinions) -> None:  # type: ignore[no-untyped-def]
    doc = opinions.document
    item19 = opinions.section(19)
    assert {"party-leadership", "centralization"} <= set(item19.theme_ids)
    item23 = opinions.section(23)
    assert {"personal-information", "data-security", "national-security"} <= set(item23.theme_ids)
    for st in (item19, item23):
        for t in st.themes:
            assert t.evidence
            for e in t.evidence:
                assert doc.text[e.start: e.end] == e.text
                if e.pattern.startswith("model:h:"):  # the model may cite the heading of the part above
                    assert e.end <= st.section.start
                else:
                    assert st.section.start <= e.start < e.end <= st.section.end
    party = item19.get("party-leadership")
    assert party is not None and any(e.text == "党的领导" for e in party.evidence)
    nsec = item23.get("national-security")
    assert nsec is not None and nsec.evidence[0].text == "国家安全"  # the cue first, then the model's n-grams
    assert all(e.pattern.startswith(("zh:", "regex:", "model:g:")) for e in nsec.evidence)
    rules = tag(doc, engine="rules").section(23).get("national-security")
    assert rules is not None and [e.text for e in rules.evidence] == ["国家安全"]
    assert any(e.pattern == "zh:个人信息保护法" for e in item23.get("personal-information").evidence)  # type: ignore[union-attr]


def test_passing_mention_in_a_purpose_clause_does_not_tag(tmp_path: Path) -> None:
    text = ("示例条例\n第一条　为了保护个人信息，维护国家安全，根据有关法律，制定本条例。\n"
            "第二条　处理个人信息应当取得个人同意。\n")
    result = tag(load(text), engine="rules")  # the cue tagger's discount; the model learns its own
    assert result.sections[0].theme_ids == []
    assert "personal-information" in result.sections[1].theme_ids


def test_english_patterns_and_inflection() -> None:
    text = ("Regulations on Example Credit\n"
            "Article 1 These Regulations are formulated in accordance with the law.\n"
            "Article 2 Departments shall jointly punish seriously dishonest entities; joint punishments "
            "restrict their market access.\n"
            "Article 3 Processing personal information requires consent and protects privacy.\n"
            "Article 4 Upholding the leadership of the Party, a nationwide unified platform is built.\n")
    result = tag(load(text))
    by_num = {st.section.number: set(st.theme_ids) for st in result.sections}
    assert by_num[1] == set()
    assert "joint-punishment" in by_num[2]
    assert "personal-information" in by_num[3]
    assert {"party-leadership", "centralization"} <= by_num[4]
    evidence = result.sections[1].get("joint-punishment").evidence  # type: ignore[union-attr]
    assert "joint punishments" in [e.text for e in evidence]


def test_component_matches_across_jieba_tokens() -> None:
    """A pattern matches wherever its characters occur, even where jieba splits it across tokens."""
    import logging

    import jieba
    import spacy

    import scdocs.themes.component  # noqa: F401  (registers the factory)

    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("scdocs_themes")
    text = "坚持总体国家安全观，个人信息处理者应当依法处理。"
    doc = nlp(text)
    tokens = [t.text for t in doc]
    assert "国家安全" not in tokens and "个人信息" not in tokens  # segmentation splits both cues
    hits = {(text[s:e], key.split("|")[0]) for s, e, key in doc.user_data["scdocs_theme_hits"]}
    assert ("国家安全", "national-security") in hits
    assert ("个人信息", "personal-information") in hits
    labels = {s.label_ for s in doc.spans["themes"]}
    assert {"national-security", "personal-information"} <= labels


def test_component_is_registered_as_a_spacy_entry_point() -> None:
    code = ("import spacy; nlp = spacy.blank('en'); nlp.add_pipe('scdocs_themes'); "
            "doc = nlp('Data security and PIPL duties'); print(sorted({s.label_ for s in doc.spans['themes']}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['data-security', 'personal-information']"


def test_cli_json_output(raw_dir: Path) -> None:
    r = runner.invoke(app, ["tag", str(raw_dir / "scs-opinions-2022.md"), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["format"], data["format_version"]) == ("scdocs-tags", 2)
    item = next(s for s in data["sections"] if s["number"] == 19)
    assert item["eId"] == "part_6__item_19" and item["num"] == "（十九）" and item["heading"] == "加强党的领导"
    theme = next(t for t in item["themes"] if t["id"] == "party-leadership")
    assert theme["score"] >= 1.0
    assert {"text", "start", "end", "pattern"} <= set(theme["evidence"][0])


def test_cli_filters_and_threshold(raw_dir: Path) -> None:
    path = str(raw_dir / "scs-opinions-2022.md")
    r = runner.invoke(app, ["tag", path, "--format", "json", "--theme", "party-leadership"])
    data = json.loads(r.stdout)
    assert {t["id"] for s in data["sections"] for t in s["themes"]} == {"party-leadership"}
    low = json.loads(runner.invoke(app, ["tag", path, "--format", "json", "--min-score", "0.5"]).stdout)
    high = json.loads(runner.invoke(app, ["tag", path, "--format", "json", "--min-score", "3"]).stdout)
    count = lambda d: sum(len(s["themes"]) for s in d["sections"])  # noqa: E731
    assert count(low) > count(data) and count(high) < count(low)
    r = runner.invoke(app, ["tag", path, "--theme", "no-such-theme"])
    assert r.exit_code == 2 and "unknown theme" in r.stderr


def test_cli_csv_md_jsonl_and_annotations(raw_dir: Path, tmp_path: Path) -> None:
    path = str(raw_dir / "scs-opinions-2022.md")
    rows = list(csv.reader(io.StringIO(runner.invoke(app, ["tag", path, "--format", "csv"]).stdout)))
    assert rows[0][:4] == ["format_version", "document", "title", "eId"]
    assert any(row[3] == "part_6__item_19" and row[7] == "party-leadership" for row in rows[1:])
    md = runner.invoke(app, ["tag", path, "--format", "md"]).stdout
    assert "| （十九） | 加强党的领导 |" in md
    lines = runner.invoke(app, ["tag", path, "--format", "jsonl"]).stdout.splitlines()
    assert len(lines) == 23 and json.loads(lines[18])["num"] == "（十九）"
    out = tmp_path / "tags.jsonld"
    r = runner.invoke(app, ["tag", path, "--format", "annotations", "--output", str(out)])
    assert r.exit_code == 0, r.output
    coll = json.loads(out.read_text(encoding="utf-8"))
    assert coll["type"] == "AnnotationCollection" and "http://www.w3.org/ns/anno.jsonld" in coll["@context"]
    items = coll["first"]["items"]
    assert coll["total"] == len(items) > 0
    text = read_path(path).text
    for a in items:
        assert a["motivation"] == "tagging" and a["id"].startswith("urn:uuid:")
        quote, pos = a["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and pos["type"] == "TextPositionSelector"
        assert text[pos["start"]: pos["end"]] == quote["exact"]
        assert text[pos["start"] - len(quote["prefix"]): pos["start"]] == quote["prefix"]
    assert len({a["id"] for a in items}) == len(items)


def test_taxonomy_file_adds_a_theme(raw_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('format_version = 1\n[themes.social-assistance]\nlabel_en = "Social assistance"\n'
                     'patterns = [ { zh = "最低生活保障", weight = 1.0 }, { zh = "社会保险", weight = 1.0 } ]\n',
                     encoding="utf-8")
    r = runner.invoke(app, ["tag", str(raw_dir / "scs-opinions-2022.md"), "--taxonomy", str(extra),
                            "--format", "json", "--theme", "social-assistance"])
    assert r.exit_code == 0, r.output
    tagged = [s["number"] for s in json.loads(r.stdout)["sections"] if s["themes"]]
    assert tagged == [5]
    r = runner.invoke(app, ["themes", "--taxonomy", str(extra)])
    assert r.exit_code == 0 and "social-assistance" in r.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [("[themes.x\n", "malformed TOML"),
     ('[themes.new-theme]\nlabel_en = "X"\npatterns = [ { zh = "甲" } ]\n',
      "theme 'new-theme': patterns[1]: missing key 'weight'"),
     ('[themes.party-leadership]\npatterns = [ { regex = "(", weight = 1 } ]\n',
      "theme 'party-leadership': patterns[1]: key 'regex'"),
     ('[themes.Bad_Id]\nlabel_en = "X"\npatterns = []\n', "theme 'Bad_Id'"),
     ('[themes.centralization]\nweight = 2\n', "unknown key 'weight'")],
)
def test_malformed_taxonomy_fails_cleanly(tmp_path: Path, raw_dir: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    r = runner.invoke(app, ["tag", str(raw_dir / "dsl-2021.md"), "--taxonomy", str(bad)])
    assert r.exit_code == 2
    assert message in r.stderr and str(bad) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_themes_command_lists_the_core_taxonomy() -> None:
    assert set(CORE_THEME_IDS) <= set(load_taxonomy().themes)
    r = runner.invoke(app, ["themes", "--json"])
    listed = json.loads(r.stdout)
    assert [t["id"] for t in listed][:14] == list(CORE_THEME_IDS)
    assert all(t["patterns"]["zh"] > 0 and t["patterns"]["en"] > 0 for t in listed)


def test_many_documents_in_parallel_equal_the_serial_run(raw_dir: Path) -> None:
    names = ("scs-opinions-2022.md", "pipl-2021.md", "hainan-ftp-market-entry-dishonesty-rules-2023.txt")
    paths = [str(raw_dir / n) for n in names]
    serial = runner.invoke(app, ["tag", *paths, "--format", "jsonl"])
    parallel = runner.invoke(app, ["tag", *paths, "--format", "jsonl", "--jobs", "2"])
    assert serial.exit_code == parallel.exit_code == 0, parallel.output
    assert serial.stdout == parallel.stdout
    assert len(serial.stdout.splitlines()) == 23 + 74 + 9


def test_streamed_jsonl_and_csv_equal_the_whole_results(raw_dir: Path, tmp_path: Path) -> None:
    """JSON Lines and CSV are written as sections are decided (never all of a law's tags held at
    once); what they write is what the whole results give, in one process and from workers."""
    from scdocs.themes import export, tag_many, tag_stream

    docs = [read_path(raw_dir / n) for n in ("scs-opinions-2022.md", "pipl-2021.md")]
    whole = list(tag_many(docs))
    streamed = list(tag_stream(docs))
    assert [r.sections for r, _ in streamed] == [[], []]  # nothing decided before the writer asks
    lines = [line for r, sections in streamed for line in export.jsonl_lines(r, sections)]
    assert lines == [line for r in whole for line in export.jsonl_lines(r)]
    assert "".join(export.csv_stream(tag_stream(docs), bom=True)) == export.to_csv(whole, bom=True)
    paths = [str(raw_dir / n) for n in ("scs-opinions-2022.md", "pipl-2021.md")]
    for fmt, expected in (("jsonl", "".join(lines)), ("csv", export.to_csv(whole, bom=True))):
        for jobs in ("1", "2"):
            out = tmp_path / f"tags-{jobs}.{fmt}"
            r = runner.invoke(app, ["tag", *paths, "--format", fmt, "--jobs", jobs, "--output", str(out)])
            assert r.exit_code == 0, r.output
            assert out.read_bytes().decode("utf-8") == expected, (fmt, jobs)


def test_tag_all_fetched_documents_streams_jsonl(raw_dir: Path) -> None:
    r = runner.invoke(app, ["corpus", "fetch", "--from", str(raw_dir)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["tag", "--all", "--format", "jsonl", "--jobs", "2"])
    assert r.exit_code == 0, r.output
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert len({rec["document"]["title"] for rec in records}) >= 25
    ids = {rec["document"]["id"] for rec in records}
    assert len(ids) == len(corpus_files()) and "scs-opinions-2022" in ids
    item19 = next(rec for rec in records if rec["document"]["id"] == "scs-opinions-2022" and rec["number"] == 19)
    assert {"party-leadership", "centralization"} <= {t["id"] for t in item19["themes"]}


def test_component_emits_each_span_once() -> None:
    """个人信息 is both a phrase cue and a regex cue of personal-information: one span, not two."""
    import spacy

    import scdocs.themes.component  # noqa: F401  (registers the factory)

    nlp = spacy.blank("zh")
    nlp.add_pipe("scdocs_themes")
    doc = nlp("处理个人信息应当取得同意。")
    keys = [s.id_ for s in doc.spans["themes"] if s.label_ == "personal-information"]
    assert len(doc.user_data["scdocs_theme_hits"]) > len(doc.spans["themes"])  # two cues on the same words
    spans = [(s.start_char, s.end_char, s.label_) for s in doc.spans["themes"]]
    assert len(spans) == len(set(spans)) and keys


def test_credit_system_themes_need_a_document_about_credit() -> None:
    """The rights of litigants are not safeguards for subjects of the credit system: with no section
    mentioning credit, rights-protection is left out and the result says why."""
    procedure = load("某程序法\n" + "".join(
        f"第{n}条　当事人对决定不服的，有权申请复议，依法维护其合法权益，可以提出异议。\n" for n in range(1, 21)))
    tagged = tag(procedure, engine="rules")
    assert not any("rights-protection" in st.theme_ids for st in tagged.sections)
    assert tagged.notes and "rights-protection" in tagged.notes[0] and "0 of 20 sections" in tagged.notes[0]
    credit = load("某信用条例\n" + "".join(
        f"第{n}条　信用主体认为信用信息有误的，有权提出异议，依法维护其合法权益。\n" for n in range(1, 21)))
    kept = tag(credit, engine="rules")
    assert all("rights-protection" in st.theme_ids for st in kept.sections) and not kept.notes


def test_a_broken_scope_in_a_taxonomy_file_is_one_line(tmp_path: Path) -> None:
    from scdocs.themes import load_taxonomy
    from scdocs.themes.taxonomy import TaxonomyError

    bad = tmp_path / "mine.toml"
    bad.write_text('format_version = 1\n[[scope]]\nid = "x"\npattern = "信用"\nmin_share = 0.1\n'
                   'themes = ["no-such-theme"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="scope\\[1\\]: key 'themes' names unknown theme 'no-such-theme'"):
        load_taxonomy(bad)


def test_the_table_says_which_themes_a_scope_left_out(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from scdocs.cli import app

    path = tmp_path / "procedure.txt"
    articles = "".join(f"第{n}条　当事人有权申请复议，依法维护其合法权益。\n" for n in range(1, 11))
    path.write_text("某程序法\n" + articles, encoding="utf-8")
    r = CliRunner().invoke(app, ["tag", str(path)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "note: credit-supervision, rewards-incentives, rights-protection left out: 0 of 10 sections" in r.stdout


def test_a_document_that_does_not_read_is_named_and_the_others_are_tagged(raw_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    paths = [str(raw_dir / "pipl-2021.md"), str(empty), str(raw_dir / "dsl-2021.md")]
    outputs = set()
    for fmt in ("jsonl", "csv"):
        for jobs in ("1", "2"):
            r = runner.invoke(app, ["tag", *paths, "--format", fmt, "--jobs", jobs])
            assert r.exit_code == 1, r.output
            assert "empty.txt: empty document" in r.stderr and "1 of 3 documents could not be read" in r.stderr
            outputs.add((fmt, r.stdout))
            assert "dsl-2021.md" in r.stdout and "pipl-2021.md" in r.stdout
    assert len(outputs) == 2  # the same output whatever --jobs
    out = tmp_path / "tags.jsonl"
    out.write_text("kept\n", encoding="utf-8")
    other = tmp_path / "binary.txt"
    other.write_bytes(b"\x00\x01\x02" * 50)
    r = runner.invoke(app, ["tag", str(empty), str(other), "--format", "jsonl", "--output", str(out)])
    assert r.exit_code == 2 and "none of the 2 documents could be read" in r.stderr
    assert out.read_text(encoding="utf-8") == "kept\n"  # nothing read, nothing written over


def test_min_score_is_refused_where_it_would_be_ignored_or_meaningless(raw_dir: Path) -> None:
    path = str(raw_dir / "pipl-2021.md")
    r = runner.invoke(app, ["tag", path, "--engine", "model", "--min-score", "0.9"])
    assert r.exit_code == 2 and "the learned model decides at a probability of 0.5" in r.stderr
    for value in ("nan", "inf"):
        r = runner.invoke(app, ["tag", path, "--min-score", value])
        assert r.exit_code == 2 and "is not a score" in r.stderr, r.output
    assert runner.invoke(app, ["tag", path, "--engine", "rules", "--min-score", "0.9"]).exit_code == 0


def test_a_taxonomy_path_that_is_no_text_file_is_named_so(tmp_path: Path, raw_dir: Path) -> None:
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes("[themes.甲]\n".encode("gbk"))
    for path, message in ((tmp_path, "is a directory, not a file"), (gbk, "not UTF-8 text (at byte offset 8)")):
        r = runner.invoke(app, ["tag", str(raw_dir / "dsl-2021.md"), "--taxonomy", str(path)])
        assert r.exit_code == 2 and f"taxonomy {path}: {message}" in r.stderr, r.output


def test_evidence_from_a_heading_above_the_section_says_so(raw_dir: Path) -> None:
    data = tag(read_path(raw_dir / "beijing-business-env-regs-2020.md")).to_dict()
    outside = inside = 0
    for s in data["sections"]:  # type: ignore[union-attr]
        for t in s["themes"]:
            for e in t["evidence"]:
                if s["start"] <= e["start"] and e["end"] <= s["end"]:
                    inside += 1
                    assert "context" not in e
                else:
                    outside += 1
                    assert e["context"] == "heading" and e["pattern"].startswith("model:h:"), e
    assert outside and inside > 10 * outside


def test_tags_of_a_section_found_by_the_section_itself(raw_dir: Path) -> None:
    """The tester's finding: tag(doc).section(doc.find(19)) raised KeyError, and a Section of another
    document gave a 2,000-character message; find(None) said "no section 'None'"."""
    import pytest

    from scdocs import load, tag

    doc = load(raw_dir / "scs-opinions-2022.md")
    tags = tag(doc)
    assert tags.section(doc.find(19)).theme_ids == tags.section(19).theme_ids
    other = load(raw_dir / "pipl-2021.md").find(1)
    with pytest.raises(KeyError, match=r"^'section 第一条 \(chp_1__art_1\) belongs to another document'$"):
        tags.section(other)
    with pytest.raises(TypeError, match="find takes a number, a printed num or an eId, not NoneType"):
        doc.find(None)  # type: ignore[arg-type]


def test_a_parts_own_words_before_its_items_are_tagged() -> None:
    """The tester's finding: the lead-in under 一、 (or under a chapter heading) before its first item
    or article lay in no taggable section, so its themes were lost without a word."""
    from scdocs import load, tag

    opinions = load("某意见\n一、加强惩戒\n各地要对严重失信主体依法实施联合惩戒，并将其列入失信名单。\n"
                    "（一）坚持党的领导。\n（二）加强组织领导。\n")
    found = {(st.section.eid, t.id) for st in tag(opinions, engine="rules").sections for t in st.themes}
    assert {("part_1", "joint-punishment"), ("part_1", "blacklisting")} <= found
    [lead] = [st for st in tag(opinions, engine="rules").sections if st.section.eid == "part_1"]
    assert lead.section.text == "一、加强惩戒\n各地要对严重失信主体依法实施联合惩戒，并将其列入失信名单。"
    assert all(lead.section.text[e.start - lead.section.start:e.end - lead.section.start] == e.text
               for t in lead.themes for e in t.evidence)
    law = load("某条例\n第一章　总则\n本章规定对严重失信主体实施联合惩戒的原则。\n第一条　为了规范管理，制定本条例。\n")
    assert ("chp_1", "joint-punishment") in {(st.section.eid, t.id) for st in tag(law).sections for t in st.themes}
    plain = load("某条例\n第一章　总则\n第一条　为了规范管理，制定本条例。\n")  # a heading alone is no lead-in
    assert [st.section.eid for st in tag(plain).sections] == ["chp_1__art_1"]


def test_csv_gets_no_header_before_an_error_and_its_scope_note_on_stderr(tmp_path: Path) -> None:
    """The tester's findings: a broken taxonomy or clashing options printed the CSV header, then the
    error (a header-only file behind `> out.csv`); and the scope note (themes left out of a text that
    never mentions the credit system) reached only the table and JSON formats."""
    from scdocs.cli import app

    doc = tmp_path / "a.txt"
    doc.write_text("某物业管理条例\n第一条　业主的合法权益受法律保护。\n第二条　业主有权查询个人信息，可以提出异议。\n",
                   encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('format_version = 1\n[themes.xx]\nlabel_en = "X"\n', encoding="utf-8")
    for args in (["--taxonomy", str(bad)], ["--engine", "model", "--min-score", "1"]):
        r = CliRunner().invoke(app, ["tag", str(doc), "-f", "csv", *args])
        assert r.exit_code == 2 and r.stdout == "", args
    r = CliRunner().invoke(app, ["tag", str(doc), "-f", "csv"])
    assert r.exit_code == 0 and "rights-protection left out: 0 of 2 sections mention the credit system" in r.stderr


def test_a_long_documents_table_is_printed_as_aligned_lines(tmp_path: Path) -> None:
    """The tester's finding: the table of 48,000 articles took over a minute to print (rich lays out every
    cell); past PLAIN_ROWS rows it is aligned lines, every row still there, and shares under 1% are not 0%."""
    from scdocs.cli import app
    from scdocs.cli.tag import PLAIN_ROWS

    n = PLAIN_ROWS + 100
    law = tmp_path / "law.txt"
    law.write_text("合成条例\n" + "".join(f"第{k}条　本条规定的事项依法办理。\n" for k in range(1, n)) +
                   f"第{n}条　坚持党的领导。\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["tag", str(law)])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[1].split() == ["section", "heading", "theme", "·", "probability", "evidence"]
    assert sum(1 for line in lines if line.startswith("第")) == n
    assert any(line.startswith(f"第{n}条") and "party-leadership" in line for line in lines)
    assert "0.0%" in r.stdout or "<0.1%" in r.stdout


def test_a_theme_filter_lists_only_its_sections_in_json_and_says_so(fetched: None) -> None:
    """The tester's finding: with --theme, JSON and JSONL kept all 23 sections of the opinions (21 without
    a theme) and recorded no filter, while the table, CSV and Markdown showed the 2 that match."""
    from scdocs.cli import app

    r = CliRunner().invoke(app, ["tag", "scs-opinions-2022", "--theme", "party-leadership", "-f", "json"])
    data = json.loads(r.stdout)
    assert data["theme_filter"] == ["party-leadership"] and data["sections"]
    assert all(any(t["id"] == "party-leadership" for t in s["themes"]) for s in data["sections"])
    r = CliRunner().invoke(app, ["tag", "scs-opinions-2022", "--theme", "party-leadership", "-f", "jsonl"])
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(lines) == len(data["sections"]) and all(x["theme_filter"] == ["party-leadership"] for x in lines)
