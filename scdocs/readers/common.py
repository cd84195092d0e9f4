"""Bytes → str and str → canonical text: the steps every reader shares.

Decoding follows the engineering notes: a BOM first, then a declared charset (with gb2312
and gbk widened to gb18030, which lxml would otherwise truncate at the first GBK-only
character), then strict UTF-8, then charset_normalizer's guess.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field

from scdocs.document.model import Metadata
from scdocs.errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: How a reader's warning about text it left out of the document begins; the command line
#: prints these on stderr, so a partial document never passes silently.
LEFT_OUT = "left out"
#: How a reader's note begins that counts what it skipped as page furniture (a small share, no
#: numbered unit): kept in the Document's warnings, not printed.
SKIPPED = "skipped"
_WS = " \t\r\n\u3000\u00a0\ufeff\u200b"
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "cp936": "gb18030", "utf8": "utf-8", "unicode": "utf-8"}


@dataclass
class Extracted:
    """What a reader produces: the canonical text, metadata, where the body begins, and warnings
    (what the reader left out of the text), which become the Document's first warnings."""

    text: str
    meta: Metadata
    body_start: int = 0
    warnings: list[str] = field(default_factory=list)


def max_bytes() -> int:
    """The size cap for one document, settable with SCDOCS_MAX_BYTES."""
    raw = os.environ.get("SCDOCS_MAX_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) < 1:
        from scdocs.errors import ScdocsError

        raise ScdocsError(f"SCDOCS_MAX_BYTES={raw!r} is not a positive number of bytes")
    return int(raw)


def check_size(data: bytes, source: str) -> None:
    if not data or not data.strip():
        raise InputError(source, "empty document")
    cap = max_bytes()
    if len(data) > cap:
        raise InputError(source, f"file is {len(data):,} bytes, over the size cap of {cap:,} bytes "
                                 "(set SCDOCS_MAX_BYTES or --max-size to raise it)")


def normalize_charset(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _CHARSET_ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def sniff_declared_charset(data: bytes) -> str | None:
    """A charset declared in the first 4 KB: <meta charset>, http-equiv or an XML declaration."""
    head = data[:4096]
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", head, re.I)
    if not m:
        m = re.search(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", head, re.I)
    return normalize_charset(m.group(1).decode("ascii", "replace")) if m else None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mark a binary file (UTF-16 is caught by its BOM)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 100)


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode document bytes to str, or raise InputError naming the source."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(source, f"invalid {enc} after its byte-order mark ({exc.reason})") from None
    if looks_binary(data):
        raise InputError(source, "binary file, not a text document")
    for charset in (normalize_charset(declared), sniff_declared_charset(data)):
        if charset:
            try:
                return data.decode(charset)
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # valid UTF-8 cut off inside its last character
            return data[:exc.start].decode("utf-8")
    from charset_normalizer import from_bytes

    # Legal texts come in Chinese encodings or a Western code page; limiting detection to
    # those keeps short random bytes from "decoding" as Cyrillic or Thai.
    best = None
    for trim in range(4):  # a download cut inside a multi-byte character
        sample = data[: len(data) - trim] if trim else data
        best = from_bytes(sample, cp_isolation=list(DETECTABLE)).best()
        if best is not None and best.encoding is not None:
            data = sample
            break
    if best is None or best.encoding is None:
        raise InputError(source, "undecodable bytes: not UTF-8 and no known encoding fits")
    enc = normalize_charset(best.encoding) or best.encoding
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        raise InputError(source, f"undecodable bytes (guessed {enc}, which does not fit)") from None
    if not _plausible(text):
        raise InputError(source, "undecodable bytes: no encoding gives readable text")
    return text


DETECTABLE = ("gb18030", "big5", "utf_8", "cp1252")


def _plausible(text: str) -> bool:
    """Reject a guess that decodes to mostly symbols and rare code points: a legal text is
    CJK ideographs, CJK punctuation, ASCII and Latin letters."""
    sample = text[:4000]
    if not sample:
        return False

    def ordinary(ch: str) -> bool:
        o = ord(ch)
        return (ch.isspace() or 32 <= o < 127 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
                or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or (0xC0 <= o <= 0x17F and ch.isalpha()))

    return sum(1 for ch in sample if ordinary(ch)) / len(sample) > 0.9


def clean_line(line: str) -> str:
    return line.strip(_WS)


def canonical(lines: list[str]) -> str:
    """One paragraph per line, trimmed, empty lines dropped: the text all offsets refer to."""
    out = []
    for raw in lines:
        for part in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            s = clean_line(part)
            if s:
                out.append(s)
    return "\n".join(out)


_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def iso_dates(text: str) -> list[str]:
    """Every 2024年3月31日-style date in text, as ISO strings, in order."""
    return [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in _DATE.findall(text)]


def version_date(header: str) -> str:
    """The date of this version: the latest adoption, amendment or publication date in a
    header; an entry-into-force (施行) date only where nothing else is dated."""
    lines = [ln for ln in re.split(r"[\n　]|\s{2,}", header) if ln.strip()]
    dated = [d for ln in lines if "施行" not in ln for d in iso_dates(ln)]
    dated = dated or iso_dates(header)
    return max(dated) if dated else ""


_PROVINCIAL = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:省|市|自治区|特别行政区))第[\u4e00-\u9fff]{1,4}届人民代表大会常务委员会"
)


def guess_issuer(header: str) -> str:
    """The adopting body named in a header or adoption note, if a familiar one."""
    header = _DATE.sub(" ", header)
    if "全国人民代表大会常务委员会" in header:
        return "全国人民代表大会常务委员会"
    if re.search(r"第[\u4e00-\u9fff]{1,4}届全国人民代表大会第", header):
        return "全国人民代表大会"
    m = _PROVINCIAL.search(header)
    if m:
        return m.group(1) + "人民代表大会常务委员会"
    for body in ("最高人民法院", "最高人民检察院", "国务院办公厅", "国务院"):
        if body in header:
            return body
    return ""


def split_published_title(title: str) -> tuple[str, str]:
    """A news headline 'X印发《Y》' names the document Y and its issuer X."""
    m = re.match(r"^(.{2,60}?)印发《(.+)》$", title.strip())
    if not m:
        return title.strip(), ""
    issuer = re.sub(r"\s+", "、", m.group(1).strip())
    return m.group(2), issuer
