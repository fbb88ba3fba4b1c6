"""Detect WAF and bot-challenge pages (Cloudflare "Just a moment...", Akamai "Access Denied",
Imperva, AWS WAF, DataDome, captcha-only interstitials) from a response's status, headers and
HTML, with the signatures of ``configs/bot_challenges.toml``.

Such a page is the WAF's, not the site's: the engine records it as ``blocked`` with the vendor
named, and no check judges it. Used on the HTTP probe of the start URL (auditor/probes/site.py) and
on every browser visit (auditor/gather/page_visit.py).

Markup rules look only at tag attributes and script bodies, never at the visible text, so an
ordinary page that mentions Cloudflare or a captcha is not taken for a challenge. Pure: no
network, no browser; the HTML read is capped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Mapping, Optional

from auditor.shared.paths import config_path
from auditor.shared.toml_file import read_toml

MAX_HTML_CHARS = 300_000  # a challenge page is a few kB; what lies beyond is not read
RULE_KINDS = ("header", "markup", "title", "text")
RULE_CONDITIONS = ("values", "statuses", "max_text_chars", "max_links")


class ChallengeSignaturesError(ValueError):
    """The signatures file cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class Rule:
    kind: str  # one of RULE_KINDS
    needle: str  # header name (lower-case) or text to find
    values: tuple[str, ...] = ()  # header: the value contains one of these (lower-case)
    statuses: tuple[int, ...] = ()
    max_text_chars: Optional[int] = None
    max_links: Optional[int] = None

    def describe(self) -> str:
        if self.kind == "header":
            return f"header {self.needle}" + (f": {'/'.join(self.values)}" if self.values else "")
        return f"{self.kind} {self.needle!r}"


@dataclass(frozen=True)
class Signature:
    vendor: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Challenge:
    """A detected challenge: who serves it and the evidence, in one line."""

    vendor: str
    evidence: str

    def describe(self, status: Optional[int]) -> str:
        on = f", HTTP {status}" if status is not None else ""
        return f"bot challenge by {self.vendor} ({self.evidence}{on}): the page is the WAF's, not the site's"


# --------------------------------------------------------------------------- loading


def default_signatures_path() -> Path:
    return config_path("bot_challenges.toml")


def load_signatures(path: Optional[Path | str] = None) -> tuple[Signature, ...]:
    """Read and validate the signatures file strictly: an unknown key, a rule with no or two
    kinds, or a value of the wrong type is one clear error line."""
    path = Path(path) if path is not None else default_signatures_path()
    data = read_toml(path, ChallengeSignaturesError, "challenge signatures")
    _refuse_unknown(data, {"signature"}, str(path))
    entries = _required(data, "signature", list, f"{path}: [[signature]] entries")
    return tuple(_signature(entry, f"{path}: signature {number}") for number, entry in enumerate(entries, 1))


def _signature(entry: object, where: str) -> Signature:
    _refuse_unknown(entry, {"vendor", "rules"}, where)
    vendor = _required(entry, "vendor", str, where)
    rules = _required(entry, "rules", list, f"{where} ({vendor})")
    return Signature(vendor=vendor,
                     rules=tuple(_rule(rule, f"{where} ({vendor}) rule {n}") for n, rule in enumerate(rules, 1)))


def _rule(entry: object, where: str) -> Rule:
    _refuse_unknown(entry, {*RULE_KINDS, *RULE_CONDITIONS}, where)
    kinds = [kind for kind in RULE_KINDS if kind in entry]
    if len(kinds) != 1:
        raise ChallengeSignaturesError(f"{where}: needs exactly one of {', '.join(RULE_KINDS)}")
    kind = kinds[0]
    needle = _required(entry, kind, str, where)
    values = _strings(entry.get("values", []), where, "values")
    if values and kind != "header":
        raise ChallengeSignaturesError(f"{where}: values only go with header")
    if kind == "text" and "statuses" not in entry:
        raise ChallengeSignaturesError(f"{where}: a text rule needs statuses (visible text alone proves nothing)")
    statuses = entry.get("statuses", [])
    if not isinstance(statuses, list) or not all(
            isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in statuses):
        raise ChallengeSignaturesError(f"{where}: statuses must be a list of HTTP status codes")
    limits = {}
    for key in ("max_text_chars", "max_links"):
        if key in entry:
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ChallengeSignaturesError(f"{where}: {key} must be a whole number >= 0")
            limits[key] = value
    return Rule(kind=kind, needle=needle.lower() if kind == "header" else needle,
                values=tuple(v.lower() for v in values), statuses=tuple(statuses), **limits)


def _required(table: dict, key: str, kind: type, where: str):
    """``table[key]``: a non-empty string (stripped) or a non-empty list, else one error line."""
    value = table.get(key)
    if not isinstance(value, kind) or not (value.strip() if isinstance(value, str) else value):
        raise ChallengeSignaturesError(f"{where}: {key} must be a non-empty {'string' if kind is str else 'list'}")
    return value.strip() if isinstance(value, str) else value


def _refuse_unknown(entry: object, allowed: set[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise ChallengeSignaturesError(f"{where} is not a table")
    unknown = set(entry) - allowed
    if unknown:
        raise ChallengeSignaturesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")


def _strings(value: object, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ChallengeSignaturesError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(value)


@lru_cache(maxsize=1)
def default_signatures() -> tuple[Signature, ...]:
    return load_signatures()


# --------------------------------------------------------------------------- reading a page


class _PageView(HTMLParser):
    """What the rules look at, from the HTML: the title, the markup (attribute values and
    script bodies), the visible text and the number of links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.markup: list[str] = []
        self.text: list[str] = []
        self.links = 0
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            self.markup.append(f"{name}={value or ''}")
        if tag == "a" and any(name == "href" for name, _ in attrs):
            self.links += 1
        if tag in ("title", "script", "style", "noscript"):
            self._in.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data) -> None:
        where = self._in[-1] if self._in else ""
        if where == "title":
            self.title.append(data)
        elif where == "script":
            self.markup.append(data)
        elif where not in ("style", "noscript"):
            self.text.append(data)


@dataclass(frozen=True)
class _Page:
    status: Optional[int]
    headers: Mapping[str, str]
    title: str
    markup: str
    text: str
    links: int


def _read_page(status: Optional[int], headers: Mapping[str, str], html: str) -> _Page:
    view = _PageView()
    try:
        view.feed(html[:MAX_HTML_CHARS])
        view.close()
    except Exception:  # noqa: BLE001 - html.parser copes with almost anything; keep what it read
        pass
    text = " ".join(" ".join(view.text).split())
    return _Page(status=status, headers={k.lower(): v for k, v in headers.items()},
                 title=" ".join(" ".join(view.title).split()), markup="\n".join(view.markup),
                 text=text, links=view.links)


def _matches(rule: Rule, page: _Page) -> bool:
    if rule.statuses and page.status not in rule.statuses:
        return False
    if rule.max_text_chars is not None and len(page.text) > rule.max_text_chars:
        return False
    if rule.max_links is not None and page.links > rule.max_links:
        return False
    if rule.kind == "header":
        value = page.headers.get(rule.needle)
        return value is not None and (not rule.values or any(v in value.lower() for v in rule.values))
    if rule.kind == "markup":
        return rule.needle in page.markup
    if rule.kind == "title":
        return page.title.lower() == rule.needle.lower()
    return rule.needle in page.text


def detect_challenge(
    status: Optional[int],
    headers: Mapping[str, str],
    html: str,
    signatures: Optional[tuple[Signature, ...]] = None,
) -> Optional[Challenge]:
    """The challenge this response is, or None for an ordinary page (or error page)."""
    signatures = default_signatures() if signatures is None else signatures
    page = _read_page(status, headers, html or "")
    for signature in signatures:
        for rule in signature.rules:
            if _matches(rule, page):
                return Challenge(vendor=signature.vendor, evidence=rule.describe())
    return None
