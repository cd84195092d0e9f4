"""Hostile article-list JSON (issue 14): wrong types, negative and non-numeric article numbers,
NaN and repeated keys give one line naming the field by its JSON path, never a Python repr or a
Python exception's text; and `annotate --store FILE` where FILE is not a folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GOOD: dict[str, Any] = {
    "title": "测试条例", "issuing_body": "国务院", "issued_date": "2024-03-10", "type": "administrative_regulation",
    "provisions": [{"provision_ref": "1", "chapter": "第一章　总则", "content": "为了测试，制定本条例。"},
                   {"provision_ref": 2, "chapter": "第一章　总则", "content": "本条例自公布之日起施行。"}]}


def _with(path: str, value: Any) -> dict[str, Any]:
    """GOOD with one field replaced: "title", or "provisions.1.provision_ref"."""
    data = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


# case → (the file's text, the words the one error line must hold)
BAD: dict[str, tuple[str, str]] = {
    "title an object": (json.dumps(_with("title", {"zh": "测试"})), "title: expected a string, got an object"),
    "date a number": (json.dumps(_with("issued_date", 20240310)), "issued_date: expected a string, got 20240310"),
    "date not a date": (json.dumps(_with("issued_date", "去年")),
                        'issued_date: expected a date YYYY-MM-DD, got "去年"'),
    "issuer a list": (json.dumps(_with("issuing_body", ["国务院"])), "issuing_body: expected a string, got a list"),
    "negative ref": (json.dumps(_with("provisions.1.provision_ref", -5)),
                     "provisions[1].provision_ref: expected a positive whole number from 1 to 99,999, got -5"),
    "zero ref string": (json.dumps(_with("provisions.0.provision_ref", "0")),
                        'provisions[0].provision_ref: expected a positive whole number from 1 to 99,999, got "0"'),
    "negative ref string": (json.dumps(_with("provisions.0.provision_ref", "-5")),
                            'provisions[0].provision_ref: expected a positive whole number'),
    "fractional ref": (json.dumps(_with("provisions.1.provision_ref", 2.5)),
                       "provisions[1].provision_ref: expected a positive whole number, got 2.5"),
    "boolean ref": (json.dumps(_with("provisions.1.provision_ref", True)),
                    "provisions[1].provision_ref: expected a positive whole number, got true"),
    "huge ref": (json.dumps(_with("provisions.1.provision_ref", 10**30)), "from 1 to 99,999"),
    "NaN ref": (json.dumps(_with("provisions.1.provision_ref", float("nan"))),
                "malformed JSON: NaN is not a JSON value"),
    "Infinity": (json.dumps(_with("provisions.1.provision_ref", float("-inf"))), "-Infinity is not a JSON value"),
    "chapter a number": (json.dumps(_with("provisions.0.chapter", 1)),
                         "provisions[0].chapter: expected a string, got 1"),
    "content an object": (json.dumps(_with("provisions.1.content", {"text": "x"})),
                          "provisions[1].content: expected a string, got an object"),
    "content missing": (json.dumps(_with("provisions.1.content", None)), "provisions[1].content: missing"),
    "provision a string": (json.dumps(_with("provisions.1", "第二条　内容。")),
                           'provisions[1]: expected an object, got "第二条　内容。"'),
    "repeated key": ('{"title": "测试", "provisions": [{"content": "甲。", "content": "乙。"}]}',
                     'malformed JSON: key "content" appears twice'),
    "bad escape": ('{"title": "\\x41", "provisions": []}', "malformed JSON at line 1 column 12"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_field_is_named_in_one_line(scdocs: Callable, tmp_path: Path, case: str) -> None:
    text, needle = BAD[case]
    path = tmp_path / "regs.json"
    path.write_text(text, encoding="utf-8")
    line = scdocs("sections", path).assert_one_line_error("regs.json", needle)
    assert "{'" not in line and "Error" not in line, line  # no Python repr, no exception class name


def test_control_good_list_reads(scdocs: Callable, tmp_path: Path) -> None:
    path = tmp_path / "regs.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    run = scdocs("sections", path)
    run.assert_ok()
    assert "第二条" in run.stdout and "2 articles" in run.stdout


def test_printed_numbers_and_missing_refs_are_kept(tmp_path: Path) -> None:
    """第五条之一 is a printed number and stays; a provision without one is numbered by its place."""
    from scdocs.readers import read_path

    data = _with("provisions.1.provision_ref", "第一条之一")
    data["provisions"].append({"content": "本条例由国务院解释。"})
    path = tmp_path / "regs.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc = read_path(path)
    assert "第一条之一　本条例自公布之日起施行。" in doc.text
    assert "第三条　本条例由国务院解释。" in doc.text
    assert doc.meta.title == "测试条例" and doc.meta.date == "2024-03-10"


def test_the_corpus_article_lists_still_read(scdocs: Callable, raw_dir: Path) -> None:
    for path in sorted(raw_dir.glob("*.json")):
        run = scdocs("sections", path)
        run.assert_ok()
        assert " articles," in run.stdout.splitlines()[0], run.stdout[:200]


def test_annotation_store_that_is_a_file(scdocs: Callable, tmp_path: Path) -> None:
    """`--store FILE` ended in a FileExistsError traceback (add) or showed no annotations (list)."""
    law = tmp_path / "law.txt"
    law.write_text("某条例\n第一条　为了规范管理，制定本条例。\n", encoding="utf-8")
    store = tmp_path / "notes.jsonld"
    store.write_text("my notes\n", encoding="utf-8")
    for args in (("add", law, "1", "--quote", "规范管理"), ("list", law)):
        run = scdocs("annotate", *args, "--store", store)
        run.assert_one_line_error("notes.jsonld", "must be a folder")
    run = scdocs("annotate", "add", law, "1", "--quote", "规范管理", "--store", store / "inside")
    run.assert_one_line_error("cannot create the annotation folder")
    assert store.read_text(encoding="utf-8") == "my notes\n"


def test_text_in_fields_the_reader_does_not_read_is_warned_about(scdocs: Callable, tmp_path: Path) -> None:
    data = {"title": "条例", "appendix": "附件正文十个字符啊",
            "provisions": [{"provision_ref": "1", "content": "内容。", "note": "注释六个字符"}]}
    path = tmp_path / "list.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = scdocs("sections", path)
    run.assert_ok()
    warning = next(line for line in run.stderr.splitlines() if line.startswith("warning:"))
    assert "left out 15 characters" in warning and "appendix (9)" in warning and "provisions[].note (6)" in warning
