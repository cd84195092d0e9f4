"""The corpus: the catalogue of documents (metadata, versions, sources; shipped as package data),
fetching with checksums, the search index, and batch runs on local processes or Dask."""

from scdocs.corpus.catalogue import Catalogue, Entry

__all__ = ["Catalogue", "Entry"]
