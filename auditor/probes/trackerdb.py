"""Ghostery's tracker database, installed from npm (``@ghostery/trackerdb``), as lookups.

The database is a maintained data set, not a list of ours: ``dist/trackerdb.db`` is an SQLite
file (tables ``trackers``, ``tracker_domains``, ``companies`` with a ``country``, ``categories``)
read with Python's ``sqlite3``, and ``dist/trackerdb.json`` holds the adblock-style filters of
each tracker, of which the plain path filters (``/matomo.js``, ``/piwik.php``…) are used to
recognise trackers served from the site's own host. Its licence is CC-BY-NC-SA-4.0: it is
installed as a dependency by ``make setup`` (``npm ci``) and never copied into this repository.

A host matches when it or one of its parent domains is a tracker domain (``www.google-analytics.com``
matches ``google-analytics.com``); the longest match wins. Only the engine imports this module:
checks receive the matches inside the artifacts.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from auditor.shared.paths import NODE_MODULES_DIR
from auditor.model import TrackerMatch
from auditor.shared.trackers import CONSENT_CATEGORY, EEA_COUNTRIES, TRACKING_CATEGORIES, is_tracking, outside_eea

__all__ = [
    "TRACKERDB_PACKAGE",
    "AUTOCONSENT_PACKAGE",
    "TRACKING_CATEGORIES",
    "CONSENT_CATEGORY",
    "EEA_COUNTRIES",
    "TrackerDbMissing",
    "TrackerDb",
    "node_modules_dir",
    "npm_package",
    "load_trackerdb",
    "is_tracking",
    "outside_eea",
    "data_sources",
]

TRACKERDB_PACKAGE = "@ghostery/trackerdb"
AUTOCONSENT_PACKAGE = "@duckduckgo/autoconsent"

class TrackerDbMissing(RuntimeError):
    """The npm package is not installed (or unreadable); the message is one line."""


def node_modules_dir() -> Path:
    """Where ``npm ci`` installed the packages: ``$AUDITOR_NODE_MODULES`` or the repository's."""
    explicit = os.environ.get("AUDITOR_NODE_MODULES")
    if explicit:
        return Path(explicit)
    return NODE_MODULES_DIR


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    licence: str
    root: Path

    def describe(self) -> str:
        return f"npm {self.name} {self.version} ({self.licence})"


def npm_package(name: str, node_modules: Optional[Path] = None) -> NpmPackage:
    """The installed package's version and licence, read from its package.json."""
    root = (node_modules or node_modules_dir()) / name
    manifest = root / "package.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrackerDbMissing(f"npm package {name} is not installed (run `make setup`, which runs `npm ci`)") from None
    except (OSError, ValueError) as exc:
        raise TrackerDbMissing(f"npm package {name} is unreadable: {exc}") from None
    return NpmPackage(name=name, version=str(data.get("version", "")), licence=str(data.get("license", "")), root=root)


# A subset of the adblock filter syntax: plain path filters, ``*`` wildcards, ``^`` separators,
# and only the ``1p`` option (filters for third-party use, or with other options, are skipped).
_SEPARATOR = r"(?:[^\w\-.%]|$)"


def _path_filter_pattern(rule: str) -> Optional[re.Pattern[str]]:
    if not rule.startswith("/") or rule.startswith("/^") or rule.startswith("//"):
        return None
    body, _, options = rule.partition("$")
    if options and options not in ("1p", "first-party"):
        return None
    if body.endswith("/") and re.search(r"[\\()|?+\[]", body):
        return None  # a regular-expression filter
    parts = []
    for char in body:
        parts.append(".*" if char == "*" else _SEPARATOR if char == "^" else re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE)


class TrackerDb:
    """Lookups in one installed copy of the database (read once, kept in memory: ~5,000 domains)."""

    def __init__(self, package: NpmPackage):
        self.package = package
        db_path = package.root / "dist" / "trackerdb.db"
        if not db_path.is_file():
            raise TrackerDbMissing(f"{db_path} is missing from npm {package.name}")
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
                rows = connection.execute(
                    "SELECT d.domain, t.id, t.name, c.name, co.name, co.country"
                    " FROM tracker_domains d JOIN trackers t ON t.id = d.tracker"
                    " LEFT JOIN categories c ON c.id = t.category_id"
                    " LEFT JOIN companies co ON co.id = t.company_id"
                ).fetchall()
                trackers = connection.execute(
                    "SELECT t.id, t.name, c.name, co.name, co.country FROM trackers t"
                    " LEFT JOIN categories c ON c.id = t.category_id"
                    " LEFT JOIN companies co ON co.id = t.company_id"
                ).fetchall()
        except sqlite3.Error as exc:
            raise TrackerDbMissing(f"{db_path} cannot be read: {exc}") from None
        self._domains: dict[str, TrackerMatch] = {}
        for domain, tracker_id, name, category, company, country in rows:
            self._domains[domain.lower()] = TrackerMatch(
                tracker_id=tracker_id, name=name or "", category=category or "", company=company or "",
                country=(country or "").upper(), matched=domain.lower(),
            )
        self._trackers = {
            tracker_id: TrackerMatch(tracker_id=tracker_id, name=name or "", category=category or "",
                                     company=company or "", country=(country or "").upper())
            for tracker_id, name, category, company, country in trackers
        }
        self._path_filters = self._read_path_filters(package.root / "dist" / "trackerdb.json")

    def _read_path_filters(self, path: Path) -> list[tuple[re.Pattern[str], str, str]]:
        try:
            filters = json.loads(path.read_text(encoding="utf-8")).get("filters", {})
        except (OSError, ValueError):
            return []  # hosts still match; only self-hosted trackers go unseen
        compiled = []
        for rule, tracker_id in filters.items():
            pattern = _path_filter_pattern(rule)
            if pattern is not None and tracker_id in self._trackers:
                compiled.append((pattern, rule, tracker_id))
        return compiled

    @property
    def source(self) -> str:
        return f"Ghostery TrackerDB, {self.package.describe()}"

    @property
    def version(self) -> str:
        return self.package.version

    def lookup_host(self, host: str) -> Optional[TrackerMatch]:
        """The tracker owning ``host`` or its nearest parent domain; None when unknown."""
        labels = (host or "").lower().rstrip(".").split(".")
        for start in range(len(labels) - 1):
            match = self._domains.get(".".join(labels[start:]))
            if match is not None:
                return match
        return None

    def lookup_path(self, url: str) -> Optional[TrackerMatch]:
        """A tracker recognised by the path of a URL on the site's own host (self-hosted)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for pattern, rule, tracker_id in self._path_filters:
            if pattern.search(target):
                return self._trackers[tracker_id].model_copy(update={"matched": rule, "self_hosted": True})
        return None

    def lookup_url(self, url: str, third_party: bool) -> Optional[TrackerMatch]:
        """Third-party URLs are matched by host; the site's own URLs by path filters."""
        if third_party:
            try:
                host = urlsplit(url).hostname or ""
            except ValueError:
                return None
            return self.lookup_host(host)
        return self.lookup_path(url)

    def tracker(self, tracker_id: str) -> Optional[TrackerMatch]:
        return self._trackers.get(tracker_id)


@lru_cache(maxsize=4)
def _load(node_modules: Path) -> TrackerDb:
    return TrackerDb(npm_package(TRACKERDB_PACKAGE, node_modules))


def load_trackerdb(node_modules: Optional[Path] = None) -> TrackerDb:
    """The installed database; raises :class:`TrackerDbMissing` with a one-line reason."""
    return _load(node_modules or node_modules_dir())


def data_sources(node_modules: Optional[Path] = None) -> dict[str, str]:
    """Versions and licences of the data sets, for the run's method ("missing: …" when absent)."""
    sources = {}
    for key, name in (("trackerdb", TRACKERDB_PACKAGE), ("consent_rules", AUTOCONSENT_PACKAGE)):
        try:
            sources[key] = npm_package(name, node_modules).describe()
        except TrackerDbMissing as exc:
            sources[key] = f"missing: {exc}"
    return sources
