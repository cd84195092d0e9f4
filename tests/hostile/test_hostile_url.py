"""Hostile servers, through the real command line in a bounded child process: a server that
sends one byte a second must be stopped by the overall deadline (SCDOCS_URL_DEADLINE), and a body
shorter than its Content-Length must be refused, never parsed as if it were the whole document.
Each case is one line `error: URL: problem` and exit 2. The server is a threaded http.server on
127.0.0.1 in this process; nothing else is contacted."""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hostile.conftest import Run

BODY = ("<html><body><p>第一条　为了规范社会信用信息管理，制定本条例。</p>"
        "<p>第二条　本条例自公布之日起施行。</p></body></html>").encode()
Handler = Callable[[BaseHTTPRequestHandler, threading.Event], None]


def _drip_body(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Headers at once, then the body one byte a second: never idle long enough for a read timeout."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                  + f"Content-Length: {len(BODY)}\r\n\r\n".encode())
    h.wfile.flush()
    for byte in BODY:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        if stop.wait(1.0):
            return


def _drip_headers(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """The status line and headers themselves one byte a second."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"x" * 200:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        if stop.wait(1.0):
            return


def _short(version: str, extra: str = "", body: bytes = BODY, announced: int | None = None) -> Handler:
    """Announces more bytes than it sends, then closes the connection."""
    def handle(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        length = announced if announced is not None else len(body) + 500
        h.wfile.write(f"{version} 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{extra}"
                      f"Content-Length: {length}\r\n\r\n".encode() + body)
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_WR)

    return handle


def _short_kept_open(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Announces more than it sends and keeps the connection open: the read timeout is the bound."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                  + f"Content-Length: {len(BODY) + 500}\r\n\r\n".encode() + BODY)
    h.wfile.flush()
    stop.wait(30)


def _chunks_without_end(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Whole chunks, then the connection closes without the last (zero-size) chunk."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + f"{len(BODY):x}\r\n".encode() + BODY + b"\r\n")
    h.wfile.flush()
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_WR)


ROUTES: dict[str, Handler] = {
    "/drip-body": _drip_body,
    "/drip-headers": _drip_headers,
    "/short-1.1": _short("HTTP/1.1"),
    "/short-1.0": _short("HTTP/1.0"),
    "/short-close": _short("HTTP/1.1", "Connection: close\r\n"),
    "/short-keep-alive": _short("HTTP/1.0", "Connection: keep-alive\r\n"),
    "/short-gzip": _short("HTTP/1.1", "Content-Encoding: gzip\r\n", gzip.compress(BODY)),
    "/short-gzip-cut": _short("HTTP/1.1", "Content-Encoding: gzip\r\n", gzip.compress(BODY)[:40],
                              announced=len(gzip.compress(BODY))),
    "/short-kept-open": _short_kept_open,
    "/chunks-without-end": _chunks_without_end,
}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    stop = threading.Event()

    class H(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # scdocs gave up, as it should
                ROUTES[self.path](self, stop)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    stop.set()
    httpd.shutdown()
    httpd.server_close()


ENV = {"SCDOCS_URL_DEADLINE": "2", "NO_PROXY": "*", "no_proxy": "*", "HTTP_PROXY": "", "http_proxy": "",
       "ALL_PROXY": "", "all_proxy": ""}


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_one_byte_a_second_is_stopped_by_the_deadline(scdocs: Callable[..., Run], base_url: str, path: str) -> None:
    start = time.perf_counter()
    run = scdocs("sections", base_url + path, env=ENV)
    line = run.assert_one_line_error(base_url + path, "not finished within the 2 s deadline", "SCDOCS_URL_DEADLINE")
    assert line.startswith(f"error: {base_url}{path}: ")
    assert time.perf_counter() - start < 15  # the 2 s deadline plus Python's start-up, not the 20 s read timeout


@pytest.mark.parametrize("path", ["/short-1.1", "/short-1.0", "/short-close", "/short-keep-alive", "/short-gzip",
                                  "/short-gzip-cut"])
def test_body_shorter_than_its_content_length_is_refused(scdocs: Callable[..., Run], base_url: str,
                                                         path: str) -> None:
    run = scdocs("sections", base_url + path, env=ENV)
    line = run.assert_one_line_error(base_url + path, "truncated")
    assert " of " in line, line  # says how much came of how much was announced
    assert run.stdout == ""


def test_chunked_body_without_its_last_chunk_is_refused(scdocs: Callable[..., Run], base_url: str) -> None:
    run = scdocs("sections", base_url + "/chunks-without-end", env=ENV)
    run.assert_one_line_error("truncated: the connection closed after")


def test_short_body_on_an_open_connection_ends_at_the_deadline(scdocs: Callable[..., Run], base_url: str) -> None:
    run = scdocs("sections", base_url + "/short-kept-open", env=ENV)
    run.assert_one_line_error("not finished within the 2 s deadline")
