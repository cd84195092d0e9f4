"""Section-level comparison of two documents: alignment, text diffs, theme deltas, moves."""

from __future__ import annotations

from scdocs.changes.compare import diff_documents
from scdocs.changes.moves import Move
from scdocs.changes.result import DocumentDiff, Pair

__all__ = ["DocumentDiff", "Move", "Pair", "diff_documents"]
