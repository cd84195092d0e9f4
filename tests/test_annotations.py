"""Annotations: the store (atomic, locked, validated), the commands, re-anchoring across versions."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scdocs.annotations import AnnotationStore, Reanchorer, new_annotation
from scdocs.cli import app
from scdocs.readers import read_path

runner = CliRunner()
# The correspondence of the two versions' articles, as a reader of both texts establishes it.
ARTICLE_MAP = {n: n for n in range(1, 16)} | {16: 17, 17: 18, 18: 19} | {n: n + 2 for n in range(19, 26)}


@pytest.fixture(scope="module")
def versions(raw_dir: Path):  # type: ignore[no-untyped-def]
    return (read_path(raw_dir / "enterprise-info-disclosure-regs-2014.json"),
            read_path(raw_dir / "enterprise-info-disclosure-regs-2024.json"))


def _quotes(old, rng: random.Random) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """(article, quote) pairs: several lengths per article, each quote unique within its article."""
    out = []
    for art in old.units():
        body_start = len(art.num or "") + 1
        for length in rng.sample([3, 4, 6, 9, 14, 22, 40, 80], 2):
            for _ in range(20):
                if len(art.text) - body_start <= length:
                    break
                a = rng.randrange(body_start, len(art.text) - length)
                quote = art.text[a: a + length]
                if "\n" not in quote and art.text.count(quote) == 1:
                    out.append((art.number, quote))
                    break
    return out


def test_migration_lands_exactly_or_orphans(versions) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    rng = random.Random(2024)
    quotes = _quotes(old, rng)
    annotations = [new_annotation(old, old.find(n), q, note=f"note {i}") for i, (n, q) in enumerate(quotes)]
    assert len(annotations) >= 40
    result = Reanchorer(old, new).migrate(annotations)
    survived = landed_right = wrong = gone = gone_orphaned = 0
    for (n, quote), a in zip(quotes, result.annotations, strict=True):
        target = new.find(ARTICLE_MAP[n])
        outcome = a.anchoring["outcome"]  # type: ignore[index]
        hits = [i for i in range(len(target.text)) if target.text.startswith(quote, i)]
        folded = unicodedata.normalize("NFKC", quote)
        folded_hits = [i for i in range(len(target.text))
                       if unicodedata.normalize("NFKC", target.text[i: i + len(quote)]) == folded]
        truth = {target.start + i for i in (hits or folded_hits)}
        if outcome != "orphaned":
            if a.anchor.start in truth and new.text[a.anchor.start: a.anchor.end] in (quote, *(
                    new.text[t: t + len(quote)] for t in truth)):
                pass
            else:
                wrong += 1
        if truth:
            survived += 1
            landed_right += outcome != "orphaned" and a.anchor.start in truth
        else:
            gone += 1
            gone_orphaned += outcome == "orphaned"
    assert wrong == 0
    assert survived >= 30 and landed_right / survived >= 0.95, (landed_right, survived)
    assert gone >= 5 and gone_orphaned == gone
    assert sum(result.counts.values()) == len(annotations)


def test_migrate_command_reports_and_records_outcomes(raw_dir: Path, tmp_path: Path) -> None:
    old = str(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    new = str(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    store = str(tmp_path / "notes")
    quotes = (("16", "不得非法获取企业信息"), ("6", "工商行政管理部门应当通过"), ("1", "促进企业诚信自律"))
    for section, quote in quotes:
        r = runner.invoke(app, ["annotate", "add", old, section, "--quote", quote, "--note", "n", "--store", store])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["annotate", "migrate", old, "--to", new, "--store", store])
    assert r.exit_code == 0, r.output
    assert "orphaned" in r.stdout
    moved = {a["target"]["selector"][0]["exact"]: a for a in
             (json.loads(line) for line in runner.invoke(app, ["annotate", "list", new, "--store", store,
                                                               "--json"]).stdout.splitlines())}
    assert moved["不得非法获取企业信息"]["scdocs:anchoring"]["outcome"] == "section"
    assert moved["不得非法获取企业信息"]["target"]["scdocs:eId"] == "art_17"
    assert moved["促进企业诚信自律"]["scdocs:anchoring"]["outcome"] == "position"
    assert moved["工商行政管理部门应当通过"]["scdocs:anchoring"]["outcome"] == "orphaned"
    r = runner.invoke(app, ["annotate", "check", old, "--store", store])
    assert r.exit_code == 0 and "3 of 3" in r.stdout
    # The table's anchoring column says how each anchors here: made here, migrated, or orphaned.
    made = runner.invoke(app, ["annotate", "list", old, "--store", store], env={"COLUMNS": "200"}).stdout
    assert made.count("│ exact") == 3
    carried = runner.invoke(app, ["annotate", "list", new, "--store", store], env={"COLUMNS": "200"}).stdout
    assert "exact (migrated: section)" in carried and "exact (migrated: position)" in carried
    assert "orphaned" in carried
    # Hypothesis places notes by position: the orphan is left out, and said to be.
    exported = runner.invoke(app, ["annotate", "export", new, "--format", "hypothesis", "--store", store])
    assert exported.exit_code == 0, exported.output
    assert len(json.loads(exported.stdout)) == 2 and "left out 1 annotation" in " ".join(exported.stderr.split())
    # The same note twice is refused; a "new version" that is another text is refused unless --force.
    again = runner.invoke(app, ["annotate", "add", old, "1", "--quote", "促进企业诚信自律", "--note", "n",
                                "--store", store])
    assert again.exit_code == 2 and "already annotated" in again.stderr
    other = str(raw_dir / "pipl-2021.md")
    r = runner.invoke(app, ["annotate", "migrate", old, "--to", other, "--store", store])
    assert r.exit_code == 2 and "does not look like a version of" in r.stderr
    assert runner.invoke(app, ["annotate", "list", other, "--store", store, "--json"]).stdout == ""
    # A handout of the annotated sections says which annotations it could not place.
    handout = runner.invoke(app, ["excerpt", new, "--annotated", "--store", store])
    assert handout.exit_code == 0, handout.output
    assert "left out 1 annotation whose words are not at their place" in " ".join(handout.stderr.split())


def test_annotation_shape_and_commands(raw_dir: Path, tmp_path: Path) -> None:
    doc = str(raw_dir / "scs-opinions-2022.md")
    store = tmp_path / "notes"
    r = runner.invoke(app, ["annotate", "add", doc, "19", "--quote", "中央统筹", "--note", "central coordination",
                            "--tag", "centralization", "--by", "Scholar A", "--store", str(store)])
    assert r.exit_code == 0, r.output
    ident = r.stdout.strip()
    data = json.loads(AnnotationStore(store).path_for(read_path(doc)).read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and "http://www.w3.org/ns/anno.jsonld" in data["@context"]
    a = data["first"]["items"][0]
    assert a["id"] == ident and ident.startswith("urn:uuid:")
    assert a["motivation"] == "commenting" and a["creator"]["name"] == "Scholar A"
    assert {b["purpose"] for b in a["body"]} == {"commenting", "tagging"}
    quote, position = a["target"]["selector"]
    assert quote["exact"] == "中央统筹" and len(quote["prefix"]) >= 32 and len(quote["suffix"]) >= 32
    text = read_path(doc).text
    assert text[position["start"]: position["end"]] == "中央统筹"
    assert a["target"]["scdocs:eId"] == "part_6__item_19"
    assert a["target"]["source"].startswith("/akn/cn/") and a["target"]["scdocs:contentHash"].startswith("sha256:")
    r = runner.invoke(app, ["annotate", "add", doc, "19", "--quote", "不在此处的话", "--store", str(store)])
    assert r.exit_code == 2 and "does not occur in section" in r.stderr
    r = runner.invoke(app, ["annotate", "show", ident[9:17], "--store", str(store)])
    assert r.exit_code == 0 and "中央统筹" in r.stdout
    out = tmp_path / "h.json"
    r = runner.invoke(app, ["annotate", "export", doc, "--format", "hypothesis", "--store", str(store),
                            "--output", str(out)])
    assert r.exit_code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows[0]["text"] == "central coordination" and rows[0]["tags"] == ["centralization"]
    assert rows[0]["uri"].startswith("urn:x-akn:/akn/cn/")  # absolute, as Hypothesis' API wants
    other = tmp_path / "other"
    r = runner.invoke(app, ["annotate", "import", doc, str(out), "--store", str(other)])
    assert r.exit_code == 0, r.output
    assert AnnotationStore(other).load(read_path(doc))[0].anchor.exact == "中央统筹"
    for rows_text, problem in (('[{"text": "x"}]', "needs 'target'"),
                               ('[{"target": {}}]', "'target' must be a list of objects (found dict)")):
        bad = tmp_path / "bad.json"
        bad.write_text(rows_text, encoding="utf-8")
        r = runner.invoke(app, ["annotate", "import", doc, str(bad), "--store", str(other)])
        assert r.exit_code == 2 and problem in r.stderr, r.output
    r = runner.invoke(app, ["annotate", "remove", ident, "--store", str(store)])
    assert r.exit_code == 0
    assert AnnotationStore(store).load(read_path(doc)) == []


def test_excerpt_and_export_never_write_over_the_annotation_file_they_read(raw_dir: Path, tmp_path: Path) -> None:
    doc = str(raw_dir / "scs-opinions-2022.md")
    store = tmp_path / "notes"
    r = runner.invoke(app, ["annotate", "add", doc, "19", "--quote", "中央统筹", "--note", "n", "--store", str(store)])
    assert r.exit_code == 0, r.output
    path = AnnotationStore(store).path_for(read_path(doc))
    before = path.read_bytes()
    for args in (["excerpt", doc, "--annotated"], ["excerpt", doc, "--section", "19"],
                 ["annotate", "export", doc, "--format", "hypothesis"],
                 ["annotate", "export", doc]):
        r = runner.invoke(app, [*args, "--store", str(store), "--output", str(path)])
        assert r.exit_code == 2 and "refusing to overwrite a file this command reads" in r.stderr, (args, r.output)
        assert path.read_bytes() == before
    assert len(AnnotationStore(store).load(read_path(doc))) == 1


def test_a_note_that_is_no_text_is_refused_never_rewritten_empty(raw_dir: Path, tmp_path: Path) -> None:
    """The tester's finding: a body 'value' that was a list read as an empty note, and the next add wrote
    it back as [] (the user's words lost). Now the file is refused, one line, and left as it is."""
    doc = str(raw_dir / "scs-opinions-2022.md")
    store = tmp_path / "notes"
    r = runner.invoke(app, ["annotate", "add", doc, "19", "--quote", "中央统筹", "--note", "要点",
                            "--store", str(store)])
    assert r.exit_code == 0, r.output
    path = AnnotationStore(store).path_for(read_path(doc))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["first"]["items"][0]["body"][0]["value"] = ["要点", "另一点"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = path.read_bytes()
    for args in (["annotate", "add", doc, "23", "--quote", "国家安全"], ["annotate", "list", doc]):
        r = runner.invoke(app, [*args, "--store", str(store)])
        assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.output
        assert "body 1 must be an object whose 'value' is text" in r.stderr
        assert path.read_bytes() == before


def test_check_fix_re_anchors_notes_on_a_file_the_user_edited(tmp_path: Path) -> None:
    """The tester's finding: after editing one's own file there was no way to put the notes back on their
    words (migrate refuses a document onto itself). `check --fix` moves each to its words, where the
    text has them once; words no longer there stay where they were, reported."""
    law, store = tmp_path / "draft.txt", str(tmp_path / "notes")
    law.write_text("某规定\n第一条　为了规范信用修复工作，制定本规定。\n第二条　信用主体可以申请信用修复。\n",
                   encoding="utf-8")
    for number, quote in (("2", "申请信用修复"), ("2", "信用主体"), ("1", "信用修复")):
        r = runner.invoke(app, ["annotate", "add", str(law), number, "--quote", quote, "--store", store])
        assert r.exit_code == 0, r.output
    edited = law.read_text(encoding="utf-8").replace("为了规范信用修复", "为了进一步规范相关的")
    edited = edited.replace("信用主体可以", "当事人可以")
    law.write_text(edited, encoding="utf-8")
    assert runner.invoke(app, ["annotate", "check", str(law), "--store", store]).exit_code == 1
    r = runner.invoke(app, ["annotate", "check", str(law), "--store", store, "--fix"])
    # 信用修复 of 第一条 is gone from it; the one left, in 第二条, is another use of the words: it stays
    assert r.exit_code == 1 and "re-anchored 1 annotation" in r.stderr and "1 of 3 annotations anchor" in r.stdout
    doc = read_path(law)
    placed = [a for a in AnnotationStore(store).load(doc) if a.anchors_in(doc)]
    assert [doc.text[a.anchor.start:a.anchor.end] for a in placed] == ["申请信用修复"]


def test_truncated_annotation_file_fails_cleanly_and_is_left_alone(raw_dir: Path, tmp_path: Path) -> None:
    doc = str(raw_dir / "scs-opinions-2022.md")
    store = tmp_path / "notes"
    r = runner.invoke(app, ["annotate", "add", doc, "19", "--quote", "中央统筹", "--store", str(store)])
    assert r.exit_code == 0
    path = AnnotationStore(store).path_for(read_path(doc))
    truncated = path.read_bytes()[:-40]
    path.write_bytes(truncated)
    for args in (["annotate", "add", doc, "23", "--quote", "国家安全"], ["annotate", "list", doc]):
        r = runner.invoke(app, [*args, "--store", str(store)])
        assert r.exit_code == 2
        assert "corrupted annotation file" in r.stderr and str(path) in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output
        assert path.read_bytes() == truncated


WRITER = """
import sys
from scdocs.annotations import AnnotationStore, new_annotation
from scdocs.readers import read_path
doc = read_path(sys.argv[1])
store = AnnotationStore(sys.argv[2])
item = doc.find(19)
for i in range(100):
    store.add(doc, new_annotation(doc, item, "中央统筹", note=f"{sys.argv[3]} {i}"))
"""


def test_two_processes_adding_at_once_lose_nothing(raw_dir: Path, tmp_path: Path) -> None:
    doc = str(raw_dir / "scs-opinions-2022.md")
    store = tmp_path / "notes"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, doc, str(store), name]) for name in ("A", "B")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    items = AnnotationStore(store).load(read_path(doc))
    assert len(items) == 200
    assert {a.note for a in items} == {f"{w} {i}" for w in "AB" for i in range(100)}
    assert not [p.name for p in store.iterdir() if not p.name.startswith(".") and not p.name.endswith(".jsonld")]


def test_migrated_copies_have_their_own_ids_and_migration_is_idempotent(raw_dir: Path, tmp_path: Path) -> None:
    old = str(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    new = str(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    store = str(tmp_path / "notes")
    ident = runner.invoke(app, ["annotate", "add", old, "16", "--quote", "不得非法获取企业信息",
                                "--store", store]).stdout.strip()
    for _ in range(2):
        assert runner.invoke(app, ["annotate", "migrate", old, "--to", new, "--store", store]).exit_code == 0
    copies = AnnotationStore(store).load(read_path(new))
    assert len(copies) == 1 and copies[0].id != ident
    assert copies[0].extra["scdocs:migratedFrom"] == ident
    for short in (ident[9:17], copies[0].id[9:17]):
        r = runner.invoke(app, ["annotate", "show", short, "--store", store])
        assert r.exit_code == 0, r.output


def test_import_refuses_annotations_of_another_document(raw_dir: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "notes")
    opinions = str(raw_dir / "scs-opinions-2022.md")
    runner.invoke(app, ["annotate", "add", opinions, "19", "--quote", "中央统筹", "--store", store])
    out = tmp_path / "notes.jsonld"
    runner.invoke(app, ["annotate", "export", opinions, "--store", store, "--output", str(out)])
    r = runner.invoke(app, ["annotate", "import", str(raw_dir / "pipl-2021.md"), str(out), "--store", store])
    assert r.exit_code == 2 and "not in the document" in r.stderr and "import it into the document" in r.stderr
    assert AnnotationStore(store).load(read_path(raw_dir / "pipl-2021.md")) == []


def test_a_quote_follows_its_provision_into_the_article_that_took_its_text(raw_dir: Path) -> None:
    """AML law 2006 第十六条 was split over several articles of 2024, none aligned with it: a short
    quote found once in an article that took over its text goes there (the tester's finding: it was
    orphaned), never to an unrelated article that happens to use the words."""
    old, new = read_path(raw_dir / "aml-law-2006.md"), read_path(raw_dir / "aml-law-2024.md")
    section = old.find("第十六条")
    notes = [new_annotation(old, section, quote) for quote in ("客户由他人代理办理业务的", "假名账户")]
    moved_ = Reanchorer(old, new).migrate(notes)
    assert moved_.counts["orphaned"] == 0
    assert [new.find(a.anchor.eid).num for a in moved_.annotations] == ["第三十一条", "第二十八条"]
    assert all(new.text[a.anchor.start:a.anchor.end] == a.anchor.exact for a in moved_.annotations)


def test_a_note_on_a_point_stays_on_the_point_when_migrated(raw_dir: Path) -> None:
    """The tester's finding: a note made on art_6__para_1__point_1 came out on art_6."""
    old = read_path(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    new = read_path(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    point = old.find("art_6__para_1__point_1")
    note = new_annotation(old, point, point.text[3:9])
    assert note.anchor.eid == "art_6__para_1__point_1"
    carried = Reanchorer(old, new).migrate([note]).annotations[0]
    assert carried.anchor.eid == "art_6__para_1__point_1" and carried.anchors_in(new)


def test_an_export_with_orphans_imports_back_whole(raw_dir: Path, tmp_path: Path) -> None:
    """A store's JSON-LD export keeps orphaned notes, marked; importing it restores them all, orphans
    orphaned (their words are in no place of this version to anchor to)."""
    old = str(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    new = str(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    store, restored = str(tmp_path / "notes"), str(tmp_path / "restored")
    for quote in ("提醒其履行公示义务", "不得非法获取企业信息"):
        number = "17" if quote.startswith("提醒") else "16"
        assert runner.invoke(app, ["annotate", "add", old, number, "--quote", quote, "--store", store]).exit_code == 0
    assert runner.invoke(app, ["annotate", "migrate", old, "--to", new, "--store", store]).exit_code == 0
    out = tmp_path / "backup.jsonld"
    assert runner.invoke(app, ["annotate", "export", new, "--store", store, "--output", str(out)]).exit_code == 0
    r = runner.invoke(app, ["annotate", "import", new, str(out), "--store", restored])
    assert r.exit_code == 0, r.output
    back = AnnotationStore(restored).load(read_path(new))
    assert back == AnnotationStore(store).load(read_path(new)) and len(back) == 2
    assert [a.anchoring.get("outcome") if a.anchoring else None for a in back].count("orphaned") == 1


def test_same_file_name_in_two_folders_keeps_two_annotation_files(tmp_path: Path) -> None:
    store = tmp_path / "notes"
    paths = []
    for folder, body in (("a", "甲乙丙丁。"), ("b", "戊己庚辛。")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "rules.txt"
        path.write_text(f"示例规定\n第一条　{body}\n第二条　其他。\n", encoding="utf-8")
        paths.append(path)
        r = runner.invoke(app, ["annotate", "add", str(path), "1", "--quote", body[:2], "--store", str(store)])
        assert r.exit_code == 0, r.output
    files = sorted(store.glob("*.jsonld"))
    assert len(files) == 2 and all(f.name.startswith("rules-") for f in files)
    for path in paths:
        r = runner.invoke(app, ["annotate", "check", str(path), "--store", str(store)])
        assert r.exit_code == 0 and "1 of 1" in r.stdout


def test_migrating_nothing_is_not_an_error(raw_dir: Path, tmp_path: Path) -> None:
    old = str(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    new = str(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    r = runner.invoke(app, ["annotate", "migrate", old, "--to", new, "--store", str(tmp_path / "store")])
    assert r.exit_code == 0, r.output
    assert "nothing to migrate" in r.stderr
    assert not list((tmp_path / "store").glob("*.jsonld"))


def test_a_long_quote_is_shown_cut_with_an_ellipsis(raw_dir: Path, tmp_path: Path) -> None:
    doc = str(raw_dir / "pipl-2021.md")
    section = next(u for u in read_path(doc).units() if len(u.text.split("\n")[0]) > 60)
    quote = section.text.split("\n")[0][10:55]
    store = tmp_path / "notes"
    r = runner.invoke(app, ["annotate", "add", doc, section.eid, "--quote", quote, "--store", str(store)])
    assert r.exit_code == 0, r.output
    listed = runner.invoke(app, ["annotate", "list", doc, "--store", str(store)], env={"COLUMNS": "250"}).stdout
    assert quote[:39] + "…" in listed and quote not in listed


def test_outputs_never_land_in_the_store_and_a_file_under_another_name_is_refused(
        fetched: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's findings: `annotate export pipl-2021 -o STORE/scs-opinions-2022.jsonld` wrote over
    another document's notes, `excerpt -o STORE/x` put a handout in the store, and a store file copied
    under another document's name was read (and rewritten) as that document's."""
    store = tmp_path / "store"
    monkeypatch.setenv("SCDOCS_STORE", str(store))
    assert runner.invoke(app, ["annotate", "add", "scs-opinions-2022", "19", "--quote", "中央统筹", "--note", "a"]
                         ).exit_code == 0
    assert runner.invoke(app, ["annotate", "add", "pipl-2021", "13", "--quote", "个人信息", "--note", "b"]
                         ).exit_code == 0
    theirs = (store / "scs-opinions-2022.jsonld").read_bytes()
    for args in (["annotate", "export", "pipl-2021", "-o", str(store / "scs-opinions-2022.jsonld")],
                 ["excerpt", "pipl-2021", "--section", "13", "-o", str(store / "handout.md")]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and "refusing to write into an annotation store" in r.output
    assert (store / "scs-opinions-2022.jsonld").read_bytes() == theirs and not (store / "handout.md").exists()
    (store / "scs-opinions-2022.jsonld").write_bytes((store / "pipl-2021.jsonld").read_bytes())
    for args in (["annotate", "list", "scs-opinions-2022"],
                 ["annotate", "add", "scs-opinions-2022", "19", "--quote", "中央统筹", "--note", "c"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and "holds the annotations of pipl-2021, not of scs-opinions-2022" in r.output


def test_migrating_back_adds_no_copy_of_a_note_already_there(fetched: None, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's finding: migrate 2006 → 2024, then 2024 → 2006, doubled every note of 2006 (each
    original beside a copy of its own copy)."""
    monkeypatch.setenv("SCDOCS_STORE", str(tmp_path / "store"))
    assert runner.invoke(app, ["annotate", "add", "aml-law-2006", "3", "--quote", "洗钱", "--note", "a"]).exit_code == 0
    assert runner.invoke(app, ["annotate", "migrate", "aml-law-2006", "--to", "aml-law-2024"]).exit_code == 0
    r = runner.invoke(app, ["annotate", "migrate", "aml-law-2024", "--to", "aml-law-2006"])
    assert r.exit_code == 0 and "came from aml-law-2006 by migration and is there already" in r.output
    old = json.loads((tmp_path / "store" / "aml-law-2006.jsonld").read_text(encoding="utf-8"))
    assert old["total"] == 1
    assert runner.invoke(app, ["annotate", "migrate", "aml-law-2006", "--to", "aml-law-2024"]).exit_code == 0
    new = json.loads((tmp_path / "store" / "aml-law-2024.jsonld").read_text(encoding="utf-8"))
    assert new["total"] == 1


def test_an_orphans_reason_is_true(fetched: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's finding: `annotate check` said an orphan's words were 'not in this version' when
    they occur there (only not where the note's passage went)."""
    monkeypatch.setenv("SCDOCS_STORE", str(tmp_path / "store"))
    words = "客户身份资料和交易记录保存制度"
    assert runner.invoke(app, ["annotate", "add", "aml-law-2006", "3", "--quote", words, "--note", "a"]).exit_code == 0
    r = runner.invoke(app, ["annotate", "migrate", "aml-law-2006", "--to", "aml-law-2024"])
    assert r.exit_code == 0 and "its words occur once in this version, but not where its passage went" in r.output
    r = runner.invoke(app, ["annotate", "check", "aml-law-2024"])
    assert r.exit_code == 1 and "not in this version" not in r.output and "occur once" in r.output
    # listed as the old version's section, not as the new article that happens to bear that number
    listed = runner.invoke(app, ["annotate", "list", "aml-law-2024"], env={"COLUMNS": "200"})
    assert "was chp_1__art_3 in the old version" in listed.stdout


def test_show_prints_a_standalone_w3c_annotation_that_import_takes_back(
        fetched: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's findings: `annotate show` printed an annotation without its @context, import refused
    one annotation, and import took a motivation that `annotate add` refuses."""
    monkeypatch.setenv("SCDOCS_STORE", str(tmp_path / "store"))
    r = runner.invoke(app, ["annotate", "add", "scs-opinions-2022", "19", "--quote", "中央统筹", "--note", "x"])
    ident = r.output.split("added ", 1)[1].split()[0]
    shown = runner.invoke(app, ["annotate", "show", ident]).stdout
    one = json.loads(shown)
    assert one["@context"][0] == "http://www.w3.org/ns/anno.jsonld" and one["type"] == "Annotation"
    (tmp_path / "one.json").write_text(shown, encoding="utf-8")
    monkeypatch.setenv("SCDOCS_STORE", str(tmp_path / "other"))
    r = runner.invoke(app, ["annotate", "import", "scs-opinions-2022", str(tmp_path / "one.json")])
    assert r.exit_code == 0 and "imported 1 annotation (0 already present)" in r.output
    (tmp_path / "bad.json").write_text(json.dumps({**one, "motivation": "bogus"}), encoding="utf-8")
    r = runner.invoke(app, ["annotate", "import", "scs-opinions-2022", str(tmp_path / "bad.json")])
    assert r.exit_code == 2 and "motivation must be one of" in r.output
    (tmp_path / "foo.json").write_text(json.dumps([{**one, "type": "Foo"}]), encoding="utf-8")
    r = runner.invoke(app, ["annotate", "import", "scs-opinions-2022", str(tmp_path / "foo.json")])
    assert r.exit_code == 2 and "type 'Foo' is not a W3C Annotation" in r.output


def test_listing_from_a_store_that_does_not_exist_warns(fetched: None, tmp_path: Path) -> None:
    """The tester's finding: a mistyped --store showed '0 annotations' and exit 0, no word of it."""
    r = runner.invoke(app, ["annotate", "list", "pipl-2021", "--store", str(tmp_path / "nowhere")])
    assert r.exit_code == 0 and "no annotation store at" in r.stderr
