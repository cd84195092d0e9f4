"""Tagging many documents: in this process, in N local processes or on a Dask cluster, with
results in input order whatever the backend (so every backend writes byte-identical output)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from scdocs.corpus.engine import run, workers_for
from scdocs.document.model import Document
from scdocs.themes import load_taxonomy, tag
from scdocs.themes.model import learned_model
from scdocs.themes.result import DocumentTags, SectionTags
from scdocs.themes.tagger import tag_stream


def _tag_one(doc: Document, taxonomy: str | None, min_score: float | None,
             themes: tuple[str, ...], engine: str, model: str | None) -> DocumentTags:
    """Worker: tag one parsed document. Documents are read by the caller and sent whole, so a
    worker (another process, or a Dask worker on another machine) needs none of the user's files."""
    return tag(doc, taxonomy, min_score, themes or None, engine=engine, model=model)


def tag_documents(docs: Iterable[Document], taxonomy: str | None = None, min_score: float | None = None,
                  themes: Iterable[str] = (), jobs: int | None = 1, backend: str = "local",
                  scheduler: str | None = None, engine: str = "auto",
                  model: str | None = None) -> Iterator[DocumentTags]:
    """Tag documents in order. One process batches every section through one spaCy pipeline
    (fastest for a few documents); more jobs or Dask spread whole documents over workers.

    A broken taxonomy or model fails once, before any document is read.
    """
    for result, sections in stream_documents(docs, taxonomy, min_score, themes, jobs, backend, scheduler,
                                             engine, model):
        if sections is not result.sections:
            result.sections = list(sections)
        yield result


def stream_documents(docs: Iterable[Document], taxonomy: str | None = None, min_score: float | None = None,
                     themes: Iterable[str] = (), jobs: int | None = 1, backend: str = "local",
                     scheduler: str | None = None, engine: str = "auto", model: str | None = None,
                     ) -> Iterator[tuple[DocumentTags, Iterable[SectionTags]]]:
    """As `tag_documents`, for writers that stream (JSON Lines, CSV): in this process each document's
    sections are decided as the writer takes them (`tag_stream`), so a long law's tags are never all
    held at once; from workers each result comes whole, with its sections. A broken taxonomy or model,
    or options that do not go together, fail here, at the call, before a writer has written anything."""
    learned_model(engine, model, load_taxonomy(taxonomy), min_score)
    wanted = tuple(themes)
    if backend == "local" and workers_for(jobs) <= 1:
        return tag_stream(docs, taxonomy, min_score, wanted or None, engine=engine, model=model)
    return ((result, result.sections) for result in run(
        partial(_tag_one, taxonomy=taxonomy, min_score=min_score, themes=wanted, engine=engine, model=model),
        docs, jobs, backend, scheduler))
