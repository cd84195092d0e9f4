"""Section-level comparison of two documents: alignment, text diffs, theme deltas, flags."""

from __future__ import annotations

from scdocs.changes.compare import diff_documents
from scdocs.changes.result import DocumentDiff, Flag, Pair

__all__ = ["DocumentDiff", "Flag", "Pair", "diff_documents"]
