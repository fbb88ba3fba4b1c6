"""Flemish building blocks: the Mijn Burgerprofiel global header/footer, the e-loketten, the
login service, and whether a site is recognisable as a Flemish government's.

Evidence comes from the detection markers in ``configs/markers/flemish.toml``, matched on each
rendered page (``SiteArtifacts.flemish_pages``: script src, DOM after render, network request,
window global, cookie, link, font) and on the redirect chains of login links followed without
credentials (``SiteArtifacts.login_probes``). Every finding cites the marker ids that matched,
where, and their confidence; markers the research only inferred carry medium or low confidence.

Expectations follow the site description: the organisation kind (Flemish entity,
municipality, province, other) and the declared audiences. A building block is only expected
where the strategy asks for it (e.g. the Mijn Burgerprofiel header on a municipality's site for
citizens, the E-loket voor ondernemers for entrepreneurs); elsewhere the check says
``not_applicable`` and still reports what it saw.
"""

from __future__ import annotations

from typing import Iterable, Optional

from auditor.model import (
    Audience,
    CheckResult,
    Evidence,
    FlemishArtifacts,
    Finding,
    LoginProbe,
    MarkerHit,
    Outcome,
    PageStatus,
    Severity,
    SiteArtifacts,
    SiteKind,
)
from auditor.shared.texts import Text, joined, say, t_en
from auditor.shared.urls import host_of, registrable_domain, strip_www
from checks._support import BLOCKING_STATUSES, audience_name, site_kind_name, site_result
from checks.registry import CheckContext, site_check

PAGES_LISTED_MAX = 50
EVIDENCE_MAX = 8
CONFIDENCE_RANK = {"low": 1, "medium": 2, "high": 3}

GOVERNMENT_KINDS = frozenset({SiteKind.FLEMISH_ENTITY, SiteKind.MUNICIPALITY, SiteKind.PROVINCE})

# What the markers prove (auditor/shared/markers.py PROVES); tests keep the two lists in step.
# their names (in English, as result.json and both languages' titles have always carried them)
HEADER_VERSIONS = {proves: t_en(f"family.flemish.header-version.{proves}")
                   for proves in ("mbp-header-v4", "mbp-header-v5", "mbp-header-legacy")}
HEADER_MOUNTED = ("mbp-header-mounted", "mbp-footer-mounted")
HEADER_ON_PAGE = frozenset(HEADER_VERSIONS) | frozenset(HEADER_MOUNTED) | {"mbp-widget-test-host"}
WIDGET_TEST_HOST = "mbp-widget-test-host"

# (what the marker proves, the e-loket's name: a proper name, the same in both catalogs)
ELOKETTEN: dict[Audience, tuple[str, str]] = {
    audience: (proves, t_en(f"family.flemish.eloket.{proves}")) for audience, proves in (
        (Audience.CITIZENS, "eloket-mbp"),
        (Audience.ENTREPRENEURS, "eloket-ondernemers"),
        (Audience.ASSOCIATIONS, "eloket-verenigingen"),
        (Audience.LOCAL_GOVERNMENTS, "eloket-lokale-besturen"),
    )
}
MBP_EMBED = "mbp-embed-sdk"

# the login services a marker recognises; their names are login-identity-provider.service.<id>
LOGIN_SERVICES = ("acmidm-login-test", "acmidm-login", "csam-fas-login", "itsme-login")
OWN_ACCOUNT = "own-account-form"

# the house-style marker groups; their names are flemish-house-style.group.<id>
HOUSE_STYLE_GROUPS = ("webuniversum-assets", "vl-components", "flanders-fonts", "vlaanderen-logo-link")


# --------------------------------------------------------------------------- shared helpers

# the tables of this family's shared texts in the catalogs
F = "family.flemish."
L = "login-identity-provider."
H = "flemish-house-style.summary."


def expects_citizen_header(site: SiteArtifacts) -> bool:
    return site.site.kind in GOVERNMENT_KINDS and Audience.CITIZENS in site.site.audiences


def own_hosts(site: SiteArtifacts) -> set[str]:
    """The site's host names (``www.`` ignored): those of the start URLs and of where the start
    pages ended after redirects."""
    urls = list(site.site.start_urls) + [page.final_url for page in site.pages if not page.found_on and page.final_url]
    return {strip_www(host_of(url)) for url in urls} - {""}


def evidence_pages(site: SiteArtifacts) -> list[FlemishArtifacts]:
    """Pages with marker evidence, on the site's own hosts: a login link that ends on the
    identity provider's page is not a page of the site (its header and text are not the site's)."""
    hosts = own_hosts(site)
    return [page for page in site.flemish_pages
            if (not page.error or page.hits) and (not hosts or strip_www(host_of(page.page_url)) in hosts)]


def no_evidence_result(check_id: str, site: SiteArtifacts) -> Optional[CheckResult]:
    """The result when there is nothing to judge: no page rendered, or no marker evidence
    (an invalid marker file, or saved artifacts from before these checks existed)."""
    if evidence_pages(site):
        return None
    broken = [page.error for page in site.flemish_pages if page.error]
    if broken:
        return site_result(check_id, Outcome.ERROR, **say("family.flemish.summary.error",
                                                          broken_0=broken[0]).fields("summary"))
    ok_pages = [page for page in site.pages if page.status == PageStatus.OK]
    if not ok_pages and any(page.status in BLOCKING_STATUSES for page in site.pages):
        return site_result(check_id, Outcome.BLOCKED, **say("family.flemish.summary.blocked").fields("summary"))
    if ok_pages:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("family.flemish.summary.not-applicable.no-flemish-marker").fields("summary"))
    return site_result(check_id, Outcome.NOT_APPLICABLE,
                       **say("family.flemish.summary.not-applicable.no-page-could").fields("summary"))


def hits_proving(page: FlemishArtifacts, proves: Iterable[str]) -> list[MarkerHit]:
    wanted = set(proves)
    return [hit for hit in page.hits if hit.proves in wanted]


def hits_by_proves(
    pages: Iterable[FlemishArtifacts], proves: Iterable[str], also: Optional[dict[str, str]] = None
) -> dict[str, list[tuple[str, MarkerHit]]]:
    """Hits grouped by what they prove, each with its page: hits proving one of ``proves``
    under their own name, hits named in ``also`` under the group it maps them to."""
    wanted, also = set(proves), also or {}
    groups: dict[str, list[tuple[str, MarkerHit]]] = {}
    for page in pages:
        for hit in page.hits:
            group = hit.proves if hit.proves in wanted else also.get(hit.proves)
            if group is not None:
                groups.setdefault(group, []).append((page.page_url, hit))
    return groups


def best_confidence(hits: Iterable[MarkerHit]) -> str:
    ranked = sorted(hits, key=lambda hit: CONFIDENCE_RANK.get(hit.confidence, 0), reverse=True)
    return ranked[0].confidence if ranked else ""


def hit_evidence(page_url: str, hit: MarkerHit, expected: str = "") -> Evidence:
    """A marker hit in the words of a finding: which marker, where, how sure, what matched."""
    selector = ""
    if hit.kind == "dom_selector":
        selector = hit.value.split(" (", 1)[0]
    return Evidence(
        page_url=page_url,
        selector=selector,
        snippet=hit.value,
        value=t_en("family.flemish.seen.marker-matched-in", marker_id=hit.marker_id, where=hit.where,
                   confidence=hit.confidence),
        expected=expected,
    )


def cited_markers(hits: Iterable[MarkerHit]) -> list[dict[str, str]]:
    """Unique markers of a list of hits, for a result's details."""
    seen: dict[str, dict[str, str]] = {}
    for hit in hits:
        seen.setdefault(hit.marker_id, {"marker": hit.marker_id, "where": hit.where,
                                        "confidence": hit.confidence, "proves": hit.proves})
    return list(seen.values())


def audiences_note(site: SiteArtifacts) -> Text:
    """A note that the site's kind or audiences were assumed, not given ("" when they were given)."""
    if "audiences" in site.site.defaulted or "kind" in site.site.defaulted:
        return say(F + "audiences-defaulted")
    return Text("", "")


def _describe(site: SiteArtifacts) -> Text:
    # English names the kind and audiences as the settings spell them; Dutch in words
    kind = site.site.kind.value
    audiences = [audience.value for audience in site.site.audiences]
    return say(F + "site-described", kind=Text(kind, site_kind_name(kind).nl),
               audiences=Text(", ".join(audiences), ", ".join(audience_name(a).nl for a in audiences))
               if audiences else say(F + "no-audiences"))


# --------------------------------------------------------------------------- global header


@site_check(id="mbp-global-header", requires=("flemish_pages",))
def mbp_global_header(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "mbp-global-header"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    pages = evidence_pages(site)
    with_header = [page for page in pages if hits_proving(page, HEADER_ON_PAGE)]
    without = [page for page in pages if page not in with_header]
    versions: dict[str, list[str]] = {}
    all_hits: list[MarkerHit] = []
    for page in with_header:
        page_hits = hits_proving(page, HEADER_ON_PAGE)
        all_hits += page_hits
        for hit in page_hits:
            if hit.proves in HEADER_VERSIONS:
                urls = versions.setdefault(HEADER_VERSIONS[hit.proves], [])
                if page.page_url not in urls:
                    urls.append(page.page_url)
    mounted = sum(1 for page in with_header if hits_proving(page, HEADER_MOUNTED))
    details = {
        "expected": expects_citizen_header(site),
        "pages_checked": len(pages),
        "pages_with_header": len(with_header),
        "pages_with_mounted_header": mounted,
        "versions": {name: len(urls) for name, urls in versions.items()},
        "pages_missing": [page.page_url for page in without][:PAGES_LISTED_MAX],
        "markers": cited_markers(all_hits),
        "confidence": best_confidence(all_hits),
    }
    found = joined([say(F + "header.found", found=len(with_header), pages=len(pages)),
                    Text(f" ({', '.join(sorted(versions))})", f" ({', '.join(sorted(versions))})") if versions
                    else Text("", ""),
                    say(F + "header.mounted", mounted=mounted) if with_header else Text("", "")], "")
    findings: list[Finding] = []
    if with_header:
        examples = [hit_evidence(page.page_url, hit) for page in with_header[:3]
                    for hit in hits_proving(page, HEADER_ON_PAGE)[:3]]
        findings.append(Finding(
            check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
            **say(F + "finding.header-detected",
                  versions=", ".join(sorted(versions)) or say(F + "dom-only")).fields("title"),
            rule="header-detected", fingerprint=f"{check_id}:detected",
            **say(F + "finding_description.header-detected", confidence=details["confidence"],
                  markers=", ".join(m["marker"] for m in details["markers"])).fields("description"),
            pages=[page.page_url for page in with_header][:PAGES_LISTED_MAX], pages_total=len(with_header),
            occurrences=len(with_header), evidence=examples[:EVIDENCE_MAX],
        ))
    if not details["expected"]:
        return site_result(
            check_id, Outcome.NOT_APPLICABLE,
            **say(F + "header.summary.not-expected", site=_describe(site), found=found).fields("summary"),
            findings=findings, details=details, use_default_score=False,
        )
    expected_text = t_en("family.flemish.expected.the-mijn-burgerprofiel-global-header-foo")
    if without:
        share = len(with_header) / len(pages)
        missing = Finding(
            check_id=check_id, outcome=Outcome.FAIL if not with_header else Outcome.WARNING,
            severity=Severity.SERIOUS if not with_header else Severity.MODERATE,
            **say(F + ("finding.header-missing.none" if not with_header
                       else "finding.header-missing.some")).fields("title"),
            **say(F + "finding_description.header-missing", note=audiences_note(site)).fields("description"),
            rule="header-missing", fingerprint=f"{check_id}:missing",
            pages=[page.page_url for page in without][:PAGES_LISTED_MAX], pages_total=len(without),
            occurrences=len(without),
            evidence=[Evidence(page_url=page.page_url, value=t_en("family.flemish.seen.no-global-header"),
                               expected=expected_text) for page in without[:EVIDENCE_MAX]],
        )
        outcome = Outcome.FAIL if not with_header else Outcome.WARNING
        return site_result(
            check_id, outcome,
            **say(F + "header.summary.missing", site=_describe(site), found=found,
                  without=len(without)).fields("summary"),
            score=share, findings=[missing, *findings], details=details,
            pages_evaluated=len(pages), pages_passed=len(with_header),
        )
    return site_result(check_id, Outcome.PASS, **say(F + "header.summary.pass", found=found).fields("summary"),
                       score=1.0, findings=findings, details=details, pages_evaluated=len(pages),
                       pages_passed=len(pages))


@site_check(id="mbp-widget-production-host", requires=("flemish_pages",))
def mbp_widget_production_host(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "mbp-widget-production-host"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    pages = evidence_pages(site)
    test_pages = [page for page in pages if hits_proving(page, [WIDGET_TEST_HOST])]
    widget_pages = [page for page in pages if hits_proving(page, HEADER_VERSIONS)]
    if test_pages:
        hits = [hit for page in test_pages for hit in hits_proving(page, [WIDGET_TEST_HOST])]
        finding = Finding(
            check_id=check_id, outcome=Outcome.FAIL, severity=Severity.SERIOUS,
            **say("mbp-widget-production-host.finding.widget-test-host").fields("title"),
            rule="widget-test-host", fingerprint=f"{check_id}:test-host",
            pages=[page.page_url for page in test_pages][:PAGES_LISTED_MAX], pages_total=len(test_pages),
            occurrences=len(test_pages),
            evidence=[hit_evidence(page.page_url, hit, t_en("mbp-widget-production-host.expected.production-host"))
                      for page in test_pages[:EVIDENCE_MAX] for hit in hits_proving(page, [WIDGET_TEST_HOST])[:1]],
        )
        return site_result(check_id, Outcome.FAIL,
                           **say("mbp-widget-production-host.summary.fail",
                                 test_pages_count=len(test_pages)).fields("summary"),
                           findings=[finding], details={"markers": cited_markers(hits)},
                           pages_evaluated=len(pages), pages_passed=len(pages) - len(test_pages))
    if not widget_pages:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("mbp-widget-production-host.summary.not-applicable").fields("summary"),
                           use_default_score=False)
    return site_result(check_id, Outcome.PASS,
                       **say("mbp-widget-production-host.summary.pass",
                             widget_pages_count=len(widget_pages)).fields("summary"),
                       pages_evaluated=len(widget_pages), pages_passed=len(widget_pages))


# --------------------------------------------------------------------------- e-loketten


@site_check(id="eloket-links", requires=("flemish_pages",))
def eloket_links(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "eloket-links"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    pages = evidence_pages(site)
    # the v4/v5 global header carries the Mijn Burgerprofiel access menu
    found = hits_by_proves(pages, {proves for proves, _ in ELOKETTEN.values()} | {MBP_EMBED},
                           also={"mbp-header-v4": "eloket-mbp", "mbp-header-v5": "eloket-mbp"})
    details: dict = {"found": {proves: len(items) for proves, items in found.items()}}
    findings: list[Finding] = []
    for proves, label in [*((proves, Text(label, label)) for proves, label in ELOKETTEN.values()),
                          (MBP_EMBED, say("eloket-links.mbp-embed"))]:
        items = found.get(proves, [])
        if items:
            pages_found = list(dict.fromkeys(url for url, _ in items))
            findings.append(Finding(
                check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
                **say("eloket-links.finding.found", label=label).fields("title"),
                rule=f"{proves}-found", fingerprint=f"{check_id}:{proves}:found",
                **say("eloket-links.finding_description.confidence",
                      best_confidence=best_confidence(hit for _, hit in items)).fields("description"),
                pages=pages_found[:PAGES_LISTED_MAX], pages_total=len(pages_found), occurrences=len(items),
                evidence=[hit_evidence(url, hit) for url, hit in items[:EVIDENCE_MAX]],
            ))
    if site.site.kind not in GOVERNMENT_KINDS:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("eloket-links.summary.not-applicable.not-expected", site=_describe(site),
                                 found=", ".join(sorted(found)) or say(F + "none")).fields("summary"),
                           findings=findings, details=details, use_default_score=False)
    expected = [(audience, *ELOKETTEN[audience]) for audience in site.site.audiences if audience in ELOKETTEN]
    if not expected:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("eloket-links.summary.not-applicable.no-audience-with").fields("summary"),
                           findings=findings, details=details, use_default_score=False)
    missing = [(audience, proves, label) for audience, proves, label in expected if proves not in found]
    details["expected"] = [proves for _, proves, _ in expected]
    details["missing"] = [proves for _, proves, _ in missing]
    for audience, proves, label in missing:
        audience_text = Text(audience.value, audience_name(audience.value).nl)
        findings.insert(0, Finding(
            check_id=check_id, outcome=Outcome.FAIL, severity=Severity.MODERATE,
            **say("eloket-links.finding.missing", label=label, audience=audience_text).fields("title"),
            rule=f"{proves}-missing",
            **say("eloket-links.finding_description.missing", label=label, audience=audience_text,
                  pages=len(pages), note=audiences_note(site)).fields("description"),
            fingerprint=f"{check_id}:{proves}:missing",
            evidence=[Evidence(page_url=pages[0].page_url if pages else "",
                               value=t_en("family.flemish.seen.no-link-or", label=label, pages_count=len(pages)),
                               expected=t_en("family.flemish.expected.a-link-to", label=label))],
        ))
    share = 1 - len(missing) / len(expected)
    if missing:
        names = ", ".join(label for _, _, label in missing)
        return site_result(check_id, Outcome.FAIL, **say("eloket-links.summary.fail",
                                                         names=names).fields("summary"),
                           score=share, findings=findings, details=details)
    names = ", ".join(label for _, _, label in expected)
    return site_result(check_id, Outcome.PASS, **say("eloket-links.summary.pass",
                                                     names=names).fields("summary"), score=1.0, findings=findings,
                                                     details=details)


# --------------------------------------------------------------------------- login


def classify_login(probe: LoginProbe) -> tuple[str, list[MarkerHit]]:
    """(login service, the hits that prove it): one of the LOGIN_SERVICES keys,
    ``own-account-form``, ``unreachable`` or ``unknown``."""
    hits = [hit for hop in probe.hops for hit in hop.hits]
    for service in LOGIN_SERVICES:
        proving = [hit for hit in hits if hit.proves == service]
        if proving:
            return service, proving
    if probe.password_field:
        return OWN_ACCOUNT, []
    if probe.error or not probe.final_status or probe.final_status >= 400:
        return "unreachable", []
    return "unknown", []


def _site_of(host: str) -> str:
    """The registrable domain of a host (``login.gemeente.be`` → ``gemeente.be``); an IP
    address stands for itself."""
    return registrable_domain(host) or host


def _insecure_hops(probe: LoginProbe, from_service: bool) -> list[str]:
    """Hops that are not valid HTTPS: from the identity provider's first hop on when a
    service was recognised, else every hop (a password must never travel in the clear)."""
    hops = probe.hops
    if from_service:
        first = next((i for i, hop in enumerate(hops) if hop.hits), 0)
        hops = hops[first:]
    problems = []
    for hop in hops:
        if hop.failure == PageStatus.INVALID_SSL_CERT:
            problems.append(f"{hop.url}: {hop.error or t_en('login-identity-provider.seen.certificate-not-valid')}")
        elif not hop.https:
            problems.append(t_en("family.flemish.seen.plain-http-hop", url=hop.url))
    return problems


@site_check(id="login-identity-provider", requires=("login_probes", "flemish_pages"))
def login_identity_provider(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "login-identity-provider"
    own_form_pages = [
        (page, hit) for page in site.flemish_pages for hit in page.hits
        if hit.proves == OWN_ACCOUNT and ("login" in page.roles or not site.login_probes)
    ]
    if not site.login_probes and not own_form_pages:
        empty = no_evidence_result(check_id, site)
        if empty is not None and empty.outcome != Outcome.NOT_APPLICABLE:
            return empty
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("login-identity-provider.summary.not-applicable").fields("summary"),
                           use_default_score=False)
    government = site.site.kind in GOVERNMENT_KINDS
    findings: list[Finding] = []
    outcomes: list[Outcome] = []
    services: list[str] = []
    for probe in site.login_probes:
        service, hits = classify_login(probe)
        services.append(service)
        no_answer = t_en(F + "no-answer")
        chain = " → ".join(f"{hop.url} ({hop.status or (hop.failure.value if hop.failure else no_answer)})"
                           for hop in probe.hops)
        base = dict(page_url=probe.found_on or probe.start_url, snippet=chain[:500])
        insecure = _insecure_hops(probe, from_service=service in LOGIN_SERVICES)
        if service == "acmidm-login-test":
            outcome, severity, title = Outcome.FAIL, Severity.SERIOUS, say(L + "finding.acmidm-test")
        elif service == "acmidm-login":
            outcome, severity, title = Outcome.PASS, Severity.INFO, say(L + "finding.acmidm")
        elif service in LOGIN_SERVICES:
            outcome = Outcome.WARNING if government else Outcome.PASS
            severity = Severity.MINOR if government else Severity.INFO
            title = say(L + "finding.other-service", service=say(L + f"service.{service}"))
        elif service == OWN_ACCOUNT:
            outcome = Outcome.WARNING if government else Outcome.MANUAL
            severity = Severity.MODERATE if government else Severity.INFO
            title = say(L + "finding.own-account")
        elif service == "unreachable":
            outcome, severity = Outcome.MANUAL, Severity.MINOR
            title = say(L + "finding.unreachable", cause=probe.error or f"HTTP {probe.final_status}")
        else:
            outcome, severity = Outcome.MANUAL, Severity.INFO
            title = say(L + "finding.unknown-service")
        seen = [t_en(F + "seen.login-service", service=service)]
        if hits:
            seen.append(t_en(F + "seen.marker-matched-in", marker_id=hits[0].marker_id, where=hits[0].where,
                             confidence=hits[0].confidence))
        if service == OWN_ACCOUNT:
            seen.append(t_en(F + "seen.password-field", snippet=probe.password_snippet))
        value = "; ".join(seen)
        findings.append(Finding(
            check_id=check_id, outcome=outcome, severity=severity, **title.fields("title"),
            rule=f"login-{service}", fingerprint=f"{check_id}:{service}",
            **say("login-identity-provider.finding_description.link-followed-without",
                  probe_link_text_or_probe=probe.link_text or probe.start_url).fields("description"),
            pages=[probe.found_on] if probe.found_on else [],
            evidence=[Evidence(**base, value=value,
                               expected=t_en("family.flemish.expected.a-redirect-to"))],
        ))
        outcomes.append(outcome)
        if insecure and (service in LOGIN_SERVICES or service == OWN_ACCOUNT):
            outcomes.append(Outcome.FAIL)
            findings.append(Finding(
                check_id=check_id, outcome=Outcome.FAIL, severity=Severity.SERIOUS,
                **say("login-identity-provider.finding.login-insecure-hop").fields("title"), rule="login-insecure-hop",
                fingerprint=f"{check_id}:insecure:{probe.start_url}",
                evidence=[Evidence(**base, value="; ".join(insecure)[:500],
                                   expected=t_en("family.flemish.expected.every-login-hop"))],
            ))
        if service not in LOGIN_SERVICES and service != "unreachable" and probe.final_url:
            own = _site_of(host_of(probe.final_url))
            foreign = [host for host in probe.script_hosts if _site_of(host) != own]
            if foreign and probe.password_field:
                outcomes.append(Outcome.WARNING)
                findings.append(Finding(
                    check_id=check_id, outcome=Outcome.WARNING, severity=Severity.MODERATE,
                    **say("login-identity-provider.finding.login-third-party-scripts").fields("title"),
                    rule="login-third-party-scripts",
                    fingerprint=f"{check_id}:third-party-scripts",
                    evidence=[Evidence(page_url=probe.final_url, value=", ".join(foreign)[:500],
                                       expected=t_en("family.flemish.expected.no-third-party"))],
                ))
    if not site.login_probes:
        for page, hit in own_form_pages[:3]:
            services.append(OWN_ACCOUNT)
            outcome = Outcome.WARNING if government else Outcome.MANUAL
            outcomes.append(outcome)
            findings.append(Finding(
                check_id=check_id, outcome=outcome, severity=Severity.MODERATE if government else Severity.INFO,
                **say(L + "finding.own-account").fields("title"),
                rule=f"login-{OWN_ACCOUNT}", fingerprint=f"{check_id}:{OWN_ACCOUNT}",
                evidence=[hit_evidence(page.page_url, hit, t_en("login-identity-provider.expected.acmidm"))],
            ))
    outcome = next((o for o in (Outcome.FAIL, Outcome.WARNING, Outcome.PASS, Outcome.MANUAL) if o in outcomes),
                   Outcome.MANUAL)
    score = {Outcome.PASS: 1.0, Outcome.WARNING: 0.5, Outcome.FAIL: 0.0}.get(outcome)
    findings.sort(key=lambda f: ({Outcome.FAIL: 0, Outcome.WARNING: 1}.get(f.outcome, 2)))
    return site_result(check_id, outcome, score=score, findings=findings,
                       **say(L + "summary.services", services=", ".join(dict.fromkeys(services))).fields("summary"),
                       details={"services": services, "probes": len(site.login_probes)},
                       use_default_score=False)


# --------------------------------------------------------------------------- recognisable


@site_check(id="vlaanderen-domain", requires=("pages",))
def vlaanderen_domain(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "vlaanderen-domain"
    if site.site.kind != SiteKind.FLEMISH_ENTITY:
        return site_result(check_id, Outcome.NOT_APPLICABLE, use_default_score=False,
                           **say("vlaanderen-domain.summary.not-applicable",
                                 site=_describe(site)).fields("summary"))
    ok_pages = [page for page in site.pages if page.status == PageStatus.OK]
    address = (ok_pages[0].final_url or ok_pages[0].url) if ok_pages else site.site.start_urls[0]
    host = host_of(address)
    if host == "vlaanderen.be" or host.endswith(".vlaanderen.be"):
        return site_result(check_id, Outcome.PASS, **say("vlaanderen-domain.summary.pass",
                                                         host=host).fields("summary"), details={"host": host})
    finding = Finding(
        check_id=check_id, outcome=Outcome.FAIL, severity=Severity.MODERATE,
        **say("vlaanderen-domain.finding.url-strategy").fields("title"), rule="url-strategy",
        fingerprint=f"{check_id}:domain",
        evidence=[Evidence(page_url=address, value=t_en(F + "seen.host", host=host, note=audiences_note(site)),
                           expected=t_en("family.flemish.expected.www-vlaanderen-be"))],
    )
    return site_result(check_id, Outcome.FAIL, **say("vlaanderen-domain.summary.fail",
                                                     host=host).fields("summary"),
                       findings=[finding], details={"host": host})


@site_check(id="flemish-house-style", requires=("flemish_pages",))
def flemish_house_style(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "flemish-house-style"
    empty = no_evidence_result(check_id, site)
    if empty is not None:
        return empty
    pages = evidence_pages(site)
    groups = hits_by_proves(pages, HOUSE_STYLE_GROUPS, also=dict.fromkeys(HEADER_ON_PAGE, "global-header"))
    labels = {group: say(f"flemish-house-style.group.{group}") for group in (*HOUSE_STYLE_GROUPS, "global-header")}
    findings = [
        Finding(
            check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
            **say("flemish-house-style.finding.uses", group=labels[group]).fields("title"),
            rule=f"{group}-found", fingerprint=f"{check_id}:{group}",
            **say("flemish-house-style.finding_description.confidence",
                  best_confidence=best_confidence(hit for _, hit in items)).fields("description"),
            pages=list(dict.fromkeys(url for url, _ in items))[:PAGES_LISTED_MAX],
            pages_total=len(set(url for url, _ in items)), occurrences=len(items),
            evidence=[hit_evidence(url, hit) for url, hit in items[:3]],
        )
        for group, items in groups.items()
    ]
    details = {"found": sorted(groups), "markers": cited_markers(h for items in groups.values() for _, h in items)}
    found = (joined([labels[g] for g in sorted(groups)], ", ") if groups
             else say("flemish-house-style.no-marker"))
    found_text = found.en
    kind = site.site.kind
    if kind == SiteKind.FLEMISH_ENTITY:
        style = bool({"webuniversum-assets", "vl-components", "flanders-fonts"} & set(groups))
        if "global-header" in groups or (style and "vlaanderen-logo-link" in groups):
            return site_result(check_id, Outcome.PASS, findings=findings, details=details,
                               **say(H + "pass", found=found).fields("summary"))
        if groups:
            findings.insert(0, Finding(
                check_id=check_id, outcome=Outcome.WARNING, severity=Severity.MINOR,
                **say("flemish-house-style.finding.house-style-partial").fields("title"), rule="house-style-partial",
                fingerprint=f"{check_id}:partial",
                evidence=[Evidence(page_url=pages[0].page_url, value=found_text,
                                   expected=t_en("family.flemish.expected.the-global-header-footer"))],
            ))
            return site_result(check_id, Outcome.WARNING, **say(H + "partly", found=found).fields("summary"),
                               findings=findings, details=details)
        findings.insert(0, Finding(
            check_id=check_id, outcome=Outcome.FAIL, severity=Severity.MODERATE,
            **say("flemish-house-style.finding.house-style-missing").fields("title"), rule="house-style-missing",
            fingerprint=f"{check_id}:missing",
            evidence=[Evidence(page_url=pages[0].page_url, value=t_en("family.flemish.seen.no-house-style",
                                                                      pages_count=len(pages)),
                               expected=t_en("family.flemish.expected.the-global-header"))],
        ))
        return site_result(check_id, Outcome.FAIL, **say("flemish-house-style.summary.fail").fields("summary"),
                           findings=findings, details=details)
    if kind in GOVERNMENT_KINDS:
        if groups:
            return site_result(check_id, Outcome.PASS, findings=findings, details=details,
                               **say(H + "pass", found=found).fields("summary"))
        return site_result(check_id, Outcome.MANUAL, details=details, use_default_score=False,
                           **say(H + "own-identity", kind=Text(kind.value, site_kind_name(kind.value).nl)
                                 ).fields("summary"))
    return site_result(check_id, Outcome.NOT_APPLICABLE, findings=findings, details=details, use_default_score=False,
                       **say(H + "not-expected", site=_describe(site), found=found).fields("summary"))
