"""The one result model shared by every room: engine, checks and reports.

Everything that crosses a wall is one of these classes. They are pydantic models so that a
run's artifacts and results round-trip through JSON (``auditor rescore``) and so that the
JSON schema of ``result.json`` can be generated and versioned (``RESULT_SCHEMA_VERSION``).
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import datetime, timezone
from enum import Enum
from typing import Any, ClassVar, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# Bump the major part when a field is removed or renamed; the minor part when one is added.
RESULT_SCHEMA_VERSION = "1.5"

# The limits a page or response can run into (the AuditSettings names), recorded in
# ``PageArtifacts.limits_hit``, ``PageSummary.limits_hit`` and ``SiteArtifacts.limits_hit``.
LIMIT_NAMES = ("page_timeout_s", "max_response_bytes", "max_dom_bytes", "max_text_chars", "max_links",
               "max_document_bytes", "time_budget_s")


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
    EXPLAINED = "explained"  # comply or explain: the owner explained why (not yet); never a pass

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

    @property
    def weight(self) -> int:
        """axe-core's impact weight, as Lighthouse uses it: critical 10, serious 7, moderate 3, minor 1."""
        return _SEVERITY_WEIGHT[self]


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.SERIOUS: 3,
    Severity.MODERATE: 2,
    Severity.MINOR: 1,
    Severity.INFO: 0,
}
_SEVERITY_WEIGHT = {
    Severity.CRITICAL: 10,
    Severity.SERIOUS: 7,
    Severity.MODERATE: 3,
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
    TOO_LARGE = "too_large"  # the response is larger than the response-size limit: not loaded


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


class Explanation(_Model):
    """Comply or explain: why a criterion or a finding is not (yet) met, given by the site's
    owner in the site description. It is shown beside the measured result, never instead."""

    criterion_id: str = ""  # explains a whole criterion …
    finding: str = ""  # … or one finding, by fingerprint
    reason: str
    by: str = ""
    date: Optional[date_type] = None
    expires: Optional[date_type] = None
    link: str = ""

    def expired_on(self, day: date_type) -> bool:
        return self.expires is not None and self.expires < day


class ManualAnswer(_Model):
    """The answer to a manual (or partly automated) criterion's question."""

    criterion_id: str
    answer: str  # "yes", "partly" or "no"
    evidence: str = ""  # a link or a reference to the proof
    by: str = ""
    date: Optional[date_type] = None
    note: str = ""


class Site(_Model):
    """What is audited: start URL(s) plus metadata checks may read."""

    start_urls: list[str]
    organisation: str = ""
    kind: SiteKind = SiteKind.OTHER
    audiences: list[Audience] = Field(default_factory=lambda: [Audience.CITIZENS])
    contact: str = ""
    explanations: list[Explanation] = Field(default_factory=list)
    answers: list[ManualAnswer] = Field(default_factory=list)
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


class OverflowingElement(_Model):
    """An element whose right edge lies beyond the viewport, making the page scroll sideways."""

    selector: str
    right: float  # right edge, CSS px from the left of the page
    width: float = 0.0


class SmallTapTarget(_Model):
    """An interactive element under 24×24 CSS px without the spacing WCAG 2.5.8 allows instead."""

    selector: str
    width: float
    height: float
    text: str = ""  # its visible label, capped


class SmallTextSample(_Model):
    selector: str  # the element holding the text
    font_size: float  # computed, CSS px
    text: str = ""  # capped


class ClippedText(_Model):
    """Text partly cut off by a container with ``overflow: hidden`` (or ``clip``)."""

    selector: str  # the clipping container
    text: str = ""  # the text that is cut, capped
    axis: str = ""  # "horizontal", "vertical" or "both"
    deliberate: bool = False  # text-overflow: ellipsis or line-clamp: truncation on purpose


class LayoutAtWidth(_Model):
    """What one viewport width showed (one evaluate call in the page)."""

    width: int  # viewport size set, CSS px
    height: int
    scroll_width: int = 0  # document.documentElement.scrollWidth
    client_width: int = 0  # document.documentElement.clientWidth
    root_clips_x: bool = False  # html/body overflow-x hidden: content beyond is cut, not scrollable
    overflowing: list[OverflowingElement] = Field(default_factory=list)  # capped, widest first
    overflowing_total: int = 0
    # tap targets and font sizes are measured at phone width only (0 in the 320 px layout)
    tap_targets: int = 0  # interactive elements measured
    small_tap_targets: list[SmallTapTarget] = Field(default_factory=list)  # capped
    small_tap_targets_total: int = 0
    text_chars: int = 0  # visible characters measured
    small_text_chars: int = 0  # of which in a font under 12 px
    small_text: list[SmallTextSample] = Field(default_factory=list)  # capped
    clipped: list[ClippedText] = Field(default_factory=list)  # capped
    clipped_total: int = 0
    screenshot: str = ""  # JPEG of this render, relative to the run folder ("" when none)

    @property
    def horizontal_overflow(self) -> int:
        """How far content reaches past the viewport, in CSS px: scrollable, or cut off when the
        page hides horizontal overflow (then scrollWidth equals clientWidth)."""
        widest = max((round(element.right) for element in self.overflowing), default=0)
        return max(self.scroll_width, widest) - self.client_width


class ResourceWeight(_Model):
    url: str
    resource_type: str = ""  # initiator type: img, script, css, fetch…
    bytes: int


class OversizedImage(_Model):
    """An image whose file is much wider than the space it is shown in."""

    url: str
    selector: str = ""
    natural_width: int
    natural_height: int = 0
    displayed_width: float
    displayed_height: float = 0.0
    bytes: Optional[int] = None


class PageWeight(_Model):
    """Bytes and paint timing of the page load, from the Resource/Navigation Timing entries."""

    bytes: int = 0  # document + resources with a known size (transferSize, else encodedBodySize)
    resources: int = 0  # resource timing entries (document excluded)
    sizes_unknown: list[str] = Field(default_factory=list)  # URLs whose size timing hides (capped)
    sizes_unknown_total: int = 0
    entries_truncated: bool = False  # the browser's resource timing buffer was full
    largest: list[ResourceWeight] = Field(default_factory=list)  # capped, largest first
    oversized_images: list[OversizedImage] = Field(default_factory=list)  # capped
    lcp_ms: Optional[float] = None  # largest contentful paint, ms from navigation start
    lcp_element: str = ""  # selector of the LCP element


class MobileArtifacts(_Model):
    """What the mobile pass of a page saw (auditor/gather/collectors/mobile.py).

    The pass reuses the loaded page and only resizes its viewport: the browser context keeps its
    desktop User-Agent, device scale factor 1 and no touch emulation, which cannot change per
    page. ``phone`` is a 412×915 viewport (Pixel 7-like); ``reflow`` is 320 CSS px wide (WCAG
    1.4.10, the same as 1280 px at 400 % zoom).
    """

    phone: Optional[LayoutAtWidth] = None
    reflow: Optional[LayoutAtWidth] = None
    weight: Optional[PageWeight] = None
    device: str = ""  # how the mobile render was made, in words


class FocusStep(_Model):
    """One Tab press: the element that received focus and whether focusing it changed how it
    looks (outline, box-shadow, border or background compared with the unfocused state)."""

    index: int  # 1 = first Tab press
    selector: str = ""
    snippet: str = ""  # opening tag, capped
    tag: str = ""
    visible_change: bool = True
    changed: list[str] = Field(default_factory=list)  # CSS properties that changed on focus


class KeyboardArtifacts(_Model):
    """What tabbing through a page saw (auditor/gather/collectors/keyboard.py)."""

    steps: list[FocusStep] = Field(default_factory=list)
    tab_presses: int = 0
    focusable_total: int = 0  # focusable elements counted in the DOM
    stopped_reason: str = ""  # "limit", "cycle", "time", "focus_left_page", "no_focus"


class MarkerHit(_Model):
    """One detection marker (configs/markers/flemish.toml) that matched, and where."""

    marker_id: str
    kind: str  # script_src, request_host, dom_selector, js_global, cookie, link, font_family
    proves: str  # what the marker proves, e.g. "mbp-header-v4"
    confidence: str  # high, medium, low (low/medium for markers the research only inferred)
    where: str  # "script src", "DOM after render", "network request", "global", "cookie", "link", "font", "redirect"
    value: str = ""  # what matched: URL, selector and HTML snippet, global name, cookie name, link text → URL
    source: str = ""


class FlemishObservations(_Model):
    """What the rendered page showed the marker matcher, raw (auditor/gather/collectors/flemish.py),
    so that the matches can be recomputed from saved artifacts with another marker file."""

    selectors: dict[str, list] = Field(default_factory=dict)  # CSS selector → [count, first match's HTML]; count -1: invalid, with the error
    globals: dict[str, str] = Field(default_factory=dict)  # window global path probed → typeof, "" when absent
    fonts: list[str] = Field(default_factory=list)  # font families of body, h1, main and loaded fonts
    scripts: list[str] = Field(default_factory=list)  # <script src> URLs in the rendered DOM


class FlemishArtifacts(_Model):
    """Flemish building-block evidence of one page. The collector (auditor/gather/collectors/flemish.py)
    records what the rendered page showed (``observed``, ``footer_text``); the page reducer
    (auditor/score/reducers/flemish.py) matches it, the page's links, requests and cookies against
    the marker file into ``hits`` and keeps one per page in ``SiteArtifacts.flemish_pages``."""

    page_url: str = ""
    markers_version: str = ""
    hits: list[MarkerHit] = Field(default_factory=list)
    footer_text: str = ""  # visible text of the page footer, capped
    text_excerpt: str = ""  # visible text of contact/about/start pages (capped), for the contact checks
    roles: list[str] = Field(default_factory=list)
    depth: int = 0
    error: str = ""  # why markers could not be evaluated (e.g. an invalid marker file)
    observed: Optional[FlemishObservations] = None  # in pages.jsonl only; None in site.json and in older runs


class LoginHop(_Model):
    """One request of a login probe: where it went and how it answered."""

    url: str
    status: Optional[int] = None
    https: bool = False
    error: str = ""  # one line, when the request failed (TLS, DNS, refused…)
    failure: Optional[PageStatus] = None
    hits: list[MarkerHit] = Field(default_factory=list)  # login-host markers matching this hop


class LoginProbe(_Model):
    """A login link followed without credentials (auditor/probes/login.py): the redirect chain
    and what the page at its end asks for."""

    start_url: str
    link_text: str = ""
    found_on: str = ""
    hops: list[LoginHop] = Field(default_factory=list)
    final_url: str = ""
    final_status: Optional[int] = None
    password_field: bool = False  # the final page asks for a password itself
    password_snippet: str = ""
    script_hosts: list[str] = Field(default_factory=list)  # hosts of scripts on the final page
    error: str = ""


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
    # parts filled by page collectors (auditor/gather/collectors/*), each its own model below
    mobile: Optional[MobileArtifacts] = None
    keyboard: Optional[KeyboardArtifacts] = None
    flemish: Optional[FlemishArtifacts] = None
    collector_errors: dict[str, str] = Field(default_factory=dict)  # collector name → error
    timings: dict[str, float] = Field(default_factory=dict)  # milliseconds
    visited_at: datetime = Field(default_factory=utc_now)
    bot_challenge: str = ""  # vendor of the WAF/bot challenge served instead (status blocked)
    # the limits this page ran into, by setting name (LIMIT_NAMES); what was cut is recorded
    # (dom_truncated, links_found against links kept, an axe error, a too_large status)
    limits_hit: list[str] = Field(default_factory=list)
    links_found: Optional[int] = None  # links on the page, when more than were kept (max_links)

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
    bot_challenge: str = ""  # vendor of the WAF/bot challenge the final answer is (not the site's)


# --------------------------------------------------------------------------- TLS and security.txt
# Filled by auditor/probes/site.py (from auditor/probes/tls.py); read by checks/tls.py and
# checks/security_txt.py. Mirrors tls_probe's dataclasses so saved artifacts can be rescored.


class TlsCertificate(_Model):
    """The leaf certificate as the server sent it (read even when verification failed)."""

    subject: str = ""
    subject_cn: str = ""
    sans: list[str] = Field(default_factory=list)
    issuer: str = ""
    issuer_cn: str = ""
    not_before: str = ""  # ISO 8601, UTC
    not_after: str = ""
    days_left: Optional[int] = None  # at probe time; negative once expired
    expired: bool = False
    not_yet_valid: bool = False
    self_signed: bool = False
    key_type: str = ""  # RSA, EC, Ed25519, Ed448, DSA
    key_size: Optional[int] = None
    key_curve: str = ""
    signature_hash: str = ""  # e.g. sha256
    signature_hash_weak: bool = False  # sha1 or md5
    serial_number: str = ""
    fingerprint_sha256: str = ""
    matches_host: Optional[bool] = None


class TlsProtocol(_Model):
    version: str  # TLSv1.0 … TLSv1.3
    status: str  # accepted, refused, not_testable, not_tested, error
    detail: str = ""


class TlsInfo(_Model):
    """One host name's TLS as a verifying client and a per-version probe saw it."""

    host: str
    port: int = 443
    address: str = ""  # where we connected, when --resolve mapped the host
    role: str = ""  # "start" (the start URL's host) or "twin" (its www./apex counterpart)
    reachable: bool = False
    failure: Optional[str] = None  # dns_resolution_error, connection_refused, timeout, tls_error…
    error: str = ""
    verified: bool = False
    verify_error: str = ""  # OpenSSL's words
    verify_reason: str = ""  # expired, not_yet_valid, self_signed, unknown_issuer, hostname_mismatch…
    negotiated_protocol: str = ""
    cipher: str = ""
    certificate: Optional[TlsCertificate] = None
    protocols: list[TlsProtocol] = Field(default_factory=list)
    probed_at: str = ""  # ISO 8601


class SecurityTxtInfo(_Model):
    """What /.well-known/security.txt (RFC 9116) answered; the text is parsed by the check."""

    url: str
    final_url: str = ""
    http_status: Optional[int] = None
    content_type: str = ""
    text: str = ""  # size-capped
    truncated: bool = False
    error: str = ""
    failure: Optional[PageStatus] = None
    fetched_at: Optional[datetime] = None


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
    readability: Optional[ReadabilityScore] = None  # None when the page has too little Dutch text
    limits_hit: list[str] = Field(default_factory=list)  # see PageArtifacts.limits_hit


class SiteArtifacts(_Model):
    """Site-level probes, gathered once per site, plus the summary of every page."""

    site: Site
    robots: Optional[RobotsInfo] = None
    sitemaps: list[SitemapInfo] = Field(default_factory=list)
    probes: list[TransportProbe] = Field(default_factory=list)
    tls: list[TlsInfo] = Field(default_factory=list)  # one per HTTPS host name probed
    security_txt: Optional[SecurityTxtInfo] = None
    pages: list[PageSummary] = Field(default_factory=list)
    resources: list[ResourceRecord] = Field(default_factory=list)
    skipped: list[SkippedUrl] = Field(default_factory=list)
    broken_links: list[BrokenLink] = Field(default_factory=list)
    # must-visit roles and the URL found for each ("privacy" → url)
    role_pages: dict[str, str] = Field(default_factory=dict)
    # visible text of the role pages (capped), for the checks that read a statement's content
    role_texts: dict[str, str] = Field(default_factory=dict)
    documents: list[DocumentInfo] = Field(default_factory=list)  # sample of linked PDFs, analysed
    # Flemish building blocks: markers matched on each rendered page, and login links followed
    flemish_pages: list[FlemishArtifacts] = Field(default_factory=list)
    login_probes: list[LoginProbe] = Field(default_factory=list)
    # consent and trackers: fresh-context probe and the third-party inventory of every page
    consent: Optional[ConsentProbe] = None
    third_parties: Optional[ThirdPartyInventory] = None
    # limit name → how many times it was hit in this run (pages, documents, the time budget)
    limits_hit: dict[str, int] = Field(default_factory=dict)


class DocumentInfo(_Model):
    """One downloaded document (PDF) and what its structure says about its accessibility
    (auditor/probes/documents.py). Downloads are never opened with anything but a parser."""

    url: str
    linked_from: str = ""
    content_type: str = ""
    size: Optional[int] = None  # bytes downloaded
    error: str = ""  # why it could not be analysed ("" when it was)
    pages: Optional[int] = None
    tagged: Optional[bool] = None  # /MarkInfo /Marked true and a /StructTreeRoot
    marked: Optional[bool] = None
    has_struct_tree: Optional[bool] = None
    title: str = ""  # document title from the XMP/Info metadata
    display_doc_title: Optional[bool] = None  # /ViewerPreferences /DisplayDocTitle
    lang: str = ""  # /Lang of the catalog
    has_text: Optional[bool] = None  # a text layer was found on the pages sampled
    text_chars: int = 0
    encrypted: bool = False


class ReadabilityScore(_Model):
    """Flesch-Douma reading ease of a page's visible Dutch text (auditor/score/reducers/readability.py)."""

    score: float
    words: int = 0
    sentences: int = 0
    language: str = ""


class BrokenLink(_Model):
    url: str
    http_status: Optional[int] = None
    error: str = ""
    linked_from: list[str] = Field(default_factory=list)


PageSummary.model_rebuild()
# completed at the end of the module, once the classes appended below exist
SiteArtifacts.model_rebuild(raise_errors=False)


# --------------------------------------------------------------------------- results


class Evidence(_Model):
    """Where a finding was seen and what proves it."""

    page_url: str = ""
    selector: str = ""
    snippet: str = ""  # HTML or text taken from the site (hostile: escape on output)
    value: str = ""  # what was seen
    expected: str = ""  # what was expected
    screenshot: str = ""  # image of what was seen, relative to the run folder (e.g. evidence/…jpg)


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
    wcag_level: str = ""  # conformance level of those criteria: "A", "AA", "AAA" ("" = best practice)
    fingerprint: str = ""  # stable identity: check + rule + normalised location
    explanation: Optional[Explanation] = None  # comply or explain, from the site description
    explanation_expired: bool = False
    occurrences: int = 1
    pages: list[str] = Field(default_factory=list)  # pages affected (capped, see pages_total)
    pages_total: int = 0
    evidence: list[Evidence] = Field(default_factory=list)  # examples (capped)
    # the same title and description in Dutch, for the Dutch report (schema 1.5); "" when the
    # check gave none (axe's rules: reports/axe_rule_texts.py) or the result predates 1.5
    title_nl: str = ""
    description_nl: str = ""


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
    summary_nl: str = ""  # the summary in Dutch, for the Dutch report (schema 1.5)


# --------------------------------------------------------------------------- typed details
# Some checks put a structure in ``CheckResult.details`` that the reports show. result.json keeps
# ``details`` as the checks write it; these models are the typed reading of it, so a reader uses
# attributes and the shape is written down once. A result without the structure (another check,
# or a result.json from before it existed) reads as None.


def _text_dict(value: Any) -> Any:
    """A mapping read as text → text; anything else as empty (an old or odd result shows no names)."""
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _text_list(value: Any) -> Any:
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else []


class StatementChecklist(_Model):
    """What a statement-content check (accessibility, privacy and cookie statement) concluded per
    required element: ``details["elements"]`` (rule → outcome, in the check's order),
    ``details["element_names"]`` and ``details["element_names_nl"]`` (rule → name)."""

    elements: dict[str, str]
    element_names: dict[str, str] = Field(default_factory=dict)
    element_names_nl: dict[str, str] = Field(default_factory=dict)

    _texts = field_validator("elements", "element_names", "element_names_nl", mode="before")(_text_dict)

    @classmethod
    def from_result(cls, result: Optional[CheckResult]) -> Optional[StatementChecklist]:
        """The checklist of ``result``, or None when it lists no elements."""
        details = result.details if result is not None else None
        if not isinstance(details, dict) or not isinstance(details.get("elements"), dict) or not details["elements"]:
            return None
        return cls.model_validate(details)

    def name(self, rule: str) -> str:
        """The element's English name (its rule when the check named none)."""
        return self.element_names.get(rule) or rule

    def name_nl(self, rule: str) -> str:
        """The element's Dutch name, "" when the check gave none."""
        return self.element_names_nl.get(rule) or ""


class WcagPrincipleCoverage(_Model):
    """The WCAG success criteria of one principle in scope: tested (partly) automatically, or not."""

    number: str = "-"  # "1" for perceivable: the first part of its success criteria's numbers
    automated: list[str] = Field(default_factory=list)
    manual: list[str] = Field(default_factory=list)

    _number = field_validator("number", mode="before")(lambda value: str(value))
    _lists = field_validator("automated", "manual", mode="before")(_text_list)


class WcagCoverage(_Model):
    """What the ``wcag-coverage`` check reports in its ``details``: the WCAG version, the axe tags of
    the run and, per principle name (perceivable…), the success criteria tested automatically."""

    CHECK_ID: ClassVar[str] = "wcag-coverage"

    wcag_version: str = "2.1"
    axe_tags: list[str] = Field(default_factory=list)
    principles: dict[str, WcagPrincipleCoverage] = Field(default_factory=dict)

    _tags = field_validator("axe_tags", mode="before")(_text_list)

    @classmethod
    def from_result(cls, result: Optional[CheckResult]) -> Optional[WcagCoverage]:
        """The coverage in ``result``, or None when it lists no principles or cannot be read."""
        details = result.details if result is not None else None
        if not isinstance(details, dict) or not isinstance(details.get("principles"), dict) or not details["principles"]:
            return None
        try:
            return cls.model_validate(details)
        except ValidationError:  # a principle that is not a table: show no coverage, as before
            return None


class CheckGuidance(_Model):
    """How to fix what a check finds: a short text in Dutch and English, and a link to the
    authority's guidance where one exists (added in schema 1.4)."""

    nl: str
    en: str
    url: str = ""


class CheckInfo(_Model):
    """A check's metadata as reported (copied from the registry)."""

    id: str
    title: str
    failure_title: str
    description: str
    scope: str  # "page" or "site"
    family: str
    requires: list[str] = Field(default_factory=list)
    guidance: Optional[CheckGuidance] = None
    # Dutch titles, for the Dutch report (schema 1.5; "" in results written before)
    title_nl: str = ""
    failure_title_nl: str = ""


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
    measured_outcome: Optional[Outcome] = None  # the automated outcome, when explained
    explanation: Optional[Explanation] = None
    explanation_expired: bool = False
    answer: Optional[ManualAnswer] = None


class PrincipleScore(_Model):
    principle_id: str
    name: str
    score: Optional[float] = None
    criteria_total: int = 0
    criteria_scored: int = 0
    criteria_manual: int = 0
    criteria_explained: int = 0
    criteria_answered: int = 0
    coverage: float = 0.0  # share of the criteria weight that could be assessed automatically


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
    # data sets the checks relied on, with version and licence (tracker database, consent rules)
    data_sources: dict[str, str] = Field(default_factory=dict)


class Coverage(_Model):
    pages_discovered: int = 0
    pages_visited: int = 0
    pages_ok: int = 0
    pages_failed: int = 0
    pages_blocked: int = 0
    pages_skipped: int = 0
    resources: int = 0


class ScorePoint(_Model):
    """One earlier run of the site, for the trend in the report (fleet scans)."""

    run_id: str
    started_at: Optional[datetime] = None
    score: Optional[float] = None


class RunChanges(_Model):
    """What changed since the site's previous run (fleet scans, from the database)."""

    previous_run_id: str
    previous_score: Optional[float] = None
    new: int = 0
    fixed: int = 0
    persisting: int = 0
    new_titles: list[str] = Field(default_factory=list)  # the first few, for the summary
    fixed_titles: list[str] = Field(default_factory=list)
    method_differences: list[str] = Field(default_factory=list)  # not like for like when set
    trend: list[ScorePoint] = Field(default_factory=list)  # every run of the site, oldest first


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
    overall_coverage: float = 0.0  # mean of the principles' coverage
    principles: list[PrincipleScore] = Field(default_factory=list)
    criteria: list[CriterionScore] = Field(default_factory=list)
    checks: list[CheckInfo] = Field(default_factory=list)
    results: list[CheckResult] = Field(default_factory=list)  # site-level, one per check
    pages: list[PageSummary] = Field(default_factory=list)
    resources: list[ResourceRecord] = Field(default_factory=list)
    skipped: list[SkippedUrl] = Field(default_factory=list)
    broken_links: list[BrokenLink] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    changes: Optional[RunChanges] = None  # since the previous run, when history exists
    limits_hit: dict[str, int] = Field(default_factory=dict)  # limit name → times hit (SiteArtifacts.limits_hit)

    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def result_for(self, check_id: str) -> Optional[CheckResult]:
        return next((r for r in self.results if r.check_id == check_id), None)

    def check_info(self, check_id: str) -> Optional[CheckInfo]:
        return next((c for c in self.checks if c.id == check_id), None)


# --------------------------------------------------------------------------- consent and trackers
# Filled by auditor/probes/consent.py (fresh browser contexts: before consent, after reject, after
# accept) and auditor/probes/third_parties.py (every crawled page's requests); classified there with
# Ghostery's tracker database (auditor/probes/trackerdb.py), read by checks/privacy_consent.py.


class TrackerMatch(_Model):
    """What the tracker database says about a host or URL."""

    tracker_id: str
    name: str = ""
    category: str = ""  # the database's category: advertising, site_analytics, social_media…
    company: str = ""
    country: str = ""  # ISO 3166 alpha-2 of the company, "" when the database does not know
    matched: str = ""  # the database entry that matched: a domain, or a path filter
    self_hosted: bool = False  # matched by path on the site's own host (e.g. /matomo.js)


class ConsentCookie(_Model):
    """A cookie present after a visit in a fresh context, classified."""

    name: str
    domain: str
    path: str = "/"
    expires: Optional[float] = None  # unix time; None = session cookie
    third_party: bool = False
    set_by: str = ""  # URL of the script that wrote it with document.cookie, when seen
    tracker: Optional[TrackerMatch] = None  # the cookie's domain, or the script that set it
    essential: bool = True  # a first-party cookie no tracker set (functional, session)


class StorageEntry(_Model):
    """A localStorage or sessionStorage key present after a visit."""

    area: str  # "localStorage" or "sessionStorage"
    key: str
    origin: str = ""
    set_by: str = ""  # URL of the script that called setItem, when seen
    tracker: Optional[TrackerMatch] = None
    essential: bool = True


class ObservedHost(_Model):
    """A host other than the site's own that a visit sent requests to (or tried to: requests
    are recorded before --block-third-party aborts them), or a self-hosted tracker path."""

    host: str
    requests: int = 0
    example_url: str = ""
    tracker: Optional[TrackerMatch] = None


class ConsentVisit(_Model):
    """One page in one consent state: what was set and requested."""

    state: str  # before_consent, after_reject, after_accept
    url: str
    final_url: str = ""
    error: str = ""  # why the page could not be measured
    cookies: list[ConsentCookie] = Field(default_factory=list)
    storage: list[StorageEntry] = Field(default_factory=list)
    hosts: list[ObservedHost] = Field(default_factory=list)  # third-party hosts and self-hosted trackers
    has_form: bool = False


class BannerAction(_Model):
    """Driving the banner's reject or accept path in its own fresh context."""

    path: str  # "reject" or "accept"
    method: str = ""  # "autoconsent" (a CMP rule) or "fallback" (our button texts) or "" when not driven
    cmp: str = ""  # the autoconsent rule that matched
    done: bool = False  # the choice was made
    cosmetic: bool = False  # autoconsent only hid the banner: no choice was made
    clicks: Optional[int] = None  # clicks it took
    clicked: list[str] = Field(default_factory=list)  # texts of the buttons clicked (fallback)
    error: str = ""
    visits: list[ConsentVisit] = Field(default_factory=list)  # pages measured after the choice


class ConsentProbe(_Model):
    """The consent probe of a site: fresh contexts, no interaction, then each banner path."""

    trackerdb: str = ""  # source and version of the tracker database
    autoconsent: str = ""  # source and version of the consent rules ("" when missing)
    fallback_markers: str = ""  # version of configs/markers/consent.toml
    error: str = ""  # why nothing could be measured (one line)
    skipped: str = ""  # why the probe did not run (the crawl could not load the home page)
    notes: list[str] = Field(default_factory=list)  # what was partly missing
    before: list[ConsentVisit] = Field(default_factory=list)  # home page first, then the sample
    banner_found: bool = False
    banner_cmp: str = ""  # autoconsent rule, or "" for a banner found by our texts
    banner_buttons: list[str] = Field(default_factory=list)  # consent button texts seen
    reject: Optional[BannerAction] = None
    accept: Optional[BannerAction] = None


class ThirdPartyHost(_Model):
    """One third-party host across all crawled pages: who owns it and what it may receive."""

    host: str
    tracker: Optional[TrackerMatch] = None
    requests: int = 0
    pages_total: int = 0
    pages: list[str] = Field(default_factory=list)  # capped
    form_pages_total: int = 0  # pages with a form that sent requests here
    form_pages: list[str] = Field(default_factory=list)  # capped
    form_targets: list[str] = Field(default_factory=list)  # form actions pointing here (capped)


class ThirdPartyInventory(_Model):
    trackerdb: str = ""
    error: str = ""  # the database could not be loaded: hosts are listed unclassified
    pages_total: int = 0
    pages_with_forms: int = 0
    hosts: list[ThirdPartyHost] = Field(default_factory=list)
    self_hosted: list[ThirdPartyHost] = Field(default_factory=list)  # first-party tracker paths


SiteArtifacts.model_rebuild()
