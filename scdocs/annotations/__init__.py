"""Scholars' annotations: W3C Web Annotations, an atomic locked store, re-anchoring across versions."""

from __future__ import annotations

from scdocs.annotations.anchor import OUTCOMES, Migration, Reanchorer
from scdocs.annotations.model import (
    Anchor,
    Annotation,
    AnnotationError,
    Folded,
    QuoteMatch,
    locate_quote,
    new_annotation,
)
from scdocs.annotations.store import AnnotationStore

__all__ = ["OUTCOMES", "Anchor", "Annotation", "AnnotationError", "AnnotationStore", "Folded", "Migration",
           "QuoteMatch", "Reanchorer", "locate_quote", "new_annotation"]
