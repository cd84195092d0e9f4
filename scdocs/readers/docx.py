"""Word .docx documents (official databases publish laws as .docx), via python-docx.

Each Word paragraph is a line of the canonical text; core properties give title and author.
"""

from __future__ import annotations

import io
import zipfile

from scdocs.document.model import Metadata
from scdocs.errors import InputError
from scdocs.readers.common import Extracted, canonical, guess_issuer, version_date


def read_docx(data: bytes, source: str) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise InputError(source, "a ZIP archive but not a Word .docx document")
            total = sum(i.file_size for i in zf.infolist())
            if total > 20 * len(data) + 50_000_000:
                raise InputError(source, "a .docx that expands too much (a ZIP bomb?)")
    except zipfile.BadZipFile:
        raise InputError(source, "corrupt .docx (not a valid ZIP archive)") from None
    import docx  # python-docx; imported here because it is only needed for .docx input

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken packages
        raise InputError(source, f"corrupt .docx: {type(exc).__name__}: {exc}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # some publishers lay text out in a table
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    text = canonical(lines)
    if not text:
        raise InputError(source, "the .docx has no text")
    props = document.core_properties
    first_lines = text.split("\n")[:6]
    title = (props.title or "").strip() or first_lines[0]
    header = "\n".join(first_lines)
    meta = Metadata(title=title, issuer=guess_issuer(header),  # core_properties.author is whoever saved the file
                    date=version_date(header), source=source)
    return Extracted(text, meta, 0)
