"""Corpus-wide views: `scdocs compare` and `scdocs trend` agree with the tagger, and draw readable charts."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.corpus.catalogue import Catalogue, catalogue_dir
from scdocs.reports.views import alignment_similarity, log_odds_ratio, log_odds_z, short_labels
from scdocs.themes import CORE_THEME_IDS, DocumentTags, tag

runner = CliRunner()

REGULATIONS = [
    "shanghai-credit-regs-2017", "shandong-credit-regs-2020", "shenzhen-credit-regs-2022",
    "zhejiang-public-credit-info-regs-2017", "xinjiang-credit-regs-2024", "ningxia-credit-regs-2023",
    "hebei-credit-info-regs-2023", "shenyang-credit-regs-2023", "tangshan-credit-promotion-regs-2023",
    "chengde-credit-promotion-regs-2024", "zhangye-credit-promotion-regs-2023",
    "hainan-ftp-market-entry-dishonesty-rules-2023",
]
#: `--kind local-regulation` also selects these four business-environment regulations.
BUSINESS_ENV = ["beijing-business-env-regs-2020", "beijing-business-env-regs-2024",
                "shanghai-business-env-regs-2020", "shanghai-business-env-regs-2024"]
TREND_THEMES = ["blacklisting", "personal-information"]
WIDE = {"COLUMNS": "220"}


def invoke(data: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--data-dir", str(data), *args], env=env)


@pytest.fixture(scope="module")
def data(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fetched corpus for the whole module (texts come from the mirror, never the repository)."""
    folder = tmp_path_factory.mktemp("views-data")
    result = invoke(folder, "corpus", "fetch", "--from", str(raw_dir))
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def tags(data: Path) -> dict[str, DocumentTags]:
    """The tagger's own per-document output, one `tag()` call per document, to check the views against."""
    catalogue = Catalogue.from_dirs(catalogue_dir(), data)
    ids = [i for i in catalogue.ids() if catalogue.is_fetched(i)]
    return {i: tag(catalogue.load(i)) for i in ids}


def expected_share(result: DocumentTags, theme: str) -> float:
    return sum(1 for st in result.sections if theme in st.theme_ids) / len(result.sections)


@pytest.fixture(scope="module")
def compared(data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One `compare` run over the twelve credit regulations: JSON, a PNG and an SVG heatmap."""
    out = tmp_path_factory.mktemp("compare")
    png, svg, js = out / "heatmap.png", out / "heatmap.svg", out / "compare.json"
    result = invoke(data, "compare", *REGULATIONS, "--format", "json", "--output", str(js),
                    "--heatmap", str(png), "--heatmap", str(svg))
    assert result.exit_code == 0, result.output
    return {"json": json.loads(js.read_text(encoding="utf-8")), "png": png, "svg": svg, "stderr": result.stderr}


def test_kind_local_regulation_selects_the_twelve_and_four_business_environment_regulations(data: Path) -> None:
    listed = invoke(data, "corpus", "list", "--json")
    assert listed.exit_code == 0, listed.output
    entries = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    local = {e["id"] for e in entries if e["kind"] == "local-regulation" and e["fetched"]}
    assert set(REGULATIONS) <= local
    assert local - set(REGULATIONS) == set(BUSINESS_ENV)  # the discrepancy: hence explicit ids below
    result = invoke(data, "compare", "--kind", "local-regulation", "--format", "json", "--theme", "blacklisting")
    assert result.exit_code == 0, result.output
    assert {d["id"] for d in json.loads(result.stdout)["documents"]} == local


def test_matrix_agrees_with_the_tagger(compared: dict[str, object], tags: dict[str, DocumentTags]) -> None:
    out = compared["json"]
    assert isinstance(out, dict)
    assert out["format"] == "scdocs-compare" and out["format_version"] == 1
    assert [d["id"] for d in out["documents"]] == REGULATIONS
    themes = [t["id"] for t in out["themes"]]
    assert themes == list(CORE_THEME_IDS)
    assert len(out["matrix"]) == 12 and all(len(row) == len(themes) for row in out["matrix"])
    for doc, row, counts in zip(out["documents"], out["matrix"], out["counts"], strict=True):
        own = tags[doc["id"]]
        assert doc["sections"] == len(own.sections)
        profile = own.profile()
        for theme, cell, count in zip(themes, row, counts, strict=True):
            assert count == profile.get(theme, 0)
            assert cell == pytest.approx(expected_share(own, theme), abs=1e-6), (doc["id"], theme)
    labels = [d["label"] for d in out["documents"]]
    assert len(set(labels)) == 12 and "上海 2017" in labels and "海南 2023" in labels


def test_distinctive_themes(compared: dict[str, object]) -> None:
    out = compared["json"]
    assert isinstance(out, dict)
    themes = [t["id"] for t in out["themes"]]
    counts, sizes = out["counts"], [d["sections"] for d in out["documents"]]
    assert set(out["distinctive"]) == set(REGULATIONS)
    for i, doc in enumerate(out["documents"]):
        top = out["distinctive"][doc["id"]]
        assert 1 <= len(top) <= 3
        assert [x["z"] for x in top] == sorted((x["z"] for x in top), reverse=True)
        for x in top:
            t = themes.index(x["theme"])
            k, n = counts[i][t], sizes[i]
            k_rest = sum(row[t] for row in counts) - k
            n_rest = sum(sizes) - n
            assert k > 0 and x["log_odds"] > 0 and x["share"] > x["rest_share"]
            assert x["log_odds"] == pytest.approx(log_odds_ratio(k, n, k_rest, n_rest), abs=1e-4)
            assert x["z"] == pytest.approx(log_odds_z(k, n, k_rest, n_rest), abs=1e-4)
    # The Hainan rules on dishonesty are about blacklisting above all.
    assert out["distinctive"]["hainan-ftp-market-entry-dishonesty-rules-2023"][0]["theme"] == "blacklisting"


def test_similarity_matrices(compared: dict[str, object], tags: dict[str, DocumentTags]) -> None:
    out = compared["json"]
    assert isinstance(out, dict)
    for name in ("themes", "alignment"):
        m = out["similarity"][name]
        assert len(m) == 12 and all(len(row) == 12 for row in m)
        for i in range(12):
            assert m[i][i] == 1.0
            for j in range(12):
                assert m[i][j] == m[j][i]
                assert 0.0 <= m[i][j] <= 1.0
    shares = out["matrix"]
    a, b = 0, 1
    dot = sum(x * y for x, y in zip(shares[a], shares[b], strict=True))
    norms = math.sqrt(sum(x * x for x in shares[a])) * math.sqrt(sum(x * x for x in shares[b]))
    assert out["similarity"]["themes"][a][b] == pytest.approx(dot / norms, abs=1e-5)
    units = [[st.section for st in tags[i].sections] for i in REGULATIONS[:2]]
    assert out["similarity"]["alignment"][a][b] == pytest.approx(alignment_similarity(*units), abs=1e-6)
    one = units[0]
    assert alignment_similarity(one, one) == 1.0


def test_heatmaps_are_real_images_with_chinese_labels(compared: dict[str, object]) -> None:
    import numpy as np
    from matplotlib.ft2font import FT2Font
    from matplotlib.image import imread

    from scdocs.reports.plots import find_cjk_font

    png, svg = compared["png"], compared["svg"]
    assert isinstance(png, Path) and isinstance(svg, Path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000
    pixels = imread(png)
    assert pixels.shape[0] > 500 and pixels.shape[1] > 1000
    colours = np.unique((pixels[::3, ::3, :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 200
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    # Labels are drawn as glyph paths of the CJK font (named by font and glyph index) or kept as text.
    font = FT2Font(str(find_cjk_font()))
    for label in ("上海", "海南", "张掖", "失信名单", "信息归集共享", "相似度"):
        for ch in label:
            glyph = f"{font.postscript_name}-{font.get_char_index(ord(ch)):x}"
            assert ch in text or f'id="{glyph}"' in text, (label, ch)
    assert "wrote" in str(compared["stderr"])


def test_table_and_csv(data: Path, tags: dict[str, DocumentTags]) -> None:
    table = invoke(data, "compare", *REGULATIONS, env=WIDE)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert "Share of sections per theme" in table.stdout and "Most distinctive themes" in table.stdout
    for doc_id, label in (("shanghai-credit-regs-2017", "上海 2017"), ("hainan-ftp-market-entry-dishonesty-rules-2023",
                                                                        "海南 2023")):
        row = next(line for line in lines if line.strip().startswith(label))
        cells = row.strip().removeprefix(label).split()
        own = tags[doc_id]
        assert cells[0] == str(len(own.sections))
        # Piped, there is no bold: the most distinctive themes (three at most) are marked with *.
        assert 1 <= sum(c.endswith("*") for c in cells[1:]) <= 3
        assert [c.rstrip("*") for c in cells[1:]] == [f"{expected_share(own, t) * 100:.0f}" for t in CORE_THEME_IDS]
    assert "*: the document's most distinctive themes" in table.stdout

    result = invoke(data, "compare", *REGULATIONS[:4], "--format", "csv")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes.decode("utf-8")
    assert raw.count("\r\n") == 5 and "\n" not in raw.replace("\r\n", "")  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["format_version", "document", "label", "title", "date", "kind", "sections"]
    assert len(body) == 4 and all(r[0] == "1" and len(r) == len(header) for r in body)
    for r in body:
        own = tags[r[1]]
        for t in CORE_THEME_IDS:
            assert float(r[header.index(f"share:{t}")]) == pytest.approx(expected_share(own, t), abs=1e-6)
        assert float(r[header.index(f"theme_similarity:{r[1]}")]) == 1.0
        assert float(r[header.index(f"alignment_similarity:{r[1]}")]) == 1.0


def test_trend_agrees_with_the_tagger(data: Path, tags: dict[str, DocumentTags], tmp_path: Path) -> None:
    chart = tmp_path / "trend.png"
    args = ["trend", "--all", *[a for t in TREND_THEMES for a in ("--theme", t)]]
    table = invoke(data, *args, "--chart", str(chart), env=WIDE)
    assert table.exit_code == 0, table.output
    assert chart.stat().st_size > 20_000
    catalogue = Catalogue.from_dirs(catalogue_dir(), data)
    lines = table.stdout.splitlines()
    for doc_id in ("shanghai-credit-regs-2017", "pipl-2021", "hainan-ftp-market-entry-dishonesty-rules-2023"):
        own = tags[doc_id]
        row = next(line for line in lines if line.strip().startswith(catalogue.get(doc_id).date))
        expected = [f"{sum(1 for st in own.sections if t in st.theme_ids)} ({expected_share(own, t):.0%})"
                    for t in TREND_THEMES]
        assert row.split()[-5:] == [str(len(own.sections)), *" ".join(expected).split()], row

    result = invoke(data, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["format"] == "scdocs-trend" and out["format_version"] == 1
    assert {d["id"] for d in out["documents"]} == set(tags) and out["undated"] == []
    assert [d["date"] for d in out["documents"]] == sorted(d["date"] for d in out["documents"])
    for d in out["documents"]:
        for t in TREND_THEMES:
            assert d["shares"][t] == pytest.approx(expected_share(tags[d["id"]], t), abs=1e-6)
    for year in out["years"]:
        members = [tags[i] for i in year["documents"]]
        assert year["sections"] == sum(len(m.sections) for m in members)
        for t in TREND_THEMES:
            count = sum(1 for m in members for st in m.sections if t in st.theme_ids)
            assert year["counts"][t] == count
            assert year["shares"][t] == pytest.approx(count / year["sections"], abs=1e-6)


def test_trend_reports_and_leaves_out_undated_documents(data: Path, tmp_path: Path) -> None:
    undated = tmp_path / "undated-rules.txt"
    undated.write_text("示例信用条例\n第一条　为了推进社会信用体系建设，制定本条例。\n"
                       "第二条　失信被执行人名单应当依法公布。\n", encoding="utf-8")
    result = invoke(data, "trend", "--theme", "blacklisting", str(undated), "shanghai-credit-regs-2017",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "left out 1 without a date: undated-rules" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [(r["level"], r["document"]) for r in rows] == [("year", "shanghai-credit-regs-2017"),
                                                            ("document", "shanghai-credit-regs-2017")]
    assert all(r["format_version"] == "1" for r in rows)


def test_missing_cjk_font_is_one_error_line(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    png = tmp_path / "h.png"
    result = invoke(data, "compare", *REGULATIONS[:2], "--heatmap", str(png), "--font", "/nonexistent.ttf")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["error: /nonexistent.ttf: font file not found"]
    assert not png.exists()

    from scdocs.reports import plots

    monkeypatch.setattr(plots, "_candidates", lambda: iter(()))
    result = invoke(data, "trend", "--theme", "blacklisting", *REGULATIONS[:2], "--chart", str(png))
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "fonts-wqy-microhei" in lines[0] and "--font" in lines[0]
    assert not png.exists()

    latin = next((f for f in (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),) if f.exists()), None)
    if latin is None:
        import matplotlib

        latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    result = invoke(data, "compare", *REGULATIONS[:2], "--heatmap", str(png), "--font", str(latin))
    assert result.exit_code == 2 and "no glyphs for" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_requests(data: Path, tmp_path: Path) -> None:
    one = invoke(data, "compare", REGULATIONS[0])
    assert one.exit_code == 2 and "at least two" in one.stderr
    kind = invoke(data, "compare", "--kind", "no-such-kind")
    assert kind.exit_code == 2 and "unknown kind" in kind.stderr
    chart = invoke(data, "compare", *REGULATIONS[:2], "--heatmap", str(tmp_path / "h.pdf"))
    assert chart.exit_code == 2 and ".png or .svg" in chart.stderr
    theme = invoke(data, "trend", "--theme", "no-such-theme", REGULATIONS[0])
    assert theme.exit_code == 2 and "unknown theme" in theme.stderr


def test_short_labels() -> None:
    titles = ["上海市社会信用条例", "上海市优化营商环境条例", "新疆维吾尔自治区社会信用条例",
              "深圳经济特区社会信用条例", "中华人民共和国个人信息保护法",
              "国务院办公厅关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见"]
    dates = ["2017-06-23", "2020-04-10", "2024-03-31", "2022-12-29", "2021-08-20", "2019-01-22"]
    ids = ["sh-credit", "sh-env", "xj", "sz", "pipl-2021", "guobanfa-2019-6"]
    assert short_labels(titles, dates, ids) == ["上海信用 2017", "上海营商 2020", "新疆 2024", "深圳 2022",
                                                "个人信息保护法 2021", "有效发挥政府性…意见 2019"]
    assert short_labels(["公司法", "公司法"], ["2018", "2018"], ["a", "b"]) == ["a", "b"]


def test_an_unknown_theme_is_the_only_line_before_any_document_is_read(fetched: None) -> None:
    """The tester's finding: compare and trend printed notes about the documents, then the error."""
    for command in ("compare", "trend"):
        r = runner.invoke(app, [command, "--all", "--theme", "nosuch"])
        assert r.exit_code == 2
        assert r.stderr.strip().splitlines() == ["error: unknown theme 'nosuch'; see `scdocs themes`"]


def test_a_small_share_is_never_shown_as_none() -> None:
    """The tester's finding: 3 sections of 862 read '3 (0%)'."""
    from scdocs.formats.render import percent as _share

    assert [_share(x) for x in (0, 3 / 862, 0.0004, 0.456)] == ["0%", "0.3%", "<0.1%", "46%"]
