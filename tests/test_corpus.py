"""The corpus catalogue: every raw document has a checked entry; fetch refuses wrong bytes;
user entries (added or hand-written) are read, validated and refused with one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import corpus_files
from typer.testing import CliRunner, Result

import scdocs
from scdocs.cli import app
from scdocs.corpus.catalogue import KINDS, REQUIRED_KEYS, STATUSES, Catalogue, catalogue_dir, data_dir
from scdocs.errors import CatalogueError

CATALOGUE = Path(__file__).resolve().parent.parent / "corpus"  # installed as scdocs.catalogue
FORMATS = {".md": "markdown", ".txt": "text", ".html": "html", ".json": "json"}
PAIRS = [("aml-law-2006", "aml-law-2024"),
         ("beijing-business-env-regs-2020", "beijing-business-env-regs-2024"),
         ("shanghai-business-env-regs-2020", "shanghai-business-env-regs-2024"),
         ("company-law-2018", "company-law-2023"),
         ("civil-procedure-law-2021", "civil-procedure-law-2023"),
         ("enterprise-info-disclosure-regs-2014", "enterprise-info-disclosure-regs-2024")]
WITHOUT_SOURCE = {"scs-planning-outline-2014": "国发〔2014〕21号",
                  "guofa-2016-33-joint-rewards-punishments": "国发〔2016〕33号",
                  "guobanfa-2019-35-credit-based-regulation": "国办发〔2019〕35号",
                  "guobanfa-2020-49-dishonesty-constraints": "国办发〔2020〕49号",
                  "scs-opinions-2025": ""}

SMALL_RULES = """示例市信用承诺管理办法

第一条　为了规范信用承诺，制定本办法。

第二条　本办法适用于本市行政区域内的信用承诺活动。

第三条　本办法自2025年1月1日起施行。
"""


@pytest.fixture(autouse=True)
def _shipped_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check the repository's own catalogue, whatever the environment says."""
    monkeypatch.delenv("SCDOCS_CATALOGUE", raising=False)
    monkeypatch.delenv("SCDOCS_MAX_BYTES", raising=False)  # another test's `--max-size` may have leaked it


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def toml_files() -> list[Path]:
    return sorted(CATALOGUE.glob("*.toml"))


# -- the shipped catalogue ----------------------------------------------------------------------


def test_every_raw_document_has_exactly_one_entry_with_its_hash(raw_dir: Path) -> None:
    entries = Catalogue.default().entries()
    for f in corpus_files():
        matching = [e for e in entries if e.source and e.source.file == f.name]
        assert len(matching) == 1, f"{f.name}: {len(matching)} entries"
        src = matching[0].source
        assert src is not None
        data = f.read_bytes()
        assert src.sha256 == hashlib.sha256(data).hexdigest(), f.name
        assert src.bytes == len(data), f.name
        assert src.format == FORMATS[f.suffix], f.name
        assert matching[0].id == f.stem
    raw_names = {f.name for f in corpus_files()}
    assert {e.source.file for e in entries if e.source} == raw_names  # no entry points at a missing file


def test_every_entry_parses_and_has_the_required_fields() -> None:
    files = toml_files()
    assert len(files) == len(corpus_files()) + len(WITHOUT_SOURCE)
    with_source = 0
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key in (*REQUIRED_KEYS, "official_url", "lineage"):
            assert key in data, f"{path.name}: {key}"
        assert data["id"] == path.stem
        assert data["kind"] in KINDS and data["status"] in STATUSES
        assert len(data["date"]) == 10, f"{path.name}: full ISO date"
        assert data["title_zh"] and data["title_en"] and data["issuers"]
        assert set(data["lineage"]) - {"first_enacted"} == {"work", "version_of", "replaces", "replaced_by"}
        if "source" in data:
            with_source += 1
            src = data["source"]
            assert src["url"].startswith("https://raw.githubusercontent.com/")
            assert " " not in src["url"] and all(ord(c) < 128 for c in src["url"]), "percent-encoded"
        else:
            assert data["official_url"].startswith(("http://www.gov.cn/", "https://www.gov.cn/",
                                                    "https://www.court.gov.cn/")), path.name
            assert data.get("note"), f"{path.name}: explains why there is no source"
    assert with_source == len(corpus_files())  # one entry with a source per raw document
    cat = Catalogue.default()
    assert len(cat.ids()) == len(corpus_files()) + len(WITHOUT_SOURCE)
    for e in cat.entries():  # lineage links name real entries and agree with each other
        for ref in (e.lineage.version_of, e.lineage.replaces, e.lineage.replaced_by):
            assert not ref or cat.has(ref), f"{e.id}: {ref}"
        if e.lineage.replaced_by:
            assert cat.get(e.lineage.replaced_by).lineage.replaces == e.id
            assert e.status == "amended"


def test_key_documents_and_version_pairs_are_listed() -> None:
    result = run("corpus", "list", "--json")
    assert result.exit_code == 0, result.output
    listed = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    cat = Catalogue.default()
    for old, new in PAIRS:
        assert old in listed and new in listed
        assert cat.get(old).lineage.replaced_by == new
        assert cat.get(new).lineage.replaces == old == cat.get(new).lineage.version_of
        assert cat.get(old).lineage.work == cat.get(new).lineage.work
    for entry_id, doc_number in WITHOUT_SOURCE.items():
        assert listed[entry_id]["has_source"] is False
        assert cat.get(entry_id).doc_number == doc_number
    assert cat.get("spc-defaulter-list-2017").lineage.replaces == "spc-defaulter-list-2013"
    assert cat.get("scs-planning-outline-2014").date == "2014-06-14"


# -- fetching -------------------------------------------------------------------------------------


def test_fetch_from_mirror_then_list_and_load(raw_dir: Path) -> None:
    result = run("corpus", "fetch", "--from", str(raw_dir))
    assert result.exit_code == 0, result.output
    n = len(corpus_files())
    assert f"fetched {n}, already present 0, failed 0" in result.stdout
    assert f"skipped {len(WITHOUT_SOURCE)} without a source" in result.stdout

    listed = [json.loads(line) for line in run("corpus", "list", "--json").stdout.splitlines()]
    assert sum(row["fetched"] for row in listed) == n
    assert all(row["fetched"] == row["has_source"] for row in listed)
    table = run("corpus", "list").stdout
    assert f"{n + len(WITHOUT_SOURCE)} entries, {n} fetched" in table

    doc = scdocs.load("pipl-2021")
    assert len(doc.units()) == 74
    assert doc.meta.title == "中华人民共和国个人信息保护法"
    assert doc.meta.doc_number == "主席令第九十一号"
    assert doc.meta.extra["id"] == "pipl-2021"
    assert doc.meta.extra["title_en"].startswith("Personal Information Protection Law")
    assert doc.meta.extra["status"] == "in-force"
    # named by the pinned source it came from, never by the copy's path in this user's data folder
    entry = Catalogue.default().get("pipl-2021")
    assert entry.source is not None and doc.meta.source == entry.source.url
    assert not doc.warnings

    again = run("corpus", "fetch", "--from", str(raw_dir), "pipl-2021", "dsl-2021")
    assert again.exit_code == 0 and "fetched 0, already present 2, failed 0" in again.stdout
    shown = run("corpus", "show", "aml-law-2024")
    assert shown.exit_code == 0 and "aml-law-2006 → aml-law-2024" in shown.stdout
    assert "yes, at" in shown.stdout


def test_a_stored_text_edited_after_fetching_is_refused_until_fetched_again(raw_dir: Path) -> None:
    """The tester's finding: an edited stored text was read as the catalogue's document, silently."""
    assert run("corpus", "fetch", "pipl-2021", "--from", str(raw_dir)).exit_code == 0
    stored = Catalogue.default().path("pipl-2021")
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace("第一条".encode(), "第一条【篡改】".encode(), 1))
    result = run("show", "pipl-2021", "1")
    assert result.exit_code == 2
    assert error_lines(result) == [f"error: pipl-2021: the stored text at {stored} no longer matches the catalogue's "
                                   "sha256 (edited or damaged); run `scdocs corpus fetch pipl-2021` to restore it"]
    run("index")  # nor indexed as the catalogue's document: search never finds the edited words
    hits = json.loads(run("search", "第一条【篡改】", "--format", "json").stdout)["hits"]
    assert not [h for h in hits if h["doc_id"] == "pipl-2021"]
    assert run("corpus", "fetch", "pipl-2021", "--from", str(raw_dir)).exit_code == 0
    assert "【篡改】" not in scdocs.load("pipl-2021").text


def test_tampered_mirror_copy_is_refused_and_nothing_stored(raw_dir: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(raw_dir / "pipl-2021.md", mirror / "pipl-2021.md")
    (mirror / "pipl-2021.md").chmod(0o644)
    with (mirror / "pipl-2021.md").open("ab") as fh:
        fh.write("第七十五条　本法不存在。\n".encode())
    expected = Catalogue.default().get("pipl-2021").source.sha256  # type: ignore[union-attr]

    result = run("corpus", "fetch", "pipl-2021", "--from", str(mirror))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert "pipl-2021" in lines[0] and "sha256" in lines[0] and expected in lines[0]
    assert "fetched 0, already present 0, failed 1" in result.stdout
    texts = data_dir() / "texts"
    assert not texts.exists() or not any(texts.iterdir())
    with pytest.raises(CatalogueError, match="pipl-2021: sha256 mismatch"):
        Catalogue.default().fetch(["pipl-2021"], from_dir=mirror)
    with pytest.raises(CatalogueError, match=r"not fetched yet; run `scdocs corpus fetch pipl-2021`"):
        scdocs.load("pipl-2021")


def test_entries_without_a_source(raw_dir: Path) -> None:
    result = run("corpus", "fetch", "scs-opinions-2025", "--from", str(raw_dir))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1 and "scs-opinions-2025: no source to fetch (official page: https://" in lines[0]
    with pytest.raises(CatalogueError, match="no text is available"):
        scdocs.load("scs-opinions-2025")
    unknown = run("corpus", "fetch", "no-such-doc")
    assert unknown.exit_code == 2 and "no-such-doc: no such corpus id" in unknown.stderr


# -- user entries ---------------------------------------------------------------------------------


def test_malformed_user_catalogue_toml_is_one_line_naming_the_file() -> None:
    user = data_dir() / "catalogue"
    user.mkdir(parents=True)
    broken = user / "broken-2025.toml"
    broken.write_text('format_version = 1\nid = "broken-2025\ntitle_zh = [\n', encoding="utf-8")
    result = run("corpus", "list")
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1 and str(broken) in lines[0] and "malformed TOML" in lines[0]

    broken.write_text('format_version = 1\nid = "broken-2025"\ntitle_zh = "示例"\nissuers = []\n'
                      'date = "2025-01-01"\ndoc_number = ""\nkind = "other"\nstatus = "draft"\n',
                      encoding="utf-8")
    result = run("corpus", "show", "pipl-2021")
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1 and str(broken) in lines[0] and "'title_en'" in lines[0]


def test_first_enacted_is_checked_with_one_line_naming_the_file() -> None:
    user = data_dir() / "catalogue"
    user.mkdir(parents=True)
    entry = user / "company-law-2030.toml"
    base = ('format_version = 1\nid = "company-law-2030"\ntitle_zh = "公司法"\ntitle_en = "Company Law"\n'
            'issuers = []\ndate = "{date}"\ndoc_number = ""\nkind = "law"\nstatus = "draft"\n'
            '[lineage]\nwork = "company-law"\nfirst_enacted = "{first}"\n')
    for date, first, message in (
            ("2030-01-01", "1993-02-30", "'first_enacted' '1993-02-30' is not an ISO date"),
            ("2030-01-01", "29.12.1993", "'first_enacted' '29.12.1993' is not an ISO date"),
            ("2030-01-01", "2031", "'first_enacted' '2031' is later than this version's date '2030-01-01'"),
            ("2030-01-01", "1994-01-01", "disagrees with '1993-12-29' in "),
            ("1990-01-01", "", "key 'date' '1990-01-01' is before its work's first enactment '1993-12-29'")):
        entry.write_text(base.format(date=date, first=first), encoding="utf-8")
        result = run("corpus", "list")
        lines = error_lines(result)
        assert result.exit_code == 2 and len(lines) == 1, result.output
        assert str(entry) in lines[0] and message in lines[0], lines[0]
    entry.write_text(base.format(date="2030-01-01", first="1993-12-29"), encoding="utf-8")
    cat = Catalogue.default()
    assert cat.work_date("company-law") == "1993-12-29" and cat.work_date("aml-law") == "2006-10-31"
    assert cat.work_date("no-such-work") == ""


def test_add_a_text_file_then_load_it_and_refuse_the_same_id(tmp_path: Path) -> None:
    doc_file = tmp_path / "示例办法.txt"
    doc_file.write_text(SMALL_RULES, encoding="utf-8")
    result = run("corpus", "add", str(doc_file), "--id", "example-pledge-rules-2025",
                 "--kind", "department-rule", "--title-en", "Example Municipal Measures on Credit Pledges",
                 "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert "added example-pledge-rules-2025" in result.stdout

    doc = scdocs.load("example-pledge-rules-2025")
    assert [u.number for u in doc.units()] == [1, 2, 3]
    assert doc.meta.extra["title_en"] == "Example Municipal Measures on Credit Pledges"
    assert doc.meta.kind == "department-rule" and doc.meta.date == "2025-01-01"
    entry = Catalogue.default().get("example-pledge-rules-2025")
    assert entry.user and entry.origin == data_dir() / "catalogue" / "example-pledge-rules-2025.toml"
    assert entry.source is not None
    assert entry.source.sha256 == hashlib.sha256(doc_file.read_bytes()).hexdigest()

    again = run("corpus", "add", str(doc_file), "--id", "example-pledge-rules-2025")
    assert again.exit_code == 2
    assert len(error_lines(again)) == 1 and "already in the catalogue" in again.stderr
    shipped = run("corpus", "add", str(doc_file), "--id", "pipl-2021")
    assert shipped.exit_code == 2 and "pipl-2021: already in the catalogue" in shipped.stderr
    for date in ("2024-13-45", "2024-02-30", "2024-13"):  # days and months that do not exist
        bad = run("corpus", "add", str(doc_file), "--id", "example-bad-date", "--date", date)
        assert bad.exit_code == 2 and f"date {date!r} is not a date" in bad.stderr, bad.output
    assert "example-bad-date" not in {e.id for e in Catalogue.default().entries()}


def test_add_refuses_garbage_and_bad_lineage(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    result = run("corpus", "add", str(junk), "--id", "junk-2025")
    assert result.exit_code == 2 and len(error_lines(result)) == 1
    doc_file = tmp_path / "rules.txt"
    doc_file.write_text(SMALL_RULES, encoding="utf-8")
    result = run("corpus", "add", str(doc_file), "--id", "rules-2025", "--replaces", "no-such-doc")
    assert result.exit_code == 2 and "no-such-doc" in result.stderr
    assert not (data_dir() / "catalogue").exists() or not any((data_dir() / "catalogue").iterdir())
    assert not (data_dir() / "texts").exists() or not any((data_dir() / "texts").iterdir())

    entry = Catalogue.default().add(doc_file, id="rules-2025", version_of="spc-defaulter-list-2013")
    assert entry.lineage.work == "spc-defaulter-list"


def test_catalogue_location_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert catalogue_dir() == CATALOGUE
    only = tmp_path / "cat"
    only.mkdir()
    shutil.copy(CATALOGUE / "pipl-2021.toml", only / "pipl-2021.toml")
    monkeypatch.setenv("SCDOCS_CATALOGUE", str(only))
    assert Catalogue.default().ids() == ["pipl-2021"]
    monkeypatch.setenv("SCDOCS_CATALOGUE", os.fspath(tmp_path / "missing"))
    with pytest.raises(CatalogueError, match="SCDOCS_CATALOGUE is not a folder"):
        Catalogue.default()


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A throwaway HTTP server on 127.0.0.1 serving a folder, to test downloads without the internet."""
    import functools
    import http.server
    import threading

    root = tmp_path / "served"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_download_checks_the_hash_and_add_accepts_urls(raw_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       local_server: tuple[str, Path]) -> None:
    pytest.importorskip("scdocs.readers.url")
    base, served = local_server
    shutil.copy(raw_dir / "dsl-2021.md", served / "dsl-2021.md")
    (served / "pipl-2021.md").write_bytes((raw_dir / "pipl-2021.md").read_bytes() + b"\n")  # one byte more
    cat_dir = tmp_path / "cat"
    cat_dir.mkdir()
    for entry_id in ("dsl-2021", "pipl-2021"):
        text = (CATALOGUE / f"{entry_id}.toml").read_text(encoding="utf-8")
        pinned = tomllib.loads(text)["source"]["url"]
        local = text.replace(pinned, f"{base}/{entry_id}.md")
        (cat_dir / f"{entry_id}.toml").write_text(local, encoding="utf-8")
    monkeypatch.setenv("SCDOCS_CATALOGUE", str(cat_dir))

    result = run("corpus", "fetch")
    assert result.exit_code == 2
    assert "fetched 1, already present 0, failed 1" in result.stdout
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: pipl-2021: sha256 mismatch")
    assert len(scdocs.load("dsl-2021").units()) == 55
    assert not Catalogue.default().is_fetched("pipl-2021")

    (served / "rules.txt").write_text(SMALL_RULES, encoding="utf-8")
    added = run("corpus", "add", f"{base}/rules.txt", "--status", "draft")
    assert added.exit_code == 0, added.output
    entry = Catalogue.default().get("rules")
    assert entry.source is not None and entry.source.url == f"{base}/rules.txt" and entry.status == "draft"
    assert len(scdocs.load("rules").units()) == 3
