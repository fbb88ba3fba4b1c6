"""Audit one site end to end: probe → crawl and gather → check → score → write.

Pages stream through: each page is gathered by one browser visit, checked, appended to the
artifacts file and dropped; only page summaries and the running check aggregates stay in
memory, so memory does not grow with the size of the site.
"""

from __future__ import annotations

import asyncio
import signal
import ssl
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

from auditor import __version__
from auditor.crawl.address_guard import AddressGuard
from auditor.gather.browser import BrowserSession, BrowserSettings, axe_version, chromium_version, find_chromium
from auditor.probes.consent import ConsentProbeSettings, probe_consent
from auditor.gather.collectors import CollectorContext, load_collectors
from auditor.score.evaluate import Evaluator, build_report
from auditor.score.framework import Framework, load_checks_and_framework  # noqa: F401 - re-exported
from auditor.score.reducers import Reduction
from auditor.crawl.frontier import Frontier
from auditor.gather.page_visit import GatherSettings, PageCrashed, PageVisitor
from auditor.crawl.http import make_client
from auditor.crawl.politeness import Politeness, retry_wait
from auditor.gather.request_guard import RequestGuard
from auditor.probes.login import probe_login_links
from auditor.probes.documents import probe_resource, sample_documents
from auditor.run.occurrences import OccurrenceLog
from auditor.model import (
    BrokenLink,
    ConsentProbe,
    Method,
    PageArtifacts,
    PageStatus,
    PageSummary,
    ResourceRecord,
    Site,
    SiteArtifacts,
    SiteReport,
    SkipReason,
    SkippedUrl,
    utc_now,
)
from auditor.probes.site import probe_site
from auditor.run.redact import redact_model
from auditor.run.run_folder import RunFolder
from auditor.settings import AuditSettings
from auditor.probes.third_parties import ThirdPartyLedger
from auditor.probes.trackerdb import data_sources
from auditor.shared.urls import FirstParty, Scope, url_key
from checks.registry import CheckContext

BROKEN_LINK_STATUSES = frozenset({404, 410}) | frozenset(range(500, 600))
MAX_RESOURCES_PROBED = 200
# A reused page's renderer keeps growing (V8 heap, caches of the pages it showed): it is closed
# and replaced by a fresh one after this many visits, which bounds the browser's peak memory
VISITS_PER_PAGE = 25


@dataclass
class Progress:
    """What the live display shows."""

    discovered: int = 0
    visited: int = 0
    remaining: int = 0
    errors: int = 0
    current: str = ""
    phase: str = "starting"


ProgressCallback = Callable[[Progress], None]


def method_for(settings: AuditSettings, framework: Framework, browser_version: str = "") -> Method:
    executable = find_chromium(settings.chromium)
    return Method(
        tool_version=__version__,
        framework_id=framework.id,
        framework_version=framework.version,
        axe_version=axe_version(),
        browser="chromium",
        browser_version=browser_version or chromium_version(executable),
        user_agent=settings.user_agent,
        settings=settings.as_method_settings(),
        data_sources=data_sources(),
    )


def new_run_id() -> str:
    """A run's id: 12 hex digits, also the name of its folder in a fleet scan."""
    return uuid.uuid4().hex[:12]


class SiteAudit:
    def __init__(
        self,
        site: Site,
        settings: AuditSettings,
        folder: RunFolder,
        on_progress: Optional[ProgressCallback] = None,
        resume: bool = False,
        run_id: Optional[str] = None,
    ):
        self.resume = resume
        self.site = site
        self.settings = settings
        self.folder = folder
        self.on_progress = on_progress or (lambda progress: None)
        self.progress = Progress()
        self.run_id = run_id or new_run_id()
        self.checks, self.framework = load_checks_and_framework(settings.framework)
        self.scope = Scope(
            site.start_urls,
            include_subdomains=settings.include_subdomains,
            include=settings.include,
            exclude=settings.exclude,
        )
        self.artifacts = SiteArtifacts(site=site)
        self._reduction = Reduction(self.artifacts)  # values derived from page content, as rescore derives them
        self._is_third_party = FirstParty(site.start_urls).is_third_party
        self._third_parties = ThirdPartyLedger.with_installed_db(self._is_third_party)
        self.evaluator = Evaluator(self.checks, CheckContext(site=site, settings=settings.as_method_settings()))
        self.notes: list[str] = []
        self._occurrences: Optional[OccurrenceLog] = None  # opened in run(), in the run's own folder
        # collectors switched off in the settings (e.g. --no-mobile) are left out
        self._collectors = tuple(c for c in load_collectors() if c.name not in set(settings.skip_collectors))
        self._partial = False
        self._politeness = Politeness(settings.delay_s)
        self._in_flight = 0
        self._stopped_early: list[SkippedUrl] = []
        self._visiting: set = set()  # items being visited now: skipped if the run stops early
        self._wakeup = asyncio.Condition()
        self._session: Optional[BrowserSession] = None
        self._frontier: Optional[Frontier] = None
        self._deadline = 0.0
        # SSRF: private addresses outside the audited site are never reached
        self._guard = AddressGuard(site.start_urls, settings.resolve)
        self._request_guard = RequestGuard(self._guard, self._is_third_party,
                                           abort_third_parties=settings.third_party == "abort")

    # ----------------------------------------------------------------- the run

    async def run(self) -> SiteReport:
        started_at = utc_now()
        self._deadline = time.monotonic() + self.settings.time_budget_s
        method = method_for(self.settings, self.framework)
        if self.resume:
            meta = self.folder.read_run_meta()
            self.run_id, started_at = meta["run_id"], datetime.fromisoformat(meta["started_at"])
            kept = self.folder.reopen()
            self.notes.append(f"resumed an interrupted run: {kept} page(s) gathered before were kept")
        else:
            self.folder.create()
            self.folder.write_run_meta(
                {"run_id": self.run_id, "site": self.site.model_dump(mode="json"),
                 "method": method.model_dump(mode="json"), "started_at": started_at.isoformat()}
            )
        self._occurrences = OccurrenceLog(self.folder.artifacts)
        _cancel_on_sigterm()
        try:
            await self._crawl_and_gather()
        except asyncio.CancelledError:
            # Ctrl-C: keep what was gathered, mark the result partial
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            self._partial = True
            self.notes.append("interrupted: the results cover the pages gathered before the interruption")
            self._skip_remaining(SkipReason.INTERRUPTED)
        if self._session is not None and self._session.browser is not None:
            method.browser_version = self._session.version or method.browser_version
        self.progress.phase = "scoring"
        self.on_progress(self.progress)
        if self._frontier is not None:
            self.artifacts.skipped = self._frontier.skipped
        self.artifacts.skipped += self._stopped_early
        self.artifacts.skipped += self._refused_private()
        self.artifacts.third_parties = self._third_parties.inventory()
        self.artifacts.limits_hit = self._limits_hit()
        self._reduction.finish()
        self.folder.write_site(self.artifacts)
        results = self.evaluator.finish(self.artifacts)
        # what is written and shown never carries credentials from the site's URLs
        return redact_model(build_report(
            run_id=self.run_id,
            site=self.artifacts,
            results=results,
            framework=self.framework,
            checks=self.checks,
            method=method,
            started_at=started_at,
            finished_at=utc_now(),
            partial=self._partial,
            notes=self.notes,
        ))

    async def _crawl_and_gather(self) -> None:
        settings = self.settings
        async with make_client(
            user_agent=settings.user_agent,
            timeout=min(settings.page_timeout_s, 20.0),
            resolve=settings.resolve,
            verify=_tls_verification(settings.ca_bundle),
            guard=self._guard,
            max_response_bytes=settings.max_response_bytes,
            response_deadline_s=settings.page_timeout_s,
        ) as client:
            self._session = BrowserSession(
                BrowserSettings(
                    executable=find_chromium(settings.chromium),
                    user_agent=settings.user_agent,
                    resolve=settings.resolve,
                    # Chromium cannot be handed a CA file: with --ca-bundle it accepts the
                    # certificate, and the TLS probe (which does use the file) judges it
                    ignore_https_errors=settings.ignore_https_errors or bool(settings.ca_bundle),
                ),
                route_installer=self._request_guard.install,
            )
            # Chromium starts while the site is probed over HTTP: neither waits for the other
            browser_started = asyncio.ensure_future(self._session.start())
            self.progress.phase = "probing"
            self.on_progress(self.progress)
            try:
                await self._probe_and_plan(client)
            except BaseException:
                browser_started.cancel()
                await asyncio.gather(browser_started, return_exceptions=True)
                await asyncio.shield(self._session.close())
                raise
            self.progress.phase = "crawling"
            try:
                await browser_started
                workers = [asyncio.create_task(self._page_worker()) for _ in range(max(1, settings.concurrency))]
                workers.append(asyncio.create_task(self._resource_worker(client)))
                remaining = self._deadline - time.monotonic()
                try:
                    done, pending = await asyncio.wait(workers, timeout=max(remaining, 0.1))
                except asyncio.CancelledError:
                    # stop the workers before the browser closes under them
                    await _cancel_all(workers)
                    raise
                for task in done:
                    if task.exception() is not None:
                        raise task.exception()
                if pending:
                    self._partial = True
                    self.notes.append(f"time budget of {settings.time_budget_s:g} s reached: the crawl stopped early")
                    await _cancel_all(pending)
                    self._skip_remaining(SkipReason.TIME_BUDGET)
                # login links followed without credentials (ACM/IDM, CSAM, own accounts…)
                self.artifacts.login_probes = await probe_login_links(
                    client, self.artifacts, self._frontier.role_links.get("login", []))
                # cookies, storage and trackers before consent, and the banner's reject and accept paths
                # (only on a home page the crawl was allowed to and could load)
                home = self._gathered_home() if settings.consent_pages >= 0 else None
                if settings.consent_pages >= 0 and home is None:
                    self.artifacts.consent = ConsentProbe(
                        skipped="the crawl could not load the home page (robots.txt, blocked or unreachable)")
                elif home is not None:
                    self.progress.phase = "consent"
                    self._report_progress()
                    home_url = home.final_url or home.url
                    self.artifacts.consent = await probe_consent(
                        self._session.fresh_context, home_url, self._consent_sample(home_url),
                        self._is_third_party,
                        ConsentProbeSettings(sample_pages=settings.consent_pages, page_timeout_s=settings.page_timeout_s),
                        prepare_page=self._request_guard.guard_redirect_hops,
                    )
                # a bounded sample of the linked PDFs, downloaded and parsed (never opened)
                self.artifacts.documents = await sample_documents(
                    client, self.artifacts.resources, max_bytes=settings.max_document_bytes,
                    before_each=self._politeness.wait_turn)
            finally:
                await asyncio.shield(self._session.close())

    async def _probe_and_plan(self, client) -> None:
        """The HTTP probe of the site (robots.txt, sitemaps, transport, TLS, security.txt) and
        the crawl's frontier seeded from it."""
        settings = self.settings
        probe = await probe_site(client, self.site, settings.user_agent, max_sitemap_urls=settings.max_sitemap_urls,
                                 resolve=settings.resolve, ca_bundle=settings.ca_bundle)
        self.artifacts.robots = probe.robots_info
        self.artifacts.sitemaps = probe.sitemaps
        self.artifacts.probes = probe.transport
        self.artifacts.tls = probe.tls
        self.artifacts.security_txt = probe.security_txt
        self.notes += [f"the HTTP probe of {t.url} met a {t.error}" for t in probe.transport if t.bot_challenge]
        if probe.robots_info is not None and probe.robots_info.disallows_everything:
            self.notes.append("robots.txt disallows every page for our User-Agent: nothing was crawled")
        self._frontier = Frontier(
            scope=self.scope,
            robots=self._robots_rule(probe),
            max_pages=settings.max_pages,
            max_depth=settings.max_depth,
        )
        for url in self.site.start_urls:
            self._frontier.add_start(url)
        for url in probe.sitemap_urls:
            self._frontier.add(url, depth=1, found_on="sitemap")
        if self.resume:
            self._replay_gathered_pages()
        if probe.robots_info is not None:
            self._politeness.honour_crawl_delay(probe.robots_info.crawl_delay)

    def _robots_rule(self, probe) -> Callable[[str], bool]:
        """robots.txt decides, except that when the host could not be reached at all the
        start URLs are still tried, so the report names the real failure (DNS, refused…)
        instead of blaming robots.txt."""
        user_agent = self.settings.user_agent
        robots = probe.robots_info
        if robots is not None and robots.disallows_everything and robots.http_status is None:
            start_keys = {url_key(u) for u in self.site.start_urls}
            return lambda url: url_key(url) in start_keys
        return lambda url: probe.robots_allows(url, user_agent)

    # ----------------------------------------------------------------- pages

    async def _page_worker(self) -> None:
        assert self._session is not None and self._frontier is not None
        visitor = await self._new_visitor()
        while True:
            item = self._frontier.next()
            if item is None:
                async with self._wakeup:
                    if self._in_flight == 0 and not self._frontier.remaining:
                        self._wakeup.notify_all()
                        await _close_quietly(visitor.page)  # its renderer is not kept through the consent probe
                        return
                    await self._wakeup.wait()
                continue
            self._in_flight += 1
            self._visiting.add(item)
            try:
                self.progress.current = item.url
                self._report_progress()
                await self._politeness.wait_turn(item.url)
                page, visitor = await self._visit_with_crash_retry(visitor, item)
                wait = retry_wait(page)
                if wait is not None:  # 429/503/5xx: once more, after Retry-After or a backoff
                    await asyncio.sleep(wait)
                    page, visitor = await self._visit_with_crash_retry(visitor, item)
                if visitor.visits >= VISITS_PER_PAGE:
                    visitor = await self._replace_visitor(visitor)
                self._take_page(page)
                self._visiting.discard(item)  # kept when cancelled: it becomes a skip
            finally:
                self._in_flight -= 1
                async with self._wakeup:
                    self._wakeup.notify_all()

    async def _new_visitor(self) -> PageVisitor:
        assert self._session is not None
        if not self._session.alive:
            await self._session.restart()
        page = await self._session.new_page()
        await self._request_guard.guard_redirect_hops(page)
        gather_settings = GatherSettings(
            page_timeout_s=self.settings.page_timeout_s,
            axe_tags=self.settings.axe_tags,
            max_dom_bytes=self.settings.max_dom_bytes,
            max_text_chars=self.settings.max_text_chars,
            max_links=self.settings.max_links,
            max_response_bytes=self.settings.max_response_bytes,
            collectors=self._collectors,
            collector_context=CollectorContext(
                settings=self.settings.as_method_settings(), evidence_dir=str(self.folder.evidence)
            ),
        )
        return PageVisitor(page, gather_settings, self._is_third_party)

    async def _visit_with_crash_retry(self, visitor: PageVisitor, item) -> tuple[PageArtifacts, PageVisitor]:
        """A renderer crash gets one retry on a fresh page (and browser, if it died); a second
        crash records the page as ``browser_crash`` so it is never silently lost."""
        for attempt in (1, 2):
            try:
                page = await visitor.visit(item.url, depth=item.depth, found_on=item.found_on, roles=item.roles)
                if page.status == PageStatus.TIMEOUT or visitor.hung:
                    visitor = await self._replace_visitor(visitor, hung=True)
                elif visitor.spoiled:
                    visitor = await self._replace_visitor(visitor)
                return page, visitor
            except PageCrashed as exc:
                message = str(exc)
                visitor = await self._replace_visitor(visitor)
                if attempt == 2:
                    self.notes.append(f"the browser crashed twice on {item.url}; the page is recorded as browser_crash")
                    return (
                        PageArtifacts(
                            url=item.url, depth=item.depth, found_on=item.found_on, roles=list(item.roles),
                            status=PageStatus.BROWSER_CRASH, error=f"browser crashed: {message}"[:300],
                        ),
                        visitor,
                    )
        raise AssertionError("unreachable")

    async def _replace_visitor(self, visitor: PageVisitor, *, hung: bool = False) -> PageVisitor:
        """Close the visitor's page (crashed, stuck on an error page, or ``hung`` after a timeout
        while still running script such as ``while (true) {}``) without its unload handlers, and
        open a fresh one; a hung page that cannot even be closed gets the browser restarted."""
        try:
            await asyncio.wait_for(visitor.page.close(run_before_unload=False), timeout=10)
        except Exception:  # noqa: BLE001 - the page is already gone, or wedged
            if hung:
                assert self._session is not None
                await self._session.restart()
        return await self._new_visitor()

    def _replay_gathered_pages(self) -> None:
        """Resume: the pages an interrupted run gathered are taken from its artifacts, in the
        order they were visited, so their links rebuild the queue and none is visited twice."""
        assert self._frontier is not None
        for page in self.folder.iter_pages():
            self._frontier.claim(page.url)
            self._take_page(page, replayed=True)

    def _take_page(self, page: PageArtifacts, replayed: bool = False) -> None:
        """Record one gathered page: artifacts to disk, checks, summary, new links."""
        assert self._frontier is not None
        if not replayed:
            self.folder.append_page(page)
        self._occurrences.add(self.evaluator.add_page(page))
        self._reduction.add_page(page)
        self._third_parties.add_page(page)
        if page.final_url and page.final_url != page.url:
            self._frontier.mark_seen(page.final_url)
        if page.status == PageStatus.OK:
            base_depth = page.depth + 1
            for link in page.links:
                self._frontier.add(link.url, depth=base_depth, found_on=page.final_url or page.url, link_text=link.text)
        elif page.status == PageStatus.NOT_HTML:
            self.artifacts.resources.append(
                ResourceRecord(url=page.url, content_type=page.content_type, http_status=page.http_status,
                               linked_from=page.found_on)
            )
        else:
            self.progress.errors += 1
            if (page.http_status in BROKEN_LINK_STATUSES and page.found_on not in ("", "sitemap")
                    and not page.bot_challenge):  # a challenge's 503 is the WAF's, not a broken link
                self._add_broken_link(page.url, page.http_status, page.error, page.found_on)
        self.progress.visited += 1
        self._report_progress()

    def _add_broken_link(self, url: str, status: Optional[int], error: str, linked_from: str) -> None:
        for broken in self.artifacts.broken_links:
            if broken.url == url:
                if linked_from not in broken.linked_from:
                    broken.linked_from.append(linked_from)
                return
        self.artifacts.broken_links.append(
            BrokenLink(url=url, http_status=status, error=error, linked_from=[linked_from])
        )

    # ----------------------------------------------------------------- documents

    async def _resource_worker(self, client) -> None:
        """Documents (PDF, office files…) are recorded with a HEAD request, never rendered or
        run; they are probed alongside the page workers."""
        assert self._frontier is not None
        probed = 0
        while True:
            item = self._frontier.next_resource()
            if item is None:
                if self._in_flight == 0 and not self._frontier.remaining:
                    return
                await asyncio.sleep(0.05)
                continue
            if probed >= MAX_RESOURCES_PROBED:
                self.artifacts.resources.append(ResourceRecord(url=item.url, linked_from=item.found_on))
                continue
            probed += 1
            await self._politeness.wait_turn(item.url)
            record = await probe_resource(client, item.url, item.found_on)
            if record.http_status in BROKEN_LINK_STATUSES and item.found_on not in ("", "sitemap"):
                self._add_broken_link(item.url, record.http_status, f"HTTP {record.http_status}", item.found_on)
            self.artifacts.resources.append(record)

    # ----------------------------------------------------------------- helpers

    def _gathered_home(self) -> Optional[PageSummary]:
        """The start page as the crawl loaded it (its final URL after redirects), or None."""
        start = url_key(self.site.start_urls[0])
        return next((page for page in self.artifacts.pages
                     if url_key(page.url) == start and page.status == PageStatus.OK), None)

    def _consent_sample(self, home_url: str) -> list[str]:
        """Pages measured before consent besides the home page: pages with a form first (their
        visitors type personal data), then the others in the order they were visited."""
        home = url_key(home_url)
        ok = [page for page in self.artifacts.pages if page.status == PageStatus.OK
              and url_key(page.final_url or page.url) != home and url_key(page.url) != home]
        with_forms = set(self._third_parties.form_page_urls)
        ok.sort(key=lambda page: (page.final_url or page.url) not in with_forms)
        chosen: list[str] = []
        for page in ok:
            address = page.final_url or page.url
            if address not in chosen:
                chosen.append(address)
        return chosen

    def _limits_hit(self) -> dict[str, int]:
        """How often each limit was hit in this run: per page, per document, the time budget."""
        counts: Counter[str] = Counter(name for page in self.artifacts.pages for name in page.limits_hit)
        too_large = sum(1 for doc in self.artifacts.documents
                        if doc.size is not None and doc.size > self.settings.max_document_bytes)
        if too_large:
            counts["max_document_bytes"] = too_large
        if any(skip.reason == SkipReason.TIME_BUDGET for skip in self.artifacts.skipped):
            counts["time_budget_s"] = 1
        return dict(sorted(counts.items()))

    def _refused_private(self) -> list[SkippedUrl]:
        """The requests the SSRF guard refused, recorded as skipped (each once, capped)."""
        unique = list(dict.fromkeys(self._guard.refused))[:MAX_REFUSED_RECORDED]
        return [SkippedUrl(url=target, reason=SkipReason.PRIVATE_ADDRESS) for target in unique]

    def _skip_remaining(self, reason: SkipReason) -> None:
        if self._frontier is not None:
            self._frontier.skip_remaining(reason)
        self._stopped_early = [
            SkippedUrl(url=item.url, reason=reason, found_on=item.found_on) for item in self._visiting
        ]
        self._visiting.clear()

    def _report_progress(self) -> None:
        if self._frontier is not None:
            stats = self._frontier.stats()
            self.progress.discovered = stats.discovered
            self.progress.remaining = stats.remaining
        self.on_progress(self.progress)


MAX_REFUSED_RECORDED = 200
async def _close_quietly(page) -> None:
    try:
        await asyncio.wait_for(page.close(run_before_unload=False), timeout=10)
    except Exception:  # noqa: BLE001 - already gone with a crashed browser
        pass


async def _cancel_all(tasks) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _cancel_on_sigterm() -> None:
    """SIGTERM (systemd, Kubernetes) stops the crawl like Ctrl-C: partial results are kept."""
    task = asyncio.current_task()
    if task is None:
        return
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    except (NotImplementedError, RuntimeError, ValueError):
        pass  # not the main thread, or a platform without signal handlers


def _tls_verification(ca_bundle: Optional[str]) -> ssl.SSLContext | bool:
    """The system trust store, plus the given CA file (a staging server's or a test CA)."""
    if not ca_bundle:
        return True
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=ca_bundle)
    return context


async def audit_site(
    site: Site, settings: AuditSettings, out_dir: Path | str, on_progress: Optional[ProgressCallback] = None
) -> SiteReport:
    """Audit one site and return its report; artifacts are written to ``out_dir/artifacts``."""
    audit = SiteAudit(site, settings, RunFolder(out_dir), on_progress)
    return await audit.run()
