"""Describing a site: start URL(s) plus metadata, from CLI options or a small TOML file.

```toml
# site.toml
organisation = "Gemeente Voorbeeldegem"
kind = "municipality"            # flemish_entity | municipality | province | other
audiences = ["citizens", "entrepreneurs"]   # citizens | entrepreneurs | associations | local_governments
start_urls = ["https://www.voorbeeldegem.be/"]
contact = "webmaster@voorbeeldegem.be"
```
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urlsplit

from auditor.model import Audience, Site, SiteKind


class SiteConfigError(ValueError):
    """A site description that cannot be used; the message is one line for the user."""


def validate_start_url(url: str) -> str:
    """Return the URL if it can start an audit; a bare host name gets https://."""
    url = url.strip()
    if "://" not in url and url and not url.startswith("/"):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError as exc:
        raise SiteConfigError(f"invalid URL {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise SiteConfigError(f"invalid URL {url!r}: only http and https URLs can be audited")
    if not parts.hostname or any(c.isspace() for c in parts.hostname):
        raise SiteConfigError(f"invalid URL {url!r}: no host name")
    del port
    if not parts.path:
        url = url + "/"
    return url


def _enum_values(enum, values: Iterable[str], what: str) -> list:
    result = []
    for value in values:
        try:
            result.append(enum(str(value).strip().lower()))
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise SiteConfigError(f"unknown {what} {value!r} (expected one of: {allowed})") from None
    return result


def build_site(
    start_urls: Iterable[str],
    organisation: Optional[str] = None,
    kind: Optional[str] = None,
    audiences: Optional[Iterable[str]] = None,
    contact: Optional[str] = None,
) -> Site:
    """A Site from loose values; fields left out take defaults that the report states."""
    urls = [validate_start_url(u) for u in start_urls]
    if not urls:
        raise SiteConfigError("no start URL given")
    defaulted = []
    if not organisation:
        defaulted.append("organisation")
    if not kind:
        defaulted.append("kind")
    audiences = list(audiences or [])
    if not audiences:
        defaulted.append("audiences")
    return Site(
        start_urls=urls,
        organisation=organisation or urlsplit(urls[0]).hostname or "",
        kind=_enum_values(SiteKind, [kind], "kind")[0] if kind else SiteKind.OTHER,
        audiences=_enum_values(Audience, audiences, "audience") if audiences else [Audience.CITIZENS],
        contact=contact or "",
        defaulted=defaulted,
    )


_SITE_KEYS = {"organisation", "kind", "audiences", "start_urls", "start_url", "contact"}


def load_site_file(path: Path | str, extra_urls: Iterable[str] = ()) -> Site:
    """Read a site TOML file; URLs given on the command line are added to its start URLs."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"{path}: {exc}") from None
    unknown = set(data) - _SITE_KEYS
    if unknown:
        raise SiteConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    urls = data.get("start_urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if "start_url" in data:
        urls = [data["start_url"], *urls]
    audiences = data.get("audiences")
    if isinstance(audiences, str):
        audiences = [audiences]
    try:
        return build_site(
            [*urls, *extra_urls],
            organisation=data.get("organisation"),
            kind=data.get("kind"),
            audiences=audiences,
            contact=data.get("contact"),
        )
    except SiteConfigError as exc:
        raise SiteConfigError(f"{path}: {exc}") from None
