"""Charts for corpus-wide views (heatmap, trend lines) as PNG or SVG bytes, with Chinese labels.

matplotlib is an optional extra (`pip install 'scdocs[plots]'`): it is imported only inside
these functions, so `scdocs --help` stays fast and everything but charts works without it. Figures are
built with the object API (`Figure` + the Agg canvas), never pyplot, so no GUI backend or global
figure state is involved. DejaVu Sans, matplotlib's default, has no Chinese glyphs and would
draw every label as empty boxes, so a font that covers the labels is looked up first and a
missing one is a one-line error naming the Debian package to install.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.document.language import HAN
from scdocs.errors import ScdocsError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import Formatter

    from scdocs.reports.views import Comparison, Trend

#: Families tried first, in order: common CJK sans-serif fonts on Linux, macOS and Windows.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Noto Sans SC", "Source Han Sans CN", "SimHei", "Microsoft YaHei", "PingFang SC",
                "Heiti SC", "Hiragino Sans GB", "Noto Sans CJK JP", "Noto Sans CJK TC")
#: Where Debian and Ubuntu packages put them, in case matplotlib's font cache predates the install.
CJK_PATHS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
             "/usr/share/fonts/truetype/arphic/uming.ttc")
FONT_PACKAGES = "fonts-wqy-microhei or fonts-noto-cjk"
FORMATS = ("png", "svg")
DPI = 150
PROBE = "中文"


class FontError(ScdocsError):
    """No usable font for Chinese labels: names the package that provides one."""


class PlotsMissing(ScdocsError):
    """matplotlib is not installed: names the extra that brings it."""


def require_matplotlib() -> None:
    """Fail with one line naming the extra when matplotlib is missing, before any work is done."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise PlotsMissing("charts need matplotlib, which is not installed: "
                           "pip install 'scdocs[plots]'") from None


def chart_format(path: str | os.PathLike[str]) -> str:
    """png or svg, from the file name; anything else is refused before any work is done."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ScdocsError(f"{path}: charts are written as .png or .svg, not {suffix or 'a file without extension'}")
    return suffix


@lru_cache(maxsize=64)
def _charmap(path: str) -> frozenset[int] | None:
    """Code points a font file covers (its first face), or None if it cannot be read as a font."""
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return None


def missing_glyphs(path: str | os.PathLike[str], text: str) -> str:
    """The characters of `text` (non-ASCII, non-space) the font at `path` cannot draw."""
    cmap = _charmap(str(path)) or frozenset()
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) > 127 and not ch.isspace() and ord(ch) not in cmap))


def _candidates() -> Iterator[str]:
    """Font files to try: preferred families, known package paths, then every installed font."""
    from matplotlib import font_manager

    entries = font_manager.fontManager.ttflist
    for family in CJK_FAMILIES:
        for entry in entries:
            if entry.name == family:
                yield entry.fname
    yield from (p for p in CJK_PATHS if os.path.isfile(p))
    yield from sorted({entry.fname for entry in entries})
    yield from sorted(font_manager.findSystemFonts())


def find_cjk_font(text: str = PROBE, override: str | os.PathLike[str] | None = None) -> Path:
    """A font file that draws every character of `text` (and 中文); `override` is checked, not searched.

    Raises FontError with one line naming the Debian package when no installed font will do, and
    PlotsMissing when matplotlib (the `plots` extra) is not installed.
    """
    require_matplotlib()
    text = PROBE + text
    if override is not None:
        path = Path(override).expanduser()
        if not path.is_file():
            raise FontError(f"{path}: font file not found")
        if _charmap(str(path)) is None:
            raise FontError(f"{path}: not a font file matplotlib can read")
        lacking = missing_glyphs(path, text)
        if lacking:
            raise FontError(f"{path}: the font has no glyphs for {lacking[:20]}; choose a CJK font "
                            f"(Debian: apt install {FONT_PACKAGES})")
        return path
    tried: set[str] = set()
    for candidate in _candidates():
        if candidate in tried:
            continue
        tried.add(candidate)
        if _charmap(candidate) is not None and not missing_glyphs(candidate, text):
            return Path(candidate)
    raise FontError(f"no installed font can draw the Chinese labels; install one (Debian/Ubuntu: apt install "
                    f"{FONT_PACKAGES}) or pass --font FILE")


@contextmanager
def _font(path: Path) -> Iterator[None]:
    """matplotlib settings for one chart: the CJK font for every text, self-contained SVG glyphs."""
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": [name, "DejaVu Sans"],
                                "axes.unicode_minus": False, "svg.fonttype": "path", "svg.hashsalt": "scdocs"}):
        yield


def render(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes (rendered in memory, so the caller can write atomically)."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata, bbox_inches="tight")
    return buf.getvalue()


def theme_label(theme: str, labels: dict[str, tuple[str, str]]) -> str:
    """A theme's Chinese label where the taxonomy has one, else its id."""
    zh, _ = labels.get(theme, ("", ""))
    return zh or theme


def compare_text(comparison: Comparison) -> str:
    """Every character the heatmap will draw, for checking the font's coverage up front."""
    return "".join([d.label for d in comparison.documents]
                   + [theme_label(t, comparison.theme_labels) for t in comparison.themes]) + _HEATMAP_WORDS


_HEATMAP_WORDS = "文件主题条文占比各的左下分布余弦右上对齐相似度：，"


def heatmap(comparison: Comparison, font: Path, fmt: str) -> bytes:
    """Two panels: documents × themes shares (in %), and document similarity with the theme-profile
    cosine below the diagonal and the alignment similarity above it, each on its own colour scale
    (aligned text is rare between different regulations; one scale would flatten it to black)."""
    import numpy as np
    from matplotlib.figure import Figure

    docs = [d.label for d in comparison.documents]
    themes = [theme_label(t, comparison.theme_labels) for t in comparison.themes]
    matrix = np.array(comparison.matrix, dtype=float)
    n, m = len(docs), len(themes)
    lower = np.array(comparison.theme_similarity, dtype=float)
    upper = np.array(comparison.alignment_similarity, dtype=float)
    lower[np.triu_indices(n)] = np.nan
    upper[np.tril_indices(n)] = np.nan
    cell = 0.55
    label_width = 0.5 + 0.075 * max((_text_width(d) for d in docs), default=8)
    width = label_width + cell * (m + n) + 3.4
    height = 2.6 + cell * max(n, 4)
    with _font(font):
        fig = Figure(figsize=(width, height), layout="constrained")
        # One row per document across both panels: the right one needs no labels of its own.
        left, right = fig.subplots(1, 2, width_ratios=[max(m, 1), max(n, 1)], sharey=True)
        vmax = max(float(matrix.max()) if matrix.size else 0.0, 0.01)
        im = left.imshow(matrix, cmap="YlOrRd", vmin=0.0, vmax=vmax, aspect="auto")
        _ticks(left, docs, themes)
        left.set_title("各主题条文占比 (%)\nshare of sections per theme", fontsize=10)
        if n * m <= 900:
            for i in range(n):
                for j in range(m):
                    v = matrix[i, j]
                    left.text(j, i, f"{v * 100:.0f}", ha="center", va="center", fontsize=7,
                              color="white" if v > 0.6 * vmax else "#222222")
        fig.colorbar(im, ax=left, shrink=0.8, format=_percent(), pad=0.01)
        amax = max(float(np.nanmax(upper)) if n > 1 else 0.0, 0.05)
        im_lower = right.imshow(lower, cmap=_with_bad("YlGnBu"), vmin=0.0, vmax=1.0, aspect="auto")
        im_upper = right.imshow(upper, cmap=_with_bad("RdPu", alpha=0.0), vmin=0.0, vmax=amax, aspect="auto")
        for k in range(n):  # the diagonal: a document against itself
            right.add_patch(_square(k, "#e8e8e8"))
        _ticks(right, docs, docs)
        right.tick_params(labelleft=False)
        right.set_title("相似度：左下 主题分布余弦，右上 条文对齐\nsimilarity: lower = theme profile cosine, "
                        "upper = share of aligned sections", fontsize=10)
        if n <= 30:
            for i in range(n):
                for j in range(n):
                    if i == j:
                        continue
                    v, top = (upper[i, j], amax) if j > i else (lower[i, j], 1.0)
                    right.text(j, i, f"{v:.2f}".lstrip("0") or "0", ha="center", va="center", fontsize=6,
                               color="white" if v > 0.6 * top else "#222222")
        fig.colorbar(im_lower, ax=right, shrink=0.8, pad=0.01, label="主题余弦 theme cosine")
        fig.colorbar(im_upper, ax=right, shrink=0.8, pad=0.01, label="条文对齐 aligned sections")
        return render(fig, fmt)


def _text_width(text: str) -> int:
    """Width in half-width cells: a Chinese character is about twice as wide as a Latin one."""
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)


def _wrap(label: str) -> str:
    """Chinese labels on short lines (上海 2017 → 上海/2017, 信息归集共享 → 信息归集/共享) so
    they can stay horizontal: rotated Chinese is hard to read."""
    if " " in label:
        return label.replace(" ", "\n", 1)
    if HAN.search(label) and len(label) > 4:
        return "\n".join(label[k: k + 4] for k in range(0, len(label), 4))
    return label


def _ticks(ax: Axes, rows: Sequence[str], cols: Sequence[str]) -> None:
    ax.set_yticks(range(len(rows)), labels=list(rows), fontsize=8)
    wrapped = [_wrap(c) for c in cols]
    if all(len(line) <= 5 for c in wrapped for line in c.split("\n")):
        ax.set_xticks(range(len(cols)), labels=wrapped, fontsize=8)
    else:
        ax.set_xticks(range(len(cols)), labels=list(cols), fontsize=8, rotation=60,
                      ha="right", rotation_mode="anchor")
    ax.tick_params(length=0)


def _square(k: int, colour: str) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((k - 0.5, k - 0.5), 1, 1, facecolor=colour, edgecolor="none")


def _percent() -> Formatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{x * 100:.0f}%")


def _with_bad(name: str, alpha: float = 1.0) -> Colormap:
    """A colormap whose NaN cells are see-through (alpha 0) or light grey."""
    import matplotlib

    return matplotlib.colormaps[name].with_extremes(bad=("#eeeeee", alpha))


def trend_text(trend: Trend) -> str:
    """Every character the trend chart will draw, for checking the font's coverage up front."""
    return "".join([theme_label(t, trend.theme_labels) for t in trend.themes]
                   + [d.label for d in trend.documents]) + _TREND_WORDS


_TREND_WORDS = "主题随时间变化条文占比年份线每年合计点单个文件：—"


def trend_chart(trend: Trend, font: Path, fmt: str) -> bytes:
    """One line per theme through the yearly pooled shares, and a dot per document at its date."""
    from matplotlib.figure import Figure

    shares = trend.document_shares()
    with _font(font):
        fig = Figure(figsize=(8.5, 4.8), layout="constrained")
        ax = fig.subplots()
        colours = [f"C{k % 10}" for k in range(len(trend.themes))]
        for k, theme in enumerate(trend.themes):
            zh = trend.theme_labels.get(theme, ("", ""))[0]
            name = f"{zh} ({theme})" if zh else theme
            xs_line: list[float] = []
            ys_line: list[float] = []
            for i, y in enumerate(trend.years):
                if i and y.year - trend.years[i - 1].year > 1:  # no documents in between: no line either
                    xs_line.append(float("nan"))
                    ys_line.append(float("nan"))
                xs_line.append(y.year + 0.5)
                ys_line.append(y.shares[k])
            ax.plot(xs_line, ys_line, marker="o", color=colours[k], linewidth=2, label=name)
            xs = [_fractional_year(d.date) for d in trend.documents]
            ax.scatter(xs, [s[k] for s in shares], s=18, color=colours[k], alpha=0.45, edgecolors="none")
        ax.set_title("主题随时间变化  theme prevalence over time")
        ax.set_xlabel("年份 year — 线: 每年合计 lines: each year pooled; 点: 单个文件 dots: single documents")
        ax.set_ylabel("条文占比 share of sections")
        ax.yaxis.set_major_formatter(_percent())
        ax.set_ylim(bottom=0)
        if trend.years:
            first, last = trend.years[0].year, trend.years[-1].year
            ax.set_xlim(first - 0.1, last + 1.1)
            step = max(1, (last - first + 1) // 12)
            ax.set_xticks([y + 0.5 for y in range(first, last + 1, step)],
                          labels=[str(y) for y in range(first, last + 1, step)])
            ax.set_xticks(range(first, last + 2), minor=True)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="best")
        return render(fig, fmt)


def _fractional_year(date: str) -> float:
    """2017-06-23 → 2017.47; a date without month or day sits mid-year or mid-month."""
    from scdocs.reports.views import date_parts

    parts = date_parts(date)
    assert parts is not None  # undated documents are left out of a trend
    year, month, day = parts
    try:
        doy = dt.date(year, month or 7, day or (15 if month else 1)).timetuple().tm_yday
    except ValueError:
        doy = 182
    return year + (doy - 0.5) / 366
