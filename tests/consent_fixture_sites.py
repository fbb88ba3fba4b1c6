"""Fixture sites for the consent and tracker checks, served on 127.0.0.1.

The municipalities are plain-HTTP sites on 127.0.0.1; one HTTPS server (a ``trustme``
certificate) plays the trackers: the tests map real tracker host names that ARE in Ghostery's
database (``www.google-analytics.com``, ``forms.hsforms.com``) to it with ``AuditSettings.resolve``,
so classification is the real one. HTTPS because Chromium's HSTS preload list upgrades those
names to it anyway.
The fake Google Analytics script does what the real one does to a page: it writes a first-party
``_ga`` cookie, a localStorage key, and sends a ``/collect`` beacon.

Banners:
- ``complianz``: the DOM of the Complianz WordPress plugin, which autoconsent's rules know;
  ``leaky=True`` loads the tracker even when the visitor rejects.
- ``layered``: a home-made Flemish banner ("Alles aanvaarden" / "Instellingen"), handled by our
  fallback texts; rejecting needs the settings layer: two clicks against one.
"""

from __future__ import annotations

from tests.fixture_site import html_page
from tests.localserver import LocalSite

TRACKER_HOST = "www.google-analytics.com"
FORM_HOST = "forms.hsforms.com"
TRACKER_HOSTS = (TRACKER_HOST, FORM_HOST)

_JS = "application/javascript; charset=utf-8"

ANALYTICS_JS = """
(function () {
  var origin = new URL(document.currentScript.src).origin;
  document.cookie = '_ga=GA1.1.' + Date.now() + '; path=/; max-age=63072000';
  try { localStorage.setItem('_ga_session', String(Date.now())); } catch (e) {}
  new Image().src = origin + '/collect?v=2&tid=G-TEST&dl=' + encodeURIComponent(location.href);
})();
"""

# The banner of each kind: first-party script, consent stored in a first-party cookie.
BANNER_JS = """
(function () {
  var KIND = %(kind)s, LEAKY = %(leaky)s, TRACKER = %(tracker)s;
  function stored() { var m = document.cookie.match(/(?:^|; )site_consent=(\\w+)/); return m ? m[1] : ''; }
  function loadTracker() { var s = document.createElement('script'); s.src = TRACKER + '/analytics.js'; document.head.appendChild(s); }
  function choose(value) {
    document.cookie = 'site_consent=' + value + '; path=/; max-age=15552000';
    var b = document.getElementById('banner-root'); if (b) b.remove();
    if (value === 'all' || LEAKY) loadTracker();
  }
  if (stored() === 'all' || (stored() && LEAKY)) { loadTracker(); return; }
  if (stored()) return;
  var root = document.createElement('div');
  root.id = 'banner-root';
  if (KIND === 'complianz') {
    root.innerHTML = '<div id="cmplz-cookiebanner-container"><div class="cmplz-cookiebanner" role="dialog">' +
      '<p>Wij gebruiken cookies om onze website te verbeteren.</p>' +
      '<button class="cmplz-btn cmplz-accept">Accepteren</button> ' +
      '<button class="cmplz-btn cmplz-deny">Weigeren</button></div></div>';
    document.body.appendChild(root);
    root.querySelector('.cmplz-accept').addEventListener('click', function () { choose('all'); });
    root.querySelector('.cmplz-deny').addEventListener('click', function () { choose('none'); });
  } else {
    root.innerHTML = '<div id="cookiebar" role="dialog"><p>Deze website gebruikt cookies.</p>' +
      '<button id="all">Alles aanvaarden</button> <button id="more">Instellingen</button>' +
      '<div id="layer2" hidden><label><input type="checkbox"> Statistieken</label>' +
      '<button id="none">Alles weigeren</button></div></div>';
    document.body.appendChild(root);
    root.querySelector('#all').addEventListener('click', function () { choose('all'); });
    root.querySelector('#more').addEventListener('click', function () { root.querySelector('#layer2').hidden = false; });
    root.querySelector('#none').addEventListener('click', function () { choose('none'); });
  }
})();
"""


def tracker_server(cert) -> LocalSite:
    """The HTTPS stand-in for the tracker hosts (``cert`` from ``ca.issue_cert(*TRACKER_HOSTS)``)."""
    site = LocalSite(tls_cert=cert)
    site.add("/analytics.js", body=ANALYTICS_JS, content_type=_JS)
    site.add("/collect", body="", content_type="image/gif")
    site.add("/submit", body=html_page("Bedankt", "<p>Ontvangen.</p>"))
    return site.start()


def tracker_origin(port: int, host: str = TRACKER_HOST) -> str:
    return f"https://{host}:{port}"


def _pages(site: LocalSite, head: str, body_extra: str = "") -> None:
    links = '<p><a href="/nieuws">Nieuws</a> <a href="/contact">Contact</a> <a href="/melding">Melding maken</a></p>'
    site.add("/", body=html_page("Gemeente Koekjesdorp", head + "<p>Welkom.</p>" + links + body_extra))
    site.add("/nieuws", body=html_page("Nieuws", head + "<p>Het laatste nieuws.</p>"))
    site.add("/contact", body=html_page("Contact", head + "<p>Bel ons.</p>"))
    site.add("/privacyverklaring", body=html_page("Privacyverklaring", "<p>Wij verwerken gegevens.</p>"))
    site.add("/toegankelijkheid", body=html_page("Toegankelijkheidsverklaring", "<p>Verklaring.</p>"))


def _tracker_script(port: int) -> str:
    return f'<script src="{tracker_origin(port)}/analytics.js"></script>'


def tracking_site(tracker_port: int) -> LocalSite:
    """Google Analytics on every page, no banner: tracking before any consent."""
    site = LocalSite().start()
    _pages(site, _tracker_script(tracker_port))
    site.add("/melding", body=html_page("Melding", "<form action='/submit' method='post'><input name='naam'></form>"))
    return site


def banner_site(tracker_port: int, kind: str, leaky: bool = False) -> LocalSite:
    """A banner that loads the tracker only after "accept" (and after "reject" too when leaky)."""
    site = LocalSite().start()
    script = BANNER_JS % {"kind": repr(kind), "leaky": "true" if leaky else "false",
                          "tracker": repr(tracker_origin(tracker_port))}
    site.add("/banner.js", body=script, content_type=_JS)
    head = '<script src="/banner.js" defer></script>'
    _pages(site, head)
    site.add("/melding", body=html_page("Melding", head + "<form action='/submit'><input name='naam'></form>"))
    return site


def clean_site() -> LocalSite:
    """No tracker, no banner, a form that posts to the site itself."""
    site = LocalSite().start()
    _pages(site, "")
    site.add("/melding", body=html_page("Melding", "<form action='/submit'><input name='naam'></form>"))
    site.add("/submit", body=html_page("Bedankt", "<p>Ontvangen.</p>"))
    return site


def form_to_third_party_site(tracker_port: int) -> LocalSite:
    """A report form posting to HubSpot (US) and loading Google Analytics on the form page only;
    a self-hosted Matomo (``/matomo.js`` on the site's own host) on every page."""
    site = LocalSite().start()
    site.add("/matomo.js", body="window._paq = window._paq || [];", content_type=_JS)
    _pages(site, '<script src="/matomo.js"></script>')
    form_origin = tracker_origin(tracker_port, FORM_HOST)
    site.add("/melding", body=html_page(
        "Melding", f'<form action="{form_origin}/submit" method="post"><input name="naam"></form>'
                   f'<script src="/matomo.js"></script>{_tracker_script(tracker_port)}'))
    return site


def resolve_for(tracker: LocalSite) -> dict[tuple[str, int], str]:
    return {(host, tracker.port): "127.0.0.1" for host in TRACKER_HOSTS}
