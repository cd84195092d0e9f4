"""Scholars' annotations: W3C Web Annotations, an atomic locked store, re-anchoring across versions."""

from __future__ import annotations

from .anchor import OUTCOMES, Migration, Reanchorer
from .model import Anchor, Annotation, AnnotationError, new_annotation
from .store import AnnotationStore

__all__ = ["OUTCOMES", "Anchor", "Annotation", "AnnotationError", "AnnotationStore", "Migration", "Reanchorer",
           "new_annotation"]
