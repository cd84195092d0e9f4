"""Full-text search, resumable batch work, and the Dask engine giving exactly the local results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import corpus_files
from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.readers import read_path
from scdocs.themes.tagger import taggable_sections

runner = CliRunner()


def test_search_matches_a_plain_scan_of_the_texts(fetched: None, raw_dir: Path) -> None:
    r = runner.invoke(app, ["search", "国家安全", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["format"], data["format_version"]) == ("scdocs-search", 1)
    found = {(h["doc_id"], h["eId"]) for h in data["hits"]}
    expected = set()
    for path in raw_dir.iterdir():
        if path.name == "SOURCES.tsv":
            continue
        for s in taggable_sections(read_path(path)):
            if "国家安全" in s.text:
                expected.add((path.stem, s.eid))
    assert found == expected and len(found) > 30
    hit = next(h for h in data["hits"] if h["doc_id"] == "scs-opinions-2022")
    assert hit["num"] == "（二十三）" and "国家安全" in hit["snippet"]
    assert hit["citation"].startswith("《关于推进社会信用体系建设高质量发展促进形成新发展格局的意见》")
    r = runner.invoke(app, ["search", "国家安全"])
    assert r.exit_code == 0 and "scs-opinions-2022" in r.stdout
    # Words separated by spaces must all occur, anywhere in the section; a quoted query is one phrase.
    r = runner.invoke(app, ["search", "个人 国家安全", "--format", "json"])
    both = {(h["doc_id"], h["eId"]) for h in json.loads(r.stdout)["hits"]}
    assert both and both == {(d, e) for d, e in found if any(
        "个人" in s.text for s in taggable_sections(read_path(raw_dir / next(
            p.name for p in raw_dir.iterdir() if p.stem == d))) if s.eid == e)}
    r = runner.invoke(app, ["search", '""'])
    assert r.exit_code == 2 and "empty search query" in r.stderr


@pytest.mark.parametrize("query", ['"个人信息处理者" 同意', '“个人信息处理者” 同意', '个人信息处理者 "同意'])
def test_a_quoted_phrase_and_a_word_are_both_required(fetched: None, raw_dir: Path, query: str) -> None:
    """A phrase in straight or Chinese quotes beside a word: the sections with both (a quote left
    open is no part of the word), as a plain scan of the texts finds them."""
    r = runner.invoke(app, ["search", query, "--format", "json"])
    assert r.exit_code == 0, r.output
    found = {h["eId"] for h in json.loads(r.stdout)["hits"] if h["doc_id"] == "pipl-2021"}
    expected = {s.eid for s in taggable_sections(read_path(raw_dir / "pipl-2021.md"))
                if "个人信息处理者" in s.text and "同意" in s.text}
    assert found == expected and len(expected) > 5
    r = runner.invoke(app, ["excerpt", "pipl-2021", "--query", query, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert {e["eId"] for e in json.loads(r.stdout)["excerpts"]} == expected


def test_search_filters_and_short_queries(fetched: None) -> None:
    def hits(*args: str) -> list[dict]:
        r = runner.invoke(app, ["search", *args, "--format", "json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)["hits"]

    local = hits("信用修复", "--kind", "local-regulation")
    assert local and all(h["kind"] == "local-regulation" for h in local)
    recent = hits("信用修复", "--since", "2023-01-01")
    assert recent and all(h["date"] >= "2023-01-01" for h in recent)
    themed = hits("平台", "--theme", "centralization")
    assert themed and all("centralization" in h["themes"] for h in themed)
    assert all("征信" in h["snippet"] for h in hits("征信"))  # two characters: below the trigram size


def test_index_is_rebuilt_when_the_corpus_changes(fetched: None, tmp_path: Path) -> None:
    r = runner.invoke(app, ["index"])
    n = len(corpus_files())
    assert r.exit_code == 0 and f"{n} indexed" in r.stderr
    r = runner.invoke(app, ["index"])
    assert f"0 indexed, {n} unchanged" in r.stderr


def test_batch_resumes_and_streams(raw_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("pipl-2021.md", "dsl-2021.md", "scs-opinions-2022.md"):
        shutil.copy(raw_dir / name, folder / name)
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "tags.jsonl"
    index = tmp_path / "index.sqlite"
    r = runner.invoke(app, ["batch", str(folder), "--output", str(out), "--index", str(index)])
    assert r.exit_code == 1, r.output  # the others are indexed, but a script must see that one was not
    assert "3 processed, 0 unchanged" in r.stderr and "1 failed" in r.stderr and "failed: broken.txt" in r.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    shutil.copy(raw_dir / "nsl-2015.md", folder / "nsl-2015.md")
    r = runner.invoke(app, ["batch", str(folder), "--output", str(out), "--index", str(index), "--jobs", "2"])
    assert "1 processed, 3 unchanged" in r.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["document"]["id"] for rec in lines] == ["dsl-2021.md", "pipl-2021.md", "scs-opinions-2022.md",
                                                        "nsl-2015.md"]


def test_tag_on_a_dask_cluster_equals_the_local_run(raw_dir: Path) -> None:
    distributed = pytest.importorskip("distributed")
    names = ("scs-opinions-2022.md", "pipl-2021.md", "guofa-2019-5-joint-random-inspection.html",
             "enterprise-info-disclosure-regs-2024.json")
    paths = [str(raw_dir / n) for n in names]
    local = runner.invoke(app, ["tag", *paths, "--format", "jsonl"])
    assert local.exit_code == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = runner.invoke(app, ["tag", *paths, "--format", "jsonl", "--backend", "dask",
                                     "--scheduler", cluster.scheduler_address])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    assert len(local.stdout.splitlines()) == 23 + 74 + (10 + 2) + 27  # guofa: 10 items, 2 parts without items


def test_dask_engine_without_a_scheduler_fails_cleanly(raw_dir: Path) -> None:
    r = runner.invoke(app, ["tag", str(raw_dir / "dsl-2021.md"), str(raw_dir / "nsl-2015.md"), "--backend", "dask"])
    assert r.exit_code == 2 and "--backend dask needs --scheduler" in r.stderr
    r = runner.invoke(app, ["tag", str(raw_dir / "dsl-2021.md"), "--backend", "bogus"])
    assert r.exit_code == 2 and "unknown backend 'bogus'; use one of local, dask" in r.stderr


def test_batch_index_is_searchable_and_survives_corpus_updates(fetched: None, raw_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "rules.txt").write_text("本地规定\n第一条　建立紫色独角兽登记制度。\n第二条　本规定自公布之日起施行。\n",
                                      encoding="utf-8")
    r = runner.invoke(app, ["batch", str(folder)])
    assert r.exit_code == 0 and "1 processed" in r.stderr
    r = runner.invoke(app, ["search", "紫色独角兽", "--format", "json"])  # updates the corpus part first
    assert r.exit_code == 0, r.output
    assert [h["doc_id"] for h in json.loads(r.stdout)["hits"]] == ["rules.txt"]
    r = runner.invoke(app, ["batch", str(folder)])
    assert "0 processed, 1 unchanged" in r.stderr


def test_search_date_filters_are_checked(fetched: None) -> None:
    r = runner.invoke(app, ["search", "信用修复", "--since", "2020-13-01"])
    assert r.exit_code == 2 and "is not a date" in r.stderr
    r = runner.invoke(app, ["search", "信用", "--until", "2014", "--format", "json"])
    assert r.exit_code == 0
    hits = json.loads(r.stdout)["hits"]
    assert {"credit-reporting-regs-2013", "enterprise-info-disclosure-regs-2014"} <= {h["doc_id"] for h in hits}
    assert all(h["date"] and h["date"] <= "2014~" for h in hits)
    r = runner.invoke(app, ["search", "信用", "--since", "2024", "--until", "2020"])  # reversed: an error
    assert r.exit_code == 2 and r.stderr.strip().splitlines()[-1] == (
        "error: --since 2024 is after --until 2020: no date is in that range")
    r = runner.invoke(app, ["search", "信用", "--since", "2014-03-01", "--until", "2014"])  # within 2014: fine
    assert r.exit_code == 0


def test_two_folders_with_the_same_file_names_keep_both(raw_dir: Path, tmp_path: Path) -> None:
    for folder, source in (("a", "pipl-2021.md"), ("b", "dsl-2021.md")):
        (tmp_path / folder).mkdir()
        shutil.copy(raw_dir / source, tmp_path / folder / "law.md")
    index = str(tmp_path / "index.sqlite")
    for folder in ("a", "b"):
        assert runner.invoke(app, ["batch", str(tmp_path / folder), "--index", index]).exit_code == 0
    for query, title in (("个人信息处理者", "中华人民共和国个人信息保护法"), ("数据安全", "中华人民共和国数据安全法")):
        hits = json.loads(runner.invoke(app, ["search", query, "--index", index, "--format", "json"]).stdout)["hits"]
        # the first folder's law.md must not be replaced by the second's
        assert len(hits) > 10 and {h["title"] for h in hits} == {title}, (query, len(hits))


def test_a_file_that_is_not_an_index_is_never_opened_or_rebuilt_as_one(tmp_path: Path) -> None:
    import sqlite3

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("某条例\n第一条　信用。\n", encoding="utf-8")
    text = tmp_path / "law.txt"
    text.write_text("某条例\n第一条　信用。\n", encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE mine (x)")
    for path in (text, other):
        before = path.read_bytes()
        for args in (["search", "信用", "--index", str(path)], ["index", "--rebuild", "--index", str(path)],
                     ["batch", str(folder), "--index", str(path)]):
            r = runner.invoke(app, args)
            assert r.exit_code != 0 and "not an scdocs search index" in r.stderr, (args, r.output)
            assert path.read_bytes() == before
    r = runner.invoke(app, ["search", "信用", "--index", str(tmp_path / "new.db")])
    assert r.exit_code == 2 and "scdocs index --index" in r.stderr
    r = runner.invoke(app, ["search", "信用", "--limit", "9223372036854775808"])
    assert r.exit_code == 2 and "Traceback" not in r.output and len(r.stderr.strip().splitlines()) == 1


def test_a_document_that_no_longer_reads_leaves_the_index(fetched: None) -> None:
    from scdocs.corpus.catalogue import Catalogue

    r = runner.invoke(app, ["search", "数据交易中介服务", "--format", "json"])
    assert {h["doc_id"] for h in json.loads(r.stdout)["hits"]} == {"dsl-2021"}
    path = Catalogue.default().path("dsl-2021")
    path.chmod(0o644)
    path.write_bytes(b"\x00\x01binary" * 100)
    r = runner.invoke(app, ["search", "数据交易中介服务", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["hits"] == []  # no stale hits from the old text
    # the reason named: the stored text is no longer the one the catalogue fetched (it became binary)
    assert "dsl-2021" in r.stderr and "no longer matches the catalogue's sha256" in r.stderr and "1 removed" in r.stderr


def test_batch_names_a_dangling_link_and_a_named_pipe_as_failed(tmp_path: Path) -> None:
    """The tester's finding: a dangling link and a FIFO named *.txt in the folder were neither processed,
    named nor counted ('1 other files ignored'); they are failed documents now, and the pipe is never opened."""
    import os

    from typer.testing import CliRunner

    from scdocs.cli import app

    folder = tmp_path / "laws"
    folder.mkdir()
    (folder / "good.txt").write_text("某条例\n第一条　信用信息。\n", encoding="utf-8")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(folder / "fifo.txt")
    r = CliRunner().invoke(app, ["batch", str(folder), "--output", str(tmp_path / "out.jsonl")])
    assert r.exit_code == 1
    assert "dangling.txt: a link to nothing" in r.output and "fifo.txt: not a regular file" in r.output
