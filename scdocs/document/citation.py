"""How a reader cites one section: 《标题》（发文机关，日期，文号）第十九项 heading."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from scdocs.document.model import Document, Section


@dataclass
class Citation:
    title: str
    issuer: str
    date: str
    doc_number: str
    num: str
    heading: str
    doc_id: str = ""

    @property
    def work(self) -> str:
        """《标题》, or for a document without a title its id or file name (never an empty 《》)."""
        return f"《{self.title}》" if self.title else self.doc_id or "(untitled document)"

    def text(self) -> str:
        """《标题》（发文机关，日期，文号）第十九项 heading — a citation a reader can follow."""
        parts = [p for p in (self.issuer, self.date, self.doc_number) if p]
        where = f"{self.num} {self.heading}".strip()
        return self.work + (f"（{'，'.join(parts)}）" if parts else "") + (f" {where}" if where else "")

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "issuer": self.issuer, "date": self.date, "doc_number": self.doc_number,
                "num": self.num, "heading": self.heading, "doc_id": self.doc_id, "text": self.text()}


def citation(doc: Document, section: Section) -> Citation:
    """The section's citation; a document read from a file outside the corpus is known by its file name."""
    m = doc.meta
    known_as = m.extra.get("id", "") or (PurePath(m.source).name if m.source and "://" not in m.source else m.source)
    return Citation(m.title, m.issuer, m.date, m.doc_number, section.name, section.heading or "", known_as)
