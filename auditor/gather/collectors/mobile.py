"""The mobile pass: the already-loaded page measured as a phone user sees it, plus its weight.

No second navigation: after the desktop visit the same page is resized to a phone viewport
(412×915, Pixel 7-like) and to 320 CSS px (WCAG 1.4.10 reflow: 1280 px at 400 % zoom), each
measured in ONE ``evaluate`` call, and the original viewport is restored for the next
collector. The browser context keeps its desktop User-Agent, a device scale factor of 1 and no
touch emulation: those are fixed per context and cannot change per page, so a site that serves
different HTML to phone User-Agents is judged on its desktop HTML laid out at phone width.

Because the context is not a mobile one, Chromium ignores ``<meta name="viewport">`` here and
lays every page out at the viewport width. A real phone lays out a page *without* that meta at
980 px and shrinks it, so it shows no sideways scrolling but everything is tiny; the checks
(checks/mobile.py) therefore never count "no overflow" as a pass on such a page.

Page weight comes from the Resource and Navigation Timing entries (``transferSize``, else
``encodedBodySize`` so that a resource already cached by an earlier page still counts), and the
largest contentful paint from a ``PerformanceObserver`` read with ``buffered: true`` after load.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any, Optional

from playwright.async_api import Page

from auditor.gather.collectors import CollectorContext, page_collector
from auditor.model import (
    ClippedText,
    LayoutAtWidth,
    MobileArtifacts,
    OversizedImage,
    OverflowingElement,
    PageArtifacts,
    PageWeight,
    ResourceWeight,
    SmallTapTarget,
    SmallTextSample,
)

PHONE_VIEWPORT = (412, 915)  # Pixel 7 in CSS px
REFLOW_VIEWPORT = (320, 640)  # WCAG 1.4.10: 320 CSS px wide
DEVICE_DESCRIPTION = (
    "viewport of the desktop context resized to {phone} (phone) and {reflow} (reflow); "
    "desktop User-Agent, device scale factor 1, no touch"
)

OVERFLOW_TOLERANCE_PX = 2  # sub-pixel rounding and scrollbar gutters
MIN_TARGET_PX = 24  # WCAG 2.5.8 Target Size (Minimum)
SMALL_FONT_PX = 12
LIST_CAP = 10  # elements listed per measurement; totals are exact
ORIGINAL_SIZE_RATIO = 2.0  # an image more than twice as wide as shown is recorded
EVALUATE_TIMEOUT_S = 15.0
FRAME_WAIT_MS = 100  # a frame normally comes within 10-60 ms of a resize
SCREENSHOT_MAX_BYTES = 150_000
SCREENSHOT_QUALITIES = (60, 35)

# Shared by both scripts: a short, readable CSS selector of an element.
_SELECTOR_JS = r"""
const selectorOf = (el) => {
  const parts = [];
  let node = el;
  while (node && node.nodeType === 1 && parts.length < 5) {
    if (node.id) {
      const byId = '#' + CSS.escape(node.id);
      let unique = false;
      try { unique = document.querySelectorAll(byId).length === 1; } catch (e) { unique = false; }
      if (unique) { parts.unshift(byId); break; }
    }
    let part = node.localName;
    if (node === document.body || node === document.documentElement) { parts.unshift(part); break; }
    const classes = [...node.classList].slice(0, 2).map(c => '.' + CSS.escape(c)).join('');
    part += classes;
    const parent = node.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.localName === node.localName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
    }
    parts.unshift(part);
    node = parent;
  }
  return parts.join(' > ');
};
const clean = (text, max) => (text || '').replace(/\s+/g, ' ').trim().slice(0, max);
"""

# One call per width. The first animation frame lets resize handlers and media-query listeners
# run before anything is measured. After a viewport resize Chromium sometimes holds that frame
# back for a full second (bench: about one resize in eight, 1.0 s each), although the new size
# is already laid out: the frame is awaited for at most FRAME_WAIT_MS, and when it has not come
# by then the page's resize handlers are run by a resize event of our own before measuring.
_LAYOUT_JS = (
    "async (o) => {\n"
    + _SELECTOR_JS
    + r"""
  const framed = await new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), o.frameWaitMs);
    requestAnimationFrame(() => { clearTimeout(timer); resolve(true); });
  });
  if (!framed) window.dispatchEvent(new Event('resize'));
  const root = document.documentElement;
  const body = document.body;
  const result = {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, rootClipsX: false,
                  overflowing: [], overflowingTotal: 0, tapTargets: 0, smallTargets: [],
                  smallTargetsTotal: 0, textChars: 0, smallTextChars: 0, smallText: [],
                  clipped: [], clippedTotal: 0};
  if (!body) return result;
  const styles = new Map();
  const style = (el) => { let s = styles.get(el); if (!s) { s = getComputedStyle(el); styles.set(el, s); } return s; };
  const clipsX = (s) => s.overflowX === 'hidden' || s.overflowX === 'clip';
  result.rootClipsX = clipsX(style(root)) || clipsX(style(body));
  const viewportWidth = root.clientWidth;

  // ---- elements sticking out on the right, outermost first. With overflow-x: hidden on the
  // page, scrollWidth equals clientWidth and what sticks out is cut off: look for it all the same.
  if (root.scrollWidth > viewportWidth + o.tolerance || result.rootClipsX) {
    const flagged = new Set();
    const containedByScroller = (el) => {
      for (let p = el.parentElement; p && p !== body && p !== root; p = p.parentElement) {
        if (flagged.has(p)) return true;
        if (style(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const found = [];
    const all = [body, ...body.getElementsByTagName('*')];
    for (let i = 0; i < all.length && i < o.maxElements; i++) {
      const el = all[i];
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const right = r.right + window.scrollX;
      if (right <= viewportWidth + o.tolerance) continue;
      if (style(el).position === 'fixed' || containedByScroller(el)) continue;
      flagged.add(el);
      found.push({el, right, width: r.width});
    }
    // No box sticks out far enough to explain the overflow: then text does (a long word, a
    // nowrap line) and the element holding it is named.
    const widest = found.reduce((m, f) => Math.max(m, f.right), 0);
    if (found.length === 0 || widest < root.scrollWidth - o.tolerance) {
      const textWalker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      const textRange = document.createRange();
      for (let n = 0; textWalker.nextNode() && n < o.maxTextNodes; n++) {
        const node = textWalker.currentNode;
        const parent = node.parentElement;
        if (!parent || flagged.has(parent) || !node.nodeValue.trim()) continue;
        textRange.selectNodeContents(node);
        const r = textRange.getBoundingClientRect();
        const right = r.right + window.scrollX;
        if (r.width === 0 || right <= viewportWidth + o.tolerance) continue;
        if (style(parent).position === 'fixed' || containedByScroller(parent)) continue;
        flagged.add(parent);
        found.push({el: parent, right, width: r.width});
      }
    }
    result.overflowingTotal = found.length;
    found.sort((a, b) => b.right - a.right);
    result.overflowing = found.slice(0, o.cap).map(f => ({
      selector: selectorOf(f.el), right: Math.round(f.right), width: Math.round(f.width)}));
  }

  // ---- tap targets (WCAG 2.5.8): undersized ones need a 24 px circle free of other targets
  const targetSelector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[role=button], [role=link], [role=checkbox], [role=radio], [role=switch], [role=tab], ' +
    '[role=menuitem], [role=option]';
  const targets = [];
  // target size and font size hardly change with width: measured at phone width only
  const candidates = o.phoneChecks ? body.querySelectorAll(targetSelector) : [];
  for (let i = 0; i < candidates.length && targets.length < o.maxTargets; i++) {
    const el = candidates[i];
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden (skip links until focused)
    if (r.right + window.scrollX < 0 || r.left + window.scrollX > root.scrollWidth) continue;
    const s = style(el);
    // user-agent control exception: native check boxes and radio buttons keep the browser's size
    const native = el.localName === 'input' && (el.type === 'checkbox' || el.type === 'radio') &&
                   s.appearance !== 'none';
    let inline = false;
    if (s.display === 'inline') {
      // inline exception: a link inside a sentence, sized by the line height of the text
      let block = el.parentElement;
      while (block && block !== body && style(block).display.startsWith('inline')) block = block.parentElement;
      const own = clean(el.textContent, 100000).length;
      inline = !!block && clean(block.textContent, 100000).length > own + 1;
    }
    targets.push({el, r, small: !native && !inline && (r.width < o.minTarget - 0.01 || r.height < o.minTarget - 0.01),
                  cx: r.left + r.width / 2, cy: r.top + r.height / 2});
  }
  result.tapTargets = targets.length;
  const radius = o.minTarget / 2;
  const distanceToRect = (x, y, r) => {
    const dx = Math.max(r.left - x, 0, x - r.right);
    const dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  };
  for (const t of targets) {
    if (!t.small) continue;
    let crowded = false;
    for (const other of targets) {
      if (other === t || other.el.contains(t.el) || t.el.contains(other.el)) continue;
      if (Math.abs(other.cy - t.cy) > o.minTarget + other.r.height ||
          Math.abs(other.cx - t.cx) > o.minTarget + other.r.width) continue;  // far away
      if (other.small ? Math.hypot(other.cx - t.cx, other.cy - t.cy) < o.minTarget - 0.01
                      : distanceToRect(t.cx, t.cy, other.r) < radius - 0.01) { crowded = true; break; }
    }
    if (!crowded) continue;
    result.smallTargetsTotal++;
    if (result.smallTargets.length < o.cap) {
      const label = t.el.innerText || t.el.getAttribute('aria-label') || t.el.getAttribute('title') || t.el.value || '';
      result.smallTargets.push({selector: selectorOf(t.el), width: Math.round(t.r.width * 10) / 10,
                                height: Math.round(t.r.height * 10) / 10, text: clean(label, 80)});
    }
  }

  // ---- visible text: font size, and text cut off by overflow: hidden containers
  const skipTags = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'TEXTAREA']);
  const visibleParents = new Map();
  const clipContainers = new Map();
  const isVisible = (el) => {
    let v = visibleParents.get(el);
    if (v === undefined) {
      const r = el.getBoundingClientRect();
      v = (!el.checkVisibility || el.checkVisibility({visibilityProperty: true, opacityProperty: true}))
          && r.width > 1 && r.height > 1;
      visibleParents.set(el, v);
    }
    return v;
  };
  const clipContainerOf = (el) => {
    if (clipContainers.has(el)) return clipContainers.get(el);
    let found = null;
    for (let p = el; p && p !== body && p !== root; p = p.parentElement) {
      const s = style(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const hidden = (v) => v === 'hidden' || v === 'clip';
      if (hidden(s.overflowX) || hidden(s.overflowY)) found = p;  // a scroller lets users reach it
      break;
    }
    clipContainers.set(el, found);
    return found;
  };
  const smallSeen = new Set();
  const clippedSeen = new Map();
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let nodes = 0;
  const range = document.createRange();
  while (walker.nextNode() && nodes < o.maxTextNodes) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || skipTags.has(parent.tagName)) continue;
    const text = node.nodeValue.trim();
    if (!text) continue;
    nodes++;
    const box = clipContainerOf(parent);
    if (!box && !o.phoneChecks) continue;
    if (!isVisible(parent)) continue;
    const fontSize = parseFloat(style(parent).fontSize) || 0;
    if (fontSize === 0) continue;  // font-size 0 hides text on purpose
    if (o.phoneChecks) {
      result.textChars += text.length;
      if (fontSize < o.smallFont - 0.01) {
        result.smallTextChars += text.length;
        if (result.smallText.length < o.cap && !smallSeen.has(parent)) {
          smallSeen.add(parent);
          result.smallText.push({selector: selectorOf(parent), fontSize: Math.round(fontSize * 10) / 10,
                                 text: clean(text, 80)});
        }
      }
    }
    if (!box) continue;
    const bs = style(box);
    if (box.clientWidth <= 1 || box.clientHeight <= 1 || bs.clip !== 'auto' && bs.clip !== '') continue;
    const cutX = (bs.overflowX === 'hidden' || bs.overflowX === 'clip') && box.scrollWidth > box.clientWidth + 1;
    const cutY = (bs.overflowY === 'hidden' || bs.overflowY === 'clip') && box.scrollHeight > box.clientHeight + 1;
    if (!cutX && !cutY) continue;
    const b = box.getBoundingClientRect();
    const inner = {left: b.left + box.clientLeft, top: b.top + box.clientTop};
    inner.right = inner.left + box.clientWidth; inner.bottom = inner.top + box.clientHeight;
    range.selectNodeContents(node);
    let shown = false, outX = false, outY = false;
    for (const line of range.getClientRects()) {
      if (line.width === 0 || line.height === 0) continue;
      const crossesX = line.right > inner.right + o.tolerance || line.left < inner.left - o.tolerance;
      const crossesY = line.bottom > inner.bottom + o.tolerance || line.top < inner.top - o.tolerance;
      const overlaps = line.right > inner.left && line.left < inner.right &&
                       line.bottom > inner.top && line.top < inner.bottom;
      if (overlaps) shown = true;
      if (cutX && crossesX) outX = true;
      if (cutY && crossesY) outY = true;
    }
    // partly shown and partly cut: text hidden entirely (an off-screen slide) is not counted
    if (!shown || !(outX || outY)) continue;
    const axis = outX && outY ? 'both' : (outX ? 'horizontal' : 'vertical');
    const deliberate = bs.textOverflow === 'ellipsis' || (bs.webkitLineClamp && bs.webkitLineClamp !== 'none');
    if (clippedSeen.has(box)) continue;
    clippedSeen.set(box, true);
    result.clippedTotal++;
    if (result.clipped.length < o.cap) {
      result.clipped.push({selector: selectorOf(box), text: clean(box.textContent, 120), axis, deliberate: !!deliberate});
    }
  }
  return result;
}
"""
)

# Weight and paint timing, read once at the original (desktop) viewport.
_WEIGHT_JS = (
    "async (o) => {\n"
    + _SELECTOR_JS
    + r"""
  const sizeOf = (e) => e.transferSize > 0 ? e.transferSize : (e.encodedBodySize || 0);
  const nav = performance.getEntriesByType('navigation')[0];
  const entries = performance.getEntriesByType('resource');
  const bytesByUrl = new Map();
  let total = nav ? sizeOf(nav) : 0;
  const known = [];
  const unknown = [];
  for (const e of entries) {
    const size = sizeOf(e);
    if (size > 0) {
      total += size;
      known.push({url: e.name.slice(0, 2000), type: e.initiatorType, bytes: size});
      bytesByUrl.set(e.name, (bytesByUrl.get(e.name) || 0) + size);
    } else {
      unknown.push(e.name.slice(0, 2000));
    }
  }
  known.sort((a, b) => b.bytes - a.bytes);
  const images = [];
  const dpr = window.devicePixelRatio || 1;
  for (const img of document.images) {
    if (images.length >= o.cap) break;
    if (!img.complete || !img.naturalWidth) continue;
    const r = img.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (img.naturalWidth / (r.width * dpr) <= o.ratio) continue;
    const url = img.currentSrc || img.src;
    images.push({url: url.slice(0, 2000), selector: selectorOf(img), naturalWidth: img.naturalWidth,
                 naturalHeight: img.naturalHeight, width: Math.round(r.width), height: Math.round(r.height),
                 bytes: bytesByUrl.has(url) ? bytesByUrl.get(url) : null});
  }
  const lcp = await new Promise((resolve) => {
    let last = null;
    try {
      const observer = new PerformanceObserver((list) => {
        const seen = list.getEntries();
        if (seen.length) last = seen[seen.length - 1];
      });
      observer.observe({type: 'largest-contentful-paint', buffered: true});
      setTimeout(() => {
        const pending = observer.takeRecords();
        if (pending.length) last = pending[pending.length - 1];
        observer.disconnect();
        resolve(last);
      }, 0);
    } catch (e) { resolve(null); }
  });
  return {
    bytes: total, resources: entries.length, truncated: entries.length >= o.bufferSize,
    largest: known.slice(0, o.cap), unknown: unknown.slice(0, o.unknownCap), unknownTotal: unknown.length,
    images,
    lcp: lcp ? Math.round((lcp.renderTime || lcp.loadTime || lcp.startTime) * 10) / 10 : null,
    lcpElement: lcp && lcp.element ? selectorOf(lcp.element) : '',
  };
}
"""
)

RESOURCE_TIMING_BUFFER = 250  # Chromium's default buffer size of resource timing entries


def _layout_options(phone_checks: bool) -> dict[str, Any]:
    return {
        "phoneChecks": phone_checks,  # tap targets and font sizes: at phone width only
        "frameWaitMs": FRAME_WAIT_MS,
        "tolerance": OVERFLOW_TOLERANCE_PX,
        "minTarget": MIN_TARGET_PX,
        "smallFont": SMALL_FONT_PX,
        "cap": LIST_CAP,
        "maxElements": 20_000,
        "maxTargets": 3_000,
        "maxTextNodes": 20_000,
    }


def layout_from_js(width: int, height: int, data: dict[str, Any]) -> LayoutAtWidth:
    return LayoutAtWidth(
        width=width,
        height=height,
        scroll_width=int(data["scrollWidth"]),
        client_width=int(data["clientWidth"]),
        root_clips_x=bool(data["rootClipsX"]),
        overflowing=[OverflowingElement(**item) for item in data["overflowing"]],
        overflowing_total=int(data["overflowingTotal"]),
        tap_targets=int(data["tapTargets"]),
        small_tap_targets=[SmallTapTarget(**item) for item in data["smallTargets"]],
        small_tap_targets_total=int(data["smallTargetsTotal"]),
        text_chars=int(data["textChars"]),
        small_text_chars=int(data["smallTextChars"]),
        small_text=[
            SmallTextSample(selector=s["selector"], font_size=s["fontSize"], text=s["text"])
            for s in data["smallText"]
        ],
        clipped=[ClippedText(**item) for item in data["clipped"]],
        clipped_total=int(data["clippedTotal"]),
    )


def weight_from_js(data: dict[str, Any]) -> PageWeight:
    return PageWeight(
        bytes=int(data["bytes"]),
        resources=int(data["resources"]),
        sizes_unknown=list(data["unknown"]),
        sizes_unknown_total=int(data["unknownTotal"]),
        entries_truncated=bool(data["truncated"]),
        largest=[ResourceWeight(url=r["url"], resource_type=r["type"], bytes=int(r["bytes"])) for r in data["largest"]],
        oversized_images=[
            OversizedImage(
                url=i["url"], selector=i["selector"], natural_width=i["naturalWidth"],
                natural_height=i["naturalHeight"], displayed_width=i["width"], displayed_height=i["height"],
                bytes=i["bytes"],
            )
            for i in data["images"]
        ],
        lcp_ms=data["lcp"],
        lcp_element=data["lcpElement"],
    )


def shows_a_problem(layout: LayoutAtWidth) -> bool:
    """Worth a screenshot: the page scrolls sideways or cuts text at this width."""
    return layout.horizontal_overflow > OVERFLOW_TOLERANCE_PX or layout.clipped_total > 0


async def _evaluate(page: Page, script: str, argument: Any) -> Any:
    return await asyncio.wait_for(page.evaluate(script, argument), timeout=EVALUATE_TIMEOUT_S)


async def save_screenshot(page: Page, url: str, width: int, evidence_dir: str) -> str:
    """A size-capped JPEG of the viewport, saved under the run folder's evidence directory;
    returns its path relative to the run folder ("" when it could not be kept small enough)."""
    folder = Path(evidence_dir) / "mobile"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}-{width}.jpg"
    for quality in SCREENSHOT_QUALITIES:
        image = await page.screenshot(type="jpeg", quality=quality, full_page=False, timeout=10_000)
        if len(image) <= SCREENSHOT_MAX_BYTES:
            (folder / name).write_bytes(image)
            return f"{Path(evidence_dir).name}/mobile/{name}"
    return ""


@page_collector("mobile", order=50)
async def collect_mobile(page: Page, artifacts: PageArtifacts, context: CollectorContext) -> None:
    settings = context.settings if context is not None else {}
    take_screenshots = bool(settings.get("mobile_screenshots")) and bool(context and context.evidence_dir)
    mobile = MobileArtifacts(device=DEVICE_DESCRIPTION.format(
        phone="×".join(map(str, PHONE_VIEWPORT)), reflow="×".join(map(str, REFLOW_VIEWPORT))))
    artifacts.mobile = mobile  # filled step by step: what was measured survives a later failure

    weight = await _evaluate(page, _WEIGHT_JS, {
        "cap": LIST_CAP, "ratio": ORIGINAL_SIZE_RATIO, "unknownCap": 100, "bufferSize": RESOURCE_TIMING_BUFFER})
    mobile.weight = weight_from_js(weight)

    original: Optional[dict[str, int]] = page.viewport_size
    page_url = artifacts.final_url or artifacts.url
    screenshot_taken = False
    try:
        for slot, (width, height) in (("phone", PHONE_VIEWPORT), ("reflow", REFLOW_VIEWPORT)):
            await page.set_viewport_size({"width": width, "height": height})
            options = _layout_options(phone_checks=slot == "phone")
            layout = layout_from_js(width, height, await _evaluate(page, _LAYOUT_JS, options))
            setattr(mobile, slot, layout)
            if take_screenshots and not screenshot_taken and shows_a_problem(layout):
                layout.screenshot = await save_screenshot(page, page_url, width, context.evidence_dir)
                screenshot_taken = True
    finally:
        if original:
            await page.set_viewport_size(original)
