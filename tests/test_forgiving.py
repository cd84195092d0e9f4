"""Forgiving input (issue 15): quotes typed with other punctuation widths or spacing anchor on the
document's own characters; a quote that still does not match names its closest passage; `-`
reads a document from standard input; `-V` prints the version."""

from __future__ import annotations

import importlib.metadata
import json
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scdocs.annotations import AnnotationStore, Folded, locate_quote
from scdocs.cli import app
from scdocs.readers import read_bytes, read_path
from scdocs.version import __version__

runner = CliRunner()

# Synthetic regulations: ASCII and full-width characters, an ideographic space and repeats.
RULES = ("某市信用信息管理办法\n"
         "第一条 为了规范2024年度ABC信用信息（试行）管理，制定本办法。\n"
         "第二条 信用主体依法享有权利：查询、异议；信用主体　依法承担义务。\n"
         "第三条 甲，乙。丙。甲，乙。\n")
OLD = ("某市信用信息管理办法\n"
       "第一条 为了规范信用信息管理，制定本办法。\n"
       "第二条 信用主体依法享有维护自身合法权益的权利。信用信息处理者应当依法处理信用信息，不得泄露。\n"
       "第三条 本办法自2024年1月1日起施行。\n")
# The new version splits article 2 into two paragraphs and writes the date with full-width digits.
NEW = OLD.replace("权利。信用信息处理者", "权利。\n信用信息处理者").replace("2024年1月1日", "２０２４年１月１日")


def _fold(text: str) -> str:
    """Independently of scdocs: NFKC per character, whitespace dropped."""
    return "".join(unicodedata.normalize("NFKC", c) for c in text if not c.isspace())


def _only(store: Path, doc_path: Path) -> dict[str, Any]:
    """The one annotation stored for a document, as JSON-LD."""
    data = json.loads(AnnotationStore(store).path_for(read_path(doc_path)).read_text(encoding="utf-8"))
    (item,) = data["first"]["items"]
    return item


def _selectors(item: dict[str, Any]) -> tuple[str, int, int]:
    quote, position = item["target"]["selector"]
    return quote["exact"], position["start"], position["end"]


def test_quote_with_half_width_punctuation_and_spaces_keeps_the_documents_text(raw_dir: Path,
                                                                               tmp_path: Path) -> None:
    doc = raw_dir / "pipl-2021.md"
    typed = "符合下列情形之一的, 个人信息处理者方可处理个人信息:(一) 取得个人的同意;"
    r = runner.invoke(app, ["annotate", "add", str(doc), "13", "--quote", typed, "--store", str(tmp_path)])
    assert r.exit_code == 0, r.output
    exact, start, end = _selectors(_only(tmp_path, doc))
    text = read_path(doc).text
    assert exact == text[start:end]  # the document's characters, not the typing
    assert exact == "符合下列情形之一的，个人信息处理者方可处理个人信息：\n（一）取得个人的同意；"
    assert _fold(exact) == _fold(typed) and exact != typed
    assert "matched as" in r.stderr
    r = runner.invoke(app, ["annotate", "check", str(doc), "--store", str(tmp_path)])
    assert r.exit_code == 0 and "1 of 1 annotations anchor exactly" in r.stdout


def test_full_width_digits_letters_and_ideographic_spaces_match(tmp_path: Path) -> None:
    doc = tmp_path / "rules.txt"
    doc.write_text(RULES, encoding="utf-8")

    def stored(section: str, quote: str, store: Path) -> str:
        r = runner.invoke(app, ["annotate", "add", str(doc), section, "--quote", quote, "--store", str(store)])
        assert r.exit_code == 0, r.output
        exact, start, end = _selectors(_only(store, doc))
        assert exact == read_path(doc).text[start:end]
        return exact

    assert stored("1", "２０２４年度ＡＢＣ信用信息(试行)管理", tmp_path / "notes") == "2024年度ABC信用信息（试行）管理"
    assert (stored("2", " 权利:查询、异议;信用主体依法承担 ", tmp_path / "other")
            == "权利：查询、异议；信用主体\u3000依法承担")


def test_near_miss_names_the_section_and_the_closest_passage(raw_dir: Path, tmp_path: Path) -> None:
    doc = str(raw_dir / "pipl-2021.md")
    r = runner.invoke(app, ["annotate", "add", doc, "13", "--quote", "为应对突发公众卫生事件",
                            "--store", str(tmp_path)])
    message = r.stderr.strip()
    assert r.exit_code == 2 and "\n" not in message
    assert message.startswith("error: the quote '为应对突发公众卫生事件' does not occur in section 第十三条")
    assert "closest passage: “为应对突发公共卫生事件” (similarity 0.91)" in message
    r = runner.invoke(app, ["annotate", "add", doc, "13", "--quote", "zzzz", "--store", str(tmp_path)])
    assert r.exit_code == 2 and "no passage in it is like the quote" in r.stderr
    assert not AnnotationStore(tmp_path).files()


def test_ambiguous_quote_takes_the_first_occurrence_unless_told(tmp_path: Path) -> None:
    """As before forgiving quotes: the first occurrence, or --occurrence N; now also said on stderr."""
    doc = tmp_path / "rules.txt"
    doc.write_text(RULES, encoding="utf-8")
    section = read_path(doc).find(3)
    first = section.start + section.text.index("甲，乙")
    second = section.start + section.text.rindex("甲，乙")
    for extra, (store, at) in [([], ("a", first)), (["--occurrence", "2"], ("b", second))]:
        r = runner.invoke(app, ["annotate", "add", str(doc), "3", "--quote", "甲,乙", *extra,
                                "--store", str(tmp_path / store)])
        assert r.exit_code == 0, r.output
        assert _selectors(_only(tmp_path / store, doc)) == ("甲，乙", at, at + 3)
        assert "of 2 (--occurrence N picks another)" in r.stderr
    r = runner.invoke(app, ["annotate", "add", str(doc), "3", "--quote", "甲,乙", "--occurrence", "3",
                            "--store", str(tmp_path / "c")])
    assert r.exit_code == 2 and "occurs 2 times in section 第三条, not 3" in r.stderr


def test_exact_words_win_over_folded_ones() -> None:
    doc = read_bytes("第一条 甲(乙)，甲（乙）。".encode(), "<test>")
    section = doc.find(1)
    match = locate_quote(section, "甲（乙）")
    assert match is not None and (match.start, match.folded, match.count) == (section.start + 9, False, 1)
    match = locate_quote(section, "甲 (乙)")
    assert match is not None and (match.start, match.folded, match.count) == (section.start + 4, True, 2)


def test_a_match_never_cuts_a_character_of_the_document() -> None:
    """㈠ folds to (一): the quote (一) matches it whole, a quote 一) would take only part of it."""
    section = read_bytes("第一条 ㈠信用信息".encode(), "<test>").find(1)
    match = locate_quote(section, "(一)信用")
    assert match is not None and section.text[match.start - section.start: match.end - section.start] == "㈠信用"
    assert locate_quote(section, "一)信用") is None and locate_quote(section, "(一") is None


def test_migration_follows_words_across_a_new_line_break_and_full_width_digits(tmp_path: Path) -> None:
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    store = str(tmp_path / "notes")
    for section, quote in [("2", "合法权益的权利。信用信息处理者应当"), ("3", "自2024年1月1日起")]:
        r = runner.invoke(app, ["annotate", "add", str(old), section, "--quote", quote, "--store", store])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["annotate", "migrate", str(old), "--to", str(new), "--store", store])
    assert r.exit_code == 0, r.output
    items = [json.loads(line) for line in runner.invoke(app, ["annotate", "list", str(new), "--store", store,
                                                              "--json"]).stdout.splitlines()]
    text = read_path(new).text
    got = sorted((_selectors(a), a["scdocs:anchoring"]["outcome"]) for a in items)
    assert [(exact, outcome) for (exact, _, _), outcome in got] == [
        ("合法权益的权利。\n信用信息处理者应当", "fuzzy"), ("自２０２４年１月１日起", "fuzzy")]
    assert all(text[start:end] == exact for (exact, start, end), _ in got)


ASCII_FOR = {"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "１": "1", "Ａ": "A"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from("信用主体权利，（）：；１Ａ2b \u3000\n"), min_size=2, max_size=60), st.data())
def test_any_slice_retyped_is_found_with_the_documents_characters(body: str, data: st.DataObject) -> None:
    text = "第一条 " + body
    i = data.draw(st.integers(4, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    original = text[i:j]
    typed = "".join(ASCII_FOR.get(c, c) + data.draw(st.sampled_from(["", "", " "])) for c in original)
    spans = Folded(text).find_all(typed)
    if not _fold(original):
        assert spans == []
        return
    assert all(_fold(text[s:e]) == _fold(original) for s, e in spans)
    lead, trail = len(original) - len(original.lstrip()), len(original) - len(original.rstrip())
    assert (i + lead, j - trail) in spans  # the typed slice is found at its own characters, edges trimmed


def test_stdin_lists_the_same_sections_as_the_file(raw_dir: Path) -> None:
    path = raw_dir / "pipl-2021.md"
    r = runner.invoke(app, ["sections", "-"], input=path.read_bytes())
    assert r.exit_code == 0, r.output
    assert "74 articles" in r.stdout and "第七十四条" in r.stdout
    assert r.stdout == runner.invoke(app, ["sections", str(path)]).stdout


def test_stdin_is_sniffed_by_content(raw_dir: Path) -> None:
    html = (raw_dir / "guofa-2019-5-joint-random-inspection.html").read_bytes()
    r = runner.invoke(app, ["sections", "-"], input=html)
    assert r.exit_code == 0 and "10 items" in r.stdout and "<" not in r.stdout.splitlines()[0]
    articles = (raw_dir / "enterprise-info-disclosure-regs-2014.json").read_bytes()
    r = runner.invoke(app, ["show", "-", "16"], input=articles)
    assert r.exit_code == 0 and r.stdout.startswith("第十六条")


def test_tag_from_stdin_as_json(raw_dir: Path) -> None:
    path = raw_dir / "scs-opinions-2022.md"
    r = runner.invoke(app, ["tag", "-", "--format", "json", "--engine", "rules"], input=path.read_bytes())
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert got["format"] == "scdocs-tags" and got["document"]["source"] == "<stdin>"
    want = json.loads(runner.invoke(app, ["tag", str(path), "--format", "json", "--engine", "rules"]).stdout)
    assert got["sections"] == want["sections"] and any(s["themes"] for s in got["sections"])


def test_diff_takes_one_side_from_stdin(raw_dir: Path) -> None:
    old, new = (raw_dir / f"enterprise-info-disclosure-regs-{year}.json" for year in (2014, 2024))
    r = runner.invoke(app, ["diff", "-", str(new)], input=old.read_bytes())
    assert r.exit_code == 0 and "企业信息公示暂行条例 2014-08-07 → 企业信息公示暂行条例 2024-03-10" in r.stdout
    assert r.stdout == runner.invoke(app, ["diff", str(old), str(new)]).stdout


def test_stdin_errors_are_one_line(raw_dir: Path) -> None:
    r = runner.invoke(app, ["sections", "-"], input=b"  \n")
    assert r.exit_code == 2 and r.stderr == "error: <stdin>: empty document\n"
    law = (raw_dir / "pipl-2021.md").read_bytes()
    r = runner.invoke(app, ["--max-size", "1000", "check", "-"], input=law)
    assert r.exit_code == 2 and r.stderr.startswith("error: <stdin>: standard input is over the size cap of 1,000")
    r = runner.invoke(app, ["diff", "-", "-"], input=law)
    assert r.exit_code == 2 and "standard input can be read only once" in r.stderr
    r = runner.invoke(app, ["sections", "-"], input=b"\x00\x01\x02\x03binary")
    assert r.exit_code == 2 and r.stderr.startswith("error: <stdin>: ")


def test_annotate_from_stdin(raw_dir: Path, tmp_path: Path) -> None:
    law = (raw_dir / "pipl-2021.md").read_bytes()
    r = runner.invoke(app, ["annotate", "add", "-", "13", "--quote", "取得个人的同意", "--store", str(tmp_path)],
                      input=law)
    assert r.exit_code == 0, r.output
    (path,) = AnnotationStore(tmp_path).files()
    item = json.loads(path.read_text(encoding="utf-8"))["first"]["items"][0]
    exact, start, end = _selectors(item)
    assert exact == "取得个人的同意" == read_path(raw_dir / "pipl-2021.md").text[start:end]


def test_version_flags() -> None:
    for flag in ("-V", "--version"):
        r = runner.invoke(app, [flag])
        assert r.exit_code == 0 and r.stdout == f"scdocs {__version__}\n"
    assert __version__ == importlib.metadata.version("scdocs")
