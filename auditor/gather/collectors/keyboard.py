"""Keyboard pass: press Tab through the first focusable elements and record whether focusing
each one changes how it looks (fills ``PageArtifacts.keyboard``; judged by checks/keyboard.py).

How the look is compared: after each Tab press the focused element's computed style is read
(on the element, its ``::before``/``::after`` and its parent, for focus drawn by a wrapper or a
pseudo-element); the element's unfocused style is read when the next Tab press has moved focus
away. CSS transitions and animations are switched off while measuring so a fading outline is
not read half-way. Afterwards the page is restored: the style is removed, focus is blurred and
the page scrolled back to the top, so the collectors after this one see the page as loaded.
"""

from __future__ import annotations

import time

from auditor.gather.collectors import CollectorContext, page_collector
from auditor.model import FocusStep, KeyboardArtifacts, PageArtifacts

DEFAULT_MAX_TABS = 25
DEFAULT_BUDGET_S = 6.0

_PREPARE_JS = """
() => {
  const style = document.createElement('style');
  style.id = '__auditor_keyboard_style';
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }';
  (document.head || document.documentElement).appendChild(style);
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.scrollTo(0, 0);
  window.__auditorFocus = {elements: [], focused: [], unfocused: []};
  const focusable = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex]:not([tabindex="-1"]), [contenteditable=""], [contenteditable=true]');
  return focusable.length;
}
"""

# Read the look of the element focused now (as 'focused') and of the element focused before
# (now blurred, as 'unfocused'). Returns a description of the focused element.
_STEP_JS = """
(index) => {
  const PROPS = ['outline-style', 'outline-width', 'outline-color', 'outline-offset', 'box-shadow',
    'border-top-color', 'border-bottom-color', 'border-left-color', 'border-right-color',
    'border-top-width', 'border-bottom-width', 'border-left-width', 'border-right-width',
    'border-top-style', 'border-bottom-style', 'border-left-style', 'border-right-style',
    'background-color', 'background-image', 'color', 'text-decoration-line', 'opacity', 'transform'];
  const look = (el) => {
    const out = {};
    const parts = [['', el, null], ['::before', el, '::before'], ['::after', el, '::after']];
    if (el.parentElement) parts.push(['parent ', el.parentElement, null]);
    for (const [prefix, node, pseudo] of parts) {
      const cs = getComputedStyle(node, pseudo);
      for (const p of PROPS) out[prefix + p] = cs.getPropertyValue(p);
      if (pseudo) out[prefix + 'content'] = cs.getPropertyValue('content');
    }
    return out;
  };
  const state = window.__auditorFocus;
  const last = state.elements.length ? state.elements[state.elements.length - 1] : null;
  if (last && last.isConnected && state.unfocused.length < state.elements.length) {
    state.unfocused.push(look(last));
  }
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {kind: 'none'};
  if (state.elements.length && el === state.elements[0]) return {kind: 'cycle'};
  if (state.elements.includes(el)) return {kind: 'cycle'};
  const selectorOf = (node) => {
    if (node.id && /^[A-Za-z][\\w-]*$/.test(node.id)) return '#' + node.id;
    const path = [];
    let cur = node;
    while (cur && cur.nodeType === 1 && path.length < 4 && cur !== document.body) {
      let part = cur.tagName.toLowerCase();
      if (cur.id && /^[A-Za-z][\\w-]*$/.test(cur.id)) { path.unshift('#' + cur.id); break; }
      const siblings = cur.parentElement ? Array.from(cur.parentElement.children).filter(c => c.tagName === cur.tagName) : [];
      if (siblings.length > 1) part += ':nth-of-type(' + (siblings.indexOf(cur) + 1) + ')';
      path.unshift(part);
      cur = cur.parentElement;
    }
    return path.join(' > ');
  };
  const html = el.outerHTML || '';
  const open = html.slice(0, Math.max(html.indexOf('>') + 1, 0) || 300).slice(0, 300);
  state.elements.push(el);
  state.focused.push(look(el));
  return {kind: 'element', tag: el.tagName.toLowerCase(), selector: selectorOf(el), snippet: open, index};
}
"""

_FINISH_JS = """
() => {
  const state = window.__auditorFocus || {elements: [], focused: [], unfocused: []};
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const PROPS_FROM = state.focused;
  // the last focused element: blurred now, read its unfocused look with the same reader
  const results = [];
  const n = state.elements.length;
  const style = document.getElementById('__auditor_keyboard_style');
  let lastLook = null;
  if (n && state.unfocused.length < n) {
    const el = state.elements[n - 1];
    const PROPS = Object.keys(state.focused[n - 1]);
    lastLook = {};
    for (const key of PROPS) {
      let node = el, pseudo = null, prop = key;
      if (key.startsWith('parent ')) { node = el.parentElement; prop = key.slice(7); }
      else if (key.startsWith('::before')) { pseudo = '::before'; prop = key.slice(8); }
      else if (key.startsWith('::after')) { pseudo = '::after'; prop = key.slice(7); }
      lastLook[key] = node ? getComputedStyle(node, pseudo).getPropertyValue(prop) : '';
    }
    state.unfocused.push(lastLook);
  }
  for (let i = 0; i < n; i++) {
    const before = state.unfocused[i] || {};
    const after = PROPS_FROM[i] || {};
    // an outline or border part that changed while its style stays 'none' shows nothing
    // (Chromium changes outline-offset on focused links even when the outline is removed)
    const changed = Object.keys(after).filter(k => before[k] !== after[k]).filter(k => {
      const m = k.match(/^(.*?)(outline|border-(?:top|bottom|left|right))-(width|color|offset)$/);
      return !(m && after[m[1] + m[2] + '-style'] === 'none' && before[m[1] + m[2] + '-style'] === 'none');
    });
    results.push(changed);
  }
  if (style) style.remove();
  window.scrollTo(0, 0);
  delete window.__auditorFocus;
  return results;
}
"""


@page_collector("keyboard", order=50)
async def collect_keyboard(page, artifacts: PageArtifacts, context: CollectorContext) -> None:
    settings = context.settings if context is not None else {}
    max_tabs = int(settings.get("keyboard_max_tabs", DEFAULT_MAX_TABS))
    budget_s = float(settings.get("keyboard_budget_s", DEFAULT_BUDGET_S))
    result = KeyboardArtifacts()
    result.focusable_total = await page.evaluate(_PREPARE_JS)
    deadline = time.monotonic() + budget_s
    described: list[dict] = []
    try:
        for index in range(1, max_tabs + 1):
            if time.monotonic() > deadline:
                result.stopped_reason = "time"
                break
            await page.keyboard.press("Tab")
            result.tab_presses = index
            step = await page.evaluate(_STEP_JS, index)
            if step["kind"] == "none":
                result.stopped_reason = "focus_left_page" if described else "no_focus"
                break
            if step["kind"] == "cycle":
                result.stopped_reason = "cycle"
                break
            described.append(step)
        else:
            result.stopped_reason = "limit"
    finally:
        changes = await page.evaluate(_FINISH_JS)
    for step, changed in zip(described, changes):
        if step["tag"] == "iframe":
            continue  # focus moved into a frame we cannot inspect
        result.steps.append(FocusStep(
            index=step["index"], selector=step["selector"][:300], snippet=step["snippet"][:300],
            tag=step["tag"], visible_change=bool(changed), changed=changed[:20],
        ))
    artifacts.keyboard = result
