"""The learned tagger: a safe model file, the taxonomy it was trained for, train and evaluate on a
user's own labels, evidence at exact offsets, and the spaCy component making the same decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from scdocs import load, tag
from scdocs.cli import app
from scdocs.readers import read_path
from scdocs.themes import load_taxonomy
from scdocs.themes.model import ModelError, load_model, taxonomy_version

runner = CliRunner()

RULES = [
    ("甲市信用条例", ["本市建立公共信用信息平台，归集和共享公共信用信息。", "信息主体有权提出异议，要求更正。",
                     "本条例自公布之日起施行。", "行政机关应当依法归集公共信用信息并共享。"]),
    ("乙市信用办法", ["信用主体认为信息有误的，可以提出异议。", "公共信用信息应当通过平台共享。",
                     "本办法自发布之日起施行。", "对异议信息应当及时更正。"]),
    ("丙市信用规定", ["本市公共信用信息实行统一归集和共享。", "当事人可以申请更正错误信息。",
                     "本规定自公布之日起施行。", "信用信息平台应当向社会共享信息。"]),
]


def _write(folder: Path) -> Path:
    numerals = "一二三四"
    labels = ["doc\tsection\tthemes\tdisputed"]
    for k, (title, articles) in enumerate(RULES):
        doc_id = f"rules-{k}"
        body = "\n".join(f"第{numerals[i]}条　{a}" for i, a in enumerate(articles))
        (folder / f"{doc_id}.md").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        for i, a in enumerate(articles, start=1):
            themes = [t for t, cue in (("information-sharing", "共享"), ("rights-protection", "异议|更正"))
                      if any(w in a for w in cue.split("|"))]
            labels.append(f"{doc_id}\t{i}\t{','.join(themes) or '-'}\t-")
    path = folder / "labels.tsv"
    path.write_text("\n".join(labels) + "\n", encoding="utf-8")
    return path


def test_train_then_evaluate_round_trip(tmp_path: Path) -> None:
    labels = _write(tmp_path)
    model = tmp_path / "my-model.json"
    r = runner.invoke(app, ["train", str(labels), "--documents", str(tmp_path), "--output", str(model)])
    assert r.exit_code == 0, r.output
    assert "trained on 12 sections of 3 documents" in r.stderr
    data = json.loads(model.read_text(encoding="utf-8"))
    assert data["format"] == "scdocs-theme-model" and data["format_version"] == 1
    assert data["taxonomy_version"] == taxonomy_version(load_taxonomy())
    assert set(data["themes"]) == {"information-sharing", "rights-protection"}
    r = runner.invoke(app, ["evaluate", str(labels), "--documents", str(tmp_path), "--model", str(model),
                            "--misses"])
    assert r.exit_code == 0, r.output
    micro = next(line for line in r.stdout.splitlines() if "micro" in line)
    assert micro.split("│")[2:5] == [" 1.00 ", " 1.00 ", " 1.00 "]  # the labels it was fitted on
    tagged = runner.invoke(app, ["tag", str(tmp_path / "rules-0.md"), "--model", str(model), "--format", "json"])
    assert tagged.exit_code == 0, tagged.output
    result = json.loads(tagged.stdout)
    assert result["engine"] == f"model ({model})"
    assert [t["id"] for t in result["sections"][1]["themes"]] == ["rights-protection"]
    # Labels may name a document by its file name in DIR as well as without the extension.
    by_name = tmp_path / "by-name.tsv"
    by_name.write_text(labels.read_text(encoding="utf-8").replace("rules-0\t", "rules-0.md\t"), encoding="utf-8")
    r = runner.invoke(app, ["evaluate", str(by_name), "--documents", str(tmp_path), "--model", str(model)])
    assert r.exit_code == 0, r.output


def test_labels_mix_files_in_the_folder_with_corpus_ids_and_name_each_section_once(fetched: None,
                                                                                   tmp_path: Path) -> None:
    labels = _write(tmp_path)
    model = tmp_path / "my-model.json"
    trained = runner.invoke(app, ["train", str(labels), "--documents", str(tmp_path), "--output", str(model)])
    assert trained.exit_code == 0, trained.output
    mixed = tmp_path / "mixed.tsv"
    mixed.write_text(labels.read_text(encoding="utf-8") + "pipl-2021\t1\tpersonal-information\t-\n", encoding="utf-8")
    r = runner.invoke(app, ["evaluate", str(mixed), "--documents", str(tmp_path), "--model", str(model)])
    assert r.exit_code == 0, r.output  # rules-0 … from the folder, pipl-2021 from the corpus
    unknown = tmp_path / "unknown.tsv"
    unknown.write_text("doc\tsection\tthemes\tdisputed\nno-such-doc\t1\t-\t-\n", encoding="utf-8")
    r = runner.invoke(app, ["evaluate", str(unknown), "--documents", str(tmp_path), "--model", str(model)])
    assert r.exit_code == 2 and "no file for labelled document 'no-such-doc', and it is no corpus id" in r.stderr
    twice = tmp_path / "twice.tsv"  # 1 and 第一条 are the same section: it would count twice
    twice.write_text(labels.read_text(encoding="utf-8") + "rules-0\t第一条\tinformation-sharing\t-\n",
                     encoding="utf-8")
    r = runner.invoke(app, ["evaluate", str(twice), "--documents", str(tmp_path), "--model", str(model)])
    assert r.exit_code == 2 and "rules-0 section 1 is labelled already (at " in r.stderr, r.output
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_model_for_another_taxonomy_is_refused(tmp_path: Path) -> None:
    labels = _write(tmp_path)
    model = tmp_path / "my-model.json"
    trained = runner.invoke(app, ["train", str(labels), "--documents", str(tmp_path), "--output", str(model)])
    assert trained.exit_code == 0, trained.output
    mine = tmp_path / "my-themes.toml"
    mine.write_text('format_version = 1\n[themes.social-assistance]\nlabel_en = "Social assistance"\n'
                    'patterns = [ { zh = "最低生活保障", weight = 1.0 } ]\n', encoding="utf-8")
    r = runner.invoke(app, ["tag", str(tmp_path / "rules-0.md"), "--model", str(model), "--taxonomy", str(mine)])
    assert r.exit_code == 2
    [line] = r.stderr.strip().splitlines()
    assert f"model {model}: trained for taxonomy version" in line and "scdocs train" in line
    # without --model, a user's taxonomy gets the transparent rules, never the shipped model
    auto = tag(read_path(tmp_path / "rules-0.md"), taxonomy=mine)
    assert auto.engine == "rules"


@pytest.mark.parametrize("content, problem", [
    ('{"format": "scdocs-theme-model", "format_version": 1, "taxonomy_version": "x", '
     '"themes": {"a": {"bias": NaN, "threshold": 0.5, "weights": {}}}}', "not valid JSON"),
    ('{"format": "something-else"}', "not an scdocs-theme-model file"),
    ('{"format": "scdocs-theme-model", "format_version": 9}', "format_version 9 is not supported"),
    ('{"format": "scdocs-theme-model", "format_version": 1, "taxonomy_version": "x", '
     '"themes": {"a": {"bias": "high"}}}', "theme 'a' needs numeric"),
])
def test_broken_model_files_are_one_line_errors(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=problem):
        load_model(path)


def test_shipped_model_matches_the_built_in_taxonomy_and_is_small() -> None:
    model = load_model()
    assert model.taxonomy_version == taxonomy_version(load_taxonomy())
    assert len(model.themes) == 14 and sum(len(m.weights) for m in model.themes.values()) < 5000


def test_every_evidence_span_is_the_text_at_its_offsets_on_every_corpus_document(raw_dir: Path) -> None:
    checked = 0
    for path in sorted(p for p in raw_dir.iterdir() if p.is_file() and p.name != "SOURCES.tsv"):
        doc = read_path(path)
        result = tag(doc)
        assert result.engine.startswith("model")
        for st in result.sections:
            for t in st.themes:
                assert t.evidence, (path.name, st.section.eid, t.id)
                for e in t.evidence:
                    assert doc.text[e.start:e.end] == e.text
                    if e.pattern.startswith("model:h:"):  # words of a heading above the section
                        assert e.end <= st.section.start
                    else:
                        assert st.section.start <= e.start < e.end <= st.section.end
                    checked += 1
    assert checked > 1000


def test_spacy_component_makes_the_same_decision_as_tag() -> None:
    text = "第一条　坚持总体国家安全观，依法保护个人信息，建立全国统一的信用信息共享平台。"
    nlp = spacy.blank("zh")
    nlp.add_pipe("scdocs_themes")
    cats = nlp(text).cats
    doc = load("示例\n" + text + "\n")
    decided = {t.id: round(t.score, 4) for t in tag(doc).sections[0].themes}
    assert cats == decided and "national-security" in cats
    nlp_rules = spacy.blank("zh")
    nlp_rules.add_pipe("scdocs_themes", config={"engine": "rules"})
    rules = {t.id for t in tag(doc, engine="rules").sections[0].themes}
    assert set(nlp_rules(text).cats) == rules


@pytest.mark.parametrize("content, problem", [
    ("doc,section,themes,disputed\nrules-0,1,-,-\n", "the header needs tab-separated columns"),
    ("doc\tsection\tthemes\nrules-0\t1\t-\n", "missing: disputed"),
    ("doc\tsection\tthemes\tdisputed\nrules-0\tfirst\t-\t-\n", "line 2: section 'first' is not a number"),
    ("doc\tsection\tthemes\tdisputed\nrules-0\t1\tpersonal-infomation\t-\n",
     "line 2: unknown theme 'personal-infomation'"),
    ("doc\tsection\tthemes\tdisputed\n", "no labelled sections"),
    ("doc\tsection\tthemes\tdisputed\nrules-0\t1\t-\t-\nrules-0\t99\t-\t-\n", "line 3: rules-0 has no section 99"),
    ("doc\tsection\tthemes\tdisputed\nrules-0\t1\tblacklisting\tblacklisting\n",
     "line 2: theme 'blacklisting' is both given and disputed"),
    ("doc\tsection\tthemes\tdisputed\nrules-0\t1\t-\t-\nno-such-doc\t1\t-\t-\n",
     "line 3: document no-such-doc: "),
])
def test_bad_labels_files_are_one_line_errors(tmp_path: Path, content: str, problem: str) -> None:
    _write(tmp_path)
    labels = tmp_path / "bad.tsv"
    labels.write_text(content, encoding="utf-8")
    for args in (["train", str(labels), "--output", str(tmp_path / "m.json")], ["evaluate", str(labels)]):
        r = runner.invoke(app, [*args, "--documents", str(tmp_path)])
        assert r.exit_code == 2, r.output
        [line] = r.stderr.strip().splitlines()
        assert line.startswith(f"error: labels {labels}: ") and problem in line
    assert not (tmp_path / "m.json").exists()


def test_printed_section_numbers_are_read_and_thin_themes_are_left_out(tmp_path: Path) -> None:
    labels = _write(tmp_path)
    text = labels.read_text(encoding="utf-8").replace("\t1\t", "\t第一条\t")
    assert "rules-2\t3\t-\t-\n" in text
    text = text.replace("rules-2\t3\t-\t-\n", "rules-2\t3\tlocal-experimentation\t-\n")  # one label: too few
    labels.write_text(text, encoding="utf-8")
    model = tmp_path / "m.json"
    r = runner.invoke(app, ["train", str(labels), "--documents", str(tmp_path), "--output", str(model)])
    assert r.exit_code == 0, r.output
    assert "local-experimentation" in r.stderr and "never tagged with this model" in r.stderr
    assert "local-experimentation" not in json.loads(model.read_text(encoding="utf-8"))["themes"]


def test_a_model_with_the_rules_engine_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path)
    r = runner.invoke(app, ["tag", str(tmp_path / "rules-0.md"), "--engine", "rules", "--model", "x.json"])
    assert r.exit_code == 2 and "cannot be used with --engine rules" in r.stderr


def test_evaluate_prints_a_dash_where_a_ratio_is_undefined() -> None:
    from scdocs.cli.learn import _prf
    from scdocs.themes.evaluate import Score

    assert _prf(Score(tp=0, fp=2, fn=0)) == ("0.00", "—", "—")  # no gold positive: no recall measured
    assert _prf(Score(tp=0, fp=0, fn=3)) == ("—", "0.00", "—")
    assert _prf(Score(tp=3, fp=1, fn=0)) == ("0.75", "1.00", "0.86")


def test_train_never_writes_over_its_labels_or_taxonomy(tmp_path: Path) -> None:
    """The tester's finding: `train labels.tsv --output labels.tsv` replaced the labels with a model."""
    labels = _write(tmp_path)
    before = labels.read_bytes()
    r = runner.invoke(app, ["train", str(labels), "--documents", str(tmp_path), "--output", str(labels)])
    assert r.exit_code == 2 and "refusing to overwrite a file this command reads" in r.stderr, r.output
    assert labels.read_bytes() == before
    taxonomy = tmp_path / "my-themes.toml"
    taxonomy.write_text("", encoding="utf-8")
    r = runner.invoke(app, ["tag", str(tmp_path / "rules-0.md"), "--taxonomy", str(taxonomy), "--format", "json",
                            "--output", str(taxonomy)])
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr and taxonomy.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize(("row", "problem"), [
    ("rules-0\t4", "2 tab-separated columns where the header has 4"),
    ("rules-0\t4 information-sharing -", "2 tab-separated columns where the header has 4"),
    ("rules-0\t4\t-\t-\textra", "5 tab-separated columns where the header has 4"),
    ("rules-0\t4\t\t-", "the themes column is empty; write - for no themes"),
])
def test_a_row_that_is_not_the_headers_columns_is_an_error(tmp_path: Path, row: str, problem: str) -> None:
    """The tester's finding: such rows were read as sections with no themes, and trained on."""
    labels = _write(tmp_path)
    labels.write_text(labels.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    for args in (["train", str(labels), "--documents", str(tmp_path), "--output", str(tmp_path / "m.json")],
                 ["evaluate", str(labels), "--documents", str(tmp_path)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and problem in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.output


def test_a_model_edited_to_tag_a_theme_the_taxonomy_lacks_is_refused(tmp_path: Path) -> None:
    """The tester's finding: a model file with a theme renamed by hand tagged `nonexistent-theme 0.98`."""
    labels = _write(tmp_path)
    model = tmp_path / "my-model.json"
    trained = runner.invoke(app, ["train", str(labels), "--documents", str(tmp_path), "--output", str(model)])
    assert trained.exit_code == 0, trained.output
    data = json.loads(model.read_text(encoding="utf-8"))
    data["themes"]["nonexistent-theme"] = data["themes"].pop("information-sharing")
    model.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["tag", str(tmp_path / "rules-0.md"), "--model", str(model)])
    assert r.exit_code == 2 and r.stderr.strip().splitlines() == [
        f"error: model {model}: theme 'nonexistent-theme' is not in the taxonomy (the file was edited?); train a "
        "model with `scdocs train`"]


def test_a_bad_row_is_named_by_its_line_in_the_file(tmp_path: Path) -> None:
    """Blank lines counted, and the optional part column allowed (the code reviewer's finding)."""
    labels = _write(tmp_path)
    labels.write_text(labels.read_text(encoding="utf-8") + "\n\nrules-0\t4\n", encoding="utf-8")
    lines = labels.read_text(encoding="utf-8").splitlines()
    r = runner.invoke(app, ["evaluate", str(labels), "--documents", str(tmp_path)])
    assert r.exit_code == 2 and f"line {len(lines)}: 2 tab-separated columns where the header has 4" in r.stderr


def test_an_english_text_is_decided_by_the_rules_under_auto_in_tag_and_in_the_component() -> None:
    """The shipped model learned Chinese labels: on English it missed what the rules find (the tester's
    finding: 'list of dishonest entities' tagged blacklisting only with --engine rules). `auto` tags an
    English text by the rules and says so; the spaCy component decides alike."""
    text = ("Article 5 Subjects who seriously violate the law shall be included in the list of dishonest "
            "entities and subject to joint punishment.")
    doc = load("Example Regulations\n\n" + text + "\n")
    auto = tag(doc)
    assert auto.engine == "rules (the built-in model knows Chinese only)"
    assert auto.sections[0].theme_ids == tag(doc, engine="rules").sections[0].theme_ids
    assert "blacklisting" in auto.sections[0].theme_ids
    nlp = spacy.blank("en")
    nlp.add_pipe("scdocs_themes")
    assert set(nlp(text).cats) == set(auto.sections[0].theme_ids)
