"""What a site does before the visitor consents, and what its banner's choices really do.

Each measurement starts in a FRESH browser context (no cookies, no storage), like a first-time
visitor, using the audit's own browser:

1. **before consent**: the home page and a sample of pages, each in its own context, with no
   interaction; every cookie, localStorage/sessionStorage key and third-party request recorded.
2. **reject** and **accept**: the home page in a new context each; the banner is driven with
   DuckDuckGo's autoconsent (npm ``@duckduckgo/autoconsent``: its Playwright content script and
   consent-management-platform rules, messaging through ``window.autoconsentSendMessage`` and
   ``autoconsentReceiveMessage``), or, when no rule knows the banner, with our button texts
   (``configs/markers/consent.toml``). After the choice the home page is loaded again and one
   sample page visited; what they set and request is recorded, and the clicks it took.

An init script records which script wrote each cookie (``document.cookie``) and storage key
(``Storage.setItem``), read from the call stack, so a first-party ``_ga`` cookie is attributed
to Google's script. Hosts, cookie domains and those scripts are classified here with Ghostery's
tracker database (``auditor/probes/trackerdb.py``); the checks only read the result.

Bounded: a few pages, a settle time per page, a time limit for the whole probe; never raises.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from auditor.shared.paths import config_path
from auditor.model import (
    BannerAction,
    ConsentCookie,
    ConsentProbe,
    ConsentVisit,
    ObservedHost,
    StorageEntry,
    TrackerMatch,
)
from auditor.probes.trackerdb import AUTOCONSENT_PACKAGE, TrackerDb, TrackerDbMissing, load_trackerdb, npm_package
from auditor.shared.trackers import CONSENT_CATEGORY, is_tracking

SETTLE_MS = 2_000  # after load: tag managers load their trackers late
AUTOCONSENT_DETECT_S = 3.0  # how long to wait for a CMP rule to recognise the banner
AUTOCONSENT_AFTER_LOAD_S = 2.0  # ... and at least this long once the page has loaded
AUTOCONSENT_DONE_S = 15.0  # how long a recognised banner may take to be handled
PROBE_TIMEOUT_S = 240.0
VISITS_AT_ONCE = 2  # fresh contexts measured at the same time: the crawl's page count, so no more memory
MAX_HOSTS_PER_VISIT = 100
MAX_ENTRIES = 300

BEFORE, AFTER_REJECT, AFTER_ACCEPT = "before_consent", "after_reject", "after_accept"

# Records, in every frame, which script wrote a cookie or a storage key (the first http(s) URL
# on the call stack is the innermost caller). Capped, and wrapped so a page can never break.
_RECORDER_JS = r"""
(() => {
  if (window.__auditorConsentLog) return;
  const log = window.__auditorConsentLog = {cookies: [], storage: []};
  const caller = () => {
    const stack = (new Error()).stack || '';
    const m = stack.match(/https?:\/\/[^\s)]+?(?=:\d+:\d+)/);
    return m ? m[0].slice(0, 500) : '';
  };
  try {
    const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    if (desc && desc.set && desc.configurable) {
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true, enumerable: desc.enumerable,
        get() { return desc.get.call(this); },
        set(value) {
          try {
            if (log.cookies.length < 300) log.cookies.push([String(value).split('=')[0].trim().slice(0, 200), caller()]);
          } catch (e) {}
          return desc.set.call(this, value);
        },
      });
    }
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      try {
        let area = 'localStorage';
        try { if (this === window.sessionStorage) area = 'sessionStorage'; } catch (e) {}
        if (log.storage.length < 300) log.storage.push([area, String(key).slice(0, 200), caller()]);
      } catch (e) {}
      return setItem.apply(this, arguments);
    };
  } catch (e) {}
})();
"""

_READ_FRAME_JS = """
() => {
  const keys = (area) => { try { const s = window[area]; const out = [];
    for (let i = 0; i < s.length && i < 200; i++) out.push(s.key(i)); return out; } catch (e) { return []; } };
  const log = window.__auditorConsentLog || {cookies: [], storage: []};
  return {origin: location.origin, local: keys('localStorage'), session: keys('sessionStorage'),
          cookieWrites: log.cookies, storageWrites: log.storage,
          hasForm: !!document.querySelector('form')};
}
"""

# Our fallback: visible clickable elements whose whole text is one of the configured texts,
# inside something that talks about cookies (so an unrelated "Akkoord" is never clicked).
_FIND_BUTTONS_JS = """
([texts, context, clickKind]) => {
  const norm = (s) => (s || '').replace(/[\\u2019`]/g, "'").replace(/\\s+/g, ' ').trim().toLowerCase();
  const visible = (el) => { const r = el.getBoundingClientRect(); const st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none' && st.opacity !== '0'; };
  const aboutCookies = (el) => { let node = el.parentElement;
    for (let i = 0; node && i < 8; i++, node = node.parentElement) {
      const t = norm(node.innerText || node.textContent).slice(0, 5000);
      if (context.some((w) => t.includes(w))) return true; }
    return false; };
  const found = {};
  for (const el of document.querySelectorAll('button, a, [role=button], input[type=button], input[type=submit]')) {
    const raw = (el.tagName === 'INPUT' ? el.value : (el.innerText || el.textContent || el.getAttribute('aria-label')) || '')
      .replace(/\\s+/g, ' ').trim();
    const label = norm(raw);
    if (!label || label.length > 80) continue;
    for (const kind of Object.keys(texts)) {
      if (kind in found || !texts[kind].includes(label) || !visible(el) || !aboutCookies(el)) continue;
      found[kind] = raw;
      if (kind === clickKind) { el.click(); return {clicked: raw, found}; }
    }
  }
  return {clicked: '', found};
}
"""

SettleFn = Callable[[Page], Awaitable[None]]


# --------------------------------------------------------------------------- fallback texts


class ConsentMarkerError(ValueError):
    pass


@dataclass(frozen=True)
class BannerTexts:
    version: str
    reject: tuple[str, ...]
    accept: tuple[str, ...]
    settings: tuple[str, ...]
    save: tuple[str, ...]
    context: tuple[str, ...]

    def for_page(self) -> dict[str, list[str]]:
        return {kind: [_normalise(t) for t in getattr(self, kind)] for kind in ("reject", "accept", "settings", "save")}


CONTEXT_WORDS = ("cookie", "privacy", "toestemming", "consent", "traceur", "tracking", "gegevens", "données")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().lower()


def default_consent_markers_path() -> Path:
    return config_path("markers", "consent.toml")


@lru_cache(maxsize=4)
def load_banner_texts(path: Optional[Path] = None) -> BannerTexts:
    path = path or default_consent_markers_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConsentMarkerError(f"{path}: {exc}") from None
    lists = {}
    for kind in ("reject", "accept", "settings", "save"):
        values = data.get(kind, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise ConsentMarkerError(f"{path}: `{kind}` must be a list of non-empty texts")
        lists[kind] = tuple(values)
    context = data.get("context", list(CONTEXT_WORDS))
    return BannerTexts(version=str(data.get("version", "")), context=tuple(_normalise(c) for c in context), **lists)


# --------------------------------------------------------------------------- autoconsent


@dataclass(frozen=True)
class AutoconsentBundle:
    source: str
    script: str
    rules: dict[str, Any]


@lru_cache(maxsize=2)
def load_autoconsent(node_modules: Optional[Path] = None) -> AutoconsentBundle:
    package = npm_package(AUTOCONSENT_PACKAGE, node_modules)
    try:
        script = (package.root / "dist" / "autoconsent.playwright.js").read_text(encoding="utf-8")
        rules = json.loads((package.root / "rules" / "rules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TrackerDbMissing(f"npm {AUTOCONSENT_PACKAGE} is incomplete: {exc}") from None
    return AutoconsentBundle(source=f"DuckDuckGo autoconsent, {package.describe()}", script=script, rules=rules)


def _autoconsent_config(action: Optional[str]) -> dict[str, Any]:
    return {
        "enabled": True,
        "autoAction": action,  # None: detect only, never click
        "disabledCmps": [],
        "enablePrehide": False,
        "enableCosmeticRules": False,  # hiding a banner is not a choice
        "enableGeneratedRules": True,
        "enableHeuristicDetection": False,  # our own texts are the fallback
        "detectRetries": 20,
        "isMainWorld": False,
        "prehideTimeout": 2000,
        "logs": {"lifecycle": False, "rulesteps": False, "detectionsteps": False, "evals": False,
                 "errors": False, "messages": False, "waits": False},
    }


@dataclass
class _AutoconsentSession:
    """The Node side of autoconsent's messaging, in Python: answers ``init`` with the config and
    rules, runs ``eval`` requests in the frame that asked, and records what it reports."""

    bundle: AutoconsentBundle
    action: Optional[str]
    active: bool = True
    detected: str = ""
    popup: str = ""
    done: Optional[dict] = None
    result: Optional[bool] = None
    errors: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    async def install(self, context: BrowserContext) -> None:
        await context.expose_binding("autoconsentSendMessage", self._on_message)
        await context.add_init_script(self.bundle.script)

    async def _on_message(self, source: dict, message: Any) -> None:
        if not isinstance(message, dict):
            return
        frame: Frame = source["frame"]
        kind = message.get("type")
        try:
            if kind == "init" and self.active:
                await frame.evaluate("m => window.autoconsentReceiveMessage(m)", {
                    "type": "initResp", "config": _autoconsent_config(self.action), "rules": self.bundle.rules})
            elif kind == "eval" and self.active:
                try:
                    result = await frame.evaluate(message.get("code", "false"))
                except PlaywrightError:
                    result = False
                await frame.evaluate("m => window.autoconsentReceiveMessage(m)",
                                     {"type": "evalResp", "id": message.get("id"), "result": result})
            elif kind == "cmpDetected":
                self.detected = self.detected or str(message.get("cmp", ""))
            elif kind == "popupFound":
                self.popup = self.popup or str(message.get("cmp", ""))
            elif kind in ("optOutResult", "optInResult"):
                self.result = bool(message.get("result"))
            elif kind == "autoconsentDone":
                self.done = message
            elif kind == "autoconsentError":
                self.errors.append(str(message.get("details", ""))[:200])
        except PlaywrightError:
            pass  # the frame went away

    async def wait(self) -> None:
        """Until the banner was handled, or it is clear no rule knows it: counted from the
        moment the page was opened (so the page's own settle time is not waited twice), but
        never less than AUTOCONSENT_AFTER_LOAD_S after the load, so a slow page or a busy
        machine does not leave the rules too little time once the page is there."""
        deadline_detect = max(self.started + AUTOCONSENT_DETECT_S, time.monotonic() + AUTOCONSENT_AFTER_LOAD_S)
        deadline_done = self.started + AUTOCONSENT_DONE_S
        while time.monotonic() < deadline_done:
            if self.done is not None or (self.action is None and self.popup):
                return
            if not self.detected and time.monotonic() > deadline_detect:
                return
            if self.detected and not self.popup and time.monotonic() > deadline_detect + 2:
                return  # a CMP is present but shows no popup
            await asyncio.sleep(0.1)


# --------------------------------------------------------------------------- the probe


@dataclass
class ConsentProbeSettings:
    sample_pages: int = 3  # pages besides the home page measured before consent
    settle_ms: int = SETTLE_MS
    page_timeout_s: float = 30.0
    timeout_s: float = PROBE_TIMEOUT_S
    node_modules: Optional[Path] = None


ContextFactory = Callable[[], Awaitable[BrowserContext]]
PagePreparer = Callable[[Page], Awaitable[None]]  # e.g. the SSRF guard of every redirect hop


class _Classifier:
    def __init__(self, db: TrackerDb, is_third_party: Callable[[str], bool]):
        self.db = db
        self.is_third_party = is_third_party

    def url(self, url: str) -> Optional[TrackerMatch]:
        return self.db.lookup_url(url, self.is_third_party(url))

    def essential(self, third_party: bool, tracker: Optional[TrackerMatch]) -> bool:
        if tracker is not None and tracker.category == CONSENT_CATEGORY:
            return True  # the consent platform storing the visitor's choice
        return not third_party and not is_tracking(tracker)


async def probe_consent(
    new_context: ContextFactory,
    home_url: str,
    sample_urls: list[str],
    is_third_party: Callable[[str], bool],
    settings: Optional[ConsentProbeSettings] = None,
    prepare_page: Optional[PagePreparer] = None,
) -> ConsentProbe:
    """Measure the home page and the sample before consent, then drive reject and accept;
    ``prepare_page`` is awaited on every page the probe opens, before it loads anything."""
    settings = settings or ConsentProbeSettings()
    probe = ConsentProbe()
    try:
        db = load_trackerdb(settings.node_modules)
    except TrackerDbMissing as exc:
        probe.error = f"not assessable: {exc}"
        return probe
    probe.trackerdb = db.source
    try:
        texts: Optional[BannerTexts] = load_banner_texts()
        probe.fallback_markers = texts.version
    except ConsentMarkerError as exc:
        texts = None
        probe.notes.append(f"the fallback banner texts could not be read: {exc}")
    try:
        bundle: Optional[AutoconsentBundle] = load_autoconsent(settings.node_modules)
        probe.autoconsent = bundle.source
    except TrackerDbMissing as exc:
        bundle = None
        probe.notes.append(f"consent rules unavailable, only our own banner texts are used: {exc}")
    runner = _ProbeRun(new_context, _Classifier(db, is_third_party), settings, bundle, texts, prepare_page)
    try:
        await asyncio.wait_for(runner.run(probe, home_url, sample_urls[: settings.sample_pages]), settings.timeout_s)
    except asyncio.TimeoutError:
        probe.notes.append(f"the consent probe stopped after {settings.timeout_s:g} s; what it measured is kept")
    except Exception as exc:  # noqa: BLE001 - a hostile page must not break the audit
        probe.notes.append(f"the consent probe stopped: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    return probe


@dataclass
class _Requests:
    urls: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        if len(self.urls) < 3_000:
            self.urls.append(request.url)


class _ProbeRun:
    def __init__(self, new_context: ContextFactory, classify: _Classifier, settings: ConsentProbeSettings,
                 bundle: Optional[AutoconsentBundle], texts: Optional[BannerTexts],
                 prepare_page: Optional[PagePreparer] = None):
        self.new_context = new_context
        self.prepare_page = prepare_page
        self.classify = classify
        self.settings = settings
        self.bundle = bundle
        self.texts = texts

    async def run(self, probe: ConsentProbe, home_url: str, sample_urls: list[str]) -> None:
        # Every measurement has a context of its own, so they run VISITS_AT_ONCE at a time (the
        # crawl's two pages are closed by now); results are kept in the order they were asked for.
        turns = asyncio.Semaphore(VISITS_AT_ONCE)

        async def in_turn(measure):
            async with turns:
                return await measure

        # the home page first: it is also where the banner is detected (nothing is clicked)
        visits = [asyncio.ensure_future(in_turn(self._before(home_url, detect=True))),
                  *(asyncio.ensure_future(in_turn(self._before(url, detect=False))) for url in sample_urls)]
        try:
            home, banner = await visits[0]
            probe.before.append(home)
            probe.banner_found = bool(banner.get("cmp") or banner.get("buttons"))
            probe.banner_cmp = banner.get("cmp", "")
            probe.banner_buttons = banner.get("buttons", [])
            for visit in visits[1:]:
                probe.before.append((await visit)[0])
        finally:
            await _cancel_unfinished(visits)
        if not probe.banner_found:
            return  # nothing to drive: no rule and none of our texts found a banner
        after_page = sample_urls[0] if sample_urls else ""
        choices = [asyncio.ensure_future(in_turn(self._choose(path, home_url, after_page)))
                   for path in ("reject", "accept")]
        try:
            probe.reject = await choices[0]
            probe.accept = await choices[1]
        finally:
            await _cancel_unfinished(choices)

    async def _open(self, action: Optional[str], with_autoconsent: bool):
        context = await self.new_context()
        await context.add_init_script(_RECORDER_JS)
        session = None
        if with_autoconsent and self.bundle is not None:
            session = _AutoconsentSession(self.bundle, action)
            await session.install(context)
        page = await context.new_page()
        if self.prepare_page is not None:
            await self.prepare_page(page)
        if session is not None:
            session.started = time.monotonic()
        requests = _Requests()
        page.on("request", requests.on_request)
        return context, page, session, requests

    async def _goto(self, page: Page, url: str) -> str:
        """Load a page and let it settle; returns an error line ("" when it loaded)."""
        try:
            await page.goto(url, wait_until="load", timeout=self.settings.page_timeout_s * 1000)
        except PlaywrightError as exc:
            return str(exc).splitlines()[0][:300]
        await self._settle(page)
        return ""

    async def _settle(self, page: Page) -> None:
        """Until the network is quiet (500 ms without requests), at most ``settle_ms``."""
        try:
            await page.wait_for_load_state("networkidle", timeout=self.settings.settle_ms)
        except PlaywrightError:
            pass  # still busy (analytics beacons, long polling): measured as it is

    async def _before(self, url: str, detect: bool) -> tuple[ConsentVisit, dict]:
        context, page, session, requests = await self._open(None, with_autoconsent=detect)
        banner: dict = {}
        try:
            error = await self._goto(page, url)
            visit = await self._record(BEFORE, url, page, context, requests.urls, error)
            if detect and not error:
                if session is not None:
                    await session.wait()
                    banner["cmp"] = session.popup or ""
                found = await self._find_buttons(page, click=None)
                banner["buttons"] = [found[k] for k in ("reject", "accept", "settings") if k in found]
            return visit, banner
        finally:
            await _close(context)

    async def _choose(self, path: str, home_url: str, after_page: str) -> BannerAction:
        action = BannerAction(path=path)
        state = AFTER_REJECT if path == "reject" else AFTER_ACCEPT
        context, page, session, requests = await self._open("optOut" if path == "reject" else "optIn", True)
        try:
            error = await self._goto(page, home_url)
            if error:
                action.error = error
                return action
            if session is not None:
                await session.wait()
                session.active = False  # later loads must show what the stored choice does
                if session.done is not None:
                    action.method, action.cmp = "autoconsent", str(session.done.get("cmp", ""))
                    action.cosmetic = bool(session.done.get("isCosmetic"))
                    action.done = not action.cosmetic and session.result is not False
                    clicks = session.done.get("totalClicks")
                    action.clicks = int(clicks) if isinstance(clicks, (int, float)) else None
                elif session.popup:
                    action.method, action.cmp = "autoconsent", session.popup
                    action.error = "the consent rule recognised the banner but could not make the choice"
                    action.error += f" ({session.errors[0]})" if session.errors else ""
            if not action.method and self.texts is not None:
                await self._fallback(page, path, action)
            if not action.done:
                return action
            mark = len(requests.urls)
            # what the stored choice does: the requests since the click, the home page again, a page
            await self._settle(page)
            error = await self._goto(page, home_url)
            visit = await self._record(state, home_url, page, context, requests.urls[mark:], error)
            action.visits.append(visit)
            if after_page:
                mark = len(requests.urls)
                error = await self._goto(page, after_page)
                action.visits.append(await self._record(state, after_page, page, context, requests.urls[mark:], error))
            return action
        except PlaywrightError as exc:
            action.error = str(exc).splitlines()[0][:300]
            return action
        finally:
            await _close(context)

    async def _fallback(self, page: Page, path: str, action: BannerAction) -> None:
        """Click our texts: the choice itself, or the settings layer and then the choice or save."""
        want = "reject" if path == "reject" else "accept"
        clicks = 0
        for step in range(3):
            found = await self._find_buttons(page, click=want)
            if found.get("clicked"):
                clicks += 1
                action.clicked.append(found["clicked"])
                action.method, action.done, action.clicks = "fallback", True, clicks
                return
            if step > 0 and path == "reject":
                saved = await self._find_buttons(page, click="save")
                if saved.get("clicked"):
                    clicks += 1
                    action.clicked.append(saved["clicked"])
                    action.method, action.done, action.clicks = "fallback", True, clicks
                    return
            opened = await self._find_buttons(page, click="settings")
            if not opened.get("clicked"):
                break
            clicks += 1
            action.clicked.append(opened["clicked"])
            await page.wait_for_timeout(500)
        if clicks:
            action.method = "fallback"
            action.error = f"no {path} button found after opening the banner's settings"

    async def _find_buttons(self, page: Page, click: Optional[str]) -> dict:
        """Buttons with our texts in every frame; clicks the first of kind ``click``."""
        assert self.texts is not None or click is None
        if self.texts is None:
            return {}
        found: dict = {}
        for frame in page.frames:
            try:
                result = await frame.evaluate(_FIND_BUTTONS_JS, [self.texts.for_page(), list(self.texts.context), click])
            except PlaywrightError:
                continue
            for kind, label in result["found"].items():
                found.setdefault(kind, label)
            if result["clicked"]:
                await page.wait_for_timeout(300)
                return {**found, "clicked": result["clicked"]}
        return found

    async def _record(self, state: str, url: str, page: Page, context: BrowserContext,
                      request_urls: list[str], error: str) -> ConsentVisit:
        visit = ConsentVisit(state=state, url=url, final_url=page.url if not error else "", error=error)
        visit.hosts = self._hosts(request_urls)
        writes: dict[str, str] = {}
        storage_writers: dict[tuple[str, str], str] = {}
        frames: list[dict] = []
        for frame in page.frames:
            try:
                frames.append(await frame.evaluate(_READ_FRAME_JS))
            except PlaywrightError:
                continue
        for data in frames:
            for name, script in data["cookieWrites"]:
                if script:
                    writes.setdefault(name, script)
            for area, key, script in data["storageWrites"]:
                if script:
                    storage_writers.setdefault((area, key), script)
        visit.has_form = bool(frames and frames[0].get("hasForm"))
        try:
            cookies = await context.cookies()
        except PlaywrightError:
            cookies = []
        for cookie in cookies[:MAX_ENTRIES]:
            visit.cookies.append(self._cookie(cookie, writes.get(cookie["name"], "")))
        for data in frames:
            origin = data["origin"]
            for area, keys in (("localStorage", data["local"]), ("sessionStorage", data["session"])):
                for key in keys:
                    if len(visit.storage) < MAX_ENTRIES:
                        visit.storage.append(self._storage(area, key, origin, storage_writers.get((area, key), "")))
        return visit

    def _hosts(self, request_urls: list[str]) -> list[ObservedHost]:
        hosts: dict[str, ObservedHost] = {}
        for url in request_urls:
            if not url.startswith(("http:", "https:")):
                continue
            third_party = self.classify.is_third_party(url)
            tracker = self.classify.url(url)
            if not third_party and tracker is None:
                continue  # the site's own requests matter only when they are a tracker's
            host = (urlsplit(url).hostname or "").lower()
            key = host if third_party else f"{host} {tracker.matched if tracker else ''}"
            entry = hosts.get(key)
            if entry is None:
                if len(hosts) >= MAX_HOSTS_PER_VISIT:
                    continue
                entry = hosts[key] = ObservedHost(host=host, example_url=url[:500], tracker=tracker)
            entry.requests += 1
        return list(hosts.values())

    def _cookie(self, cookie: dict, set_by: str) -> ConsentCookie:
        domain = cookie.get("domain", "")
        third_party = self.classify.is_third_party(f"https://{domain.lstrip('.')}/")
        tracker = self.classify.db.lookup_host(domain.lstrip(".")) if third_party else None
        if tracker is None and set_by:
            tracker = self.classify.url(set_by)
        expires = cookie.get("expires", -1)
        return ConsentCookie(
            name=cookie.get("name", "")[:200], domain=domain, path=cookie.get("path", "/"),
            expires=None if expires in (-1, None) else expires, third_party=third_party,
            set_by=set_by, tracker=tracker, essential=self.classify.essential(third_party, tracker),
        )

    def _storage(self, area: str, key: str, origin: str, set_by: str) -> StorageEntry:
        third_party = bool(origin) and origin != "null" and self.classify.is_third_party(origin)
        tracker = self.classify.url(set_by) if set_by else None
        if tracker is None and third_party:
            tracker = self.classify.url(origin)
        return StorageEntry(area=area, key=key[:200], origin=origin, set_by=set_by, tracker=tracker,
                            essential=self.classify.essential(third_party, tracker))


async def _cancel_unfinished(tasks: list[asyncio.Future]) -> None:
    """Cancel the measurements still running (the probe stopped early) and wait for them to
    close their contexts."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _close(context: BrowserContext) -> None:
    try:
        await context.close()
    except PlaywrightError:
        pass
