"""scdocs: parse, tag, diff and annotate China's social credit documents.

    >>> import scdocs
    >>> doc = scdocs.load("scs-opinions-2022")      # a corpus id, a path, a URL, bytes or text
    >>> doc.find(19).heading
    '加强党的领导'
"""

from __future__ import annotations

from scdocs.api import diff, load, tag
from scdocs.document.model import Document, Metadata, Section
from scdocs.errors import InputError, ScdocsError
from scdocs.version import __version__

__all__ = ["Document", "InputError", "Metadata", "ScdocsError", "Section", "__version__", "diff", "load", "tag"]
