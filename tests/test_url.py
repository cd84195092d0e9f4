"""Fetching documents over http(s), against a local server only: never another host.

Each response is one way a real site behaves (a charset only in the HTTP header, an image
where a page was expected, a 404, a stalled or dripping server, an oversized, compressed or
cut-off body, a proxy); each must give a parsed document or a one-line error naming the URL.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from scdocs.cli import app
from scdocs.errors import InputError
from scdocs.readers.url import fetch_bytes, read_url

# An opinions page whose charset is declared only in the HTTP header (gb2312) and which holds
# a GBK-only character (镕): decoded as strict gb2312, or by lxml, the text would stop there.
PAGE = """<!DOCTYPE html>
<html><head><title>关于推进社会信用体系建设高质量发展的意见</title></head>
<body>
<div class="nav">首页 &gt; 政策</div>
<div id="UCAP-CONTENT">
<p>关于推进社会信用体系建设高质量发展的意见</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>（一）总体要求。以习近平新时代中国特色社会主义思想为指导，朱镕基同志批示后续文字保持完整，推进社会信用体系建设。</p>
<p>（二）加强信用信息归集共享。依法依规归集公共信用信息，完善全国信用信息共享平台。</p>
<p>（三）健全守信激励和失信惩戒机制。规范失信惩戒措施，保障市场主体合法权益。</p>
</div>
</body></html>
"""
ARTICLES = {
    "title": "测试信用条例",
    "provisions": [
        {"provision_ref": "1", "chapter": "", "content": "为了规范社会信用信息管理，制定本条例。"},
        {"provision_ref": "2", "chapter": "", "content": "本条例适用于本省行政区域内的信用信息管理。"},
    ],
}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
TIMEOUT = 1.0


def _docx() -> bytes:
    """A two-article .docx, built here so no binary fixture is needed."""
    import docx

    d = docx.Document()
    for line in ("测试条例", "第一条　为了测试，制定本条例。", "第二条　本条例自公布之日起施行。"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


Handler = Callable[[BaseHTTPRequestHandler], None]


def _send(h: BaseHTTPRequestHandler, status: int, ctype: str | None, body: bytes,
          headers: dict[str, str] | None = None, length: bool = True) -> None:
    h.send_response(status)
    if ctype is not None:
        h.send_header("Content-Type", ctype)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    if length:
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


class Server:
    """A local HTTP server whose routes the tests define."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.release = threading.Event()  # set at teardown so stalled handlers end at once
        self.user_agents: list[str] = []
        self.targets: list[str] = []  # request targets as sent: a full URL when the client talks to a proxy
        server = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.user_agents.append(self.headers.get("User-Agent", ""))
                server.targets.append(self.path)
                route = server.routes.get(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path))
                try:
                    if route is None:
                        _send(self, 404, "text/html", b"<html><body>not here</body></html>")
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as the timeout and size tests make it do

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _stall(server: Server) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        server.release.wait(5 * TIMEOUT)

    return handle


def _stall_mid_body(server: Server) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html><body><p>" + "开始".encode() * 100)
        h.wfile.flush()
        server.release.wait(5 * TIMEOUT)

    return handle


def _drip(server: Server, head: bytes, rest: bytes) -> Handler:
    """Sends `head`, then `rest` a byte every 0.1 s: never idle long enough for a read timeout."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.wfile.write(head)
        for byte in rest:
            h.wfile.write(bytes([byte]))
            if server.release.wait(0.1):
                return

    return handle


def _short(chunked: bool) -> Handler:
    """Promises 5,000 bytes (by Content-Length, or by a chunk size), sends 1,000 and hangs up."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header(*(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", "5000")))
        h.end_headers()
        h.wfile.write((b"1388\r\n" if chunked else b"") + b"<p>" + b"x" * 997)

    return handle


def _redirect(to: str) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handle


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    page = PAGE.encode("gb18030")
    big = b"<html><body>" + b"<p>x</p>" * 2000 + b"</body></html>"
    docx_bytes = _docx()
    named_docx = {"Content-Disposition": "attachment; filename*=UTF-8''%E6%9D%A1%E4%BE%8B.docx"}
    srv.routes.update({
        # Government sites serve .docx downloads as octet-stream, named only by Content-Disposition.
        "/download": lambda h: _send(h, 200, "application/octet-stream", docx_bytes, named_docx),
        "/rules.docx": lambda h: _send(h, 200, "application/octet-stream", docx_bytes),
        "/page.html": lambda h: _send(h, 200, "text/html; charset=gb2312", page),
        "/policy": lambda h: _send(h, 200, "text/html; charset=GB2312", page),
        "/政策/意见.html": lambda h: _send(h, 200, "text/html; charset=gb2312", page),
        "/articles.json": lambda h: _send(h, 200, "application/json",
                                          json.dumps(ARTICLES, ensure_ascii=False).encode()),
        "/image.png": lambda h: _send(h, 200, "image/png", PNG),
        "/page.png": lambda h: _send(h, 200, "image/png", page),
        "/blob": lambda h: _send(h, 200, "application/octet-stream", PNG),
        "/app.js": lambda h: _send(h, 200, "application/javascript; charset=utf-8", b"var x = 1;"),
        "/doc.pdf": lambda h: _send(h, 200, "application/pdf", b"%PDF-1.7\n"),
        "/teapot": lambda h: _send(h, 418, "text/plain", b"short and stout"),
        "/slow": _stall(srv),
        "/slow-body": _stall_mid_body(srv),
        "/big": lambda h: _send(h, 200, "text/html", big),
        "/big-stream": lambda h: _send(h, 200, "text/html", big, length=False),
        "/gzip": lambda h: _send(h, 200, "text/html; charset=gb2312", gzip.compress(page),
                                 {"Content-Encoding": "gzip"}),
        "/bomb": lambda h: _send(h, 200, "text/html", gzip.compress(b"<p>" + b" " * 5_000_000),
                                 {"Content-Encoding": "gzip"}),
        "/empty": lambda h: _send(h, 200, "text/html", b""),
        "/short": _short(chunked=False),
        "/short-chunked": _short(chunked=True),
        "/drip-headers": _drip(srv, b"", b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: " + b"x" * 100),
        "/drip-body": _drip(srv, b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 200\r\n\r\n",
                            b"<p>" + b"x" * 197),
        "/untyped": lambda h: _send(h, 200, None, json.dumps(ARTICLES).encode()),
        "/redirect": _redirect("/page.html"),
        **{f"/hop{i}": _redirect(f"/hop{i + 1}") for i in range(1, 6)},
        "/hop6": _redirect("/page.html"),
        "/loop": _redirect("/loop"),
        "/to-file": _redirect("file:///etc/passwd"),
    })
    srv.thread.start()
    yield srv
    srv.release.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set in the environment must not carry requests for 127.0.0.1 elsewhere (and a
    no_proxy there must not hide the proxy test's own settings)."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SCDOCS_MAX_BYTES", "")  # recorded, so a CLI --max-size cannot leak out
    monkeypatch.delenv("SCDOCS_MAX_BYTES")


def _error(call: Callable[[], object]) -> str:
    with pytest.raises(InputError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    return message


def test_charset_from_http_header_keeps_text_after_gbk_only_character(server: Server) -> None:
    doc = read_url(server.url("/page.html"))
    assert "朱镕基同志批示后续文字保持完整" in doc.text
    items = doc.units()
    assert [u.num for u in items] == ["（一）", "（二）", "（三）"]
    assert items[0].heading == "总体要求"
    assert "首页" not in doc.text  # navigation dropped
    assert doc.meta.source == server.url("/page.html")
    assert server.user_agents[-1].startswith("scdocs/")


def test_content_type_decides_html_without_an_extension(server: Server) -> None:
    assert len(read_url(server.url("/policy")).units()) == 3


def test_non_ascii_path_is_percent_encoded(server: Server) -> None:
    assert "朱镕基" in read_url(server.url("/政策/意见.html")).text


def test_redirect_is_followed(server: Server) -> None:
    assert len(read_url(server.url("/redirect")).units()) == 3
    assert len(read_url(server.url("/hop2")).units()) == 3  # five redirects: the limit


def test_no_content_type_falls_back_to_sniffing(server: Server) -> None:
    assert [u.num for u in read_url(server.url("/untyped")).units()] == ["第一条", "第二条"]


def test_gzip_body_is_decompressed(server: Server) -> None:
    body, ctype, charset = fetch_bytes(server.url("/gzip"))
    assert body == PAGE.encode("gb18030")
    assert (ctype, charset) == ("text/html", "gb2312")


@pytest.mark.parametrize("path", ["/download", "/rules.docx"])
def test_docx_served_as_octet_stream(server: Server, path: str) -> None:
    assert [u.num for u in read_url(server.url(path)).units()] == ["第一条", "第二条"]


def test_json_article_list(server: Server) -> None:
    doc = read_url(server.url("/articles.json"))
    assert doc.meta.title == "测试信用条例"
    assert [u.num for u in doc.units()] == ["第一条", "第二条"]
    assert "本条例适用于本省行政区域内的信用信息管理。" in doc.find(2).text


@pytest.mark.parametrize(("path", "expected"), [
    ("/image.png", "content type image/png is not a document"),
    ("/page.png", "content type image/png is not a document"),  # the header decides, not the bytes
    ("/blob", "content type application/octet-stream is not a document"),
    ("/app.js", "content type application/javascript is not a document"),
    ("/doc.pdf", "PDF is not supported"),
])
def test_non_document_content_type(server: Server, path: str, expected: str) -> None:
    message = _error(lambda: read_url(server.url(path)))
    assert expected in message
    assert message.startswith(server.url(path))


def test_http_errors(server: Server) -> None:
    assert _error(lambda: read_url(server.url("/missing"))).endswith("HTTP 404 Not Found")
    assert "HTTP 418" in _error(lambda: read_url(server.url("/teapot")))


def test_redirect_loop_and_non_http_redirect(server: Server) -> None:
    assert _error(lambda: read_url(server.url("/loop"))).endswith("too many redirects: over 5 (a redirect loop)")
    assert _error(lambda: read_url(server.url("/hop1"))).endswith("too many redirects: over 5")  # six
    message = _error(lambda: read_url(server.url("/to-file")))
    assert message == f"{server.url('/to-file')}: HTTP 302 redirect to a file: URL refused, only http(s) is followed"


@pytest.mark.parametrize("path", ["/slow", "/slow-body"])
def test_timeout(server: Server, path: str) -> None:
    start = time.perf_counter()
    message = _error(lambda: read_url(server.url(path), timeout=TIMEOUT))
    assert "timed out after 1 s" in message
    assert time.perf_counter() - start < 4 * TIMEOUT


@pytest.mark.parametrize("path", ["/big", "/big-stream", "/bomb"])
def test_body_over_the_size_cap(server: Server, path: str) -> None:
    message = _error(lambda: fetch_bytes(server.url(path), max_bytes=1000))
    assert "over the size cap of 1,000 bytes" in message


def test_size_cap_from_the_environment(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCDOCS_MAX_BYTES", "1000")
    assert "over the size cap" in _error(lambda: read_url(server.url("/big-stream")))


def test_empty_body(server: Server) -> None:
    assert "empty document" in _error(lambda: read_url(server.url("/empty")))


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    message = _error(lambda: read_url(f"http://127.0.0.1:{port}/x.html", timeout=TIMEOUT))
    assert "connection refused" in message


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)  # no resolver is ever asked
    assert "DNS lookup failed" in _error(lambda: read_url("http://no-such-host.invalid/a.html"))


@pytest.mark.parametrize(("url", "expected"), [
    ("ftp://127.0.0.1/a.txt", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("http:///a.html", "no host"),
    ("http://127.0.0.1:99999/a.html", "invalid URL"),
    ("http://a b.example/a.html", "space in the host name"),
])
def test_unsupported_urls(url: str, expected: str) -> None:
    assert expected in _error(lambda: read_url(url))


def test_cli_sections_from_url(server: Server) -> None:
    result = CliRunner().invoke(app, ["sections", server.url("/page.html")])
    assert result.exit_code == 0, result.stderr
    assert "总体要求" in result.stdout
    assert "item_3" in result.stdout


def test_cli_show_404_is_one_error_line(server: Server) -> None:
    result = CliRunner().invoke(app, ["show", server.url("/missing.html"), "1"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:") and "404" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_overall_deadline_stops_a_slow_drip(server: Server, path: str) -> None:
    """A byte every 0.1 s never trips the 1 s read timeout; the deadline for the whole fetch stops it."""
    start = time.perf_counter()
    message = _error(lambda: read_url(server.url(path), timeout=TIMEOUT, deadline=1.0))
    assert message.startswith(server.url(path) + ": ")
    assert "not finished within the 1 s deadline" in message
    assert time.perf_counter() - start < 2.5


def test_deadline_from_the_environment_in_the_cli(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCDOCS_URL_DEADLINE", "1")
    result = CliRunner().invoke(app, ["sections", server.url("/drip-body")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {server.url('/drip-body')}: not finished within the 1 s deadline for the whole download "
        "(set SCDOCS_URL_DEADLINE to allow longer)"]
    monkeypatch.setenv("SCDOCS_URL_DEADLINE", "soon")
    result = CliRunner().invoke(app, ["sections", server.url("/page.html")])
    assert result.exit_code == 2
    assert "SCDOCS_URL_DEADLINE='soon' is not a positive number of seconds" in result.stderr


@pytest.mark.parametrize(("path", "expected"), [
    ("/short", "truncated: got 1,000 of 5,000 bytes"),
    ("/short-chunked", "truncated: the connection closed after 1,000 bytes"),
])
def test_body_shorter_than_announced(server: Server, path: str, expected: str) -> None:
    assert _error(lambda: read_url(server.url(path))) == f"{server.url(path)}: {expected}"


def test_tls_error(server: Server) -> None:
    url = server.url("/page.html").replace("http:", "https:")  # a TLS handshake with a plain-HTTP server
    message = _error(lambda: read_url(url, timeout=TIMEOUT))
    assert message.startswith(f"{url}: cannot connect: TLS error")


def test_proxy_from_the_environment(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY is honoured: the document comes from the proxy, which is asked for the full URL."""
    proxy = Server()
    proxy.routes["/only-via-proxy.html"] = lambda h: _send(h, 200, "text/html; charset=gb2312",
                                                            PAGE.encode("gb18030"))
    proxy.thread.start()
    try:
        url = server.url("/only-via-proxy.html")  # the server itself answers 404
        monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
        assert [u.num for u in read_url(url).units()] == ["（一）", "（二）", "（三）"]
        assert proxy.targets == [url]
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        assert _error(lambda: read_url(url)).endswith("HTTP 404 Not Found")
        assert proxy.targets == [url]
        monkeypatch.setenv("HTTP_PROXY", "gopher://127.0.0.1:1")
        assert "cannot use the proxy set in the environment" in _error(lambda: read_url(url))
    finally:
        proxy.httpd.shutdown()
        proxy.httpd.server_close()


def test_reading_inside_a_running_event_loop(server: Server) -> None:
    """As in Jupyter, where an event loop is already running."""
    async def notebook_cell() -> list[str | None]:
        return [u.num for u in read_url(server.url("/page.html")).units()]

    assert asyncio.run(notebook_cell()) == ["（一）", "（二）", "（三）"]
