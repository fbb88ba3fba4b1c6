"""What the rendered page shows of Flemish building blocks: the DOM selectors and window
globals of the marker file (configs/markers/flemish.toml) evaluated in one bounded
``page.evaluate`` call, the page's fonts, script sources and footer text.

Only observations are recorded here (``FlemishArtifacts.observed``); matching them, and the
page's links, requests and cookies, against the markers is the page reducer's job
(``auditor/score/reducers/flemish.py``), live and in ``auditor rescore`` alike.
"""

from __future__ import annotations

from playwright.async_api import Page

from auditor.gather.collectors import CollectorContext, page_collector
from auditor.model import FlemishArtifacts, FlemishObservations, PageArtifacts
from auditor.shared.markers import MarkerError, default_markers

SNIPPET_MAX = 200
FOOTER_TEXT_MAX = 1_500
SCRIPTS_MAX = 300
FONTS_MAX = 50

# One round trip. Selectors come from the marker file, so a bad one is reported, not thrown;
# globals are read with `in` so getters with side effects are not called more than needed.
_EVALUATE_JS = """
([selectors, globals, snippetMax, footerMax, scriptsMax, fontsMax]) => {
  const dom = [];
  for (const selector of selectors) {
    let found;
    try { found = document.querySelectorAll(selector); }
    catch (e) { dom.push([selector, -1, String(e).slice(0, 200)]); continue; }
    dom.push([selector, found.length, found.length ? (found[0].outerHTML || '').slice(0, snippetMax) : '']);
  }
  const present = [];
  for (const path of globals) {
    let value = window, ok = true;
    for (const part of path.split('.')) {
      try {
        if (value === null || value === undefined || !(part in Object(value))) { ok = false; break; }
        value = value[part];
      } catch (e) { ok = false; break; }
    }
    present.push([path, ok && value !== undefined && value !== null ? typeof value : '']);
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
    selectors = list(dict.fromkeys(m.pattern for m in markers.of_kind("dom_selector")))
    globals_ = list(dict.fromkeys(m.pattern for m in markers.of_kind("js_global")))
    data = await page.evaluate(
        _EVALUATE_JS, [selectors, globals_, SNIPPET_MAX, FOOTER_TEXT_MAX, SCRIPTS_MAX, FONTS_MAX]
    )
    artifacts.flemish = FlemishArtifacts(
        page_url=artifacts.final_url or artifacts.url,
        markers_version=markers.version,
        footer_text=data["footerText"],
        observed=FlemishObservations(
            selectors={selector: [count, snippet] for selector, count, snippet in data["dom"]},
            globals=dict(data["globals"]),
            fonts=data["fonts"],
            scripts=data["scripts"],
        ),
    )
