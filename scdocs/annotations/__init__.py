"""Scholars' annotations: W3C Web Annotations, an atomic locked store, re-anchoring across versions."""

from __future__ import annotations

from scdocs.annotations.anchor import OUTCOMES, Migration, Reanchorer
from scdocs.annotations.model import Anchor, Annotation, AnnotationError, new_annotation
from scdocs.annotations.store import AnnotationStore

__all__ = ["OUTCOMES", "Anchor", "Annotation", "AnnotationError", "AnnotationStore", "Migration", "Reanchorer",
           "new_annotation"]
