"""Mixed content and Subresource Integrity: what an HTTPS page loads, and from where.

An HTTPS page that loads a script, style sheet, frame or data over plain HTTP lets anyone on the
network change the page; browsers block those (W3C Mixed Content: "blockable" content), so the page
is also broken. Images, audio and video over HTTP ("upgradeable" content) are only upgraded or shown
with a broken padlock: a warning. Web fonts are blockable in the specification and in browsers, so
they count as active here.

Two sources, because each misses something: the page's network log (``PageArtifacts.requests``)
sees fetch/XHR, web sockets and fonts loaded from CSS, but browsers block active mixed content
before a request is made; the rendered DOM still holds the ``http://`` address of every element.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import urljoin

from auditor.model import CheckResult, Evidence, Finding, Outcome, PageArtifacts, Severity
from auditor.shared.texts import Text, joined, say, t_en
from checks._dom import parse_dom
from auditor.shared.urls import host_of, scheme_of
from checks._support import cap_snippet, page_address, page_result
from checks.registry import CheckContext, page_check

EVIDENCE_MAX = 10
ACTIVE = "active"
PASSIVE = "passive"

# Network-log resource types (Playwright's names) that browsers only upgrade or show: passive.
PASSIVE_RESOURCE_TYPES = frozenset({"image", "media"})
INSECURE_SCHEMES = frozenset({"http", "ws"})

# (tag, attribute, kind); <link> is decided by its rel (and as=) below.
ELEMENT_URLS: tuple[tuple[str, str, str], ...] = (
    ("script", "src", ACTIVE),
    ("iframe", "src", ACTIVE),
    ("frame", "src", ACTIVE),
    ("object", "data", ACTIVE),
    ("embed", "src", ACTIVE),
    ("track", "src", ACTIVE),
    ("img", "src", PASSIVE),
    ("img", "srcset", PASSIVE),
    ("source", "src", PASSIVE),
    ("source", "srcset", PASSIVE),
    ("audio", "src", PASSIVE),
    ("video", "src", PASSIVE),
    ("video", "poster", PASSIVE),
    ("input", "src", PASSIVE),
)
PASSIVE_LINK_RELS = frozenset({"icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed"})
ACTIVE_LINK_RELS = frozenset({"stylesheet", "modulepreload", "manifest"})



def _is_https_page(page: PageArtifacts) -> bool:
    return scheme_of(page_address(page)) == "https"


def _attr_text(value) -> str:
    return " ".join(value) if isinstance(value, list) else (value or "")


def _srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


@dataclass
class InsecureLoad:
    url: str
    kind: str  # active or passive
    what: str  # "script element", "image (network log)"…
    selector: str = ""
    snippet: str = ""


def _link_kind(element) -> Optional[str]:
    rels = {r.lower() for r in _attr_text(element.get("rel")).split()}
    if rels & ACTIVE_LINK_RELS:
        return ACTIVE
    if "preload" in rels or "prefetch" in rels:
        return PASSIVE if (element.get("as") or "").lower() in ("image", "audio", "video") else ACTIVE
    if rels & PASSIVE_LINK_RELS:
        return PASSIVE
    return None  # canonical, alternate, author…: not loaded by the page


def insecure_loads_in_dom(page: PageArtifacts) -> list[InsecureLoad]:
    """Elements of the rendered DOM that load an ``http://`` address."""
    if not page.html:
        return []
    soup = parse_dom(page.html)
    found: list[InsecureLoad] = []
    targets = list(ELEMENT_URLS) + [("link", "href", "")]
    for tag, attribute, kind in targets:
        for element in soup.find_all(tag, attrs={attribute: True}):
            element_kind = kind or _link_kind(element)
            if element_kind is None:
                continue
            if tag == "input" and (element.get("type") or "").lower() != "image":
                continue
            raw = _attr_text(element.get(attribute)).strip()
            urls = _srcset_urls(raw) if attribute == "srcset" else [raw]
            for url in urls:
                if scheme_of(url) in INSECURE_SCHEMES:
                    found.append(InsecureLoad(
                        url=url, kind=element_kind, what=f"<{tag} {attribute}>",
                        selector=f'{tag}[{attribute}*="{cap_snippet(url, 120)}"]',
                        snippet=cap_snippet(str(element), 300)))
    return found


def insecure_loads_in_network_log(page: PageArtifacts) -> list[InsecureLoad]:
    """Requests the page made to ``http://`` or ``ws://`` addresses (the page's own navigation
    and its redirects excluded)."""
    own = {page.url, page.final_url} | {r.url for r in page.redirects}
    found = []
    for request in page.requests:
        if scheme_of(request.url) not in INSECURE_SCHEMES:
            continue
        if request.resource_type == "document" and request.url in own:
            continue
        kind = PASSIVE if request.resource_type in PASSIVE_RESOURCE_TYPES else ACTIVE
        resource_type = request.resource_type or t_en("family.mixed_content.request")
        found.append(InsecureLoad(url=request.url, kind=kind,
                                  what=t_en("family.mixed_content.seen.network-log", resource_type=resource_type)))
    return found


def forms_posting_to_http(page: PageArtifacts) -> list[InsecureLoad]:
    if not page.html:
        return []
    soup = parse_dom(page.html)
    found = []
    for element in soup.find_all(["form", "button", "input"]):
        attribute = "action" if element.name == "form" else "formaction"
        target = _attr_text(element.get(attribute)).strip()
        if target and scheme_of(urljoin(page_address(page), target)) == "http":
            found.append(InsecureLoad(url=target, kind=ACTIVE, what=f"<{element.name} {attribute}>",
                                      selector=f'{element.name}[{attribute}="{cap_snippet(target, 120)}"]',
                                      snippet=cap_snippet(str(element), 300)))
    return found


def _merge(loads: list[InsecureLoad]) -> list[InsecureLoad]:
    """One entry per address; active wins over passive, the DOM element (with its snippet) over
    the bare network-log entry."""
    merged: dict[str, InsecureLoad] = {}
    for load in loads:
        existing = merged.get(load.url)
        if existing is None:
            merged[load.url] = load
            continue
        if existing.kind == PASSIVE and load.kind == ACTIVE:
            existing.kind, existing.what = ACTIVE, f"{existing.what}, {load.what}"
        if not existing.snippet and load.snippet:
            existing.snippet, existing.selector = load.snippet, load.selector
    return list(merged.values())


def _finding(check_id: str, rule: str, outcome: Outcome, severity: Severity, title: Text, page_url: str,
             loads: list[InsecureLoad], expected: str) -> Finding:
    """One kind of insecure load on a page; ``title`` in English and Dutch."""
    return Finding(
        check_id=check_id, outcome=outcome, **title.fields("title"), severity=severity, rule=rule,
        fingerprint=f"{check_id}:{rule}", occurrences=len(loads), pages=[page_url], pages_total=1,
        evidence=[Evidence(page_url=page_url, selector=load.selector, snippet=load.snippet,
                           value=f"{load.url} ({load.what})", expected=expected)
                  for load in loads[:EVIDENCE_MAX]],
    )


@page_check(id="mixed-content", requires=("requests", "html"))
def mixed_content(page: PageArtifacts, context: CheckContext) -> CheckResult:
    check_id = "mixed-content"
    if not _is_https_page(page):
        return page_result(check_id, page, Outcome.NOT_APPLICABLE, t_en("mixed-content.summary.not-applicable"))
    page_url = page_address(page)
    loads = _merge(insecure_loads_in_dom(page) + insecure_loads_in_network_log(page))
    active = [load for load in loads if load.kind == ACTIVE]
    passive = [load for load in loads if load.kind == PASSIVE]
    forms = forms_posting_to_http(page)
    findings: list[Finding] = []
    if active:
        findings.append(_finding(
            check_id, "active-mixed-content", Outcome.FAIL, Severity.SERIOUS,
            say("mixed-content.finding.active-mixed-content"), page_url, active,
            t_en("family.mixed_content.expected.the-same-resource-from-an")))
    if forms:
        findings.append(_finding(
            check_id, "form-posts-to-http", Outcome.FAIL, Severity.SERIOUS,
            say("mixed-content.finding.form-posts-to-http"), page_url, forms,
            t_en("family.mixed_content.expected.a-form-action-on-an")))
    if passive:
        findings.append(_finding(
            check_id, "passive-mixed-content", Outcome.WARNING, Severity.MODERATE,
            say("mixed-content.finding.passive-mixed-content"),
            page_url, passive,
            t_en("family.mixed_content.expected.the-image-or-media-file")))
    details = {"active": [load.url for load in active][:50], "passive": [load.url for load in passive][:50],
               "forms": [load.url for load in forms][:50], "dom_truncated": page.dom_truncated}
    if active or forms:
        outcome = Outcome.FAIL
    elif passive:
        outcome = Outcome.WARNING
    else:
        return page_result(check_id, page, Outcome.PASS, t_en("mixed-content.summary.pass"), details=details)
    parts = [say(f"mixed-content.count.{kind}", count=len(items)) for items, kind in
             ((active, "active"), (forms, "forms"), (passive, "passive")) if items]
    return page_result(check_id, page, outcome, t_en("mixed-content.summary.over-http", parts=joined(parts, ", ").en),
                       findings=findings, details=details)


# ----------------------------------------------------------------------------- SRI


def _same_site_host(host: str, page_host: str) -> bool:
    """The page's host, its www./apex twin, or a subdomain of the page's domain."""
    base = page_host[4:] if page_host.startswith("www.") else page_host
    return host == page_host or host == base or host.endswith("." + base)


def third_party_scripts(page: PageArtifacts) -> list[tuple[str, object]]:
    """(absolute URL, element) of the page's ``<script src>`` from another site. The network
    log's third-party flag decides when the script was requested; else the host name does."""
    if not page.html:
        return []
    address = page_address(page)
    page_host = host_of(address)
    flagged = {r.url: r.third_party for r in page.requests}
    scripts = []
    for element in parse_dom(page.html).find_all("script", attrs={"src": True}):
        src = _attr_text(element.get("src")).strip()
        try:
            url = urljoin(address, src)
        except ValueError:
            continue
        if scheme_of(url) not in ("http", "https"):
            continue
        third_party = flagged[url] if url in flagged else not _same_site_host(host_of(url), page_host)
        if third_party:
            scripts.append((url, element))
    return scripts


def _has_integrity(element) -> bool:
    tokens = _attr_text(element.get("integrity")).split()
    return any(t.lower().startswith(("sha256-", "sha384-", "sha512-")) for t in tokens)


@page_check(id="subresource-integrity", requires=("html", "requests"))
def subresource_integrity(page: PageArtifacts, context: CheckContext) -> CheckResult:
    check_id = "subresource-integrity"
    scripts = third_party_scripts(page)
    if not scripts:
        return page_result(check_id, page, Outcome.NOT_APPLICABLE, t_en("subresource-integrity.summary.not-applicable"))
    page_url = page_address(page)
    missing = [(url, element) for url, element in scripts if not _has_integrity(element)]
    details = {"third_party_scripts": len(scripts), "without_integrity": [url for url, _ in missing][:50]}
    if not missing:
        return page_result(check_id, page, Outcome.PASS,
                           t_en("subresource-integrity.summary.pass", scripts_count=len(scripts)), details=details)
    finding = Finding(
        check_id=check_id, outcome=Outcome.WARNING, severity=Severity.MINOR, rule="script-without-integrity",
        **say("subresource-integrity.finding.script-without-integrity").fields("title"),
        fingerprint=f"{check_id}:script-without-integrity",
        occurrences=len(missing), pages=[page_url], pages_total=1,
        evidence=[Evidence(page_url=page_url, selector=f'script[src="{cap_snippet(url, 120)}"]',
                           snippet=cap_snippet(str(element), 300),
                           value=t_en("family.mixed_content.seen.runs-with-the", url=url),
                           expected=t_en("family.mixed_content.expected.integrity-sha384-crossorigin"))
                  for url, element in missing[:EVIDENCE_MAX]],
    )
    return page_result(check_id, page, Outcome.WARNING,
                       t_en("subresource-integrity.summary.warning", missing_count=len(missing),
                            scripts_count=len(scripts)),
                       findings=[finding], details=details)
