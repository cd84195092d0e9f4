"""Akoma Ntoso: every corpus document validates against the OASIS schema and reads back exactly;
AKN from other tools reads sensibly; hostile XML is refused with one line, never resolved."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import AKN_SCHEMA, corpus_files
from lxml import etree
from typer.testing import CliRunner

import scdocs
import scdocs.formats.akn as akn
import scdocs.readers.akn as akn_reader
from scdocs.cli import app
from scdocs.document.model import Document, Metadata, Section
from scdocs.document.structure import parse
from scdocs.errors import InputError
from scdocs.formats.akn import AKN_NS, FORMAT_VERSION, SCDOCS_NS, to_akn
from scdocs.formats.frbr import (
    FrbrUri,
    document_number,
    expression_uri,
    language_code,
    language_from_code,
    uri_date,
    xsd_date,
)
from scdocs.readers import read_bytes, read_path
from scdocs.readers.akn import read_akn

NS = {"a": AKN_NS, "s": SCDOCS_NS}
CORPUS = corpus_files()
ENGLISH = """Personal Data Protection Act
Chapter I General Provisions
Article 1 This Act is made to protect personal data.
Article 2 Processing of personal data shall meet the following conditions:
(1) it is lawful, including:
(a) with the consent of the individual; or
(b) where a law so provides;
(2) it is fair.
A processor shall keep records of processing.
Chapter II Rights of Individuals
Article 3 Right to Know
Individuals have the right to know how their data is processed.
"""


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(AKN_SCHEMA)))


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    ok = schema.validate(root)
    assert ok, "AKN does not validate:\n" + "\n".join(str(e) for e in list(schema.error_log)[:10])
    return root


def assert_same(a: Document, b: Document) -> None:
    """Identical text, section tree (with every section's text), spans, metadata and warnings."""
    assert b.text == a.text
    assert b.to_dict() == a.to_dict()
    pairs = list(zip(a.walk(), b.walk(), strict=True))
    for x, y in pairs:
        assert (y.kind, y.eid, y.num, y.number, y.heading, y.start, y.end, y.text) == (
            x.kind, x.eid, x.num, x.number, x.heading, x.start, x.end, x.text)
        assert y.text == b.text[y.start:y.end]
    for name in ("preface", "preamble", "conclusions"):
        sa, sb = getattr(a, name), getattr(b, name)
        assert (sa is None) == (sb is None), name
        if sa and sb:
            assert (sb.start, sb.end, sb.text) == (sa.start, sa.end, sa.text)
    assert b.meta == a.meta


def hierarchy(root: etree._Element) -> list[tuple[str, str | None, str | None]]:
    """(eId, num, heading) of every body element with an eId, in document order."""
    body = root.find("a:*/a:body", NS)
    if body is None:
        body = root.find("a:*/a:mainBody", NS)
    assert body is not None
    out = []
    for el in body.iter():
        if isinstance(el.tag, str) and el.get("eId"):
            num, head = el.find("a:num", NS), el.find("a:heading", NS)
            out.append((el.get("eId"), None if num is None else "".join(num.itertext()),
                        None if head is None else "".join(head.itertext())))
    return out


# ------------------------------------------------------------------------------------------
# The corpus


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_document_validates_and_round_trips(path: Path, schema: etree.XMLSchema) -> None:
    doc = read_path(path)
    data = to_akn(doc)
    root = assert_valid(schema, data)
    assert hierarchy(root) == [(s.eid, s.num, s.heading) for s in doc.walk()]
    back = read_akn(data, "out.xml")
    assert_same(doc, back)
    assert to_akn(back) == data  # writing what was read gives the same bytes


def test_law_is_an_act_with_frbr_identification(schema: etree.XMLSchema) -> None:
    doc = read_path(next(p for p in CORPUS if p.name == "pipl-2021.md"))
    root = assert_valid(schema, to_akn(doc))
    act = root.find("a:act", NS)
    assert act is not None
    ident = act.find("a:meta/a:identification", NS)
    assert ident is not None and ident.get("source") == "#scdocs"
    work = "/akn/cn/act/2021-08-20/pipl-2021"
    assert expression_uri(doc) == f"{work}/zho@2021-08-20"
    assert ident.find("a:FRBRWork/a:FRBRuri", NS).get("value") == work
    assert ident.find("a:FRBRExpression/a:FRBRuri", NS).get("value") == f"{work}/zho@2021-08-20"
    assert ident.find("a:FRBRManifestation/a:FRBRthis", NS).get("value") == f"{work}/zho@2021-08-20/!main.xml"
    assert ident.find("a:FRBRWork/a:FRBRcountry", NS).get("value") == "cn"
    assert ident.find("a:FRBRWork/a:FRBRdate", NS).get("date") == "2021-08-20"
    assert ident.find("a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "zho"
    author = ident.find("a:FRBRWork/a:FRBRauthor", NS).get("href")
    org = act.find(f"a:meta/a:references/a:TLCOrganization[@eId='{author[1:]}']", NS)
    assert org is not None and org.get("showAs") == "全国人民代表大会常务委员会"
    block = act.find("a:meta/a:proprietary/s:document", NS)
    assert block is not None and block.get("formatVersion") == str(FORMAT_VERSION)
    assert block.find("s:title", NS).text == doc.meta.title
    assert act.find("a:preface//a:docTitle", NS).text == "中华人民共和国个人信息保护法"
    art3 = act.find(".//a:article[@eId='chp_1__art_3']", NS)
    assert art3.find("a:num", NS).text == "第三条"
    assert [p.get("eId") for p in art3.findall("a:paragraph", NS)] == ["chp_1__art_3__para_1", "chp_1__art_3__para_2"]
    assert [p.find("a:num", NS).text for p in art3.findall("a:paragraph/a:point", NS)] == ["（一）", "（二）", "（三）"]


def test_opinions_are_a_doc_with_items(schema: etree.XMLSchema) -> None:
    doc = read_path(next(p for p in CORPUS if p.name == "scs-opinions-2022.md"))
    root = assert_valid(schema, to_akn(doc))
    d = root.find("a:doc", NS)
    assert d is not None and d.get("name") == "opinions"
    assert d.find("a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == (
        "/akn/cn/doc/opinions/2022-03-29/scs-opinions-2022")
    assert d.find("a:meta/a:identification/a:FRBRWork/a:FRBRsubtype", NS).get("value") == "opinions"
    items = d.findall("a:mainBody/a:part/a:hcontainer[@name='item']", NS)
    assert len(items) == len([u for u in doc.units() if u.kind == "item"])
    nineteen = doc.find(19)
    el = d.find(f".//a:hcontainer[@eId='{nineteen.eid}']", NS)
    assert el.find("a:num", NS).text == "（十九）"
    assert el.find("a:heading", NS).text == nineteen.heading
    # a run-in heading stays in its paragraph; the <heading> says it is not extra text
    assert el.find("a:heading", NS).get(f"{{{SCDOCS_NS}}}inText") == "false"
    assert "".join(el.find("a:content/a:p", NS).itertext()).startswith(nineteen.heading)
    assert d.find("a:preamble/a:p", NS) is not None


# ------------------------------------------------------------------------------------------
# Other documents


def test_english_document_round_trips(schema: etree.XMLSchema) -> None:
    doc = read_bytes(ENGLISH.encode(), "english.txt")
    assert doc.meta.language == "en"
    kinds = [s.kind for s in doc.walk()]
    assert {"chapter", "article", "paragraph", "point", "subpoint"} <= set(kinds)
    data = to_akn(doc)
    root = assert_valid(schema, data)
    assert root.find("a:act/a:meta/a:identification/a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "eng"
    sub = next(s for s in doc.walk() if s.kind == "subpoint")
    el = root.find(f".//a:point[@eId='{sub.eid}']", NS)
    assert el.getparent().tag == f"{{{AKN_NS}}}point" and el.find("a:num", NS).text == "(a)"
    assert_same(doc, read_akn(data, "english.xml"))


def test_characters_xml_cannot_hold_round_trip(schema: etree.XMLSchema) -> None:
    text = "条例\n第一条　本条例\x0c适用。\n第二条　另\x0b一条\x01。"
    doc = parse(text, Metadata(title="条例\x0b", issuer="国务院", extra={"note": "a\x0cb", "k\x0c": "v"}))
    data = to_akn(doc)
    assert_valid(schema, data)
    assert_same(doc, read_akn(data, "x.xml"))


def test_document_without_sections_round_trips(schema: etree.XMLSchema) -> None:
    doc = read_bytes("一个说明\n\n国务院\n2019年1月22日\n".encode(), "note.txt")  # title and closing lines only
    assert not doc.body
    data = to_akn(doc)
    root = assert_valid(schema, data)
    assert root.find("a:doc/a:mainBody", NS) is not None
    assert_same(doc, read_akn(data, "note.xml"))
    # Unnumbered prose is read paragraph by paragraph (issue 15); those paragraphs round-trip too.
    text = "一个说明\n\n这是一段很长的正文，没有任何编号的条文，只是普通的文字，用来说明情况。"
    prose = read_bytes(text.encode(), "note.txt")
    assert [s.fallback for s in prose.body] == [True]
    data = to_akn(prose)
    assert_valid(schema, data)
    assert_same(prose, read_akn(data, "note.xml"))


LINES = ["第一章", "第二编", "第三节", "第一条", "第十二条", "第三条之二", "（一）", "（十九）", "一、", "1.", "2．",
         "Chapter I", "Part III", "Article 1", "(1)", "(a)", "IV.", "", "", ""]
SEPS = ["", " ", "\u3000", "  ", "\t", ". ", ": "]
RESTS = ["总则", "本法适用。", "【定义】本法所称", "指导思想。坚持", "General Provisions", "text here.", "", "国务院",
         "2019年1月22日", "（此件公开发布）", "目录", "  ", "总\u3000则 "]


def test_irregular_layouts_round_trip(schema: etree.XMLSchema) -> None:
    """Blank lines, trailing blanks, num-only lines, CRLF: whatever structure.parse makes is kept."""
    rng = random.Random(20240601)
    done = 0
    for _ in range(150):
        lines = [rng.choice(LINES) + rng.choice(SEPS) + rng.choice(RESTS) for _ in range(rng.randint(1, 12))]
        text = rng.choice(["\n", "\n\n", "\r\n", "\n \n"]).join(lines)
        if not text.strip():
            continue
        doc = parse(text, Metadata(title=rng.choice(["", "总则"])), 0)
        data = to_akn(doc)
        assert_valid(schema, data)
        assert_same(doc, read_akn(data, "x.xml"))
        done += 1
    assert done > 100


COBALT_ACT = f"""<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="{AKN_NS}">
  <act contains="singleVersion" name="act">
    <meta>
      <identification source="#cobalt">
        <FRBRWork>
          <FRBRthis value="/akn/za/act/2009/1/!main"/>
          <FRBRuri value="/akn/za/act/2009/1"/>
          <FRBRalias value="Example Act" name="title"/>
          <FRBRdate date="2009-01-01" name="Generation"/>
          <FRBRauthor href="#council"/>
          <FRBRcountry value="za"/>
          <FRBRnumber value="1"/>
        </FRBRWork>
        <FRBRExpression>
          <FRBRthis value="/akn/za/act/2009/1/eng@2009-03-01/!main"/>
          <FRBRuri value="/akn/za/act/2009/1/eng@2009-03-01"/>
          <FRBRdate date="2009-03-01" name="Generation"/>
          <FRBRauthor href="#council"/>
          <FRBRlanguage language="eng"/>
        </FRBRExpression>
        <FRBRManifestation>
          <FRBRthis value="/akn/za/act/2009/1/eng@2009-03-01/!main"/>
          <FRBRuri value="/akn/za/act/2009/1/eng@2009-03-01"/>
          <FRBRdate date="2009-03-01" name="Generation"/>
          <FRBRauthor href="#council"/>
        </FRBRManifestation>
      </identification>
      <references source="#cobalt">
        <TLCOrganization eId="cobalt" href="https://github.com/laws-africa/cobalt" showAs="cobalt"/>
        <TLCOrganization eId="council" href="/ontology/organization/za/council" showAs="City Council"/>
      </references>
    </meta>
    <body>
      <chapter eId="chp_1">
        <num>1</num>
        <heading>Interpretation</heading>
        <section eId="chp_1__sec_1">
          <num>1.</num>
          <heading>Definitions</heading>
          <subsection eId="chp_1__sec_1__subsec_1">
            <num>(1)</num>
            <content>
              <p>In this Act, unless the context
                 indicates otherwise—<!-- a comment --></p>
            </content>
          </subsection>
          <subsection eId="chp_1__sec_1__subsec_2">
            <num>(2)</num>
            <intro><p>"council" means—</p></intro>
            <paragraph eId="chp_1__sec_1__subsec_2__para_a">
              <num>(a)</num>
              <content><p>the <term refersTo="#council">City Council</term>; or</p></content>
            </paragraph>
            <paragraph eId="chp_1__sec_1__subsec_2__para_b">
              <num>(b)</num>
              <content><p>its delegate.<authorialNote marker="1" placement="bottom"><p>A note.</p>
                </authorialNote></p></content>
            </paragraph>
          </subsection>
        </section>
      </chapter>
      <section eId="sec_2">
        <num>2.</num>
        <heading>Short title</heading>
        <content><p>This Act is called the Example Act.</p></content>
      </section>
    </body>
  </act>
</akomaNtoso>
"""


def test_akn_from_other_tools_reads_sensibly(schema: etree.XMLSchema) -> None:
    assert_valid(schema, COBALT_ACT.encode())
    doc = read_akn(COBALT_ACT.encode(), "cobalt.xml")
    assert doc.text.split("\n") == [
        "1 Interpretation", "1. Definitions", "(1) In this Act, unless the context indicates otherwise—",
        '(2) "council" means—', "(a) the City Council; or", "(b) its delegate.",
        "2. Short title", "This Act is called the Example Act."]
    shape = [(s.kind, s.eid, s.num, s.number, s.heading) for s in doc.walk()]
    assert shape == [
        ("chapter", "chp_1", "1", 1, "Interpretation"),
        ("article", "chp_1__sec_1", "1.", 1, "Definitions"),
        ("paragraph", "chp_1__sec_1__subsec_1", "(1)", 1, None),
        ("paragraph", "chp_1__sec_1__subsec_2", "(2)", 2, None),
        ("point", "chp_1__sec_1__subsec_2__para_a", "(a)", 1, None),
        ("point", "chp_1__sec_1__subsec_2__para_b", "(b)", 2, None),
        ("article", "sec_2", "2.", 2, "Short title"),
    ]
    for s in doc.walk():
        assert s.text == doc.text[s.start:s.end] and s.text.startswith(s.num or "")
    assert doc.find("sec_2").text == "2. Short title\nThis Act is called the Example Act."
    m = doc.meta
    assert (m.title, m.issuer, m.date, m.language, m.source) == (
        "Example Act", "City Council", "2009-03-01", "en", "cobalt.xml")
    assert m.extra == {"frbr_work": "/akn/za/act/2009/1", "frbr_expression": "/akn/za/act/2009/1/eng@2009-03-01"}
    assert expression_uri(doc) == "/akn/za/act/2009/1/eng@2009-03-01"
    # what scdocs writes from it keeps its names and reads back exactly
    data = to_akn(doc)
    root = assert_valid(schema, data)
    assert root.find("a:act/a:meta/a:identification/a:FRBRWork/a:FRBRuri", NS).get("value") == "/akn/za/act/2009/1"
    assert root.find("a:act/a:meta/a:identification/a:FRBRWork/a:FRBRcountry", NS).get("value") == "za"
    assert_same(doc, read_akn(data, "again.xml"))


def _strip_scdocs(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for el in root.iter():
        for key in [k for k in el.attrib if k.startswith(f"{{{SCDOCS_NS}}}")]:
            del el.attrib[key]
    for prop in root.iter(f"{{{AKN_NS}}}proprietary"):
        prop.getparent().remove(prop)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, pretty_print=True)


@pytest.mark.parametrize("name", ["pipl-2021.md", "scs-opinions-2022.md", "civil-procedure-law-2023.md"])
def test_akn_without_scdocs_markup_keeps_the_structure(name: str) -> None:
    doc = read_path(next(p for p in CORPUS if p.name == name))
    foreign = read_akn(_strip_scdocs(to_akn(doc)), "plain.xml")
    assert [(s.kind, s.eid, s.num, s.number) for s in foreign.walk()] == [
        (s.kind, s.eid, s.num, s.number) for s in doc.walk()]
    assert foreign.meta.title == doc.meta.title and foreign.meta.date == doc.meta.date
    assert foreign.meta.issuer == doc.meta.issuer
    for s in foreign.walk():
        assert s.text == foreign.text[s.start:s.end]
        assert s.text.startswith(s.num or "")
    assert foreign.preface is not None and foreign.preface.text.startswith(doc.meta.title)


def test_edited_file_is_read_as_it_is_with_a_warning() -> None:
    doc = read_path(next(p for p in CORPUS if p.name == "pipl-2021.md"))
    data = to_akn(doc).replace("自然人的个人信息受法律保护".encode(), "自然人的个人信息依法受保护".encode())
    edited = read_akn(data, "edited.xml")
    assert "自然人的个人信息依法受保护" in edited.find("chp_1__art_2").text
    assert any("edited" in w for w in edited.warnings)


def test_notes_and_loose_text_are_counted_never_dropped_silently() -> None:
    """The tester's finding: an <authorialNote> in a paragraph and a <remark> holding text outside any
    paragraph vanished with no warning. They are no part of the text, and the reader says how much."""
    note = _akn("本法适用于全国。<authorialNote><p>注释</p></authorialNote>")
    remark = _akn("本法适用于全国。").replace(b"</content>", "</content><remark>编者按甲乙</remark>".encode())
    in_num = note.replace("<num>第一条</num>".encode(),
                          "<num>第一条<authorialNote><p>注</p></authorialNote></num>".encode())
    assert in_num != note
    doc = read_akn(in_num, "x.xml")  # a note in a <num> is counted once, not again with the section
    assert "left out 3 characters that are no part of the document's text (<authorialNote> 3)" in doc.warnings
    for data, expected in ((note, "(<authorialNote> 2)"), (remark, "(<remark> 5)")):
        doc = read_akn(data, "x.xml")
        assert doc.units()[0].text == "第一条\u3000本法适用于全国。"
        assert [w for w in doc.warnings if w.startswith("left out")] == [
            f"left out {2 if 'Note' in expected else 5} characters that are no part of the document's text {expected}"]


# ------------------------------------------------------------------------------------------
# Hostile and broken XML


def _akn(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<akomaNtoso xmlns="{AKN_NS}"><act name="act">'
            f'<meta/><body><article eId="art_1"><num>第一条</num><content><p>{body}</p></content></article>'
            f"</body></act></akomaNtoso>\n").encode()


XXE = _akn("&e;", '<!DOCTYPE akomaNtoso [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n')
LOLS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
BOMB = _akn("&lol9;", f"<!DOCTYPE akomaNtoso [{LOLS}]>\n")


@pytest.mark.parametrize("data", [XXE, BOMB, XXE.replace(b"UTF-8", b"UTF-16").decode().encode("utf-16")],
                         ids=["external entity", "entity bomb", "external entity in UTF-16"])
def test_entities_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="declares entities") as info:
        read_akn(data, "evil.xml")
    assert "root:" not in str(info.value)


# Without the prescan the parser itself stops the bomb (libxml2's amplification limit; older
# versions parse without expanding and the entity check after parsing refuses it).
@pytest.mark.parametrize(("data", "problem"), [
    (XXE, "declares entities"), (BOMB, "malformed XML|declares entities")], ids=["external entity", "entity bomb"])
def test_parser_is_safe_even_without_the_prescan(data: bytes, problem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(akn_reader, "_declares_entities", lambda data: False)
    with pytest.raises(InputError, match=f"^evil.xml: (XML )?({problem})") as info:
        read_akn(data, "evil.xml")
    assert "root:" not in str(info.value) and "\n" not in str(info.value)


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "secret.dtd"
    dtd.write_text('<!ENTITY e "TOP-SECRET">')
    data = _akn("&e;", f'<!DOCTYPE akomaNtoso SYSTEM "{dtd.as_uri()}">\n')
    with pytest.raises(InputError, match="refers to entities that are not declared; refused for safety") as info:
        read_akn(data, "dtd.xml")
    assert "TOP-SECRET" not in str(info.value)


@pytest.mark.parametrize(("data", "problem"), [
    (b'<akomaNtoso xmlns="' + AKN_NS.encode() + b'"><act name="act"><body>', "malformed XML"),
    (b"<?xml version='1.0'?><lawDocument><p>x</p></lawDocument>", "not Akoma Ntoso"),
    (f'<akomaNtoso xmlns="{AKN_NS}"><components/></akomaNtoso>'.encode(), "no document"),
    (f'<akomaNtoso xmlns="{AKN_NS}"><act name="act"><meta/><body/></act></akomaNtoso>'.encode(), "no text"),
    (_akn("x").replace(b"<meta/>", b'<meta><proprietary source="#s"><s:document xmlns:s="urn:scdocs:akn" '
                                   b'formatVersion="99"/></proprietary></meta>'), "newer scdocs"),
])
def test_broken_xml_gives_one_line(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as info:
        read_akn(data, "bad.xml")
    assert "\n" not in str(info.value) and str(info.value).startswith("bad.xml: ")


# ------------------------------------------------------------------------------------------
# Command line


def test_cli_converts_to_akn_and_back(tmp_path: Path, schema: etree.XMLSchema) -> None:
    source = next(p for p in CORPUS if p.name == "guofa-2019-5-joint-random-inspection.html")
    out = tmp_path / "out.xml"
    runner = CliRunner()
    result = runner.invoke(app, ["convert", str(source), "--to", "akn", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid(schema, out.read_bytes())
    back = runner.invoke(app, ["convert", str(out), "--to", "json"])
    assert back.exit_code == 0, back.output
    original = read_path(source)
    assert f'"text": {__import__("json").dumps(original.text, ensure_ascii=False)}' in back.stdout
    assert_same(original, scdocs.load(out))


@pytest.mark.parametrize("data", [XXE, BOMB], ids=["external entity", "entity bomb"])
def test_cli_refuses_hostile_xml(data: bytes, tmp_path: Path) -> None:
    evil = tmp_path / "evil.xml"
    evil.write_bytes(data)
    out = tmp_path / "out.json"
    out.write_bytes(b"user data\n")
    result = CliRunner().invoke(app, ["convert", str(evil), "--to", "json", "--output", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(evil) in lines[0]
    assert "Traceback" not in result.output and "root:" not in result.output
    assert out.read_bytes() == b"user data\n"


# ------------------------------------------------------------------------------------------
# FRBR URIs


def test_frbr_uris() -> None:
    uri = FrbrUri(doctype="doc", subtype="opinions", date="2022-03-29", number="scs-opinions-2022")
    assert uri.work_uri() == "/akn/cn/doc/opinions/2022-03-29/scs-opinions-2022"
    assert uri.expression_uri() == uri.work_uri() + "/zho@2022-03-29"
    parsed = FrbrUri.parse(uri.manifestation_uri())
    assert (parsed.work_uri(), parsed.expression_uri(), parsed.manifestation_uri()) == (
        uri.work_uri(), uri.expression_uri(), uri.manifestation_uri())
    assert FrbrUri.parse("/akn/za/act/2009/1/eng@2009-03-01") == FrbrUri(
        doctype="act", date="2009", number="1", country="za", language="eng", expression_date="2009-03-01")
    with pytest.raises(ValueError):
        FrbrUri.parse("/not/a/uri")
    assert document_number("/x/pipl-2021.md") == "pipl-2021"
    assert document_number("https://example.org/laws/Company_Law.html?x=1") == "company-law"
    assert document_number("<bytes>", "国发〔2019〕5号") == "2019-5"
    assert document_number("/x/个人信息保护法.txt", "", "title").startswith("doc-")
    assert (language_code("zh"), language_code("en"), language_code("??")) == ("zho", "eng", "und")
    assert (language_from_code("zho"), language_from_code("eng")) == ("zh", "en")
    assert (uri_date("2021-08-20"), uri_date("2021年"), uri_date("")) == ("2021-08-20", "2021", "0000")
    assert (xsd_date("2021-02-28"), xsd_date("2021-02-30"), xsd_date("2021")) == ("2021-02-28", None, None)


def test_unknown_or_partial_dates_still_validate(schema: etree.XMLSchema) -> None:
    for date in ("", "2021", "2021-07", "2021-02-30", "sometime"):
        doc = parse("第一条　内容。", Metadata(date=date))
        data = to_akn(doc)
        assert_valid(schema, data)
        assert read_akn(data, "d.xml").meta.date == date


def test_section_kinds_map_to_akn_elements() -> None:
    doc = Document("第一条　甲", Metadata(), [Section("article", "art_1", "第一条", 1, None, 0, 5, "第一条　甲")])
    root = etree.fromstring(to_akn(doc))
    assert root.find("a:act/a:body/a:article[@eId='art_1']/a:num", NS).text == "第一条"
    assert akn.ELEMENT_FOR_KIND["item"] == ("hcontainer", "item")
    assert akn.ELEMENT_FOR_KIND["subpoint"] == ("point", None)
