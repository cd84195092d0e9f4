"""`scdocs annotate …`: scholars' annotations (add, list, show, remove, check, import, export, migrate)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scdocs.cli import completion
from scdocs.cli.common import DocArg, OutputOpt, anchored, counted, doc_label, emit, find_section, load_doc
from scdocs.cli.root import app, fail
from scdocs.formats.render import clip
from scdocs.formats.webanno import JSONLD_CONTEXT

if TYPE_CHECKING:
    from scdocs.annotations import Annotation, AnnotationStore
    from scdocs.document.model import Document

annotate_app = typer.Typer(
    help=("Scholars' annotations: W3C Web Annotations that follow the text into new versions.\n\n"
          "Example: `scdocs annotate add scs-opinions-2022 19 --quote 中央统筹 --note \"central role\"`, then "
          "`scdocs annotate migrate OLD --to NEW` when a new version appears."),
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(annotate_app, name="annotate")

StoreOpt = Annotated[Path | None, typer.Option("--store", metavar="DIR",
                                               help="Annotation folder (default ./annotations or $SCDOCS_STORE).")]


class ExportFormat(StrEnum):
    jsonld = "jsonld"
    hypothesis = "hypothesis"


def _store(path: Path | None) -> AnnotationStore:
    from scdocs.annotations import AnnotationStore

    return AnnotationStore(path)


def _short(ident: str) -> str:
    return ident.removeprefix("urn:uuid:")[:8]


@annotate_app.command("add")
def add(
    doc: DocArg,
    section: Annotated[str, typer.Argument(metavar="SECTION", help="Number (19), printed num (第十九条) or eId.")],
    quote: Annotated[str, typer.Option("--quote", "-q", help="The words to annotate (must occur in SECTION; "
                                                               "punctuation width and spaces need not match).")],
    note: Annotated[str, typer.Option("--note", "-n", help="The note.")] = "",
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag: a theme id or a free tag (repeatable).")]
    = None,
    by: Annotated[str, typer.Option("--by", help="Who writes the annotation.")] = "anonymous",
    motivation: Annotated[str, typer.Option("--motivation", help="commenting, tagging or highlighting.")]
    = "commenting",
    occurrence: Annotated[int, typer.Option("--occurrence", min=1, help="Which occurrence of the quote.")] = 1,
    store: StoreOpt = None,
) -> None:
    """Annotate words of one section of DOC.

    Example: `scdocs annotate add scs-opinions-2022 19 --quote 中央统筹 --note "central role" --tag centralization`
    """
    from scdocs.annotations import locate_quote, new_annotation

    d = load_doc(doc)
    target = find_section(d, section, doc)
    annotation = new_annotation(d, target, quote, note, tuple(tag or ()), by, motivation, occurrence)
    s = _store(store)
    s.add(d, annotation)  # the same note twice (a command run again) is refused there
    match = locate_quote(target, quote)
    count = match.count if match else 1
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"added {_short(annotation.id)} on {escape(target.label)} (characters {annotation.anchor.start}–"
        f"{annotation.anchor.end}) in {s.path_for(d)}"
        + (f"; matched as “{escape(annotation.anchor.exact.replace(chr(10), '⏎'))}”" if match and match.folded else "")
        + (f"; occurrence {occurrence} of {count} (--occurrence N picks another)" if count > 1 else ""))
    print(annotation.id)


@annotate_app.command("list")
def list_(doc: DocArg, store: StoreOpt = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False) -> None:
    """List the annotations of DOC.

    Example: `scdocs annotate list scs-opinions-2022`
    """
    d = load_doc(doc)
    notes = _store(store)
    items = notes.load(d)
    if not notes.root.exists():  # a mistyped --store would otherwise read as "no annotations"
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[yellow]warning:[/] no annotation store at {escape(str(notes.root))} (--store or SCDOCS_STORE names "
            "the folder)")
    if as_json:
        for a in items:
            print(json.dumps(a.to_jsonld(), ensure_ascii=False))
        return
    table = Table(title=f"{counted(len(items), 'annotation')} on {escape(doc_label(d, doc))}", title_justify="left")
    for col in ("id", "section", "quote", "note", "tags", "by", "anchoring"):
        table.add_column(col, overflow="fold")
    names = {s.eid: s.name for s in d.walk()}  # the section as printed (（十九）), as `add` names it
    for a in items:
        section = names.get(a.anchor.eid or "", a.anchor.eid or "")
        if a.anchoring and a.anchoring.get("outcome") == "orphaned":  # its eId is the old version's
            section = f"— (was {a.anchor.eid or '?'} in the old version)"
        table.add_row(_short(a.id), escape(section), escape(clip(a.anchor.exact, 40)),
                      escape(clip(a.note, 60)), escape(", ".join(a.tags)), escape(a.creator), _anchoring(a, d))
    Console(highlight=False).print(table)


def _anchoring(a: Annotation, d: Document) -> str:
    """How an annotation anchors in this document now, and how it came here if migrated:
    `exact`, `exact (migrated: fuzzy)`, `orphaned`, or `not at its place` (see `annotate check`)."""
    outcome = a.anchoring.get("outcome") if a.anchoring else None
    if outcome == "orphaned":
        return "[yellow]orphaned[/]"
    if not a.anchors_in(d):
        return "[red]not at its place[/]"
    return "exact" + (f" (migrated: {escape(str(outcome))})" if outcome else "")


@annotate_app.command("show")
def show(ident: Annotated[str, typer.Argument(metavar="ID", help="An annotation id or its first characters.")],
         store: StoreOpt = None) -> None:
    """Print one annotation (JSON-LD).

    Example: `scdocs annotate show 3f2a9c1e`
    """
    path, a = _store(store).find(ident)
    Console(stderr=True, soft_wrap=True).print(f"[dim]{path}[/]")
    # a standalone W3C annotation carries its context (in a collection the collection carries it)
    print(json.dumps({"@context": JSONLD_CONTEXT, **a.to_jsonld()}, ensure_ascii=False, indent=2))


@annotate_app.command("remove")
def remove(ident: Annotated[str, typer.Argument(metavar="ID", help="An annotation id or its first characters.")],
           store: StoreOpt = None) -> None:
    """Remove one annotation.

    Example: `scdocs annotate remove 3f2a9c1e`
    """
    a = _store(store).remove(ident)
    Console(stderr=True, soft_wrap=True).print(f"removed {_short(a.id)}")


@annotate_app.command("check")
def check(doc: DocArg, store: StoreOpt = None,
          fix: Annotated[bool, typer.Option("--fix", help="Move each annotation that is not at its place to its "
                                                          "words, where the text has them once (or its recorded "
                                                          "context singles one out): for a file you edited.")]
          = False) -> None:
    """Check that every annotation of DOC anchors exactly (its words at its position). Exit 1 if not.

    Examples: `scdocs annotate check scs-opinions-2022`; after editing your own file,
    `scdocs annotate check my-draft.txt --fix` re-anchors its notes on their words.
    """
    from scdocs.annotations.formats import relocated
    from scdocs.formats.webanno import content_hash

    d = load_doc(doc)
    notes = _store(store)
    items = notes.load(d)
    if fix and any(not a.anchors_in(d) for a in items):
        moved = 0

        def fixed(current: list[Annotation]) -> list[Annotation]:
            nonlocal moved
            out = []
            for a in current:
                b = a if a.anchors_in(d) else relocated(a, d)
                moved += b is not None and b is not a
                out.append(b if b is not None else a)
            return out

        items = notes.update(d, fixed)
        Console(stderr=True, soft_wrap=True).print(f"re-anchored {moved} annotation{'s' if moved != 1 else ''}")
    digest = content_hash(d)
    console = Console(highlight=False)
    bad = 0
    for a in items:
        if not a.anchors_in(d):
            here = d.text[a.anchor.start: a.anchor.end]
            bad += 1
            orphan = a.anchoring is not None and a.anchoring.get("outcome") == "orphaned"
            console.print(f"[red]✗[/] {_short(a.id)} “{escape(clip(a.anchor.exact, 30))}” "
                          + (f"is orphaned: {_orphan_reason(a, d)} (kept, not anchored)" if orphan else
                             f"is not at {a.anchor.start}–{a.anchor.end} (found “{escape(here[:30])}”)"))
        elif a.anchor.content_hash and a.anchor.content_hash != digest:
            console.print(f"[yellow]~[/] {_short(a.id)} anchors, but the document text changed since it was made")
    console.print(f"{len(items) - bad} of {len(items)} annotations anchor exactly")
    if bad:
        raise typer.Exit(1)


def _orphan_reason(a: Annotation, doc: Document) -> str:
    """Why a note has no place in `doc`, in words a reader can check: its words are nowhere in it, or
    they are, but none of their places lies where the note's passage went."""
    found = doc.text.count(a.anchor.exact) if a.anchor.exact else 0
    if not found:
        return "its words are not in this version"
    return (f"its words occur {'once' if found == 1 else f'{found} times'} in this version, but not where its "
            "passage went (`annotate add` anchors it anew)")


@annotate_app.command("export")
def export(doc: DocArg, store: StoreOpt = None,
           fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonld (W3C) or hypothesis.")]
           = ExportFormat.jsonld,
           output: OutputOpt = None) -> None:
    """Export the annotations of DOC as W3C JSON-LD or in Hypothesis' API format.

    Example: `scdocs annotate export scs-opinions-2022 --format hypothesis --output notes.json`
    """
    from scdocs.annotations.formats import to_hypothesis, to_jsonld_collection

    d = load_doc(doc)
    notes = _store(store)
    items = notes.load(d)
    if fmt is ExportFormat.hypothesis:  # Hypothesis places a note by its position: only notes that anchor here
        items = anchored(doc, d, items, "the JSON-LD export keeps them, marked")
    data = to_hypothesis(d, items) if fmt is ExportFormat.hypothesis else to_jsonld_collection(d, items)
    emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, inputs=(doc, str(notes.path_for(d))))


@annotate_app.command("import")
def import_(doc: DocArg,
            file: Annotated[Path, typer.Argument(metavar="FILE", help="W3C JSON-LD or a Hypothesis export.")],
            store: StoreOpt = None) -> None:
    """Import annotations for DOC from a W3C JSON-LD file or a Hypothesis export.

    Example: `scdocs annotate import scs-opinions-2022 notes.jsonld`
    """
    from scdocs.annotations.formats import read_import

    d = load_doc(doc)
    incoming = read_import(file, d)
    s = _store(store)
    added = 0

    def merge(items: list[Annotation]) -> list[Annotation]:
        nonlocal added
        fresh = {a.id: a for a in incoming if a.id not in {x.id for x in items}}  # one of each id
        added = len(fresh)
        return items + list(fresh.values())

    s.update(d, merge)
    Console(stderr=True, soft_wrap=True).print(
        f"imported {counted(added, 'annotation')} ({len(incoming) - added} already present)")


@annotate_app.command("migrate")
def migrate(
    old: Annotated[str, typer.Argument(metavar="OLD", autocompletion=completion.corpus_ids, show_default=False,
                                       help="The version the annotations are on: a corpus id, a file path, an "
                                            "http(s) URL or - (standard input).")],
    to: Annotated[str, typer.Option("--to", metavar="NEW", help="The new version (corpus id, file or URL).")],
    store: StoreOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Migrate even when NEW does not look like a version of "
                                                        "OLD (under a fifth of their sections align closely, as "
                                                        "diff warns).")] = False,
) -> None:
    """Carry the annotations of OLD onto its new version NEW, reporting each one's outcome.

    Outcomes, most confident first: position, section (exact words in the aligned section),
    elsewhere, fuzzy, orphaned (kept and reported, never dropped or misplaced).

    Example: `scdocs annotate migrate enterprise-info-disclosure-regs-2014 --to enterprise-info-disclosure-regs-2024`
    """
    from scdocs.annotations import OUTCOMES, Reanchorer

    a, b = load_doc(old), load_doc(to)
    s = _store(store)
    if s.path_for(a) == s.path_for(b):
        fail(f"{old} and {to} are the same document; migrate from one version to another")
    items = s.load(a)
    # Copies migrated from NEW's own notes (NEW → OLD → NEW, or back again) are those notes: not added twice.
    theirs = {x.id for x in s.load(b)}
    back = [x for x in items if x.extra.get("scdocs:migratedFrom") in theirs]
    items = [x for x in items if x.extra.get("scdocs:migratedFrom") not in theirs]
    if back:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"{counted(len(back), 'annotation')} of {escape(old)} came from {escape(to)} by migration and "
            f"{'is' if len(back) == 1 else 'are'} there already: left out")
        if not items:
            return
    if not items:  # nothing to do is not an error: a script migrating every version goes on
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"{escape(old)}: nothing to migrate (no annotations in {escape(str(s.path_for(a)))})")
        return
    reanchorer = Reanchorer(a, b)
    if reanchorer.unrelated and not force:  # a typo in NEW would file the notes under another text
        fail(f"{to} does not look like a version of {old} ({reanchorer.unrelated}); nothing migrated "
             "(--force migrates anyway)")
    result = reanchorer.migrate(items)
    migrated = {m.id: m for m in result.annotations}

    def merge(existing: list[Annotation]) -> list[Annotation]:
        return [x for x in existing if x.id not in migrated] + result.annotations

    s.update(b, merge)
    table = Table(title=f"{counted(len(items), 'annotation')} migrated", title_justify="left")
    table.add_column("outcome")
    table.add_column("annotations", justify="right")
    for outcome in OUTCOMES:
        table.add_row(outcome, str(result.counts[outcome]))
    console = Console(highlight=False)
    console.print(table)
    console.print(f"into {escape(str(s.path_for(b)))}", soft_wrap=True)  # a path is never wrapped inside a word
    for m in result.annotations:
        if m.anchoring and m.anchoring["outcome"] == "orphaned":
            console.print(f"[yellow]orphaned[/] {_short(m.id)} {escape(clip(m.anchor.exact, 40))!r}: "
                          f"{escape(_orphan_reason(m, b))}", soft_wrap=True)
