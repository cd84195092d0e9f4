"""Batch work at scale: read, tag and index many documents, resumably, on any engine.

The unit of work is one document's bytes plus the catalogue's metadata for it, so a worker
needs no access to the user's files or data directory (a Dask worker on another machine
works the same). A document whose content (and taxonomy and scdocs version) is unchanged
since it was last indexed is skipped: an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import __version__
from .engine import run
from .index import DocRecord, SearchIndex, record

DOCUMENT_SUFFIXES = {".md", ".txt", ".html", ".htm", ".json", ".xml", ".docx"}


@dataclass(frozen=True)
class Job:
    doc_id: str
    name: str
    data: bytes
    meta: dict[str, str] = field(default_factory=dict)
    origin: str = ""

    def fingerprint(self, taxonomy_text: str) -> str:
        h = hashlib.sha256(self.data)
        h.update(taxonomy_text.encode("utf-8"))
        h.update(__version__.encode())
        return "sha256:" + h.hexdigest()


@dataclass(frozen=True)
class Outcome:
    doc_id: str
    record: DocRecord | None
    tags_json: str  # one JSON line: the document's tags (scdocs-tags v1)
    error: str = ""


def process(job: Job, taxonomy: str | None, fingerprint: str) -> Outcome:
    """Read, tag and prepare index rows for one document (pure: runs in any worker)."""
    from .errors import ScdocsError
    from .readers import read_bytes
    from .themes import tag

    try:
        doc = read_bytes(job.data, job.name)
    except ScdocsError as exc:
        return Outcome(job.doc_id, None, "", str(exc))
    for key, value in job.meta.items():
        if value and hasattr(doc.meta, key):
            setattr(doc.meta, key, value)
    doc.meta.extra["id"] = job.doc_id
    tags = tag(doc, taxonomy)
    return Outcome(job.doc_id, record(job.doc_id, fingerprint, doc, tags, job.origin),
                   json.dumps(tags.to_dict(), ensure_ascii=False, separators=(",", ":")))


def taxonomy_text(taxonomy: str | None) -> str:
    return Path(taxonomy).read_text(encoding="utf-8") if taxonomy else ""


def directory_jobs(root: Path) -> Iterator[Job]:
    """Every document file below `root`, with its path relative to `root` as its id."""
    origin = f"folder:{root.resolve()}"
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES):
        yield Job(path.relative_to(root).as_posix(), path.name, path.read_bytes(), origin=origin)


def corpus_jobs() -> Iterator[Job]:
    """Every fetched catalogue document, with the catalogue's metadata."""
    from .corpus import Catalogue

    catalogue = Catalogue.default()
    for doc_id in catalogue.ids():
        if catalogue.is_fetched(doc_id):
            entry = catalogue.get(doc_id)
            path = catalogue.path(doc_id)
            yield Job(doc_id, path.name, path.read_bytes(),
                      {"title": entry.title_zh, "issuer": "、".join(entry.issuers), "date": entry.date,
                       "doc_number": entry.doc_number, "kind": entry.kind}, origin="corpus")


@dataclass
class Report:
    processed: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    removed: int = 0


def update_index(index: SearchIndex, jobs: list[Job], taxonomy: str | None = None, jobs_n: int = 1,
                 engine: str = "local", scheduler: str | None = None, prune: bool = False,
                 on_result=None) -> Report:  # type: ignore[no-untyped-def]
    """Bring the index up to date with `jobs`: unchanged documents are skipped, changed ones redone.

    `on_result(outcome)` is called for each processed document, in order (for streaming output
    and progress). With `prune`, documents no longer among the jobs leave the index.
    """
    text = taxonomy_text(taxonomy)
    known = index.hashes()
    todo, report = [], Report()
    origins = {j.origin for j in jobs}
    for job in jobs:
        fp = job.fingerprint(text)
        if known.get(job.doc_id) == fp:
            report.skipped += 1
        else:
            todo.append((job, fp))
    if prune:  # documents of the same origin that are no longer there (never another origin's)
        present = {j.doc_id for j in jobs}
        gone = {d for origin in origins for d in index.hashes(origin) if d not in present}
        index.remove(gone)
        report.removed = len(gone)
    work = partial(_process_pair, taxonomy=taxonomy)
    for outcome in run(work, todo, jobs_n, engine, scheduler):
        if outcome.record is None:
            report.failed.append(outcome.error)
        else:
            index.put(outcome.record)
            report.processed += 1
        if on_result is not None:
            on_result(outcome)
    return report


def _process_pair(pair: tuple[Job, str], taxonomy: str | None) -> Outcome:
    job, fingerprint = pair
    return process(job, taxonomy, fingerprint)


def default_index_path() -> Path:
    from .corpus import data_dir

    return data_dir() / "index.sqlite"
