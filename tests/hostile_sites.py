"""Hostile fixture sites for the reliability suite, served on 127.0.0.1 by the suite itself.

``build_hostile_site`` is one site whose home page links to ordinary pages and to pages that
misbehave the way real sites do: a redirect loop, a 429 with Retry-After, a 403, a 500 that
recovers, broken HTML, a windows-1252 page declared only in the Content-Type header, and an
endless calendar (a crawler trap). ``build_robots_closed_site`` is a tiny site whose
robots.txt disallows everything.
"""

from __future__ import annotations

import threading
import time

from functools import partial

from tests.fixture_site import html_page as _html_page
from tests.localserver import LocalSite, Request, RouteTuple

HTML = "text/html; charset=utf-8"
# no footer: the fixture's footer links to statement pages this site does not serve
html_page = partial(_html_page, footer=False)
LATIN_TITLE = "Café Ré"  # encoded as windows-1252 on the wire

HOSTILE_LINKS = {
    "/gewoon-1": "Gewone pagina 1",
    "/gewoon-2": "Gewone pagina 2",
    "/lus": "Doorverwijzing in een lus",
    "/druk": "Te druk (429)",
    "/verboden": "Verboden (403)",
    "/hapert": "Hapert eenmaal (500)",
    "/kapot": "Kapotte HTML",
    "/cp1252": "Windows-1252",
    "/cal?d=0": "Kalender",
}

BROKEN_HTML = (
    b"<!doctype html><html lang=nl><head><title>Kapot</title><body><main><h1>Kapot"
    b"<p>Onafgesloten <b>vet <i>schuin <div><table><tr><td>cel"
    b"\xff\xfe\x00\x81 stray bytes \xc3\x28 <a href='/gewoon-1'>terug"
    b"</span></section></html></html><p"
)


def fail_first(times: int, failure: RouteTuple, then: RouteTuple):
    """A route that answers ``failure`` for its first ``times`` hits, then ``then``."""
    lock = threading.Lock()
    hits = [0]

    def route(request: Request) -> RouteTuple:
        with lock:
            hits[0] += 1
            count = hits[0]
        return failure if count <= times else then

    return route


def calendar_day(request: Request) -> RouteTuple:
    """An endless calendar: day N links to day N + 1, forever."""
    query = request.path.partition("?")[2]
    day = int(dict(p.partition("=")[::2] for p in query.split("&") if p).get("d", "0") or 0)
    body = html_page(f"Kalender dag {day}", f'<p>Dag {day}.</p><a href="/cal?d={day + 1}">Volgende dag</a>')
    return 200, {"Content-Type": HTML}, body


def build_hostile_site() -> LocalSite:
    site = LocalSite()
    links = "".join(f'<li><a href="{path}">{text}</a></li>' for path, text in HOSTILE_LINKS.items())
    site.add("/", body=html_page("Gemeente Vijandig", f"<p>Welkom.</p><ul>{links}</ul>"))
    site.add("/gewoon-1", body=html_page("Gewone pagina 1", "<p>Inhoud.</p>"))
    site.add("/gewoon-2", body=html_page("Gewone pagina 2", "<p>Inhoud.</p>"))
    site.redirect("/lus", "/lus-terug", status=302)
    site.redirect("/lus-terug", "/lus", status=302)
    site.routes["/druk"] = fail_first(
        1, (429, {"Content-Type": HTML, "Retry-After": "1"}, "<h1>Te veel verzoeken</h1>"),
        (200, {"Content-Type": HTML}, html_page("Druk maar bereikbaar", "<p>Nu wel.</p>")))
    site.add("/verboden", status=403, body="<h1>Forbidden</h1>")
    site.routes["/hapert"] = fail_first(
        1, (500, {"Content-Type": HTML}, "<h1>Internal Server Error</h1>"),
        (200, {"Content-Type": HTML}, html_page("Hersteld", "<p>Tweede keer goed.</p>")))
    site.add("/kapot", body=BROKEN_HTML)
    site.add("/cp1252", content_type="text/html; charset=windows-1252",
             body=(f"<!doctype html><html lang=nl><head><title>{LATIN_TITLE}</title></head>"
                   f"<body><main><h1>{LATIN_TITLE}</h1><p>Crème brûlée à volonté.</p></main></body></html>"
                   ).encode("cp1252"))
    site.routes["/cal"] = calendar_day
    site.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return site


def build_robots_closed_site() -> LocalSite:
    site = LocalSite()
    site.add("/", body=html_page("Gesloten gemeente", '<p>Welkom.</p><a href="/info">Info</a>'))
    site.add("/info", body=html_page("Info", "<p>Info.</p>"))
    site.add("/robots.txt", body="User-agent: *\nDisallow: /\n", content_type="text/plain")
    return site


# --------------------------------------------------------------------------- size and time limits
# Bodies that are too big, too slow or endless. Each is streamed by the local server, which
# counts the bytes it managed to send (``LocalSite.bytes_sent``), and each stops on its own
# after ``STREAM_SAFETY_S`` so a test that fails cannot leave a thread sending forever.

STREAM_SAFETY_S = 30.0
CHUNK = 64 * 1024
HUGE_HEAD = b"<!doctype html><html lang=nl><head><title>Groot</title></head><body><main><h1>Groot</h1>"
HUGE_TAIL = b"</main></body></html>"


def _html_chunks(total_bytes: int | None, pause_s: float = 0.0, chunk: int = CHUNK):
    """An HTML page of ``total_bytes`` (None: endless), streamed in ``chunk``-byte pieces of
    paragraphs, ``pause_s`` between pieces."""
    head = HUGE_HEAD
    filler = (b"<p>" + b"x" * 90 + b"</p>\n") * (chunk // 98 + 1)
    yield head
    sent, stop_at = 0, time.monotonic() + STREAM_SAFETY_S
    while (total_bytes is None or sent < total_bytes) and time.monotonic() < stop_at:
        piece = filler[: chunk if total_bytes is None else min(chunk, total_bytes - sent)]
        yield piece
        sent += len(piece)
        if pause_s:
            time.sleep(pause_s)
    if total_bytes is not None:
        yield HUGE_TAIL


def _trickle(pause_s: float = 1.0):
    """One byte every ``pause_s`` seconds: each byte resets a read timeout, so only a deadline
    on the whole response stops it."""
    stop_at = time.monotonic() + STREAM_SAFETY_S
    for byte in b"<!doctype html><html><head><title>Druppel</title>" + b" " * 10_000:
        if time.monotonic() > stop_at:
            return
        yield bytes([byte])
        time.sleep(pause_s)


def huge_page(total_bytes: int):
    """A complete HTML page of ``total_bytes`` (50 MB in the suite), announced by its
    Content-Length like a static file, sent as fast as it is read."""
    size = total_bytes + len(HUGE_HEAD) + len(HUGE_TAIL)
    return lambda request: (200, {"Content-Type": HTML, "Content-Length": str(size)}, _html_chunks(total_bytes))


def trickling_page(pause_s: float = 1.0):
    return lambda request: (200, {"Content-Type": HTML}, _trickle(pause_s))


def endless_page(pause_s: float = 0.01):
    """A page that never ends: a 64 KB piece every ``pause_s`` (about 6 MB/s), until the
    client gives up."""
    return lambda request: (200, {"Content-Type": HTML}, _html_chunks(None, pause_s))


def many_links_page(count: int) -> str:
    """One page with ``count`` distinct links to ordinary pages (``/veel?n=…``)."""
    links = "".join(f'<a href="/veel?n={i}">{i}</a> ' for i in range(count))
    return html_page("Veel links", f"<p>{count} links.</p><nav>{links}</nav>")


def numbered_page(request: Request) -> RouteTuple:
    number = request.path.partition("?n=")[2]
    return 200, {"Content-Type": HTML}, html_page(f"Pagina {number}", "<p>Gewoon.</p>")


# visited in this order, one page at a time: every hostile page is followed by an ordinary one
LIMIT_LINKS = {
    "/groot": "Een pagina van 50 MB",
    "/gewoon-a": "Gewone pagina A",
    "/druppel": "Een byte per seconde",
    "/gewoon-b": "Gewone pagina B",
    "/eindeloos": "Een antwoord dat nooit eindigt",
    "/gewoon-c": "Gewone pagina C",
}
LIMIT_HOSTILE_PAGES = ("/groot", "/druppel", "/eindeloos")
HUGE_PAGE_BYTES = 50 * 1024 * 1024
MANY_LINKS = 100_000  # at /veel-links, audited as a start page of its own (it is slow to render)


def build_limits_site() -> LocalSite:
    """A site whose pages break the size and time limits, each followed by an ordinary page."""
    site = LocalSite()
    links = "".join(f'<li><a href="{path}">{text}</a></li>' for path, text in LIMIT_LINKS.items())
    site.add("/", body=html_page("Gemeente Begrensd", f"<p>Welkom.</p><ul>{links}</ul>"))
    site.routes["/groot"] = huge_page(HUGE_PAGE_BYTES)
    site.routes["/druppel"] = trickling_page()
    site.routes["/eindeloos"] = endless_page()
    for path, text in LIMIT_LINKS.items():
        if path not in LIMIT_HOSTILE_PAGES:
            site.add(path, body=html_page(text, "<p>Gewoon.</p>"))
    site.add("/veel-links", body=many_links_page(MANY_LINKS))
    site.routes["/veel"] = numbered_page
    site.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return site
