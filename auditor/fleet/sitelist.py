"""Site lists for fleet scans: many sites with their metadata and limits, in TOML or CSV.

TOML (``configs/sites/example.toml``)::

    [defaults]                      # optional: applied to every site that does not say otherwise
    max_pages = 30

    [[site]]
    id = "voorbeeldegem"            # optional; default: a slug of the organisation name
    organisation = "Gemeente Voorbeeldegem"
    kind = "municipality"           # flemish_entity | municipality | province | other
    audiences = ["citizens", "entrepreneurs"]
    start_urls = ["https://www.voorbeeldegem.be/"]
    max_pages = 50                  # limits: max_pages, max_depth, time_budget (seconds),
                                    # max_response_mb, max_dom_mb, max_text_chars, max_links, max_document_mb
    contact = "webmaster@voorbeeldegem.be"
    explanations = { "accessibility-statement" = "Published on 1 March, see the town hall." }

CSV (``configs/sites/example.csv``): a header row with the same names; several audiences or
start URLs are separated by ``;``; ``explanations`` is free text.

Every problem is reported as one line ``FILE:LINE: what is wrong`` so that a list of 300
municipalities can be fixed without guessing. Explanations ("comply or explain") are stored as
given; nothing interprets them yet.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional

from auditor.settings.limits import SIZE_LIMIT_KEYS, size_limit_problem, size_limit_settings
from auditor.model import Site
from auditor.settings import AuditSettings
from auditor.run.site_config import SiteConfigError, build_site

__all__ = ["SiteEntry", "SiteListError", "load_site_list", "parse_site_list", "safe_slug", "SITE_KEYS"]

LIMIT_KEYS = ("max_pages", "max_depth", "time_budget", *SIZE_LIMIT_KEYS)
SITE_KEYS = ("id", "organisation", "kind", "audiences", "start_urls", "start_url", "contact", "explanations",
             *LIMIT_KEYS)
_LIMIT_RANGES = {"max_pages": (1, 100_000), "max_depth": (0, 1_000), "time_budget": (1, 7 * 24 * 3600)}
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
SLUG_MAX = 60


class SiteListError(ValueError):
    """A site list that cannot be used; the message is ``FILE:LINE: problem``."""


@dataclass
class SiteEntry:
    """One site of a list: its stable key (the database and folder name), the site, limits."""

    key: str
    site: Site
    limits: dict[str, float] = field(default_factory=dict)
    explanations: Any = None
    line: int = 0

    def settings(self, base: AuditSettings) -> AuditSettings:
        """The audit settings for this site: the fleet's settings with this site's limits."""
        changes: dict[str, Any] = {}
        if "max_pages" in self.limits:
            changes["max_pages"] = int(self.limits["max_pages"])
        if "max_depth" in self.limits:
            changes["max_depth"] = int(self.limits["max_depth"])
        if "time_budget" in self.limits:
            changes["time_budget_s"] = float(self.limits["time_budget"])
        changes.update(size_limit_settings(self.limits))
        return replace(base, **changes)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "site": self.site.model_dump(mode="json"), "limits": self.limits,
                "explanations": self.explanations, "line": self.line}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SiteEntry":
        return cls(key=data["key"], site=Site.model_validate(data["site"]), limits=dict(data.get("limits") or {}),
                   explanations=data.get("explanations"), line=int(data.get("line") or 0))


def safe_slug(text: str, fallback: str = "site") -> str:
    """A folder-safe name: lower-case ASCII letters, digits and single dashes, never ``..``,
    never a path separator, at most SLUG_MAX characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")
    return slug or fallback


# --------------------------------------------------------------------------- loading


def load_site_list(path: Path | str) -> list[SiteEntry]:
    """Read a site list (``.toml`` or ``.csv``); raises SiteListError with file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SiteListError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SiteListError(f"{path}: is a folder, not a site list") from None
    except UnicodeDecodeError as exc:
        raise SiteListError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_site_list(text, str(path), fmt=path.suffix.lower().lstrip("."))


def parse_site_list(text: str, name: str = "<sites>", fmt: str = "toml") -> list[SiteEntry]:
    if fmt == "toml":
        entries = _parse_toml(text, name)
    elif fmt == "csv":
        entries = _parse_csv(text, name)
    else:
        raise SiteListError(f"{name}: a site list must be a .toml or .csv file")
    if not entries:
        raise SiteListError(f"{name}: the list holds no site")
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.key in seen:
            raise SiteListError(f"{name}:{entry.line}: site id {entry.key!r} is already used on line {seen[entry.key]}"
                                " (give each site a unique id)")
        seen[entry.key] = entry.line
    return entries


def _parse_toml(text: str, name: str) -> list[SiteEntry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        where = f"{match.group(1)}" if match else "1"
        raise SiteListError(f"{name}:{where}: not valid TOML: {message}") from None
    lines = text.splitlines()
    unknown_top = set(data) - {"site", "defaults"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise SiteListError(f"{name}:{_line_of_key(lines, 0, len(lines), key) or 1}: unknown section or key {key!r}"
                            " (expected [defaults] and [[site]] tables)")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SiteListError(f"{name}:1: 'defaults' must be a table")
    sites = data.get("site", [])
    if not isinstance(sites, list) or not all(isinstance(s, dict) for s in sites):
        raise SiteListError(f"{name}:1: 'site' must be a list of [[site]] tables")
    headers = [n for n, line in enumerate(lines, 1) if re.match(r"^\s*\[\[\s*site\s*\]\]", line)]
    defaults_line = next((n for n, line in enumerate(lines, 1) if re.match(r"^\s*\[\s*defaults\s*\]", line)), 1)
    _check_keys(defaults, name, lambda key: _line_of_key(lines, defaults_line, len(lines), key) or defaults_line,
                allowed=set(SITE_KEYS) - {"id", "start_url", "start_urls", "organisation"})
    for key in LIMIT_KEYS:
        if key in defaults:
            line = _line_of_key(lines, defaults_line, len(lines), key) or defaults_line
            _limit(defaults[key], key, lambda _key, message, line=line: SiteListError(f"{name}:{line}: {message}"))
    entries = []
    for index, raw in enumerate(sites):
        header = headers[index] if index < len(headers) else 1
        end = headers[index + 1] - 1 if index + 1 < len(headers) else len(lines)

        def line_of(key: str, header=header, end=end) -> int:
            return _line_of_key(lines, header, end, key) or header

        _check_keys(raw, name, line_of, allowed=set(SITE_KEYS))
        entries.append(_entry({**defaults, **raw}, name, header, line_of))
    return entries


def _parse_csv(text: str, name: str) -> list[SiteEntry]:
    # newline="": the csv module reads \r, \n and \r\n itself (a bare \r inside a field is data)
    reader = csv.DictReader(io.StringIO(text, newline=""), skipinitialspace=True)
    try:
        return _csv_entries(reader, name)
    except csv.Error as exc:
        raise SiteListError(f"{name}:{reader.line_num or 1}: not a readable CSV file: {exc}") from None


def _csv_entries(reader: csv.DictReader, name: str) -> list[SiteEntry]:
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if not columns:
        raise SiteListError(f"{name}:1: empty file: a header row is expected ({', '.join(SITE_KEYS)})")
    unknown = [c for c in columns if c and c not in SITE_KEYS]
    if unknown:
        raise SiteListError(f"{name}:1: unknown column {unknown[0]!r} (known columns: {', '.join(SITE_KEYS)})")
    if "start_urls" not in columns and "start_url" not in columns:
        raise SiteListError(f"{name}:1: a 'start_urls' column is required")
    entries = []
    previous_end = 1
    for row in reader:
        line = previous_end + 1  # the line the record starts on (a quoted field may span lines)
        previous_end = reader.line_num
        if None in row:
            raise SiteListError(f"{name}:{line}: more fields than columns in the header")
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        raw: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
        for key in ("audiences", "start_urls", "start_url"):
            if key in raw:
                raw[key] = [part for part in re.split(r"[;\s]+", raw[key]) if part]
        entries.append(_entry(raw, name, line, lambda key, line=line: line))
    return entries


def _entry(raw: dict[str, Any], name: str, line: int, line_of) -> SiteEntry:
    def fail(key: str, message: str) -> SiteListError:
        return SiteListError(f"{name}:{line_of(key)}: {message}")

    urls = _string_list(raw.get("start_urls", []), "start_urls", fail)
    if "start_url" in raw:
        urls = _string_list(raw["start_url"], "start_url", fail) + urls
    if not urls:
        raise SiteListError(f"{name}:{line}: site has no start_urls")
    audiences = _string_list(raw["audiences"], "audiences", fail) if "audiences" in raw else None
    for key in ("organisation", "kind", "contact", "id"):
        if key in raw and not isinstance(raw[key], str):
            raise fail(key, f"{key} must be text")
    try:
        site = build_site(urls, organisation=raw.get("organisation"), kind=raw.get("kind"),
                          audiences=audiences, contact=raw.get("contact"))
    except SiteConfigError as exc:
        message = str(exc)
        key = ("kind" if "kind" in message else "audiences" if "audience" in message
               else "start_urls" if "start_urls" in raw else "start_url")
        raise fail(key, message) from None
    limits = {}
    for key in LIMIT_KEYS:
        if key in raw:
            limits[key] = _limit(raw[key], key, fail)
    if "id" in raw:
        key = raw["id"].strip()
        if not _ID_PATTERN.match(key):
            raise fail("id", f"id {key!r} may hold only lower-case letters, digits, '.', '_' and '-' "
                             "and must start with a letter or digit")
    else:
        key = safe_slug(raw.get("organisation") or site.name)
    return SiteEntry(key=key, site=site, limits=limits, explanations=raw.get("explanations"), line=line)


def _limit(value: Any, key: str, fail: Callable[[str, str], SiteListError]) -> float:
    if isinstance(value, str):
        try:
            value = float(value) if "." in value else int(value)
        except ValueError:
            raise fail(key, f"{key} must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(key, f"{key} must be a number")
    if key in SIZE_LIMIT_KEYS:
        problem = size_limit_problem(key, value)
        if problem:
            raise fail(key, problem)
        return value
    low, high = _LIMIT_RANGES[key]
    if not low <= value <= high:
        raise fail(key, f"{key} must be between {low} and {high}, not {value}")
    return value


def _string_list(value: Any, key: str, fail) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise fail(key, f"{key} must be text or a list of text")


def _check_keys(table: dict[str, Any], name: str, line_of, allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise SiteListError(f"{name}:{line_of(key)}: unknown key {key!r} (known keys: {', '.join(sorted(allowed))})")


def _line_of_key(lines: list[str], start: int, end: int, key: str) -> Optional[int]:
    """The line (1-based) in lines[start..end] where ``key =`` is set, if written plainly."""
    pattern = re.compile(rf'^\s*(?:{re.escape(key)}|"{re.escape(key)}"|\'{re.escape(key)}\')\s*=')
    for number in range(max(start, 1), min(end, len(lines)) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None
