"""Fixture sites that attack the browser rather than the network: endless JavaScript, dialogs,
pop-ups, downloads, and script payloads meant for the report (XSS). Served on 127.0.0.1."""

from __future__ import annotations

from tests.localserver import LocalSite

# bytes no real file on this machine contains: a download written anywhere can be found by them
DOWNLOAD_MARKER = b"auditor-hostile-download-7f3c1e"
EXE_BYTES = b"MZ\x90\x00" + DOWNLOAD_MARKER + b"\x00" * 64


def _page(title: str, body: str, head: str = "") -> str:
    return (f"<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>{head}"
            f"</head><body><main><h1>{title}</h1>{body}</main></body></html>")


# page path → what it does; the start page links to all, in this order
BROWSER_TRAPS = {
    "/loop": _page("Lus", "<script>while (true) {}</script>"),
    "/alert": _page("Alert", "<script>alert('hallo')</script><p>na de alert</p>"),
    "/confirm": _page("Confirm", "<script>window.__answer = confirm('zeker?')</script>"),
    "/prompt": _page("Prompt", "<script>window.__answer = prompt('naam?')</script>"),
    "/beforeunload": _page("Beforeunload", "<script>window.addEventListener('beforeunload', e => {"
                           " e.preventDefault(); e.returnValue = 'blijf'; });</script>"),
    "/popup": _page("Popup", "<script>window.open('/popup-target', '_blank');"
                    " window.open('/popup-target?2', 'win', 'width=200');</script>"),
    "/after": _page("Daarna", "<p>gewone pagina na de valstrikken</p>"),
}


def browser_trap_site() -> LocalSite:
    site = LocalSite()
    links = "".join(f"<a href='{path}'>{path[1:]}</a> " for path in BROWSER_TRAPS)
    links += "<a href='/setup.exe'>installeer</a> <a href='/bestand'>bijlage</a>"
    site.add("/", body=_page("Start", links))
    for path, body in BROWSER_TRAPS.items():
        site.add(path, body=body)
    site.add("/popup-target", body=_page("Pop-up", "<p>pop-up</p>"))
    site.add("/setup.exe", body=EXE_BYTES, content_type="application/x-msdownload")
    site.add("/bestand", body=EXE_BYTES, content_type="application/octet-stream",
             headers={"Content-Disposition": "attachment; filename=\"setup.exe\""})
    return site


# Payloads that would run if a report put site text into HTML unescaped: each sets a global
# and calls alert, so a test sees both.
XSS = "<script>window.__pwned=1;alert(1)</script>"
XSS_ATTR = "\"><img src=x onerror=\"window.__pwned=2;alert(2)\">"
XSS_SINGLE = "'><svg onload=window.__pwned=3;alert(3)>"
XSS_URL = "javascript:window.__pwned=4;alert(4)"
FORMULA = "=HYPERLINK(\"http://evil.example/\",\"klik\")"


def xss_site() -> LocalSite:
    """Titles, alt texts, link texts, attributes and URLs carrying script payloads, plus text
    that a spreadsheet would run as a formula."""
    from html import escape

    site = LocalSite()
    title = escape(XSS + XSS_ATTR)
    body = (
        f"<a href='/tweede?q={escape(XSS_ATTR, quote=True)}'>{escape(XSS)}</a> "
        f"<a href=\"{escape(XSS_URL, quote=True)}\">{escape(XSS_SINGLE)}</a> "
        f"<a href='/weg-{escape(XSS_SINGLE, quote=True)}'>{escape(FORMULA)}</a> "
        f"<img src='/x.png' alt=\"{escape(XSS_ATTR, quote=True)}\">"
        f"<img src='/y.png'>"  # no alt: an accessibility finding whose evidence is this page's HTML
        f"<input type='text' value=\"{escape(XSS_ATTR, quote=True)}\">"  # no label: another finding
        f"<p lang=\"{escape(XSS_ATTR, quote=True)}\">{escape(FORMULA)}</p>"
    )
    site.add("/", body=_page(title, body))
    site.add("/tweede", body=_page(escape(FORMULA) + escape(XSS_SINGLE), f"<p>{escape(XSS)}</p>"))
    return site
