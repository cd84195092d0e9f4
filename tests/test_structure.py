"""Structure recognition on the real corpus, checked against a reader's independent count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import corpus_files, expected_structure

from scdocs.document.model import Document, Section
from scdocs.document.numerals import int_to_chinese
from scdocs.readers import read_path
from scdocs.readers.common import SKIPPED

EXPECTED = expected_structure()
FILES = {p.stem: p for p in corpus_files()}
CONTAINER_NAMES = {"chapters": "chapter", "parts(编)": "book", "parts": "part"}


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {doc_id: read_path(path) for doc_id, path in FILES.items()}


def test_every_corpus_document_has_an_oracle_row() -> None:
    assert set(FILES) == set(EXPECTED)


def _printed(unit: str, n: int) -> str:
    return f"第{int_to_chinese(n)}条" if unit == "article" else f"（{int_to_chinese(n)}）"


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_numbered_units_match_the_oracle(docs: dict[str, Document], doc_id: str) -> None:
    row = EXPECTED[doc_id]
    doc = docs[doc_id]
    units = doc.units()
    assert len(units) == int(row["count"])
    assert {u.kind for u in units} == {row["unit"]}
    first, last = units[0], units[-1]
    assert (first.number, first.num) == (int(row["first"]), _printed(row["unit"], int(row["first"])))
    assert (last.number, last.num) == (int(row["last"]), _printed(row["unit"], int(row["last"])))
    if row["unit"] == "item":  # opinions items carry run-in headings
        assert first.heading and last.heading
    else:
        assert first.heading is None  # Chinese articles have no heading of their own
    counts: dict[str, int] = {}
    for c in doc.containers():
        counts[c.kind] = counts.get(c.kind, 0) + 1
    for part in filter(None, (p.strip() for p in row["containers"].split(","))):
        name, n = part.split("=")
        assert counts.get(CONTAINER_NAMES[name], 0) == int(n), part
    # The HTML pages skip page furniture (metadata table, QR-code prompt, editor line): one note
    # counts it, under 5 % of the page; no block of the document's text is left out.
    notes = [w for w in doc.warnings if w.startswith(SKIPPED)]
    assert [w for w in doc.warnings if w not in notes] == []
    assert len(notes) <= 1 and all(" of the page's " in w for w in notes), notes
    shares = [float(m[1]) for w in notes if (m := re.search(r"\(([0-9.]+) %\)", w))]
    assert len(shares) == len(notes) and all(share < 5 for share in shares), notes


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_offsets_point_into_the_canonical_text(docs: dict[str, Document], doc_id: str) -> None:
    doc = docs[doc_id]
    eids = set()
    for s in doc.walk():
        assert s.text == doc.text[s.start: s.end]
        assert s.text == s.text.strip()
        assert s.eid not in eids
        eids.add(s.eid)
        for child in s.children:
            assert s.start <= child.start <= child.end <= s.end
        if s.num:
            assert s.text.startswith(s.num) or s.kind == "paragraph"
    for span in (doc.preface, doc.preamble, doc.conclusions):
        if span:
            assert span.text == doc.text[span.start: span.end]
    # Preface, preamble, body and conclusions do not overlap and come in that order.
    starts = [x.start for x in (doc.preface, doc.preamble, *doc.body, doc.conclusions) if x]
    ends = [x.end for x in (doc.preface, doc.preamble, *doc.body, doc.conclusions) if x]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    assert "\r" not in doc.text


def test_opinions_2022_news_repost_is_exactly_the_opinions(docs: dict[str, Document]) -> None:
    doc = docs["scs-opinions-2022"]
    items = doc.units()
    assert (items[0].num, items[0].heading) == ("（一）", "指导思想")
    assert (items[-1].num, items[-1].heading) == ("（二十三）", "加强安全保护")
    assert [p.kind for p in doc.body] == ["part"] * 6
    assert doc.find(19).heading == "加强党的领导"
    assert doc.meta.title == "关于推进社会信用体系建设高质量发展促进形成新发展格局的意见"
    assert doc.meta.date == "2022-03-29"
    for s in doc.walk():
        for junk in ("责任编辑", "新浪财经APP", "海量资讯", "appendQr", "<", "&#123;"):
            assert junk not in s.text
    assert items[-1].text.endswith("防止信息外流损害国家安全。")
    assert "线上线下的重要产品追溯体系" in doc.find(5).text  # the stock-ticker link is plain text


def test_items_restarting_per_part_keep_printed_numbers_and_unique_eids(docs: dict[str, Document]) -> None:
    doc = docs["guofa-2019-5-joint-random-inspection"]
    parts = doc.body
    assert [len([c for c in p.children if c.kind == "item"]) for p in parts] == [0, 0, 7, 3]
    assert [i.number for i in doc.units()] == [1, 2, 3, 4, 5, 6, 7, 1, 2, 3]
    with pytest.raises(KeyError, match="2 sections are numbered 1"):
        doc.find(1)
    assert doc.find("part_4__item_3").heading == "营造良好环境"
    assert doc.meta.doc_number == "国发〔2019〕5号"
    assert doc.meta.issuer == "国务院"
    assert doc.conclusions is not None and "2019年1月27日" in doc.conclusions.text
    assert "2019年1月27日" not in doc.units()[-1].text


def test_gov_cn_metadata_table(docs: dict[str, Document]) -> None:
    meta = docs["guobanfa-2019-6-financing-guarantee"].meta
    assert meta.doc_number == "国办发〔2019〕6号"
    assert meta.issuer == "国务院办公厅"
    assert meta.date == "2019-01-22"
    assert meta.title.startswith("国务院办公厅关于有效发挥政府性融资担保基金作用")
    assert meta.extra["index_number"] == "000014349/2019-00006"


def test_table_of_contents_is_preface_not_structure(docs: dict[str, Document]) -> None:
    doc = docs["hebei-credit-info-regs-2023"]
    assert doc.preface is not None and re.search(r"目\s*录", doc.preface.text)
    assert doc.body[0].num == "第一章" and doc.body[0].children[0].num == "第一条"


def test_law_paragraphs_and_points(docs: dict[str, Document]) -> None:
    art3 = docs["pipl-2021"].find("第三条")
    assert [c.kind for c in art3.children] == ["paragraph", "paragraph"]
    para2 = art3.children[1]
    assert [p.num for p in para2.children] == ["（一）", "（二）", "（三）"]
    assert para2.children[0].eid == "chp_1__art_3__para_2__point_1"
    assert para2.children[0].text.startswith("（一）以向境内自然人提供产品或者服务为目的")


def test_books_chapters_and_sections_nest(docs: dict[str, Document]) -> None:
    doc = docs["civil-procedure-law-2023"]
    books = doc.body
    assert [b.num for b in books] == ["第一编", "第二编", "第三编", "第四编"]
    art = doc.find(18)
    assert art.eid.startswith("book_1__chp_2__sec_1__art_18")


def test_article_list_json_is_rebuilt_with_printed_article_numbers(docs: dict[str, Document]) -> None:
    doc = docs["enterprise-info-disclosure-regs-2024"]
    assert doc.find(17).num == "第十七条"
    assert doc.meta.issuer == "国务院" and doc.meta.date == "2024-03-10"
    assert doc.meta.kind == "administrative-regulation"


def test_two_line_title_of_a_text_export(docs: dict[str, Document]) -> None:
    meta = docs["hainan-ftp-market-entry-dishonesty-rules-2023"].meta
    assert meta.title == "海南自由贸易港违反市场准入承诺即入制失信惩戒若干规定"
    assert meta.issuer == "海南省人民代表大会常务委员会"


def test_numbering_problems_are_warnings(tmp_path: Path) -> None:
    text = "示例条例\n第一条　甲。\n第二条　乙。\n第二条　丙。\n第五条　丁。\n第四条　戊。\n"
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_path(path)
    kinds = sorted(w.split(":")[0] for w in doc.warnings)
    assert kinds == ["duplicate", "gap", "out of order"]
    assert len({s.eid for s in doc.walk()}) == len(list(doc.walk()))


def test_points_that_start_after_one_are_a_gap(tmp_path: Path) -> None:
    """An article's points from （二）: （一） is missing, as a law's articles from 第二条 would be."""
    path = tmp_path / "points.txt"
    path.write_text("示例条例\n第一条　下列行为属于失信行为：\n（二）甲；\n（三）乙。\n第二条　丙。\n",
                    encoding="utf-8")
    assert read_path(path).warnings == ["gap: numbering starts at （二） (art_1__point_2) in art_1"]
    run_on = tmp_path / "items.txt"  # items 1． that run on from one part into the next are no gap
    run_on.write_text("某某意见\n一、总体要求\n1．坚持甲。\n2．坚持乙。\n二、重点任务\n3．建立丙。\n4．加强丁。\n",
                      encoding="utf-8")
    assert read_path(run_on).warnings == []


ENGLISH_LAW = """Regulations on Example Credit Information

Chapter I General Provisions

Article 1 These Regulations are formulated to regulate credit information.

Article 2 Credit information shall be collected lawfully.
The following are prohibited:
(1) collecting religious beliefs;
(2) collecting genetic data, including:
(a) fingerprints;
(b) blood types.

Chapter II Supervision

Article 3 The Party Central Committee exercises unified leadership over this work.
"""

ENGLISH_OPINIONS = """Opinions on Example Credit Work

I. General Requirements
(1) Guiding thought. Follow Party leadership.
(2) Working principles. Protect rights.
II. Key Tasks
(3) Build platforms. Build a national platform.
(a) first point;
(b) second point.
"""


def test_english_law_structure(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text(ENGLISH_LAW, encoding="utf-8")
    doc = read_path(path)
    assert doc.meta.language == "en"
    assert [c.num for c in doc.containers()] == ["Chapter I", "Chapter II"]
    assert [u.num for u in doc.units()] == ["Article 1", "Article 2", "Article 3"]
    art2 = doc.find(2)
    para2 = art2.children[1]
    assert [p.num for p in para2.children] == ["(1)", "(2)"]
    assert [p.num for p in para2.children[1].children] == ["(a)", "(b)"]
    assert para2.children[1].children[1].number == 2


def test_english_opinions_structure(tmp_path: Path) -> None:
    path = tmp_path / "en-opinions.txt"
    path.write_text(ENGLISH_OPINIONS, encoding="utf-8")
    doc = read_path(path)
    assert [p.num for p in doc.body] == ["I.", "II."]
    assert [(u.num, u.heading) for u in doc.units()] == [
        ("(1)", "Guiding thought"), ("(2)", "Working principles"), ("(3)", "Build platforms")]
    assert [p.num for p in doc.find(3).children] == ["(a)", "(b)"]


def test_a_lean_section_behaves_as_one_that_holds_its_strings() -> None:
    """A num kept as a length, an eId made from kind and number and a leaf without a children list
    read, change and compare as the strings and lists they stand for."""
    text = "第五条　本条例自公布之日起施行。"
    lean = Section("article", "art_5", "第五条", 5, None, 0, len(text), source=text)
    held = Section("article", "art_5", "第五条", 5, None, 0, len(text), text=text)
    assert (lean.num, lean.eid, lean.children, lean.text) == ("第五条", "art_5", [], text)
    assert lean == held and lean.to_dict() == held.to_dict()
    with pytest.raises(AttributeError, match="change the document's text"):
        lean.text = "另一段文字"  # a section of a document reads the document's text: never out of step with it
    held.text = "另一段文字"  # a section with a text of its own takes another; its num stays what it was
    assert (held.num, held.text) == ("第五条", "另一段文字")
    lean.kind = "item"  # so does an eId made from the kind
    assert lean.eid == "art_5"
    lean.number = 6
    assert lean.eid == "art_5"
    leaf = Section("article", "art_1", "第一条", 1, None, 0, 3, source="第一条")
    assert leaf.subsections == ()
    with pytest.raises(AttributeError):
        leaf.subsections.append(leaf)  # type: ignore[attr-defined]  # read only
    leaf.children.append(Section("paragraph", "art_1__para_1", None, 1, None, 0, 3, source="第一条"))
    assert [c.eid for c in leaf.subsections] == ["art_1__para_1"]
    assert [s.eid for s in leaf.walk()] == ["art_1", "art_1__para_1"]
    kids: list[Section] = []  # a list given, even empty, is the one children are added to
    parent = Section("article", "art_2", "第二条", 2, None, 0, 3, source="第二条", children=kids)
    kids.append(Section("paragraph", "art_2__para_1", None, 1, None, 0, 3, source="第二条"))
    assert len(parent.children) == 1
    odd = Section("clause", "None_3", None, 3, None, 0, 0, "")  # a kind with no eId prefix keeps its eId
    assert odd.eid == "None_3"


def test_invisible_characters_full_width_digits_and_inserted_articles() -> None:
    """第\u200b三条 is 第三条 to a reader (the invisible characters are left out and counted);
    第１０４条 is article 104; 第二条之一 is an article inserted after 第二条, not a duplicate."""
    from scdocs import load

    doc = load("某某条例\n第一条　甲。\n第二条　乙。\n第\u200b三条\u2060　丙。\n\u200b\n第四条　丁。\n")
    assert [u.num for u in doc.units()] == ["第一条", "第二条", "第三条", "第四条"]
    assert "left out 2 invisible characters (zero-width spaces and joiners, direction marks)" in doc.warnings
    wide = load("某某条例\n第１０３条　甲。\n第１０４条　乙。\n")
    assert [(u.num, u.number) for u in wide.units()] == [("第１０３条", 103), ("第１０４条", 104)]
    assert wide.find("104").text == "第１０４条　乙。"
    inserted = load("某某条例\n第一条　甲。\n第二条　乙。\n第二条之一　丙。\n第三条　丁。\n")
    assert [u.num for u in inserted.units()] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert not [w for w in inserted.warnings if "duplicate" in w]
    # its eId is its own number, never the -2 of a second 第二条; 2 names 第二条 itself
    assert [u.eid for u in inserted.units()] == ["art_1", "art_2", "art_2_1", "art_3"]
    assert inserted.find(2).num == "第二条" and inserted.find("第二条之一").eid == "art_2_1"
    twice = load("某某条例\n第一条　甲。\n第二条　乙。\n第二条之一　丙。\n第二条　丁。\n")
    assert [u.eid for u in twice.units()] == ["art_1", "art_2", "art_2_1", "art_2-2"]


def test_a_num_printed_in_many_places_names_each_of_them() -> None:
    """（二） printed as a point of two articles is ambiguous (named with their eIds), not the first one;
    a unit's own num names the unit even where a point prints the same."""
    from scdocs import load

    law = load("某某条例\n第一条　有下列情形之一的：\n（一）甲；\n（二）乙。\n第二条　包括：\n（一）丙；\n（二）丁。\n")
    assert [s.eid for s in law.find_all("（二）")] == ["art_1__point_2", "art_2__point_2"]
    with pytest.raises(KeyError, match=r"2 sections are numbered （二）; give an eId: art_1__point_2, art_2__point_2"):
        law.find("（二）")
    opinions = load("某某意见\n一、总体要求\n（一）指导思想。坚持：\n1．甲；\n2．乙。\n（二）工作原则。内容。\n")
    assert opinions.find("（二）").kind == "item"


def test_a_chapter_heading_printed_under_its_number() -> None:
    """第一章 on its own line with 总则 below it (a blank line between or not) is chapter 1, 总则."""
    from scdocs import load

    doc = load("某某条例\n第一章\n\n总则\n第一条　甲。\n第二章\n附则\n第二条　乙。\n")
    assert [(c.num, c.heading) for c in doc.containers()] == [("第一章", "总则"), ("第二章", "附则")]
    assert [u.num for u in doc.units()] == ["第一条", "第二条"]
    prose = load("某某条例\n第一章\n本章规定适用范围，包括下列事项。\n第一条　甲。\n")
    assert prose.containers()[0].heading is None  # a sentence under the number is no heading


def test_an_article_heading_beside_its_number(tmp_path: Path) -> None:
    """### 第二条 适用范围 with the article's text below: 适用范围 is the heading, not paragraph 1;
    a short sentence that is the article's whole text stays its text."""
    law = tmp_path / "law.md"
    law.write_text("# 某某条例\n\n### 第一条 适用范围\n\n本条例适用于本市。\n\n"
                   "前款所称信用信息，是指公共信用信息。\n\n第二条 本条例自公布之日起施行\n", encoding="utf-8")
    doc = read_path(law)
    first, second = doc.units()
    assert (first.num, first.heading) == ("第一条", "适用范围")
    assert [p.text for p in first.subsections] == ["本条例适用于本市。", "前款所称信用信息，是指公共信用信息。"]
    assert second.heading is None and second.text.endswith("本条例自公布之日起施行")
    cut = tmp_path / "cut.txt"  # a first line cut mid-sentence, in a text too short to show its wrapping
    cut.write_text("某某条例\n第二条　本条例适用于本省行政区域内的社会信用\n信息归集、披露、使用及其管理活动。\n",
                   encoding="utf-8")
    assert read_path(cut).units()[0].heading is None
    lead_in = tmp_path / "lead-in.txt"  # a sentence that introduces its points, its colon missing
    lead_in.write_text("某某条例\n第二条　本条例所称信用信息包括\n（一）登记信息；\n（二）资质信息。\n",
                       encoding="utf-8")
    assert read_path(lead_in).units()[0].heading is None


def test_a_table_of_contents_with_dot_leaders_and_page_numbers() -> None:
    """第一章　总则……1 lists the body's 第一章　总　　则: the table ends there, the chapter is the body's."""
    from scdocs import load

    doc = load("示范信用法\n目　　录\n第一章　总则……………………1\n第二章　法律责任…………………7\n"
               "第一章　总　　则\n第一条　甲。\n第二章　法律责任\n第二条　乙。\n")
    assert [c.num for c in doc.containers()] == ["第一章", "第二章"]
    assert doc.units()[0].eid == "chp_1__art_1" and "第二章　法律责任…" in (doc.preface.text if doc.preface else "")
    assert not doc.warnings


def test_a_bracketed_heading_alone_on_the_numbers_line(tmp_path: Path) -> None:
    """第三条【主管部门】 with the text below: two paragraphs, neither of them the heading."""
    path = tmp_path / "bracket.txt"
    path.write_text("示范条例\n第一条【立法目的】为了规范管理，制定本条例。\n第二条【主管部门】\n"
                    "省人民政府发展改革部门是本省社会信用主管部门。\n其他有关部门做好相关工作。\n", encoding="utf-8")
    first, second = read_path(path).units()
    assert first.heading == "立法目的" and not first.subsections
    assert second.heading == "主管部门"
    assert [p.text for p in second.subsections] == ["省人民政府发展改革部门是本省社会信用主管部门。",
                                                    "其他有关部门做好相关工作。"]


def test_article_numbers_with_punctuation_or_nothing_after_them() -> None:
    """The tester's findings: 第一条为了… (no space in the whole text) was read as no article at all and
    its text fell to a stray item; 第二条（失信惩戒）… joined the article before it."""
    from scdocs import load

    run_on = load("某市条例\n第一章　总则\n第一条为了规范信用信息管理，制定本条例。\n第二条本条例适用于本市。\n"
                  "第二章　惩戒\n第三条对严重失信主体实施联合惩戒。\n")
    assert [(s.kind, s.num) for s in run_on.walk()] == [
        ("chapter", "第一章"), ("article", "第一条"), ("article", "第二条"), ("chapter", "第二章"),
        ("article", "第三条")]
    marked = load("某办法\n第一条【立法目的】为了规范。\n第二条（失信惩戒）对失信主体实施联合惩戒。\n"
                  "第三条：本办法自公布之日起施行。\n")
    assert [(s.num, s.heading) for s in marked.units()] == [
        ("第一条", "立法目的"), ("第二条", "失信惩戒"), ("第三条", None)]
    # a text whose articles have spaces keeps reading a line that opens 第五条规定… as running text
    spaced = load("某办法\n第一条　甲。\n第二条　乙，依照\n第一条规定处理。\n")
    assert [s.num for s in spaced.units()] == ["第一条", "第二条"]


def test_an_annex_after_the_last_article_is_no_part_of_it() -> None:
    """The testers' finding: 附件：…清单 and its list after 第三条 (commencement) became paragraphs of
    第三条, which was then tagged joint-punishment; the annex is now kept apart, with a warning."""
    from scdocs import load, tag

    doc = load("某办法\n第一条　为了规范。\n第二条　对失信主体依法惩戒。\n第三条　本办法自2024年1月1日起施行。\n\n"
               "附件：某某市失信惩戒措施清单\n一、限制乘坐飞机\n二、限制参与政府采购\n")
    last = doc.units()[-1]
    assert last.text.strip() == "第三条　本办法自2024年1月1日起施行。"
    assert any("an annex after the last numbered unit (附件：某某市失信惩戒措施清单" in w for w in doc.warnings)
    assert not [t for st in tag(doc, engine="rules").sections if st.section.num == "第三条" for t in st.themes]


def test_a_first_point_on_the_articles_own_line_is_a_point() -> None:
    """The tester's finding: 第三条　（一）维护国家安全； lost point （一） and check reported the
    points as starting at （二）."""
    from scdocs import load

    doc = load("某办法\n第一条　甲。\n第二条　乙。\n第三条　（一）维护国家安全；\n（二）坚持党的领导。\n")
    third = doc.units()[2]
    assert [(c.kind, c.num, c.text) for c in third.children] == [
        ("point", "（一）", "（一）维护国家安全；"), ("point", "（二）", "（二）坚持党的领导。")]
    from scdocs.document.structure import check_numbering

    assert check_numbering(doc) == []


def test_arabic_items_directly_under_an_article_are_its_points() -> None:
    """The tester's finding: 1． and 2． under 第一条 were unnumbered paragraphs; under （一） they stay its
    sub-points."""
    from scdocs import load

    doc = load("某办法\n第一条　行政机关可以采取下列措施：\n1．限制乘坐飞机；\n2．限制参加政府采购。\n"
               "第二条　有下列情形之一的：\n（一）甲；\n1．子目；\n2．子目二；\n（二）乙。\n")
    first, second = doc.units()
    assert [(c.kind, c.num) for c in first.children] == [("point", "1．"), ("point", "2．")]
    assert [(c.kind, c.num, [g.num for g in c.children]) for c in second.children] == [
        ("point", "（一）", ["1．", "2．"]), ("point", "（二）", [])]
