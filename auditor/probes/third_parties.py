"""The third-party hosts of every crawled page, with owner, category and country.

Fed one page at a time as the crawl gathers it (requests are recorded before
``--block-third-party`` aborts them, so attempted requests count), kept as one small record per
host, classified with Ghostery's tracker database. Pages with a form are noted: a script of
another site on a form page can read what the visitor types, and a form whose ``action`` points
to another host sends it there. Memory grows with the number of hosts, not of pages.
"""

from __future__ import annotations

import re
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

from auditor.model import PageArtifacts, ThirdPartyHost, ThirdPartyInventory, TrackerMatch
from auditor.probes.trackerdb import TrackerDb, TrackerDbMissing, load_trackerdb

PAGES_KEPT = 20
MAX_HOSTS = 500

_FORM_TAG = re.compile(r"<form\b([^>]*)>", re.IGNORECASE)
_ACTION = re.compile(r"""\baction\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def form_actions(page: PageArtifacts) -> list[str]:
    """Absolute action URLs of the page's forms (the page itself for a form without one)."""
    base = page.final_url or page.url
    actions = []
    for attributes in _FORM_TAG.findall(page.html or "")[:50]:
        match = _ACTION.search(attributes)
        action = next((g for g in match.groups() if g is not None), "") if match else ""
        try:
            actions.append(urljoin(base, action.strip()))
        except ValueError:
            continue
    return actions


class ThirdPartyLedger:
    def __init__(self, is_third_party: Callable[[str], bool], db: Optional[TrackerDb] = None, error: str = ""):
        self.is_third_party = is_third_party
        self.db = db
        self.error = error
        self.pages_total = 0
        self.pages_with_forms = 0
        self._hosts: dict[str, ThirdPartyHost] = {}
        self._self_hosted: dict[str, ThirdPartyHost] = {}
        self.form_page_urls: list[str] = []  # the first pages seen with a form (capped)

    @classmethod
    def with_installed_db(cls, is_third_party: Callable[[str], bool]) -> "ThirdPartyLedger":
        try:
            return cls(is_third_party, load_trackerdb())
        except TrackerDbMissing as exc:
            return cls(is_third_party, None, f"not classified: {exc}")

    def add_page(self, page: PageArtifacts) -> None:
        if not page.assessable:
            return
        self.pages_total += 1
        page_url = page.final_url or page.url
        actions = form_actions(page)
        if actions:
            self.pages_with_forms += 1
            if len(self.form_page_urls) < PAGES_KEPT:
                self.form_page_urls.append(page_url)
        touched: set[str] = set()
        for request in page.requests:
            url = request.url
            try:
                host = (urlsplit(url).hostname or "").lower()
            except ValueError:
                continue
            if not host:
                continue
            if request.third_party:
                entry = self._entry(self._hosts, host, host)
            else:
                match = self.db.lookup_path(url) if self.db is not None else None
                if match is None:
                    continue
                entry = self._entry(self._self_hosted, f"{host} {match.matched}", host, match)
            if entry is None:
                continue
            entry.requests += 1
            if id(entry) not in touched:
                touched.add(id(entry))
                entry.pages_total += 1
                if len(entry.pages) < PAGES_KEPT:
                    entry.pages.append(page_url)
                if actions:
                    entry.form_pages_total += 1
                    if len(entry.form_pages) < PAGES_KEPT:
                        entry.form_pages.append(page_url)
        for action in actions:
            if not action.startswith(("http:", "https:")) or not self.is_third_party(action):
                continue
            host = (urlsplit(action).hostname or "").lower()
            entry = self._entry(self._hosts, host, host)
            if entry is None:
                continue
            if len(entry.form_targets) < PAGES_KEPT and action not in entry.form_targets:
                entry.form_targets.append(action[:500])
            if id(entry) not in touched:  # the form page sends its data here even before a request
                touched.add(id(entry))
                entry.form_pages_total += 1
                if len(entry.form_pages) < PAGES_KEPT:
                    entry.form_pages.append(page_url)

    def _entry(self, table: dict[str, ThirdPartyHost], key: str, host: str,
               tracker: Optional[TrackerMatch] = None) -> Optional[ThirdPartyHost]:
        """The record under ``key``, made on first sight; a self-hosted tracker comes with the
        path match its caller already made, a third-party host is looked up by name once."""
        entry = table.get(key)
        if entry is None:
            if len(table) >= MAX_HOSTS:
                return None
            if tracker is None and self.db is not None:
                tracker = self.db.lookup_host(host)
            entry = table[key] = ThirdPartyHost(host=host, tracker=tracker)
        return entry

    def inventory(self) -> ThirdPartyInventory:
        ranked = sorted(self._hosts.values(), key=lambda h: (-h.pages_total, h.host))
        return ThirdPartyInventory(
            trackerdb=self.db.source if self.db is not None else "",
            error=self.error,
            pages_total=self.pages_total,
            pages_with_forms=self.pages_with_forms,
            hosts=ranked,
            self_hosted=sorted(self._self_hosted.values(), key=lambda h: h.host),
        )
