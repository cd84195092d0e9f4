"""Plain-text and Markdown renderings of the amendment cross-check and of `scdocs amend`.

Kept apart from the diff reports so that they can be placed in those reports (a section after
the summary) without changing how the reports are built.
"""

from __future__ import annotations

from scdocs.changes.amend import AmendResult, Difference
from scdocs.changes.crosscheck import AmendmentCheck, Change
from scdocs.document.numerals import int_to_chinese
from scdocs.formats.render import counted, md_escape

SHOWN = 60  # characters of a changed passage shown before it is cut


def _cut(text: str) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _change(c: Change) -> str:
    if c.kind != "words":
        return f"{c.label}: article {c.kind}"
    return f"{c.label}: “{_cut(c.deleted)}” → “{_cut(c.inserted)}”"


def _counts(check: AmendmentCheck) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in check.counts().items() if n)
    return (f"{check.instructions} instructions, {len(check.matches)} operations: {counts}; "
            f"{len(check.unexplained)} change{'' if len(check.unexplained) == 1 else 's'} no instruction explains")


def check_text(check: AmendmentCheck) -> str:
    """The cross-check as plain lines: the counts, each operation with its status, the unexplained changes."""
    lines = ["Amending instructions: " + _counts(check)]
    if check.problem:
        lines.append(f"  problem: {check.problem}")
    for m in check.matches:
        lines.append(f"  {m.amendment.label} {m.status}: {m.amendment.describe()} — {m.note}")
    if check.unexplained:
        lines.append("Changes no instruction explains:")
        lines += [f"  {_change(c)}" for c in check.unexplained]
    return "\n".join(lines) + "\n"


def check_markdown(check: AmendmentCheck) -> str:
    """The cross-check as a Markdown section (document text escaped)."""
    def md(text: str) -> str:
        return md_escape(text, "<br>")

    lines = ["## Amending instructions", "", md(_counts(check)), ""]
    if check.problem:
        lines += [f"> {md(check.problem)}", ""]
    lines += ["| instruction | operation | status | what the diff shows |", "|---|---|---|---|"]
    for m in check.matches:
        lines.append(f"| {md(m.amendment.label)} | {md(m.amendment.describe())} | {m.status} | {md(m.note)} |")
    lines.append("")
    if check.unexplained:
        lines += ["### Changes no instruction explains", ""] + [f"- {md(_change(c))}" for c in check.unexplained]
        lines.append("")
    return "\n".join(lines)


def _difference(d: Difference) -> str:
    where = f"article {d.article} (第{int_to_chinese(d.article)}条)"
    if d.kind == "missing":
        return f"{where}: only in the published text: “{_cut(d.published)}”"
    if d.kind == "extra":
        return f"{where}: only in the amended text: “{_cut(d.amended)}”"
    if not d.amended:
        words = f"the published text adds “{_cut(d.published)}”"
    elif not d.published:
        words = f"the published text lacks “{_cut(d.amended)}”"
    else:
        words = f"amended “{_cut(d.amended)}”, published “{_cut(d.published)}”"
    point = f" point {d.point}" if d.point else ""
    return (f"{where}, paragraph {d.paragraph}{point}: {words} "
            f"in …{_cut(d.before)}[{_cut(d.amended)}|{_cut(d.published)}]{_cut(d.after)}…")


def amend_text(result: AmendResult) -> str:
    """What `scdocs amend` prints: the instructions carried out, then each difference from the published text."""
    old, decision = result.old.meta, result.decision.meta
    found = result.amendments
    units = [u for u in result.amended.units() if u.kind == "article"]
    lines = [f"{old.title or old.ref} ({old.ref}) amended by {decision.ref or decision.title}",
             f"{counted(len({a.number for a in found if a.number is not None}), 'instruction')} "
             f"({counted(len(found), 'operation')}) "
             f"carried out: {len(units)} articles"]
    lines += [f"  {a.label} {a.describe()}" for a in found]
    lines += [f"note: {n}" for n in result.notes]
    if not result.compared:
        lines.append("The decision carries no consolidated text to compare with.")
    elif result.identical:
        lines.append("The result is identical to the published consolidated text.")
    else:
        lines.append(f"{len(result.differences)} difference{'s' if len(result.differences) > 1 else ''} "
                     "from the published consolidated text:")
        lines += [f"  {_difference(d)}" for d in result.differences]
    return "\n".join(lines) + "\n"
