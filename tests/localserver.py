"""A small threaded HTTP(S) server on 127.0.0.1 for tests: fixture sites without the internet.

    site = LocalSite({"/": (200, {"Content-Type": "text/html"}, "<a href='/a'>a</a>")})
    site.add("/robots.txt", body="User-agent: *\\nDisallow: /private", content_type="text/plain")
    with site:
        httpx.get(site.url("/"))
        assert ("GET", "/") in site.hits

A route is a tuple ``(status, headers, body)`` or a callable taking a :class:`Request` and
returning one (it may sleep, to provoke timeouts). Bodies given as bytes are sent verbatim,
so a gzip body is sent compressed. A body given as an iterator of byte chunks is streamed
(without Content-Length, the connection closing at its end), each chunk flushed as it comes:
a generator may sleep between chunks, or never end. ``bytes_sent(path)`` counts what went out. HEAD is answered like GET without the body. With
``tls_cert`` (a ``trustme.LeafCert``) the server speaks HTTPS.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""


RouteTuple = tuple[int, dict[str, str], Any]  # body: bytes, str or an iterator of bytes
Route = RouteTuple | Callable[[Request], RouteTuple]

NOT_FOUND: RouteTuple = (404, {"Content-Type": "text/html; charset=utf-8"}, "<h1>Not found</h1>")


class LocalSite:
    """A fixture site on an ephemeral port of 127.0.0.1; also a context manager."""

    def __init__(
        self,
        routes: dict[str, Route] | None = None,
        tls_cert: Any = None,
        default: Route | None = None,
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.default: Route = default if default is not None else NOT_FOUND
        self.tls_cert = tls_cert
        self._hits: list[tuple[str, str]] = []
        self._bytes_sent: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ routes

    def add(
        self,
        path: str,
        status: int = 200,
        body: bytes | str = "",
        headers: dict[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        """Serve ``body`` at ``path`` (matched with its query first, then without)."""
        merged = {"Content-Type": content_type}
        merged.update(headers or {})
        self.routes[path] = (status, merged, body)

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        """Answer ``path`` with a redirect to ``to`` (relative or absolute)."""
        self.routes[path] = (status, {"Location": to}, "")

    def route_for(self, path: str) -> Route:
        if path in self.routes:
            return self.routes[path]
        bare = path.split("?", 1)[0]
        return self.routes.get(bare, self.default)

    # ------------------------------------------------------------------ lifecycle

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert is not None else "http"

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("LocalSite is not started")
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        if not path.startswith("/"):
            path = "/" + path
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    @property
    def hits(self) -> list[tuple[str, str]]:
        """(method, path) of every request so far; a copy, safe to read while serving."""
        with self._lock:
            return list(self._hits)

    def hit_count(self, path: str, method: str | None = None) -> int:
        return sum(1 for m, p in self.hits if p == path and (method is None or m == method))

    def bytes_sent(self, path: str) -> int:
        """Body bytes written for ``path`` (with its query) so far, over every request."""
        with self._lock:
            return self._bytes_sent.get(path, 0)

    def _count_sent(self, path: str, count: int) -> None:
        with self._lock:
            self._bytes_sent[path] = self._bytes_sent.get(path, 0) + count

    def clear_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    def _record(self, method: str, path: str) -> None:
        with self._lock:
            self._hits.append((method, path))

    def start(self) -> LocalSite:
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _handler_for(self))
        if self.tls_cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.tls_cert.configure_cert(context)
            server.tls_context = context
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"LocalSite:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> LocalSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler sleeping for a timeout test must not delay stop()
    allow_reuse_address = True
    tls_context: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.tls_context is not None:
            # The handshake runs in the handler's thread, so one slow or failing client
            # cannot stall the accept loop.
            sock = self.tls_context.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False
            )
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients that reject our certificate or hang up are expected in tests."""


def _handler_for(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "LocalSite/1"

        def setup(self) -> None:
            if isinstance(self.request, ssl.SSLSocket):
                self.request.settimeout(10)
                self.request.do_handshake()
            super().setup()

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body_in = self.rfile.read(length) if length else b""
            request = Request(
                method=self.command,
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body_in,
            )
            site._record(self.command, self.path)
            route = site.route_for(self.path)
            status, headers, body = route(request) if callable(route) else route
            if not isinstance(body, (str, bytes, bytearray)):
                self._stream(status, headers, body)
                return
            payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)
            self.send_response(status)
            names = {k.lower() for k in headers}
            for name, value in headers.items():
                self.send_header(name, value)
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD" and status not in (204, 304):
                self.wfile.write(payload)
                site._count_sent(self.path, len(payload))

        def _stream(self, status: int, headers: dict[str, str], chunks: Any) -> None:
            """Send ``chunks`` as they come, until they end or the client hangs up."""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            if self.command == "HEAD":
                return
            try:
                for chunk in chunks:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    site._count_sent(self.path, len(chunk))
            except OSError:  # the client stopped reading and closed: the point of the test
                pass
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = _serve

    return Handler
