"""The crawl frontier: which discovered URL is visited next, and why the others are not.

Breadth-first by depth, so a small page budget is spent on the pages closest to the home
page. Every discovered URL is accounted for: queued as a page, queued as a resource
(documents are recorded, not rendered), or skipped with a :class:`SkipReason`. Must-visit
pages (privacy, accessibility, cookies, contact, login) jump the queue and are admitted past
the page budget and the depth limit, a few per role, because site-level checks need them.

Pure bookkeeping, no I/O: robots rules come in as a callable, so it is tested without a network.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditor.model import SkippedUrl, SkipReason
from auditor.crawl.roles import ROLES, link_roles
from auditor.shared.urls import Scope, looks_like_document, normalize_url, url_key

__all__ = ["CrawlItem", "Frontier", "FrontierStats"]

# Soft skips can be lifted when the same URL is found again as a must-visit link.
_SOFT_SKIPS = frozenset({SkipReason.PAGE_BUDGET, SkipReason.DEPTH_LIMIT})
_ROLE_LINKS_KEPT = 5


@dataclass(frozen=True)
class CrawlItem:
    """One URL to visit: a page (rendered) or a resource (recorded only)."""

    url: str  # normalised
    depth: int
    found_on: str = ""  # "" for start URLs, "sitemap" for sitemap entries, else the page URL
    roles: tuple[str, ...] = ()
    link_text: str = ""
    is_resource: bool = False


@dataclass(frozen=True)
class FrontierStats:
    """Counters for a progress display."""

    discovered: int  # unique URLs seen, whatever became of them
    queued: int  # pages admitted
    visited: int  # pages handed out by next()
    remaining: int  # pages admitted but not yet handed out
    resources: int  # documents admitted to the resource queue
    skipped: int  # all skips, including those beyond the stored list's cap
    must_visit_extra: int  # must-visit pages admitted past the budget or depth limit


@dataclass
class Frontier:
    """BFS frontier over one site's scope.

    ``robots`` answers "may I fetch this URL?" (e.g. ``lambda u: rules.can_fetch(u, agent)``).
    ``max_pages`` counts admitted pages, start URLs included; ``max_depth`` None means no
    depth limit. Skips are all counted, but only the first ``max_skipped`` are kept.
    """

    scope: Scope
    max_pages: int = 50
    max_depth: int | None = None
    robots: Callable[[str], bool] | None = None
    must_visit_roles: Iterable[str] = ROLES
    must_visit_per_role: int = 2
    max_resources: int = 500
    max_skipped: int = 1000
    _pages: deque[str] = field(default_factory=deque, init=False, repr=False)
    _must: deque[str] = field(default_factory=deque, init=False, repr=False)
    _resources: deque[CrawlItem] = field(default_factory=deque, init=False, repr=False)
    _items: dict[str, CrawlItem] = field(default_factory=dict, init=False, repr=False)
    _roles: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _seen: set[str] = field(default_factory=set, init=False, repr=False)
    _skipped: dict[str, SkippedUrl] = field(default_factory=dict, init=False, repr=False)
    _soft_skipped: set[str] = field(default_factory=set, init=False, repr=False)
    _role_counts: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _role_links: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _queued: int = field(default=0, init=False)
    _visited: int = field(default=0, init=False)
    _resources_total: int = field(default=0, init=False)
    _skipped_total: int = field(default=0, init=False)
    _must_extra: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.must_visit_roles = tuple(self.must_visit_roles)

    # ------------------------------------------------------------------ adding

    def add_start(self, url: str) -> bool:
        """Add a start URL (depth 0), visited before anything else. It bypasses scope, the
        include/exclude patterns and the page budget, since without it there is nothing to
        audit, but not robots.txt."""
        return self._add(url, 0, "", "", is_start=True)

    def add(self, url: str, depth: int, found_on: str, link_text: str = "") -> bool:
        """Offer a discovered URL. True when it was queued (as a page or as a resource)."""
        return self._add(url, depth, found_on, link_text, is_start=False)

    def add_many(self, links: Iterable[tuple[str, str]], depth: int, found_on: str) -> int:
        """Offer ``(url, link_text)`` pairs found on one page; returns how many were queued."""
        return sum(self.add(url, depth, found_on, text) for url, text in links)

    def mark_seen(self, url: str) -> None:
        """Record a URL reached another way (the final URL after a redirect), so it is not
        visited a second time."""
        try:
            key = url_key(url)
        except ValueError:
            return
        self._seen.add(key)

    def is_seen(self, url: str) -> bool:
        try:
            return url_key(url) in self._seen
        except ValueError:
            return False

    def _add(self, raw_url: str, depth: int, found_on: str, link_text: str, is_start: bool) -> bool:
        raw_url = raw_url.strip()
        try:
            url = normalize_url(raw_url)
            key = url_key(url)
        except ValueError:
            if raw_url in self._seen:
                return False
            return self._skip(raw_url, raw_url, SkipReason.UNSUPPORTED_SCHEME, found_on)
        roles = link_roles(url, link_text)
        self._note_role_links(url, roles)
        if key in self._seen:
            return self._rediscover(key, url, depth, found_on, link_text, roles)
        self._seen.add(key)

        reason = None if is_start else self.scope.check(url)
        if reason is None and self.robots is not None and not self.robots(url):
            reason = SkipReason.ROBOTS_DISALLOWED
        if reason is not None:
            return self._skip(key, url, reason, found_on)

        if looks_like_document(url):
            return self._admit_resource(url, depth, found_on, link_text, roles)

        must = self._must_visit(roles)
        limit = None if is_start else self._limit_reason(depth)
        if limit is not None and not must:
            self._soft_skipped.add(key)
            return self._skip(key, url, limit, found_on)
        self._admit_page(key, url, depth, found_on, link_text, roles, must or is_start,
                         extra=limit is not None)
        return True

    def _rediscover(self, key: str, url: str, depth: int, found_on: str, link_text: str,
                    roles: list[str]) -> bool:
        """A URL seen before: merge roles into its queued item, or lift a soft skip when it
        now turns out to be a must-visit page."""
        if key in self._roles:
            merged = self._roles[key]
            merged.extend(r for r in roles if r not in merged)
            return False
        if key in self._soft_skipped and self._must_visit(roles):
            self._soft_skipped.discard(key)
            self._skipped.pop(key, None)  # may be absent when the stored list was full
            self._skipped_total -= 1
            self._admit_page(key, url, depth, found_on, link_text, roles, must=True, extra=True)
            return True
        return False

    def _note_role_links(self, url: str, roles: list[str]) -> None:
        for role in roles:
            urls = self._role_links.setdefault(role, [])
            if url_key(url) not in {url_key(seen) for seen in urls} and len(urls) < _ROLE_LINKS_KEPT:
                urls.append(url)

    def _limit_reason(self, depth: int) -> SkipReason | None:
        if self.max_depth is not None and depth > self.max_depth:
            return SkipReason.DEPTH_LIMIT
        if self._queued >= self.max_pages:
            return SkipReason.PAGE_BUDGET
        return None

    def _must_visit(self, roles: list[str]) -> bool:
        return any(
            role in self.must_visit_roles
            and self._role_counts.get(role, 0) < self.must_visit_per_role
            for role in roles
        )

    def _admit_page(self, key: str, url: str, depth: int, found_on: str, link_text: str,
                    roles: list[str], must: bool, extra: bool) -> None:
        self._items[key] = CrawlItem(url=url, depth=depth, found_on=found_on, link_text=link_text)
        self._roles[key] = list(roles)
        for role in roles:
            self._role_counts[role] = self._role_counts.get(role, 0) + 1
        (self._must if must else self._pages).append(key)
        self._queued += 1
        self._must_extra += int(extra)

    def _admit_resource(self, url: str, depth: int, found_on: str, link_text: str,
                        roles: list[str]) -> bool:
        if self._resources_total >= self.max_resources:
            return self._skip(url_key(url), url, SkipReason.NOT_HTML, found_on)
        self._resources.append(CrawlItem(url=url, depth=depth, found_on=found_on,
                                         roles=tuple(roles), link_text=link_text, is_resource=True))
        self._resources_total += 1
        return True

    def _skip(self, key: str, url: str, reason: SkipReason, found_on: str) -> bool:
        self._seen.add(key)
        self._skipped_total += 1
        if len(self._skipped) < self.max_skipped:
            self._skipped[key] = SkippedUrl(url=url, reason=reason, found_on=found_on)
        return False

    # ------------------------------------------------------------------ taking

    def next(self) -> CrawlItem | None:
        """The next page to visit: start and must-visit pages first, then breadth-first;
        None when done."""
        queue = self._must if self._must else self._pages
        if not queue:
            return None
        key = queue.popleft()
        item = self._items.pop(key)
        roles = tuple(self._roles.pop(key, ()))
        self._visited += 1
        return CrawlItem(url=item.url, depth=item.depth, found_on=item.found_on, roles=roles,
                         link_text=item.link_text)

    def claim(self, url: str) -> bool:
        """Take ``url`` out of the queue as already visited (resuming an interrupted run).
        True when it was queued; otherwise it is only marked seen, so it is never visited."""
        try:
            key = url_key(url)
        except ValueError:
            return False
        if key not in self._items:
            self._seen.add(key)
            return False
        for queue in (self._must, self._pages):
            if key in queue:
                queue.remove(key)
        self._items.pop(key)
        self._roles.pop(key, None)
        self._visited += 1
        return True

    def next_resource(self) -> CrawlItem | None:
        """The next document to record (HEAD or GET it, never render it); None when done."""
        return self._resources.popleft() if self._resources else None

    def skip_remaining(self, reason: SkipReason = SkipReason.TIME_BUDGET) -> list[SkippedUrl]:
        """Empty the page queues when the run stops early (time budget, Ctrl-C), turning
        every page still waiting into a skip with ``reason``; returns them."""
        dropped = []
        while (item := self.next()) is not None:
            self._visited -= 1
            self._skip(url_key(item.url), item.url, reason, item.found_on)
            dropped.append(SkippedUrl(url=item.url, reason=reason, found_on=item.found_on))
        return dropped

    # ------------------------------------------------------------------ reporting

    @property
    def skipped(self) -> list[SkippedUrl]:
        """Skipped URLs, unique, in discovery order, at most ``max_skipped``."""
        return list(self._skipped.values())

    @property
    def skipped_total(self) -> int:
        return self._skipped_total

    @property
    def remaining(self) -> int:
        return len(self._pages) + len(self._must)

    @property
    def pending_resources(self) -> int:
        return len(self._resources)

    def stats(self) -> FrontierStats:
        return FrontierStats(
            discovered=len(self._seen),
            queued=self._queued,
            visited=self._visited,
            remaining=self.remaining,
            resources=self._resources_total,
            skipped=self._skipped_total,
            must_visit_extra=self._must_extra,
        )

    @property
    def role_links(self) -> dict[str, list[str]]:
        """Every role-looking link seen, in or out of scope (first few per role), so the
        report can name a privacy statement hosted elsewhere or the login service used."""
        return {role: list(urls) for role, urls in self._role_links.items()}

