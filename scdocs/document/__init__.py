"""The document model every stage reads: `Document` and `Section` with exact offsets into one
canonical text, Chinese numerals, structure detection (canonical text → section tree) and language."""

from scdocs.document.model import Document, Metadata, Section, Span

__all__ = ["Document", "Metadata", "Section", "Span"]
