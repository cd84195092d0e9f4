"""Fuzzing the readers: random bytes and near-valid documents (第X条 text with junk, HTML
fragments, XML with random tags and DTD bits, JSON article lists with fields of the wrong type).

Every input must either give a Document whose sections (and preface, preamble, conclusions) are
exactly the document text at their offsets, nested inside their parents, or raise ScdocsError,
which the command line prints as one line. Any other exception is a bug. The budget is fixed and
derandomized (the same examples on every run, no example database) so CI is deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scdocs.document.model import Document, Section
from scdocs.errors import ScdocsError
from scdocs.readers import read_bytes, read_path

# No shrinking: a failure shows the example as generated, and the file stays within its time budget.
BUDGET = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.filter_too_much])

NUMERALS = ["一", "二", "三", "十", "十一", "二十", "一百", "一百零一", "零", "两", "〇", "1", "23", "", "九十九",
            "十十", "一千二百三十四", "万", "１２"]
JUNK = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
PROSE = st.text(st.sampled_from(list("为了规范社会信用信息管理制定本条例。，；：、（）()《》\u3000 \t第条章节款项")),
                max_size=30)


def _line(kind: str, numeral: str, rest: str) -> str:
    return {"article": f"第{numeral}条", "chapter": f"第{numeral}章", "section": f"第{numeral}节",
            "item": f"（{numeral}）", "point": f"{numeral}．", "part": f"第{numeral}编",
            "plain": ""}[kind] + rest


lines = st.builds(_line, st.sampled_from(["article", "article", "chapter", "section", "item", "point", "part",
                                          "plain"]),
                  st.sampled_from(NUMERALS), st.one_of(PROSE, JUNK))
SEPARATORS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", "\u3000\n", "\n  ", "\x0c"])


@st.composite
def law_texts(draw: st.DrawFn) -> bytes:
    """A 第X条 text with chapters, items, junk lines and odd line ends, in a random encoding."""
    parts = draw(st.lists(st.tuples(lines, SEPARATORS), max_size=25))
    title = draw(st.sampled_from(["", "某某条例\n", "---\ntitle: 条例\ndate: 2024-01-01\n---\n",
                                  "# 条例\n<!-- INFO END -->\n", "<!-- x -->\n", "\ufeff"]))
    text = title + "".join(line + sep for line, sep in parts)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16", "utf-8-sig"]))
    return text.encode(encoding, "surrogatepass")


TAGS = ["p", "div", "span", "br", "table", "tr", "td", "script", "style", "h1", "title", "meta", "body", "head",
        "html", "ul", "li", "strong", "a", "pre", "center", "font", "iframe", "svg", "noscript", "template"]
ENTITIES = ["&nbsp;", "&amp;", "&#12288;", "&#xD800;", "&#0;", "&lt;", "&bogus;", "&#x110000;", "&", "<", ">", "<!--",
            "-->", "<![CDATA[", "]]>"]


@st.composite
def html_fragments(draw: st.DrawFn) -> bytes:
    """Tag soup: random (unbalanced) tags around 第X条 lines, entities and junk."""
    pieces: list[str] = [draw(st.sampled_from(["", "<!DOCTYPE html>", "<html>", "<meta charset='gb2312'>",
                                               "<html><head><meta http-equiv='Content-Type' "
                                               "content='text/html; charset=big5'></head><body>"]))]
    for _ in range(draw(st.integers(0, 30))):
        choice = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if choice == 0:
            attrs = draw(st.sampled_from(["", " class='x'", " id=UCAP-CONTENT", " style='display:none'",
                                          " hidden", ' a="', " =x"]))
            pieces.append(f"<{tag}{attrs}>")
        elif choice == 1:
            pieces.append(f"</{tag}>")
        elif choice == 2:
            pieces.append(draw(lines))
        elif choice == 3:
            pieces.append(draw(st.sampled_from(ENTITIES)))
        else:
            pieces.append(draw(JUNK))
    return "".join(pieces).encode(draw(st.sampled_from(["utf-8", "gb18030"])), "replace")


@st.composite
def xml_documents(draw: st.DrawFn) -> bytes:
    """XML with random tags, attributes, entity declarations and Akoma Ntoso-looking roots."""
    prolog = draw(st.sampled_from(["<?xml version='1.0' encoding='UTF-8'?>", "<?xml version=\"1.0\"?>",
                                   "<?xml version='1.0' encoding='GB18030'?>", "<?xml"]))
    dtd = draw(st.sampled_from([
        "", "<!DOCTYPE akomaNtoso>", "<!DOCTYPE a [<!ENTITY x 'y'>]>",
        "<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
        "<!DOCTYPE a [<!ENTITY a '&b;&b;'><!ENTITY b 'bbbbbbbb'>]>", "<!DOCTYPE a SYSTEM 'http://127.0.0.1:9/x.dtd'>",
        "<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a id ID #IMPLIED>]>", "<!DOCTYPE"]))
    ns = draw(st.sampled_from(["", " xmlns='http://docs.oasis-open.org/legaldocml/ns/akn/3.0'",
                               " xmlns:an='http://docs.oasis-open.org/legaldocml/ns/akn/3.0'"]))
    tags = ["akomaNtoso", "act", "body", "chapter", "article", "paragraph", "num", "heading", "content", "p",
            "preface", "preamble", "conclusions", "meta", "FRBRWork", "docTitle", "point", "list", "intro", "x"]
    pieces = [prolog, dtd, f"<akomaNtoso{ns}>"]
    for _ in range(draw(st.integers(0, 30))):
        choice = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(tags))
        if choice == 0:
            eid = draw(st.sampled_from(["", " eId='art_1'", " eId='art_1'", " eId=''", " eId='x y'",
                                        " name='t'", " value='&x;'"]))
            pieces.append(f"<{tag}{eid}>")
        elif choice == 1:
            pieces.append(f"</{tag}>")
        elif choice == 2:
            pieces.append(draw(lines))
        else:
            pieces.append(draw(st.sampled_from(["&x;", "&a;", "&amp;", "<!-- c -->", "<![CDATA[第一条]]>",
                                                "<?pi x?>", "&#12288;", "\x00", "<a/>"])))
    if draw(st.booleans()):
        pieces.append("</akomaNtoso>")
    return "".join(pieces).encode("utf-8", "surrogatepass")


def _value() -> st.SearchStrategy[object]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                        st.floats(allow_nan=True, allow_infinity=True), lines, JUNK,
                        st.sampled_from(["", "1", "０", "1.5", "-3", "第五条", "12345678901234567890", "¹"]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                        max_leaves=6)


FIELDS = ["provision_ref", "chapter", "content", "title", "language"]
TOP = ["title", "issuing_body", "issued_date", "type", "id", "status", "url", "in_force_date", "category_name",
       "format", "format_version", "text", "body"]


@st.composite
def json_article_lists(draw: st.DrawFn) -> bytes:
    """Article lists whose fields may be of any JSON type, now and then a scdocs-document."""
    provisions = draw(st.lists(
        st.one_of(st.dictionaries(st.sampled_from(FIELDS), st.one_of(lines, _value()), max_size=5),
                  st.fixed_dictionaries({"provision_ref": st.one_of(st.integers(-5, 10**20), st.sampled_from(NUMERALS)),
                                         "content": st.one_of(lines, PROSE)},
                                        optional={"chapter": st.one_of(lines, _value()),
                                                  "language": _value()}),
                  _value()),
        max_size=8))
    top = draw(st.dictionaries(st.sampled_from(TOP), _value(), max_size=5))
    if draw(st.booleans()):
        top["provisions"] = provisions
    if draw(st.integers(0, 5)) == 0:
        top.update({"format": "scdocs-document", "format_version": draw(st.sampled_from([1, 2, 3, "2", None]))})
    data: object = top if draw(st.integers(0, 7)) else provisions
    return json.dumps(data, ensure_ascii=draw(st.booleans()), allow_nan=True).encode()


def _check(read: object) -> None:
    """A Document whose every section and span is exactly the text at its offsets, or ScdocsError."""
    doc = read() if callable(read) else read
    assert isinstance(doc, Document)

    def visit(section: Section, lo: int, hi: int) -> None:
        assert lo <= section.start <= section.end <= hi, (section.eid, section.start, section.end, lo, hi)
        assert doc.text[section.start:section.end] == section.text, section.eid
        for child in section.children:
            visit(child, section.start, section.end)

    for section in doc.body:
        visit(section, 0, len(doc.text))
    for span in (doc.preface, doc.preamble, doc.conclusions):
        if span is not None:
            assert 0 <= span.start <= span.end <= len(doc.text)
            assert doc.text[span.start:span.end] == span.text


def _read(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name)
    except ScdocsError as exc:
        assert "\n" not in str(exc), str(exc)  # printed as one line
        return
    _check(doc)


@BUDGET
@given(st.binary(max_size=2000), st.sampled_from(["f.txt", "f.md", "f.html", "f.json", "f.xml", "f.docx", "f"]))
def test_random_bytes(data: bytes, name: str) -> None:
    _read(data, name)


@BUDGET
@given(law_texts(), st.sampled_from(["law.txt", "law.md"]))
def test_law_texts_with_junk(data: bytes, name: str) -> None:
    _read(data, name)


@BUDGET
@given(html_fragments())
def test_html_fragments(data: bytes) -> None:
    _read(data, "page.html")


@BUDGET
@given(xml_documents())
def test_xml_with_random_tags_and_dtds(data: bytes) -> None:
    _read(data, "act.xml")


@settings(BUDGET, max_examples=100)  # each example is slow to generate (nested values of every type)
@given(json_article_lists())
def test_json_article_lists_with_random_field_types(data: bytes) -> None:
    _read(data, "articles.json")


@pytest.mark.parametrize("name", ["law.txt", "page.html", "act.xml", "articles.json"])
def test_read_path_on_a_temp_file(tmp_path: Path, name: str) -> None:
    """The file entry point goes through the same checks (size, emptiness, decoding)."""
    path = tmp_path / name
    for data in (b"", b"\x00" * 10, "第一条　内容。\n第二条　内容。\n".encode("utf-16"), b"\xff\xfe\x00"):
        path.write_bytes(data)
        try:
            doc = read_path(path)
        except ScdocsError:
            continue
        _check(doc)
