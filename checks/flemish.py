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

from auditor.shared.texts import say
from typing import Iterable, Optional
from urllib.parse import urlsplit

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
from checks._support import AUDIENCE_NL, BLOCKING_STATUSES, SITE_KIND_NL, site_result
from checks.registry import CheckContext, site_check

PAGES_LISTED_MAX = 50
EVIDENCE_MAX = 8
CONFIDENCE_RANK = {"low": 1, "medium": 2, "high": 3}

GOVERNMENT_KINDS = frozenset({SiteKind.FLEMISH_ENTITY, SiteKind.MUNICIPALITY, SiteKind.PROVINCE})

# What the markers prove (auditor/shared/markers.py PROVES); tests keep the two lists in step.
HEADER_VERSIONS = {
    "mbp-header-v4": "v4 widget",
    "mbp-header-v5": "v5 global header/footer",
    "mbp-header-legacy": "legacy Webuniversum widget",
}
HEADER_MOUNTED = ("mbp-header-mounted", "mbp-footer-mounted")
HEADER_ON_PAGE = frozenset(HEADER_VERSIONS) | frozenset(HEADER_MOUNTED) | {"mbp-widget-test-host"}
WIDGET_TEST_HOST = "mbp-widget-test-host"

ELOKETTEN: dict[Audience, tuple[str, str]] = {
    Audience.CITIZENS: ("eloket-mbp", "Mijn Burgerprofiel"),
    Audience.ENTREPRENEURS: ("eloket-ondernemers", "E-loket voor ondernemers"),
    Audience.ASSOCIATIONS: ("eloket-verenigingen", "Verenigingsloket"),
    Audience.LOCAL_GOVERNMENTS: ("eloket-lokale-besturen", "Loket voor Lokale Besturen"),
}
MBP_EMBED = "mbp-embed-sdk"

LOGIN_SERVICES = {
    "acmidm-login-test": "the TEST environment of ACM/IDM (authenticatie-ti.vlaanderen.be)",
    "acmidm-login": "ACM/IDM, Vlaams toegangsbeheer (authenticatie.vlaanderen.be)",
    "csam-fas-login": "the federal CSAM/FAS login",
    "itsme-login": "itsme, directly",
}
LOGIN_SERVICES_NL = {
    "acmidm-login-test": "de TESTomgeving van ACM/IDM (authenticatie-ti.vlaanderen.be)",
    "acmidm-login": "ACM/IDM, het Vlaams toegangsbeheer (authenticatie.vlaanderen.be)",
    "csam-fas-login": "de federale aanmelding CSAM/FAS",
    "itsme-login": "itsme, rechtstreeks",
}
OWN_ACCOUNT = "own-account-form"
OWN_ACCOUNT_TITLES = ("The site runs its own account system (asks for a password itself)",
                      "De site heeft een eigen accountsysteem (vraagt zelf een wachtwoord)")

HOUSE_STYLE_GROUPS = {
    "webuniversum-assets": "Webuniversum (ui.vlaanderen.be) assets",
    "vl-components": "vl- components of the Vlaanderen design system",
    "flanders-fonts": "Flanders Art fonts",
    "vlaanderen-logo-link": "the Vlaanderen logo linking to vlaanderen.be",
}
HOUSE_STYLE_GROUPS_NL = {
    "webuniversum-assets": "bestanden van Webuniversum (ui.vlaanderen.be)",
    "vl-components": "vl-componenten van het ontwerpsysteem van Vlaanderen",
    "flanders-fonts": "de lettertypes Flanders Art",
    "vlaanderen-logo-link": "het logo Vlaanderen met een link naar vlaanderen.be",
    "global-header": "de globale header van Mijn Burgerprofiel / Vlaanderen",
}


# --------------------------------------------------------------------------- shared helpers


def expects_citizen_header(site: SiteArtifacts) -> bool:
    return site.site.kind in GOVERNMENT_KINDS and Audience.CITIZENS in site.site.audiences


def own_hosts(site: SiteArtifacts) -> set[str]:
    """The site's host names (``www.`` ignored): those of the start URLs and of where the start
    pages ended after redirects."""
    urls = list(site.site.start_urls) + [page.final_url for page in site.pages if not page.found_on and page.final_url]
    return {_bare_host(url) for url in urls} - {""}


def _bare_host(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def evidence_pages(site: SiteArtifacts) -> list[FlemishArtifacts]:
    """Pages with marker evidence, on the site's own hosts: a login link that ends on the
    identity provider's page is not a page of the site (its header and text are not the site's)."""
    hosts = own_hosts(site)
    return [page for page in site.flemish_pages
            if (not page.error or page.hits) and (not hosts or _bare_host(page.page_url) in hosts)]


def no_evidence_result(check_id: str, site: SiteArtifacts) -> Optional[CheckResult]:
    """The result when there is nothing to judge: no page rendered, or no marker evidence
    (an invalid marker file, or saved artifacts from before these checks existed)."""
    if evidence_pages(site):
        return None
    broken = [page.error for page in site.flemish_pages if page.error]
    if broken:
        return site_result(check_id, Outcome.ERROR, **say("family.flemish.summary.error.the-flemish-markers-could-not",
                                                          broken_0=broken[0]).fields("summary"))
    ok_pages = [page for page in site.pages if page.status == PageStatus.OK]
    if not ok_pages and any(page.status in BLOCKING_STATUSES for page in site.pages):
        return site_result(check_id, Outcome.BLOCKED, **say("family.flemish.summary.blocked.no-page-could-be-loaded").fields("summary"))
    if ok_pages:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("family.flemish.summary.not-applicable.no-flemish-marker-evidence-was").fields("summary"))
    return site_result(check_id, Outcome.NOT_APPLICABLE, **say("family.flemish.summary.not-applicable.no-page-could-be-loaded").fields("summary"))


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
        value=f"marker {hit.marker_id} matched in {hit.where} ({hit.confidence} confidence)",
        expected=expected,
    )


def cited_markers(hits: Iterable[MarkerHit]) -> list[dict[str, str]]:
    """Unique markers of a list of hits, for a result's details."""
    seen: dict[str, dict[str, str]] = {}
    for hit in hits:
        seen.setdefault(hit.marker_id, {"marker": hit.marker_id, "where": hit.where,
                                        "confidence": hit.confidence, "proves": hit.proves})
    return list(seen.values())


def audiences_note(site: SiteArtifacts, lang: str = "en") -> str:
    if "audiences" in site.site.defaulted or "kind" in site.site.defaulted:
        if lang == "nl":
            return (" (soort of doelgroepen niet opgegeven: standaardwaarden aangenomen, beschrijf de site om "
                    "zeker te zijn)")
        return " (kind or audiences not given: defaults assumed, describe the site to be sure)"
    return ""


def _describe(site: SiteArtifacts, lang: str = "en") -> str:
    if lang == "nl":
        audiences = ", ".join(AUDIENCE_NL.get(a.value, a.value) for a in site.site.audiences) or "geen"
        return f"soort {SITE_KIND_NL.get(site.site.kind.value, site.site.kind.value)}, doelgroepen {audiences}"
    audiences = ", ".join(a.value for a in site.site.audiences) or "none"
    return f"kind {site.site.kind.value}, audiences {audiences}"


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
    found_text = (
        f"found on {len(with_header)} of {len(pages)} page(s)"
        + (f" ({', '.join(sorted(versions))})" if versions else "")
        + (f", mounted in the DOM on {mounted}" if with_header else "")
    )
    found_nl = (
        f"gevonden op {len(with_header)} van {len(pages)} pagina('s)"
        + (f" ({', '.join(sorted(versions))})" if versions else "")
        + (f", in de DOM geplaatst op {mounted}" if with_header else "")
    )
    findings: list[Finding] = []
    if with_header:
        examples = [hit_evidence(page.page_url, hit) for page in with_header[:3]
                    for hit in hits_proving(page, HEADER_ON_PAGE)[:3]]
        findings.append(Finding(
            check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
            title=f"Mijn Burgerprofiel global header/footer detected ({', '.join(sorted(versions)) or 'DOM only'})",
            rule="header-detected", fingerprint=f"{check_id}:detected",
            description=f"Confidence {details['confidence']}; markers: "
                        + ", ".join(m["marker"] for m in details["markers"]),
            title_nl="Globale header en footer van Mijn Burgerprofiel gevonden "
                     f"({', '.join(sorted(versions)) or 'alleen in de DOM'})",
            description_nl=f"Betrouwbaarheid {details['confidence']}; kenmerken: "
                           + ", ".join(m["marker"] for m in details["markers"]),
            pages=[page.page_url for page in with_header][:PAGES_LISTED_MAX], pages_total=len(with_header),
            occurrences=len(with_header), evidence=examples[:EVIDENCE_MAX],
        ))
    if not details["expected"]:
        return site_result(
            check_id, Outcome.NOT_APPLICABLE,
            f"not expected for this site ({_describe(site)}); header {found_text}",
            findings=findings, details=details, use_default_score=False,
            summary_nl=f"niet verwacht voor deze site ({_describe(site, 'nl')}); header {found_nl}",
        )
    expected_text = "the Mijn Burgerprofiel global header/footer (v4 or v5 widget, mounted on the page)"
    if without:
        share = len(with_header) / len(pages)
        missing = Finding(
            check_id=check_id, outcome=Outcome.FAIL if not with_header else Outcome.WARNING,
            severity=Severity.SERIOUS if not with_header else Severity.MODERATE,
            title="No Mijn Burgerprofiel global header/footer on any page" if not with_header
            else "Pages without the Mijn Burgerprofiel global header/footer",
            title_nl="Op geen enkele pagina de globale header en footer van Mijn Burgerprofiel" if not with_header
            else "Pagina's zonder de globale header en footer van Mijn Burgerprofiel",
            description_nl="Geen script, verzoek, globale variabele of DOM-kenmerk van de globale header kwam "
                           "overeen op deze pagina's." + audiences_note(site, "nl"),
            rule="header-missing", fingerprint=f"{check_id}:missing",
            description="No script, request, global or DOM marker of the global header matched on these pages."
                        + audiences_note(site),
            pages=[page.page_url for page in without][:PAGES_LISTED_MAX], pages_total=len(without),
            occurrences=len(without),
            evidence=[Evidence(page_url=page.page_url, value="no global header marker matched",
                               expected=expected_text) for page in without[:EVIDENCE_MAX]],
        )
        outcome = Outcome.FAIL if not with_header else Outcome.WARNING
        return site_result(
            check_id, outcome,
            f"expected for {_describe(site)}; {found_text}; missing on {len(without)} page(s)",
            score=share, findings=[missing, *findings], details=details,
            pages_evaluated=len(pages), pages_passed=len(with_header),
            summary_nl=f"verwacht voor {_describe(site, 'nl')}; {found_nl}; ontbreekt op {len(without)} pagina('s)",
        )
    return site_result(check_id, Outcome.PASS, f"global header/footer {found_text}", score=1.0,
                       findings=findings, details=details, pages_evaluated=len(pages),
                       pages_passed=len(pages), summary_nl=f"globale header en footer {found_nl}")


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
            evidence=[hit_evidence(page.page_url, hit, "a production widget host, e.g. prod.widgets.burgerprofiel.vlaanderen.be")
                      for page in test_pages[:EVIDENCE_MAX] for hit in hits_proving(page, [WIDGET_TEST_HOST])[:1]],
        )
        return site_result(check_id, Outcome.FAIL,
                           **say("mbp-widget-production-host.summary.fail.test-staging-widget-host-on-page-s",
                                 test_pages_count=len(test_pages)).fields("summary"),
                           findings=[finding], details={"markers": cited_markers(hits)},
                           pages_evaluated=len(pages), pages_passed=len(pages) - len(test_pages))
    if not widget_pages:
        return site_result(check_id, Outcome.NOT_APPLICABLE, **say("mbp-widget-production-host.summary.not-applicable.no-global-header-footer-widget-script").fields("summary"),
                           use_default_score=False)
    return site_result(check_id, Outcome.PASS,
                       **say("mbp-widget-production-host.summary.pass.the-widget-is-loaded-from",
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
    labels_nl = {MBP_EMBED: "een ingebedde pagina van Mijn Burgerprofiel (mbp-embed-sdk)"}
    for proves, label in [*ELOKETTEN.values(), (MBP_EMBED, "an embedded Mijn Burgerprofiel page (mbp-embed-sdk)")]:
        items = found.get(proves, [])
        if items:
            pages_found = list(dict.fromkeys(url for url, _ in items))
            findings.append(Finding(
                check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO,
                title=f"Leads to {label}", rule=f"{proves}-found", fingerprint=f"{check_id}:{proves}:found",
                **say("eloket-links.finding_description.confidence",
                      best_confidence=best_confidence(hit for _, hit in items)).fields("description"),
                title_nl=f"Leidt naar {labels_nl.get(proves, label)}",
                pages=pages_found[:PAGES_LISTED_MAX], pages_total=len(pages_found), occurrences=len(items),
                evidence=[hit_evidence(url, hit) for url, hit in items[:EVIDENCE_MAX]],
            ))
    if site.site.kind not in GOVERNMENT_KINDS:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           f"not expected for this site ({_describe(site)}); found: "
                           + (", ".join(sorted(found)) or "none"),
                           findings=findings, details=details, use_default_score=False,
                           summary_nl=f"niet verwacht voor deze site ({_describe(site, 'nl')}); gevonden: "
                                      + (", ".join(sorted(found)) or "geen"))
    expected = [(audience, *ELOKETTEN[audience]) for audience in site.site.audiences if audience in ELOKETTEN]
    if not expected:
        return site_result(check_id, Outcome.NOT_APPLICABLE, **say("eloket-links.summary.not-applicable.no-audience-with-a-hoofd").fields("summary"),
                           findings=findings, details=details, use_default_score=False)
    missing = [(audience, proves, label) for audience, proves, label in expected if proves not in found]
    details["expected"] = [proves for _, proves, _ in expected]
    details["missing"] = [proves for _, proves, _ in missing]
    for audience, proves, label in missing:
        findings.insert(0, Finding(
            check_id=check_id, outcome=Outcome.FAIL, severity=Severity.MODERATE,
            title=f"No link to {label} for {audience.value}", rule=f"{proves}-missing",
            title_nl=f"Geen link naar {label} voor {AUDIENCE_NL.get(audience.value, audience.value)}",
            description_nl=f"De site geeft {AUDIENCE_NL.get(audience.value, audience.value)} op als doelgroep, "
                           f"dus het hoofd-e-loket {label} wordt verwacht; geen kenmerk ervan kwam overeen op "
                           f"{len(pages)} pagina('s)." + audiences_note(site, "nl"),
            fingerprint=f"{check_id}:{proves}:missing",
            description=f"The site declares {audience.value} as an audience, so the hoofd e-loket "
                        f"{label} is expected; no marker of it matched on {len(pages)} page(s)."
                        + audiences_note(site),
            evidence=[Evidence(page_url=pages[0].page_url if pages else "",
                               value=f"no {label} link or embed on {len(pages)} page(s)",
                               expected=f"a link to {label}")],
        ))
    share = 1 - len(missing) / len(expected)
    if missing:
        names = ", ".join(label for _, _, label in missing)
        return site_result(check_id, Outcome.FAIL, **say("eloket-links.summary.fail.missing-for-the-declared-audiences",
                                                         names=names).fields("summary"),
                           score=share, findings=findings, details=details)
    names = ", ".join(label for _, _, label in expected)
    return site_result(check_id, Outcome.PASS, **say("eloket-links.summary.pass.leads-to",
                                                     names=names).fields("summary"), score=1.0, findings=findings, details=details)


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


def _registrable(host: str) -> str:
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


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
            problems.append(f"{hop.url}: {hop.error or 'TLS certificate not valid'}")
        elif not hop.https:
            problems.append(f"{hop.url}: plain HTTP")
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
        return site_result(check_id, Outcome.NOT_APPLICABLE, **say("login-identity-provider.summary.not-applicable.no-login-link-or-login").fields("summary"),
                           use_default_score=False)
    government = site.site.kind in GOVERNMENT_KINDS
    findings: list[Finding] = []
    outcomes: list[Outcome] = []
    services: list[str] = []
    for probe in site.login_probes:
        service, hits = classify_login(probe)
        services.append(service)
        chain = " → ".join(f"{hop.url} ({hop.status or (hop.failure.value if hop.failure else 'no answer')})"
                           for hop in probe.hops)
        base = dict(page_url=probe.found_on or probe.start_url, snippet=chain[:500])
        insecure = _insecure_hops(probe, from_service=service in LOGIN_SERVICES)
        if service == "acmidm-login-test":
            outcome, severity, title = Outcome.FAIL, Severity.SERIOUS, "Login goes to the ACM/IDM test environment"
            title_nl = "Aanmelden gaat naar de testomgeving van ACM/IDM"
        elif service == "acmidm-login":
            outcome, severity, title = Outcome.PASS, Severity.INFO, "Login goes through ACM/IDM (Vlaams toegangsbeheer)"
            title_nl = "Aanmelden verloopt via ACM/IDM (Vlaams toegangsbeheer)"
        elif service in LOGIN_SERVICES:
            outcome = Outcome.WARNING if government else Outcome.PASS
            severity = Severity.MINOR if government else Severity.INFO
            title = f"Login goes to {LOGIN_SERVICES[service]}, not through ACM/IDM"
            title_nl = f"Aanmelden gaat naar {LOGIN_SERVICES_NL[service]}, niet via ACM/IDM"
        elif service == OWN_ACCOUNT:
            outcome = Outcome.WARNING if government else Outcome.MANUAL
            severity = Severity.MODERATE if government else Severity.INFO
            title, title_nl = OWN_ACCOUNT_TITLES
        elif service == "unreachable":
            outcome, severity = Outcome.MANUAL, Severity.MINOR
            cause = probe.error or f"HTTP {probe.final_status}"
            title = f"The login link could not be followed ({cause})"
            title_nl = f"De aanmeldlink kon niet gevolgd worden ({cause})"
        else:
            outcome, severity = Outcome.MANUAL, Severity.INFO
            title = "The login link leads to no known login service; check by hand"
            title_nl = "De aanmeldlink leidt naar geen gekende aanmeldservice; kijk zelf na"
        value = f"login service: {service}"
        if hits:
            value += f"; marker {hits[0].marker_id} matched in {hits[0].where} ({hits[0].confidence} confidence)"
        if service == OWN_ACCOUNT:
            value += f"; password field: {probe.password_snippet}"
        findings.append(Finding(
            check_id=check_id, outcome=outcome, severity=severity, title=title,
            rule=f"login-{service}", fingerprint=f"{check_id}:{service}",
            **say("login-identity-provider.finding_description.link-followed-without",
                  probe_link_text_or_probe=probe.link_text or probe.start_url).fields("description"),
            title_nl=title_nl,
            pages=[probe.found_on] if probe.found_on else [],
            evidence=[Evidence(**base, value=value,
                               expected="a redirect to https://authenticatie.vlaanderen.be (ACM/IDM)")],
        ))
        outcomes.append(outcome)
        if insecure and (service in LOGIN_SERVICES or service == OWN_ACCOUNT):
            outcomes.append(Outcome.FAIL)
            findings.append(Finding(
                check_id=check_id, outcome=Outcome.FAIL, severity=Severity.SERIOUS,
                **say("login-identity-provider.finding.login-insecure-hop").fields("title"), rule="login-insecure-hop",
                fingerprint=f"{check_id}:insecure:{probe.start_url}",
                evidence=[Evidence(**base, value="; ".join(insecure)[:500],
                                   expected="every login hop over HTTPS with a valid certificate")],
            ))
        if service not in LOGIN_SERVICES and service != "unreachable" and probe.final_url:
            own = _registrable(urlsplit(probe.final_url).hostname or "")
            foreign = [host for host in probe.script_hosts if _registrable(host) != own]
            if foreign and probe.password_field:
                outcomes.append(Outcome.WARNING)
                findings.append(Finding(
                    check_id=check_id, outcome=Outcome.WARNING, severity=Severity.MODERATE,
                    **say("login-identity-provider.finding.login-third-party-scripts").fields("title"), rule="login-third-party-scripts",
                    fingerprint=f"{check_id}:third-party-scripts",
                    evidence=[Evidence(page_url=probe.final_url, value=", ".join(foreign)[:500],
                                       expected="no third-party scripts (trackers) on a page that asks for a password")],
                ))
    if not site.login_probes:
        for page, hit in own_form_pages[:3]:
            services.append(OWN_ACCOUNT)
            outcome = Outcome.WARNING if government else Outcome.MANUAL
            outcomes.append(outcome)
            findings.append(Finding(
                check_id=check_id, outcome=outcome, severity=Severity.MODERATE if government else Severity.INFO,
                title=OWN_ACCOUNT_TITLES[0], title_nl=OWN_ACCOUNT_TITLES[1],
                rule=f"login-{OWN_ACCOUNT}", fingerprint=f"{check_id}:{OWN_ACCOUNT}",
                evidence=[hit_evidence(page.page_url, hit, "a login through ACM/IDM")],
            ))
    outcome = next((o for o in (Outcome.FAIL, Outcome.WARNING, Outcome.PASS, Outcome.MANUAL) if o in outcomes),
                   Outcome.MANUAL)
    score = {Outcome.PASS: 1.0, Outcome.WARNING: 0.5, Outcome.FAIL: 0.0}.get(outcome)
    summary = "login services: " + ", ".join(dict.fromkeys(services))
    summary_nl = "aanmeldservices: " + ", ".join(dict.fromkeys(services))
    findings.sort(key=lambda f: ({Outcome.FAIL: 0, Outcome.WARNING: 1}.get(f.outcome, 2)))
    return site_result(check_id, outcome, summary, score=score, findings=findings,
                       details={"services": services, "probes": len(site.login_probes)},
                       use_default_score=False, summary_nl=summary_nl)


# --------------------------------------------------------------------------- recognisable


@site_check(id="vlaanderen-domain", requires=("pages",))
def vlaanderen_domain(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "vlaanderen-domain"
    if site.site.kind != SiteKind.FLEMISH_ENTITY:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           f"applies to Flemish entities only ({_describe(site)})", use_default_score=False,
                           summary_nl=f"geldt alleen voor Vlaamse overheidsentiteiten ({_describe(site, 'nl')})")
    ok_pages = [page for page in site.pages if page.status == PageStatus.OK]
    address = (ok_pages[0].final_url or ok_pages[0].url) if ok_pages else site.site.start_urls[0]
    host = (urlsplit(address).hostname or "").lower()
    if host == "vlaanderen.be" or host.endswith(".vlaanderen.be"):
        return site_result(check_id, Outcome.PASS, **say("vlaanderen-domain.summary.pass.served-from",
                                                         host=host).fields("summary"), details={"host": host})
    finding = Finding(
        check_id=check_id, outcome=Outcome.FAIL, severity=Severity.MODERATE,
        **say("vlaanderen-domain.finding.url-strategy").fields("title"), rule="url-strategy", fingerprint=f"{check_id}:domain",
        evidence=[Evidence(page_url=address, value=f"host {host}" + audiences_note(site),
                           expected="www.vlaanderen.be or a vlaanderen.be subdomain (URL strategy)")],
    )
    return site_result(check_id, Outcome.FAIL, **say("vlaanderen-domain.summary.fail.served-from-not-from",
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
    labels = {**HOUSE_STYLE_GROUPS, "global-header": "the Mijn Burgerprofiel / Vlaanderen global header"}
    findings = [
        Finding(
            check_id=check_id, outcome=Outcome.PASS, severity=Severity.INFO, title=f"Uses {labels[group]}",
            rule=f"{group}-found", fingerprint=f"{check_id}:{group}",
            **say("flemish-house-style.finding_description.confidence",
                  best_confidence=best_confidence(hit for _, hit in items)).fields("description"),
            title_nl=f"Gebruikt {HOUSE_STYLE_GROUPS_NL[group]}",
            pages=list(dict.fromkeys(url for url, _ in items))[:PAGES_LISTED_MAX],
            pages_total=len(set(url for url, _ in items)), occurrences=len(items),
            evidence=[hit_evidence(url, hit) for url, hit in items[:3]],
        )
        for group, items in groups.items()
    ]
    details = {"found": sorted(groups), "markers": cited_markers(h for items in groups.values() for _, h in items)}
    found_text = ", ".join(labels[g] for g in sorted(groups)) or "no Vlaanderen house-style marker"
    found_nl = ", ".join(HOUSE_STYLE_GROUPS_NL[g] for g in sorted(groups)) or "geen kenmerk van de huisstijl van Vlaanderen"
    kind = site.site.kind
    if kind == SiteKind.FLEMISH_ENTITY:
        style = bool({"webuniversum-assets", "vl-components", "flanders-fonts"} & set(groups))
        if "global-header" in groups or (style and "vlaanderen-logo-link" in groups):
            return site_result(check_id, Outcome.PASS, f"recognisable: {found_text}", findings=findings, details=details,
                               summary_nl=f"herkenbaar: {found_nl}")
        if groups:
            findings.insert(0, Finding(
                check_id=check_id, outcome=Outcome.WARNING, severity=Severity.MINOR,
                **say("flemish-house-style.finding.house-style-partial").fields("title"), rule="house-style-partial",
                fingerprint=f"{check_id}:partial",
                evidence=[Evidence(page_url=pages[0].page_url, value=found_text,
                                   expected="the global header/footer, or the house style with the Vlaanderen logo link")],
            ))
            return site_result(check_id, Outcome.WARNING, f"partly recognisable: {found_text}",
                               findings=findings, details=details, summary_nl=f"deels herkenbaar: {found_nl}")
        findings.insert(0, Finding(
            check_id=check_id, outcome=Outcome.FAIL, severity=Severity.MODERATE,
            **say("flemish-house-style.finding.house-style-missing").fields("title"), rule="house-style-missing", fingerprint=f"{check_id}:missing",
            evidence=[Evidence(page_url=pages[0].page_url, value=f"no house-style marker on {len(pages)} page(s)",
                               expected="the global header/footer, Webuniversum assets, Flanders Art fonts, the Vlaanderen logo")],
        ))
        return site_result(check_id, Outcome.FAIL, **say("flemish-house-style.summary.fail.no-vlaanderen-house-style-marker-found").fields("summary"),
                           findings=findings, details=details)
    if kind in GOVERNMENT_KINDS:
        if groups:
            return site_result(check_id, Outcome.PASS, f"recognisable: {found_text}", findings=findings, details=details,
                               summary_nl=f"herkenbaar: {found_nl}")
        return site_result(check_id, Outcome.MANUAL,
                           f"no Vlaanderen identity marker; judge the {kind.value}'s own identity by hand",
                           details=details, use_default_score=False,
                           summary_nl="geen kenmerk van de identiteit van Vlaanderen; beoordeel de eigen identiteit "
                                      f"van de {SITE_KIND_NL.get(kind.value, kind.value)} zelf")
    return site_result(check_id, Outcome.NOT_APPLICABLE, f"not expected for this site ({_describe(site)}); {found_text}",
                       findings=findings, details=details, use_default_score=False,
                       summary_nl=f"niet verwacht voor deze site ({_describe(site, 'nl')}); {found_nl}")
