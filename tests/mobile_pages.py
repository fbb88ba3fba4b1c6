"""Fixture pages for the mobile checks: one good responsive page and one page per problem.

Each bad page differs from the good one in the single thing a mobile check must catch, so a
test can show that the check flags the bad page and passes its good twin.
"""

from __future__ import annotations

import struct

from tests.localserver import LocalSite

VIEWPORT_META = '<meta name="viewport" content="width=device-width, initial-scale=1">'

GOOD_STYLE = """
  body { font: 16px/1.5 sans-serif; margin: 0; padding: 0 16px; }
  nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
  nav a { display: inline-block; padding: 12px 8px; }
  img { max-width: 100%; height: auto; }
  button { min-height: 44px; padding: 0 16px; font-size: 16px; }
"""

GOOD_BODY = """
  <header><nav aria-label="Hoofdmenu"><ul>
    <li><a href="/">Home</a></li><li><a href="/diensten">Diensten</a></li>
    <li><a href="/contact">Contact</a></li></ul></nav></header>
  <main>
    <h1>Afvalkalender</h1>
    <p>Bekijk wanneer het afval wordt opgehaald in uw straat. Lees ook <a href="/regels">de regels</a>
       voor het buitenzetten van de containers.</p>
    <img src="/logo.bmp" alt="Logo van de gemeente" width="120" height="60">
    <p><button type="button">Kalender downloaden</button></p>
    <p><label><input type="checkbox" name="herinnering"> Stuur mij een herinnering</label></p>
  </main>
"""


def page(title: str, style: str = GOOD_STYLE, body: str = GOOD_BODY, head_extra: str = VIEWPORT_META) -> str:
    return (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8">{head_extra}'
        f"<title>{title}</title><style>{style}</style></head><body>{body}</body></html>"
    )


def bmp_image(width: int, height: int) -> bytes:
    """An uncompressed 24-bit BMP: a real image of predictable size, no imaging library."""
    row = (width * 3 + 3) & ~3
    pixels = bytes(row * height)
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


FIXED_LAYOUT_STYLE = GOOD_STYLE + ".wrapper { width: 1200px; }"
FIXED_LAYOUT_BODY = f'<div class="wrapper">{GOOD_BODY}</div>'

TINY_LINKS_BODY = GOOD_BODY + """
  <footer><div class="social">
    <a class="icon" href="/fb" aria-label="Facebook">f</a><a class="icon" href="/x" aria-label="X">x</a>
    <a class="icon" href="/ig" aria-label="Instagram">i</a><a class="icon" href="/yt" aria-label="YouTube">y</a>
  </div></footer>
"""
TINY_LINKS_STYLE = GOOD_STYLE + (
    ".social { display: flex; gap: 2px; } "
    ".icon { display: block; width: 16px; height: 16px; font-size: 12px; line-height: 16px; }"
)

TINY_FONT_STYLE = GOOD_STYLE.replace("font: 16px/1.5", "font: 10px/1.5") + "button { font-size: 10px; }"

CLIPPED_BODY = GOOD_BODY + """
  <div class="teaser"><p>Vanaf 1 januari wordt het restafval om de twee weken opgehaald in alle
  deelgemeenten; de nieuwe ophaaldagen staan in de kalender en in de app.</p></div>
"""
CLIPPED_STYLE = GOOD_STYLE + ".teaser { height: 1.6em; overflow: hidden; } .teaser p { margin: 0; }"

HEAVY_BODY = GOOD_BODY.replace(
    '<img src="/logo.bmp" alt="Logo van de gemeente" width="120" height="60">',
    '<img src="/hero.bmp" alt="Het dorpsplein" width="200" height="120">',
)

PAGES: dict[str, str] = {
    "/good": page("Goed"),
    "/fixed": page("Vaste breedte", style=FIXED_LAYOUT_STYLE, body=FIXED_LAYOUT_BODY),
    "/no-viewport": page("Geen viewport", head_extra=""),
    "/no-zoom": page("Geen zoom", head_extra=(
        '<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">')),
    "/tiny-links": page("Kleine links", style=TINY_LINKS_STYLE, body=TINY_LINKS_BODY),
    "/tiny-font": page("Kleine letters", style=TINY_FONT_STYLE),
    "/clipped": page("Afgesneden tekst", style=CLIPPED_STYLE, body=CLIPPED_BODY),
    "/heavy": page("Zware pagina", body=HEAVY_BODY),
    "/cut-off": page("Afgesneden breedte", style=FIXED_LAYOUT_STYLE + "html, body { overflow-x: hidden; }",
                     body=FIXED_LAYOUT_BODY),
}

HERO_SIZE = (1000, 600)  # 1.8 MB as a BMP, shown 200 px wide


def add_mobile_pages(site: LocalSite) -> LocalSite:
    for path, html in PAGES.items():
        site.add(path, body=html)
    site.add("/logo.bmp", body=bmp_image(120, 60), content_type="image/bmp")
    site.add("/hero.bmp", body=bmp_image(*HERO_SIZE), content_type="image/bmp")
    return site

PAGES["/long-word"] = page("Lang woord", body=GOOD_BODY.replace(
    "<h1>Afvalkalender</h1>",
    '<h1 style="font-size: 40px">Toegankelijkheidsverklaringsformulieren</h1>'))
