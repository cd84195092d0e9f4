"""The annotation store: one W3C AnnotationCollection (JSON-LD) file per document.

Every change is load → modify → write under an exclusive file lock, and the write is
atomic (temporary file, fsync, rename), so two processes adding annotations at once lose
neither's, and a crash never leaves half a file. A file that does not validate is reported
and never written over.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from scdocs.annotations.model import Annotation, AnnotationError, from_jsonld
from scdocs.datafiles import default_store
from scdocs.document.model import Document
from scdocs.fileio import write_atomic
from scdocs.formats.webanno import JSONLD_CONTEXT, content_hash, document_uri

STORE_FORMAT_VERSION = 1
SUFFIX = ".jsonld"
LOCK_TIMEOUT = 60.0


def document_key(doc: Document) -> str:
    """The file name stem for a document: its corpus id; for a user's own file or URL, its name and
    a short hash of where it lives (two files called rules.md in different folders stay apart, and a
    file edited in place keeps its annotations, which `annotate check` then re-examines)."""
    if doc.meta.extra.get("id"):
        key = doc.meta.extra["id"]
    elif doc.meta.source and not doc.meta.source.startswith("<"):
        source = doc.meta.source
        where = source if "://" in source else str(Path(source).resolve())
        key = f"{Path(source).stem}-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:8]}"
    else:
        key = doc.meta.title or content_hash(doc)[7:23]
    key = re.sub(r"[^\w.-]+", "-", key, flags=re.UNICODE).strip("-.")
    return key or content_hash(doc)[7:23]


class AnnotationStore:
    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_store()
        if self.root.exists() and not self.root.is_dir():  # else `list` shows nothing and `add` fails in mkdir
            raise AnnotationError(f"{self.root}: the annotation store must be a folder, and this is a file "
                                  "(--store or SCDOCS_STORE names the folder)")

    def path_for(self, doc: Document) -> Path:
        return self.root / f"{document_key(doc)}{SUFFIX}"

    def files(self) -> list[Path]:
        return sorted(self.root.glob(f"*{SUFFIX}")) if self.root.is_dir() else []

    # Reading -------------------------------------------------------------------------------
    def read_file(self, path: Path) -> tuple[dict[str, Any], list[Annotation]]:
        """(document record, annotations) of one store file; AnnotationError if it does not validate."""
        if not path.exists():
            return {}, []
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise AnnotationError(f"{path}: cannot read ({exc.strerror or exc})") from None
        if not raw.strip():
            raise AnnotationError(f"{path}: empty annotation file (not overwritten; remove it or restore it)")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            detail = f"line {exc.lineno} column {exc.colno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) \
                else "not UTF-8"
            raise AnnotationError(f"{path}: corrupted annotation file ({detail}); it was left as it is") from None
        except RecursionError:
            raise AnnotationError(f"{path}: corrupted annotation file (JSON nested too deeply); it was left as it "
                                  "is") from None
        if not isinstance(data, dict) or data.get("type") != "AnnotationCollection":
            raise AnnotationError(f"{path}: not a W3C AnnotationCollection; it was left as it is")
        version = data.get("scdocs:formatVersion", STORE_FORMAT_VERSION)
        if version != STORE_FORMAT_VERSION:
            raise AnnotationError(f"{path}: store format version {version!r} is not supported")
        page = data.get("first", {})
        items = page.get("items") if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise AnnotationError(f"{path}: 'first.items' must be a list of annotations; it was left as it is")
        annotations = [from_jsonld(item, f"{path}: annotation {i}") for i, item in enumerate(items, start=1)]
        ids = [a.id for a in annotations]
        if len(set(ids)) != len(ids):
            raise AnnotationError(f"{path}: duplicate annotation ids")
        record = data.get("scdocs:document", {})
        return (record if isinstance(record, dict) else {}), annotations

    def load(self, doc: Document) -> list[Annotation]:
        path = self.path_for(doc)
        record, annotations = self.read_file(path)
        _same_owner(path, record, doc.meta.extra.get("id", ""))
        return annotations

    def all(self) -> Iterator[tuple[Path, Annotation]]:
        for path in self.files():
            for a in self.read_file(path)[1]:
                yield path, a

    def find(self, ident: str) -> tuple[Path, Annotation]:
        """An annotation by id (a unique prefix of the UUID is enough)."""
        wanted = ident if ident.startswith("urn:uuid:") else f"urn:uuid:{ident}"
        hits = [(p, a) for p, a in self.all() if a.id == wanted or a.id.startswith(wanted)]
        if not hits:
            raise AnnotationError(f"no annotation {ident} in {self.root}")
        if len(hits) > 1:
            raise AnnotationError(f"{len(hits)} annotations start with {ident}; give more of the id")
        return hits[0]

    # Writing -------------------------------------------------------------------------------
    @contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a folder of the path should be, no permission, …
            raise AnnotationError(f"{self.root}: cannot create the annotation folder "
                                  f"({exc.strerror or exc})") from None
        # hidden (.notes.jsonld.lock): filelock leaves the file for the next writer, and a scholar's
        # folder of annotation files should not show one beside each
        lock = FileLock(str(path.with_name(f".{path.name}.lock")))
        try:
            with lock.acquire(timeout=LOCK_TIMEOUT):
                yield
        except Timeout:
            raise AnnotationError(f"{path}: locked by another process for over {LOCK_TIMEOUT:.0f} s") from None

    def _write(self, path: Path, record: dict[str, Any], annotations: list[Annotation]) -> None:
        ids = [a.id for a in annotations]
        if len(set(ids)) != len(ids):  # what read_file would refuse is never written
            twice = next(i for i in ids if ids.count(i) > 1)
            raise AnnotationError(f"{path}: annotation {twice} would be stored twice; nothing was written")
        data = {
            "@context": JSONLD_CONTEXT,
            "id": path.name,
            "type": "AnnotationCollection",
            "label": record.get("title", "") or path.stem,
            "scdocs:formatVersion": STORE_FORMAT_VERSION,
            "scdocs:document": record,
            "total": len(annotations),
            "first": {"type": "AnnotationPage", "items": [a.to_jsonld() for a in annotations]},
        }
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def update(self, doc: Document, change: Callable[[list[Annotation]], list[Annotation]]) -> list[Annotation]:
        """Apply `change` to a document's annotations under the lock; returns the new list."""
        path = self.path_for(doc)
        return self.update_file(path, change, _record(doc))

    def update_file(self, path: Path, change: Callable[[list[Annotation]], list[Annotation]],
                    record: dict[str, Any] | None = None) -> list[Annotation]:
        with self._locked(path):
            old_record, annotations = self.read_file(path)  # a corrupt file raises here: nothing is written
            _same_owner(path, old_record, (record or {}).get("id", ""))
            annotations = change(list(annotations))
            self._write(path, record or old_record, annotations)
            return annotations

    def add(self, doc: Document, annotation: Annotation) -> None:
        """Add one annotation; the same id, or the same words, note, tags and author again (a command
        run twice), is refused under the lock, so two writers cannot both add it."""
        def same(a: Annotation) -> bool:
            return (a.anchor.start, a.anchor.end, a.note, a.tags, a.creator) == (
                annotation.anchor.start, annotation.anchor.end, annotation.note, annotation.tags, annotation.creator)

        def append(items: list[Annotation]) -> list[Annotation]:
            if any(a.id == annotation.id for a in items):
                raise AnnotationError(f"annotation {annotation.id} is already in the store")
            twin = next((a for a in items if same(a)), None)
            if twin is not None:
                short = twin.id.removeprefix("urn:uuid:")[:8]
                raise AnnotationError(f"already annotated: {short} has the same words, note, tags and author")
            return [*items, annotation]

        self.update(doc, append)

    def remove(self, ident: str) -> Annotation:
        path, found = self.find(ident)
        self.update_file(path, lambda items: [a for a in items if a.id != found.id])
        return found


def _same_owner(path: Path, record: dict[str, Any], wanted: str) -> None:
    """Refuse a store file that records another corpus document than the one asked for (a file
    copied, or written over, under another document's name)."""
    owner = record.get("id")
    if owner and wanted and owner != wanted:
        raise AnnotationError(f"{path}: holds the annotations of {owner}, not of {wanted}; it was left as it is")


def _record(doc: Document) -> dict[str, Any]:
    m = doc.meta
    return {"title": m.title, "source": document_uri(doc), "path": m.source, "contentHash": content_hash(doc),
            "id": m.extra.get("id", "")}
