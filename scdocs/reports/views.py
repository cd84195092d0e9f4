"""Corpus-wide views: how themes are spread over many documents, how alike documents are, and how
theme prevalence moves with time.

Pure functions over the tagger's own output (`DocumentTags`): the numbers here are always
recomputable from `scdocs.themes.tag` on the same documents, so a view never disagrees with
`scdocs tag`. Rendering (terminal, charts) lives in the command line and `reports.plots`.

Definitions:

- **share** of a theme in a document: sections tagged with it / taggable sections
  (`DocumentTags.profile()[theme] / len(DocumentTags.sections)`).
- **distinctiveness** of a theme for a document: the log-odds ratio, with a prior of 0.5
  sections in each cell (Haldane–Anscombe), of a section of this document carrying the theme
  against a section of the other documents pooled,
  ``δ = ln((k + a) / (n - k + a)) - ln((K + a) / (N - K + a))``, ranked by its z-score
  ``δ / sqrt(Σ 1 / (cell + a))`` (Monroe, Colaresi & Quinn 2008, "Fightin' Words"). A difference
  of shares would be dominated by the themes every document is full of (35% against 30%
  outranks 10% against 2%); the log-odds scale weighs rare and common themes alike; the small
  prior keeps zero counts finite; and ranking by z keeps a theme found in one or two sections
  (2% against 0.5%: a large δ resting on one count) from outranking a well-supported difference.
- **theme similarity** of two documents: the cosine of their share vectors.
- **alignment similarity**: the share of both documents' taggable sections that `changes.align`
  pairs with a trigram similarity of at least 0.5: ``(paired_a + paired_b) / (n_a + n_b)``.
  It is computed once per unordered pair, so the matrix is symmetric, and is 1.0 on the diagonal.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.changes.align import SHARED_SIMILARITY as ALIGN_THRESHOLD  # a pair of sections that shares text
from scdocs.document.language import HAN
from scdocs.document.model import Document, Section
from scdocs.errors import ScdocsError
from scdocs.formats.render import csv_text
from scdocs.themes.result import DocumentTags

if TYPE_CHECKING:
    from scdocs.themes.taxonomy import Taxonomy

COMPARE_FORMAT = "scdocs-compare"
COMPARE_FORMAT_VERSION = 1
TREND_FORMAT = "scdocs-trend"
TREND_FORMAT_VERSION = 1
PRIOR = 0.5  # pseudo-sections added to each cell of the log-odds ratio
TOP_DISTINCTIVE = 3
DIGITS = 6  # rounding of shares and similarities in CSV and JSON

_DATE = re.compile(r"^\s*(\d{4})(?:\D{1,2}(\d{1,2}))?(?:\D{1,2}(\d{1,2}))?")
_PLACE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,3}?)"
                    r"(?:(?:维吾尔|[\u4e00-\u9fff]{1,2}族)?自治[区州县]|经济特区|自由贸易港|特别行政区|省|市)")
_RULE_SUFFIX = re.compile(r"(?:实施办法|若干规定|实施细则|条例|规定|办法|决定)$")


# --------------------------------------------------------------------------------------------
# Documents and their labels


@dataclass(frozen=True)
class DocInfo:
    """What a view shows about a document: a unique id, a short label and its metadata."""

    id: str
    label: str
    title: str
    date: str
    kind: str
    sections: int

    @property
    def year(self) -> int | None:
        parts = date_parts(self.date)
        return parts[0] if parts else None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "title": self.title, "date": self.date, "kind": self.kind,
                "sections": self.sections}


def document_id(doc: Document, fallback: str = "") -> str:
    """The corpus id, else the file's stem, else the title: a name a reader can look up."""
    meta = doc.meta
    if meta.extra.get("id"):
        return str(meta.extra["id"])
    if fallback:
        return Path(fallback).stem if not fallback.startswith(("http://", "https://")) else fallback
    if meta.source:
        return Path(meta.source).stem
    return meta.title or "document"


def date_parts(date: str) -> tuple[int, int, int] | None:
    """(year, month, day) of 2017-06-23, 2017-06, 2017 or 2017年6月23日; missing parts are 0."""
    m = _DATE.match(date or "")
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)


def year_of(date: str) -> str:
    parts = date_parts(date)
    return str(parts[0]) if parts else ""


def _place_and_topic(title: str) -> tuple[str, str]:
    """("上海", "信用") from 上海市社会信用条例; ("", "") when the title names no place."""
    m = _PLACE.match(title)
    if not m:
        return "", ""
    rest = _RULE_SUFFIX.sub("", title[m.end():])
    for key, short in (("营商环境", "营商"), ("信用", "信用"), ("失信", "失信"), ("数据", "数据")):
        if key in rest:
            return m.group("place"), short
    return m.group("place"), rest[:4]


def short_labels(titles: Sequence[str], dates: Sequence[str], ids: Sequence[str]) -> list[str]:
    """Short, unique labels for charts and tables, because catalogue titles run to 40 characters.

    A local text becomes its place and year (上海 2017); where the set holds several texts of one
    place, the subject is added (上海信用 2017, 上海营商 2020); a national text with a short title
    keeps it without 中华人民共和国 (公司法 2023); anything else, or anything still ambiguous, is
    named by its id.
    """
    places = [_place_and_topic(t.strip())[0] for t in titles]
    repeated = {p for p in places if p and places.count(p) > 1}

    def candidate(title: str, date: str, doc_id: str) -> str:
        title = title.strip().removeprefix("中华人民共和国")
        year = year_of(date)
        suffix = f" {year}" if year else ""
        place, topic = _place_and_topic(title)
        if place:
            return f"{place}{topic if place in repeated else ''}{suffix}"
        if title and len(title) <= 10 and HAN.search(title):
            return f"{title}{suffix}"
        m = re.search(r"关于(.+?)的?(意见|规定|办法|通知|决定|纲要)$", title)
        if m:  # 关于推进社会信用体系建设…的意见 → 推进社会信用体系…意见
            core = m.group(1)
            return f"{core[:7]}{'…' if len(core) > 7 else ''}{m.group(2)}{suffix}"
        return doc_id

    labels = [candidate(t, d, i) for t, d, i in zip(titles, dates, ids, strict=True)]
    return [i if labels.count(label) > 1 else label for label, i in zip(labels, ids, strict=True)]


def unique_ids(ids: Sequence[str]) -> list[str]:
    """Ids made unique (a-2, a-3), so JSON keyed by document never loses one."""
    out: list[str] = []
    seen: set[str] = set()
    for i in ids:
        name, n = i, 1
        while name in seen:
            n += 1
            name = f"{i}-{n}"
        seen.add(name)
        out.append(name)
    return out


def describe(tags: Sequence[DocumentTags], refs: Sequence[str] | None = None) -> list[DocInfo]:
    """DocInfo for each tagged document; `refs` (what the user typed) names documents outside the corpus."""
    refs = list(refs) if refs is not None else [""] * len(tags)
    ids = unique_ids([document_id(t.document, r) for t, r in zip(tags, refs, strict=True)])
    metas = [t.document.meta for t in tags]
    labels = short_labels([m.title for m in metas], [m.date for m in metas], ids)
    return [DocInfo(i, label, m.title, m.date, m.kind, len(t.sections))
            for i, label, m, t in zip(ids, labels, metas, tags, strict=True)]


# --------------------------------------------------------------------------------------------
# Numbers


def theme_counts(tags: DocumentTags, themes: Sequence[str]) -> list[int]:
    """Sections carrying each theme, from the tagger's own profile."""
    profile = tags.profile()
    return [profile.get(t, 0) for t in themes]


def share(count: int, total: int) -> float:
    return count / total if total else 0.0


def log_odds_ratio(k: int, n: int, k_rest: int, n_rest: int, prior: float = PRIOR) -> float:
    """ln odds of the theme in this document minus ln odds in the rest, each cell + `prior`."""
    return (math.log((k + prior) / (n - k + prior))
            - math.log((k_rest + prior) / (n_rest - k_rest + prior)))


def log_odds_z(k: int, n: int, k_rest: int, n_rest: int, prior: float = PRIOR) -> float:
    """The log-odds ratio over its approximate standard error: how well the counts support it."""
    variance = sum(1 / (c + prior) for c in (k, n - k, k_rest, n_rest - k_rest))
    return log_odds_ratio(k, n, k_rest, n_rest, prior) / math.sqrt(variance)


def cosine(u: Sequence[float], v: Sequence[float]) -> float:
    """Cosine of two share vectors; two documents without any theme are alike (1.0), one is not (0.0)."""
    nu = math.sqrt(sum(x * x for x in u))
    nv = math.sqrt(sum(x * x for x in v))
    if not nu or not nv:
        return 1.0 if not nu and not nv else 0.0
    return max(0.0, min(1.0, sum(a * b for a, b in zip(u, v, strict=True)) / (nu * nv)))


def alignment_similarity(a: Sequence[Section], b: Sequence[Section], threshold: float = ALIGN_THRESHOLD) -> float:
    """Share of both documents' sections that `align` pairs at similarity >= threshold (the measure
    `diff` warns on and `annotate migrate` refuses by; see `shared_share`)."""
    from scdocs.changes.align import align, shared_share

    if not a and not b:
        return 1.0
    return shared_share(align(a, b)[0], len(a), len(b), threshold)


@dataclass(frozen=True)
class Distinctive:
    """A theme that marks a document off from the others, with the numbers behind the ranking."""

    theme: str
    log_odds: float
    z: float
    share: float
    rest_share: float

    def to_dict(self) -> dict[str, object]:
        return {"theme": self.theme, "log_odds": round(self.log_odds, 4), "z": round(self.z, 4),
                "share": round(self.share, DIGITS), "rest_share": round(self.rest_share, DIGITS)}


def distinctive_themes(counts: Sequence[Sequence[int]], sizes: Sequence[int], themes: Sequence[str],
                       top: int = TOP_DISTINCTIVE, prior: float = PRIOR) -> list[list[Distinctive]]:
    """Per document, the `top` themes it carries most over-proportionally against the rest pooled,
    by the z-score of the log-odds ratio.

    Only themes the document has at all, with a higher share than the rest and a positive
    log-odds ratio, qualify: a theme is distinctive of a text because of what the text says, not
    of what it leaves out.
    """
    totals = [sum(col) for col in zip(*counts, strict=True)] if counts else []
    n_all = sum(sizes)
    out = []
    for row, n in zip(counts, sizes, strict=True):
        n_rest = n_all - n
        scored = []
        for t, k in enumerate(row):
            if k <= 0:
                continue
            k_rest = totals[t] - k
            lo = log_odds_ratio(k, n, k_rest, n_rest, prior)
            if lo > 0 and share(k, n) > share(k_rest, n_rest):
                z = log_odds_z(k, n, k_rest, n_rest, prior)
                scored.append(Distinctive(themes[t], lo, z, share(k, n), share(k_rest, n_rest)))
        scored.sort(key=lambda d: (-d.z, themes.index(d.theme)))
        out.append(scored[:top])
    return out


# --------------------------------------------------------------------------------------------
# compare


@dataclass
class Comparison:
    """Documents × themes shares, distinctive themes, and two pairwise similarity matrices."""

    documents: list[DocInfo]
    themes: list[str]
    theme_labels: dict[str, tuple[str, str]]  # id → (label_zh, label_en)
    counts: list[list[int]]
    distinctive: list[list[Distinctive]]
    theme_similarity: list[list[float]]
    alignment_similarity: list[list[float]]
    prior: float = PRIOR
    align_threshold: float = ALIGN_THRESHOLD

    @property
    def matrix(self) -> list[list[float]]:
        """Share of taggable sections per theme, one row per document."""
        return [[share(k, d.sections) for k in row] for d, row in zip(self.documents, self.counts, strict=True)]

    def to_dict(self) -> dict[str, object]:
        return {
            "format": COMPARE_FORMAT,
            "format_version": COMPARE_FORMAT_VERSION,
            "documents": [d.to_dict() for d in self.documents],
            "themes": [_theme_dict(t, self.theme_labels) for t in self.themes],
            "matrix": [[round(x, DIGITS) for x in row] for row in self.matrix],
            "counts": self.counts,
            "distinctive": {d.id: [x.to_dict() for x in ds]
                            for d, ds in zip(self.documents, self.distinctive, strict=True)},
            "similarity": {"themes": _rounded(self.theme_similarity), "alignment": _rounded(self.alignment_similarity)},
            "parameters": {
                "share": "sections tagged with the theme / taggable sections",
                "distinctive": f"log-odds ratio against the other documents pooled, prior {self.prior} per cell, "
                               "ranked by its z-score",
                "similarity_themes": "cosine of the share vectors",
                "similarity_alignment": f"share of both documents' sections aligned at similarity >= "
                                        f"{self.align_threshold}",
                "prior": self.prior,
                "align_threshold": self.align_threshold,
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def csv_header(self) -> list[str]:
        return (["format_version", "document", "label", "title", "date", "kind", "sections"]
                + [f"count:{t}" for t in self.themes] + [f"share:{t}" for t in self.themes]
                + [f"distinctive_{n}" for n in range(1, TOP_DISTINCTIVE + 1)]
                + [f"theme_similarity:{d.id}" for d in self.documents]
                + [f"alignment_similarity:{d.id}" for d in self.documents])

    def to_csv(self, bom: bool = False) -> str:
        """RFC 4180 (CRLF, quoted as needed), one row per document, every measure a column; `bom`
        puts the UTF-8 byte-order mark Excel needs first."""
        rows = []
        for i, d in enumerate(self.documents):
            names = [x.theme for x in self.distinctive[i]]
            names += [""] * (TOP_DISTINCTIVE - len(names))
            rows.append([COMPARE_FORMAT_VERSION, d.id, d.label, d.title, d.date, d.kind, d.sections]
                        + self.counts[i] + [round(x, DIGITS) for x in self.matrix[i]] + names
                        + [round(x, DIGITS) for x in self.theme_similarity[i]]
                        + [round(x, DIGITS) for x in self.alignment_similarity[i]])
        return csv_text(self.csv_header(), rows, bom=bom)


def _theme_dict(theme: str, labels: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    zh, en = labels.get(theme, ("", ""))
    return {"id": theme, "label_zh": zh, "label_en": en}


def _rounded(matrix: Sequence[Sequence[float]]) -> list[list[float]]:
    return [[round(x, DIGITS) for x in row] for row in matrix]


def theme_labels_of(taxonomy: Taxonomy, themes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(label_zh, label_en) per theme id from a Taxonomy; ids it lacks get empty labels."""
    known = taxonomy.themes
    out = {}
    for t in themes:
        theme = known.get(t)
        out[t] = (theme.label_zh, theme.label_en) if theme is not None else ("", "")
    return out


def compare(tags: Sequence[DocumentTags], themes: Sequence[str], refs: Sequence[str] | None = None,
            theme_labels: Mapping[str, tuple[str, str]] | None = None, prior: float = PRIOR,
            align_threshold: float = ALIGN_THRESHOLD,
            on_pair: Callable[[], None] | None = None) -> Comparison:
    """Compare tagged documents: shares, distinctive themes, theme and alignment similarity.

    `on_pair` is called after each aligned pair, for a progress bar: alignment is the slow part
    (n·(n-1)/2 pairs; about 10 ms for two 60-article regulations).
    """
    if len(tags) < 2:
        raise ScdocsError("compare needs at least two documents")
    docs = describe(tags, refs)
    counts = [theme_counts(t, themes) for t in tags]
    shares = [[share(k, d.sections) for k in row] for d, row in zip(docs, counts, strict=True)]
    n = len(tags)
    theme_sim = [[1.0] * n for _ in range(n)]
    align_sim = [[1.0] * n for _ in range(n)]
    units = [[st.section for st in t.sections] for t in tags]
    for i in range(n):
        for j in range(i + 1, n):
            theme_sim[i][j] = theme_sim[j][i] = cosine(shares[i], shares[j])
            align_sim[i][j] = align_sim[j][i] = alignment_similarity(units[i], units[j], align_threshold)
            if on_pair is not None:
                on_pair()
    return Comparison(docs, list(themes), dict(theme_labels or {}), counts,
                      distinctive_themes(counts, [d.sections for d in docs], themes, prior=prior),
                      theme_sim, align_sim, prior, align_threshold)


# --------------------------------------------------------------------------------------------
# trend


@dataclass
class YearRow:
    """The documents of one year pooled: their sections and the sections carrying each theme."""

    year: int
    documents: list[str]
    sections: int
    counts: list[int]

    @property
    def shares(self) -> list[float]:
        return [share(k, self.sections) for k in self.counts]


@dataclass
class Trend:
    """Theme prevalence per dated document and per year (documents of a year pooled)."""

    themes: list[str]
    theme_labels: dict[str, tuple[str, str]]
    documents: list[DocInfo]  # dated, oldest first
    counts: list[list[int]]  # per document, per theme
    years: list[YearRow]
    undated: list[DocInfo] = field(default_factory=list)

    def document_shares(self) -> list[list[float]]:
        return [[share(k, d.sections) for k in row] for d, row in zip(self.documents, self.counts, strict=True)]

    def to_dict(self) -> dict[str, object]:
        shares = self.document_shares()
        return {
            "format": TREND_FORMAT,
            "format_version": TREND_FORMAT_VERSION,
            "themes": [_theme_dict(t, self.theme_labels) for t in self.themes],
            "documents": [{**d.to_dict(), "year": d.year,
                           "counts": dict(zip(self.themes, row, strict=True)),
                           "shares": {t: round(x, DIGITS) for t, x in zip(self.themes, s, strict=True)}}
                          for d, row, s in zip(self.documents, self.counts, shares, strict=True)],
            "years": [{"year": y.year, "documents": y.documents, "sections": y.sections,
                       "counts": dict(zip(self.themes, y.counts, strict=True)),
                       "shares": {t: round(x, DIGITS) for t, x in zip(self.themes, y.shares, strict=True)}}
                      for y in self.years],
            "undated": [d.id for d in self.undated],
            "parameters": {"share": "sections tagged with the theme / taggable sections; a year pools the "
                                    "sections of its documents"},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self, bom: bool = False) -> str:
        """RFC 4180: one row per year (level=year) and per document (level=document), with the
        document's title beside its id; `bom` puts the UTF-8 byte-order mark Excel needs first."""
        header = (["format_version", "level", "year", "date", "document", "label", "title", "sections"]
                  + [f"count:{t}" for t in self.themes] + [f"share:{t}" for t in self.themes])
        rows: list[list[object]] = []
        for y in self.years:
            rows.append([TREND_FORMAT_VERSION, "year", y.year, "", ";".join(y.documents), "", "", y.sections]
                        + y.counts + [round(x, DIGITS) for x in y.shares])
        for d, row, s in zip(self.documents, self.counts, self.document_shares(), strict=True):
            rows.append([TREND_FORMAT_VERSION, "document", d.year, d.date, d.id, d.label, d.title, d.sections]
                        + row + [round(x, DIGITS) for x in s])
        return csv_text(header, rows, bom=bom)


def trend(tags: Sequence[DocumentTags], themes: Sequence[str], refs: Sequence[str] | None = None,
          theme_labels: Mapping[str, tuple[str, str]] | None = None) -> Trend:
    """Theme shares per document ordered by date, and per year; undated documents are set aside."""
    docs = describe(tags, refs)
    rows = [(d, theme_counts(t, themes)) for d, t in zip(docs, tags, strict=True)]
    dated = sorted((r for r in rows if r[0].year is not None), key=lambda r: (date_parts(r[0].date), r[0].id))
    undated = [d for d, _ in rows if d.year is None]
    years: dict[int, YearRow] = {}
    for d, counts in dated:
        assert d.year is not None
        row = years.setdefault(d.year, YearRow(d.year, [], 0, [0] * len(themes)))
        row.documents.append(d.id)
        row.sections += d.sections
        row.counts = [a + b for a, b in zip(row.counts, counts, strict=True)]
    return Trend(list(themes), dict(theme_labels or {}), [d for d, _ in dated], [c for _, c in dated],
                 [years[y] for y in sorted(years)], undated)
