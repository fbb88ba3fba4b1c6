"""Flemish building-block checks, from hand-made artifacts (no browser)."""

from __future__ import annotations

from auditor.shared.markers import default_markers
from auditor.model import (
    Audience,
    FlemishArtifacts,
    LoginHop,
    LoginProbe,
    MarkerHit,
    Outcome,
    PageStatus,
    PageSummary,
    ResourceRecord,
    Site,
    SiteArtifacts,
    SiteKind,
)
from checks.contact_channels import contact_channels, online_services, organisation_identifiable
from checks.flemish import (
    eloket_links,
    flemish_house_style,
    login_identity_provider,
    mbp_global_header,
    mbp_widget_production_host,
    vlaanderen_domain,
)
from checks.registry import CheckContext

BASE = "https://www.gemeente.be"


def hit(marker_id: str, value: str = "") -> MarkerHit:
    marker = default_markers().by_id(marker_id)
    assert marker is not None, marker_id
    return marker.hit(value or marker.pattern)


def page(path: str, *hits: MarkerHit, footer: str = "", text: str = "", roles=()) -> FlemishArtifacts:
    return FlemishArtifacts(page_url=BASE + path, markers_version="t", hits=list(hits), footer_text=footer,
                            text_excerpt=text, roles=list(roles))


def site(*pages: FlemishArtifacts, kind=SiteKind.MUNICIPALITY, audiences=(Audience.CITIZENS,),
         probes=(), organisation="Gemeente Testdorp", start=BASE + "/", role_pages=None, resources=()) -> SiteArtifacts:
    description = Site(start_urls=[start], organisation=organisation, kind=kind, audiences=list(audiences))
    return SiteArtifacts(
        site=description,
        pages=[PageSummary(url=p.page_url, final_url=p.page_url, status=PageStatus.OK, roles=p.roles) for p in pages],
        flemish_pages=list(pages), login_probes=list(probes), role_pages=role_pages or {},
        resources=list(resources),
    )


def run(check, artifacts: SiteArtifacts):
    return check(artifacts, CheckContext(site=artifacts.site))


V4 = hit("mbp-v4-embed-script", "https://prod.widgets.burgerprofiel.vlaanderen.be/api/v1/widget/b0dae312-7a4d-4b37-8c6e-1f2a3b4c5d6e/embed")
MOUNTED = hit("mbp-v4-header-mounted", ".vlw__header (1×): <div class=\"vlw__header\">")
V5 = hit("mbp-v5-header-client-global", "window.globalHeaderClient (object)")
TEST_HOST = hit("mbp-widget-test-host", "https://widgets.tni-vlaanderen.be/api/v2/widget/x/entry")


# --------------------------------------------------------------------------- global header


def test_header_on_every_page_of_a_municipality_for_citizens_passes_and_cites_markers():
    result = run(mbp_global_header, site(page("/", V4, MOUNTED), page("/a", V4, MOUNTED)))
    assert result.outcome == Outcome.PASS and result.score == 1.0
    assert result.details["versions"] == {"v4 widget": 2} and result.details["pages_with_mounted_header"] == 2
    detected = result.findings[0]
    assert detected.outcome == Outcome.PASS and "v4 widget" in detected.title
    assert {e.value for e in detected.evidence} >= {
        "marker mbp-v4-embed-script matched in script src (high confidence)",
        "marker mbp-v4-header-mounted matched in DOM after render (high confidence)",
    }


def test_pages_missing_the_header_are_listed_as_coverage():
    result = run(mbp_global_header, site(page("/", V5), page("/a"), page("/b")))
    assert result.outcome == Outcome.WARNING
    assert result.score == 1 / 3
    missing = next(f for f in result.findings if f.rule == "header-missing")
    assert missing.pages == [BASE + "/a", BASE + "/b"] and missing.pages_total == 2


def test_no_header_anywhere_fails_for_a_municipality_but_is_not_applicable_for_others():
    municipality = run(mbp_global_header, site(page("/"), page("/a")))
    assert municipality.outcome == Outcome.FAIL and municipality.score == 0.0
    assert municipality.findings[0].title == "No Mijn Burgerprofiel global header/footer on any page"
    other = run(mbp_global_header, site(page("/"), kind=SiteKind.OTHER))
    assert other.outcome == Outcome.NOT_APPLICABLE and other.score is None
    entrepreneurs_only = run(mbp_global_header, site(page("/"), audiences=(Audience.ENTREPRENEURS,)))
    assert entrepreneurs_only.outcome == Outcome.NOT_APPLICABLE


def test_no_pages_and_broken_marker_file_are_honest():
    blocked = SiteArtifacts(site=Site(start_urls=[BASE]), pages=[PageSummary(url=BASE, status=PageStatus.BLOCKED)])
    assert run(mbp_global_header, blocked).outcome == Outcome.BLOCKED
    broken = site(FlemishArtifacts(page_url=BASE + "/", error="markers.toml: not valid TOML"))
    result = run(mbp_global_header, broken)
    assert result.outcome == Outcome.ERROR and "not valid TOML" in result.summary


def test_test_widget_host_is_a_finding_and_production_host_passes():
    bad = run(mbp_widget_production_host, site(page("/", V5, TEST_HOST)))
    assert bad.outcome == Outcome.FAIL
    assert "widgets.tni-vlaanderen.be" in bad.findings[0].evidence[0].snippet
    assert run(mbp_widget_production_host, site(page("/", V4))).outcome == Outcome.PASS
    assert run(mbp_widget_production_host, site(page("/"))).outcome == Outcome.NOT_APPLICABLE


# --------------------------------------------------------------------------- e-loketten


def test_eloket_of_each_declared_audience_is_expected():
    ondernemers = hit("eloket-ondernemers-link", "E-loket voor ondernemers → https://www.gemeente.be/ondernemers")
    both = (Audience.CITIZENS, Audience.ENTREPRENEURS)
    good = run(eloket_links, site(page("/", V4), page("/ondernemen", ondernemers), audiences=both))
    assert good.outcome == Outcome.PASS and good.score == 1.0
    half = run(eloket_links, site(page("/", V4), audiences=both))
    assert half.outcome == Outcome.FAIL and half.score == 0.5
    assert half.details["missing"] == ["eloket-ondernemers"]
    assert half.findings[0].title == "No link to E-loket voor ondernemers for entrepreneurs"
    other = run(eloket_links, site(page("/", V4), kind=SiteKind.OTHER))
    assert other.outcome == Outcome.NOT_APPLICABLE and "eloket-mbp" in other.summary


def test_mbp_link_and_embed_count_for_citizens():
    link = hit("eloket-mbp-link-text", "Mijn Burgerprofiel → https://www.burgerprofiel.be")
    embed = hit("mbp-embed-sdk-global", "window.createMbpEmbedClient (function)")
    result = run(eloket_links, site(page("/", link), page("/mbp", embed)))
    assert result.outcome == Outcome.PASS
    assert {f.rule for f in result.findings} == {"eloket-mbp-found", "mbp-embed-sdk-found"}


# --------------------------------------------------------------------------- login


def acm_probe(host="authenticatie.vlaanderen.be", https=True, failure=None) -> LoginProbe:
    idp_url = f"{'https' if https else 'http'}://{host}/op/v1/auth?client_id=1"
    marker = "acmidm-test-host" if "-ti" in host else "acmidm-host"
    return LoginProbe(
        start_url=BASE + "/aanmelden", link_text="Aanmelden", found_on=BASE + "/",
        hops=[LoginHop(url=BASE + "/aanmelden", status=302, https=True),
              LoginHop(url=idp_url, status=None if failure else 200, https=https, failure=failure,
                       error="TLS certificate not valid: expired" if failure else "",
                       hits=[hit(marker, idp_url)])],
        final_url="" if failure else idp_url, final_status=None if failure else 200,
    )


def test_login_through_acmidm_passes_and_its_test_environment_fails():
    good = run(login_identity_provider, site(page("/"), probes=[acm_probe()]))
    assert good.outcome == Outcome.PASS and good.details["services"] == ["acmidm-login"]
    assert "acmidm-host" in good.findings[0].evidence[0].value
    assert "authenticatie.vlaanderen.be" in good.findings[0].evidence[0].snippet
    test_env = run(login_identity_provider, site(page("/"), probes=[acm_probe("authenticatie-ti.vlaanderen.be")]))
    assert test_env.outcome == Outcome.FAIL
    assert test_env.findings[0].title == "Login goes to the ACM/IDM test environment"


def test_login_hop_without_valid_https_fails():
    from auditor.model import PageStatus as Status

    result = run(login_identity_provider, site(page("/"), probes=[acm_probe(failure=Status.INVALID_SSL_CERT)]))
    assert result.outcome == Outcome.FAIL
    insecure = next(f for f in result.findings if f.rule == "login-insecure-hop")
    assert "TLS certificate not valid" in insecure.evidence[0].value
    plain = run(login_identity_provider, site(page("/"), probes=[acm_probe(https=False)]))
    assert any(f.rule == "login-insecure-hop" and "plain HTTP" in f.evidence[0].value for f in plain.findings)


def test_own_account_form_warns_for_a_government_and_names_the_password_field():
    probe = LoginProbe(start_url=BASE + "/login", hops=[LoginHop(url=BASE + "/login", status=200, https=True)],
                       final_url=BASE + "/login", final_status=200, password_field=True,
                       password_snippet='<input type="password" name="pw">',
                       script_hosts=["www.gemeente.be", "www.googletagmanager.com"])
    result = run(login_identity_provider, site(page("/"), probes=[probe]))
    assert result.outcome == Outcome.WARNING
    own = next(f for f in result.findings if f.rule == "login-own-account-form")
    assert 'type="password"' in own.evidence[0].value
    trackers = next(f for f in result.findings if f.rule == "login-third-party-scripts")
    assert trackers.evidence[0].value == "www.googletagmanager.com"


def test_csam_and_no_login_at_all():
    csam = LoginProbe(start_url=BASE + "/aanmelden", hops=[
        LoginHop(url=BASE + "/aanmelden", status=302, https=True),
        LoginHop(url="https://idp.iamfas.belgium.be/fas/oauth2/authorize", status=200, https=True,
                 hits=[hit("csam-fas-host", "https://idp.iamfas.belgium.be/fas/oauth2/authorize")])],
        final_url="https://idp.iamfas.belgium.be/fas/oauth2/authorize", final_status=200)
    result = run(login_identity_provider, site(page("/"), probes=[csam]))
    assert result.outcome == Outcome.WARNING and "CSAM/FAS" in result.findings[0].title
    assert run(login_identity_provider, site(page("/"))).outcome == Outcome.NOT_APPLICABLE


# --------------------------------------------------------------------------- recognisable


def test_vlaanderen_domain_for_flemish_entities_only():
    on_pages = site(page("/"), kind=SiteKind.FLEMISH_ENTITY)
    on_pages.pages[0].final_url = "https://www.vlaanderen.be/agentschap"
    assert run(vlaanderen_domain, on_pages).outcome == Outcome.PASS
    off = run(vlaanderen_domain, site(page("/"), kind=SiteKind.FLEMISH_ENTITY))
    assert off.outcome == Outcome.FAIL and off.findings[0].evidence[0].value.startswith("host www.gemeente.be")
    assert run(vlaanderen_domain, site(page("/"))).outcome == Outcome.NOT_APPLICABLE


def test_house_style_required_of_flemish_entities():
    style = [hit("webuniversum-assets-host", "https://ui.vlaanderen.be/3.latest/css/vlaanderen-ui.css"),
             hit("vlaanderen-logo-link", "a[href^='https://www.vlaanderen.be'] img (1×): <img alt=\"Logo Vlaanderen\">")]
    good = run(flemish_house_style, site(page("/", *style), kind=SiteKind.FLEMISH_ENTITY))
    assert good.outcome == Outcome.PASS
    assert {f.rule for f in good.findings} == {"webuniversum-assets-found", "vlaanderen-logo-link-found"}
    partial = run(flemish_house_style, site(page("/", style[0]), kind=SiteKind.FLEMISH_ENTITY))
    assert partial.outcome == Outcome.WARNING
    none = run(flemish_house_style, site(page("/"), kind=SiteKind.FLEMISH_ENTITY))
    assert none.outcome == Outcome.FAIL
    municipality = run(flemish_house_style, site(page("/")))
    assert municipality.outcome == Outcome.MANUAL
    assert run(flemish_house_style, site(page("/", V4))).outcome == Outcome.PASS


# --------------------------------------------------------------------------- contact and organisation

FULL_CONTACT = (
    "Gemeente Testdorp, Dorpsstraat 1, 9999 Testdorp. Tel. 09 123 45 67. info@testdorp.be. "
    "Openingsuren: maandag tot vrijdag 9u - 12u. Hulp nodig met je eID? Kom naar het Digipunt. "
    "KBO 0207.123.456"
)


def test_contact_channels_found_with_the_text_that_proves_them():
    result = run(contact_channels, site(page("/", footer=FULL_CONTACT), page("/contact", text=FULL_CONTACT, roles=["contact"]),
                                        role_pages={"contact": BASE + "/contact"}))
    assert result.outcome == Outcome.PASS and result.score == 1.0
    phone = next(f for f in result.findings if f.rule == "phone-found")
    assert "09 123 45 67" in phone.evidence[0].snippet and phone.evidence[0].selector == "footer"
    assert "Digipunt" in result.details["digital-help"]


def test_municipality_without_contact_details_fails():
    result = run(contact_channels, site(page("/", footer="© 2026 Gemeente Testdorp"), page("/nieuws", text="Nieuws")))
    assert result.outcome == Outcome.FAIL
    rules = {f.rule: f for f in result.findings}
    assert rules["phone-missing"].outcome == Outcome.FAIL and rules["address-missing"].outcome == Outcome.FAIL
    assert "contact-page-missing" in rules and "digital-help-missing" in rules


def test_partial_contact_details_warn_and_1700_counts():
    result = run(contact_channels, site(page("/", footer="Bel gratis 1700. Havenlaan 88 bus 30, 1000 Brussel"),
                                        role_pages={"contact": BASE + "/contact"}))
    assert result.outcome == Outcome.WARNING
    assert "1700" in result.details["phone"] and "1000 Brussel" in result.details["address"]
    assert {"opening-hours-missing", "email-or-form-missing"} <= {f.rule for f in result.findings}


def test_phone_patterns_reject_dates_and_accept_belgian_formats():
    from checks.contact_channels import PHONE, _valid_phone

    def phones(text):
        return [m.group(0) for m in PHONE.finditer(text) if _valid_phone(m)]

    assert phones("Bel +32 9 123 45 67 of 0475/12.34.56") == ["+32 9 123 45 67", "0475/12.34.56"]
    assert phones("Gepubliceerd op 2026-05-14, dossier 20250101") == []


def test_organisation_identifiable():
    good = run(organisation_identifiable, site(page("/", footer=FULL_CONTACT)))
    assert good.outcome == Outcome.PASS
    assert "0207.123.456" in next(f for f in good.findings if f.rule == "kbo-found").evidence[0].snippet
    no_kbo = run(organisation_identifiable, site(page("/", footer="Gemeente Testdorp · Dorpsstraat 1, 9999 Testdorp")))
    assert no_kbo.outcome == Outcome.WARNING and no_kbo.details["kbo"] == ""
    nothing = run(organisation_identifiable, site(page("/", footer="Welkom")))
    assert nothing.outcome == Outcome.FAIL


def test_online_services_versus_forms_to_print():
    online = hit("online-form-link", "Vraag online aan → https://www.gemeente.be/e-loket/parkeerkaart")
    printed = hit("pdf-form-link", "Aanvraag (PDF) → https://www.gemeente.be/docs/aanvraagformulier-parkeerkaart.pdf")
    assert run(online_services, site(page("/", online))).outcome == Outcome.PASS
    both = run(online_services, site(page("/", online, printed)))
    assert both.outcome == Outcome.WARNING and both.findings[0].rule == "forms-to-print"
    only_pdf = run(online_services, site(page("/"), resources=[
        ResourceRecord(url=BASE + "/docs/inschrijvingsformulier.pdf", linked_from=BASE + "/")]))
    assert only_pdf.outcome == Outcome.FAIL
    assert only_pdf.findings[0].evidence[0].snippet.endswith("inschrijvingsformulier.pdf")
    assert run(online_services, site(page("/"))).outcome == Outcome.MANUAL
