"""Full-text search over sections with SQLite FTS5 (trigram tokenizer: no word segmentation needed
for Chinese), kept in the user data directory and brought up to date by content hash."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.document.query import search_terms
from scdocs.errors import ScdocsError, unknown_value

if TYPE_CHECKING:
    from scdocs.document.model import Document
    from scdocs.themes.result import DocumentTags

INDEX_FORMAT_VERSION = 2  # 2: documents keyed by (origin, id)
SEARCH_FORMAT = "scdocs-search"
SEARCH_FORMAT_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_key TEXT PRIMARY KEY, origin TEXT NOT NULL, doc_id TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT,
    issuer TEXT, date TEXT, kind TEXT, doc_number TEXT, source TEXT);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY, doc_key TEXT NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
    eid TEXT, num TEXT, number INTEGER, heading TEXT, start INTEGER, "end" INTEGER, themes TEXT, text TEXT);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_key);
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(text, content='sections', content_rowid='id',
                                                            tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS sections_ai AFTER INSERT ON sections BEGIN
  INSERT INTO sections_fts(rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER IF NOT EXISTS sections_ad AFTER DELETE ON sections BEGIN
  INSERT INTO sections_fts(sections_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
"""


@dataclass(frozen=True)
class DocRecord:
    """What the index keeps of one document, and its sections (rows), ready to insert."""

    doc_id: str
    content_hash: str
    title: str
    issuer: str
    date: str
    kind: str
    doc_number: str
    source: str
    origin: str  # "corpus", or the folder a batch read it from: pruning never crosses origins
    sections: tuple[tuple[str, str | None, int | None, str | None, int, int, str, str], ...]


@dataclass(frozen=True)
class Hit:
    doc_id: str
    title: str
    issuer: str
    date: str
    doc_number: str
    kind: str
    eid: str
    num: str | None
    heading: str | None
    start: int
    end: int
    themes: tuple[str, ...]
    text: str

    def snippet(self, query: str, width: int = 24) -> tuple[str, int, int]:
        """A stretch around the first match: (snippet, match start, match end) within the snippet."""
        i = self.text.find(query)
        if i == -1:
            i = self.text.lower().find(query.lower())
        a, b = max(0, i - width), min(len(self.text), i + len(query) + width)
        prefix = "…" if a > 0 else ""
        snippet = prefix + self.text[a:b].replace("\n", " ") + ("…" if b < len(self.text) else "")
        return snippet, len(prefix) + i - a, len(prefix) + i - a + len(query)

    def citation(self) -> str:
        from scdocs.document.citation import Citation

        return Citation(self.title, self.issuer, self.date, self.doc_number, self.num or self.eid,
                        self.heading or "", self.doc_id).text()

    def to_dict(self, query: str) -> dict[str, object]:
        """The hit as scdocs-search JSON shows it (the snippet is cut around `query`)."""
        return {"doc_id": self.doc_id, "title": self.title, "issuer": self.issuer, "date": self.date,
                "kind": self.kind, "eId": self.eid, "num": self.num, "heading": self.heading, "start": self.start,
                "end": self.end, "themes": list(self.themes), "snippet": self.snippet(query)[0],
                "citation": self.citation()}


def search_json(query: str, hits: Iterable[Hit]) -> str:
    """scdocs-search JSON: one object with the query and its hits."""
    import json

    return json.dumps({"format": SEARCH_FORMAT, "format_version": SEARCH_FORMAT_VERSION, "query": query,
                       "hits": [h.to_dict(query) for h in hits]}, ensure_ascii=False, indent=2)


def search_jsonl_lines(query: str, hits: Iterable[Hit]) -> Iterator[str]:
    """scdocs-search-hit JSON Lines: one self-describing line per hit, for streaming."""
    import json

    for h in hits:
        yield json.dumps({"format": f"{SEARCH_FORMAT}-hit", "format_version": SEARCH_FORMAT_VERSION,
                          "query": query, **h.to_dict(query)}, ensure_ascii=False) + "\n"


def check_date(value: str | None, option: str = "date") -> str | None:
    """An ISO date or its prefix (2020, 2020-03, 2020-03-29), checked so that a typo is not a silent filter."""
    if value is None:
        return None
    import datetime
    import re

    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    try:
        if not m:
            raise ValueError
        datetime.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise ScdocsError(f"{option} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return value.strip()


def record(doc_id: str, content_hash: str, doc: Document, tags: DocumentTags, origin: str = "") -> DocRecord:
    """A DocRecord from a Document and its DocumentTags (pure; runs in workers)."""
    m = doc.meta
    rows = tuple((st.section.eid, st.section.num, st.section.number, st.section.heading, st.section.start,
                  st.section.end, "," + ",".join(st.theme_ids) + ",", st.section.text) for st in tags.sections)
    return DocRecord(doc_id, content_hash, m.title, m.issuer, m.date, m.kind, m.doc_number, m.source, origin, rows)


def _key(origin: str, doc_id: str) -> str:
    return f"{origin}\x1f{doc_id}"


SQLITE_MAGIC = b"SQLite format 3\x00"


def check_index_file(path: Path) -> None:
    """Refuse a file that is not an scdocs search index (a text, another program's database): opening
    it would add tables to it, and rebuilding it would delete it."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ScdocsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head != SQLITE_MAGIC:
        raise ScdocsError(f"{path}: not an scdocs search index (not an SQLite database); give another path")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return  # a damaged index: opening it says so
    if found is None:
        raise ScdocsError(f"{path}: an SQLite database, but not an scdocs search index; give another path")


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        check_index_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path))
        except (OSError, sqlite3.Error) as exc:
            raise ScdocsError(f"{path}: cannot open the search index ({exc})") from None
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.executescript(SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('format_version', ?)", (str(INDEX_FORMAT_VERSION),))
            version = self.db.execute("SELECT value FROM meta WHERE key='format_version'").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ScdocsError(f"{path}: the search index is damaged or from an older scdocs ({exc}); "
                              "run `scdocs index --rebuild` (or delete it)") from None
        if version != str(INDEX_FORMAT_VERSION):
            self.db.close()
            raise ScdocsError(f"{path}: search index format {version} is not {INDEX_FORMAT_VERSION}; "
                              "run `scdocs index --rebuild` (or delete it)")

    def close(self) -> None:
        self.db.close()

    def hashes(self, origin: str) -> dict[str, str]:
        """Content fingerprints by document id, for the documents of one origin (the corpus, or a
        folder a batch read): ids are unique within an origin, not across them."""
        return dict(self.db.execute("SELECT doc_id, content_hash FROM documents WHERE origin = ?", (origin,)))

    def put(self, rec: DocRecord) -> None:
        """Replace one document's rows (a transaction: a crash leaves the old rows or the new ones)."""
        with self.db:
            key = _key(rec.origin, rec.doc_id)
            self.db.execute("DELETE FROM sections WHERE doc_key = ?", (key,))
            self.db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (key, rec.origin, rec.doc_id, rec.content_hash, rec.title, rec.issuer, rec.date,
                             rec.kind, rec.doc_number, rec.source))
            self.db.executemany('INSERT INTO sections (doc_key, eid, num, number, heading, start, "end", themes, '
                                "text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [(key, *row) for row in rec.sections])

    def remove(self, origin: str, doc_ids: Iterable[str]) -> None:
        with self.db:
            for doc_id in doc_ids:
                key = _key(origin, doc_id)
                self.db.execute("DELETE FROM sections WHERE doc_key = ?", (key,))
                self.db.execute("DELETE FROM documents WHERE doc_key = ?", (key,))

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(self, query: str, theme: str | None = None, kind: str | None = None, since: str | None = None,
               until: str | None = None, limit: int | None = None) -> Iterator[Hit]:
        """Sections containing every term of `query` (`search_terms`; FTS5 trigram phrase match, LIKE
        for terms under 3 characters)."""
        where, args = self._where(query, theme, kind, since, until)
        columns = 'd.doc_id, d.title, d.issuer, d.date, d.doc_number, d.kind, s.eid, s.num, s.heading, s.start, s."end"'
        sql = (f"SELECT {columns}, s.themes, s.text FROM sections s JOIN documents d USING (doc_key) WHERE "
               + where + " ORDER BY d.date, d.doc_id, s.start"
               + (f" LIMIT {int(limit)}" if limit else ""))
        for row in self.db.execute(sql, args):
            doc_id, title, issuer, date, doc_number, doc_kind, eid, num, heading, start, end, themes, text = row
            yield Hit(doc_id, title, issuer, date, doc_number, doc_kind, eid, num, heading, start, end,
                      tuple(t for t in themes.split(",") if t), text)

    def count(self, query: str, theme: str | None = None, kind: str | None = None, since: str | None = None,
              until: str | None = None) -> int:
        """How many sections `search` finds with no limit (so a limited listing can say "5 of 43")."""
        where, args = self._where(query, theme, kind, since, until)
        sql = "SELECT COUNT(*) FROM sections s JOIN documents d USING (doc_key) WHERE " + where
        return int(self.db.execute(sql, args).fetchone()[0])

    @staticmethod
    def _where(query: str, theme: str | None, kind: str | None, since: str | None,
               until: str | None) -> tuple[str, list[str]]:
        """The WHERE clause and its arguments shared by `search` and `count`; checks every filter."""
        from scdocs.corpus.catalogue import KINDS

        since, until = check_date(since, "since"), check_date(until, "until")
        if since and until and since > until + "~":  # 2024 after 2020: a range that holds nothing
            raise ScdocsError(f"--since {since} is after --until {until}: no date is in that range")
        terms = search_terms(query)
        if not terms:
            raise ScdocsError("empty search query")
        if kind and kind not in KINDS:
            raise unknown_value("kind", kind, KINDS)
        where, args = [], []
        for term in terms:  # every term must occur (個人 信息: both, anywhere in the section)
            if len(term) >= 3:
                where.append("s.id IN (SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?)")
                args.append('"' + term.replace('"', '""') + '"')
            else:
                where.append("s.text LIKE ? ESCAPE '\\'")
                args.append("%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if theme:
            where.append("s.themes LIKE ?")
            args.append(f"%,{theme},%")
        if kind:
            where.append("d.kind = ?")
            args.append(kind)
        if since:  # undated documents cannot satisfy a date filter
            where.append("d.date != '' AND d.date >= ?")
            args.append(since)
        if until:
            where.append("d.date != '' AND d.date <= ? || '~'")
            args.append(until)
        return " AND ".join(where), args
