"""Describing a site: start URL(s) plus metadata, from CLI options or a small TOML file.

```toml
# site.toml
organisation = "Gemeente Voorbeeldegem"
kind = "municipality"            # flemish_entity | municipality | province | other
audiences = ["citizens", "entrepreneurs"]   # citizens | entrepreneurs | associations | local_governments
start_urls = ["https://www.voorbeeldegem.be/"]
contact = "webmaster@voorbeeldegem.be"

# comply or explain: why a criterion (or one finding, by fingerprint) is not met (yet)
[[explanations]]
criterion = "P5-G-02"
reason = "Nieuwe website met HTTPS gepland in het voorjaar"
by = "Dienst ICT"
date = 2026-10-01
expires = 2027-06-30
link = "https://www.voorbeeldegem.be/actieplan"

# answers to manual criteria
[[answers]]
criterion = "P1-G-01"
answer = "partly"              # yes | partly | no
evidence = "https://www.voorbeeldegem.be/e-loket"
date = 2026-11-01
```
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urlsplit

from pydantic import ValidationError

from auditor.model import Audience, Explanation, ManualAnswer, Site, SiteKind
from auditor.shared.urls import ascii_host_url, display_host


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
    try:
        # one stable spelling in every output: the host in punycode (reports show it in Unicode)
        return ascii_host_url(url)
    except ValueError as exc:
        raise SiteConfigError(f"invalid URL {url!r}: {exc}") from None


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
        organisation=organisation or display_host(urlsplit(urls[0]).hostname or ""),
        kind=_enum_values(SiteKind, [kind], "kind")[0] if kind else SiteKind.OTHER,
        audiences=_enum_values(Audience, audiences, "audience") if audiences else [Audience.CITIZENS],
        contact=contact or "",
        defaulted=defaulted,
    )


_SITE_KEYS = {"organisation", "kind", "audiences", "start_urls", "start_url", "contact", "explanations", "answers"}
_EXPLANATION_KEYS = {"criterion", "finding", "reason", "by", "date", "expires", "link"}
_ANSWER_KEYS = {"criterion", "answer", "evidence", "by", "date", "note"}
ANSWERS = ("yes", "partly", "no")


def _table_list(data: dict, key: str) -> list[dict]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SiteConfigError(f"{key} must be a list of tables ([[{key}]])")
    return items


def _checked(items: list[dict], key: str, allowed: set[str]) -> list[dict]:
    for number, item in enumerate(items, 1):
        unknown = set(item) - allowed
        if unknown:
            raise SiteConfigError(f"{key} #{number}: unknown key(s) {', '.join(sorted(unknown))}")
    return items


def read_explanations(data: dict) -> list[Explanation]:
    """Comply-or-explain entries: each names a criterion or a finding and gives a reason."""
    result = []
    for number, item in enumerate(_checked(_table_list(data, "explanations"), "explanations", _EXPLANATION_KEYS), 1):
        if not item.get("criterion") and not item.get("finding"):
            raise SiteConfigError(f"explanations #{number}: name a 'criterion' or a 'finding'")
        if not str(item.get("reason", "")).strip():
            raise SiteConfigError(f"explanations #{number}: 'reason' is required")
        fields = {**item, "criterion_id": item.get("criterion", "")}
        fields.pop("criterion", None)
        try:
            result.append(Explanation.model_validate(fields))
        except ValidationError as exc:
            raise SiteConfigError(f"explanations #{number}: {_first_error(exc)}") from None
    return result


def read_answers(data: dict) -> list[ManualAnswer]:
    result = []
    for number, item in enumerate(_checked(_table_list(data, "answers"), "answers", _ANSWER_KEYS), 1):
        if not item.get("criterion"):
            raise SiteConfigError(f"answers #{number}: 'criterion' is required")
        if item.get("answer") not in ANSWERS:
            raise SiteConfigError(f"answers #{number}: 'answer' must be one of {', '.join(ANSWERS)}")
        fields = {**item, "criterion_id": item["criterion"]}
        fields.pop("criterion")
        try:
            result.append(ManualAnswer.model_validate(fields))
        except ValidationError as exc:
            raise SiteConfigError(f"answers #{number}: {_first_error(exc)}") from None
    return result


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"


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
        site = build_site(
            [*urls, *extra_urls],
            organisation=data.get("organisation"),
            kind=data.get("kind"),
            audiences=audiences,
            contact=data.get("contact"),
        )
        site.explanations = read_explanations(data)
        site.answers = read_answers(data)
        return site
    except SiteConfigError as exc:
        raise SiteConfigError(f"{path}: {exc}") from None
