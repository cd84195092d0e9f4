"""Tagging many documents: in this process, in N local processes or on a Dask cluster, with
results in input order whatever the engine (so every engine writes byte-identical output)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from scdocs.corpus.engine import run
from scdocs.document.model import Document
from scdocs.themes import load_taxonomy, tag, tag_many
from scdocs.themes.result import DocumentTags


def _tag_one(doc: Document, taxonomy: str | None, min_score: float | None,
             themes: tuple[str, ...]) -> DocumentTags:
    """Worker: tag one parsed document. Documents are read by the caller and sent whole, so a
    worker (another process, or a Dask worker on another machine) needs none of the user's files."""
    return tag(doc, taxonomy, min_score, themes or None)


def tag_documents(docs: Iterable[Document], taxonomy: str | None = None, min_score: float | None = None,
                  themes: Iterable[str] = (), jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None) -> Iterator[DocumentTags]:
    """Tag documents in order. One process batches every section through one spaCy pipeline
    (fastest for a few documents); more jobs or Dask spread whole documents over workers.

    A broken taxonomy fails once, before any document is read.
    """
    load_taxonomy(taxonomy)
    wanted = tuple(themes)
    if engine == "local" and jobs <= 1:
        yield from tag_many(docs, taxonomy, min_score, wanted or None)
        return
    yield from run(partial(_tag_one, taxonomy=taxonomy, min_score=min_score, themes=wanted), docs, jobs, engine,
                   scheduler)
