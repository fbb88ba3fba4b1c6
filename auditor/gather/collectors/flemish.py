"""Flemish building blocks seen in the rendered page: DOM selectors, window globals, fonts and
script sources from the marker file (configs/markers/flemish.toml), in one bounded
``page.evaluate`` call, plus the marker matches on the page's links.

Network requests and cookies are complete only after the visit, so they are matched by
``auditor/score/flemish_pages.py`` when the runner takes the page.
"""

from __future__ import annotations

from playwright.async_api import Page

from auditor.gather.collectors import CollectorContext, page_collector
from auditor.shared.markers import (
    MarkerError,
    default_markers,
    match_fonts,
    match_links,
    match_script_urls,
)
from auditor.model import FlemishArtifacts, MarkerHit, PageArtifacts

SNIPPET_MAX = 200
FOOTER_TEXT_MAX = 1_500
SCRIPTS_MAX = 300
FONTS_MAX = 50

# One round trip. Selectors come from the marker file, so a bad one is reported, not thrown;
# globals are read with `in` so getters with side effects are not called more than needed.
_EVALUATE_JS = """
([selectors, globals, snippetMax, footerMax, scriptsMax, fontsMax]) => {
  const dom = [];
  for (const [id, selector] of selectors) {
    let found;
    try { found = document.querySelectorAll(selector); }
    catch (e) { dom.push([id, -1, String(e).slice(0, 200)]); continue; }
    if (found.length) dom.push([id, found.length, (found[0].outerHTML || '').slice(0, snippetMax)]);
  }
  const present = [];
  for (const [id, path] of globals) {
    let value = window, ok = true;
    for (const part of path.split('.')) {
      try {
        if (value === null || value === undefined || !(part in Object(value))) { ok = false; break; }
        value = value[part];
      } catch (e) { ok = false; break; }
    }
    if (ok && value !== undefined && value !== null) present.push([id, typeof value]);
  }
  const fonts = new Set();
  for (const el of [document.body, document.querySelector('h1'), document.querySelector('main')]) {
    if (el) fonts.add(getComputedStyle(el).fontFamily || '');
  }
  try { document.fonts.forEach(f => { if (fonts.size < fontsMax) fonts.add(f.family); }); } catch (e) {}
  const scripts = [];
  for (const s of document.querySelectorAll('script[src]')) {
    if (scripts.length >= scriptsMax) break;
    scripts.push(s.src);
  }
  const footer = document.querySelector('footer, [role=contentinfo], #footer__container');
  return {dom, globals: present, fonts: Array.from(fonts).filter(Boolean),
          scripts, footerText: footer ? (footer.innerText || '').slice(0, footerMax) : ''};
}
"""


@page_collector("flemish", order=50)
async def collect_flemish(page: Page, artifacts: PageArtifacts, context: CollectorContext) -> None:
    try:
        markers = default_markers()
    except MarkerError as exc:
        artifacts.flemish = FlemishArtifacts(page_url=artifacts.final_url or artifacts.url, error=str(exc))
        return
    selectors = [[m.id, m.pattern] for m in markers.of_kind("dom_selector")]
    globals_ = [[m.id, m.pattern] for m in markers.of_kind("js_global")]
    data = await page.evaluate(
        _EVALUATE_JS, [selectors, globals_, SNIPPET_MAX, FOOTER_TEXT_MAX, SCRIPTS_MAX, FONTS_MAX]
    )
    hits: list[MarkerHit] = []
    errors: list[str] = []
    for marker_id, count, snippet in data["dom"]:
        marker = markers.by_id(marker_id)
        if marker is None:
            continue
        if count < 0:
            errors.append(f"selector of marker {marker_id} is not valid in the browser: {snippet}")
            continue
        hits.append(marker.hit(f"{marker.pattern} ({count}×): {snippet}"))
    for marker_id, value_type in data["globals"]:
        marker = markers.by_id(marker_id)
        if marker is not None:
            hits.append(marker.hit(f"window.{marker.pattern} ({value_type})"))
    hits += match_fonts(markers, data["fonts"])
    hits += match_script_urls(markers, data["scripts"])
    hits += match_links(markers, artifacts.links)
    artifacts.flemish = FlemishArtifacts(
        page_url=artifacts.final_url or artifacts.url,
        markers_version=markers.version,
        hits=hits,
        footer_text=data["footerText"],
        error="; ".join(errors)[:500],
    )
