"""Fixture sites for the Flemish building-block checks, served on 127.0.0.1.

One HTTPS server stands in for the Vlaanderen hosts (the widget hosts, the ACM/IDM login host
and a Flemish entity on vlaanderen.be); the tests map the real host names to it with
``AuditSettings.resolve`` (the browser's host-resolver rules and the HTTP client's resolver),
and trust its certificate with the ``ca`` fixture. Its widget scripts reproduce what the real
embeds do to a page: the v4 ``/api/v1/widget/{uuid}/embed`` script mounts ``div.vlw__header``
and sets ``window.vl.widget.client``; the v5 ``/api/v2/widget/{uuid}/entry`` script sets
``window.globalHeaderClient`` and mounts ``<header id="header__container">``; the legacy
Webuniversum widget (``/widget/live/{32 hex}``) writes its own header.

The municipalities are plain-HTTP sites on 127.0.0.1 whose pages embed those scripts with the
real snippets (host names with the test server's port).
"""

from __future__ import annotations

from tests.fixture_site import html_page
from tests.localserver import LocalSite

VLAANDEREN_HOSTS = (
    "prod.widgets.burgerprofiel.vlaanderen.be",
    "widgets.vlaanderen.be",
    "widgets.tni-vlaanderen.be",
    "authenticatie.vlaanderen.be",
    "www.agentschap.vlaanderen.be",
)
HEADER_UUID = "b0dae312-7a4d-4b37-8c6e-1f2a3b4c5d6e"
LEGACY_ID = "0123456789abcdef0123456789abcdef"

_JS = "application/javascript; charset=utf-8"

V4_EMBED_JS = """
(function () {
  window.vl = window.vl || {};
  window.vl.widget = window.vl.widget || {};
  window.vl.widget.client = { bootstrap: function (url) { return Promise.resolve(url); } };
  var header = document.createElement('div');
  header.className = 'vlw__header';
  header.innerHTML = '<a href="https://www.vlaanderen.be">Vlaanderen</a> <a href="https://www.burgerprofiel.be/">Mijn Burgerprofiel</a>';
  document.body.insertBefore(header, document.body.firstChild);
})();
"""

V5_ENTRY_JS = """
(function () {
  window.globalHeaderClient = { mount: function () {}, accessMenu: { setProfile: function () {} } };
  var header = document.createElement('header');
  header.id = 'header__container';
  header.innerHTML = '<div id="header"><a href="https://www.vlaanderen.be">Vlaanderen</a></div>';
  document.body.insertBefore(header, document.body.firstChild);
  window.dispatchEvent(new Event('widget.global_header.mounted'));
})();
"""

LEGACY_JS = """
(function () {
  var header = document.createElement('div');
  header.className = 'vo-header';
  header.textContent = 'Vlaamse overheid';
  document.body.insertBefore(header, document.body.firstChild);
})();
"""

IDP_PAGE = html_page("Aanmelden bij de Vlaamse overheid",
                     "<p>Kies je digitale sleutel: itsme, eID.</p>", footer=False)

FULL_FOOTER = (
    "<footer><p>Gemeente Widgetdorp · Dorpsstraat 1, 9999 Widgetdorp · Tel. 09 123 45 67 · "
    "info@widgetdorp.be · KBO 0207.123.456</p>"
    "<p>Openingsuren onthaal: maandag tot vrijdag 9u - 12u.</p>"
    '<p><a href="/digipunt">Hulp nodig met digitale formulieren? Kom naar het Digipunt.</a></p>'
    '<ul><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacyverklaring</a></li></ul></footer>'
)


def vlaanderen_hosts_site(cert) -> LocalSite:
    """The HTTPS stand-in for every Vlaanderen host (routes are the same on each host name)."""
    site = LocalSite(tls_cert=cert)
    site.add(f"/api/v1/widget/{HEADER_UUID}/embed", body=V4_EMBED_JS, content_type=_JS)
    site.add(f"/api/v2/widget/{HEADER_UUID}/entry", body=V5_ENTRY_JS, content_type=_JS)
    site.add(f"/widget/live/{LEGACY_ID}", body=LEGACY_JS, content_type=_JS)
    site.add("/op/v1/auth", body=IDP_PAGE)
    site.add("/agentschap/", body=_agency_home())
    site.add("/agentschap/contact", body=_agency_page("Contact", "<p>Havenlaan 88, 1000 Brussel. Bel 1700.</p>"))
    return site


def _agency_page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>' + title + "</title>"
        '<link rel="stylesheet" href="https://ui.vlaanderen.be/3.latest/css/vlaanderen-ui.css"></head>'
        '<body><header><a href="https://www.vlaanderen.be"><img alt="Logo Vlaanderen" width="10" height="10" '
        'src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a></header>'
        f'<main class="vl-page"><h1 class="vl-title">{title}</h1>{body}</main>'
        '<footer><a href="/agentschap/contact">Contact</a> Agentschap Test · KBO 0316.380.841</footer></body></html>'
    )


def _agency_home() -> str:
    return _agency_page("Agentschap Test", "<p>Welkom bij het agentschap.</p>")


def widget_script(host: str, port: int, path: str) -> str:
    return f'<script src="https://{host}:{port}{path}"></script>'


def municipality_site(header_script: str, *, login: str = "", contact: bool = True,
                      header_on_every_page: bool = True) -> LocalSite:
    """A small municipality: home, news, contact and (optionally) a login link.

    ``login``: "" (none), "acmidm:<url>" (a redirect to that ACM/IDM URL) or "own" (a page of
    its own that asks for a password)."""
    site = LocalSite()
    footer = FULL_FOOTER if contact else '<footer><a href="/contact">Contact</a></footer>'
    login_link = '<a href="/aanmelden">Aanmelden</a>' if login else ""

    def page(title: str, body: str, with_header: bool = True) -> str:
        return (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>' + title + "</title></head><body>"
            + (header_script if with_header else "")
            + f'<nav><a href="/">Home</a> <a href="/nieuws">Nieuws</a> {login_link}</nav>'
            + f"<main><h1>{title}</h1>{body}</main>{footer}</body></html>"
        )

    site.add("/", body=page("Gemeente Widgetdorp", "<p>Welkom.</p>"))
    site.add("/nieuws", body=page("Nieuws", "<p>Het laatste nieuws.</p>", with_header=header_on_every_page))
    contact_text = ("<p>Gemeentehuis, Dorpsstraat 1, 9999 Widgetdorp. Telefoon 09 123 45 67. "
                    "E-mail info@widgetdorp.be.</p>") if contact else "<p>Stuur ons een bericht.</p>"
    site.add("/contact", body=page("Contact", contact_text))
    site.add("/privacy", body=page("Privacyverklaring", "<p>Wie verwerkt uw persoonsgegevens?</p>"))
    site.add("/digipunt", body=page("Digipunt", "<p>Hulp bij digitale formulieren.</p>"))
    if login.startswith("acmidm:"):
        site.redirect("/aanmelden", login.removeprefix("acmidm:"), status=302)
    elif login == "own":
        site.add("/aanmelden", body=page(
            "Aanmelden",
            '<form method="post"><label for="u">Gebruikersnaam</label><input id="u" name="u">'
            '<label for="p">Wachtwoord</label><input id="p" type="password" name="p"><button>Aanmelden</button></form>'))
    return site
