"""Gather: ONE browser visit per page produces the ``PageArtifacts`` every check reads.

The visit loads the page, records the network traffic and console while it loads, reads the
rendered DOM in a single ``evaluate`` call, and runs axe-core (injected into every frame as an
init script, so iframes are covered).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

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
    text: text.slice(0, maxText),
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
    max_nodes_per_rule: int = 50
    settle_ms: int = 0  # extra wait after load for late widgets
    collectors: tuple = ()  # auditor.collectors.Collector, run in order after axe
    collector_context: Any = None  # auditor.collectors.CollectorContext


class PageCrashed(RuntimeError):
    """The renderer died while visiting a page; the caller restarts and retries once."""


@dataclass
class _Traffic:
    """Network and console events of the page currently being visited."""

    requests: dict[Request, RequestRecord] = field(default_factory=dict)
    console: list[ConsoleMessage] = field(default_factory=list)
    document: Optional[Response] = None  # the main frame's last document response


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

    async def _on_request_done(self, request: Request) -> None:
        record = self._traffic.requests.get(request)
        if record is None:
            return
        try:
            response = await request.response()
            if response is not None:
                record.status = response.status
                length = response.headers.get("content-length")
                if length and length.isdigit():
                    record.size = int(length)
        except PlaywrightError:
            pass

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
        try:
            if response.request.resource_type == "document" and response.frame == self.page.main_frame:
                self._traffic.document = response
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
            response = await self.page.goto(
                url, wait_until="load", timeout=self.settings.page_timeout_s * 1000
            )
        except PlaywrightTimeout:
            artifacts.status = PageStatus.TIMEOUT
            artifacts.error = f"page did not load within {self.settings.page_timeout_s:g} s"
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
                if self.settings.settle_ms:
                    await self.page.wait_for_timeout(self.settings.settle_ms)
                await self._read_dom(artifacts)
                if self.settings.run_axe:
                    artifacts.axe = await self._run_axe()
                await self._run_collectors(artifacts)
                await self._read_cookies(artifacts)
            except PlaywrightError as exc:
                if self.crashed or _looks_like_crash(str(exc)):
                    raise PageCrashed(str(exc).splitlines()[0]) from exc
                artifacts.status = PageStatus.ERROR
                artifacts.error = f"reading the page failed: {str(exc).splitlines()[0][:300]}"
        artifacts.timings["visit"] = round((time.monotonic() - started) * 1000, 1)
        self._finish_traffic(artifacts)
        return artifacts

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
        if data["linksTotal"] > len(artifacts.links):
            artifacts.timings["links_dropped"] = float(data["linksTotal"] - len(artifacts.links))
        artifacts.timings.update({k: round(v, 1) for k, v in data["timings"].items() if v})

    async def _run_collectors(self, artifacts: PageArtifacts) -> None:
        for collector in self.settings.collectors:
            started = time.monotonic()
            try:
                await collector.collect(self.page, artifacts, self.settings.collector_context)
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
}


def classify_navigation_error(message: str) -> tuple[PageStatus, str]:
    first_line = message.splitlines()[0] if message else "navigation failed"
    for needle, status in _NET_ERRORS.items():
        if needle in message:
            return status, first_line[:300]
    return PageStatus.ERROR, first_line[:300]
