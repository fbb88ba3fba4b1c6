"""The bundled demo site: a fictitious municipality with a few deliberate problems, served on
127.0.0.1 so a newcomer sees a real report with one command (``auditor demo``)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

DEMO_SITE_DIR = Path(__file__).resolve().parent / "demo_site"

# files whose absolute URLs depend on where the site is served
_TEMPLATED = {"/robots.txt", "/sitemap.xml"}


class _DemoHandler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        if path in _TEMPLATED:
            origin = f"http://{self.headers.get('Host', '127.0.0.1')}"
            body = (DEMO_SITE_DIR / path.lstrip("/")).read_text().replace("{origin}", origin).encode()
            self.send_response(200)
            self.send_header(
                "Content-Type", "text/plain; charset=utf-8" if path.endswith(".txt") else "application/xml"
            )
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep stderr clean
        pass


@contextmanager
def serve_demo_site(port: int = 0) -> Iterator[str]:
    """Serve the demo site on 127.0.0.1 (an ephemeral port by default); yields its base URL."""
    handler = partial(_DemoHandler, directory=str(DEMO_SITE_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
