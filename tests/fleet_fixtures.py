"""Small fixture sites and site lists for fleet tests: each site is a LocalSite on 127.0.0.1
with a home page and two sub pages; ``missing_alt`` puts an image without alt text on the home
page (one accessibility finding that a later run can show as fixed)."""

from __future__ import annotations

from pathlib import Path

from tests.fixture_site import html_page
from tests.localserver import LocalSite

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001e2de5a9d0000000049454e44ae426082")


def home_body(missing_alt: bool) -> str:
    image = '<img src="/logo.png" width="1" height="1">' if missing_alt else \
        '<img src="/logo.png" width="1" height="1" alt="Logo van de gemeente">'
    return f'<p>Welkom.</p>{image}<a href="/diensten">Diensten</a> <a href="/nieuws">Nieuws</a>'


def set_missing_alt(site: LocalSite, name: str, missing_alt: bool) -> None:
    site.add("/", body=html_page(f"Gemeente {name}", home_body(missing_alt)))


def build_small_site(name: str, missing_alt: bool = False) -> LocalSite:
    site = LocalSite()
    set_missing_alt(site, name, missing_alt)
    site.add("/diensten", body=html_page(f"Diensten van {name}", "<p>Paspoort, rijbewijs.</p>"))
    site.add("/nieuws", body=html_page(f"Nieuws uit {name}", "<p>Geen nieuws.</p>"))
    site.add("/privacyverklaring", body=html_page("Privacyverklaring", "<p>Wie verwerkt uw gegevens?</p>"))
    site.add("/toegankelijkheid", body=html_page("Toegankelijkheidsverklaring", "<p>Nalevingsstatus.</p>"))
    site.add("/contact", body=html_page("Contact", "<p>Dorpsstraat 1.</p>"))
    site.add("/logo.png", body=PNG_1PX, content_type="image/png")
    site.add("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    return site


def write_site_list(path: Path, sites: dict[str, LocalSite], max_pages: int = 3) -> Path:
    lines = ["[defaults]", f"max_pages = {max_pages}", "max_depth = 2", ""]
    for key, site in sites.items():
        lines += ["[[site]]", f'id = "{key}"', f'organisation = "Gemeente {key.title()}"', 'kind = "municipality"',
                  f'start_urls = ["{site.url("/")}"]', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
