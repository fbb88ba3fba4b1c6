"""The one result model shared by every room: engine, checks and reports.

Everything that crosses a wall is one of these classes. They are pydantic models so that a
run's artifacts and results round-trip through JSON (``auditor rescore``) and so that the
JSON schema of ``result.json`` can be generated and versioned (``RESULT_SCHEMA_VERSION``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

# Bump the major part when a field is removed or renamed; the minor part when one is added.
RESULT_SCHEMA_VERSION = "1.1"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", use_enum_values=False)


# --------------------------------------------------------------------------- enumerations


class Outcome(str, Enum):
    """What a check concluded. Only pass, fail and warning move a score."""

    PASS = "pass"
    FAIL = "fail"
    WARNING = "warning"
    NOT_APPLICABLE = "not_applicable"
    MANUAL = "manual"  # needs a person
    ERROR = "error"  # our fault: the check or the tool broke
    BLOCKED = "blocked"  # the site refused us (403/429/WAF/timeouts)

    @property
    def is_scored(self) -> bool:
        return self in SCORED_OUTCOMES


SCORED_OUTCOMES = frozenset({Outcome.PASS, Outcome.FAIL, Outcome.WARNING})


class Severity(str, Enum):
    """How bad a finding is; axe's impact levels, plus info for notes."""

    CRITICAL = "critical"
    SERIOUS = "serious"
    MODERATE = "moderate"
    MINOR = "minor"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.SERIOUS: 3,
    Severity.MODERATE: 2,
    Severity.MINOR: 1,
    Severity.INFO: 0,
}


class SiteKind(str, Enum):
    FLEMISH_ENTITY = "flemish_entity"
    MUNICIPALITY = "municipality"
    PROVINCE = "province"
    OTHER = "other"


class Audience(str, Enum):
    CITIZENS = "citizens"
    ENTREPRENEURS = "entrepreneurs"
    ASSOCIATIONS = "associations"
    LOCAL_GOVERNMENTS = "local_governments"


class PageStatus(str, Enum):
    """Closed set of visit outcomes (after GSA's scan-status): a page the site refused is
    ``blocked`` and a page we could not load is a named failure, never a silent gap."""

    OK = "ok"  # rendered and gathered
    HTTP_ERROR = "http_error"  # 4xx/5xx other than the blocking ones
    BLOCKED = "blocked"  # 401/403/429, WAF challenge
    DNS_RESOLUTION_ERROR = "dns_resolution_error"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_RESET = "connection_reset"
    INVALID_SSL_CERT = "invalid_ssl_cert"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TIMEOUT = "timeout"
    NOT_HTML = "not_html"  # recorded as a resource, not rendered
    BROWSER_CRASH = "browser_crash"
    ERROR = "error"  # anything else; the message says what


class SkipReason(str, Enum):
    """Why a discovered URL was not visited."""

    ROBOTS_DISALLOWED = "robots_disallowed"
    OUT_OF_SCOPE = "out_of_scope"
    EXCLUDED_BY_PATTERN = "excluded_by_pattern"
    PAGE_BUDGET = "page_budget"
    DEPTH_LIMIT = "depth_limit"
    TIME_BUDGET = "time_budget"
    NOT_HTML = "not_html"
    UNSUPPORTED_SCHEME = "unsupported_scheme"
    PRIVATE_ADDRESS = "private_address"
    INTERRUPTED = "interrupted"


# --------------------------------------------------------------------------- the site


class Site(_Model):
    """What is audited: start URL(s) plus metadata checks may read."""

    start_urls: list[str]
    organisation: str = ""
    kind: SiteKind = SiteKind.OTHER
    audiences: list[Audience] = Field(default_factory=lambda: [Audience.CITIZENS])
    contact: str = ""
    # fields the user left at their default, so the report can say so
    defaulted: list[str] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return self.organisation or self.start_urls[0]


# --------------------------------------------------------------------------- artifacts


class Redirect(_Model):
    url: str
    status: int


class RequestRecord(_Model):
    url: str
    resource_type: str = ""
    method: str = "GET"
    status: Optional[int] = None
    failure: str = ""
    third_party: bool = False
    size: Optional[int] = None  # encoded body bytes when known


class CookieRecord(_Model):
    name: str
    domain: str
    path: str = "/"
    secure: bool = False
    http_only: bool = False
    same_site: str = ""
    expires: Optional[float] = None  # unix time; None = session cookie
    first_seen_on: str = ""


class LinkRecord(_Model):
    url: str  # absolute, as resolved by the browser
    text: str = ""
    in_footer: bool = False
    in_header: bool = False  # in the page header or a navigation menu (and not in the footer)


class ConsoleMessage(_Model):
    level: str
    text: str


# --------------------------------------------------------------------------- collector artifacts
# Each page collector family owns one model here; checks read them from PageArtifacts.


class MobileArtifacts(_Model):
    """What the mobile pass of a page saw (auditor/collectors/mobile.py)."""


class KeyboardArtifacts(_Model):
    """What tabbing through a page saw (auditor/collectors/keyboard.py)."""


class FlemishArtifacts(_Model):
    """Flemish building-block markers seen in the rendered page (auditor/collectors/flemish.py)."""


class PageArtifacts(_Model):
    """Everything one browser visit of one page gathered. Checks read these; they are
    written to ``artifacts/pages.jsonl`` so checks can be re-run without a browser."""

    url: str  # as requested (normalised)
    final_url: str = ""
    status: PageStatus = PageStatus.OK
    http_status: Optional[int] = None
    error: str = ""  # one line, when status is not ok
    depth: int = 0
    found_on: str = ""  # the page that linked here ("" for start, "sitemap" for sitemaps)
    roles: list[str] = Field(default_factory=list)  # must-visit roles: privacy, accessibility…
    redirects: list[Redirect] = Field(default_factory=list)
    headers: dict[str, str] = Field(default_factory=dict)  # lower-cased names
    content_type: str = ""
    title: str = ""
    lang: str = ""
    meta: dict[str, str] = Field(default_factory=dict)  # <meta name=…> content, lower-cased names
    html: str = ""  # rendered DOM, size-capped (dom_truncated says so)
    dom_truncated: bool = False
    text: str = ""  # visible text, size-capped
    links: list[LinkRecord] = Field(default_factory=list)
    requests: list[RequestRecord] = Field(default_factory=list)
    cookies: list[CookieRecord] = Field(default_factory=list)
    console: list[ConsoleMessage] = Field(default_factory=list)
    axe: Optional[dict[str, Any]] = None  # axe-core results: violations, incomplete, passes
    # parts filled by page collectors (auditor/collectors/*), each its own model below
    mobile: Optional[MobileArtifacts] = None
    keyboard: Optional[KeyboardArtifacts] = None
    flemish: Optional[FlemishArtifacts] = None
    collector_errors: dict[str, str] = Field(default_factory=dict)  # collector name → error
    timings: dict[str, float] = Field(default_factory=dict)  # milliseconds
    visited_at: datetime = Field(default_factory=utc_now)

    @property
    def assessable(self) -> bool:
        return self.status == PageStatus.OK


class ResourceRecord(_Model):
    """A non-HTML resource found while crawling (PDF, office document…): recorded, not rendered."""

    url: str
    content_type: str = ""
    size: Optional[int] = None
    http_status: Optional[int] = None
    linked_from: str = ""


class SkippedUrl(_Model):
    url: str
    reason: SkipReason
    found_on: str = ""


class RobotsInfo(_Model):
    url: str
    http_status: Optional[int] = None
    found: bool = False
    sitemaps: list[str] = Field(default_factory=list)
    crawl_delay: Optional[float] = None
    disallows_everything: bool = False
    error: str = ""


class SitemapInfo(_Model):
    url: str
    http_status: Optional[int] = None
    url_count: int = 0
    is_index: bool = False
    error: str = ""


class TransportProbe(_Model):
    """How the site's hosts answer before the browser gets involved."""

    url: str
    final_url: str = ""
    http_status: Optional[int] = None
    redirects: list[Redirect] = Field(default_factory=list)
    headers: dict[str, str] = Field(default_factory=dict)
    error: str = ""
    failure: Optional[PageStatus] = None


class PageSummary(_Model):
    """The small part of a page that site-level checks need; kept in memory for every page."""

    url: str
    final_url: str = ""
    status: PageStatus = PageStatus.OK
    http_status: Optional[int] = None
    title: str = ""
    lang: str = ""
    roles: list[str] = Field(default_factory=list)
    depth: int = 0
    found_on: str = ""
    error: str = ""
    footer_links: list[LinkRecord] = Field(default_factory=list)
    header_links: list[LinkRecord] = Field(default_factory=list)


class SiteArtifacts(_Model):
    """Site-level probes, gathered once per site, plus the summary of every page."""

    site: Site
    robots: Optional[RobotsInfo] = None
    sitemaps: list[SitemapInfo] = Field(default_factory=list)
    probes: list[TransportProbe] = Field(default_factory=list)
    pages: list[PageSummary] = Field(default_factory=list)
    resources: list[ResourceRecord] = Field(default_factory=list)
    skipped: list[SkippedUrl] = Field(default_factory=list)
    broken_links: list[BrokenLink] = Field(default_factory=list)
    # must-visit roles and the URL found for each ("privacy" → url)
    role_pages: dict[str, str] = Field(default_factory=dict)


class BrokenLink(_Model):
    url: str
    http_status: Optional[int] = None
    error: str = ""
    linked_from: list[str] = Field(default_factory=list)


SiteArtifacts.model_rebuild()


# --------------------------------------------------------------------------- results


class Evidence(_Model):
    """Where a finding was seen and what proves it."""

    page_url: str = ""
    selector: str = ""
    snippet: str = ""  # HTML or text taken from the site (hostile: escape on output)
    value: str = ""  # what was seen
    expected: str = ""  # what was expected


class Finding(_Model):
    """One problem (or one thing to review), grouped: one template error repeated on 300
    pages is one finding with 300 occurrences."""

    check_id: str
    outcome: Outcome
    title: str
    severity: Severity = Severity.MODERATE
    rule: str = ""  # e.g. the axe rule id
    description: str = ""
    help_url: str = ""
    wcag_sc: list[str] = Field(default_factory=list)  # e.g. ["1.1.1", "4.1.2"]
    fingerprint: str = ""  # stable identity: check + rule + normalised location
    occurrences: int = 1
    pages: list[str] = Field(default_factory=list)  # pages affected (capped, see pages_total)
    pages_total: int = 0
    evidence: list[Evidence] = Field(default_factory=list)  # examples (capped)


class CheckResult(_Model):
    """What one check concluded: for one page (page scope) or for the site."""

    check_id: str
    outcome: Outcome
    score: Optional[float] = None  # 0..1, None when not scored
    summary: str = ""  # one line a person understands
    findings: list[Finding] = Field(default_factory=list)
    page_url: str = ""  # set for page-scope results
    pages_evaluated: int = 0
    pages_passed: int = 0
    details: dict[str, Any] = Field(default_factory=dict)


class CheckInfo(_Model):
    """A check's metadata as reported (copied from the registry)."""

    id: str
    title: str
    failure_title: str
    description: str
    scope: str  # "page" or "site"
    family: str
    requires: list[str] = Field(default_factory=list)


class CheckContribution(_Model):
    check_id: str
    weight: float
    outcome: Outcome
    score: Optional[float] = None


class CriterionScore(_Model):
    criterion_id: str
    principle_id: str
    title: str
    kind: str  # "user" or "inclusion"
    automation: str  # automated, partly_automated, manual
    score: Optional[float] = None  # None when nothing scored
    outcome: Outcome
    checks: list[CheckContribution] = Field(default_factory=list)
    question: str = ""  # for manual and partly automated criteria: what a person answers
    coverage: float = 0.0  # share of weight that was scored


class PrincipleScore(_Model):
    principle_id: str
    name: str
    score: Optional[float] = None
    criteria_total: int = 0
    criteria_scored: int = 0
    criteria_manual: int = 0


class Method(_Model):
    """How a result was produced; two runs are only compared like for like."""

    tool: str = "auditor"
    tool_version: str = ""
    framework_id: str = ""
    framework_version: str = ""
    axe_version: str = ""
    browser: str = ""
    browser_version: str = ""
    user_agent: str = ""
    settings: dict[str, Any] = Field(default_factory=dict)


class Coverage(_Model):
    pages_discovered: int = 0
    pages_visited: int = 0
    pages_ok: int = 0
    pages_failed: int = 0
    pages_blocked: int = 0
    pages_skipped: int = 0
    resources: int = 0


class SiteReport(_Model):
    """The whole result of auditing one site: what ``result.json`` holds."""

    schema_version: str = RESULT_SCHEMA_VERSION
    run_id: str
    site: Site
    started_at: datetime
    finished_at: Optional[datetime] = None
    partial: bool = False  # interrupted or time budget hit
    assessable: bool = True  # False when nothing at all could be audited
    not_assessable_reason: str = ""
    method: Method
    coverage: Coverage
    overall_score: Optional[float] = None
    principles: list[PrincipleScore] = Field(default_factory=list)
    criteria: list[CriterionScore] = Field(default_factory=list)
    checks: list[CheckInfo] = Field(default_factory=list)
    results: list[CheckResult] = Field(default_factory=list)  # site-level, one per check
    pages: list[PageSummary] = Field(default_factory=list)
    resources: list[ResourceRecord] = Field(default_factory=list)
    skipped: list[SkippedUrl] = Field(default_factory=list)
    broken_links: list[BrokenLink] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def result_for(self, check_id: str) -> Optional[CheckResult]:
        return next((r for r in self.results if r.check_id == check_id), None)

    def check_info(self, check_id: str) -> Optional[CheckInfo]:
        return next((c for c in self.checks if c.id == check_id), None)
