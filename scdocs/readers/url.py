"""Documents from http(s) URLs, fetched with the standard library only.

Nothing is downloaded at import or anywhere but here, and only the URL the user gave (plus
at most five redirects). The body is streamed and abandoned as soon as it passes the size
cap, content types that cannot be a document are refused before the body is read, and
every failure (HTTP status, DNS, refused connection, TLS, timeout, size) becomes one
`InputError` line naming the URL.
"""

from __future__ import annotations

import http.client
import posixpath
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message

from scdocs.document.model import Document
from scdocs.errors import InputError
from scdocs.readers import read_bytes, sniff
from scdocs.readers.common import max_bytes as default_max_bytes

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
RAISE_CAP = "(set SCDOCS_MAX_BYTES or --max-size to raise it)"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Types a document can come as. Anything else is refused before its body is read.
DOCUMENT_TYPES = {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown",
                  "application/json", "text/json", "application/xml", "text/xml", DOCX_TYPE}
# Generic binary types: servers send .docx downloads as these, so they pass only for a .docx name.
GENERIC_BINARY = {"application/octet-stream", "binary/octet-stream", "application/zip",
                  "application/x-zip-compressed", "application/x-download", "application/force-download"}
UNSUPPORTED = {"application/pdf": "PDF is not supported; convert it to text, .docx or HTML first",
               "application/msword": "Word 97-2003 (.doc) is not supported; save it as .docx first"}
# Text types that are code or style sheets, not documents.
NOT_DOCUMENT_TEXT = {"text/css", "text/javascript", "text/ecmascript", "text/csv", "text/calendar",
                     "text/vcard", "text/event-stream"}


@dataclass
class Fetched:
    """A fetched body with what the response said about it."""

    body: bytes
    content_type: str | None  # lower-case media type without parameters, None if absent
    charset: str | None  # from the Content-Type header
    name: str  # file name from Content-Disposition or the final URL's path, for sniffing


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, and only to http(s)."""

    max_redirections = MAX_REDIRECTS
    max_repeats = MAX_REDIRECTS

    def redirect_request(self, req: urllib.request.Request, fp, code: int, msg: str,  # type: ignore[no-untyped-def]
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise InputError(req.full_url, f"redirected to a {scheme or 'schemeless'} URL, not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, _to_ascii_url(newurl))


def _to_ascii_url(url: str) -> str:
    """Percent-encode non-ASCII paths and queries and IDNA-encode the host, as browsers do;
    http.client refuses a URL with Chinese characters in it."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InputError(url, "invalid host name") from None
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    if parts.username is not None:
        raise InputError(url, "URLs with a user name or password are not supported")
    safe = "/%:@!$&'()*+,;=~-._"
    path = urllib.parse.quote(parts.path or "/", safe=safe)
    query = urllib.parse.quote(parts.query, safe=safe + "?")
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def _check_url(url: str) -> str:
    """The URL made safe for http.client, or an InputError for anything but http(s)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise InputError(url, f"invalid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(url, f"only http and https URLs are supported, not {parts.scheme or 'a bare path'}")
    if not parts.hostname:
        raise InputError(url, "invalid URL: no host")
    if any(c.isspace() for c in parts.hostname):
        raise InputError(url, "invalid URL: space in the host name")
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise InputError(url, "invalid URL: it contains control characters")
    return _to_ascii_url(url)


def _parse_content_type(raw: str | None) -> tuple[str | None, str | None]:
    if not raw or not raw.strip():
        return None, None
    msg = Message()
    msg["content-type"] = raw
    media = msg.get_content_type().lower()
    charset = msg.get_content_charset()
    return media, (charset.strip() if charset else None)


def _file_name(final_url: str, disposition: str | None) -> str:
    """The file name a download would get: Content-Disposition's, else the URL path's last part."""
    if disposition:
        msg = Message()
        msg["content-disposition"] = disposition
        name = msg.get_filename()
        if name:
            return posixpath.basename(name.replace("\\", "/"))
    path = urllib.parse.unquote(urllib.parse.urlsplit(final_url).path)
    return posixpath.basename(path)


def _refuse_type(url: str, media: str | None, name: str) -> None:
    """Refuse, before reading the body, a response that cannot be a document."""
    if media is None or media in DOCUMENT_TYPES or media.endswith(("+json", "+xml")):
        return
    if media in UNSUPPORTED:
        raise InputError(url, f"content type {media}: {UNSUPPORTED[media]}")
    if media in GENERIC_BINARY and name.lower().endswith(".docx"):
        return
    if media.startswith("text/") and media not in NOT_DOCUMENT_TEXT:
        return
    raise InputError(url, f"content type {media} is not a document")


def _describe(reason: object) -> str:
    """A one-line description of why a connection failed."""
    if isinstance(reason, socket.gaierror):
        return "cannot resolve the host name (DNS lookup failed)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed: {reason.verify_message or reason}"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {reason.reason or reason}"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Body:
    """Reads a response in chunks, undoing gzip/deflate, and stops once over the cap.

    The cap applies to the decoded size too, so a small compressed bomb cannot blow up.
    """

    def __init__(self, url: str, cap: int, encoding: str) -> None:
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise InputError(url, f"unsupported content encoding {encoding}")
        self.url = url
        self.cap = cap
        self.encoding = encoding
        self.parts: list[bytes] = []
        self.size = 0
        self.inflate: zlib._Decompress | None = None

    def add(self, chunk: bytes) -> None:
        if self.encoding in ("", "identity"):
            self._keep(chunk)
            return
        if self.inflate is None:
            if self.encoding == "deflate" and not _zlib_header(chunk):
                self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            else:
                self.inflate = zlib.decompressobj(zlib.MAX_WBITS | (16 if self.encoding != "deflate" else 0))
        data = chunk
        try:
            while data:
                out = self.inflate.decompress(data, self.cap + 1 - self.size)
                self._keep(out)
                data = self.inflate.unconsumed_tail
        except zlib.error as exc:
            raise InputError(self.url, f"corrupt compressed response: {exc}") from None

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise InputError(self.url, f"response is over the size cap of {self.cap:,} bytes {RAISE_CAP}")
        self.parts.append(data)

    def finish(self) -> bytes:
        if self.inflate is not None:
            try:
                self._keep(self.inflate.flush())
            except zlib.error as exc:
                raise InputError(self.url, f"corrupt compressed response: {exc}") from None
            if not self.inflate.eof:
                raise InputError(self.url, "corrupt compressed response: it ends early")
        return b"".join(self.parts)


def _zlib_header(chunk: bytes) -> bool:
    """Whether a "deflate" body starts with the zlib header RFC 9110 asks for."""
    return len(chunk) >= 2 and chunk[0] & 0x0F == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0


def fetch(url: str, timeout: float = 20.0, max_bytes: int | None = None) -> Fetched:
    """Fetch one document's bytes with everything the response said about them."""
    cap = default_max_bytes() if max_bytes is None else max_bytes
    request_url = _check_url(url.strip())
    from scdocs.version import __version__

    request = urllib.request.Request(request_url, headers={
        "User-Agent": f"scdocs/{__version__} (document parser; Python urllib)",
        "Accept": "text/html,application/xhtml+xml,application/json,text/plain;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    })
    opener = urllib.request.build_opener(_LimitedRedirects())
    seconds = f"{timeout:g} s"
    try:
        with opener.open(request, timeout=timeout) as resp:
            media, charset = _parse_content_type(resp.headers.get("Content-Type"))
            name = _file_name(resp.geturl(), resp.headers.get("Content-Disposition"))
            _refuse_type(url, media, name)
            encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
            length = resp.headers.get("Content-Length", "")
            if not encoding and length.strip().isdigit() and int(length) > cap:
                problem = f"response is {int(length):,} bytes, over the size cap of {cap:,} bytes"
                raise InputError(url, f"{problem} {RAISE_CAP}")
            body = _Body(url, cap, encoding)
            while chunk := resp.read(CHUNK):
                body.add(chunk)
            return Fetched(body.finish(), media, charset, name)
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400 and urllib.request.HTTPRedirectHandler.inf_msg in str(exc.msg):
            raise InputError(url, f"too many redirects (over {MAX_REDIRECTS}) or a redirect loop") from None
        reason = _one_line(str(exc.reason or "")) or http.client.responses.get(exc.code, "")
        raise InputError(url, f"HTTP {exc.code} {reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise InputError(url, f"timed out after {seconds} (connecting)") from None
        raise InputError(url, f"cannot connect: {_one_line(_describe(exc.reason))}") from None
    except TimeoutError:
        raise InputError(url, f"timed out after {seconds}") from None
    except http.client.HTTPException as exc:
        detail = _one_line(str(exc)) or type(exc).__name__
        raise InputError(url, f"broken HTTP response ({detail})") from None
    except OSError as exc:
        raise InputError(url, f"connection failed: {_one_line(_describe(exc))}") from None


def fetch_bytes(url: str, timeout: float = 20.0,
                max_bytes: int | None = None) -> tuple[bytes, str | None, str | None]:
    """Fetch a URL's body: (bytes, content type, charset from the Content-Type header).

    Only http(s); at most five redirects; `timeout` seconds for the connection and for each
    read; the body is refused once over `max_bytes` (default: the document size cap).
    """
    got = fetch(url, timeout, max_bytes)
    return got.body, got.content_type, got.charset


def choose_format(fetched: Fetched) -> str:
    """The reader for a fetched body: unmistakable content first (a .docx zip, a PDF, Akoma
    Ntoso), then the content type, then content and file name as for a local file."""
    sniffed = sniff(fetched.body, fetched.name)
    if sniffed in ("docx", "pdf", "akn"):
        return sniffed
    media = fetched.content_type or ""
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    if media in ("application/json", "text/json") or media.endswith("+json"):
        return "json"
    return sniffed


def read_url(url: str, timeout: float = 20.0) -> Document:
    """Fetch an http(s) URL and parse it; errors name the URL."""
    fetched = fetch(url, timeout)
    return read_bytes(fetched.body, url, fetched.charset, choose_format(fetched))
