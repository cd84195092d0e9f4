"""Batch work at scale: read, tag and index many documents, resumably, on any engine.

The unit of work is one document's bytes plus the catalogue's metadata for it, so a worker
needs no access to the user's files or data directory (a Dask worker on another machine
works the same). A document whose content (and taxonomy and scdocs version) is unchanged
since it was last indexed is skipped: an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scdocs.corpus.engine import run, workers_for
from scdocs.corpus.index import DocRecord, SearchIndex, record
from scdocs.version import __version__

if TYPE_CHECKING:
    from scdocs.document.model import Document

DOCUMENT_SUFFIXES = {".md", ".txt", ".html", ".htm", ".json", ".xml", ".docx"}


@dataclass(frozen=True)
class Job:
    doc_id: str
    name: str
    data: bytes
    meta: dict[str, str] = field(default_factory=dict)
    origin: str = ""
    error: str = ""  # the file could not be read: reported, never processed

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
    origin: str = ""  # the job's origin (the corpus, or a folder): ids are unique within one


def process(job: Job, taxonomy: str | None, fingerprint: str) -> Outcome:
    """Read, tag and prepare index rows for one document (pure: runs in any worker)."""
    from scdocs.errors import ScdocsError
    from scdocs.readers import read_bytes
    from scdocs.themes import load_taxonomy, tag

    if job.error:
        return Outcome(job.doc_id, None, "", job.error, job.origin)
    try:
        doc = read_bytes(job.data, job.name)
        tags = tag(_with_meta(doc, job), load_taxonomy(taxonomy))
    except ScdocsError as exc:
        return Outcome(job.doc_id, None, "", str(exc), job.origin)
    return Outcome(job.doc_id, record(job.doc_id, fingerprint, doc, tags, job.origin),
                   json.dumps(tags.to_dict(), ensure_ascii=False, separators=(",", ":")), origin=job.origin)


def _with_meta(doc: Document, job: Job) -> Document:
    for key, value in job.meta.items():
        if value and hasattr(doc.meta, key):
            setattr(doc.meta, key, value)
    doc.meta.extra["id"] = job.doc_id
    return doc


def taxonomy_text(taxonomy: str | None) -> str:
    return Path(taxonomy).read_text(encoding="utf-8") if taxonomy else ""


def document_files(root: Path) -> list[Path]:
    """The document files below `root` (by extension), in a stable order: regular files, and names that
    are no folder but no readable file either (a dangling link, a named pipe), which become failed jobs
    that say so rather than being passed over in silence."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES and not p.is_dir())


def directory_jobs(root: Path) -> Iterator[Job]:
    """Every document file below `root`, read one at a time, with its path relative to `root` as its id.
    A file that cannot be read, or is over the size cap, becomes a job that reports the problem."""
    from scdocs.errors import ScdocsError
    from scdocs.readers import read_file_bytes

    origin = f"folder:{root.resolve()}"
    for path in document_files(root):
        doc_id = path.relative_to(root).as_posix()
        if not path.is_file():  # never opened: a named pipe would wait for a writer for ever
            why = "a link to nothing" if path.is_symlink() and not path.exists() else "not a regular file"
            yield Job(doc_id, path.name, b"", origin=origin, error=f"{path}: {why}")
            continue
        try:
            yield Job(doc_id, path.name, read_file_bytes(path), origin=origin)
        except ScdocsError as exc:
            yield Job(doc_id, path.name, b"", origin=origin, error=str(exc))


def corpus_jobs() -> Iterator[Job]:
    """Every fetched catalogue document, with the catalogue's metadata."""
    from scdocs.corpus.catalogue import Catalogue
    from scdocs.errors import ScdocsError

    catalogue = Catalogue.default()
    for doc_id in catalogue.fetched_ids():
        entry = catalogue.get(doc_id)
        path = catalogue.path(doc_id)
        meta = {"title": entry.title_zh, "issuer": "、".join(entry.issuers), "date": entry.date,
                "doc_number": entry.doc_number, "kind": entry.kind}
        try:
            yield Job(doc_id, path.name, catalogue.stored_bytes(doc_id), meta, origin="corpus")
        except ScdocsError as exc:  # an edited stored text is reported, never indexed as the catalogue's
            yield Job(doc_id, path.name, b"", meta, origin="corpus", error=str(exc))


@dataclass
class Report:
    processed: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    removed: int = 0


def update_index(index: SearchIndex, jobs: Iterable[Job], taxonomy: str | None = None, jobs_n: int | None = 1,
                 engine: str = "local", scheduler: str | None = None, prune: bool = False,
                 on_result: Callable[[Outcome], object] | None = None,
                 on_progress: Callable[[], object] | None = None) -> Report:
    """Bring the index up to date with `jobs`, streaming: unchanged documents are skipped, changed
    ones redone, with a bounded amount of work in flight whatever the number of documents.

    `on_result(outcome)` is called for each processed document, in order (streaming output);
    `on_progress()` for every document, processed or skipped. With `prune`, documents of the
    same origins that are no longer among the jobs leave the index.
    """
    text = taxonomy_text(taxonomy)
    report = Report()
    known: dict[str, dict[str, str]] = {}
    present: dict[str, set[str]] = {}

    def pending() -> Iterator[tuple[Job, str]]:
        for job in jobs:
            if job.origin not in known:
                known[job.origin] = index.hashes(job.origin)
                present[job.origin] = set()
            present[job.origin].add(job.doc_id)
            fp = "" if job.error else job.fingerprint(text)
            if fp and known[job.origin].get(job.doc_id) == fp:
                report.skipped += 1
                if on_progress is not None:
                    on_progress()
                continue
            yield job, fp

    workers = workers_for(jobs_n, len(jobs) if isinstance(jobs, Sized) else None)  # a known count sizes the pool
    for outcome in run(partial(_process_pair, taxonomy=taxonomy), pending(), workers, engine, scheduler):
        if outcome.record is None:  # its rows, if any, are of a text that no longer reads: they go
            report.failed.append(outcome.error)
            if outcome.doc_id in known.get(outcome.origin, {}):
                index.remove(outcome.origin, [outcome.doc_id])
                report.removed += 1
        else:
            index.put(outcome.record)
            report.processed += 1
        if on_result is not None:
            on_result(outcome)
        if on_progress is not None:
            on_progress()
    if prune:  # documents of the same origin that are no longer there (never another origin's)
        for origin, ids in known.items():
            gone = [d for d in ids if d not in present[origin]]
            index.remove(origin, gone)
            report.removed += len(gone)
    return report


def _process_pair(pair: tuple[Job, str], taxonomy: str | None) -> Outcome:
    job, fingerprint = pair
    return process(job, taxonomy, fingerprint)


def default_index_path() -> Path:
    from scdocs.corpus.catalogue import data_dir

    return data_dir() / "index.sqlite"
