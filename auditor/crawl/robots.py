"""robots.txt: fetched once per site and honoured for every URL the crawler visits.

Parsing is Protego's (Scrapy's maintained parser, which follows Google's rules: longest
match wins, ``*`` and ``$`` wildcards). Fetch failures follow Google's convention too: a 4xx
means "no rules" (allow all), while a 5xx, a 429 or an unreachable server means "do not
crawl", because we cannot know what the site wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from protego import Protego

from auditor.crawl.http import fetch
from auditor.model import RobotsInfo

__all__ = ["RobotsRules", "fetch_robots", "robots_url", "MAX_ROBOTS_BYTES"]

# Google reads the first 500 KiB and ignores the rest; a huge file is not a reason to hang.
MAX_ROBOTS_BYTES = 500 * 1024

# A path no site is likely to allow specifically: used to tell "Disallow: /" apart from a
# rule that only blocks the home page.
_PROBE_PATH = "/auditor-robots-probe/page"


@dataclass
class RobotsRules:
    """A parsed robots.txt, or a blanket allow/disallow when there was none to parse."""

    _parser: Protego | None = None
    _blanket_allow: bool = True
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        text = text.lstrip("\ufeff")[:MAX_ROBOTS_BYTES]
        return cls(_parser=Protego.parse(text), text=text)

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls(_parser=None, _blanket_allow=True)

    @classmethod
    def disallow_all(cls) -> RobotsRules:
        return cls(_parser=None, _blanket_allow=False)

    def can_fetch(self, url: str, user_agent: str) -> bool:
        """May ``user_agent`` fetch ``url``? Groups are matched on the agent's product token
        (``auditor`` inside ``Mozilla/5.0 (compatible; auditor/1.0; …)``)."""
        if self._parser is None:
            return self._blanket_allow
        return bool(self._parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None

    @property
    def sitemaps(self) -> list[str]:
        if self._parser is None:
            return []
        return list(dict.fromkeys(self._parser.sitemaps))

    def disallows_everything(self, user_agent: str, site_url: str = "http://site.invalid/") -> bool:
        """True when neither the home page nor an arbitrary page may be fetched: the site
        asks not to be crawled at all (typically ``Disallow: /``)."""
        root = _root_of(site_url)
        return not self.can_fetch(root + "/", user_agent) and not self.can_fetch(
            root + _PROBE_PATH, user_agent
        )


def robots_url(site_url: str) -> str:
    """``https://www.x.be/a/b?c`` → ``https://www.x.be/robots.txt``."""
    return _root_of(site_url) + "/robots.txt"


def _root_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


async def fetch_robots(
    client: httpx.AsyncClient, site_url: str, user_agent: str, retries: int = 1
) -> tuple[RobotsInfo, RobotsRules]:
    """Fetch and parse the site's robots.txt; never raises for network trouble.

    Returns what the report shows (:class:`RobotsInfo`) and the rules the frontier obeys.
    """
    url = robots_url(site_url)
    result = await fetch(client, url, retries=retries, max_wait=10.0, max_bytes=MAX_ROBOTS_BYTES)
    response = result.response
    if response is None:
        info = RobotsInfo(url=url, disallows_everything=True,
                          error=f"robots.txt unreachable ({result.error}); not crawling to be safe")
        return info, RobotsRules.disallow_all()
    status = response.status_code
    if status == 429 or status >= 500:
        info = RobotsInfo(url=url, http_status=status, disallows_everything=True,
                          error=f"robots.txt answered HTTP {status}; not crawling to be safe")
        return info, RobotsRules.disallow_all()
    if status >= 400:
        note = "" if status in (404, 410) else (
            f"robots.txt answered HTTP {status}; treated as allow-all"
        )
        return RobotsInfo(url=url, http_status=status, error=note), RobotsRules.allow_all()
    rules = RobotsRules.parse(_decode(response.content))
    info = RobotsInfo(
        url=url,
        http_status=status,
        found=True,
        sitemaps=rules.sitemaps,
        crawl_delay=rules.crawl_delay(user_agent),
        disallows_everything=rules.disallows_everything(user_agent, site_url),
    )
    return info, rules


def _decode(content: bytes) -> str:
    return content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
