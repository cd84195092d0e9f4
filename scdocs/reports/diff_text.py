"""Terminal (rich) and Markdown renderings of a DocumentDiff."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from scdocs.changes.moves import Move
from scdocs.changes.result import DocumentDiff, Pair
from scdocs.changes.systematic import SystematicChange
from scdocs.changes.text import DELETE, INSERT
from scdocs.document.model import Metadata
from scdocs.formats.render import counted, md_escape
from scdocs.reports.amendments import check_markdown, check_text

STATUS_STYLE = {"unchanged": "dim", "renumbered": "cyan", "normalised": "dim cyan", "modified": "yellow",
                "moved": "magenta", "split": "blue", "merged": "blue", "added": "green", "removed": "red"}


def changed_pairs(d: DocumentDiff, include_unchanged: bool = False) -> list[Pair]:
    return [p for p in d.pairs if include_unchanged or p.shown]


def redline(pair: Pair, limit: int = 400, plain: bool = False) -> Text:
    """The changed text of a pair: deletions struck in red, insertions in green, context trimmed.
    `plain` (output that is not a terminal) marks them as [-deleted-]{+inserted+}, like git's word diff."""
    out = Text()
    if pair.text_diff is None:
        section = pair.new or pair.old
        assert section is not None
        style = "green" if pair.new else "red strike"
        body = section.text if len(section.text) <= limit else section.text[:limit] + "…"
        out.append(body, style=style)
        return out
    for o in pair.shown_ops():
        if o.op == INSERT:
            out.append(f"{{+{o.text}+}}" if plain else o.text, style="bold green")
        elif o.op == DELETE:
            out.append(f"[-{o.text}-]" if plain else o.text, style="red strike")
        else:
            t = o.text
            out.append(t if len(t) <= 24 else t[:10] + " … " + t[-10:], style="dim")
    return out


def move_line(m: Move) -> str:
    """One move in words: the evidence first (+inserted, -deleted words; values), then why it was
    found (plain text, unescaped): at 80 columns the words a reader checks come before the rule."""
    values = "; ".join(v.shown for v in m.values if not any(v.shown in d for d in m.descriptions))  # said once
    words = "; ".join(dict.fromkeys(  # the same words in two places of the section: said once
        f"{'+' if e.change == 'inserted' else '-' if e.change == 'deleted' else ''}{e.text}"
        for e in m.evidence if e.change != "value"))
    return " — ".join(p for p in (words, values and f"values {values}", "; ".join(m.descriptions)) if p)


def systematic_line(s: SystematicChange, most: int = 8) -> str:
    """A systematic change in words, with its first places."""
    what = {"renumbered references": "cross-references renumbered",
            "character width": "half-width characters made full-width (or the reverse)"}.get(
        s.kind, "“{}” → “{}”".format(*s.shown))
    more = f" and {len(s.places) - most} more" if len(s.places) > most else ""
    return f"{what} in {counted(len(s.places), 'section')}: " + ", ".join(s.labels[:most]) + more


NARROW = 110  # below this many columns a five-column table leaves the changed text a dozen characters


def _status(p: Pair) -> str:
    return f"[{STATUS_STYLE.get(p.status, '')}]{p.status}[/]" + (" (refs)" if p.references_only else "")


def _themes_and_moves(p: Pair, sep: str) -> str:
    themes = " ".join([f"[green]+{t}[/]" for t in p.themes_gained] + [f"[red]-{t}[/]" for t in p.themes_lost])
    moved = [f"[bold {'red' if m.direction == 'toward' else 'green'}]{'▲' if m.direction == 'toward' else '▽'} "
             f"{m.id}[/]" for m in p.moves]
    return sep.join(x for x in [themes, *moved] if x)


def _print_pairs_stacked(d: DocumentDiff, console: Console, include_unchanged: bool) -> None:
    """The section table for a narrow terminal: each pair's label, status and moves on one line, its
    changed text below at the full width (a table would squeeze it into a dozen columns)."""
    for p in changed_pairs(d, include_unchanged):
        extra = _themes_and_moves(p, "  ")
        console.rule(style="dim")
        console.print(f"[bold]{escape(p.label)}[/]  {_status(p)}  [dim]{p.similarity:.2f}[/]"
                      + (f"  {extra}" if extra else ""))
        console.print(redline(p, plain=not console.is_terminal))


def print_diff(d: DocumentDiff, console: Console, include_unchanged: bool = False) -> None:
    """The answer first (moves by id and direction, systematic changes), then the sections."""
    old, new = d.old.meta, d.new.meta

    def named(m: Metadata) -> str:  # no trailing space where a version has no date
        return f"[bold]{escape(m.title or m.ref)}[/]" + (f" [dim]{escape(m.date)}[/]" if m.date else "")

    console.print(f"{named(old)} → {named(new)}")
    summary = d.summary()
    for warning in d.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    console.print(f"[bold]Moves:[/] {escape(d.answer(summary))}")
    moves = Table(box=None, pad_edge=False, show_header=True)
    for col in ("move", "direction", "places", "changes", "sections"):
        moves.add_column(col, overflow="fold", justify="right" if col in ("places", "changes") else "left")
    for move_id, c in summary["moves"].items():
        if c["places"]:
            # a place never breaks inside itself (第十条 → / 第十六条): written without spaces here
            places = [place.replace(" → ", "→") for place in c["sections"][:6]]
            more = len(c["sections"]) - len(places)
            sections = ", ".join(places) + (f" and {more} more" if more else "")
            style = "red" if c["direction"] == "toward" else "green"
            moves.add_row(f"[{style}]{move_id}[/]", c["direction"], str(c["places"]), str(c["changes"]),
                          escape(sections))
    if summary["toward"] or summary["away"]:
        console.print(moves)
    if d.moves:  # each move's evidence with the answer, before the sections
        detail = Table(title="Moves: evidence", title_justify="left")
        detail.add_column("move")
        detail.add_column("section", no_wrap=True)
        detail.add_column("evidence — why", overflow="fold")
        for m in d.moves:
            detail.add_row(m.id, escape(m.place), escape(move_line(m)))
        console.print(detail)
    for s in d.systematic:
        console.print(f"[bold]Systematic:[/] {escape(systematic_line(s))}")
    for change in d.outline:
        console.print(f"[bold]Outside the numbered units:[/] {escape(change.brief())}")
    if d.amendments is not None:
        console.print(escape(check_text(d.amendments)), end="")
    statuses = ", ".join(f"{k} {v}" for k, v in summary["statuses"].items() if v) or "no sections"
    chars = summary["characters"]
    console.print(f"{statuses}; {chars['inserted']:,} characters inserted, {chars['deleted']:,} deleted"
                  + (f"; {summary['references_only']} changed only cross-references" if summary["references_only"]
                     else ""))
    if not changed_pairs(d, include_unchanged):
        return  # nothing changed: the counts above say so, an empty table would not
    if console.width < NARROW:
        _print_pairs_stacked(d, console, include_unchanged)
    else:
        table = Table(show_lines=True)
        table.add_column("old → new", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("sim", justify="right")
        table.add_column("themes · moves")
        table.add_column("change", overflow="fold", ratio=1)
        for p in changed_pairs(d, include_unchanged):
            table.add_row(escape(p.label), _status(p), f"{p.similarity:.2f}", _themes_and_moves(p, "\n"),
                          redline(p, plain=not console.is_terminal))
        console.print(table)


def _md(text: str) -> str:
    return md_escape(text, "<br>")


def to_markdown(d: DocumentDiff, include_unchanged: bool = False) -> str:
    """Markdown that opens with the moves and systematic changes; <del>deletions</del> and
    <ins>insertions</ins> in the detail (CommonMark inline HTML); document text escaped."""
    old, new = d.old.meta, d.new.meta
    summary = d.summary()
    lines = [f"# {_md(old.title or old.ref)} → {_md(new.title or new.ref)}", "",
             f"- Old: {_md(old.ref)} ({old.date or 'undated'})",
             f"- New: {_md(new.ref)} ({new.date or 'undated'})", "",
             *(f"> **Warning:** {_md(w)}\n" for w in d.warnings),
             "## Moves", "",
             f"{d.answer(summary)}.", ""]
    if summary["toward"] or summary["away"]:
        lines += ["| move | direction | places | changes | sections |", "|---|---|---:|---:|---|"]
        for move_id, c in summary["moves"].items():
            if c["places"]:
                lines.append(f"| {move_id} | {c['direction']} | {c['places']} | {c['changes']} | "
                             f"{_md(', '.join(c['sections']))} |")
        lines.append("")
    if d.systematic:
        lines += ["## Systematic changes", ""] + [f"- {_md(systematic_line(s, 20))}" for s in d.systematic] + [""]
    if d.outline:
        lines += ["## Outside the numbered units", ""]
        lines += [f"- {c.brief(40, _md, _marked_run)}" for c in d.outline] + [""]
    if d.amendments is not None:
        lines += [check_markdown(d.amendments).rstrip("\n"), ""]
    lines += ["## Sections", "",
              "- " + (", ".join(f"{k} {v}" for k, v in summary["statuses"].items() if v) or "no sections"),
              f"- Characters: {summary['characters']['inserted']} inserted, "
              f"{summary['characters']['deleted']} deleted", ""]
    lines += ["| old → new | status | similarity | themes | moves |", "|---|---|---:|---|---|"]
    for p in changed_pairs(d, include_unchanged):
        themes = " ".join([f"+{t}" for t in p.themes_gained] + [f"−{t}" for t in p.themes_lost])
        lines.append(f"| {_md(p.label)} | {p.status}{' (references only)' if p.references_only else ''} | "
                     f"{p.similarity:.2f} | {themes} | {', '.join(m.id for m in p.moves)} |")
    lines.append("")
    for p in changed_pairs(d, include_unchanged):
        lines += [f"### {_md(p.label)} ({p.status})", ""]
        if p.text_diff is None:
            section = p.new or p.old
            assert section is not None
            lines += [_marked(_md(section.text), "ins" if p.new else "del"), ""]
        else:
            parts = []
            for o in p.shown_ops():
                t = _md(o.text)
                parts.append(_marked(t, "ins") if o.op == INSERT else _marked(t, "del") if o.op == DELETE else t)
            lines += ["".join(parts), ""]
        for m in p.moves:
            lines += [f"> {'▲' if m.direction == 'toward' else '▽'} **{m.id}** ({m.direction}): {_md(move_line(m))}",
                      ""]
    return "\n".join(lines)


def _marked(text: str, tag: str) -> str:
    """Inserted or deleted words as <ins>/<del>, line by line: CommonMark's ** and ~~ do not open or close
    beside punctuation (公司**、职工**和 stays literal), and the changed characters are exactly these."""
    return "\n".join(f"<{tag}>{line}</{tag}>" if line.strip() else line for line in text.split("\n"))


def _marked_run(op: str, text: str) -> str:
    """A changed run of the text around the units, as `_marked` marks a pair's."""
    return _marked(text, "del" if op == DELETE else "ins")
