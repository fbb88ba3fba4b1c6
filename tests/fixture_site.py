"""A fixture municipality site for end-to-end tests, served on 127.0.0.1 by the suite.

It holds what the crawler must handle: many pages in a chain (so budgets and depth matter),
robots.txt rules, a sitemap index with a gzip child, a redirect chain, a PDF, a broken link,
an out-of-scope link, tracking-parameter and fragment duplicates, footer links to the
must-visit pages, and an axe violation inside an iframe.
"""

from __future__ import annotations

import gzip

from tests.localserver import LocalSite

CHAIN_PAGES = 60

FOOTER = (
    '<footer><ul><li><a href="/privacyverklaring">Privacyverklaring</a></li>'
    '<li><a href="/toegankelijkheid">Toegankelijkheidsverklaring</a></li>'
    '<li><a href="/contact">Contact</a></li></ul></footer>'
)


def html_page(title: str, body: str, lang: str = "nl", footer: bool = True) -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f'<!doctype html><html{lang_attr}><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main>"
        f"{FOOTER if footer else ''}</body></html>"
    )


def _chain_page(n: int) -> str:
    links = [f'<a href="/p/{n + 1}">Volgende pagina {n + 1}</a>'] if n < CHAIN_PAGES else []
    return html_page(f"Pagina {n}", "<p>Inhoud.</p>" + " ".join(links))


def build_fixture_site(tls_cert=None) -> LocalSite:
    site = LocalSite(tls_cert=tls_cert)
    home_links = [
        '<a href="/p/1">Eerste pagina</a>',
        '<a href="/p/1?utm_source=nieuwsbrief&amp;utm_medium=mail">Eerste pagina (campagne)</a>',
        '<a href="/p/1#inhoud">Eerste pagina (anker)</a>',
        '<a href="/oud-adres">Oud adres</a>',
        '<a href="/documenten/jaarverslag.pdf">Jaarverslag (PDF)</a>',
        '<a href="/bestaat-niet">Kapotte link</a>',
        '<a href="/private/geheim">Intern</a>',
        '<a href="https://extern.example/">Externe site</a>',
        '<a href="/kaart">Kaart</a>',
        '<a href="mailto:info@gemeente.example">Mail ons</a>',
    ]
    site.add("/", body=html_page("Gemeente Testdorp", "<p>Welkom.</p>" + " ".join(home_links)))
    for n in range(1, CHAIN_PAGES + 1):
        site.add(f"/p/{n}", body=_chain_page(n))
    site.add("/oud-adres", status=301, headers={"Location": "/tussenstap"}, body="")
    site.add("/tussenstap", status=302, headers={"Location": "/nieuw-adres"}, body="")
    site.add("/nieuw-adres", body=html_page("Nieuw adres", "<p>Verhuisd.</p>"))
    site.add("/kaart", body=html_page(
        "Kaart", '<iframe src="/kaart/inhoud" title="Kaart van Testdorp" width="300" height="200"></iframe>'))
    site.add("/kaart/inhoud", body=(
        '<!doctype html><html lang="nl"><head><title>Kaartinhoud</title></head>'
        '<body><img src="/kaart.png" width="10" height="10"></body></html>'))
    site.add("/privacyverklaring", body=html_page("Privacyverklaring", "<p>Wie verwerkt uw persoonsgegevens?</p>"))
    site.add("/toegankelijkheid", body=html_page("Toegankelijkheidsverklaring", "<p>Nalevingsstatus.</p>"))
    site.add("/contact", body=html_page("Contact", "<p>Dorpsstraat 1, 9999 Testdorp.</p>"))
    site.add("/enkel-in-sitemap", body=html_page("Enkel in de sitemap", "<p>Niet gelinkt.</p>"))
    site.add("/private/geheim", body=html_page("Geheim", "<p>Mag niet bezocht worden.</p>"))
    site.add(
        "/documenten/jaarverslag.pdf",
        headers={"Content-Type": "application/pdf"},
        body=b"%PDF-1.4\n%%EOF\n",
    )
    site.routes["/robots.txt"] = (lambda req: (
        200, {"Content-Type": "text/plain"},
        f"User-agent: *\nDisallow: /private/\nSitemap: {site.url('/sitemap_index.xml')}\n"))
    site.routes["/sitemap_index.xml"] = (lambda req: (
        200, {"Content-Type": "application/xml"},
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap-pages.xml.gz')}</loc></sitemap></sitemapindex>"))
    site.routes["/sitemap-pages.xml.gz"] = (lambda req: (
        200, {"Content-Type": "application/gzip"},
        gzip.compress((
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{site.url('/')}</loc></url>"
            f"<url><loc>{site.url('/enkel-in-sitemap')}</loc></url>"
            "</urlset>").encode())))
    return site
