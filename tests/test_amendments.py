"""Amending instruments: the SPC 2017 decision read as the regulation it amends, its twelve
instructions as structured amendments, the diff 2013 → 2017 checked against them, `scdocs amend`,
and each instruction form on short synthetic decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scdocs import diff, load
from scdocs.changes.amend import amend, apply
from scdocs.cli import app
from scdocs.document.amendments import OPERATIONS, AmendmentError, amendments, outline
from scdocs.document.model import Document
from scdocs.readers import read_path
from scdocs.reports.amendments import amend_text, check_markdown, check_text

runner = CliRunner()
TITLE = "最高人民法院关于公布失信被执行人名单信息的若干规定"


@pytest.fixture(scope="module")
def spc_2017(raw_dir: Path) -> Document:
    return read_path(raw_dir / "spc-defaulter-list-2017.md")


@pytest.fixture(scope="module")
def spc_2013(raw_dir: Path) -> Document:
    return read_path(raw_dir / "spc-defaulter-list-2013.md")


# -- the SPC 2017 decision ---------------------------------------------------------------------------


def test_spc_2017_reads_as_the_regulation_it_amends(spc_2017: Document) -> None:
    doc = spc_2017
    assert doc.meta.title == TITLE
    assert [u.num for u in doc.units()][:2] == ["第一条", "第二条"] and len(doc.units()) == 13
    assert doc.units()[-1].num == "第十三条"
    assert doc.preamble is not None and doc.preamble.text.startswith("为促使被执行人自觉履行")
    assert doc.preface is not None and "作如下修改：" in doc.preface.text and "附：" in doc.preface.text
    assert doc.warnings == []


# (number, operation, articles, paragraph, point, new_number) of each operation, in order
SPC_OPERATIONS = [
    (1, "replace", (1,), None, None, None),
    (2, "insert", (), None, None, 2),
    (3, "insert", (), None, None, 3),
    (4, "insert", (), None, None, 4),
    (5, "replace", (2,), None, None, 5),
    (6, "replace", (3,), None, None, 11),
    (7, "replace", (4,), None, 1, 6),
    (8, "replace", (6,), 3, None, 8),
    (8, "replace", (6,), 4, None, 8),
    (9, "insert", (), None, None, 9),
    (10, "replace", (7,), None, None, 10),
    (11, "insert", (), None, None, 12),
    (12, "insert", (), None, None, 13),
]


def test_spc_2017_twelve_instructions(spc_2017: Document) -> None:
    found = amendments(spc_2017)
    assert [(a.number, a.operation, a.articles, a.paragraph, a.point, a.new_number) for a in found] == SPC_OPERATIONS
    assert len({a.number for a in found}) == 12
    assert spc_2017.preface is not None
    for a in found:  # each operation's words lie in the decision, before the consolidated text
        assert spc_2017.preface.start <= a.start < a.end <= spc_2017.preface.end
        assert spc_2017.text[a.end - 1] == "”"
    first_words = [spc_2017.text[a.start: a.end] for a in found]
    assert first_words[4].startswith("五、将第二条改为第五条，修改为：“人民法院向被执行人发出的执行通知中")
    assert first_words[8].startswith("将第四款改为：“国家机关、事业单位、国有企业等")
    assert found[6].text == ("作为被执行人的法人或者其他组织的名称、统一社会信用代码（或组织机构代码）、"
                             "法定代表人或者负责人姓名；")
    assert found[1].text is not None and found[1].text.count("\n") == 1  # two paragraphs in one quotation
    assert found[9].describe() == "insert an article as article 9"


def test_spc_diff_2013_to_2017_matches_every_instruction(spc_2013: Document, spc_2017: Document) -> None:
    result = diff(spc_2013, spc_2017)
    check = result.amendments
    assert check is not None and check.problem is None
    assert check.counts() == {"matched": 13, "misaligned": 0, "unseen": 0, "unchecked": 0}
    assert check.instructions == 12
    # Articles 3 and 7 were rewritten so thoroughly that the alignment shows removal + addition.
    rewritten = {m.amendment.number: m.note for m in check.matches if m.note.startswith("seen as")}
    assert sorted(rewritten) == [6, 10]
    assert rewritten[6].startswith("seen as 第三条 removed and 第十一条 added")
    point = next(m for m in check.matches if m.amendment.number == 7)
    assert [(c.deleted, c.inserted) for c in point.changes] == [("", "统一社会信用代码（或"), ("", "）")]
    # What no instruction explains: two silent edits in the published consolidated text.
    assert [(c.old_num, c.new_num, c.deleted, c.inserted) for c in check.unexplained] == [
        ("第五条", "第七条", "它", "他"), ("第六条", "第八条", "", "信息")]
    first = check.unexplained[0]
    assert spc_2013.text[first.old_start: first.old_end] == "它"
    assert spc_2017.text[first.new_start: first.new_end] == "他"
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["amendments"]["counts"]["matched"] == 13 and len(data["amendments"]["unexplained"]) == 2


def test_check_renderings(spc_2013: Document, spc_2017: Document) -> None:
    check = diff(spc_2013, spc_2017).amendments
    assert check is not None
    text = check_text(check)
    assert text.startswith("Amending instructions: 12 instructions, 13 operations: 13 matched; 2 changes")
    assert "第五条 → 第七条: “它” → “他”" in text
    md = check_markdown(check)
    assert md.startswith("## Amending instructions")
    assert "| 八、 | replace article 6 paragraph 4 (becomes article 8) | matched |" in md
    assert "### Changes no instruction explains" in md


def test_diffs_of_ordinary_documents_carry_no_check(raw_dir: Path) -> None:
    """Laws whose adoption notes cite amending decisions are not decisions themselves."""
    for name in ("civil-procedure-law-2021.md", "company-law-2018.md", "hebei-credit-info-regs-2023.txt"):
        assert amendments(read_path(raw_dir / name)) == [], name
    result = diff(read_path(raw_dir / "spc-defaulter-list-2013.md"), read_path(raw_dir / "spc-defaulter-list-2013.md"))
    assert result.amendments is None and "amendments" not in result.to_dict() and result.pairs


def test_the_words_of_an_intro_inside_an_article_introduce_nothing() -> None:
    law = OLD.replace("第七条　本条例", "第七条　示例规划需要调整的，应当作如下修改：\n"
                                        "一、将第一条修改为：“新文。”\n第八条　本条例")
    assert len(load(law).units()) == 8 and amendments(load(law)) == []


def test_scdocs_amend_on_the_real_pair(raw_dir: Path) -> None:
    fetched = runner.invoke(app, ["corpus", "fetch", "--from", str(raw_dir)])
    assert fetched.exit_code == 0, fetched.output
    result = runner.invoke(app, ["amend", "spc-defaulter-list-2013", "spc-defaulter-list-2017"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == "12 instructions (13 operations) carried out: 13 articles"
    assert lines[-3:] == [
        "2 differences from the published consolidated text:",
        "  article 7 (第七条), paragraph 2: amended “它”, published “他” in …新闻发布会或者其[它|他]方式对本院及辖区…",
        "  article 8 (第八条), paragraph 2: the published text adds “信息” in "
        "…失信被执行人名单[|信息]向征信机构通报，…",
    ]
    as_json = runner.invoke(app, ["amend", "spc-defaulter-list-2013", "spc-defaulter-list-2017", "-f", "json"])
    data = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and data["format"] == "scdocs-amend" and data["identical"] is False
    assert [(d["article"], d["paragraph"], d["amended"], d["published"]) for d in data["differences"]] == [
        (7, 2, "它", "他"), (8, 2, "", "信息")]


def test_applying_the_instructions_reproduces_the_rest(spc_2013: Document, spc_2017: Document) -> None:
    amended = apply(spc_2013, amendments(spc_2017))
    assert len(amended.units()) == 13 and amended.warnings == []
    new_six = amended.find(6)
    assert new_six.text.splitlines()[1].startswith("（一）作为被执行人的法人或者其他组织的名称、统一社会信用代码")
    assert amended.find(7).text.endswith("或者其它方式对本院及辖区法院实施失信被执行人名单制度的情况定期向社会公布。")
    published = {u.number: u.text[len(u.num or ""):].strip() for u in spc_2017.units()}
    mine = {u.number: u.text[len(u.num or ""):].strip() for u in amended.units()}
    assert [n for n in published if published[n] != mine[n]] == [7, 8]


# -- synthetic decisions: each instruction form -------------------------------------------------------

OLD = """示例条例

第一条　为了规范示例工作，制定本条例。
第二条　本条例适用于示例活动。
第三条　县级以上地方人民政府工商行政管理部门负责示例监督管理工作。
第四条　示例单位应当遵守下列规定：
（一）如实记录；
（二）按时报告；
（三）接受检查。
第五条　示例单位可以公开示例信息。
示例信息不得包含个人隐私。
第六条　违反本条例规定的，处一万元以上五万元以下罚款。
第七条　本条例自2020年1月1日起施行。
"""

INSTRUCTIONS = """一、将第三条中的“工商行政管理部门”修改为“市场监督管理部门”。
二、增加一条，作为第四条：“示例单位应当建立内部管理制度。”
三、将第四条改为第五条，第（二）项修改为：“按季度报告；”
四、将第五条改为第六条，第一款中的“可以”修改为“应当”。
五、在第五条中增加一款，作为第三款：“公开的示例信息应当准确。”
六、删除第六条。"""

CONSOLIDATED = """第一条　为了规范示例工作，制定本条例。
第二条　本条例适用于示例活动。
第三条　县级以上地方人民政府市场监督管理部门负责示例监督管理工作。
第四条　示例单位应当建立内部管理制度。
第五条　示例单位应当遵守下列规定：
（一）如实记录；
（二）按季度报告；
（三）接受检查。
第六条　示例单位应当公开示例信息。
示例信息不得包含个人隐私。
公开的示例信息应当准确。
第七条　本条例自2020年1月1日起施行。"""


def decision(instructions: str = INSTRUCTIONS, consolidated: str | None = CONSOLIDATED) -> str:
    text = (f"国务院关于修改《示例条例》的决定\n\n国务院决定对《示例条例》作如下修改：\n\n{instructions}\n\n"
            "本决定自2024年1月1日起施行。\n\n")
    if consolidated is not None:
        text += ("《示例条例》根据本决定作相应修改并对条文顺序作相应调整，重新公布。\n\n附：\n\n示例条例\n\n"
                 "（2020年1月1日国务院令第1号公布　根据2024年1月1日《国务院关于修改〈示例条例〉的决定》修订）\n\n"
                 + consolidated + "\n")
    return text


def ops(instruction: str) -> list[tuple[object, ...]]:
    """(operation, articles, paragraph, point, new_number, after, text, old words, new words) of each operation."""
    found = amendments(load(decision(instruction, None)))
    return [(a.operation, a.articles, a.paragraph, a.point, a.new_number, a.after, a.text, a.old_words, a.new_words)
            for a in found]


@pytest.mark.parametrize(("instruction", "expected"), [
    ("一、将第一条修改为：“新文。”", [("replace", (1,), None, None, None, None, "新文。", None, None)]),
    ("一、第三条修改为：“新文。”", [("replace", (3,), None, None, None, None, "新文。", None, None)]),
    ("一、将第五条第二款修改为：“新款。”", [("replace", (5,), 2, None, None, None, "新款。", None, None)]),
    ("一、将第四条第（二）项修改为：“新项；”", [("replace", (4,), None, 2, None, None, "新项；", None, None)]),
    ("一、将第五条修改为：“第一段。”\n“第二段。”",  # paragraphs quoted one by one
     [("replace", (5,), None, None, None, None, "第一段。\n第二段。", None, None)]),
    ("一、增加一条，作为第二条：“新条。”", [("insert", (), None, None, 2, None, "新条。", None, None)]),
    ("一、在第三条后增加一条：“新条。”", [("insert", (), None, None, None, 3, "新条。", None, None)]),
    ("一、在第三条后增加一条，作为第四条：“新条。”", [("insert", (), None, None, 4, 3, "新条。", None, None)]),
    ("一、在第五条中增加一款，作为第二款：“新款。”", [("insert", (5,), 2, None, None, None, "新款。", None, None)]),
    ("一、在第五条第一款后增加一款：“新款。”", [("insert", (5,), 2, None, None, None, "新款。", None, None)]),
    ("一、在第四条中增加一项，作为第三项：“新项；”", [("insert", (4,), None, 3, None, None, "新项；", None, None)]),
    ("一、删除第六条。", [("delete", (6,), None, None, None, None, None, None, None)]),
    ("一、将第五条第二款删去。", [("delete", (5,), 2, None, None, None, None, None, None)]),
    ("一、将第三条中的“工商行政管理部门”修改为“市场监督管理部门”。",
     [("substitute", (3,), None, None, None, None, None, "工商行政管理部门", "市场监督管理部门")]),
    ("一、将第六条中的“一万元”修改为“二万元”，“五万元”修改为“十万元”。",
     [("substitute", (6,), None, None, None, None, None, "一万元", "二万元"),
      ("substitute", (6,), None, None, None, None, None, "五万元", "十万元")]),
    ("一、将第五条第一款中的“可以”改为“应当”。", [("substitute", (5,), 1, None, None, None, None, "可以", "应当")]),
    ("一、将第二条、第三条中的“示例”修改为“样例”。",
     [("substitute", (2, 3), None, None, None, None, None, "示例", "样例")]),
    ("一、将本条例中的“示例单位”修改为“样例单位”。",
     [("substitute", (), None, None, None, None, None, "示例单位", "样例单位")]),
    ("一、删去第五条中的“示例”。", [("substitute", (5,), None, None, None, None, None, "示例", "")]),
    ("一、在第三条中的“监督管理”后增加“和服务”。",
     [("substitute", (3,), None, None, None, None, None, "监督管理", "监督管理和服务")]),
    ("一、将第七条改为第八条。", [("renumber", (7,), None, None, 8, None, None, None, None)]),
    ("一、将第二条改为第三条，修改为：“新文。”", [("replace", (2,), None, None, 3, None, "新文。", None, None)]),
    ("一、对第七条的说明作出调整。", [("other", (), None, None, None, None, None, None, None)]),
    ("将第一条修改为：“新文。”", [("replace", (1,), None, None, None, None, "新文。", None, None)]),  # one, unnumbered
])
def test_instruction_forms(instruction: str, expected: list[tuple[object, ...]]) -> None:
    assert ops(instruction) == expected


def test_unnumbered_direction_to_renumber_and_offsets() -> None:
    doc = load(decision("一、删除第六条。\n此外，对条文顺序作相应调整。", None))
    found = amendments(doc)
    assert [(a.number, a.operation, a.articles) for a in found] == [(1, "delete", (6,)), (None, "renumber", ())]
    assert [doc.text[a.start: a.end] for a in found] == ["一、删除第六条", "此外，对条文顺序作相应调整"]
    assert {a.operation for a in found} <= set(OPERATIONS)


def test_outline_numbers_articles_as_a_consolidated_text_does() -> None:
    found = amendments(load(decision("一、在第二条后增加一条：“甲。”\n二、删除第四条。\n"
                                     "三、增加一条，作为第七条：“乙。”", None)))
    slots = outline([1, 2, 3, 4, 5, 6], found)
    assert [(s.number, s.old, s.insert.text if s.insert else None) for s in slots] == [
        (1, 1, None), (2, 2, None), (3, None, "甲。"), (4, 3, None), (5, 5, None), (6, 6, None), (7, None, "乙。")]
    with pytest.raises(AmendmentError, match="two articles would be article 2"):
        outline([1, 2], amendments(load(decision("一、增加一条，作为第二条：“甲。”\n二、将第一条改为第二条。", None))))


def test_synthetic_decision_reproduces_its_consolidated_text(tmp_path: Path) -> None:
    doc = load(decision())
    assert doc.meta.title == "示例条例" and len(doc.units()) == 7
    result = amend(load(OLD), doc)
    assert result.compared and result.identical and result.differences == [] and result.notes == []
    check = diff(load(OLD), doc).amendments
    assert check is not None and check.unexplained == []
    assert check.counts() == {"matched": 7, "misaligned": 0, "unseen": 0, "unchecked": 0}
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "decision.txt").write_text(decision(), encoding="utf-8")
    cli = runner.invoke(app, ["amend", str(tmp_path / "old.txt"), str(tmp_path / "decision.txt")])
    assert cli.exit_code == 0 and cli.stdout.endswith("The result is identical to the published consolidated text.\n")


def test_a_silent_edit_is_named_with_its_words() -> None:
    edited = CONSOLIDATED.replace("（二）按季度报告；", "（二）按月报告；").replace("信息应当准确", "信息应当真实准确")
    result = amend(load(OLD), load(decision(consolidated=edited)))
    assert [(d.article, d.paragraph, d.point, d.amended, d.published) for d in result.differences] == [
        (5, 1, 2, "季度", "月"), (6, 3, None, "", "真实")]
    assert "article 5 (第五条), paragraph 1 point 2: amended “季度”, published “月”" in amend_text(result)


def test_points_inserted_and_deleted_renumber_the_rest() -> None:
    found = amendments(load(decision("一、在第四条中增加一项，作为第二项：“按时整改；”\n"
                                     "二、将第四条第（一）项删除。", None)))
    amended = apply(load(OLD), found)
    assert amended.find(4).text.split("\n")[1:] == ["（一）按时整改；", "（二）按时报告；", "（三）接受检查。"]


def test_words_an_article_lacks_are_noted() -> None:
    instruction = "一、将第二条中的“活动”修改为“行为”，“不存在”修改为“存在”。"
    amended = apply(load(OLD), amendments(load(decision(instruction, None))))
    assert amended.find(2).text.endswith("本条例适用于示例行为。")
    assert amended.warnings == ["instruction 一、: article 2 does not contain “不存在”"]


# -- bad input -----------------------------------------------------------------------------------------


def _files(tmp_path: Path, text: str) -> tuple[str, str]:
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "decision.txt").write_text(text, encoding="utf-8")
    return str(tmp_path / "old.txt"), str(tmp_path / "decision.txt")


@pytest.mark.parametrize(("text", "message"), [
    (OLD, "decision.txt: no amending instructions found (expected …作如下修改： and numbered instructions)"),
    (decision("一、将第二十条修改为：“新文。”"),
     "decision.txt: instruction 一、 names article 20, which the earlier version does not have (it has 7 articles)"),
    (decision("一、将第二条第三款修改为：“新文。”"),
     "decision.txt: instruction 一、 names paragraph 3 of article 2, which has 1"),
    (decision("一、将第二条修改为：“新文。”", None),
     "decision.txt: no consolidated text after the instructions to compare with (--amended-text prints OLD as "
     "amended)"),
])
def test_bad_decisions_give_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    old, dec = _files(tmp_path, text)
    result = runner.invoke(app, ["amend", old, dec])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path}/{message}"


def test_amended_text_without_a_consolidated_text(tmp_path: Path) -> None:
    old, dec = _files(tmp_path, decision("一、将第二条修改为：“本条例适用于样例活动。”", None))
    result = runner.invoke(app, ["amend", old, dec, "--amended-text"])
    assert result.exit_code == 0
    assert "第二条　本条例适用于样例活动。\n第三条　县级以上" in result.stdout


def test_amended_text_as_json_and_options_that_would_be_ignored(raw_dir: Path) -> None:
    old, decision = str(raw_dir / "spc-defaulter-list-2013.md"), str(raw_dir / "spc-defaulter-list-2017.md")
    text = runner.invoke(app, ["amend", old, decision, "--amended-text"])
    as_json = runner.invoke(app, ["amend", old, decision, "--amended-text", "--format", "json"])
    assert text.exit_code == as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    assert data["format"] == "scdocs-document" and data["text"] + "\n" == text.stdout
    for args in (["tag", old, "--format", "json", "--excel"], ["compare", old, decision, "--no-excel"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and "--excel/--no-excel is about CSV" in r.stderr, args


def test_amended_text_names_every_instruction_it_did_not_carry_out(tmp_path: Path) -> None:
    """The tester's finding: `amend --amended-text` left out instructions it did not understand with
    exit 0 and no word; they are now warned about by number (exit 1). 将条例中的…统一修改为… is understood."""
    old = tmp_path / "old.txt"
    old.write_text("某某市社会信用管理条例\n第一条　为了规范。\n第二条　工商行政管理部门负责。\n", encoding="utf-8")
    decision = tmp_path / "decision.txt"
    decision.write_text("关于修改《某某市社会信用管理条例》的决定\n某某市人民代表大会常务委员会决定对《某某市社会信用管理条例》"
                        "作如下修改：\n一、将条例中的“工商行政管理部门”统一修改为“市场监督管理部门”。\n"
                        "二、增加一条，作为第二条之一：“信用主体有权提出异议。”\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["amend", str(old), str(decision), "--amended-text"])
    assert r.exit_code == 1
    assert "第二条　市场监督管理部门负责。" in r.stdout
    assert "instruction 2 not carried out (not understood): 二、增加一条，作为第二条之一" in r.stderr
