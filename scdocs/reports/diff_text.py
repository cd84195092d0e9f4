"""Terminal (rich) and Markdown renderings of a DocumentDiff."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from scdocs.changes.result import DocumentDiff, Pair
from scdocs.changes.text import DELETE, INSERT
from scdocs.formats.render import md_escape

STATUS_STYLE = {"unchanged": "dim", "renumbered": "cyan", "modified": "yellow", "moved": "magenta",
                "split": "blue", "merged": "blue", "added": "green", "removed": "red"}


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
    for o in pair.text_diff.ops:
        if o.op == INSERT:
            out.append(f"{{+{o.text}+}}" if plain else o.text, style="bold green")
        elif o.op == DELETE:
            out.append(f"[-{o.text}-]" if plain else o.text, style="red strike")
        else:
            t = o.text
            out.append(t if len(t) <= 24 else t[:10] + " … " + t[-10:], style="dim")
    return out


def print_diff(d: DocumentDiff, console: Console, include_unchanged: bool = False) -> None:
    old, new = d.old.meta, d.new.meta
    console.print(f"[bold]{escape(old.title or old.source)}[/] [dim]{escape(old.date)}[/] → "
                  f"[bold]{escape(new.title or new.source)}[/] [dim]{escape(new.date)}[/]")
    summary = d.summary()
    statuses = ", ".join(f"{k} {v}" for k, v in summary["statuses"].items() if v)
    chars = summary["characters"]
    console.print(f"{statuses}; {chars['inserted']:,} characters inserted, {chars['deleted']:,} deleted"
                  + (f"; {summary['references_only']} changed only cross-references" if summary["references_only"]
                     else ""))
    table = Table(show_lines=True)
    table.add_column("old → new", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("sim", justify="right")
    table.add_column("themes")
    table.add_column("change", overflow="fold")
    for p in changed_pairs(d, include_unchanged):
        themes = " ".join([f"[green]+{t}[/]" for t in p.themes_gained] + [f"[red]-{t}[/]" for t in p.themes_lost])
        flags = "".join(f"\n[bold yellow]⚑ {escape(f.rule)}[/]" for f in p.flags)
        status = f"[{STATUS_STYLE.get(p.status, '')}]{p.status}[/]" + (" (refs)" if p.references_only else "")
        table.add_row(escape(p.label), status, f"{p.similarity:.2f}", themes + flags,
                      redline(p, plain=not console.is_terminal))
    console.print(table)
    if d.flags:
        flag_table = Table(title="Flags: moves toward centralization", title_justify="left")
        flag_table.add_column("rule")
        flag_table.add_column("section")
        flag_table.add_column("evidence", overflow="fold")
        for f in d.flags:
            evidence = "; ".join(f"{'+' if e.change == 'inserted' else '-' if e.change == 'deleted' else ''}"
                                 f"{escape(e.text)} [dim]@{e.side}:{e.start}[/]" for e in f.evidence[:4])
            flag_table.add_row(escape(f.rule), escape(f"{f.old or '—'} → {f.new or '—'}"), evidence)
        console.print(flag_table)
        console.print("flags by rule: " + ", ".join(f"{k} {v}" for k, v in summary["flags"].items()))


def _md(text: str) -> str:
    return md_escape(text, "<br>")


def to_markdown(d: DocumentDiff, include_unchanged: bool = False) -> str:
    """Markdown with GitHub-style ~~deletions~~ and **insertions**; document text escaped."""
    old, new = d.old.meta, d.new.meta
    summary = d.summary()
    lines = [f"# {_md(old.title or old.source)} → {_md(new.title or new.source)}", "",
             f"- Old: {_md(old.source)} ({old.date or 'undated'})",
             f"- New: {_md(new.source)} ({new.date or 'undated'})",
             "- Sections: " + ", ".join(f"{k} {v}" for k, v in summary["statuses"].items() if v),
             f"- Characters: {summary['characters']['inserted']} inserted, "
             f"{summary['characters']['deleted']} deleted", ""]
    lines += ["| old → new | status | similarity | themes | flags |", "|---|---|---:|---|---|"]
    for p in changed_pairs(d, include_unchanged):
        themes = " ".join([f"+{t}" for t in p.themes_gained] + [f"−{t}" for t in p.themes_lost])
        lines.append(f"| {_md(p.label)} | {p.status}{' (references only)' if p.references_only else ''} | "
                     f"{p.similarity:.2f} | {themes} | {', '.join(f.rule for f in p.flags)} |")
    lines.append("")
    for p in changed_pairs(d, include_unchanged):
        lines += [f"## {_md(p.label)} ({p.status})", ""]
        if p.text_diff is None:
            section = p.new or p.old
            assert section is not None
            mark = "**" if p.new else "~~"
            lines += [f"{mark}{_md(section.text)}{mark}", ""]
        else:
            parts = []
            for o in p.text_diff.ops:
                t = _md(o.text)
                parts.append(f"**{t}**" if o.op == INSERT else f"~~{t}~~" if o.op == DELETE else t)
            lines += ["".join(parts), ""]
        for f in p.flags:
            words = ", ".join(f"“{_md(e.text)}” ({e.change}, {e.side} {e.start}–{e.end})" for e in f.evidence)
            lines += [f"> ⚑ **{f.rule}**: {_md(f.description)} — {words}", ""]
    if d.flags:
        lines += ["## Flags by rule", ""] + [f"- {k}: {v}" for k, v in summary["flags"].items()] + [""]
    return "\n".join(lines)
