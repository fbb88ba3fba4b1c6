"""Gather: ONE browser visit per page produces the ``PageArtifacts`` every check reads.

The visit loads the page, records the network traffic and console while it loads, reads the
rendered DOM in a single ``evaluate`` call, and runs axe-core (injected into every frame as an
init script, so iframes are covered).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from auditor.gather.challenge import MAX_HTML_CHARS as CHALLENGE_HTML_CHARS
from auditor.gather.challenge import detect_challenge
from auditor.model import (
    ConsoleMessage,
    CookieRecord,
    LinkRecord,
    PageArtifacts,
    PageStatus,
    Redirect,
    RequestRecord,
)

DEFAULT_AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_HTTP_STATUSES = frozenset({401, 403, 429})

# Read the rendered page in one round trip. Sizes are capped in the page so a hostile page
# cannot make us copy megabytes of text across the wire.
_COLLECT_JS = """
([maxHtml, maxText, maxLinks]) => {
  const html = document.documentElement ? document.documentElement.outerHTML : '';
  const body = document.body;
  const text = body ? (body.innerText || '') : '';
  const meta = {};
  for (const m of document.querySelectorAll('meta[name]')) {
    const name = (m.getAttribute('name') || '').toLowerCase();
    if (name && !(name in meta)) meta[name] = (m.getAttribute('content') || '').slice(0, 500);
  }
  const links = [];
  const anchors = document.querySelectorAll('a[href]');
  for (let i = 0; i < anchors.length && links.length < maxLinks; i++) {
    const a = anchors[i];
    const footer = !!a.closest('footer, [role=contentinfo]');
    const header = !footer && !!a.closest('header, nav, [role=banner], [role=navigation]');
    const label = (a.innerText || a.getAttribute('aria-label') || a.getAttribute('title') || '');
    links.push([a.href, label.trim().replace(/\\s+/g, ' ').slice(0, 200), footer, header]);
  }
  const nav = performance.getEntriesByType('navigation')[0];
  const timings = nav ? {
    ttfb: nav.responseStart, dom_content_loaded: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd } : {};
  return {
    title: document.title || '',
    lang: document.documentElement ? (document.documentElement.getAttribute('lang') || '') : '',
    meta, links, timings, linksTotal: anchors.length,
    html: html.slice(0, maxHtml), htmlLength: html.length,
    text: text.slice(0, maxText), textLength: text.length,
  };
}
"""

_AXE_RUN_JS = """
async (options) => {
  if (typeof axe === 'undefined') return null;
  const r = await axe.run(document, options);
  return {testEngine: r.testEngine, testRunner: r.testRunner, url: r.url,
          violations: r.violations, incomplete: r.incomplete,
          passes: r.passes.map(p => ({id: p.id, impact: p.impact, tags: p.tags, nodes: p.nodes.length})),
          inapplicable: r.inapplicable.map(p => p.id)};
}
"""


@dataclass
class GatherSettings:
    page_timeout_s: float = 30.0
    axe_tags: tuple[str, ...] = DEFAULT_AXE_TAGS
    run_axe: bool = True
    max_dom_bytes: int = 2_000_000
    max_text_chars: int = 200_000
    max_links: int = 5_000
    max_response_bytes: int = 5_000_000  # a document announcing more (Content-Length) is not loaded
    max_nodes_per_rule: int = 50
    settle_ms: int = 0  # extra wait after load for late widgets
    collectors: tuple = ()  # auditor.gather.collectors.Collector, run in order after axe
    collector_context: Any = None  # auditor.gather.collectors.CollectorContext


class PageCrashed(RuntimeError):
    """The renderer died while visiting a page; the caller restarts and retries once."""


@dataclass
class _Traffic:
    """Network and console events of the page currently being visited."""

    requests: dict[Request, RequestRecord] = field(default_factory=dict)
    responses: dict[Request, Response] = field(default_factory=dict)  # of requests not finished yet
    console: list[ConsoleMessage] = field(default_factory=list)
    document: Optional[Response] = None  # the main frame's last document response
    too_large: Optional[int] = None  # Content-Length of a main document over the size limit
    too_large_seen: asyncio.Event = field(default_factory=asyncio.Event)


class PageVisitor:
    """Owns one reused page; ``visit(url)`` returns the artifacts of one page."""

    def __init__(
        self,
        page: Page,
        settings: GatherSettings,
        is_third_party: Callable[[str], bool],
    ):
        self.page = page
        self.settings = settings
        self.is_third_party = is_third_party
        self._traffic = _Traffic()
        self.crashed = False  # a crashed page stays dead: the runner replaces it
        self.spoiled = False  # left on Chromium's error page by a failed navigation: replaced too
        self.hung = False  # script still running after a timed-out analysis: replaced too
        self.visits = 0  # visits made with this page (the runner replaces it after a bounded number)
        self._cookies_seen: set[tuple[str, str, str]] = set()
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("requestfailed", self._on_request_failed)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("crash", self._on_crash)
        page.on("response", self._on_response)

    # ----------------------------------------------------------------- event handlers

    def _on_request(self, request: Request) -> None:
        if len(self._traffic.requests) >= 2_000:
            return
        self._traffic.requests[request] = RequestRecord(
            url=request.url[:2_000],
            resource_type=request.resource_type,
            method=request.method,
            third_party=self.is_third_party(request.url),
        )

    def _on_request_done(self, request: Request) -> None:
        record = self._traffic.requests.get(request)
        response = self._traffic.responses.pop(request, None)
        if record is None or response is None:
            return
        # the response kept from its "response" event: no round trip to the driver per request
        record.status = response.status
        length = response.headers.get("content-length")
        if length and length.isdigit():
            record.size = int(length)

    def _on_request_failed(self, request: Request) -> None:
        record = self._traffic.requests.get(request)
        if record is not None:
            record.failure = (request.failure or "failed")[:200]

    def _on_console(self, message) -> None:
        if message.type in ("error", "warning") and len(self._traffic.console) < 100:
            self._traffic.console.append(ConsoleMessage(level=message.type, text=message.text[:500]))

    def _on_page_error(self, error) -> None:
        if len(self._traffic.console) < 100:
            self._traffic.console.append(ConsoleMessage(level="pageerror", text=str(error)[:500]))

    def _on_response(self, response: Response) -> None:
        if response.request in self._traffic.requests:
            self._traffic.responses[response.request] = response  # read when the request finishes
        try:
            if response.request.resource_type == "document" and response.frame == self.page.main_frame:
                self._traffic.document = response
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.settings.max_response_bytes:
                    self._traffic.too_large = int(length)
                    self._traffic.too_large_seen.set()
        except PlaywrightError:
            pass

    def _on_crash(self, _page) -> None:
        self.crashed = True

    # ----------------------------------------------------------------- the visit

    async def visit(self, url: str, depth: int = 0, found_on: str = "", roles=()) -> PageArtifacts:
        if self.crashed:
            raise PageCrashed("the page had crashed before this visit")
        self._traffic = _Traffic()
        self.visits += 1
        artifacts = PageArtifacts(url=url, depth=depth, found_on=found_on, roles=list(roles))
        started = time.monotonic()
        try:
            response = await self._navigate(url)
        except _TooLarge:
            await self._read_response(self._traffic.document, artifacts)
            artifacts.status = PageStatus.TOO_LARGE
            artifacts.error = (f"the page is {_megabytes(self._traffic.too_large)}, over the response size limit "
                               f"of {_megabytes(self.settings.max_response_bytes)}: not loaded")
            artifacts.limits_hit.append("max_response_bytes")
            self._finish_traffic(artifacts)
            self.spoiled = True  # the navigation may still be loading in this tab
            return artifacts
        except PlaywrightTimeout:
            artifacts.status = PageStatus.TIMEOUT
            artifacts.error = f"page did not load within {self.settings.page_timeout_s:g} s"
            if self._traffic.document is not None:  # headers came, the body did not end in time
                artifacts.http_status = self._traffic.document.status
                artifacts.error += f" (HTTP {self._traffic.document.status} received, the page was still loading)"
            artifacts.limits_hit.append("page_timeout_s")
            self._finish_traffic(artifacts)
            return artifacts
        except PlaywrightError as exc:
            if self.crashed or _looks_like_crash(str(exc)):
                raise PageCrashed(str(exc).splitlines()[0]) from exc
            artifacts.status, artifacts.error = classify_navigation_error(str(exc))
            if _DOWNLOAD_STARTING in str(exc) and self._traffic.document is not None:
                # a download (Content-Disposition: attachment): its status and headers are
                # recorded; the file itself is never saved (accept_downloads=False) nor run
                await self._read_response(self._traffic.document, artifacts)
                artifacts.status = PageStatus.NOT_HTML
                artifacts.error = f"sent as a download ({artifacts.content_type or 'no content type'}): not saved"
            elif _AUTH_REQUIRED in str(exc):
                # HTTP authentication (401 + WWW-Authenticate): the auditor has no credentials,
                # so Chromium's prompt is cancelled. The site refused us: blocked, never a failure.
                if self._traffic.document is not None:
                    await self._read_response(self._traffic.document, artifacts)
                challenge = artifacts.headers.get("www-authenticate", "")
                artifacts.status = PageStatus.BLOCKED
                artifacts.error = ("the page asks for a login (HTTP authentication"
                                   + (f": {challenge[:100]}" if challenge else "") + "); the auditor has none")
            self._finish_traffic(artifacts)
            # Chromium's error page keeps re-requesting the failed URL (a redirect loop goes on
            # looping) and interrupts the next visit with its own navigation: the runner
            # replaces a page left on an error page
            self.spoiled = True
            return artifacts

        if response is None:  # same-document navigation; should not happen for a fresh URL
            artifacts.status, artifacts.error = PageStatus.ERROR, "no response from navigation"
            return artifacts

        await self._read_response(response, artifacts)
        if artifacts.status == PageStatus.OK:
            try:
                await self._analyse(artifacts)
            except PlaywrightError as exc:
                if self.crashed or _looks_like_crash(str(exc)):
                    raise PageCrashed(str(exc).splitlines()[0]) from exc
                artifacts.status = PageStatus.ERROR
                artifacts.error = f"reading the page failed: {str(exc).splitlines()[0][:300]}"
        elif artifacts.status in (PageStatus.BLOCKED, PageStatus.HTTP_ERROR, PageStatus.NOT_HTML):
            # a 403/503 (or AWS WAF's 202) may be a bot challenge: name its vendor
            self._recorded_challenge(artifacts, await self._error_page_html(artifacts))
        artifacts.timings["visit"] = round((time.monotonic() - started) * 1000, 1)
        self._finish_traffic(artifacts)
        return artifacts

    async def _navigate(self, url: str) -> Optional[Response]:
        """``page.goto`` until ``load``, given up (raising :class:`_TooLarge`) as soon as the
        main document announces a Content-Length over ``max_response_bytes``."""
        navigation = asyncio.ensure_future(
            self.page.goto(url, wait_until="load", timeout=self.settings.page_timeout_s * 1000))
        too_large = asyncio.ensure_future(self._traffic.too_large_seen.wait())
        try:
            await asyncio.wait([navigation, too_large], return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the run is stopping: the navigation stops with it
            navigation.cancel()
            raise
        finally:
            too_large.cancel()
        if navigation.done():
            return navigation.result()
        navigation.cancel()
        try:
            await navigation
        except (asyncio.CancelledError, PlaywrightError):
            pass
        raise _TooLarge()

    async def _analyse(self, artifacts: PageArtifacts) -> None:
        """Read the loaded page: DOM, axe, collectors, cookies, all within the page time limit
        again (after the load). A step still running at the limit is recorded and the rest
        skipped; its script goes on running in the tab, so the tab is marked hung and replaced."""
        limit = self.settings.page_timeout_s
        deadline = time.monotonic() + limit

        async def within_limit(step):
            return await asyncio.wait_for(step, timeout=max(deadline - time.monotonic(), 0.01))

        step = "reading the page"
        try:
            if self.settings.settle_ms:
                await within_limit(self.page.wait_for_timeout(self.settings.settle_ms))
            await within_limit(self._read_dom(artifacts))
            if self._recorded_challenge(artifacts, artifacts.html):
                return
            if self.settings.run_axe:
                step = "axe-core"
                artifacts.axe = await within_limit(self._run_axe())
            step = "the page collectors"
            await self._run_collectors(artifacts, within_limit)
            step = "reading the cookies"
            await within_limit(self._read_cookies(artifacts))
        except TimeoutError:
            self.hung = True
            artifacts.limits_hit.append("page_timeout_s")
            message = f"{step} did not finish within the page time limit of {limit:g} s"
            if step == "reading the page":
                artifacts.status, artifacts.error = PageStatus.TIMEOUT, message
            elif step == "axe-core":
                artifacts.axe = {"error": message}

    async def _read_response(self, response: Response, artifacts: PageArtifacts) -> None:
        chain: list[Redirect] = []
        request = response.request.redirected_from
        while request is not None:
            previous = await request.response()
            chain.append(Redirect(url=request.url, status=previous.status if previous else 0))
            request = request.redirected_from
        artifacts.redirects = list(reversed(chain))
        artifacts.final_url = response.url
        artifacts.http_status = response.status
        try:
            headers = await response.all_headers()
        except PlaywrightError:
            headers = response.headers
        artifacts.headers = {k.lower(): v[:2_000] for k, v in headers.items()}
        artifacts.content_type = artifacts.headers.get("content-type", "")
        if response.status in BLOCKING_HTTP_STATUSES:
            artifacts.status = PageStatus.BLOCKED
            artifacts.error = f"HTTP {response.status}"
        elif response.status >= 400:
            artifacts.status = PageStatus.HTTP_ERROR
            artifacts.error = f"HTTP {response.status}"
        elif not _is_html(artifacts.content_type):
            artifacts.status = PageStatus.NOT_HTML
            artifacts.error = f"not an HTML page ({artifacts.content_type or 'no content type'})"

    def _recorded_challenge(self, artifacts: PageArtifacts, html: str) -> bool:
        """A WAF or bot-challenge page is recorded as ``blocked`` with its vendor, and nothing
        of it (links, text, axe, collectors) is kept as if it were the site's content."""
        challenge = detect_challenge(artifacts.http_status, artifacts.headers, html)
        if challenge is None:
            return False
        artifacts.status = PageStatus.BLOCKED
        artifacts.error = challenge.describe(artifacts.http_status)[:300]
        artifacts.bot_challenge = challenge.vendor
        artifacts.links, artifacts.text, artifacts.html, artifacts.meta = [], "", "", {}
        return True

    async def _error_page_html(self, artifacts: PageArtifacts) -> str:
        """The rendered markup of an error or non-HTML answer, capped, when it is HTML."""
        if not _is_html(artifacts.content_type):
            return ""
        try:
            return await self.page.evaluate(
                "(max) => document.documentElement ? document.documentElement.outerHTML.slice(0, max) : ''",
                CHALLENGE_HTML_CHARS)
        except PlaywrightError:
            return ""

    async def _read_dom(self, artifacts: PageArtifacts) -> None:
        s = self.settings
        data = await self.page.evaluate(_COLLECT_JS, [s.max_dom_bytes, s.max_text_chars, s.max_links])
        artifacts.title = data["title"].strip()[:1_000]
        artifacts.lang = data["lang"].strip()[:50]
        artifacts.meta = data["meta"]
        artifacts.html = data["html"]
        artifacts.dom_truncated = data["htmlLength"] > len(data["html"])
        artifacts.text = data["text"]
        artifacts.links = [LinkRecord(url=u, text=t, in_footer=f, in_header=h) for u, t, f, h in data["links"]]
        if artifacts.dom_truncated:
            artifacts.limits_hit.append("max_dom_bytes")
        if data["textLength"] > len(artifacts.text):
            artifacts.limits_hit.append("max_text_chars")
        if data["linksTotal"] > len(artifacts.links):
            artifacts.links_found = data["linksTotal"]
            artifacts.limits_hit.append("max_links")
        artifacts.timings.update({k: round(v, 1) for k, v in data["timings"].items() if v})

    async def _run_collectors(self, artifacts: PageArtifacts, within_limit) -> None:
        for collector in self.settings.collectors:
            started = time.monotonic()
            try:
                await within_limit(collector.collect(self.page, artifacts, self.settings.collector_context))
            except TimeoutError:
                artifacts.collector_errors[collector.name] = "did not finish within the page time limit"
                raise
            except PlaywrightError as exc:
                if self.crashed or _looks_like_crash(str(exc)):
                    raise
                artifacts.collector_errors[collector.name] = str(exc).splitlines()[0][:300]
            except Exception as exc:  # noqa: BLE001 - one collector must not break the visit
                artifacts.collector_errors[collector.name] = f"{type(exc).__name__}: {exc}"[:300]
            artifacts.timings[f"collector_{collector.name}"] = round((time.monotonic() - started) * 1000, 1)

    async def _run_axe(self) -> Optional[dict[str, Any]]:
        options = {
            "runOnly": {"type": "tag", "values": list(self.settings.axe_tags)},
            "resultTypes": ["violations", "incomplete"],
            "iframes": True,
        }
        result = await self.page.evaluate(_AXE_RUN_JS, options)
        if result is None:
            return None
        cap = self.settings.max_nodes_per_rule
        for group in ("violations", "incomplete"):
            for rule in result.get(group, []):
                nodes = rule.get("nodes", [])
                rule["nodes_total"] = len(nodes)
                rule["nodes"] = [_trim_node(n) for n in nodes[:cap]]
        return result

    async def _read_cookies(self, artifacts: PageArtifacts) -> None:
        for cookie in await self.page.context.cookies():
            key = (cookie["name"], cookie["domain"], cookie["path"])
            first_time = key not in self._cookies_seen
            self._cookies_seen.add(key)
            expires = cookie.get("expires", -1)
            artifacts.cookies.append(
                CookieRecord(
                    name=cookie["name"][:200],
                    domain=cookie["domain"],
                    path=cookie["path"],
                    secure=cookie["secure"],
                    http_only=cookie["httpOnly"],
                    same_site=cookie.get("sameSite", ""),
                    expires=None if expires in (-1, None) else expires,
                    first_seen_on=artifacts.url if first_time else "",
                )
            )

    def _finish_traffic(self, artifacts: PageArtifacts) -> None:
        artifacts.requests = list(self._traffic.requests.values())
        artifacts.console = self._traffic.console


class _TooLarge(Exception):
    """The main document announced a body over the response size limit."""


def _megabytes(size: Optional[int]) -> str:
    return f"{(size or 0) / 1_000_000:.1f} MB"


def _trim_node(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "target": node.get("target", []),
        "html": (node.get("html") or "")[:1_000],
        "failureSummary": (node.get("failureSummary") or "")[:1_000],
        "impact": node.get("impact"),
    }


def _is_html(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("text/html", "application/xhtml+xml", "")


def _looks_like_crash(message: str) -> bool:
    lowered = message.lower()
    return "crash" in lowered or "target closed" in lowered or "browser has been closed" in lowered


_DOWNLOAD_STARTING = "Download is starting"
_AUTH_REQUIRED = "ERR_INVALID_AUTH_CREDENTIALS"  # a 401 asking for credentials we do not send

# Chromium's net error names mapped to the closed set of page statuses
_NET_ERRORS = {
    "ERR_NAME_NOT_RESOLVED": PageStatus.DNS_RESOLUTION_ERROR,
    "ERR_NAME_RESOLUTION_FAILED": PageStatus.DNS_RESOLUTION_ERROR,
    "ERR_CONNECTION_REFUSED": PageStatus.CONNECTION_REFUSED,
    "ERR_CONNECTION_RESET": PageStatus.CONNECTION_RESET,
    "ERR_CONNECTION_CLOSED": PageStatus.CONNECTION_RESET,
    "ERR_EMPTY_RESPONSE": PageStatus.CONNECTION_RESET,
    "ERR_TOO_MANY_REDIRECTS": PageStatus.TOO_MANY_REDIRECTS,
    "ERR_TIMED_OUT": PageStatus.TIMEOUT,
    "ERR_CONNECTION_TIMED_OUT": PageStatus.TIMEOUT,
    "ERR_CERT_": PageStatus.INVALID_SSL_CERT,
    "ERR_SSL_": PageStatus.INVALID_SSL_CERT,
    "ERR_BAD_SSL_CLIENT_AUTH_CERT": PageStatus.INVALID_SSL_CERT,
    _DOWNLOAD_STARTING: PageStatus.NOT_HTML,
    _AUTH_REQUIRED: PageStatus.BLOCKED,
}


def classify_navigation_error(message: str) -> tuple[PageStatus, str]:
    first_line = message.splitlines()[0] if message else "navigation failed"
    for needle, status in _NET_ERRORS.items():
        if needle in message:
            return status, first_line[:300]
    return PageStatus.ERROR, first_line[:300]
