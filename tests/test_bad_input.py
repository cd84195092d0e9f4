"""Bad input through the command line: one `error:` line naming the file, exit status 2, never a
traceback, and never a clobbered --output file.

Every bad file is run through `sections`, `show DOC 1`, `check` and `convert --to json --output
FILE` where FILE already holds the user's data. Hostile XML and catalogue checksums are tested
elsewhere.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scdocs.cli import app

USER_DATA = b'{"my": "notes", "kept": true}\n'
COMMANDS = ("sections", "show", "check", "convert")

Maker = Callable[[Path], Path]


def _file(name: str, data: bytes) -> Maker:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def _random(n: int, low: int = 0, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(n))


ARTICLE_LIST = '{"title": "条例", "provisions": [{"provision_ref": "1", "chapter": "", "content": "内容。"}'

# name → (how to make it, a regex the one error line must match after the file name)
BAD: dict[str, tuple[Maker, str]] = {
    "missing path": (lambda tmp: tmp / "no-such-dir" / "missing.md", "no such file"),
    "directory": (lambda tmp: (tmp / "a-folder.md").mkdir() or tmp / "a-folder.md", "is a directory"),
    "empty file": (_file("empty.txt", b""), "empty document"),
    "whitespace only": (_file("blank.md", b" \n\t\r\n  \n"), "empty document"),
    "whitespace with ideographic spaces": (_file("blank2.txt", " \u3000\n\u3000\r\n".encode()),
                                           "empty document|no text"),
    "png": (_file("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random(3000)), "binary file"),
    "nul bytes": (_file("nul.md", "第一条　内容。".encode() + b"\x00\x00abc\x00" * 20), "binary file"),
    "undecodable high bytes": (_file("garbled.txt", _random(4096, low=128)), "undecodable bytes"),
    "html without text": (_file("empty.html", b"<html><body><div><span> </span><script>var a=1;</script>"
                                              b"</div></body></html>"), "no text"),
    "pdf": (_file("law.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
            "PDF is not supported"),
    "pdf named .txt": (_file("law.txt", b"%PDF-1.4\n" + _random(500)), "PDF is not supported"),
    "text named .docx": (_file("fake.docx", b"zz"), r"named as a Word \.docx .* bytes are not one"),
    "text named .pdf": (_file("notes.pdf", "第一条　内容。".encode()), "named as a PDF but the bytes are not one"),
    "non-AKN XML": (_file("foo.xml", b'<?xml version="1.0"?><foo/>'), "not Akoma Ntoso"),
    "malformed JSON": (_file("articles.json", ARTICLE_LIST.encode()), r"malformed JSON at line 1"),
    "JSON without provisions": (_file("list.json", b'{"title": "x", "articles": [{"content": "y"}]}'),
                                "not an article list"),
    "JSON with empty provisions": (_file("none.json", b'{"title": "x", "provisions": []}'), "no provisions"),
    "JSON provision without content": (_file("nocontent.json", b'{"provisions": [{"provision_ref": "1"}]}'),
                                       r"provisions\[0\]\.content: missing"),
    "JSON array": (_file("array.json", b"[1, 2, 3]"), "not an article list"),
    "JSON nested too deeply": (_file("deep.json", b"[" * 100_000 + b"]" * 100_000), "nested too deeply"),
    "scdocs JSON with a list for metadata": (_file("meta.json", b'{"format": "scdocs-document", "format_version": 1, '
                                                             b'"text": "x", "metadata": ["x"], "sections": []}'),
                                             "malformed scdocs-document JSON"),
    "scdocs JSON with an infinite offset": (_file("inf.json", b'{"format": "scdocs-document", "format_version": 1, '
                                                            b'"text": "x", "sections": [{"kind": "article", '
                                                            b'"eId": "art_1", "start": 0, "end": 1e400}]}'),
                                            "malformed scdocs-document JSON"),
    "scdocs JSON with one eId twice": (_file("dup.json", b'{"format": "scdocs-document", "format_version": 1, '
                                                      b'"text": "ab", "sections": [{"kind": "article", "eId": "art_1", '
                                                      b'"start": 0, "end": 1}, {"kind": "article", "eId": "art_1", '
                                                      b'"start": 1, "end": 2}]}'),
                                       r"eId 'art_1' is used by more than one section"),
    "docx that is a plain zip": (_file("law.docx", b"PK\x03\x04" + _random(200)), r"\.docx|ZIP"),
    "truncated docx": (_file("cut.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00"),
                       r"corrupt \.docx \(not a valid ZIP archive\)"),
}

# Damaged inputs that still hold text: they parse to what survives, with no traceback.
# name → (how to make it, words the text keeps, the units' nums, the first unit's text)
RECOVERABLE: dict[str, tuple[Maker, str, list[str], str | None]] = {
    "malformed HTML": (_file("broken.html", b"<html><body><p>unclosed <div><<<>>>"), "unclosed", [], None),
    "tag soup": (_file("soup.html", b"<html><<body>><p <p>>\xe7\xac\xac</table></td><div"), "第", [], None),
    "truncated UTF-8 HTML": (_file("cut.html", "<html><body><div id='a'><p>（一）总体。坚持".encode()[:-2]),
                             "（一）总体。坚", ["（一）"], "（一）总体。坚"),
    "truncated GB18030 text": (_file("cut.txt", "第一条　规范信用信息。\n第二条　".encode("gb18030")[:-1]),
                               "第一条　规范信用信息。\n第二条", ["第一条", "第二条"], "第一条　规范信用信息。"),
    "mixed line endings and stray CR": (_file("crlf.txt", "第一条　内容。\r\r\n第二条\r　内容。".encode()),
                                        "第一条　内容。\n第二条\n内容。", ["第一条", "第二条"], "第一条　内容。"),
}


@pytest.fixture(autouse=True)
def _restore_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--max-size` sets SCDOCS_MAX_BYTES in os.environ; put it back after each test.

    setenv first: delenv of an unset variable records nothing, so nothing would be undone.
    """
    monkeypatch.setenv("SCDOCS_MAX_BYTES", "")
    monkeypatch.delenv("SCDOCS_MAX_BYTES")


def _run(args: list[str]) -> Result:
    return CliRunner().invoke(app, args, env={"COLUMNS": "1000"})  # no wrapping of long temporary paths


def _args(command: str, doc: str, output: Path) -> list[str]:
    return {"sections": ["sections", doc], "show": ["show", doc, "1"], "check": ["check", doc],
            "convert": ["convert", doc, "--to", "json", "--output", str(output)]}[command]


def _assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def _assert_one_error_line(result: Result, doc: str, problem: str) -> None:
    _assert_no_traceback(result)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {doc}"), lines[0]
    assert re.search(problem, lines[0][len(f"error: {doc}"):]), lines[0]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_gives_one_error_line(tmp_path: Path, case: str, command: str) -> None:
    make, problem = BAD[case]
    doc = str(make(tmp_path))
    existing = tmp_path / "existing.json"
    existing.write_bytes(USER_DATA)
    result = _run(_args(command, doc, existing))
    _assert_one_error_line(result, doc, problem)
    assert existing.read_bytes() == USER_DATA
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".existing.json")]  # no temp file left


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", sorted(RECOVERABLE))
def test_damaged_file_parses_to_what_survives(tmp_path: Path, case: str, command: str) -> None:
    make, kept, nums, first = RECOVERABLE[case]
    doc = str(make(tmp_path))
    existing = tmp_path / "existing.json"
    existing.write_bytes(USER_DATA)
    result = _run(_args(command, doc, existing))
    _assert_no_traceback(result)
    if command == "show" and first is None:  # no unit 1 to show: an error, after the warning that no body was read
        assert result.exit_code == 2 and result.stderr.splitlines() == [
            f"warning: {doc}: no body text: every line was read as the title or header",
            f"error: {doc}: no section numbered 1"], result.stderr
        return
    if command == "check" and not nums:  # what survives is a title alone: check says so and exits 1
        assert result.exit_code == 1 and "no body text" in result.stdout, result.stdout
        return
    assert result.exit_code == 0, (result.stdout, result.stderr)
    if command == "sections":  # "DOC  2 articles, 15 chars", then one tree line per unit
        shown = " ".join(result.stdout.split())
        assert re.match(rf"{re.escape(doc)} {len(nums)} (unit|article|item)s?,", shown), shown
        assert re.findall(r"[├└]── (\S+)", shown) == nums
    elif command == "show":
        assert result.stdout.splitlines()[1:] == first.splitlines()  # type: ignore[union-attr]
    elif command == "check":
        assert result.stdout.splitlines()[-1] == "numbering is consistent"
    else:
        data = json.loads(existing.read_bytes())
        assert data["format"] == "scdocs-document" and kept in data["text"]
        assert [s["num"] for s in data["sections"]] == nums


@pytest.mark.parametrize("command", COMMANDS)
def test_file_over_the_size_cap(tmp_path: Path, command: str) -> None:
    doc = tmp_path / "long.md"
    doc.write_text("第一条　" + "信用信息。" * 100, encoding="utf-8")
    existing = tmp_path / "existing.json"
    existing.write_bytes(USER_DATA)
    result = _run(["--max-size", "100", *_args(command, str(doc), existing)])
    _assert_one_error_line(result, str(doc), r"over the size cap of 100 bytes")
    assert existing.read_bytes() == USER_DATA


def test_size_cap_applies_to_bytes_already_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stat() check and the in-memory check agree, so a growing file cannot slip past."""
    from scdocs.errors import InputError
    from scdocs.readers import read_bytes

    monkeypatch.setenv("SCDOCS_MAX_BYTES", "100")
    with pytest.raises(InputError, match="over the size cap of 100 bytes"):
        read_bytes(("第一条　" + "内容。" * 50).encode(), "x.md")


def test_output_file_is_written_only_on_success(tmp_path: Path) -> None:
    """The control for the checks above: a good document does replace existing.json."""
    doc = tmp_path / "ok.md"
    doc.write_text("测试条例\n第一条　为了测试，制定本条例。\n第二条　本条例自公布之日起施行。\n",
                   encoding="utf-8")
    existing = tmp_path / "existing.json"
    existing.write_bytes(USER_DATA)
    result = _run(_args("convert", str(doc), existing))
    assert result.exit_code == 0, result.stderr
    assert json.loads(existing.read_bytes())["format"] == "scdocs-document"


@pytest.mark.parametrize(("name", "data", "outcome"), [
    # ² is a digit to str.isdigit() but no numeral: refused, not turned into a heading no one can find.
    ("sup.json", '{"provisions": [{"provision_ref": "²", "content": "内容。"}]}'.encode(),
     r'provisions\[0\]\.provision_ref: expected a positive whole number .* got "²"'),
    ("bigint.json", b'{"provisions": [{"content": "x"}], "id": ' + b"9" * 5000 + b"}",
     "malformed JSON: a number with more than 4,300 digits"),
], ids=["superscript-ref", "5000-digit-number"])
def test_json_values_python_cannot_convert(tmp_path: Path, name: str, data: bytes, outcome: str) -> None:
    doc = tmp_path / name
    doc.write_bytes(data)
    _assert_one_error_line(_run(["sections", str(doc)]), str(doc), outcome)


def test_short_random_bytes_are_not_decoded_to_garbage(tmp_path: Path) -> None:
    rng = random.Random(3)
    doc = tmp_path / "short.txt"
    doc.write_bytes(bytes(rng.randrange(128, 256) for _ in range(40)))
    _assert_one_error_line(_run(["sections", str(doc)]), str(doc), "undecodable")


def test_reader_errors_in_worker_processes_are_one_line(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("示例\n第一条　甲。\n第二条　乙。\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _run(["tag", str(good), str(empty), "--jobs", "2"])  # the good one is tagged, the other named
    _assert_no_traceback(result)
    assert result.exit_code == 1 and "第一条" in result.stdout
    assert result.stderr.splitlines() == [f"failed: {empty}: empty document",
                                          "1 of 2 documents could not be read and are left out"]
    _assert_one_error_line(_run(["tag", str(empty), "--jobs", "2"]), str(empty), "empty")


def test_unpaired_surrogates_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "sur.json"
    doc.write_text('{"title": "x", "provisions": [{"provision_ref": "1", "content": "\\ud800甲"}]}', encoding="utf-8")
    _assert_one_error_line(_run(["tag", str(doc), "-f", "json"]), str(doc), "surrogate")


@pytest.mark.parametrize("doc", ["missing-file.txt\n", "第一条　本法施行。", "no such file at all"])
def test_a_doc_that_names_nothing_is_an_error_not_a_one_line_document(doc: str) -> None:
    """DOC is a corpus id, a path, a URL or -: a mistyped name (a stray line break from a script
    included) is never read as the text of a document."""
    result = _run(["sections", doc])
    _assert_no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: {doc.strip() if doc == doc.strip() else repr(doc)}: "
                                          "no such file, URL or corpus id"]


@pytest.mark.parametrize(("text", "says"), [
    ('format_version = 2\n[[rules]]\nid = "r"\nkind = "gained"\nmove = "security"\npattern = "安全"\n'
     'description = "d"\n', "unknown key or table 'rules'"),
    ('[[rule]]\nid = "r"\nkind = "gained"\nmove = "security"\npattern = "安全"\ndescription = "d"\n',
     "missing key 'format_version'"),
    ("format_version = 2\n", "no [[rule]] or [[level]] tables"),
    ('format_version = 2\n' + '[[rule]]\nid = "r1"\nkind = "gained"\nmove = "security"\npattern = "安全"\n'
     'description = "d"\n' * 2, "two [[rule]] tables are named 'r1'"),
])
def test_a_rules_file_that_would_silently_do_nothing_is_refused(tmp_path: Path, text: str, says: str) -> None:
    """The tester's findings: [[rules]] for [[rule]], no format_version, an empty file and a rule id given
    twice were all accepted (the rules then did not apply, or counted twice)."""
    a, rules = tmp_path / "a.txt", tmp_path / "rules.toml"
    a.write_text("某条例\n第一条　为了规范管理，制定本条例。\n", encoding="utf-8")
    rules.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(app, ["diff", str(a), str(a), "--rules", str(rules)])
    assert r.exit_code == 2 and says in r.output and len(r.output.strip().splitlines()) == 1


@pytest.mark.parametrize("weight", ["inf", "nan", "-inf"])
def test_a_taxonomy_weight_must_be_finite(tmp_path: Path, weight: str) -> None:
    """The tester's finding: weight = inf gave scores of Infinity (not JSON) and nan a theme that never fires."""
    a, tax = tmp_path / "a.txt", tmp_path / "tax.toml"
    a.write_text("某条例\n第一条　信用信息。\n", encoding="utf-8")
    tax.write_text('format_version = 1\n[themes.xx]\nlabel_en = "X"\n'
                   f'patterns = [ {{ zh = "信用", weight = {weight} }} ]\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["tag", str(a), "--taxonomy", str(tax), "--engine", "rules", "--format", "json"])
    assert r.exit_code == 2 and "must be a finite number" in r.output


def test_a_device_or_pipe_is_read_under_the_size_cap(tmp_path: Path) -> None:
    """The tester's finding: /dev/zero (size 0 to stat) was read whole and ended in a MemoryError."""
    r = CliRunner().invoke(app, ["--max-size", "1000", "sections", "/dev/zero"])
    assert r.exit_code == 2 and "over the size cap of 1,000 bytes" in r.output


def test_json_nested_too_deeply_is_one_line_everywhere(tmp_path: Path, fetched: None) -> None:
    """The tester's finding: 100,000 nested brackets as an annotation store, an import or a model ended in
    a RecursionError traceback (the article-list reader already said 'nested too deeply')."""
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    doc = tmp_path / "a.txt"
    doc.write_text("某条例\n第一条　信用信息。\n", encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    (store / "scs-opinions-2022.jsonld").write_bytes(deep.read_bytes())
    for args in (["annotate", "import", "scs-opinions-2022", str(deep), "--store", str(tmp_path / "other")],
                 ["tag", str(doc), "--model", str(deep)],
                 ["annotate", "list", "scs-opinions-2022", "--store", str(store)]):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 2 and "nested too deeply" in r.output and "Traceback" not in r.output, args


def test_the_python_api_names_bad_arguments_in_its_own_words() -> None:
    """The tester's findings: a lone surrogate in text gave a bare UnicodeEncodeError, taxonomy=123 a
    bare TypeError from deep inside, Document.from_dict({}) a KeyError, and from_dict took any format
    and version, and offsets shifted off the text."""
    import scdocs
    from scdocs import Document, InputError

    with pytest.raises(InputError, match="lone surrogate"):
        scdocs.load("第一条 \ud800测试。\n")
    with pytest.raises(TypeError, match="taxonomy must be a Taxonomy"):
        scdocs.tag(scdocs.load("某条例\n第一条　信用信息。\n"), taxonomy=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs its text"):
        Document.from_dict({})
    good = scdocs.load("某条例\n第一条　信用信息。\n第二条　施行。\n").to_dict()
    for bad, says in (({**good, "format_version": 99}, "version 99"), ({**good, "format": "other"}, "not scdocs"),
                      ({**good, "text": "前言七个字符" + str(good["text"])}, "offsets do not fit")):
        with pytest.raises(ValueError, match=says):
            Document.from_dict(bad)
    assert Document.from_dict(good).text == good["text"]


def test_a_file_url_a_legacy_doc_and_a_scheduler_without_dask_say_what_they_are(tmp_path: Path) -> None:
    """The tester's findings: file:///… was 'no such file, URL or corpus id'; a Word 97–2003 file was
    'damaged, or another file renamed'; --scheduler without --backend dask was ignored silently."""
    doc = tmp_path / "a.txt"
    doc.write_text("某条例\n第一条　信用信息。\n", encoding="utf-8")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    for args, says in ((["tag", f"file://{doc}"], "only http(s) URLs are read"),
                       (["tag", str(old)], "legacy Word 97–2003 file (.doc)"),
                       (["tag", str(doc), "--scheduler", "tcp://127.0.0.1:1"], "give it with --backend dask")):
        r = CliRunner().invoke(app, args)
        assert r.exit_code == 2 and says in r.output, args
