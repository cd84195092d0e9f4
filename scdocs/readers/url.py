"""Documents from http(s) URLs, fetched with httpx.

Nothing is downloaded at import or anywhere but here, and only the URL the user gave plus at most
five http(s) redirects. Every fetch is bounded: `timeout` seconds to connect and for each read, a
deadline for the whole fetch (so a server that sends one byte a second cannot hold scdocs), and the
size cap, counted on the decoded body as it streams so a gzip bomb stops at the cap. A body shorter
than its Content-Length is refused, and so is a content type that cannot be a document, before its
body is read. Proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), as
httpx reads them with `trust_env`. Every failure is one `InputError` line naming the URL.

The fetch runs on asyncio because httpx's own timeouts are per operation: cancelling the request is
the one clean way to stop it mid-read at a deadline (encode/httpx#776). Name lookups are the
exception, bounded by the system resolver's own timeout.
"""

from __future__ import annotations

import asyncio
import functools
import os
import posixpath
import re
import socket
import ssl
import urllib.parse
import zlib
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from typing import Any, TypeVar

import httpx

from scdocs.document.model import Document
from scdocs.errors import InputError, ScdocsError
from scdocs.readers import read_bytes, sniff
from scdocs.readers.common import max_bytes as default_max_bytes

MAX_REDIRECTS = 5
DEFAULT_DEADLINE = 300.0  # five minutes: a 50 MB document at 170 KB/s
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
T = TypeVar("T")


@dataclass
class Fetched:
    """A fetched body with what the response said about it."""

    body: bytes
    content_type: str | None  # lower-case media type without parameters, None if absent
    charset: str | None  # from the Content-Type header
    name: str  # file name from Content-Disposition or the final URL's path, for sniffing


def deadline_seconds() -> float:
    """The time one fetch may take in all, settable with SCDOCS_URL_DEADLINE."""
    raw = os.environ.get("SCDOCS_URL_DEADLINE", "").strip()
    try:
        seconds = float(raw) if raw else DEFAULT_DEADLINE
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ScdocsError(f"SCDOCS_URL_DEADLINE={raw!r} is not a positive number of seconds")
    return seconds


def _check_url(url: str) -> None:
    """Refuse anything but a well-formed http(s) URL without credentials, naming the problem."""
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
    if parts.username is not None:
        raise InputError(url, "URLs with a user name or password are not supported")


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


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Body:
    """Collects a body, undoing gzip/deflate as it arrives, and stops once over the cap.

    The cap counts decoded bytes and zlib is never asked for more than the cap leaves, so a
    small compressed bomb cannot expand in memory.
    """

    def __init__(self, url: str, cap: int, encoding: str) -> None:
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise InputError(url, f"unsupported content encoding {encoding}")
        self.url = url
        self.cap = cap
        self.encoding = encoding
        self.parts: list[bytes] = []
        self.size = 0  # decoded bytes kept
        self.received = 0  # bytes as sent, to compare with Content-Length
        self.inflate: zlib._Decompress | None = None

    def add(self, chunk: bytes) -> None:
        self.received += len(chunk)
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
        body = b"".join(self.parts)
        if not body:
            raise InputError(self.url, "empty document: the server sent no body")
        return body


def _zlib_header(chunk: bytes) -> bool:
    """Whether a "deflate" body starts with the zlib header RFC 9110 asks for."""
    return len(chunk) >= 2 and chunk[0] & 0x0F == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0


async def _open(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """The response to GET url, after at most MAX_REDIRECTS redirects, each to http(s).

    A loop ends at the limit rather than at its first repeat: some sites redirect a URL to
    itself once, to set a cookie.
    """
    request = client.build_request("GET", url)
    visited = [str(request.url)]
    while True:
        try:
            response = await client.send(request, stream=True)
        except httpx.InvalidURL as exc:  # the request's URL was checked: this is a Location header
            raise InputError(url, f"redirected to an invalid URL ({_one_line(str(exc))})") from None
        if response.next_request is None:
            return response
        await response.aclose()
        request = response.next_request
        if request.url.scheme not in ("http", "https"):
            raise InputError(url, f"HTTP {response.status_code} redirect to a {request.url.scheme}: URL refused, "
                                  "only http(s) is followed")
        if len(visited) > MAX_REDIRECTS:
            loop = " (a redirect loop)" if str(request.url) in visited else ""
            raise InputError(url, f"too many redirects: over {MAX_REDIRECTS}{loop}")
        visited.append(str(request.url))


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default TLS settings (certifi, or SSL_CERT_FILE / SSL_CERT_DIR), built once: loading
    the certificates takes longer than fetching a page from a nearby server."""
    return httpx.create_ssl_context()


def _client(url: str, timeout: float) -> httpx.AsyncClient:
    """A client for one fetch; httpx's `trust_env` (the default) takes proxies from the environment."""
    from scdocs.version import __version__

    headers = {"User-Agent": f"scdocs/{__version__} (document parser; Python httpx)",
               "Accept": "text/html,application/xhtml+xml,application/json,text/plain;q=0.9,*/*;q=0.5",
               "Accept-Encoding": "gzip, deflate"}
    try:
        tls = _tls()
    except OSError as exc:  # SSL_CERT_FILE or SSL_CERT_DIR naming no certificates
        raise InputError(url, f"cannot load TLS certificates: {_one_line(str(exc))}") from None
    try:
        return httpx.AsyncClient(headers=headers, timeout=timeout, verify=tls)
    except (ImportError, ValueError) as exc:  # e.g. ALL_PROXY=socks5://… without socksio installed
        raise InputError(url, f"cannot use the proxy set in the environment: {_one_line(str(exc))}") from None


async def _read(response: httpx.Response, url: str, cap: int) -> Fetched:
    """The body of a response that can be a document, refused as soon as it cannot be."""
    if response.status_code >= 300:
        raise InputError(url, f"HTTP {response.status_code} {_one_line(response.reason_phrase)}".rstrip())
    media, charset = _parse_content_type(response.headers.get("Content-Type"))
    name = _file_name(str(response.url), response.headers.get("Content-Disposition"))
    _refuse_type(url, media, name)
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    length = response.headers.get("Content-Length", "").strip()
    if not encoding and length.isdigit() and int(length) > cap:
        raise InputError(url, f"response is {int(length):,} bytes, over the size cap of {cap:,} bytes {RAISE_CAP}")
    body = _Body(url, cap, encoding)
    try:
        async for chunk in response.aiter_raw():
            body.add(chunk)
    except httpx.RemoteProtocolError:  # the connection closed inside the body
        if length.isdigit():
            raise InputError(url, f"truncated: got {body.received:,} of {int(length):,} bytes") from None
        raise InputError(url, f"truncated: the connection closed after {body.received:,} bytes") from None
    return Fetched(body.finish(), media, charset, name)


async def _download(url: str, timeout: float, cap: int, deadline: float) -> Fetched:
    """Fetch within the deadline; the caller turns httpx's errors into one line."""
    async with asyncio.timeout(deadline), _client(url, timeout) as client:
        response = await _open(client, url)
        try:
            return await _read(response, url, cap)
        finally:
            await response.aclose()


def _causes(exc: BaseException | None) -> Iterator[BaseException]:
    """An exception and everything it was raised from, groups of connection attempts included."""
    while exc is not None:
        yield exc
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                yield from _causes(inner)
        exc = exc.__cause__ or exc.__context__


def _describe(exc: httpx.HTTPError) -> str:
    """What went wrong underneath an httpx error, in a few words."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "cannot resolve the host name (DNS lookup failed)"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate verification failed: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause.strerror}"
    detail = re.split(r":\s*(?:bytearray\()?b['\"]", str(exc))[0]  # h11 quotes the bad bytes as Python reprs
    return _one_line(detail) or type(exc).__name__


def _problem(exc: httpx.HTTPError, timeout: float) -> str:
    """One line for an httpx error, in scdocs' words."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out after {timeout:g} s (connecting)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s (waiting for the server)"
    if isinstance(exc, httpx.ProxyError):
        return f"proxy error: {_describe(exc)}"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {_describe(exc)}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP response ({_describe(exc)})"
    return f"connection failed: {_describe(exc)}"


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end, on a thread of its own when this one already runs an event
    loop (Jupyter, an async application)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def fetch(url: str, timeout: float = 20.0, max_bytes: int | None = None, deadline: float | None = None) -> Fetched:
    """Fetch one document's bytes with everything the response said about them.

    `timeout` bounds connecting and each read, `deadline` (default SCDOCS_URL_DEADLINE or five
    minutes) the whole fetch, `max_bytes` (default the document size cap) the decoded body.
    """
    url = url.strip()
    _check_url(url)
    cap = default_max_bytes() if max_bytes is None else max_bytes
    seconds = deadline_seconds() if deadline is None else deadline
    try:
        return _run(_download(url, timeout, cap, seconds))
    except TimeoutError:
        raise InputError(url, f"not finished within the {seconds:g} s deadline for the whole download "
                              "(set SCDOCS_URL_DEADLINE to allow longer)") from None
    except httpx.HTTPError as exc:
        raise InputError(url, _problem(exc, timeout)) from None


def fetch_bytes(url: str, timeout: float = 20.0, max_bytes: int | None = None,
                deadline: float | None = None) -> tuple[bytes, str | None, str | None]:
    """Fetch a URL's body: (bytes, content type, charset from the Content-Type header), bounded as
    `fetch` is."""
    got = fetch(url, timeout, max_bytes, deadline)
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


def read_url(url: str, timeout: float = 20.0, deadline: float | None = None) -> Document:
    """Fetch an http(s) URL and parse it; errors name the URL."""
    fetched = fetch(url, timeout, deadline=deadline)
    return read_bytes(fetched.body, url, fetched.charset, choose_format(fetched))
