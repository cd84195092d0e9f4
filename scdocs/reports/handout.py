"""Handouts of excerpts: Markdown, a print-ready self-contained HTML file, Word .docx, JSON."""

from __future__ import annotations

import html
import io
import itertools
import json
from datetime import UTC, date, datetime

from scdocs.formats.render import md_bold, md_escape, md_line_start
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
    return f"{e.citation.work} {e.citation.num} {e.citation.heading}".strip()


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
    """Markdown that renders alike on GitHub and in pandoc: highlights in **bold** (neither renders
    `==mark==`), every line of the text its own quoted paragraph, document text escaped."""
    out = [f"# {md_escape(title)}", ""]
    for n, e in enumerate(excerpts, start=1):
        out += [f"## {n}. {md_escape(_heading(e))}", ""]
        lines = [md_line_start("".join(md_bold(t) if kind else md_escape(t) for t, kind in _joined(line)))
                 for line in _lines(_marked(e))]
        out += [*"\n>\n".join("> " + line for line in lines if line).split("\n"), ""]
        if e.themes:
            out += ["Themes: " + md_escape(", ".join(e.theme_label(t) for t in e.themes)), ""]
        for a in e.notes:
            quote, note = md_escape(a.anchor.exact, " "), md_escape(a.note, " ")
            said = f"Note ({md_escape(a.creator)}) on “{quote}”: {note}" if a.note.strip() else \
                f"Highlight ({md_escape(a.creator)}) on “{quote}”"  # nothing said: no dangling colon
            out += [f"- {said}" + (f" \\[{md_escape(', '.join(a.tags))}\\]" if a.tags else "")]
        if e.notes:
            out.append("")
        out += [f"Source: {md_escape(e.citation.text())}", ""]
    return "\n".join(out).rstrip() + "\n"


def _joined(line: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Adjacent highlighted pieces as one: Markdown has one kind of mark, and `**a****b**` is no bold."""
    out: list[tuple[str, str | None]] = []
    for text, kind in line:
        if out and kind and out[-1][1]:
            out[-1] = (out[-1][0] + text, out[-1][1])
        else:
            out.append((text, kind))
    return out


def to_html(excerpts: list[Excerpt], title: str) -> str:
    """One self-contained, printable page; every piece of document text is escaped."""
    esc = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{esc(title)}</title>'
             f"<style>{CSS}</style></head><body>", f"<h1>{esc(title)}</h1>",
             f'<p class="meta">{len(excerpts)} excerpt{"" if len(excerpts) == 1 else "s"} · scdocs · '
             f'{date.today().isoformat()}</p>']
    for n, e in enumerate(excerpts, start=1):
        text = "".join(f'<mark class="{kind}">{esc(t)}</mark>' if kind else esc(t) for t, kind in _marked(e))
        themes = "".join(f"<span>{esc(e.theme_label(t))}</span>" for t in e.themes)
        notes = "".join(f"<li><b>{esc(a.creator)}</b> on “{esc(a.anchor.exact)}”"
                        + (f": {esc(a.note)}" if a.note.strip() else "")
                        + (f" <i>[{esc(', '.join(a.tags))}]</i>" if a.tags else "") + "</li>" for a in e.notes)
        parts.append(
            f'<section class="excerpt" id="excerpt-{n}"><h2>{n}. {esc(_heading(e))}</h2>'
            f'<div class="themes">{themes}</div><div class="text">{text}</div>'
            + (f'<ul class="notes">{notes}</ul>' if notes else "")
            + f'<p class="cite">{esc(e.citation.text())}</p></section>')
    parts.append("</body></html>\n")
    return "".join(parts)


#: A4 in twentieths of a point (21.0 × 29.7 cm); python-docx's template is US Letter.
A4_TWIPS = (11906, 16838)
#: The print margins of the HTML handout's @page rule (18 mm top and bottom, 16 mm left and right).
MARGINS_MM = (18, 16)


def _initials(name: str) -> str:
    words = name.split()
    return "".join(w[0] for w in words)[:3].upper() if words else ""


def _docx_pieces(e: Excerpt) -> list[tuple[int, int, str | None]]:
    """The excerpt cut into (start, end, highlight kind) at every highlight, every annotated quote's
    ends (so each note can be anchored on whole runs) and every line break (a piece of its own)."""
    text = e.text
    marks = non_overlapping(e.highlights)
    cuts = {0, len(text)}
    for h in marks:
        cuts |= {h.start, h.end}
    for a in e.notes:
        start = a.anchor.start - e.section.start
        cuts |= {start, start + len(a.anchor.exact)}
    for i, ch in enumerate(text):
        if ch == "\n":
            cuts |= {i, i + 1}
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    kinds = iter(marks)
    mark = next(kinds, None)
    pieces = []
    for start, end in itertools.pairwise(points):
        while mark is not None and mark.end <= start:
            mark = next(kinds, None)
        kind = mark.kind if mark is not None and mark.start <= start and end <= mark.end else None
        pieces.append((start, end, kind))
    return pieces


def to_docx(excerpts: list[Excerpt], title: str) -> bytes:
    """A Word handout on A4: heading, each excerpt with highlighted evidence and its citation; each
    scholar's note a Word comment anchored on the words it annotates."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, Twips
    from docx.text.run import Run

    colour = {"theme": WD_COLOR_INDEX.YELLOW, "annotation": WD_COLOR_INDEX.TURQUOISE, "query": WD_COLOR_INDEX.PINK}
    d = docx.Document()
    page = d.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    page.top_margin = page.bottom_margin = Mm(MARGINS_MM[0])
    page.left_margin = page.right_margin = Mm(MARGINS_MM[1])
    style = d.styles["Normal"]
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")  # a CJK font
    props = d.core_properties  # python-docx's template says 2013 and "generated by python-docx": ours instead
    props.title = xml_safe(title)
    props.author = props.last_modified_by = "scdocs"
    props.comments = ""
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    d.add_heading(xml_safe(title), level=0)
    for n, e in enumerate(excerpts, start=1):
        heading = d.add_heading(xml_safe(f"{n}. {_heading(e)}"), level=2)
        runs: list[tuple[int, int, Run]] = []
        p = None
        for start, end, kind in _docx_pieces(e):
            if e.text[start:end] == "\n":
                p = None
                continue
            if p is None:
                p = d.add_paragraph(style="Quote")
            run = p.add_run(xml_safe(e.text[start:end]))
            if kind:
                run.font.highlight_color = colour.get(kind, WD_COLOR_INDEX.YELLOW)
            runs.append((start, end, run))
        for a in e.notes:
            start = a.anchor.start - e.section.start
            end = start + len(a.anchor.exact)
            quoted = [run for s, t, run in runs if start <= s and t <= end] or heading.runs
            note = a.note + (f" [{', '.join(a.tags)}]" if a.tags else "")
            comment = d.add_comment(quoted, text=xml_safe(note), author=xml_safe(a.creator or "scdocs"),
                                    initials=xml_safe(_initials(a.creator or "scdocs")))
            written = _when(a.modified or a.created)
            if written is not None:  # the note's own time, not the export's
                comment._comment_elm.date = written
        if e.themes:
            d.add_paragraph(xml_safe("Themes: " + ", ".join(e.theme_label(t) for t in e.themes)))
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


def _when(stamp: str) -> datetime | None:
    """An annotation's ISO 8601 time (2026-12-02T17:39:39Z) as a datetime, or None if it is none."""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None
    except ValueError:
        return None
