"""A realistic generated site for benchmarks, served on 127.0.0.1.

N pages of 30–100 KB HTML (deterministic for a seed) with a shared stylesheet and script,
images, a form, links to PDFs, a navigation menu and footer, and a sitemap listing every page.
The shared stylesheet, script and images may be cached for an hour, as on a real site;
``SERVED`` counts the requests answered by kind (page, asset, other), to see what a browser's
cache saved.
Pages are generated on request, so a 10,000-page site costs no disk. ``latency_ms`` delays
every response, to imitate a real server.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

WORDS = (
    "gemeente dienst aanvraag loket burger inwoner afspraak formulier vergunning afval "
    "parkeren bibliotheek cultuur sport onderwijs zorg wonen bouwen milieu mobiliteit "
    "openingsuren contact nieuws evenement subsidie belasting identiteitskaart rijbewijs "
    "huwelijk geboorte overlijden adreswijziging uittreksel attest premie energie"
).split()

CSS = b"""body{font-family:sans-serif;margin:0 auto;max-width:60rem;padding:0 1rem;color:#222}
header,footer{padding:1rem 0;border-bottom:1px solid #ccc}nav ul{display:flex;flex-wrap:wrap;gap:1rem;
list-style:none;padding:0}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem}
.kaart{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem}""" * 20

JS = b"""document.addEventListener('DOMContentLoaded',function(){var b=document.querySelectorAll('.kaart');
for(var i=0;i<b.length;i++){b[i].setAttribute('data-ready','1');}});""" * 20

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200" '
       b'fill="#c8e6c9"/><text x="20" y="100" font-size="24">Voorbeeld</text></svg>')
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def render_page(n: int, pages: int, seed: int = 1) -> bytes:
    """Page ``n`` of a ``pages``-page site: 30–100 KB, links to ten other pages."""
    rng = random.Random(seed * 100_003 + n)
    target = rng.randint(30_000, 100_000)
    links = sorted({(n * 7 + k * 13) % pages for k in range(1, 11)} - {n})
    nav = "".join(f'<li><a href="/p/{i}">Pagina {i}</a></li>' for i in links)
    parts = [
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Pagina {n} | Gemeente Benchmark</title>",
        '<link rel="stylesheet" href="/static/site.css"><script src="/static/site.js" defer></script>',
        "</head><body><header><a href='/'>Gemeente Benchmark</a>",
        f'<nav aria-label="Hoofdmenu"><ul>{nav}</ul></nav></header><main><h1>Pagina {n}</h1>',
        f'<img src="/img/{n % 7}.svg" alt="Illustratie {n}" width="400" height="200">',
        '<form action="/zoeken" method="get"><label for="q">Zoeken</label><input id="q" name="q">'
        "<button>Zoek</button></form>",
        f'<p><a href="/documenten/{n % 5}.pdf">Brochure (PDF)</a></p>',
    ]
    size = sum(len(p) for p in parts)
    section = 0
    while size < target:
        section += 1
        block = f"<h2>Onderdeel {section}</h2>" + "".join(f"<p>{_sentence(rng)} {_sentence(rng)}</p>" for _ in range(6))
        if section % 4 == 0:
            block += "<table><caption>Overzicht</caption><tr><th>Dienst</th><th>Prijs</th></tr>" + "".join(
                f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 90)} euro</td></tr>" for _ in range(8)
            ) + "</table>"
        parts.append(block)
        size += len(block)
    parts.append(
        "</main><footer><ul><li><a href='/privacy'>Privacyverklaring</a></li>"
        "<li><a href='/toegankelijkheid'>Toegankelijkheidsverklaring</a></li>"
        "<li><a href='/contact'>Contact</a></li></ul></footer></body></html>"
    )
    return "".join(parts).encode()


def sitemap(base: str, pages: int) -> bytes:
    urls = "".join(f"<url><loc>{base}/p/{i}</loc></url>" for i in range(pages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    ).encode()


SERVED: Counter[str] = Counter()


def _handler(pages: int, latency_ms: int, seed: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            if latency_ms:
                time.sleep(latency_ms / 1000)
            path = self.path.split("?", 1)[0]
            base = f"http://{self.headers.get('Host')}"
            if path == "/":
                path = "/p/0"
            if path.startswith("/p/") and path[3:].isdigit() and int(path[3:]) < pages:
                self._send(200, "text/html; charset=utf-8", render_page(int(path[3:]), pages, seed))
            elif path in ("/privacy", "/toegankelijkheid", "/contact"):
                self._send(200, "text/html; charset=utf-8", render_page(0, pages, seed + 1))
            elif path == "/static/site.css":
                self._send(200, "text/css", CSS, cacheable=True)
            elif path == "/static/site.js":
                self._send(200, "application/javascript", JS, cacheable=True)
            elif path.startswith("/img/"):
                self._send(200, "image/svg+xml", SVG, cacheable=True)
            elif path.startswith("/documenten/"):
                self._send(200, "application/pdf", PDF)
            elif path == "/robots.txt":
                self._send(200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode())
            elif path == "/sitemap.xml":
                self._send(200, "application/xml", sitemap(base, pages))
            else:
                self._send(404, "text/html", b"<h1>Niet gevonden</h1>")

        do_HEAD = do_GET  # noqa: N815 - bodies are small; HEAD answers like GET

        def _send(self, status: int, content_type: str, body: bytes, cacheable: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if cacheable:  # shared CSS, JS and images, cached for an hour as on a real site
                self.send_header("Cache-Control", "public, max-age=3600")
            SERVED["asset" if cacheable else "page" if content_type.startswith("text/html") else "other"] += 1
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # browsers drop keep-alive connections; that is not news


@contextmanager
def serve_generated_site(pages: int, latency_ms: int = 0, seed: int = 1) -> Iterator[str]:
    """Serve a generated site on 127.0.0.1; yields its base URL (no trailing slash)."""
    server = _QuietServer(("127.0.0.1", 0), _handler(pages, latency_ms, seed))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
