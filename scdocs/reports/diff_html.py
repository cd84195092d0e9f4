"""A `DocumentDiff` as one self-contained, printable HTML page (a redline for people).

The page has no external assets (no fonts, CDNs, images or scripts): it must open offline,
from an e-mail attachment or an archive, years later, exactly as it was written. The two
views of each section (side by side, inline redline) are switched with radio buttons and CSS
alone, so the page runs no code at all. Every piece of document text and metadata goes
through `html.escape`: the documents are data, and a document that contains markup must
show that markup as text.

Stable hooks for tests and for readers who link into a report: each changed pair's block is
``<section class="pair" id="pair-<new eId or old eId>">`` (see `pair_ids`), blocks with moves
carry ``data-moves="<move ids>"``, each move badge has the class ``flag`` (and ``toward`` or
``away``), and the move summary is ``<section id="moves">``, the first thing after the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from scdocs.changes.moves import Evidence, Move
from scdocs.changes.result import STATUSES, DocumentDiff, Pair
from scdocs.changes.text import DELETE, EQUAL, INSERT
from scdocs.document.model import Document, Section
from scdocs.reports.amendments import check_text
from scdocs.reports.diff_text import systematic_line

#: Characters of context shown either side of a move's evidence.
EVIDENCE_CONTEXT = 8

_STATUS_LABELS = {
    "unchanged": "unchanged 未变", "renumbered": "renumbered 重新编号", "normalised": "normalised 规范字符",
    "modified": "modified 修改",
    "moved": "moved 移动", "split": "split 拆分", "merged": "merged 合并",
    "added": "added 新增", "removed": "removed 删除",
}

_CSS = """
:root {
  --fg: #1d1d1f; --muted: #62646a; --line: #d6d8dc; --bg: #ffffff; --panel: #f6f7f9;
  --ins-bg: #d7f5dd; --ins-fg: #0b5a1e; --del-bg: #fde0e0; --del-fg: #8a1010;
  --flag-bg: #fff4d6; --flag-line: #e0a800; --flag-fg: #5c4200;
  --font: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
          "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI", sans-serif;
  --serif: "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
}
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font-family: var(--font); line-height: 1.7; }
a { color: #0b57b0; text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.45rem; margin: 0 0 .6rem; line-height: 1.4; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .6rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.warning { background: #fff4e5; color: #5c3600; border-left: 4px solid #e08a00; padding: .4em .8em; margin: .5em 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

header.doc-head { padding: 1.2rem 1.5rem .8rem; border-bottom: 1px solid var(--line); }
.meta th { white-space: nowrap; }
.meta td { min-width: 14rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; padding: .5rem 1.5rem;
           background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.toolbar .group { display: inline-flex; gap: 0; align-items: center; }
.toolbar .group > span { margin-right: .5rem; color: var(--muted); }
.toolbar label { border: 1px solid var(--line); background: var(--bg); padding: .1rem .7rem; cursor: pointer; }
.toolbar label + label { border-left: none; }
#v-side:checked ~ .toolbar label[for="v-side"],
#v-inline:checked ~ .toolbar label[for="v-inline"],
#f-all:checked ~ .toolbar label[for="f-all"],
#f-flagged:checked ~ .toolbar label[for="f-flagged"] { background: #1d3f73; color: #fff; border-color: #1d3f73; }
#v-side:focus-visible ~ .toolbar label[for="v-side"],
#v-inline:focus-visible ~ .toolbar label[for="v-inline"],
#f-all:focus-visible ~ .toolbar label[for="f-all"],
#f-flagged:focus-visible ~ .toolbar label[for="f-flagged"] { outline: 2px solid #0b57b0; outline-offset: 1px; }

.layout { display: grid; grid-template-columns: minmax(13rem, 17rem) minmax(0, 1fr); gap: 0 1.5rem; padding: 0 1.5rem; }
nav.toc { position: sticky; top: 2.6rem; align-self: start; max-height: calc(100vh - 2.6rem); overflow: auto;
          padding: .4rem 0 1rem; font-size: .9rem; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: .1rem 0; }
nav.toc a { display: block; padding: .1rem .3rem; border-radius: 3px; color: var(--fg); }
nav.toc .badge { min-width: 5.6rem; text-align: center; margin-right: .3rem; }
nav.toc .badge.flag-dot { min-width: 0; margin: 0 0 0 .3rem; }
nav.toc a:hover { background: var(--panel); text-decoration: none; }
main { min-width: 0; padding-bottom: 3rem; }

.summary { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
.summary table { font-size: .92rem; }
.ins-count { color: var(--ins-fg); font-weight: 600; }
.del-count { color: var(--del-fg); font-weight: 600; }

.badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .8rem; line-height: 1.6;
         border: 1px solid transparent; white-space: nowrap; vertical-align: baseline; }
.st-unchanged { background: #eceef1; color: #444; }
.st-renumbered { background: #e3ecf9; color: #1d3f73; }
.st-modified { background: #fff0cc; color: #6b4a00; }
.st-normalised { background: #eef0f3; color: #3d4852; }
.st-moved { background: #efe3fb; color: #4b1f7a; }
.st-split, .st-merged { background: #dcf3f3; color: #0d5555; }
.st-added { background: var(--ins-bg); color: var(--ins-fg); }
.st-removed { background: var(--del-bg); color: var(--del-fg); }
.theme-gained { background: #e6f4ea; color: #0b5a1e; border-color: #a8d8b4; }
.theme-lost { background: #fbe9e9; color: #8a1010; border-color: #e6b0b0; }
.flag-dot { color: var(--flag-fg); background: var(--flag-bg); border-color: var(--flag-line); }

section.pair { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1.2rem; break-inside: auto; }
section.pair[data-moves] { border-left: 5px solid var(--flag-line); }
section.pair > header { display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: baseline;
                        padding: .45rem .8rem; background: var(--panel); border-bottom: 1px solid var(--line);
                        border-radius: 6px 6px 0 0; }
section.pair > header h3 { margin: 0; font-size: 1.02rem; }
.pair-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(14rem, 19rem); }
.pair-body.no-flags { grid-template-columns: minmax(0, 1fr); }
.flags { border-left: 1px solid var(--line); padding: .5rem .7rem; background: #fffdf6; font-size: .9rem; }
.flag { border: 1px solid var(--flag-line); background: var(--flag-bg); border-radius: 5px; padding: .35rem .55rem;
        margin: 0 0 .5rem; }
.flag .rule { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .82rem;
              font-weight: 700; color: var(--flag-fg); }
.flag .desc { display: block; color: var(--fg); }
.flag.away { border-color: #2e8b57; background: #eef8f1; }
.flag.away .rule { color: #1d5c38; }
tr.away .flag-dot { color: #1d5c38; background: #eef8f1; border-color: #2e8b57; }
ul.systematic { margin: .3rem 0; padding-left: 1.2rem; }
pre.amendments { white-space: pre-wrap; font-size: .85rem; }
.flag blockquote { margin: .3rem 0 0; padding: .15rem .5rem; border-left: 3px solid var(--flag-line);
                   background: #fff; font-family: var(--serif); }
.flag .side { font-size: .75rem; color: var(--muted); margin-right: .3rem; font-family: var(--font); }
.flag .ctx { color: var(--muted); }

.view { padding: .6rem .8rem; }
.view.inline { display: none; }
#v-inline:checked ~ .layout .view.side { display: none; }
#v-inline:checked ~ .layout .view.inline { display: block; }
#f-flagged:checked ~ .layout section.pair:not([data-moves]),
#f-flagged:checked ~ .layout nav.toc li:not(.flagged) { display: none; }
.view.side { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
.col-head { font-size: .8rem; color: var(--muted); border-bottom: 1px dashed var(--line); margin-bottom: .3rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-family: var(--serif); font-size: 1.02rem;
        line-height: 1.9; }
.absent { color: var(--muted); font-style: italic; font-family: var(--font); }
ins { background: var(--ins-bg); color: var(--ins-fg); text-decoration: underline; text-decoration-thickness: 1px; }
del { background: var(--del-bg); color: var(--del-fg); text-decoration: line-through; }
ins, del, .badge, .flag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }

@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  nav.toc { position: static; max-height: none; }
  .pair-body { grid-template-columns: minmax(0, 1fr); }
  .flags { border-left: none; border-top: 1px solid var(--line); }
}
@media print {
  html { font-size: 10.5pt; }
  .toolbar { display: none; }
  .layout { display: block; padding: 0; }
  header.doc-head { padding: 0 0 .5rem; }
  nav.toc { position: static; max-height: none; overflow: visible; break-after: page; }
  nav.toc a { padding: 0; }
  section.pair > header { break-after: avoid; }
  .flag { break-inside: avoid; }
  a { color: inherit; }
}
"""


def _e(value: object) -> str:
    """Escape any value for text or a double-quoted attribute (documents are data, never markup)."""
    return escape("" if value is None else str(value), quote=True)


def _anchor(section: Section) -> str:
    # HTML ids may hold any character but whitespace; eIds normally hold none.
    return "pair-" + re.sub(r"\s+", "_", section.eid)


def pair_ids(d: DocumentDiff) -> list[str]:
    """The block id of every pair, in order: ``pair-<new eId or old eId>``.

    A merge gives several pairs the same new section; the first keeps the plain id and the
    others add ``--<old eId>``, so every id is unique and the same from one run to the next.
    """
    ids: list[str] = []
    seen: set[str] = set()
    for p in d.pairs:
        section = p.new or p.old
        base = _anchor(section) if section else f"pair-{len(ids)}"
        pid = base
        if pid in seen and p.old is not None:
            pid = base + "--" + re.sub(r"\s+", "_", p.old.eid)
        n = 2
        while pid in seen:
            pid, n = f"{base}--{n}", n + 1
        seen.add(pid)
        ids.append(pid)
    return ids


def shown(p: Pair) -> bool:
    """Whether a pair gets a block and a TOC entry (the rule every report shares: `Pair.shown`)."""
    return p.shown


def _move_ids(p: Pair) -> list[str]:
    return [m.id for m in p.moves]


# -- text with marks ------------------------------------------------------------------------

def _changed(p: Pair, side: str) -> list[tuple[int, int]]:
    """Section-relative ranges a change touched: insertions in NEW, deletions in OLD."""
    section = p.new if side == "new" else p.old
    if section is None:
        return []
    if p.text_diff is None:  # added or removed: the whole section is the change
        whole = (side == "new" and p.status == "added") or (side == "old" and p.status == "removed")
        return [(0, len(section.text))] if whole else []
    out = []
    for o in p.shown_ops():  # normalisation (width, whitespace) is not marked as a change
        if side == "new" and o.op == INSERT:
            out.append((o.new_start, o.new_start + len(o.text)))
        elif side == "old" and o.op == DELETE:
            out.append((o.old_start, o.old_start + len(o.text)))
    return out


def _marked(text: str, ranges: Iterable[tuple[int, int]], tag: str, offset: int = 0) -> str:
    """Escape `text` (which starts at `offset`), wrapping the parts inside `ranges` in `<tag>`."""
    out, pos, end = [], offset, offset + len(text)
    for a, b in sorted(ranges):
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        out.append(_e(text[pos - offset: a - offset]))
        out.append(f"<{tag}>{_e(text[a - offset: b - offset])}</{tag}>")
        pos = b
    out.append(_e(text[pos - offset:]))
    return "".join(out)


def _side_text(p: Pair, side: str) -> str:
    """One column of the side-by-side view: old with `<del>`, or new with `<ins>`."""
    section = p.new if side == "new" else p.old
    if section is None:
        return '<p class="absent">(not in this version)</p>'
    tag = "ins" if side == "new" else "del"
    return f'<div class="text">{_marked(section.text, _changed(p, side), tag)}</div>'


def _inline_text(p: Pair) -> str:
    """The redline: one column, deletions and insertions in reading order."""
    if p.text_diff is None:
        if p.new is not None:
            return f'<div class="text"><ins>{_e(p.new.text)}</ins></div>'
        return f'<div class="text"><del>{_e(p.old.text if p.old else "")}</del></div>'
    parts = []
    for o in p.shown_ops():
        if o.op == EQUAL:
            parts.append(_e(o.text))
        elif o.op == INSERT:
            parts.append(f"<ins>{_e(o.text)}</ins>")
        else:
            parts.append(f"<del>{_e(o.text)}</del>")
    return f'<div class="text">{"".join(parts)}</div>'


# -- moves ----------------------------------------------------------------------------------

def _quotes(move: Move) -> list[Evidence]:
    """The evidence worth quoting, each span once."""
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for e in move.evidence:
        if (e.side, e.start, e.end) not in seen:
            seen.add((e.side, e.start, e.end))
            unique.append(e)
    return unique


def _quote(p: Pair, e: Evidence) -> str:
    """The evidence in its words, with a little context, the inserted/deleted characters marked."""
    section = p.new if e.side == "new" else p.old
    tag = "ins" if e.side == "new" else "del"
    side = f'<span class="side">{"new" if e.side == "new" else "old"}</span>'
    if section is None or not (section.start <= e.start <= e.end <= section.end):
        # Offsets we cannot place: quote the words as given.
        body = f"<{tag}>{_e(e.text)}</{tag}>" if e.change in ("inserted", "deleted") else _e(e.text)
        return f"<blockquote>{side}{body}</blockquote>"
    a, b = e.start - section.start, e.end - section.start
    lo, hi = max(0, a - EVIDENCE_CONTEXT), min(len(section.text), b + EVIDENCE_CONTEXT)
    ranges = _changed(p, e.side)
    text = section.text
    before = ("…" if lo > 0 else "") + _marked(text[lo:a], ranges, tag, lo)
    after = _marked(text[b:hi], ranges, tag, b) + ("…" if hi < len(text) else "")
    core = _marked(text[a:b], ranges, tag, a)
    return (f'<blockquote>{side}<span class="ctx">{before}</span><strong>{core}</strong>'
            f'<span class="ctx">{after}</span></blockquote>')


def _arrow(direction: str) -> str:
    return "▲" if direction == "toward" else "▽"


def _move_badge(p: Pair, move: Move) -> str:
    values = "".join(f'<span class="desc">{_e(v.kind)}: {_e(v.shown)}</span>' for v in move.values)
    quotes = "".join(_quote(p, e) for e in _quotes(move))
    group = f' <span class="muted">(group {move.group})</span>' if move.group is not None else ""
    return (f'<div class="flag {_e(move.direction)}" data-move="{_e(move.id)}">'
            f'<span class="rule">{_arrow(move.direction)} {_e(move.id)}</span> '
            f'<span class="muted">{_e(move.direction)} the centre · {_e(", ".join(move.detectors))}</span>{group}'
            f'<span class="desc">{_e("; ".join(move.descriptions))}</span>{values}{quotes}</div>')


# -- page parts -----------------------------------------------------------------------------

def _status_badge(status: str) -> str:
    return f'<span class="badge st-{_e(status)}">{_e(_STATUS_LABELS.get(status, status))}</span>'


def _section_name(s: Section | None) -> str:
    if s is None:
        return "—"
    return f"{s.name}{' ' + s.heading if s.heading else ''}"


def _title(p: Pair) -> str:
    old, new = _section_name(p.old), _section_name(p.new)
    if p.old is not None and p.new is not None and old == new:
        return _e(new)
    return f"{_e(old)} → {_e(new)}"


def _short(p: Pair) -> str:
    """The pair's label, once if both sides print the same number (第五条, not 第五条 → 第五条)."""
    old = p.old.name if p.old else None
    new = p.new.name if p.new else None
    return _e(new) if old == new else _e(p.label)


def _pair_block(p: Pair, pid: str, old_lang: str, new_lang: str) -> str:
    moves = _move_ids(p)
    attrs = f'id="{_e(pid)}" data-status="{_e(p.status)}"'
    if moves:
        attrs += f' data-moves="{_e(" ".join(moves))}"'
    head = [f"<h3>{_title(p)}</h3>", _status_badge(p.status)]
    if p.old is not None and p.new is not None:
        head.append(f'<span class="muted">similarity {p.similarity:.0%}</span>')
    if p.text_diff is not None:
        head.append(f'<span class="ins-count">+{p.inserted}</span> <span class="del-count">−{p.deleted}</span>')
    if p.group is not None and p.status in ("split", "merged"):
        head.append(f'<span class="muted">group {p.group}</span>')
    if p.references_only:
        head.append('<span class="badge st-renumbered">cross-references only</span>')
    head += [f'<span class="badge theme-gained" title="theme gained">+ {_e(t)}</span>' for t in p.themes_gained]
    head += [f'<span class="badge theme-lost" title="theme lost">− {_e(t)}</span>' for t in p.themes_lost]
    old_name = _e(p.old.name) if p.old else "—"
    new_name = _e(p.new.name) if p.new else "—"
    side = (f'<div class="view side"><div class="col old" lang="{old_lang}">'
            f'<div class="col-head">old · {old_name}</div>{_side_text(p, "old")}</div>'
            f'<div class="col new" lang="{new_lang}">'
            f'<div class="col-head">new · {new_name}</div>{_side_text(p, "new")}</div></div>')
    inline = f'<div class="view inline" lang="{new_lang}">{_inline_text(p)}</div>'
    flags = ""
    if p.moves:
        flags = (f'<aside class="flags" aria-label="moves"><div class="muted">{len(p.moves)} move'
                 f'{"s" if len(p.moves) != 1 else ""}</div>{"".join(_move_badge(p, m) for m in p.moves)}</aside>')
    body_class = "pair-body" if p.moves else "pair-body no-flags"
    return (f'<section class="pair" {attrs}><header>{" ".join(head)}</header>'
            f'<div class="{body_class}"><div class="views">{side}{inline}</div>{flags}</div></section>')


def _meta_table(old: Document, new: Document) -> str:
    def row(name: str, a: str, b: str) -> str:
        return f"<tr><th>{_e(name)}</th><td>{_e(a) or '—'}</td><td>{_e(b) or '—'}</td></tr>"

    om, nm = old.meta, new.meta
    rows = [row("title 标题", om.title, nm.title), row("date 日期", om.date, nm.date),
            row("issuer 发布机关", om.issuer, nm.issuer)]
    if om.doc_number or nm.doc_number:
        rows.append(row("number 文号", om.doc_number, nm.doc_number))
    rows.append(row("id", om.extra.get("id", ""), nm.extra.get("id", "")))
    if om.kind or nm.kind:
        rows.append(row("kind", om.kind, nm.kind))
    rows.append(row("source", om.ref, nm.ref))
    return ('<table class="meta"><thead><tr><th></th><th>old 旧版</th><th>new 新版</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _summary(d: DocumentDiff, ids: dict[int, str]) -> str:
    s = d.summary()
    statuses = s["statuses"]
    chars = s["characters"]
    status_rows = "".join(f'<tr><td>{_status_badge(k)}</td><td class="num">{statuses.get(k, 0)}</td></tr>'
                          for k in STATUSES if statuses.get(k, 0))
    status_table = (f'<table><thead><tr><th>status</th><th class="num">pairs</th></tr></thead><tbody>{status_rows}'
                    f'<tr><th>total</th><th class="num">{len(d.pairs)}</th></tr></tbody></table>')
    char_table = (f'<table><tbody><tr><th>characters inserted</th><td class="num ins-count">{chars["inserted"]:,}'
                  f'</td></tr><tr><th>characters deleted</th><td class="num del-count">{chars["deleted"]:,}</td></tr>'
                  f'<tr><th>sections changed only in their cross-references</th>'
                  f'<td class="num">{s["references_only"]}</td></tr>'
                  f'<tr><th>theme gains / losses</th><td class="num">'
                  f'{sum(len(p.themes_gained) for p in d.pairs)} / {sum(len(p.themes_lost) for p in d.pairs)}'
                  f'</td></tr></tbody></table>')
    rules = ", ".join(_e(r) for r in d.rules) or "none"
    return (f'<section class="summary-wrap" id="summary"><h2>Sections</h2><div class="summary">{status_table}'
            f'{char_table}</div><p class="muted">Aligned by {_e(d.by)}; move rules applied: {rules}.</p>'
            f'</section>')


def _moves(d: DocumentDiff, ids: dict[int, str]) -> str:
    """The answer first: moves by id and direction with their places, then systematic changes."""
    s = d.summary()
    where: dict[str, list[int]] = {}
    for k, p in enumerate(d.pairs):
        for move_id in _move_ids(p):
            where.setdefault(move_id, []).append(k)
    rows = "".join(
        f'<tr class="{_e(c["direction"])}"><td><span class="badge flag-dot">{_arrow(c["direction"])} {_e(move_id)}'
        f'</span></td><td>{_e(c["direction"])}</td><td class="num">{c["places"]}</td>'
        f'<td class="num">{c["changes"]}</td><td>'
        + ", ".join(f'<a href="#{_e(ids[k])}">{_short(d.pairs[k])}</a>' for k in where.get(move_id, []))
        + "</td></tr>" for move_id, c in s["moves"].items() if c["places"])
    table = (f'<table><thead><tr><th>move</th><th>direction</th><th class="num">places</th>'
             f'<th class="num">changes</th><th>where</th></tr></thead><tbody>{rows}</tbody></table>'
             if rows else '<p class="muted">No moves.</p>')
    systematic = ""
    if d.systematic:
        items = "".join(f"<li>{_e(systematic_line(c, 12))}</li>" for c in d.systematic)
        systematic = f'<h3>Systematic changes (never moves)</h3><ul class="systematic">{items}</ul>'
    if d.outline:
        items = "".join(f"<li>{c.brief(40, _e, _ins_del)}</li>" for c in d.outline)
        systematic += f'<h3>Outside the numbered units</h3><ul class="systematic">{items}</ul>'
    amended = ""
    if d.amendments is not None:  # the checked instructions of an amending decision, as plain lines
        amended = f'<h3>Amending instructions</h3><pre class="amendments">{_e(check_text(d.amendments))}</pre>'
    warnings = "".join(f'<p class="warning" role="alert">warning: {_e(w)}</p>' for w in d.warnings)
    return (f'<section class="summary-wrap" id="moves">{warnings}<h2>Moves: {_e(d.answer(s))}</h2>'
            f'{table}{systematic}{amended}</section>')


def _toc(d: DocumentDiff, ids: dict[int, str]) -> str:
    items = []
    for k, p in enumerate(d.pairs):
        if not shown(p):
            continue
        n = len(p.moves)
        flag = f' <span class="badge flag-dot" title="moves">{n} move{"s" if n != 1 else ""}</span>' if n else ""
        cls = f"st-{_e(p.status)}" + (" flagged" if n else "")
        badge = f'<span class="badge st-{_e(p.status)}">{_e(p.status)}</span>'
        items.append(f'<li class="{cls}"><a href="#{_e(ids[k])}">{badge}{_short(p)}{flag}</a></li>')
    body = f"<ol>{''.join(items)}</ol>" if items else '<p class="muted">No changed sections.</p>'
    return f'<nav class="toc" aria-label="changed sections"><h2>Changed sections ({len(items)})</h2>{body}</nav>'


def render_html(d: DocumentDiff) -> str:
    """The whole report: header, summary, a TOC of changed pairs and one block per changed pair."""
    all_ids = pair_ids(d)
    ids = dict(enumerate(all_ids))
    old, new = d.old.meta, d.new.meta
    old_lang, new_lang = _e(old.language or "zh"), _e(new.language or "zh")
    title = f"{old.title or 'old'} ({old.date or '?'}) → {new.title or 'new'} ({new.date or '?'})"
    blocks = [_pair_block(p, ids[k], old_lang, new_lang) for k, p in enumerate(d.pairs) if shown(p)]
    hidden = sum(1 for p in d.pairs if not shown(p))
    note = (f'<p class="muted">{hidden} unchanged section{"s" if hidden != 1 else ""} not shown.</p>'
            if hidden else "")
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="scdocs">
<title>{_e("Diff: " + title)}</title>
<style>{_CSS}</style>
</head>
<body>
<input type="radio" name="view" id="v-side" class="sr-only" checked>
<input type="radio" name="view" id="v-inline" class="sr-only">
<input type="radio" name="filter" id="f-all" class="sr-only" checked>
<input type="radio" name="filter" id="f-flagged" class="sr-only">
<header class="doc-head"><h1>{_e(title)}</h1>{_meta_table(d.old, d.new)}</header>
{_moves(d, ids)}
<div class="toolbar" role="group" aria-label="view">
<span class="group"><span>view</span><label for="v-side">side by side</label>
<label for="v-inline">inline redline</label></span>
<span class="group"><span>show</span><label for="f-all">all changes</label>
<label for="f-flagged">with moves only</label></span>
</div>
<div class="layout">
{_toc(d, ids)}
<main>
{_summary(d, ids)}
<h2>Changes</h2>
{note}
{"".join(blocks)}
</main>
</div>
</body>
</html>
"""


def _ins_del(op: str, escaped: str) -> str:
    """A changed run of escaped text as HTML <del> or <ins>."""
    return f"<del>{escaped}</del>" if op == DELETE else f"<ins>{escaped}</ins>"
