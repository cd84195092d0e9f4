"""Handouts of excerpts: Markdown, a print-ready self-contained HTML file, Word .docx, JSON."""

from __future__ import annotations

import html
import io
import json
from datetime import date

from scdocs.formats.render import md_escape
from scdocs.formats.xmltext import xml_safe
from scdocs.reports.excerpts import EXCERPTS_FORMAT, EXCERPTS_FORMAT_VERSION, Excerpt, non_overlapping

CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif; line-height: 1.7;
       color: #1a1a1a; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; border-bottom: 2px solid #333; padding-bottom: .3em; }
.meta { color: #555; font-size: .9em; }
.excerpt { break-inside: avoid; margin: 1.6em 0; padding: .8em 1em; border-left: 4px solid #7a4; background: #fafaf6; }
.excerpt h2 { font-size: 1.05em; margin: 0 0 .4em; }
.text { white-space: pre-wrap; }
mark.theme { background: #ffe9a8; }
mark.annotation { background: #cde7ff; }
mark.query { background: #ffd0d0; }
.themes span { display: inline-block; font: .75em sans-serif; background: #e8efe0; border-radius: 3px;
               padding: 0 .4em; margin-right: .3em; }
.notes { margin: .6em 0 0; padding-left: 1.2em; font-size: .92em; color: #234; }
.cite { font-size: .85em; color: #444; margin-top: .5em; }
@media print { body { margin: 0; max-width: none; } .excerpt { background: none; } }
"""


def _heading(e: Excerpt) -> str:
    """《short title》 num heading: which document, which section."""
    return f"《{e.citation.title}》 {e.citation.num} {e.citation.heading}".strip()


def _marked(e: Excerpt, mark: tuple[str, str] | None = None) -> list[tuple[str, str | None]]:
    """The excerpt's text cut into (piece, highlight kind or None)."""
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for h in non_overlapping(e.highlights):
        if h.start > pos:
            pieces.append((e.text[pos: h.start], None))
        pieces.append((e.text[h.start: h.end], h.kind))
        pos = h.end
    pieces.append((e.text[pos:], None))
    return [p for p in pieces if p[0]]


def to_json(excerpts: list[Excerpt], title: str) -> str:
    return json.dumps({"format": EXCERPTS_FORMAT, "format_version": EXCERPTS_FORMAT_VERSION, "title": title,
                       "excerpts": [e.to_dict() for e in excerpts]}, ensure_ascii=False, indent=2) + "\n"


def to_markdown(excerpts: list[Excerpt], title: str) -> str:
    out = [f"# {md_escape(title)}", ""]
    for n, e in enumerate(excerpts, start=1):
        out += [f"## {n}. {md_escape(_heading(e))}", ""]
        body = "".join(f"=={md_escape(t)}==" if kind else md_escape(t) for t, kind in _marked(e))
        out += ["> " + line for line in body.split("\n")] + [""]
        if e.themes:
            out += ["Themes: " + ", ".join(e.themes), ""]
        for a in e.notes:
            out += [f"- Note ({md_escape(a.creator)}) on “{md_escape(a.anchor.exact)}”: {md_escape(a.note)}"
                    + (f" [{', '.join(a.tags)}]" if a.tags else "")]
        if e.notes:
            out.append("")
        out += [f"Source: {md_escape(e.citation.text())}", ""]
    return "\n".join(out).rstrip() + "\n"


def to_html(excerpts: list[Excerpt], title: str) -> str:
    """One self-contained, printable page; every piece of document text is escaped."""
    esc = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{esc(title)}</title>'
             f"<style>{CSS}</style></head><body>", f"<h1>{esc(title)}</h1>",
             f'<p class="meta">{len(excerpts)} excerpt{"" if len(excerpts) == 1 else "s"} · scdocs · '
             f'{date.today().isoformat()}</p>']
    for n, e in enumerate(excerpts, start=1):
        text = "".join(f'<mark class="{kind}">{esc(t)}</mark>' if kind else esc(t) for t, kind in _marked(e))
        themes = "".join(f"<span>{esc(t)}</span>" for t in e.themes)
        notes = "".join(f"<li><b>{esc(a.creator)}</b> on “{esc(a.anchor.exact)}”: {esc(a.note)}"
                        + (f" <i>[{esc(', '.join(a.tags))}]</i>" if a.tags else "") + "</li>" for a in e.notes)
        parts.append(
            f'<section class="excerpt" id="excerpt-{n}"><h2>{n}. {esc(_heading(e))}</h2>'
            f'<div class="themes">{themes}</div><div class="text">{text}</div>'
            + (f'<ul class="notes">{notes}</ul>' if notes else "")
            + f'<p class="cite">{esc(e.citation.text())}</p></section>')
    parts.append("</body></html>\n")
    return "".join(parts)


def to_docx(excerpts: list[Excerpt], title: str) -> bytes:
    """A Word handout: heading, each excerpt with highlighted evidence, notes and its citation."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.shared import Pt

    colour = {"theme": WD_COLOR_INDEX.YELLOW, "annotation": WD_COLOR_INDEX.TURQUOISE, "query": WD_COLOR_INDEX.PINK}
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")  # a CJK font
    d.core_properties.title = xml_safe(title)
    d.core_properties.author = "scdocs"
    d.add_heading(xml_safe(title), level=0)
    for n, e in enumerate(excerpts, start=1):
        d.add_heading(xml_safe(f"{n}. {_heading(e)}"), level=2)
        for line in _lines(_marked(e)):
            p = d.add_paragraph(style="Quote")
            for text, kind in line:
                run = p.add_run(xml_safe(text))
                if kind:
                    run.font.highlight_color = colour.get(kind, WD_COLOR_INDEX.YELLOW)
        if e.themes:
            d.add_paragraph("Themes: " + ", ".join(e.themes))
        for a in e.notes:
            note = f"{a.creator} on “{a.anchor.exact}”: {a.note}" + (f" [{', '.join(a.tags)}]" if a.tags else "")
            d.add_paragraph(xml_safe(note), style="List Bullet")
        cite = d.add_paragraph()
        cite.add_run(xml_safe(e.citation.text())).italic = True
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _lines(pieces: list[tuple[str, str | None]]) -> list[list[tuple[str, str | None]]]:
    """Split marked pieces at line breaks (one Word paragraph per line of the canonical text)."""
    lines: list[list[tuple[str, str | None]]] = [[]]
    for text, kind in pieces:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if part:
                lines[-1].append((part, kind))
    return lines
