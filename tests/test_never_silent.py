"""Issue 15, never silently wrong: texts without numbering, mixed numbering, structure checks,
metadata read from a text's own header and closing lines, and documents views leave out.

Every document here is a few invented lines written by the test."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.document.model import Document
from scdocs.formats.frbr import frbr_uri
from scdocs.readers import read_path

runner = CliRunner()

NOTICE = """关于做好春季防火工作的通知

各区人民政府，市政府各部门：
近期气温回升，森林火险等级持续升高，现将有关事项通知如下。
各地要高度重视，压实属地责任，加强巡查值守，严防火灾发生。
各部门要加强协调配合，建立失信黑名单，及时报送信息。
市人民政府办公厅
2025年3月1日
"""

MIXED = """关于推进示例工作的意见

国办发〔2025〕12号
各省、自治区、直辖市人民政府：
为推进示例工作，现提出如下意见。
一、总体要求
坚持依法行政，推进工作落实。
二、重点任务
为此，要做好以下工作：
1．加强组织领导。各地要建立工作机制。
2．完善制度规则。要做到：
（1）健全标准。
（2）规范流程。
3．强化监督检查。
三、保障措施
（一）加强组织领导。各地要加强领导，自2026年1月1日起施行新规。
（二）强化宣传引导。要做好宣传。
国务院办公厅
二〇二五年三月一日
"""

LAW = """示例条例

第一条　为了规范示例管理，制定本条例。
第二条　下列行为应当禁止：
（一）虚构事实；
（二）隐瞒真相。
第三条　本条例自2025年5月1日起施行。
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


# ------------------------------------------------------------------------------------------
# 1. A text without numbered units


def test_unnumbered_notice_is_read_paragraph_by_paragraph_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "notice.txt", NOTICE)
    doc = read_path(path)
    assert [s.kind for s in doc.body] == ["paragraph"] * 4
    assert [s.eid for s in doc.body] == [f"unnumbered__para_{i}" for i in range(1, 5)]
    assert all(s.fallback and s.text == doc.text[s.start:s.end] for s in doc.body)
    assert doc.body[0].text == "各区人民政府，市政府各部门："
    assert doc.units() == doc.body and doc.find(2) is doc.body[1]
    assert doc.preamble is None and doc.conclusions is not None
    assert doc.warnings == ["no numbered units found: 4 paragraphs read as sections"]
    assert [s.name for s in doc.body] == [f"paragraph {i}" for i in range(1, 5)]  # as citations name them
    assert doc.find("paragraph 2") is doc.body[1]  # and the name is read back

    result = invoke("sections", str(path))
    assert result.exit_code == 0, result.output
    assert "no numbered units found: 4 paragraphs read as sections" in result.stderr
    assert "unnumbered__para_4" in result.stdout

    tagged = invoke("tag", str(path), "--format", "json", "--engine", "rules")
    assert tagged.exit_code == 0, tagged.output
    assert "no numbered units found" in tagged.stderr
    sections = json.loads(tagged.stdout)["sections"]
    assert [s["eId"] for s in sections] == [f"unnumbered__para_{i}" for i in range(1, 5)]

    excerpt = invoke("excerpt", str(path), "--section", "2", "--format", "md")
    assert excerpt.exit_code == 0 and "paragraph 2" in excerpt.stdout and "unnumbered" not in excerpt.stdout

    checked = invoke("check", str(path))
    assert checked.exit_code == 1
    assert "no numbered units found" in checked.stdout


def test_numbered_text_is_not_read_as_paragraphs(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "law.txt", LAW))
    assert not any(s.fallback for s in doc.walk()) and doc.warnings == []


# ------------------------------------------------------------------------------------------
# 2. Mixed numbering nests


def test_arabic_items_under_a_part_are_its_units_and_their_points_nest(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "mixed.txt", MIXED))
    part2 = doc.find("part_2")
    assert part2.num == "二、"
    assert [(c.kind, c.num, c.eid) for c in part2.children] == [
        ("item", "1．", "part_2__item_1"), ("item", "2．", "part_2__item_2"), ("item", "3．", "part_2__item_3")]
    assert part2.children[0].heading == "加强组织领导"
    assert "1．" not in part2.text[: part2.children[0].start - part2.start]  # no item merged into the part's own text
    points = part2.children[1].children
    assert [(p.kind, p.num, p.eid) for p in points] == [("point", "（1）", "part_2__item_2__point_1"),
                                                         ("point", "（2）", "part_2__item_2__point_2")]
    assert [c.eid for c in doc.find("part_3").children] == ["part_3__item_1", "part_3__item_2"]
    assert doc.warnings == []
    result = invoke("check", str(tmp_path / "mixed.txt"))
    assert result.exit_code == 0, result.output


def test_paren_points_under_an_article_are_points_of_the_article(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "law.txt", LAW))
    art2 = doc.find("第二条")
    assert [(c.kind, c.num, c.eid) for c in art2.children] == [("point", "（一）", "art_2__point_1"),
                                                                ("point", "（二）", "art_2__point_2")]
    assert [u.eid for u in doc.units()] == ["art_1", "art_2", "art_3"]


# ------------------------------------------------------------------------------------------
# `scdocs check`


def test_check_fails_on_text_no_section_covers(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "law.txt", LAW))
    data = json.loads(invoke("convert", str(tmp_path / "law.txt"), "--to", "json").stdout)
    assert invoke("check", str(write(tmp_path, "whole.json", json.dumps(data, ensure_ascii=False)))).exit_code == 0
    data["sections"] = [s for s in data["sections"] if s["eId"] != "art_2"]  # 第二条 now belongs to nothing
    path = write(tmp_path, "holed.json", json.dumps(data, ensure_ascii=False))
    result = invoke("check", str(path))
    assert result.exit_code == 1, result.output
    art2 = doc.find("art_2")
    assert f"text outside every section: characters {art2.start - 1}–{art2.end + 1}" in result.stdout
    assert "第二条" in result.stdout


def test_check_fails_on_numbering_that_restarts_with_no_container(tmp_path: Path) -> None:
    items = "（一）第一项。内容。\n（二）第二项。内容。\n"
    text = f"关于示例事项的意见\n\n{items}{items.replace('第', '又')}"
    result = invoke("check", str(write(tmp_path, "restart.txt", text)))
    assert result.exit_code == 1, result.output
    assert "numbering restarts: （一） (item_1-2) follows （二）" in " ".join(result.stdout.split())
    # The same items restarting in each part are explained by the parts.
    parts = f"关于示例事项的意见\n\n一、总体要求\n{items}二、重点任务\n{items}"
    assert invoke("check", str(write(tmp_path, "parts.txt", parts))).exit_code == 0


# ------------------------------------------------------------------------------------------
# 3. Metadata from the header and the closing lines


def test_issuer_date_and_number_come_from_closing_and_header_lines(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "mixed.txt", MIXED))
    assert doc.meta.issuer == "国务院办公厅"
    assert doc.meta.date == "2025-03-01"  # 二〇二五年三月一日, not the body's 2026年1月1日
    assert doc.meta.doc_number == "国办发〔2025〕12号"
    assert doc.conclusions is not None and doc.conclusions.text == "国务院办公厅\n二〇二五年三月一日"
    assert frbr_uri(doc).work_uri().split("/")[-2] == "2025-03-01"  # no longer 0000


def test_bracketed_number_and_arabic_closing_date(tmp_path: Path) -> None:
    text = NOTICE.replace("\n\n", "\n\n国办发[2024] 7号\n", 1).replace("2025年3月1日", "2024年12月31日")
    doc = read_path(write(tmp_path, "notice.txt", text))
    assert (doc.meta.issuer, doc.meta.date) == ("市人民政府办公厅", "2024-12-31")
    assert doc.meta.doc_number == "国办发〔2024〕7号"
    assert doc.preface is not None and "国办发[2024] 7号" in doc.preface.text  # header, not a section


def test_dates_and_bodies_in_the_body_are_not_metadata(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "law.txt", LAW))  # 2025年5月1日 in 第三条 only
    assert (doc.meta.issuer, doc.meta.date, doc.meta.doc_number) == ("", "", "")
    assert frbr_uri(doc).work_uri().split("/")[-2] == "0000"


# ------------------------------------------------------------------------------------------
# 4. Documents `trend` and `compare` leave out are named


def _dated(tmp_path: Path) -> Path:
    return write(tmp_path, "dated.txt", LAW.replace("（二）隐瞒真相。", "（二）隐瞒真相。\n第四条　建立失信黑名单。")
                 + "某某市人民代表大会常务委员会\n2024年6月1日\n")


def test_trend_names_documents_it_leaves_out_and_why(tmp_path: Path) -> None:
    dated = _dated(tmp_path)
    assert read_path(dated).meta.date == "2024-06-01"
    empty = write(tmp_path, "empty.txt", "示例空白通知\n\n市人民政府办公厅\n2025年3月1日\n")
    undated = write(tmp_path, "undated.txt", LAW)
    result = invoke("trend", "--theme", "blacklisting", str(dated), str(empty), str(undated), "--format", "csv")
    assert result.exit_code == 0, result.output
    err = " ".join(result.stderr.split())
    assert f"left out {empty}: no sections to count" in err
    assert "left out 1 without a date: undated" in err
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [(r["level"], r["document"]) for r in rows] == [("year", "dated"), ("document", "dated")]


def test_compare_names_documents_it_leaves_out(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.txt", "示例空白通知\n\n市人民政府办公厅\n2025年3月1日\n")
    notice = write(tmp_path, "notice.txt", NOTICE)
    result = invoke("compare", str(_dated(tmp_path)), str(empty), str(notice), "--format", "json")
    assert result.exit_code == 0, result.output
    err = " ".join(result.stderr.split())
    assert f"left out {empty}: no sections to count" in err
    assert f"{notice}: no numbered units found: 4 paragraphs read as sections" in err  # counted, but said
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == ["dated", "notice"]


def test_document_round_trips_with_its_fallback_sections(tmp_path: Path) -> None:
    path = write(tmp_path, "notice.txt", NOTICE)
    data = json.loads(invoke("convert", str(path), "--to", "json").stdout)
    back = Document.from_dict(data)
    assert [s.fallback for s in back.body] == [True] * 4


def test_a_pasted_notice_is_not_swallowed_into_its_title(tmp_path: Path) -> None:
    """Short body lines right under the title, with no blank line: they stay body, each a paragraph."""
    path = tmp_path / "notice.txt"
    path.write_text("关于做好示例工作的通知\n各单位要高度重视示例工作。\n请于月底前报送进展情况。\n联系人：张三。\n",
                    encoding="utf-8")
    from scdocs.readers import read_path

    doc = read_path(path)
    assert doc.meta.title == "关于做好示例工作的通知"
    assert [s.text for s in doc.units()] == ["各单位要高度重视示例工作。", "请于月底前报送进展情况。", "联系人：张三。"]


def test_short_lines_are_a_title_and_text_never_all_title(tmp_path: Path) -> None:
    two = write(tmp_path, "two.txt", "信用修复\n个人信息保护和国家安全\n")
    doc = read_path(two)
    assert doc.meta.title == "信用修复"
    assert [s.text for s in doc.body] == ["个人信息保护和国家安全"]  # a paragraph, not a signature
    r = invoke("sections", str(two))
    assert r.exit_code == 0 and "no numbered units found: 1 paragraph" in r.stderr
    english = read_path(write(tmp_path, "en.txt", "hello world\nno numbers here\n"))
    assert english.meta.title == "hello world" and "hello worldno" not in english.text


def test_a_text_that_is_only_a_title_says_so(tmp_path: Path) -> None:
    lone = write(tmp_path, "lone.txt", "只有标题\n")
    r = invoke("sections", str(lone))
    assert r.exit_code == 0 and "no body text" in r.stderr
    r = invoke("check", str(lone))
    assert r.exit_code == 1 and "no body text" in r.stdout


def test_plain_text_keeps_markup_characters_and_markdown_counts_the_comments_it_drops(tmp_path: Path) -> None:
    body = "第一条　价格为**5**元，<!-- 内部意见：删除本条 -->公布。\n第二条　__重要__\n"
    plain = read_path(write(tmp_path, "t.txt", body))
    assert "**5**" in plain.text and "<!-- 内部意见：删除本条 -->" in plain.text and "__重要__" in plain.text
    assert not plain.warnings
    r = invoke("show", str(write(tmp_path, "t.md", body)), "1")
    assert r.exit_code == 0 and "价格为5元，公布。" in r.stdout
    assert "left out 18 characters of Markdown comments" in r.stderr


def test_every_line_break_is_one_and_standard_input_is_named_stdin() -> None:
    r = runner.invoke(app, ["sections", "-"], input="第一条　甲。\u2028第二条　乙。\x85第三条　丙。\n")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<stdin>") and "3 articles" in r.stdout


def test_a_page_read_whole_as_its_title_and_bytes_cut_off_at_the_end_are_said(tmp_path: Path) -> None:
    page = tmp_path / "names.html"
    page.write_text("<html><body><h1>名录</h1><p>上海市</p><p>北京市</p><p>广东省</p></body></html>", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(page)])
    assert r.exit_code == 1 and "no body text: every line was read as the title or header" in r.stdout
    cut = tmp_path / "cut.md"
    cut.write_bytes("第一条　测试".encode("gbk") + b"\xff\xfe")
    r = CliRunner().invoke(app, ["convert", str(cut), "--to", "txt"])
    assert r.exit_code == 0 and r.stdout.strip() == "第一条　测试"
    assert f"warning: {cut}: left out 2 undecodable bytes at the end of the file" in r.stderr
