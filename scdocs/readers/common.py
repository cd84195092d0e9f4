"""Bytes → str and str → canonical text: the steps every reader shares.

Decoding follows the engineering notes: a BOM first, then BOM-less UTF-16/32 (told by their NUL
bytes and checked by decoding), then a declared charset (with gb2312 and gbk widened to
gb18030, which lxml would otherwise truncate at the first GBK-only character), then strict
UTF-8, then charset_normalizer's guess among GB18030, Big5 and cp1252. The UTF-16/32 step is
hand-written rather than left to charset_normalizer: it is exact (a strict decode that must
give readable text), cheap, and the binary check (NUL bytes) must run after it, not before.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from scdocs.document.model import Metadata
from scdocs.errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: How a reader's warning about text it left out of the document begins; the command line
#: prints these on stderr, so a partial document never passes silently.
LEFT_OUT = "left out"
#: A warning that a text has nothing but its title and header lines.
NO_BODY = "no body text"
#: How a reader's note begins that counts what it skipped as page furniture (a small share, no
#: numbered unit): kept in the Document's warnings, not printed.
SKIPPED = "skipped"
#: How a reader's note begins that it joined hard-wrapped lines into their paragraphs: printed on
#: stderr (the text's lines differ from the file's), never a structure problem.
JOINED = "joined"
#: How a reader's note begins that it printed text the source does not have (a provision's number
#: from its place in a list): printed on stderr, and a structure problem for check.
ADDED = "added"
#: How a Chinese title wrapped over lines ends: with the kind of document it names.
TITLE_END = re.compile(r"(法|条例|办法|规定|意见|决定|通知|细则|方案|规划|纲要|规则|准则|公告|决议|指引|目录|清单|"
                        r"标准|解释|批复|命令|令|章程|制度|措施|要点|计划)[)）]?$")
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


#: Declared charsets that decode any bytes at all, so a wrong declaration never fails: a server's
#: default `charset=iso-8859-1` over a UTF-8 or GB18030 page made mojibake. Such a declaration is
#: passed over; detection (which weighs cp1252 among its candidates) decides.
ANY_BYTES = frozenset({"iso8859-1", "cp1252"})


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


def _bom(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when data starts with a Unicode byte-order mark. UTF-32LE's mark
    begins with UTF-16LE's, so it is tested first."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _wide_candidates(sample: bytes) -> list[str]:
    """BOM-less UTF-32/UTF-16 byte orders that the NUL bytes of a sample allow, most likely first.

    ASCII in UTF-16 puts a NUL beside every character (``<\\0?\\0x\\0``); CJK text has NULs only
    beside its newlines and digits, so any NUL makes the wide codecs worth a strict try, and
    `_plausible` decides. Random binary decodes (if at all) to scattered code points and fails.
    """
    if b"\x00" not in sample:
        return []
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    sixteen = ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
    return ["utf-32-le", "utf-32-be", *sixteen]


#: Large inputs are decoded in pieces of this many bytes: CPython's one-shot decoder of CJK UTF-8
#: holds the text in ever wider buffers on the way, about five times the bytes at its peak.
DECODE_PIECE = 1 << 18


def decode_bytes(data: bytes | memoryview, codec: str) -> str:
    """`data.decode(codec)` in bounded memory: piece by piece through an incremental decoder, the
    pieces joined once. A decoding error is raised as the one-shot call raises it (same positions)."""
    size = len(data)
    if size <= DECODE_PIECE:
        return str(data, codec)
    view = memoryview(data)
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        pieces = [decoder.decode(view[i:i + DECODE_PIECE], final=i + DECODE_PIECE >= size)
                  for i in range(0, size, DECODE_PIECE)]
    except UnicodeDecodeError:
        return str(data, codec)  # raises again, with the positions of the whole input
    return "".join(pieces)


def _strict(data: bytes | memoryview, codec: str) -> str | None:
    """data decoded with codec, forgiving only a last character cut off; None if it does not fit."""
    return _strict_counted(data, codec)[0]


def _strict_counted(data: bytes | memoryview, codec: str) -> tuple[str | None, int]:
    """`_strict` and how many bytes at the end it left out (a character cut off)."""
    unit = 4 if "32" in codec else 2 if "16" in codec else 1
    end = len(data) - len(data) % unit
    view = memoryview(data)
    try:
        return decode_bytes(view[:end], codec), len(data) - end
    except UnicodeDecodeError as exc:
        if exc.reason in ("truncated data", "unexpected end of data") and exc.start >= end - 4:
            return decode_bytes(view[:exc.start], codec), len(data) - exc.start
        return None, 0


def wide_encoding(data: bytes) -> str | None:
    """The codec of data when it is UTF-16 or UTF-32 (with or without a BOM), else None: the
    encodings whose bytes are not ASCII where the text is, so byte-level sniffing cannot see
    ``<?xml`` or ``<html`` in them."""
    bom = _bom(data)
    if bom:
        return bom[0] if bom[0] != "utf-8" else None
    sample = data[:4096]
    for codec in _wide_candidates(sample):
        text = _strict(sample, codec)
        # A line break, or ASCII (markup): letter pairs read as UTF-16 are CJK ideographs ("bi" →
        # 楢), so a short run of ASCII with a NUL would otherwise pass for one line of Chinese.
        if (text is not None and "\x00" not in text and _plausible(text)
                and ("\n" in text or 4 * sum(" " <= ch <= "~" for ch in text) >= len(text))):
            return codec
    return None


def text_head(data: bytes, size: int = 4096) -> str:
    """The first characters of data as text, for format sniffing: wide encodings decoded, every
    other byte read as UTF-8 with replacement (markup and JSON punctuation are ASCII in all of
    GB18030, GBK, Big5 and UTF-8)."""
    codec = wide_encoding(data)
    if codec:
        return data[:size * 2].decode(codec, "replace").lstrip("\ufeff")[:size]
    return data[:size].decode("utf-8", "replace").lstrip("\ufeff")


def xml_as_utf8(data: bytes) -> bytes:
    """XML in UTF-16/32 re-encoded as UTF-8 with its declaration saying so (libxml2 finds a BOM-less
    UTF-16 file only when it begins with a declaration); other XML is returned unchanged."""
    codec = wide_encoding(data)
    if not codec:
        return data
    text = _strict(data, codec)
    if text is None:
        return data  # the parser reports the damage
    text = re.sub(r"""^(\ufeff?<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""", r'\1"UTF-8"', text.lstrip("\ufeff"))
    return text.encode("utf-8")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mark a binary file (call only on data that is not
    UTF-16/32: see `wide_encoding`)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 100)


def decode(data: bytes, source: str, declared: str | None = None, warnings: list[str] | None = None) -> str:
    """Decode document bytes to str, or raise InputError naming the source.

    Order: a BOM (UTF-8/16/32); BOM-less UTF-16/32 told by their NUL bytes; the binary check; a
    declared charset; strict UTF-8; charset_normalizer limited to GB18030, Big5 and cp1252.
    """
    bom = _bom(data)
    if bom:
        codec, skip = bom
        marked, cut = _strict_counted(memoryview(data)[skip:], codec)
        if marked is None:
            raise InputError(source, f"invalid {codec} after its byte-order mark")
        if "\x00" in marked:
            raise InputError(source, "binary file, not a text document (NUL characters after a byte-order mark)")
        # Any byte pairs read as UTF-16: an odd count that also reads as no text is another encoding
        # behind a stray mark (UTF-8 after FF FE), not a UTF-16 file cut short (Japanese, Russian read).
        if codec != "utf-8" and (len(data) - skip) % 2 and marked and not _plausible(marked):
            raise InputError(source, f"the bytes after its {codec} byte-order mark read as no text (damaged, or "
                                     "another encoding behind a stray mark)")
        _dropped_tail(cut, warnings)
        return marked
    wide = wide_encoding(data)
    if wide:
        unmarked, cut = _strict_counted(data, wide)
        if unmarked is not None and "\x00" not in unmarked:
            _dropped_tail(cut, warnings)
            return unmarked
    if looks_binary(data):
        raise InputError(source, "binary file, not a text document")
    for charset in (normalize_charset(declared), sniff_declared_charset(data)):
        if charset and charset not in ANY_BYTES:
            try:
                return decode_bytes(data, charset)
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to detection
    try:
        return decode_bytes(data, "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # valid UTF-8 cut off inside its last character
            _dropped_tail(len(data) - exc.start, warnings)
            return decode_bytes(memoryview(data)[:exc.start], "utf-8")
    from charset_normalizer import from_bytes

    # Legal texts come in Chinese encodings or a Western code page; limiting detection to
    # those keeps short random bytes from "decoding" as Cyrillic or Thai.
    best = None
    for trim in range(4):  # a download cut inside a multi-byte character
        sample = data[: len(data) - trim] if trim else data
        best = from_bytes(sample, cp_isolation=list(DETECTABLE)).best()
        if best is not None and best.encoding is not None:
            _dropped_tail(trim, warnings)
            data = sample
            break
    if best is None or best.encoding is None:
        raise InputError(source, "undecodable bytes: not UTF-8 and no known encoding fits")
    enc = normalize_charset(best.encoding) or best.encoding
    try:
        text = decode_bytes(data, enc)
    except UnicodeDecodeError:
        raise InputError(source, f"undecodable bytes (guessed {enc}, which does not fit)") from None
    if not _plausible(text):
        raise InputError(source, "undecodable bytes: no encoding gives readable text")
    return text


DETECTABLE = ("gb18030", "big5", "utf_8", "cp1252")


def _dropped_tail(n: int, warnings: list[str] | None) -> None:
    """Say that the last `n` bytes, a character cut off (a download stopped inside it), were left out."""
    if n and warnings is not None:
        warnings.append(f"{LEFT_OUT} {n} undecodable byte{'s' if n > 1 else ''} at the end of the file "
                        "(a character cut off?)")


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


def canonical_lines(lines: Iterable[str]) -> Iterator[str]:
    """The paragraphs of `lines` as `canonical` joins them: split at line breaks (every one that
    str.splitlines knows: U+2028 too), trimmed, none empty."""
    for raw in lines:
        for part in raw.splitlines():
            s = clean_line(part)
            if s:
                yield s


def canonical(lines: Iterable[str]) -> str:
    """One paragraph per line, trimmed, empty lines dropped: the text all offsets refer to."""
    return "\n".join(canonical_lines(lines))


class CanonicalWriter:
    """`canonical` of lines given one at a time, into one buffer: a long text's lines are never all
    held as strings beside the text they are joined into."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.lines = 0  # lines given (before trimming), as `len(lines)` would count them
        self._empty = True

    def add(self, line: str) -> None:
        self.lines += 1
        for part in canonical_lines((line,)):
            if not self._empty:
                self.buffer.write("\n")
            self.buffer.write(part)
            self._empty = False

    def text(self, before: Iterable[str] = ()) -> str:
        """The canonical text, after the canonical text of the lines `before` it."""
        written = self.buffer.getvalue()
        self.buffer = io.StringIO()
        head = canonical(before)
        return f"{head}\n{written}" if head and written else head or written


def iter_lines(text: str, piece: int = 1 << 20) -> Iterator[str]:
    r"""`text.splitlines()` a piece at a time: the lines of about a million characters are made at
    once, never those of a whole long text. Pieces end after a \n, so a \r\n is never cut in two."""
    pos, size = 0, len(text)
    while pos < size:
        cut = text.find("\n", pos + piece)
        end = size if cut == -1 else cut + 1
        yield from text[pos:end].splitlines()
        pos = end


_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_MONTH = "|".join(_MONTHS)
#: English dates of an English version's adoption note: 15 March 2021, March 15, 2021.
_EN_DATE = re.compile(rf"\b(?:(\d{{1,2}})\s+({_MONTH})|({_MONTH})\s+(\d{{1,2}}),?)\s+(\d{{4}})\b")


def iso_dates(text: str) -> list[str]:
    """Every 2024年3月31日-style date in text (and 15 March 2021, March 15, 2021 in English), as ISO
    strings, in order."""
    found = [(m.start(), f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}") for m in _DATE.finditer(text)]
    for m in _EN_DATE.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.append((m.start(), f"{m.group(5)}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"))
    return [d for _, d in sorted(found)]


def version_date(header: str) -> str:
    """The date of this version: the latest adoption, amendment or publication date in a
    header; an entry-into-force (施行) date only where nothing else is dated."""
    lines = [ln for ln in re.split(r"[\n　]|\s{2,}", header) if ln.strip()]
    dated = [d for ln in lines if "施行" not in ln and "into force" not in ln and "take effect" not in ln
             for d in iso_dates(ln)]
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
