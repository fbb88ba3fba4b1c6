"""Detection markers for Flemish building blocks, loaded from ``configs/markers/flemish.toml``.

Markers are data: host names, script paths, DOM selectors, window globals, cookie names, link
texts and fonts, each with what it proves, how sure we are and where it comes from. This module
loads them strictly (a mistake is one clear line, never a silent miss) and matches the ones that
need no browser against what a page visit recorded: script URLs, request hosts, cookies, links.
DOM selectors, globals and fonts are evaluated in the page by ``auditor/gather/collectors/flemish.py``.

Pure: no network, no browser. Matching is bounded (capped inputs and hits).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from auditor.shared.paths import config_path
from auditor.model import CookieRecord, LinkRecord, MarkerHit, RequestRecord
from auditor.shared.toml_file import check_text_fields
from auditor.shared.urls import host_of

__all__ = [
    "KINDS",
    "PROVES",
    "CONFIDENCES",
    "Marker",
    "MarkerSet",
    "MarkerError",
    "default_markers_path",
    "load_markers",
    "default_markers",
    "match_script_urls",
    "match_requests",
    "match_hosts",
    "match_cookies",
    "match_links",
    "match_fonts",
]

KINDS = ("script_src", "request_host", "dom_selector", "js_global", "cookie", "link", "font_family")
CONFIDENCES = ("high", "medium", "low")
CONFIDENCE_RANK = {"low": 1, "medium": 2, "high": 3}

# What a marker may prove. A closed list, so a typo in the marker file is refused instead of
# silently proving nothing; the checks in checks/flemish.py read these names.
PROVES = (
    "mbp-header-v4", "mbp-header-v5", "mbp-header-legacy", "mbp-header-mounted",
    "mbp-footer-mounted", "mbp-header-cookie", "mbp-widget-test-host", "mbp-embed-sdk",
    "eloket-mbp", "eloket-ondernemers", "eloket-verenigingen", "eloket-lokale-besturen",
    "acmidm-login", "acmidm-login-test", "csam-fas-login", "itsme-login", "login-link",
    "own-account-form",
    "webuniversum-assets", "vl-components", "flanders-fonts", "vlaanderen-logo-link",
    "online-form", "online-appointment", "pdf-form", "digital-help", "contact-form",
)

# Where each kind is seen, in the words a finding uses.
WHERE = {
    "script_src": "script src",
    "request_host": "network request",
    "dom_selector": "DOM after render",
    "js_global": "global",
    "cookie": "cookie",
    "link": "link",
    "font_family": "font",
}

_REQUIRED = ("id", "kind", "pattern", "proves", "confidence", "source")
_OPTIONAL = ("note",)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_GLOBAL_PATH = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_REGEX_KINDS = frozenset({"script_src", "request_host", "cookie", "link", "font_family"})

MAX_HITS_PER_MARKER = 3  # examples kept per marker and page: enough to cite, small to store
MAX_INPUTS = 2_000  # URLs, cookies or links looked at per page


class MarkerError(ValueError):
    """The marker file is missing or invalid; the message is one line a CLI can show."""


@dataclass(frozen=True)
class Marker:
    id: str
    kind: str
    pattern: str
    proves: str
    confidence: str
    source: str
    note: str = ""
    regex: Optional[re.Pattern[str]] = None  # compiled, for the regex kinds

    def hit(self, value: str, where: Optional[str] = None) -> MarkerHit:
        return MarkerHit(
            marker_id=self.id, kind=self.kind, proves=self.proves, confidence=self.confidence,
            where=where or WHERE[self.kind], value=value[:300], source=self.source,
        )


@dataclass(frozen=True)
class MarkerSet:
    version: str
    markers: tuple[Marker, ...]
    path: str = ""

    def of_kind(self, kind: str) -> list[Marker]:
        return [m for m in self.markers if m.kind == kind]

    def by_id(self, marker_id: str) -> Optional[Marker]:
        return next((m for m in self.markers if m.id == marker_id), None)


MARKERS_ENV = "AUDITOR_MARKERS"  # another marker file, e.g. for ``auditor rescore --markers``


def default_markers_path() -> Path:
    return Path(os.environ.get(MARKERS_ENV) or config_path("markers", "flemish.toml"))


def load_markers(path: Path | str | None = None) -> MarkerSet:
    """Read and validate a marker file; raises :class:`MarkerError` with one line."""
    path = Path(path) if path is not None else default_markers_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MarkerError(f"{path}: marker file not found") from None
    except OSError as exc:
        raise MarkerError(f"{path}: cannot read the marker file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MarkerError(f"{path}: not valid TOML: {exc}") from None
    return parse_markers(data, str(path))


def parse_markers(data: dict, where: str = "markers") -> MarkerSet:
    unknown = set(data) - {"version", "description", "markers"}
    if unknown:
        raise MarkerError(f"{where}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise MarkerError(f'{where}: a non-empty `version = "..."` is required')
    entries = data.get("markers")
    if not isinstance(entries, list) or not entries:
        raise MarkerError(f"{where}: no [[markers]] entries")
    markers: list[Marker] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        marker = _parse_marker(entry, f"{where}: marker #{number}")
        if marker.id in seen:
            raise MarkerError(f"{where}: marker id {marker.id!r} is used twice")
        seen.add(marker.id)
        markers.append(marker)
    return MarkerSet(version=version.strip(), markers=tuple(markers), path=where)


def _parse_marker(entry: object, where: str) -> Marker:
    if not isinstance(entry, dict):
        raise MarkerError(f"{where}: must be a table")
    if isinstance(entry.get("id"), str):
        where = f"{where} ({entry['id']})"
    check_text_fields(entry, _REQUIRED, _OPTIONAL, MarkerError, where)
    if "note" in entry and not isinstance(entry["note"], str):
        raise MarkerError(f"{where}: field 'note' must be a string")
    marker_id, kind, pattern = entry["id"], entry["kind"], entry["pattern"]
    if not _ID.fullmatch(marker_id):
        raise MarkerError(f"{where}: id must be lower case letters, digits and dashes")
    if kind not in KINDS:
        raise MarkerError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if entry["confidence"] not in CONFIDENCES:
        raise MarkerError(f"{where}: confidence {entry['confidence']!r} is not one of {', '.join(CONFIDENCES)}")
    if entry["proves"] not in PROVES:
        raise MarkerError(f"{where}: proves {entry['proves']!r} is not a known building block (see auditor/shared/markers.py PROVES)")
    regex = None
    if kind in _REGEX_KINDS:
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            raise MarkerError(f"{where}: pattern is not a valid regular expression: {exc}") from None
    elif kind == "js_global" and not _GLOBAL_PATH.fullmatch(pattern):
        raise MarkerError(f"{where}: a js_global pattern is a dotted name such as vl.widget.client")
    elif kind == "dom_selector" and any(c in pattern for c in "{};"):
        raise MarkerError(f"{where}: a dom_selector pattern is a CSS selector, without braces or semicolons")
    return Marker(id=marker_id, kind=kind, pattern=pattern, proves=entry["proves"],
                  confidence=entry["confidence"], source=entry["source"], note=entry.get("note", ""),
                  regex=regex)


@lru_cache(maxsize=1)
def default_markers() -> MarkerSet:
    """The bundled marker file, loaded once per process."""
    return load_markers(default_markers_path())


# --------------------------------------------------------------------------- matching


def _collect(markers: Iterable[Marker], values: Iterable[tuple[str, str]], test) -> list[MarkerHit]:
    """Hits of ``markers`` over ``(value, shown)`` pairs: ``test(marker, value)`` decides; at
    most MAX_HITS_PER_MARKER distinct examples per marker."""
    hits: list[MarkerHit] = []
    values = list(values)[:MAX_INPUTS]
    for marker in markers:
        shown_values: list[str] = []
        for value, shown in values:
            if len(shown_values) >= MAX_HITS_PER_MARKER:
                break
            if shown not in shown_values and test(marker, value):
                shown_values.append(shown)
                hits.append(marker.hit(shown))
    return hits


def match_script_urls(markers: MarkerSet, urls: Iterable[str]) -> list[MarkerHit]:
    """script_src markers over script URLs (``<script src>`` in the rendered DOM)."""
    return _collect(markers.of_kind("script_src"), ((u, u) for u in urls if u),
                    lambda m, v: bool(m.regex.search(v)))


def match_requests(markers: MarkerSet, requests: Iterable[RequestRecord]) -> list[MarkerHit]:
    """request_host markers over every request's host; script_src markers over script,
    fetch and XHR requests (a widget client fetches its bootstrap URL)."""
    requests = list(requests)[:MAX_INPUTS]
    host_hits = _collect(
        markers.of_kind("request_host"),
        ((host_of(r.url), r.url) for r in requests if host_of(r.url)),
        lambda m, v: bool(m.regex.fullmatch(v)),
    )
    script_hits = _collect(
        markers.of_kind("script_src"),
        ((r.url, r.url) for r in requests if r.resource_type in ("script", "fetch", "xhr", "")),
        lambda m, v: bool(m.regex.search(v)),
    )
    for hit in script_hits:
        hit.where = "network request"
    return host_hits + script_hits


def match_hosts(markers: MarkerSet, urls: Iterable[str], where: str = "redirect") -> list[MarkerHit]:
    """request_host markers over the hosts of URLs (e.g. the hops of a login redirect chain)."""
    hits = _collect(markers.of_kind("request_host"), ((host_of(u), u) for u in urls if host_of(u)),
                    lambda m, v: bool(m.regex.fullmatch(v)))
    for hit in hits:
        hit.where = where
    return hits


def match_cookies(markers: MarkerSet, cookies: Iterable[CookieRecord]) -> list[MarkerHit]:
    return _collect(markers.of_kind("cookie"), ((c.name, f"{c.name} ({c.domain})") for c in cookies),
                    lambda m, v: bool(m.regex.fullmatch(v)))


def match_links(markers: MarkerSet, links: Iterable[LinkRecord]) -> list[MarkerHit]:
    """link markers, searched in each link's text and in its URL; shown as "text → URL"."""
    return _collect(
        markers.of_kind("link"),
        (((link.text or "", link.url or ""), f"{(link.text or '').strip()[:120]} → {link.url}") for link in links),
        lambda m, v: bool(m.regex.search(v[0]) or m.regex.search(v[1])),
    )


def match_fonts(markers: MarkerSet, families: Iterable[str]) -> list[MarkerHit]:
    return _collect(markers.of_kind("font_family"), ((f, f) for f in families if f),
                    lambda m, v: bool(m.regex.search(v)))
