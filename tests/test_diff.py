"""`scdocs diff`: alignment on real versions, property tests on generated versions, outputs, rules."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scdocs import diff, load
from scdocs.cli import app
from scdocs.readers import read_path

runner = CliRunner()


@pytest.fixture(scope="module")
def enterprise(raw_dir: Path):  # type: ignore[no-untyped-def]
    return diff(read_path(raw_dir / "enterprise-info-disclosure-regs-2014.json"),
                read_path(raw_dir / "enterprise-info-disclosure-regs-2024.json"))


def test_enterprise_disclosure_2014_to_2024_alignment(enterprise) -> None:  # type: ignore[no-untyped-def]
    added = [p.new.number for p in enterprise.pairs if p.status == "added"]
    assert added == [16, 20]
    assert not [p for p in enterprise.pairs if p.status == "removed"]
    mapping = {p.old.number: p.new.number for p in enterprise.pairs if p.old and p.new}
    expected = {n: n for n in range(1, 16)} | {16: 17, 17: 18, 18: 19} | {n: n + 2 for n in range(19, 26)}
    assert mapping == expected
    for p in enterprise.pairs:
        if p.old and p.old.number >= 16:
            assert p.status in ("renumbered", "modified")


def test_enterprise_disclosure_renamings_are_systematic_changes_not_moves(enterprise) -> None:  # type: ignore[no-untyped-def]
    renamed = [p for p in enterprise.pairs if p.text_diff and any(
        o.op == "-" and "工商行政" in o.text for o in p.text_diff.ops) and any(
        o.op == "+" and "市场监督" in o.text for o in p.text_diff.ops)]
    assert len(renamed) >= 10
    [renaming] = [s for s in enterprise.systematic if (s.old_text, s.new_text) == ("工商行政", "市场监督")]
    assert len(renaming.places) == len(renamed)  # one systematic change with its places
    assert renaming.shown == ("工商行政管理部门", "市场监督管理部门")  # with the words it shares everywhere
    # 企业信用信息公示系统 → 国家企业信用信息公示系统 names the same system: recurring, and no move
    [system] = [s for s in enterprise.systematic if s.new_text.replace("国家", "") == s.old_text != s.new_text]
    assert len(system.places) >= 3
    old_shown, new_shown = system.shown  # whole words around the inserted 国家, not 通过企 → 通过国家企
    assert "企业信用信息" in old_shown and "国家企业信用信息" in new_shown
    assert not any(m.id == "national-system" for m in enterprise.moves)
    assert not any("市场监督" in e.text or "国家企业" in e.text for m in enterprise.moves for e in m.evidence)
    assert enterprise.summary()["systematic"] == len(enterprise.systematic) >= 2


def test_company_law_repeated_platform_move_counts_once_with_its_places(raw_dir: Path) -> None:
    old, new = load(raw_dir / "company-law-2018.md"), load(raw_dir / "company-law-2023.md")
    result = diff(old, new)
    national = [m for m in result.moves if m.id == "national-system"]
    platform = [m for m in national if m.evidence[0].text == "国家企业信用信息公示系统"]
    assert len(platform) >= 5 and len({m.group for m in platform}) == 1 and platform[0].group is not None
    for m in platform:
        assert m.evidence[0].change == "inserted"
        assert all(new.text[e.start:e.end] == e.text for e in m.evidence if e.side == "new")
    counts = result.summary()["moves"]["national-system"]
    others = len(national) - len(platform)  # other national-system moves, each a change of its own
    assert (counts["places"], counts["changes"], counts["direction"]) == (len(national), 1 + others, "toward")
    [renaming] = [s for s in result.systematic if (s.old_text, s.new_text) == ("股东大会", "股东会")]
    assert len(renaming.places) >= 10  # 股东大会 → 股东会 everywhere: one systematic change


def test_fines_are_compared_as_values_in_both_directions() -> None:
    old = load("示例条例\n第一条　违反本条例的，处一万元以上十万元以下的罚款。\n"
               "第二条　违反规定公开信息的，处五万元以上五十万元以下的罚款。\n")
    new = load("示例条例\n第一条　违反本条例的，处五万元以上五十万元以下的罚款。\n"
               "第二条　违反规定公开信息的，处一万元以上五万元以下的罚款。\n")
    first, second = diff(old, new).pairs
    [up] = first.moves
    assert (up.id, up.direction, up.detectors) == ("enforcement", "toward", ["value"])
    assert (up.values[0].old.high, up.values[0].new.high) == (100_000, 500_000)
    assert [e.text for e in up.evidence] == ["一万元以上十万元以下的罚款", "五万元以上五十万元以下的罚款"]
    [down] = second.moves
    assert (down.id, down.direction) == ("safeguard", "away")
    assert (down.values[0].old.high, down.values[0].new.high) == (500_000, 50_000)


def test_a_fine_on_new_subjects_is_a_new_tier_not_a_lower_fine() -> None:
    # The company's fine rises and the people in charge are fined too: two moves toward the centre,
    # never "the fine falls" from comparing the company's old fine with the individuals' new one.
    old = load("示例条例\n第一条　对提交虚假材料的公司，处以五万元以上五十万元以下的罚款。\n")
    new = load("示例条例\n第一条　对提交虚假材料的公司，处以五万元以上二百万元以下的罚款；"
               "对直接负责的主管人员和其他直接责任人员处以三万元以上三十万元以下的罚款。\n")
    [pair] = diff(old, new).pairs
    assert [m.id for m in pair.moves] == ["enforcement"]
    [raised] = pair.moves[0].values
    assert (raised.old.high, raised.new.high) == (500_000, 2_000_000)


def test_modality_and_actor_level() -> None:
    old = load("示例条例\n第一条　县级以上地方人民政府可以将其列入重点监管对象。\n第二条　本条例自公布之日起施行。\n")
    new = load("示例条例\n第一条　国务院有关部门应当将其列入重点监管对象。\n第二条　本条例自公布之日起施行。\n")
    pair = diff(old, new).pairs[0]
    ids = {m.id: m for m in pair.moves}
    assert "mandatory-sanction" in ids["enforcement"].rules and "modality" in ids["enforcement"].detectors
    assert "actor" in ids["central-authority"].detectors
    assert any(e.text.startswith("国务院") for e in ids["central-authority"].evidence)


def test_cross_reference_only_changes_are_not_substance() -> None:
    old = load("示例条例\n第一条　甲。\n第二条　乙。\n第三条　违反本条例第二条规定的，依照第一条处理。\n")
    new = load("示例条例\n第一条　甲。\n第二条　新增内容，完全不同的规定。\n第三条　乙。\n"
               "第四条　违反本条例第三条规定的，依照第一条处理。\n")
    result = diff(old, new)
    last = next(p for p in result.pairs if p.old and p.old.number == 3)
    assert last.new.number == 4  # type: ignore[union-attr]
    assert last.status == "renumbered" and last.references_only
    assert [p.new.number for p in result.pairs if p.status == "added"] == [2]  # type: ignore[union-attr]


def test_party_leadership_move_with_inserted_evidence() -> None:
    old = load("示例条例\n第一条　本市建立信用信息平台，归集公共信用信息。\n第二条　本条例自公布之日起施行。\n")
    new = load("示例条例\n第一条　坚持党的领导。本市建立信用信息平台，归集公共信用信息。\n"
               "第二条　本条例自公布之日起施行。\n")
    result = diff(old, new)
    pair = result.pairs[0]
    assert pair.themes_gained == ["party-leadership"]
    [move] = pair.moves
    assert (move.id, move.direction, move.detectors) == ("party-leadership", "toward", ["wording"])
    assert move.evidence[0].change == "inserted" and move.evidence[0].text == "党的领导"
    assert new.text[move.evidence[0].start:move.evidence[0].end] == "党的领导"


def _law(bodies: list[str]) -> str:
    from scdocs.document.numerals import int_to_chinese

    return "示例条例\n" + "\n".join(f"第{int_to_chinese(i)}条　{b}" for i, b in enumerate(bodies, start=1)) + "\n"


def _mutate(bodies: list[str], filler: list[str], rng: random.Random) -> tuple[list[str], list[set[int]]]:
    """A new version of `bodies`, and for each new article the set of old article numbers it comes from."""
    items: list[tuple[str, set[int]]] = [(b, {i + 1}) for i, b in enumerate(bodies)]
    n = len(items)
    for _ in range(max(1, n // 12)):  # deletions
        items.pop(rng.randrange(len(items)))
    for _ in range(max(1, n // 12)):  # insertions of unrelated provisions
        items.insert(rng.randrange(len(items) + 1), (rng.choice(filler), set()))
    for _ in range(max(1, n // 6)):  # edits: a clause replaced inside an article
        k = rng.randrange(len(items))
        body, origin = items[k]
        if origin and len(body) > 40:
            a = rng.randrange(0, len(body) // 2)
            b = a + rng.randrange(5, max(6, len(body) // 6))
            items[k] = (body[:a] + "并应当依法及时办理" + body[b:], origin)
    for _ in range(max(1, n // 20)):  # moves far away
        k = rng.randrange(len(items))
        item = items.pop(k)
        items.insert((k + len(items) // 2) % (len(items) + 1), item)
    for _ in range(max(1, n // 25)):  # splits at a full stop
        k = rng.randrange(len(items))
        body, origin = items[k]
        cut = body.find("。", len(body) // 3)
        if origin and 0 < cut < len(body) - 20 and "\n" not in body:
            items[k: k + 1] = [(body[: cut + 1], origin), (body[cut + 1:], set(origin))]
    for _ in range(max(1, n // 25)):  # merges of neighbours
        k = rng.randrange(len(items) - 1)
        (a, oa), (b, ob) = items[k], items[k + 1]
        if oa and ob and "\n" not in a + b:
            items[k: k + 2] = [(a + b, oa | ob)]
    return [b for b, _ in items], [o for _, o in items]


@pytest.mark.parametrize("doc_id", ["pipl-2021.md", "shanghai-credit-regs-2017.md", "company-law-2018.md",
                                    "xinjiang-credit-regs-2024.txt", "dsl-2021.md"])
def test_property_generated_versions_are_aligned(raw_dir: Path, doc_id: str) -> None:
    source = read_path(raw_dir / doc_id)
    bodies = [u.text[len(u.num or ""):].lstrip("　 ") for u in source.units()]
    other = read_path(raw_dir / "civil-procedure-law-2023.md")
    filler = [u.text[len(u.num or ""):].lstrip("　 ") for u in other.units()]
    true_pairs = found = wrong = 0
    for seed in range(6):
        rng = random.Random(f"{doc_id}-{seed}")
        new_bodies, origins = _mutate(bodies, filler, rng)
        result = diff(load(_law(bodies)), load(_law(new_bodies)))
        truth = {(o, j + 1) for j, origin in enumerate(origins) for o in origin}
        predicted = {(p.old.number, p.new.number) for p in result.pairs if p.old and p.new}
        true_pairs += len(truth)
        found += len(truth & predicted)
        wrong += len(predicted - truth)
    assert found / true_pairs >= 0.95, (found, true_pairs)
    assert wrong / true_pairs <= 0.05, (wrong, true_pairs)


def test_by_number() -> None:
    old = load(_law(["甲。", "乙。", "丙。"]))
    new = load(_law(["甲。", "丁。", "丙。", "戊。"]))
    result = diff(old, new, by="number")
    assert [(p.status, p.old.number if p.old else None, p.new.number if p.new else None) for p in result.pairs] == [
        ("unchanged", 1, 1), ("modified", 2, 2), ("unchanged", 3, 3), ("added", None, 4)]


def test_cli_json_and_markdown(raw_dir: Path, tmp_path: Path) -> None:
    a = str(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    b = str(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    r = runner.invoke(app, ["diff", a, b, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["format"], data["format_version"]) == ("scdocs-diff", 7)
    assert data["outline"] == []  # v6: the JSON lists have no chapters and the same header
    # v5: a pair's stats count as the summary does, normalisation apart; v7: added sections' stats too
    chars = data["summary"]["characters"]
    new_doc = load(b)
    added = [p for p in data["pairs"] if p["status"] == "added"]
    assert all(p["stats"]["inserted"] == len(new_doc.find(p["new"]["eId"]).text) for p in added)
    assert chars["inserted"] == sum(p["stats"]["inserted"] for p in data["pairs"])
    normalised = [p for p in data["pairs"] if p["status"] == "normalised"]
    assert normalised and all(p["stats"]["inserted"] == p["stats"]["deleted"] == 0 and
                              p["normalisation"]["inserted"] > 0 for p in normalised)
    pair = next(p for p in data["pairs"] if p["new"] and p["new"]["number"] == 17)
    assert pair["old"]["num"] == "第十六条" and pair["status"] == "renumbered"
    assert {"old", "new", "status", "similarity", "themes_gained", "themes_lost", "moves"} <= set(pair)
    assert data["summary"]["statuses"]["added"] == 2
    enforcement = [m for m in data["moves"] if m["id"] == "enforcement"]
    assert enforcement and all(m["direction"] == "toward" and m["evidence"] for m in enforcement)
    assert data["summary"]["moves"]["enforcement"]["places"] == len(enforcement)
    assert data["summary"]["toward"] >= 1 and data["summary"]["away"] >= 1
    assert any(s["old"] == "工商行政" and s["new"] == "市场监督" and s["count"] >= 10 for s in data["systematic"])
    out = tmp_path / "diff.md"
    r = runner.invoke(app, ["diff", a, b, "--format", "md", "--output", str(out)])
    assert r.exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert "<del>工商行政</del><ins>市场监督</ins>" in md and "| enforcement | toward |" in md
    assert md.index("## Moves") < md.index("## Systematic changes") < md.index("## Sections")
    r = runner.invoke(app, ["diff", a, b], env={"COLUMNS": "200"})  # the table layout (narrow: stacked)
    assert r.exit_code == 0 and "enforcement" in r.stdout
    assert r.stdout.index("Moves:") < r.stdout.index("Systematic:") < r.stdout.index("old → new")


def test_user_rules_file(raw_dir: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('format_version = 2\n[[rule]]\nid = "licence-revoked"\nkind = "gained"\n'
                     'move = "enforcement"\npattern = "吊销营业执照"\n'
                     'description = "The business licence can be revoked"\n', encoding="utf-8")
    a = str(raw_dir / "enterprise-info-disclosure-regs-2014.json")
    b = str(raw_dir / "enterprise-info-disclosure-regs-2024.json")
    r = runner.invoke(app, ["diff", a, b, "--format", "json", "--rules", str(rules), "--replace-rules"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {r for m in data["moves"] for r in m["rules"]} - {"fine-up", "fine-down"} == {"licence-revoked"}
    from scdocs.changes.moves import DETECTOR_RULES

    assert data["rules"] == ["licence-revoked", *DETECTOR_RULES]  # the file's rules and the program's detectors
    assert {r for m in data["moves"] for r in m["rules"]} <= set(data["rules"])  # every cited rule is listed
    rules.write_text('format_version = 2\n[[rule]]\nid = "x"\nkind = "gained"\nmove = "security"\n'
                     'description = "d"\n', encoding="utf-8")
    r = runner.invoke(app, ["diff", a, b, "--rules", str(rules)])
    assert r.exit_code == 2 and "rule x: missing key 'pattern'" in r.stderr and str(rules) in r.stderr
    rules.write_text('format_version = 1\n[[rule]]\nid = "x"\nkind = "inserted"\npattern = "a"\n'
                     'description = "d"\n', encoding="utf-8")
    r = runner.invoke(app, ["diff", a, b, "--rules", str(rules)])
    assert r.exit_code == 2 and "format_version 1 (flag rules) is replaced by move rules" in r.stderr


def test_articles_without_a_body_are_paired_with_each_other() -> None:
    """A bare 第二条 has no trigrams to compare; it still pairs with the bare article of the other side."""
    text = "示例条例\n第一条　甲乙丙丁。\n第二条\n第三条　戊己庚辛。\n"
    assert [(p.status, p.old.num, p.new.num) for p in diff(load(text), load(text)).pairs] == [  # type: ignore[union-attr]
        ("unchanged", "第一条", "第一条"), ("unchanged", "第二条", "第二条"), ("unchanged", "第三条", "第三条")]
    shorter = load("示例条例\n第一条　甲乙丙丁。\n第二条　戊己庚辛。\n")
    assert [(p.status, p.old.num if p.old else None, p.new.num if p.new else None)
            for p in diff(load(text), shorter).pairs] == [
        ("unchanged", "第一条", "第一条"), ("removed", "第二条", None), ("renumbered", "第三条", "第二条")]


def _versions(tmp_path: Path, old_text: str, new_text: str) -> tuple[Path, Path]:
    """Two versions of a text written as files, old.txt and new.txt."""
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(old_text, encoding="utf-8")
    new.write_text(new_text, encoding="utf-8")
    return old, new


def test_width_and_whitespace_changes_are_normalisation_not_edits(tmp_path: Path) -> None:
    old, new = _versions(tmp_path, "某条例\n第一条　下列信息应当公示:(一)登记信息；(二)处罚信息。\n"
                                   "第二条　违反本条例规定的，由有关部门责令改正，处5万元以下罚款。\n",
                         "某条例\n第一条　下列信息应当公示：（一）登记信息； （二）处罚信息。\n"
                         "第二条　违反本条例规定的，由有关部门责令改正，处10万元以下罚款。\n")
    r = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    first, second = data["pairs"]
    assert first["status"] == "normalised" and first["normalised"]
    assert second["status"] == "modified"
    assert data["summary"]["statuses"]["normalised"] == 1
    assert data["summary"]["characters"] == {"inserted": 2, "deleted": 1}  # 5 → 10, nothing for （ ： or space
    shown = runner.invoke(app, ["diff", str(old), str(new), "--format", "json", "--show-normalisation"])
    assert json.loads(shown.stdout)["pairs"][0]["status"] == "modified"
    text = runner.invoke(app, ["diff", str(old), str(new)], env={"COLUMNS": "200"}).stdout
    assert "第一条 → 第一条" not in text and "第二条 → 第二条" in text  # the normalised pair is not listed


def test_unrelated_documents_get_a_warning(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("甲条例\n" + "".join(f"第{n}条　甲方应当按月报送统计报表{n}份。\n" for n in range(1, 11)),
                 encoding="utf-8")
    b.write_text("乙办法\n" + "".join(f"第{n}条　公园绿地内禁止焚烧落叶第{n}次。\n" for n in range(1, 11)),
                 encoding="utf-8")
    r = runner.invoke(app, ["diff", str(a), str(b), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "may not be versions of one text" in r.stderr
    assert json.loads(r.stdout)["warnings"]
    edited = tmp_path / "a2.txt"
    edited.write_text(a.read_text(encoding="utf-8").replace("1份", "2份"), encoding="utf-8")
    related = runner.invoke(app, ["diff", str(a), str(edited), "--format", "json"])
    assert not json.loads(related.stdout)["warnings"] and "warning" not in related.stderr


@pytest.mark.parametrize("files", [("company-law-2018.md", "company-law-2023.md"),
                                   ("enterprise-info-disclosure-regs-2014.json",
                                    "enterprise-info-disclosure-regs-2024.json")])
def test_systematic_changes_show_words_each_version_has(raw_dir: Path, files: tuple[str, str]) -> None:
    # What a reader is shown of a systematic change is text of the two versions: context from
    # around another edit (由[+过]半数[-以上-]) is never glued onto it into words neither has.
    old, new = (read_path(raw_dir / f) for f in files)
    result = diff(old, new)
    substitutions = [s for s in result.systematic if s.kind == "substitution"]
    assert substitutions
    for s in substitutions:
        shown_old, shown_new = s.shown
        assert shown_old in old.text and shown_new in new.text, s.shown
    if files[0].startswith("company-law"):  # 由[+过]半数[-以上-][+的]: one change (≥ half → > half), not two
        [half] = [s for s in substitutions if "半数" in s.shown[0]]
        assert half.shown[0].endswith("由半数以上") and half.shown[1].endswith("由过半数的")
    # An article's own new number is no renumbered reference: company law renumbers nearly every article.
    [refs] = [s for s in result.systematic if s.kind == "renumbered references"] or [None]
    own = sum(1 for p in result.pairs if p.old and p.new and p.old.num != p.new.num and p.status == "modified")
    assert refs is None or len(refs.places) < own


def test_a_changed_date_is_no_renumbered_reference() -> None:
    tail = "第三条　违反本条例第一条规定的，予以警告。\n"
    old = load("示例条例\n第一条　甲。\n第二条　本条例自2007年1月1日起施行。\n" + tail)
    cited = tail.replace("第一条规定", "第二条规定")
    new = load("示例条例\n第一条　甲。\n第二条　本条例自2024年1月1日起施行。\n" + cited)
    refs = [s for s in diff(old, new).systematic if s.kind == "renumbered references"]
    assert [[n.num for _, n in s.places] for s in refs] == [["第三条"]]  # the citation, not the date


def test_reports_carry_their_warnings_and_say_when_moves_are_filtered(raw_dir: Path) -> None:
    from scdocs.reports.diff_html import render_html
    from scdocs.reports.diff_text import to_markdown

    one = "示例甲\n第一条　天地玄黄宇宙洪荒。\n第二条　日月盈昃辰宿列张。\n第三条　寒来暑往秋收冬藏。\n"
    other = "示例乙\n第一条　个人信息受法律保护。\n第二条　国家建立信用平台。\n第三条　不得泄露商业秘密。\n"
    unrelated = diff(load(one), load(other))
    [warning] = unrelated.warnings
    assert warning.startswith("only 0% of the two documents' sections align")
    assert f"> **Warning:** {warning}" in to_markdown(unrelated)
    assert 'class="warning"' in render_html(unrelated) and "only 0% of the two documents" in render_html(unrelated)
    aml = diff(read_path(raw_dir / "aml-law-2006.md"), read_path(raw_dir / "aml-law-2024.md"))
    aml.only_moves(["enforcement"])
    assert {m.id for m in aml.moves} == {"enforcement"}
    assert aml.headline.endswith("(only enforcement)") and aml.to_dict()["move_filter"] == ["enforcement"]
    renumbered = diff(read_path(raw_dir / "aml-law-2006.md"), read_path(raw_dir / "aml-law-2024.md"), by="number")
    assert any("sections paired by number share little text" in w for w in renumbered.warnings)


def test_a_sanction_handed_to_another_law_is_no_safeguard() -> None:
    head = "示例条例\n第一条　评估机构违反本条例规定，提供虚假评估报告、隐瞒重要事实的，由有关部门责令改正，"
    old = load(head + "处以违法所得一倍以上五倍以下的罚款，并可以吊销其资格证书。\n")
    new = load(head + "依照《中华人民共和国资产评估法》的规定处罚。\n")
    [pair] = diff(old, new).pairs
    assert pair.status == "modified"
    assert not [m for m in pair.moves if m.id == "safeguard"]  # the sanction moved to another law


def test_a_restriction_reworded_wider_is_not_removed_and_values_are_said_once(raw_dir: Path) -> None:
    from scdocs.reports.diff_text import move_line

    result = diff(read_path(raw_dir / "spc-defaulter-list-2013.md"), read_path(raw_dir / "spc-defaulter-list-2017.md"))
    first = next(p for p in result.pairs if p.new is not None and p.new.num == "第一条")
    assert "safeguard" not in {m.id for m in first.moves}  # 限制高消费 → 限制消费令: wider, not removed
    second = next(p for p in result.pairs if p.new is not None and p.new.num == "第二条")
    [limit] = [v for m in second.moves if m.id == "safeguard" for v in m.values]
    assert limit.new is not None and limit.new.text == "期限为二年"  # the limit, not the extension 延长一至三年
    for m in result.moves:
        for v in m.values:
            assert move_line(m).count(v.shown) == 1, move_line(m)
        words = move_line(m).split(" — ")[0].split("; ")
        assert len(words) == len(set(words)), move_line(m)  # the same words in two places: said once
        assert "(old " not in move_line(m) or all(v.old for v in m.values)  # no "— (old 第X条)" for a new tier


def test_the_terminal_report_gives_each_moves_evidence_before_the_sections(raw_dir: Path) -> None:
    from typer.testing import CliRunner

    from scdocs.cli import app

    r = CliRunner().invoke(app, ["diff", str(raw_dir / "spc-defaulter-list-2013.md"),
                                 str(raw_dir / "spc-defaulter-list-2017.md")], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.index("Moves: 0 toward") < out.index("Moves: evidence") < out.index("characters inserted")


def test_versions_are_told_from_two_different_texts_by_one_measure(raw_dir: Path, tmp_path: Path) -> None:
    """diff warns, and annotate migrate refuses, by the share of sections that align closely (what
    compare shows): never for the corpus's revision pairs, always for two laws or two cities' rules."""
    from scdocs.changes.align import align, unrelated_warning
    from scdocs.themes.tagger import taggable_sections

    def warning(a: str, b: str) -> str | None:
        old, new = (taggable_sections(read_path(next(raw_dir.glob(f"{x}.*")))) for x in (a, b))
        return unrelated_warning(align(old, new)[0], len(old), len(new))

    for name in ("aml-law", "company-law", "civil-procedure-law", "enterprise-info-disclosure-regs",
                 "beijing-business-env-regs", "shanghai-business-env-regs", "spc-defaulter-list"):
        versions = sorted(p.stem for p in raw_dir.glob(f"{name}-*"))
        assert len(versions) == 2 and warning(*versions) is None, name
    for a, b in (("pipl-2021", "dsl-2021"),
                 ("tangshan-credit-promotion-regs-2023", "chengde-credit-promotion-regs-2024")):
        assert warning(a, b) is not None, (a, b)
    store = tmp_path / "notes"
    pipl, dsl = str(raw_dir / "pipl-2021.md"), str(raw_dir / "dsl-2021.md")
    r = runner.invoke(app, ["annotate", "add", pipl, "13", "--quote", "个人信息", "--store", str(store)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["annotate", "migrate", pipl, "--to", dsl, "--store", str(store)])
    assert r.exit_code == 2 and "does not look like a version of" in r.stderr and "nothing migrated" in r.stderr


def test_the_readmes_move_rule_fires_as_it_says(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("# my-moves.toml", 1)[1].split("```", 1)[0]
    rules = tmp_path / "my-moves.toml"
    rules.write_text("# my-moves.toml" + block, encoding="utf-8")
    old = "某市信用条例\n第一条　为了规范信用管理，制定本条例。\n第二条　有关部门应当将信用信息归集到信用信息平台。\n"
    d = diff(load(old), load(old.replace("归集到信用", "归集到省级信用")), rules=rules)
    assert [(m.id, m.rules) for m in d.moves] == [("national-system", ["provincial-platform"])]


def test_only_moves_refuses_an_id_that_is_no_move() -> None:
    d = diff(load("某条例\n第一条　甲。\n"), load("某条例\n第一条　乙。\n"))
    with pytest.raises(ValueError, match="not a move id: enforcment"):
        d.only_moves(["enforcment"])


def _template_law(bodies: list[str]) -> str:
    return "模板条例\n" + "".join(f"第{i}条　{b}\n" for i, b in enumerate(bodies, start=1))


def test_a_long_text_of_look_alike_articles_aligns_each_change_in_bounded_pairs() -> None:
    """2,000 articles of one liability template (the case that grew with the square of the article
    count): one edited, one deleted, one inserted and one moved from the start to the end are found
    as such, every other article unchanged or renumbered, and no new unit is compared with more than
    NEAREST + 2 × WINDOW + 1 old ones."""
    from scdocs.changes.align import NEAREST, WINDOW, candidates, unit_grams

    rng = random.Random(3)
    actors = ["个人信息处理者", "行政机关", "信用服务机构", "公共信用信息提供单位"]
    acts = ["归集", "修改", "公开", "查询"]
    bodies = [f"{rng.choice(actors)}违反本条例规定，擅自{rng.choice(acts)}信用信息的，由有关部门责令改正，"
              f"处{rng.randint(1, 99)}万元以上{rng.randint(100, 999)}万元以下罚款。" for _ in range(2000)]
    new = list(bodies)
    new[700] = new[700].replace("责令改正", "责令限期改正")  # edited
    del new[1200]  # deleted
    new.insert(1500, "信用主体有权查询自身信用信息，信息提供单位不得收取费用，也不得设置其他条件。")  # inserted
    new.append(new.pop(5))  # moved from the start to the end
    result = diff(load(_template_law(bodies)), load(_template_law(new)))
    by_status: dict[str, list[tuple[str | None, str | None]]] = {}
    for p in result.pairs:
        by_status.setdefault(p.status, []).append((p.old.num if p.old else None, p.new.num if p.new else None))
    assert by_status["modified"] == [("第701条", "第700条")]
    assert by_status["removed"] == [("第1201条", None)]
    assert by_status["added"] == [(None, "第1500条")]
    assert by_status["moved"] == [("第6条", "第2000条")]
    assert set(by_status) <= {"unchanged", "renumbered", "modified", "removed", "added", "moved"}
    old_g = [unit_grams(b, None) for b in bodies]
    new_g = [unit_grams(b, None) for b in new]
    pairs = candidates(old_g, new_g, 0.3)
    per_new: dict[int, int] = {}
    for _, j in pairs:
        per_new[j] = per_new.get(j, 0) + 1
    assert max(per_new.values()) <= NEAREST + 2 * WINDOW + 1


def test_a_long_text_with_few_fixed_points_is_not_pinned_by_them() -> None:
    """400 articles all edited (有关部门 → 有关主管部门) but one, which moved from 11th to 391st: that one
    unchanged article must not pin the alignment (it made 380 edited articles 'moved')."""
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"

    def sentence(k: int) -> str:
        r = random.Random(k)
        head, tail = ("".join(r.choice(chars) for _ in range(n)) for n in (40, 20))
        return f"{head}有关部门{tail}。"

    old = [sentence(k) for k in range(400)]
    new = [b.replace("有关部门", "有关主管部门") for b in old]
    new[10] = old[10]
    new.insert(390, new.pop(10))
    statuses = [p.status for p in diff(load(_template_law(old)), load(_template_law(new))).pairs]
    assert statuses.count("moved") == 1 and statuses.count("modified") == 399


def test_changes_outside_the_numbered_units_are_reported(tmp_path: Path) -> None:
    """A renamed chapter, an inserted 第一节 and a new adoption note: no article changed, yet the
    diff says what did, in every format (JSON v6 `outline`)."""
    old, new = _versions(tmp_path, "某某条例\n（2024年3月31日某省人民代表大会常务委员会第九次会议通过）\n"
                                   "第一章　总则\n第一条　甲。\n第二章　社会信用体系建设\n第二条　乙。\n",
                         "某某条例\n（2024年3月31日某省人民代表大会常务委员会第十次会议通过）\n"
                         "第一章　总则\n第一条　甲。\n第二章　诚信体系建设\n第一节　政务诚信\n第二条　乙。\n")
    result = diff(load(old), load(new))
    assert {p.status for p in result.pairs} == {"unchanged"}
    assert [c.brief() for c in result.outline] == [
        "chapter renamed: 第二章 社会信用体系建设 → 第二章 诚信体系建设",
        "section added: 第一节 政务诚信",
        "preface modified: …人民代表大会常务委员会第[-九-]{+十+}次会议通过）"]
    data = json.loads(runner.invoke(app, ["diff", str(old), str(new), "--format", "json"]).stdout)
    assert data["outline"][0] == {"kind": "chapter", "status": "renamed",
                                  "old": {"eId": "chp_2", "num": "第二章", "heading": "社会信用体系建设"},
                                  "new": {"eId": "chp_2", "num": "第二章", "heading": "诚信体系建设"}}
    for fmt in ("table", "md", "html"):
        r = runner.invoke(app, ["diff", str(old), str(new), "--format", fmt], env={"COLUMNS": "200"})
        assert r.exit_code == 0 and "第一节 政务诚信" in r.stdout and "诚信体系建设" in r.stdout, fmt


def test_a_chapter_inserted_before_a_renamed_one_is_told_apart() -> None:
    """Containers pair by heading, not by number (the code reviewer's finding: a chapter inserted before a
    renamed one was reported as the renaming); a part that is itself a diffed section is not repeated
    outside the numbered units."""
    old = load("某条例\n第一章　总则\n第一条　甲。\n第二章　信用信息归集\n第二条　乙。\n")
    new = load("某条例\n第一章　总则\n第一条　甲。\n第二章　信用主体权益保护\n第二条　丙。\n"
               "第三章　信用信息采集\n第三条　乙。\n")
    assert [c.brief() for c in diff(old, new).outline] == [
        "chapter added: 第二章 信用主体权益保护", "chapter renamed: 第二章 信用信息归集 → 第三章 信用信息采集"]
    prose = diff(load("某某意见\n一、总体要求\n坚持甲。\n二、重点任务\n推进乙。\n"),
                 load("某某意见\n一、总体要求\n坚持甲。\n二、主要任务\n推进乙。\n"))
    assert prose.outline == [] and [p.status for p in prose.pairs] == ["unchanged", "modified"]


def test_a_chapter_renamed_outright_in_its_place_is_a_renaming() -> None:
    old = load("某条例\n第一章　总则\n第一条　甲。\n第二章　法律责任\n第二条　乙。\n")
    new = load("某条例\n第一章　一般规定\n第一条　甲。\n第二章　法律责任\n第二条　乙。\n")
    assert [c.brief() for c in diff(old, new).outline] == ["chapter renamed: 第一章 总则 → 第一章 一般规定"]


def test_a_fine_with_a_minimum_only_is_compared_on_it(tmp_path: Path) -> None:
    """处一万元以上罚款 → 处五万元以上罚款 raises the fine (the tester's finding: no move); JSON shows the
    missing maximum as null, never Infinity."""
    old, new = _versions(tmp_path, "某条例\n第一条　违反本条例规定的，由有关部门责令改正，处一万元以上罚款。\n",
                         "某条例\n第一条　违反本条例规定的，由有关部门责令改正，处五万元以上罚款。\n")
    r = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert r.exit_code == 0 and "Infinity" not in r.stdout
    [move] = json.loads(r.stdout)["moves"]
    assert move["id"] == "enforcement" and move["values"][0]["old"]["low"] == 10000.0
    assert move["values"][0]["new"] == {"kind": "fine", "low": 50000.0, "high": None, "text": "五万元以上罚款",
                                        "start": 28, "end": 35}


def test_an_english_revision_shows_its_moves(tmp_path: Path) -> None:
    """The tester's finding: English versions gave 'Moves: 0' beside the themes they gained. The rules
    hold English wording, and fines and periods are read in English too."""
    old, new = _versions(
        tmp_path,
        "Example Regulations\n\nArticle 1 The platform shall collect and share credit information.\n\n"
        "Article 2 Violators shall pay a fine of not less than 10,000 yuan. Credit repair shall be available "
        "after the period of 3 years.\n",
        "Example Regulations\n\nArticle 1 The platform shall collect and share credit information under the "
        "leadership of the Communist Party of China.\n\nArticle 2 Violators shall pay a fine of not less than "
        "50,000 yuan. Credit repair shall be available after the period of 5 years.\n")
    found = {m.id: m for m in diff(load(old), load(new)).moves}
    assert {k: m.rules for k, m in found.items()} == {"party-leadership": ["party-leadership-asserted"],
                                                      "enforcement": ["fine-up", "period-up"]}
    assert [v.new.shown for v in found["enforcement"].values if v.new] == ["≥50,000 元", "5 年"]


def _articles(*texts: str) -> str:
    return "某市信用条例\n" + "".join(f"第{n}条　{t}\n" for n, t in zip("一二三四五六七八", texts, strict=False))


def test_a_move_made_in_many_articles_is_a_move_in_each_not_a_renaming() -> None:
    """The tester's finding: 可以 → 应当 (or a county body → a State Council department) in four articles
    was folded into one 'systematic' substitution and no move was left, while two articles showed two."""
    duties = ["行政机关可以将严重失信主体列入失信名单。", "行政机关可以对失信主体实施联合惩戒。",
              "行政机关可以限制失信主体参与政府采购。", "行政机关可以公开失信主体名单。"]
    old = load(_articles("为了规范信用管理，制定本条例。", *duties))
    modal = diff(old, load(_articles("为了规范信用管理，制定本条例。", *(d.replace("可以", "应当") for d in duties))))
    assert [m.id for m in modal.moves] == ["enforcement"] * 4 and not modal.systematic
    assert len({m.group for m in modal.moves}) == 1  # the same change, counted once with its four places
    county = [d.replace("行政机关", "县级以上地方人民政府") for d in duties]
    up = diff(load(_articles("为了规范信用管理，制定本条例。", *county)),
              load(_articles("为了规范信用管理，制定本条例。", *(d.replace("县级以上地方人民政府", "国务院有关部门")
                                                       for d in county))))
    assert [m.id for m in up.moves] == ["central-authority"] * 4 and not up.systematic
    first = "为了规范信用管理，制定本条例。"
    renamed = diff(load(_articles(first, *(d.replace("行政机关", "工商行政管理部门") for d in duties))),
                   load(_articles(first, *(d.replace("行政机关", "市场监督管理部门") for d in duties))))
    assert not renamed.moves and [s.shown for s in renamed.systematic] == [
        ("工商行政管理部门可以", "市场监督管理部门可以")]  # the words both share, not the number's 条 and its space


def test_a_body_renamed_in_part_is_ranked_by_its_whole_name() -> None:
    """[-设区的-]{+省、自治区、直辖+}市人民政府 and [-市-]{+省+}人民政府 move the duty up a level."""
    old = load("某办法\n第三条　设区的市人民政府负责组织实施本办法。\n第四条　市人民政府负责建立信用信息平台。\n")
    new = load("某办法\n第三条　省、自治区、直辖市人民政府负责组织实施本办法。\n"
               "第四条　省人民政府负责建立信用信息平台。\n")
    moves = diff(old, new).moves
    assert [(m.id, m.new.num) for m in moves] == [("central-authority", "第三条"), ("central-authority", "第四条")]


def test_by_number_leaves_no_section_out() -> None:
    """The tester's finding: with --by number, new 第四条 vanished behind 第四条之一, and one of two
    第二条 was dropped; every section is now in the report, and a duplicated number is warned about."""
    old = load(_articles("为了规范。", "信用信息。", "公开。", "统计。"))
    new = load("某市信用条例\n第一条　为了规范。\n第二条　信用信息。\n第三条　公开。\n"
               "第四条　国务院有关部门负责统筹协调工作。\n第四条之一　信用主体有权提出异议。\n第四条　统计。\n")
    result = diff(old, new, by="number")
    assert [(p.old and p.old.num, p.new and p.new.num) for p in result.pairs] == [
        ("第一条", "第一条"), ("第二条", "第二条"), ("第三条", "第三条"), ("第四条", "第四条"), (None, "第四条之一"),
        (None, "第四条")]
    assert any("NEW has more than one section numbered 第四条" in w for w in result.warnings)


def test_an_article_that_gains_a_paragraph_is_modified_not_replaced() -> None:
    """The tester's finding: 第二条 kept word for word with a new paragraph after it was reported as
    removed and added (its Dice similarity is low), losing the in-line diff and its themes."""
    old = load("某条例\n第一条　为了规范信用信息管理，制定本条例。\n第二条　信用主体有权查询自身信用信息。\n"
               "第三条　本条例自公布之日起施行。\n")
    new = load("某条例\n第一条　为了规范信用信息管理，制定本条例。\n第二条　信用主体有权查询自身信用信息。\n"
               "信用主体认为信用信息存在错误、遗漏的，可以向公共信用信息工作机构提出异议申请，该机构应当在五个工作日内"
               "进行核查并作出处理决定。\n第三条　本条例自公布之日起施行。\n")
    result = diff(old, new)
    assert [(p.old and p.old.num, p.new and p.new.num, p.status) for p in result.pairs] == [
        ("第一条", "第一条", "unchanged"), ("第二条", "第二条", "modified"), ("第三条", "第三条", "unchanged")]
    assert [m.id for m in result.moves] == ["safeguard"]
    back = diff(new, old)  # the paragraph dropped: the same article, shortened
    assert [p.status for p in back.pairs] == ["unchanged", "modified", "unchanged"]


def test_an_article_removed_among_look_alikes_is_removed_not_merged() -> None:
    """The tester's findings: with twenty look-alike liability articles, deleting 第十条 was reported as
    two merges and a false safeguard move (10 → 9 万元); with articles that cite their own number, every
    later article came out renumbered. A merge needs the fragment's words in what the whole adds to its
    partner, and equally alike pairs go to the units that kept their number."""
    from scdocs.document.numerals import int_to_chinese as cn

    def law(template: str, skip: int | None = None) -> str:
        return "罚款条例\n" + "".join(template.format(n=cn(i), m=cn(i + 1), i=i) for i in range(1, 21) if i != skip)

    fines = "第{n}条　违反本条例第{m}条规定的，由有关部门责令改正，处{i}万元以下罚款。\n"
    result = diff(load(law(fines)), load(law(fines, skip=10)))
    assert sorted({p.status for p in result.pairs}) == ["removed", "unchanged"]
    assert [p.old.num for p in result.pairs if p.status == "removed"] == ["第十条"]  # type: ignore[union-attr]
    own = "第{n}条　第{n}条的内容，社会信用信息应当依法归集。\n"
    result = diff(load(law(own)), load(law(own, skip=10)))
    assert [p.status for p in result.pairs].count("unchanged") == 19


def test_markdown_marks_changes_beside_punctuation_so_they_render(tmp_path: Path) -> None:
    """The tester's finding: 保护公司、股东**、职工**和债权人 rendered with literal asterisks (CommonMark's
    ** does not open before punctuation); changes are <ins>/<del>, which render wherever they stand."""
    from markdown_it import MarkdownIt

    old, new = _versions(tmp_path, "某条例\n第一条　保护公司、股东和债权人的合法权益。\n",
                         "某条例\n第一条　保护公司、股东、职工和债权人的合法权益。\n")
    md = runner.invoke(app, ["diff", str(old), str(new), "--format", "md"]).stdout
    html = MarkdownIt("commonmark").render(md)
    assert "<ins>、职工</ins>" in html and "**" not in html.split("第一条", 1)[1]


def test_json_gives_added_and_removed_sections_their_text_and_counts(raw_dir: Path) -> None:
    """The tester's finding: an added section (a new Party-leadership clause) had no text in the JSON, and
    the summary's characters (14,610 inserted for the company law) were not the sum of the pairs' stats."""
    r = runner.invoke(app, ["diff", str(raw_dir / "company-law-2018.md"), str(raw_dir / "company-law-2023.md"),
                            "--format", "json"])
    data = json.loads(r.stdout)
    added = [p for p in data["pairs"] if p["status"] == "added"]
    assert added and all(p["diff"][0][0] == "+" and p["stats"]["inserted"] == len(p["diff"][0][1]) for p in added)
    for kind in ("inserted", "deleted"):
        assert sum(p["stats"][kind] for p in data["pairs"]) == data["summary"]["characters"][kind]


def test_a_title_only_side_the_same_text_twice_and_versions_in_the_wrong_order_are_said(tmp_path: Path) -> None:
    """The tester's findings: a file holding only a title was diffed as a version (every article 'added',
    moves counted), the same file twice and NEW older than OLD passed without a word."""
    old, new = _versions(tmp_path, "某条例\n第一条　为了规范。\n", "某条例\n第一条　为了加强规范。\n")
    title = tmp_path / "title.txt"
    title.write_text("某某市社会信用管理条例\n", encoding="utf-8")
    r = runner.invoke(app, ["diff", str(title), str(new)])
    assert r.exit_code == 2 and "no sections to compare" in r.output
    r = runner.invoke(app, ["diff", str(old), str(old), "--format", "json"])
    assert json.loads(r.stdout)["warnings"] == ["OLD and NEW are the same text: nothing changed"]
    backwards = diff(load("某条例\n（2024年1月1日通过）\n第一条　甲。\n"),
                     load("某条例\n（2006年1月1日通过）\n第一条　乙。\n"))
    assert any(w.startswith("NEW is dated 2006-01-01, before OLD (2024-01-01)") for w in backwards.warnings)


def test_a_merge_gains_no_words_its_old_sections_had() -> None:
    """The tester's finding: merging 第三条 and 第四条 (不得泄露个人信息) into one article was reported as a
    safeguard move (+不得泄露): nothing was added, the words came from the other old article."""
    old = load("某条例\n第一条　为了规范。\n第三条　信用服务机构应当依法开展业务。\n"
               "第四条　信用服务机构不得泄露个人信息。\n第五条　施行。\n")
    new = load("某条例\n第一条　为了规范。\n第四条　信用服务机构应当依法开展业务，不得泄露个人信息。\n第五条　施行。\n")
    result = diff(old, new)
    assert [p.status for p in result.pairs].count("merged") == 2 and not result.moves


def test_a_dropped_time_limit_and_a_longer_validity_period_are_moves() -> None:
    """The tester's findings: dropping 五个工作日内 (the mirror of a time limit added, a safeguard) was no
    move, and 名单的有效期为一年 → 三年 was not compared as a period."""
    old = load("某条例\n第三条　信用主体可以提出异议。信用工作机构应当在五个工作日内处理。\n"
               "第四条　失信主体名单的有效期为一年。\n")
    new = load("某条例\n第三条　信用主体可以提出异议。信用工作机构应当及时处理。\n"
               "第四条　失信主体名单的有效期为三年。\n")
    found = {(m.new.num, m.id): m for m in diff(old, new).moves}  # type: ignore[union-attr]
    assert ("第三条", "enforcement") in found and ("第四条", "enforcement") in found
    assert [v.kind for v in found[("第四条", "enforcement")].values] == ["period"]
