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
    "/afgeschermd": "Afgeschermd (401)",
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
    site.add("/afgeschermd", status=401, body="<h1>Unauthorized</h1>",
             headers={"WWW-Authenticate": 'Basic realm="intranet"'})
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


# --------------------------------------------------------------------------- WAF / bot challenges
# Pages shaped like the real interstitials. Each carries an image without alt text and no lang,
# so a challenge page audited as if it were the site's content would produce failures.

_UNAUDITABLE = '<img src="/logo.png">'


def _interstitial(title: str, head: str = "", body: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
            f"<body>{_UNAUDITABLE}{body}</body></html>")


# (path, status, headers, body, vendor the detector must name; None = an ordinary page)
CHALLENGE_PAGES: list[tuple[str, int, dict[str, str], str, str | None]] = [
    ("/cf-403", 403, {"cf-mitigated": "challenge", "Server": "cloudflare", "CF-RAY": "8a1b2c3d4e5f-BRU"},
     _interstitial("Just a moment...", '<meta http-equiv="refresh" content="390">',
                   "<noscript>Enable JavaScript and cookies to continue</noscript>"
                   "<script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'example.be'};"
                   "var a=document.createElement('script');"
                   "a.src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8a1b';}());</script>"),
     "Cloudflare"),
    ("/cf-200", 200, {"Server": "cloudflare"},
     _interstitial("Een ogenblik...", "",
                   '<form id="challenge-form" action="/cf-200?__cf_chl_f_tk=abc" method="POST"></form>'),
     "Cloudflare"),
    ("/cf-503", 503, {"Server": "cloudflare"}, _interstitial("Just a moment...", "", "<p>Checking your browser.</p>"),
     "Cloudflare"),
    ("/akamai", 403, {"Server": "AkamaiGHost", "Mime-Version": "1.0"},
     '<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n'
     "You don't have permission to access \"http&#58;&#47;&#47;www&#46;example&#46;be&#47;\" on this server.<P>\n"
     "Reference&#32;&#35;18&#46;6f64d217&#46;1701590000&#46;1a2b3c4d\n"
     "<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;6f64d217&#46;1701590000&#46;1a2b3c4d</P>\n"
     f"{_UNAUDITABLE}</BODY>\n</HTML>\n",
     "Akamai"),
    ("/incapsula", 200, {"X-Iinfo": "12-3456789-0 0NNN RT(1701590000 0) q(0 -1 -1 -1) r(0 -1)"},
     '<html><head><META NAME="robots" CONTENT="noindex,nofollow">'
     '<script src="/_Incapsula_Resource?SWJIYLWA=5074a744e2e3d891814e9a2dace20bd4,719d34d31c8e3a6e6fffd425f7e032f3">'
     '</script></head><body><iframe src="/_Incapsula_Resource?CWUDNSAI=9&xinfo=1-2-3" '
     f'frameborder=0 width="100%" height="100%">Request unsuccessful.</iframe>{_UNAUDITABLE}</body></html>',
     "Imperva Incapsula"),
    ("/aws", 202, {"x-amzn-waf-action": "challenge", "Cache-Control": "no-store"},
     _interstitial("", '<script src="https://a1b2c3.edge.sdk.awswaf.com/a1b2c3/d4e5f6/challenge.js"></script>',
                   "<script>AwsWafIntegration.checkForceRefresh().then(() => window.location.reload(true));</script>"),
     "AWS WAF"),
    ("/datadome", 403, {"X-DataDome": "protected", "x-dd-b": "1"},
     _interstitial("example.be", "",
                   "<script>var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'1A2B','t':'fe','s':4321,"
                   "'host':'geo.captcha-delivery.com'}</script>"
                   '<script src="https://ct.captcha-delivery.com/c.js"></script>'),
     "DataDome"),
    ("/hcaptcha", 200, {},
     _interstitial("Even controleren", '<script src="https://js.hcaptcha.com/1/api.js" async defer></script>',
                   '<p>Bevestig dat u geen robot bent.</p><form method="post">'
                   '<div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div>'
                   "<button>Verder</button></form>"),
     "hCaptcha (captcha page)"),
]

# Ordinary pages that must NOT be taken for challenges.
ABOUT_CLOUDFLARE = html_page("Over onze beveiliging", (
    "<p>Onze website staat achter Cloudflare. Ziet u de melding <q>Just a moment...</q> of een "
    "captcha (reCAPTCHA, hCaptcha), wacht dan even. Technici herkennen de uitdaging aan "
    "<code>/cdn-cgi/challenge-platform/</code>, <code>__cf_chl_</code>, <code>_Incapsula_Resource</code> "
    "en <code>captcha-delivery.com</code>; Akamai toont errors.edgesuite.net.</p>"
    '<p><a href="/gewoon-1">Terug</a></p>'))
CONTACT_WITH_RECAPTCHA = html_page("Contact", (
    '<nav><a href="/">Home</a> <a href="/gewoon-1">Nieuws</a> <a href="/gewoon-2">Diensten</a> '
    '<a href="/over-beveiliging">Beveiliging</a></nav>'
    "<p>Stel uw vraag aan de gemeente. Wij antwoorden binnen vijf werkdagen. Vul uw naam, uw "
    "e-mailadres en uw vraag in. Uw gegevens gebruiken we alleen om uw vraag te beantwoorden; "
    "lees er meer over in onze privacyverklaring. Voor dringende vragen belt u het onthaal.</p>"
    '<script src="https://www.google.com/recaptcha/api.js" async defer></script>'
    '<form method="post"><label>Naam <input name="naam"></label>'
    '<div class="g-recaptcha" data-sitekey="6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"></div>'
    "<button>Verstuur</button></form>"))
ORDINARY_403 = "<!doctype html><html lang=nl><head><title>Forbidden</title></head><body><h1>Forbidden</h1></body></html>"
NOT_A_CHALLENGE: list[tuple[str, int, dict[str, str], str]] = [
    ("/over-beveiliging", 200, {"Server": "cloudflare", "CF-RAY": "8a1b2c3d4e5f-BRU"}, ABOUT_CLOUDFLARE),
    ("/contact", 200, {"Server": "cloudflare"}, CONTACT_WITH_RECAPTCHA),
    ("/verboden", 403, {"Server": "nginx"}, ORDINARY_403),
]


def build_challenge_site() -> LocalSite:
    """A home page linking to ordinary pages, to pages that mention WAFs and captchas, and to
    one page per challenge vendor."""
    site = LocalSite()
    paths = [p for p, *_ in NOT_A_CHALLENGE] + [p for p, *_ in CHALLENGE_PAGES]
    links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in ["/gewoon-1", *paths])
    site.add("/", body=html_page("Gemeente Achter Een Firewall", f"<p>Welkom.</p><ul>{links}</ul>"))
    site.add("/gewoon-1", body=html_page("Gewone pagina 1", "<p>Inhoud.</p>"))
    site.add("/gewoon-2", body=html_page("Gewone pagina 2", "<p>Inhoud.</p>"))
    for path, status, headers, body, *_ in [*CHALLENGE_PAGES, *NOT_A_CHALLENGE]:
        site.add(path, status=status, headers=headers, body=body)
    site.add("/logo.png", body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
    site.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return site


def build_challenged_start_site() -> LocalSite:
    """A site whose every page, the start URL first, answers with Cloudflare's challenge."""
    path, status, headers, body, _ = CHALLENGE_PAGES[0]
    site = LocalSite(default=(status, {"Content-Type": HTML, **headers}, body))
    site.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return site


# --------------------------------------------------------------------------- internationalised domain names

IDN_HOST = "gemeente-ö.test"
IDN_HOST_ASCII = "xn--gemeente--87a.test"
HOMOGRAPH_HOST = "g\u0435meente-ö.test"  # a Cyrillic 'е' (U+0435) in place of the Latin 'e'
HOMOGRAPH_HOST_ASCII = "xn--gmeente--u4a614f.test"


def build_idn_site() -> LocalSite:
    """A site for ``http://gemeente-ö.test:PORT/``: the home page links to its own pages with
    the host in Unicode, in punycode, in capitals and relatively, and to a homograph host
    (served by the same server, so only the scope keeps the crawler away). Start it before
    :func:`add_idn_pages`, which needs the port."""
    site = LocalSite()
    site.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return site


def add_idn_pages(site: LocalSite) -> None:
    port = site.port
    unicode_origin, ascii_origin = f"http://{IDN_HOST}:{port}", f"http://{IDN_HOST_ASCII}:{port}"
    links = (f'<a href="{unicode_origin}/unicode">Unicode</a> <a href="{ascii_origin}/punycode">Punycode</a> '
             f'<a href="http://{IDN_HOST.upper()}:{port}/hoofdletters">Hoofdletters</a> '
             '<a href="/relatief">Relatief</a> '
             f'<a href="http://{HOMOGRAPH_HOST}:{port}/homograaf">Lijkt erop</a>')
    site.add("/", body=html_page("Gemeente Ö", f"<p>Welkom.</p><p>{links}</p>"))
    back = f'<a href="{ascii_origin}/punycode">Punycode</a> <a href="{unicode_origin}/unicode">Unicode</a>'
    for path in ("/unicode", "/punycode", "/hoofdletters", "/relatief"):
        site.add(path, body=html_page(f"Pagina {path[1:]}", f"<p>Inhoud.</p><p>{back}</p>"))
    site.add("/homograaf", body=html_page("Nagemaakt", "<p>Niet de gemeente.</p>"))

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
