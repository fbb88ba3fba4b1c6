"""Politeness: how hard the crawl may press a host, and when a page is worth asking again.

At most ``--concurrency`` pages at once (the worker count), request starts on one host spaced by
``--delay`` (raised by robots.txt's ``Crawl-delay``, up to 10 s), and one retry of a page that
answered 429/5xx, after its ``Retry-After`` or a short backoff.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Optional

from auditor.crawl.http import parse_retry_after
from auditor.model import PageArtifacts
from auditor.shared.urls import host_of

MAX_CRAWL_DELAY_S = 10.0  # a robots.txt Crawl-delay above this is not honoured in full
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_WAIT_S = 30.0
DEFAULT_RETRY_WAIT_S = 2.0


@dataclass
class Politeness:
    """Spaces request starts on one host by ``delay_s`` (concurrency is the worker count)."""

    delay_s: float
    _next_start: dict[str, float] = field(default_factory=dict)

    def honour_crawl_delay(self, crawl_delay: Optional[float]) -> None:
        if crawl_delay:
            self.delay_s = max(self.delay_s, min(crawl_delay, MAX_CRAWL_DELAY_S))

    async def wait_turn(self, url: str) -> None:
        """Wait until the host of ``url`` may be asked again."""
        host = host_of(url) or url
        now = time.monotonic()
        start = max(now, self._next_start.get(host, now))
        self._next_start[host] = start + self.delay_s
        if start > now:
            await asyncio.sleep(start - now)


def retry_wait(page: PageArtifacts) -> Optional[float]:
    """Seconds to wait before visiting a page again, or None when a retry would not help.
    A Retry-After longer than the cap is not waited for: the page stays blocked."""
    if page.http_status not in RETRYABLE_STATUSES or page.bot_challenge:
        return None  # a bot challenge answers the same way a second later
    wait = parse_retry_after(page.headers.get("retry-after"))
    if wait is None:
        return DEFAULT_RETRY_WAIT_S
    return wait if wait <= MAX_RETRY_WAIT_S else None
