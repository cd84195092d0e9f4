"""`scdocs compare` and `scdocs trend`: corpus-wide views of themes across many documents."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scdocs.cli import completion
from scdocs.cli.common import OutputOpt, check_themes, emit, load_doc, select_refs
from scdocs.cli.root import app
from scdocs.cli.tag import ExcelOpt, check_excel, excel_bom
from scdocs.formats.render import percent
from scdocs.reports.plots import theme_label

if TYPE_CHECKING:
    from scdocs.reports.views import Comparison, Trend
    from scdocs.themes.result import DocumentTags
    from scdocs.themes.taxonomy import Taxonomy

#: What `compare` and `trend` compute: each is delivered as a chart, a table, JSON or CSV.
View = TypeVar("View", "Comparison", "Trend")


class ViewFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


DocsArg = Annotated[list[str] | None, typer.Argument(metavar="[DOC]...", autocompletion=completion.corpus_ids,
                                                     show_default=False,
                                                    help="Corpus ids, file paths, URLs or - (standard input).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every fetched corpus document.")]
KindOpt = Annotated[str | None, typer.Option("--kind", metavar="KIND", autocompletion=completion.kinds,
                                             help="Every fetched corpus document of this kind "
                                                  "(e.g. local-regulation; see `scdocs corpus list`).")]
FormatOpt = Annotated[ViewFormat, typer.Option("--format", "-f", help="table (terminal), csv or json.")]
FontOpt = Annotated[Path | None, typer.Option("--font", metavar="FILE",
                                              help="A font file with Chinese glyphs for charts (default: "
                                                   "an installed CJK font).")]
TaxonomyOpt = Annotated[Path | None, typer.Option("--taxonomy", metavar="FILE",
                                                  help="A TOML file that adds themes or overrides patterns.")]
MinScoreOpt = Annotated[float | None, typer.Option("--min-score", metavar="SCORE", min=0.0,
                                                   help="Score a theme needs (default: the taxonomy's).")]


# --------------------------------------------------------------------------------------------
# Shared steps


def _chart_paths(paths: list[Path] | None, refs: list[str]) -> list[tuple[Path, str]]:
    """Chart files with their formats, checked before any work: .png/.svg, a folder that exists, no input."""
    from scdocs.errors import ScdocsError
    from scdocs.reports.plots import chart_format

    out = []
    for path in paths or []:
        fmt = chart_format(path)
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise ScdocsError(f"{path}: the folder {folder} does not exist")
        for ref in refs:
            p = Path(ref)
            if p.exists() and path.exists() and p.resolve() == path.resolve():
                raise ScdocsError(f"{path}: refusing to overwrite the input document")
        out.append((path, fmt))
    return out


def _tag(refs: list[str], taxonomy: Taxonomy, min_score: float | None, themes: list[str]) -> list[DocumentTags]:
    """Load and tag every document (sections batched through one spaCy pipeline), with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from scdocs.themes import tag_many

    err = Console(stderr=True, soft_wrap=True)
    results = []
    with Progress(TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=len(refs) < 2 or not err.is_terminal) as progress:
        task = progress.add_task("tag", total=len(refs))
        for result in tag_many((load_doc(r) for r in refs), taxonomy, min_score, themes):
            results.append(result)
            progress.advance(task)
    return results


def _leave_out_empty(refs: list[str], results: list[DocumentTags]) -> tuple[list[str], list[DocumentTags]]:
    """Documents with no section to count are named on standard error and left out (a share of
    no sections would be a row of zeros that looks like a document without the themes)."""
    kept = [(r, t) for r, t in zip(refs, results, strict=True) if t.sections]
    if len(kept) < len(refs):
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        for r, t in zip(refs, results, strict=True):
            if not t.sections:
                err.print(f"left out {escape(r)}: no sections to count (no numbered units and no text "
                          "outside the title block and closing lines)")
    return [r for r, _ in kept], [t for _, t in kept]


def _write_charts(charts: list[tuple[Path, str]], draw: Callable[[Path, str], bytes], font: Path) -> None:
    """Render each chart in memory and write it atomically."""
    from scdocs.fileio import write_atomic

    err = Console(stderr=True, soft_wrap=True)
    for path, fmt in charts:
        write_atomic(path, draw(font, fmt))
        err.print(f"wrote {path}")


def _no_table_output(fmt: ViewFormat, output: Path | None) -> None:
    if fmt is ViewFormat.table and output is not None:
        from scdocs.cli.root import fail

        fail("the table format prints to the terminal; choose --format csv or json with --output")


def _header(label: str) -> str:
    """A 4-character Chinese theme label on two lines, so 14 themes fit a terminal."""
    if label.isascii() or len(label) <= 2:
        return label
    return "\n".join(label[k: k + 2] for k in range(0, len(label), 2))


def _legend(console: Console, themes: list[str], labels: dict[str, tuple[str, str]]) -> None:
    pairs = [f"{escape(theme_label(t, labels))} {t}" for t in themes if labels.get(t, ("", ""))[0]]
    if pairs:
        console.print("[dim]" + " · ".join(pairs) + "[/]")


# --------------------------------------------------------------------------------------------
# compare


def _print_comparison(c: Comparison) -> None:
    from rich import box

    console = Console(highlight=False)
    styled = console.color_system is not None  # piped: no bold to see, so a mark instead
    distinctive = [{x.theme for x in ds} for ds in c.distinctive]
    table = Table(title="Share of sections per theme (%)", title_justify="left", box=box.SIMPLE_HEAD,
                  caption=f"{'bold' if styled else '*'}: the document's most distinctive themes (see below)",
                  caption_justify="left", pad_edge=False, padding=(0, 1))
    table.add_column("document", no_wrap=True)
    table.add_column("n", justify="right", style="dim")
    for t in c.themes:
        table.add_column(escape(_header(theme_label(t, c.theme_labels))), justify="right", no_wrap=True)
    for d, row, marked in zip(c.documents, c.matrix, distinctive, strict=True):
        cells = []
        for t, v in zip(c.themes, row, strict=True):
            text = f"{v * 100:.0f}"
            mark = f"[bold]{text}[/]" if styled else f"{text}*"
            cells.append(mark if t in marked else (f"[dim]{text}[/]" if v == 0 else text))
        table.add_row(escape(d.label), str(d.sections), *cells)
    console.print(table)
    _legend(console, c.themes, c.theme_labels)

    dist = Table(title="Most distinctive themes: z-score of the log-odds ratio against the other documents "
                       f"(prior {c.prior}); share here vs the rest", title_justify="left", box=box.SIMPLE_HEAD,
                 pad_edge=False)
    dist.add_column("document", no_wrap=True)
    for k in range(1, 4):
        dist.add_column(str(k))
    for d, ds in zip(c.documents, c.distinctive, strict=True):
        cells = [f"{escape(theme_label(x.theme, c.theme_labels))} [dim]z {x.z:.1f} "
                 f"({percent(x.share)} vs {percent(x.rest_share)})[/]" for x in ds]
        dist.add_row(escape(d.label), *(cells + ["[dim]–[/]"] * (3 - len(cells))))
    console.print(dist)

    n = len(c.documents)
    if n <= 15:
        for title, matrix in (("Similarity of theme profiles (cosine of the shares)", c.theme_similarity),
                              (f"Similarity by aligned sections (share of both documents' sections paired at "
                               f"≥ {c.align_threshold})", c.alignment_similarity)):
            sim = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
            sim.add_column("document", no_wrap=True)
            for k in range(1, n + 1):
                sim.add_column(str(k), justify="right", no_wrap=True)
            for i, (d, row) in enumerate(zip(c.documents, matrix, strict=True)):
                sim.add_row(f"{i + 1} {escape(d.label)}",
                            *("[dim]·[/]" if i == j else f"{v:.2f}".lstrip("0") or "0" for j, v in enumerate(row)))
            console.print(sim)
    else:
        pairs = sorted(((c.alignment_similarity[i][j], c.theme_similarity[i][j], i, j)
                        for i in range(n) for j in range(i + 1, n)), reverse=True)[:15]
        sim = Table(title="Most similar pairs", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for col in ("document", "document", "aligned sections", "theme cosine"):
            sim.add_column(col, justify="right" if col != "document" else "left")
        for aligned, cosine, i, j in pairs:
            sim.add_row(escape(c.documents[i].label), escape(c.documents[j].label), f"{aligned:.2f}", f"{cosine:.2f}")
        console.print(sim)


def _deliver(result: View, charts: list[tuple[Path, str]], font: Path | None, fmt: ViewFormat,
             show: Callable[[View], None], output: Path | None, refs: list[str], excel: bool | None = None) -> None:
    """Write the charts (with a font that has every glyph they need), then the table, JSON or CSV.
    A Comparison is drawn as a heatmap, a Trend as a line chart."""
    if charts:
        from scdocs.reports import plots
        from scdocs.reports.views import Comparison

        if isinstance(result, Comparison):
            font_path = plots.find_cjk_font(plots.compare_text(result), override=font)
            _write_charts(charts, lambda f, k: plots.heatmap(result, f, k), font_path)
        else:
            font_path = plots.find_cjk_font(plots.trend_text(result), override=font)
            _write_charts(charts, lambda f, k: plots.trend_chart(result, f, k), font_path)
    if fmt is ViewFormat.table:
        show(result)
        return
    emit(result.to_json() if fmt is ViewFormat.json else result.to_csv(bom=excel_bom(excel, output)), output,
         inputs=tuple(refs))


def _themes_asked(taxonomy: Path | None, theme: list[str] | None) -> tuple[Taxonomy, list[str]]:
    """The taxonomy and the --theme ids, checked before any document is chosen or read: a mistyped
    theme is one error line, not the last line after notes about the documents."""
    from scdocs.themes import load_taxonomy

    tax = load_taxonomy(str(taxonomy) if taxonomy else None)
    return tax, check_themes(theme, tax)


def _prepare(refs: list[str], charts: list[tuple[Path, str]], font: Path | None, tax: Taxonomy,
             themes: list[str], min_score: float | None) -> list[DocumentTags]:
    """Check the font before any work (no CJK font at all fails at once), then tag the documents."""
    if charts:
        from scdocs.reports.plots import find_cjk_font

        find_cjk_font(override=font)
    return _tag(refs, tax, min_score, themes)


@app.command()
def compare(
    docs: DocsArg = None,
    all_docs: AllOpt = False,
    kind: KindOpt = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", metavar="ID", autocompletion=completion.themes,
                                                    help="Only these themes (repeatable; default all).")] = None,
    fmt: FormatOpt = ViewFormat.table,
    heatmap: Annotated[list[Path] | None, typer.Option("--heatmap", metavar="FILE",
                                                       help="Write a heatmap, FILE.png or FILE.svg "
                                                            "(repeatable).")] = None,
    font: FontOpt = None,
    taxonomy: TaxonomyOpt = None,
    min_score: MinScoreOpt = None,
    excel: ExcelOpt = None,
    output: OutputOpt = None,
) -> None:
    """Compare documents by theme: the share of sections per theme, each document's most
    distinctive themes, and how alike documents are by theme profile and by aligned text.

    Distinctive themes are ranked by the z-score of the log-odds ratio (prior 0.5) of a section
    carrying the theme in the document against the other documents pooled. Text similarity is the
    share of both documents' sections that alignment pairs at a similarity of at least 0.5.

    Examples:

      scdocs compare --kind local-regulation

      scdocs compare shanghai-credit-regs-2017 shandong-credit-regs-2020 shenzhen-credit-regs-2022

      scdocs compare --kind local-regulation --heatmap themes.png --heatmap themes.svg

      scdocs compare --all --format json --output compare.json
    """
    from scdocs.reports.views import compare as compare_documents
    from scdocs.reports.views import theme_labels_of

    _no_table_output(fmt, output)
    check_excel(excel, fmt is ViewFormat.csv)
    tax, themes = _themes_asked(taxonomy, theme)
    refs = select_refs(docs, all_docs, kind or "")
    if len(refs) < 2:
        from scdocs.cli.root import fail

        given_twice = " (the same one given twice counts once)" if docs and len(docs) > len(refs) else ""
        fail(f"give at least two different DOCs (corpus ids, files or URLs){given_twice}, --all or --kind KIND")
    charts = _chart_paths(heatmap, refs)
    results = _prepare(refs, charts, font, tax, themes, min_score)
    refs, results = _leave_out_empty(refs, results)
    if len(refs) < 2:
        from scdocs.cli.root import fail

        fail("fewer than two documents have sections to compare")

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True, soft_wrap=True)
    n = len(results)
    with Progress(TextColumn("aligning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("align", total=n * (n - 1) // 2)
        comparison = compare_documents(results, themes, refs, theme_labels_of(tax, themes),
                                       on_pair=lambda: progress.advance(task))
    _deliver(comparison, charts, font, fmt, _print_comparison, output, refs, excel)


# --------------------------------------------------------------------------------------------
# trend


def _print_trend(t: Trend) -> None:
    from rich import box

    console = Console(highlight=False)
    by_year = Table(title="By year (documents pooled)", title_justify="left", box=box.SIMPLE_HEAD,
                    caption="sections with the theme (share of sections)", caption_justify="left", pad_edge=False)
    by_year.add_column("year", no_wrap=True)
    by_year.add_column("documents", justify="right")
    by_year.add_column("sections", justify="right")
    for theme in t.themes:
        by_year.add_column(escape(theme_label(theme, t.theme_labels)), justify="right", no_wrap=True)
    for y in t.years:
        by_year.add_row(str(y.year), str(len(y.documents)), str(y.sections),
                        *(f"{k} [dim]({percent(s)})[/]" for k, s in zip(y.counts, y.shares, strict=True)))
    console.print(by_year)
    by_doc = Table(title="By document", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    by_doc.add_column("date", no_wrap=True)
    by_doc.add_column("document", no_wrap=True)
    by_doc.add_column("sections", justify="right")
    for theme in t.themes:
        by_doc.add_column(escape(theme_label(theme, t.theme_labels)), justify="right", no_wrap=True)
    for d, row, shares in zip(t.documents, t.counts, t.document_shares(), strict=True):
        by_doc.add_row(escape(d.date), escape(d.label), str(d.sections),
                       *(f"{k} [dim]({percent(s)})[/]" for k, s in zip(row, shares, strict=True)))
    console.print(by_doc)
    _legend(console, t.themes, t.theme_labels)


@app.command()
def trend(
    theme: Annotated[list[str], typer.Option("--theme", metavar="ID", autocompletion=completion.themes,
                                             show_default=False,
                                             help="A theme to follow (repeatable; see `scdocs themes`).")],
    docs: DocsArg = None,
    all_docs: AllOpt = False,
    kind: KindOpt = None,
    fmt: FormatOpt = ViewFormat.table,
    chart: Annotated[list[Path] | None, typer.Option("--chart", metavar="FILE",
                                                     help="Write a line chart, FILE.png or FILE.svg "
                                                          "(repeatable).")] = None,
    font: FontOpt = None,
    taxonomy: TaxonomyOpt = None,
    min_score: MinScoreOpt = None,
    excel: ExcelOpt = None,
    output: OutputOpt = None,
) -> None:
    """Follow themes over time: the share of sections carrying each theme, per document by date
    and per year (a year's documents pooled). Documents without a date are reported and left out.

    Examples:

      scdocs trend --theme blacklisting --theme personal-information --all

      scdocs trend --theme joint-punishment --kind local-regulation --chart joint-punishment.png

      scdocs trend --theme data-security --all --format csv --output trend.csv
    """
    from scdocs.reports.views import theme_labels_of
    from scdocs.reports.views import trend as trend_of

    _no_table_output(fmt, output)
    check_excel(excel, fmt is ViewFormat.csv)
    tax, themes = _themes_asked(taxonomy, theme)
    refs = select_refs(docs, all_docs, kind or "")
    charts = _chart_paths(chart, refs)
    results = _prepare(refs, charts, font, tax, themes, min_score)
    refs, results = _leave_out_empty(refs, results)
    if not refs:
        from scdocs.cli.root import fail

        fail("none of the documents has sections to count")
    t = trend_of(results, themes, refs, theme_labels_of(tax, themes))
    if t.undated:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"left out {len(t.undated)} without a date: {escape(', '.join(d.id for d in t.undated))} "
            "(no date in the catalogue, nor on the header or closing lines)")
    if not t.documents:
        from scdocs.cli.root import fail

        fail("none of the documents has a date")
    _deliver(t, charts, font, fmt, _print_trend, output, refs, excel)
