"""The consent and tracker checks from hand-made artifacts (no browser), and the third-party
ledger that classifies every crawled page's requests."""

from __future__ import annotations

from auditor.model import (
    BannerAction,
    ConsentCookie,
    ConsentProbe,
    ConsentVisit,
    ObservedHost,
    Outcome,
    PageArtifacts,
    RequestRecord,
    Site,
    SiteArtifacts,
    StorageEntry,
    ThirdPartyHost,
    ThirdPartyInventory,
    TrackerMatch,
)
from auditor.probes.third_parties import ThirdPartyLedger, form_actions
from auditor.probes.trackerdb import load_trackerdb
from checks.privacy_consent import (
    consent_reject_effort,
    consent_reject_respected,
    privacy_friendly_analytics,
    third_party_data_flows,
    trackers_before_consent,
)
from checks.registry import CheckContext

HOME = "https://www.koekjesdorp.be/"
CONTEXT = CheckContext(site=Site(start_urls=[HOME]))
GA = TrackerMatch(tracker_id="google_analytics", name="Google Analytics", category="site_analytics",
                  company="Google", country="US", matched="google-analytics.com")
MATOMO = TrackerMatch(tracker_id="matomo", name="Matomo", category="site_analytics", company="Matomo",
                      country="NZ", matched="/matomo.js", self_hosted=True)
SITEIMPROVE = TrackerMatch(tracker_id="siteimprove_analytics", name="Siteimprove Analytics",
                           category="site_analytics", company="Siteimprove", country="DK",
                           matched="siteimproveanalytics.com")
FACEBOOK = TrackerMatch(tracker_id="facebook", name="Facebook", category="advertising", company="Meta",
                        country="US", matched="facebook.net")
FONTS = TrackerMatch(tracker_id="google_fonts", name="Google Fonts", category="hosting", company="Google",
                     country="US", matched="fonts.googleapis.com")

SESSION = ConsentCookie(name="PHPSESSID", domain="www.koekjesdorp.be")
CHOICE = ConsentCookie(name="site_consent", domain="www.koekjesdorp.be", set_by=HOME + "banner.js")
GA_COOKIE = ConsentCookie(name="_ga", domain=".koekjesdorp.be", expires=2e9, set_by="https://www.googletagmanager.com/gtag/js",
                          tracker=GA, essential=False)
GA_HOST = ObservedHost(host="www.google-analytics.com", requests=2,
                       example_url="https://www.google-analytics.com/g/collect?v=2", tracker=GA)


def visit(state="before_consent", url=HOME, **fields) -> ConsentVisit:
    return ConsentVisit(state=state, url=url, final_url=url, **fields)


def site(probe=None, inventory=None) -> SiteArtifacts:
    return SiteArtifacts(site=Site(start_urls=[HOME]), consent=probe, third_parties=inventory)


def driven(path, clicks, visits=(), method="autoconsent", **fields) -> BannerAction:
    return BannerAction(path=path, method=method, done=True, clicks=clicks, visits=list(visits), **fields)


# --------------------------------------------------------------------------- before consent


def test_tracking_cookie_and_tracker_host_before_consent_fail_with_their_names():
    probe = ConsentProbe(trackerdb="Ghostery TrackerDB, npm @ghostery/trackerdb 1.0.945 (CC-BY-NC-SA-4.0)", before=[
        visit(cookies=[SESSION, GA_COOKIE], hosts=[GA_HOST, ObservedHost(host="fonts.googleapis.com", tracker=FONTS)],
              storage=[StorageEntry(area="localStorage", key="_ga_session", origin=HOME.rstrip("/"),
                                    set_by="https://www.google-analytics.com/analytics.js", tracker=GA, essential=False)]),
        visit(url=HOME + "nieuws", cookies=[SESSION, GA_COOKIE], hosts=[GA_HOST]),
    ])
    result = trackers_before_consent(site(probe), CONTEXT)
    assert result.outcome == Outcome.FAIL and result.score == 0.0
    assert "Google Analytics" in result.summary and "_ga" in result.summary
    by_rule = {f.rule: f for f in result.findings}
    assert set(by_rule) == {"tracker-requests", "tracking-cookies", "tracking-storage"}
    cookie = by_rule["tracking-cookies"].evidence[0].value
    assert cookie.startswith("cookie _ga (domain .koekjesdorp.be; set by https://www.googletagmanager.com/gtag/js")
    assert "Google Analytics (Google, US; site_analytics)" in cookie
    assert by_rule["tracking-cookies"].occurrences == 1  # the same cookie on two pages is one item
    assert by_rule["tracker-requests"].evidence[0].value.startswith("www.google-analytics.com: Google Analytics")
    assert result.details["third_party_content"] == ["fonts.googleapis.com"]
    assert result.details["trackerdb"].endswith("(CC-BY-NC-SA-4.0)")


def test_only_essential_cookies_and_plain_content_before_consent_pass():
    probe = ConsentProbe(before=[visit(cookies=[SESSION, CHOICE], hosts=[ObservedHost(host="fonts.googleapis.com", tracker=FONTS)])])
    result = trackers_before_consent(site(probe), CONTEXT)
    assert result.outcome == Outcome.PASS and not result.findings


def test_self_hosted_analytics_before_consent_is_a_warning():
    matomo_cookie = ConsentCookie(name="_pk_id.1.a1b2", domain="www.koekjesdorp.be", set_by=HOME + "matomo.js",
                                  tracker=MATOMO, essential=False)
    probe = ConsentProbe(before=[visit(cookies=[matomo_cookie], hosts=[
        ObservedHost(host="www.koekjesdorp.be", example_url=HOME + "matomo.js", tracker=MATOMO)])])
    result = trackers_before_consent(site(probe), CONTEXT)
    assert result.outcome == Outcome.WARNING
    [finding] = result.findings
    assert finding.rule == "self-hosted-analytics" and finding.occurrences == 2


def test_missing_npm_packages_and_a_probe_that_did_not_run_are_said_honestly():
    missing = ConsentProbe(error="not assessable: npm package @ghostery/trackerdb is not installed (run `make setup`, which runs `npm ci`)")
    for check in (trackers_before_consent, consent_reject_respected, consent_reject_effort):
        result = check(site(missing), CONTEXT)
        assert result.outcome == Outcome.ERROR and "@ghostery/trackerdb is not installed" in result.summary
        assert check(site(None), CONTEXT).outcome == Outcome.NOT_APPLICABLE
    skipped = ConsentProbe(skipped="the crawl could not load the home page (robots.txt, blocked or unreachable)")
    assert "could not load the home page" in consent_reject_respected(site(skipped), CONTEXT).summary
    assert trackers_before_consent(site(skipped), CONTEXT).outcome == Outcome.NOT_APPLICABLE
    blocked = ConsentProbe(before=[visit(error="net::ERR_CONNECTION_REFUSED")])
    assert trackers_before_consent(site(blocked), CONTEXT).outcome == Outcome.BLOCKED
    not_classified = ThirdPartyInventory(pages_total=3, error="not classified: npm package @ghostery/trackerdb is not installed")
    assert third_party_data_flows(site(inventory=not_classified), CONTEXT).outcome == Outcome.ERROR
    assert privacy_friendly_analytics(site(inventory=not_classified), CONTEXT).outcome == Outcome.ERROR


# --------------------------------------------------------------------------- the banner


def test_reject_that_still_fires_the_tracker_fails_and_a_clean_reject_passes():
    leaky = ConsentProbe(banner_found=True, banner_cmp="Complianz banner", before=[visit()],
                         reject=driven("reject", 1, [visit("after_reject", cookies=[CHOICE, GA_COOKIE], hosts=[GA_HOST])], cmp="Complianz banner"),
                         accept=driven("accept", 1, [visit("after_accept", cookies=[CHOICE, GA_COOKIE], hosts=[GA_HOST])]))
    result = consent_reject_respected(site(leaky), CONTEXT)
    assert result.outcome == Outcome.FAIL
    assert result.summary.startswith(
        "rejected with autoconsent (Complianz banner), still: 1 tracker(s) (www.google-analytics.com: Google Analytics)")
    assert {f.rule for f in result.findings} == {"tracker-requests", "tracking-cookies"}
    assert result.findings[0].title.endswith("after the visitor rejected them")

    clean = leaky.model_copy(update={"reject": driven("reject", 1, [visit("after_reject", cookies=[CHOICE])])})
    result = consent_reject_respected(site(clean), CONTEXT)
    assert result.outcome == Outcome.PASS and result.details["reject_clicks"] == 1
    assert any("_ga" in item for item in result.details["after_accept"])  # what accepting turns on


def test_no_banner_fails_only_when_something_needs_consent():
    tracking = ConsentProbe(before=[visit(cookies=[GA_COOKIE], hosts=[GA_HOST])])
    result = consent_reject_respected(site(tracking), CONTEXT)
    assert result.outcome == Outcome.FAIL and result.findings[0].rule == "no-banner"
    quiet = ConsentProbe(before=[visit(cookies=[SESSION])])
    assert consent_reject_respected(site(quiet), CONTEXT).outcome == Outcome.NOT_APPLICABLE
    assert consent_reject_effort(site(quiet), CONTEXT).outcome == Outcome.NOT_APPLICABLE


def test_a_banner_whose_reject_cannot_be_driven_needs_a_person():
    cosmetic = ConsentProbe(banner_found=True, before=[visit()],
                            reject=BannerAction(path="reject", method="autoconsent", cmp="x", cosmetic=True),
                            accept=driven("accept", 1))
    result = consent_reject_respected(site(cosmetic), CONTEXT)
    assert result.outcome == Outcome.MANUAL and "could only hide the banner" in result.summary
    assert consent_reject_effort(site(cosmetic), CONTEXT).outcome == Outcome.MANUAL
    missing = cosmetic.model_copy(update={"reject": BannerAction(path="reject", method="fallback",
                                                                 error="no reject button found after opening the banner's settings")})
    assert "no reject button found" in consent_reject_respected(site(missing), CONTEXT).summary


def test_rejecting_with_more_clicks_than_accepting_is_flagged():
    layered = ConsentProbe(banner_found=True, before=[visit()],
                           reject=driven("reject", 2, method="fallback", clicked=["instellingen", "alles weigeren"]),
                           accept=driven("accept", 1, method="fallback", clicked=["alles aanvaarden"]))
    result = consent_reject_effort(site(layered), CONTEXT)
    assert result.outcome == Outcome.FAIL and result.summary == "rejecting takes 2 clicks, accepting 1"
    assert result.findings[0].evidence[0].value == (
        "reject: 2 click(s) (instellingen → alles weigeren); accept: 1 click(s) (alles aanvaarden)")
    even = layered.model_copy(update={"reject": driven("reject", 1)})
    assert consent_reject_effort(site(even), CONTEXT).outcome == Outcome.PASS


# --------------------------------------------------------------------------- data flows and analytics


def inventory(*hosts, self_hosted=(), pages=5, forms=1) -> ThirdPartyInventory:
    return ThirdPartyInventory(trackerdb="db", pages_total=pages, pages_with_forms=forms,
                               hosts=list(hosts), self_hosted=list(self_hosted))


def test_a_form_posting_to_a_us_tracker_fails_and_the_inventory_names_owner_and_country():
    hubspot = TrackerMatch(tracker_id="hubspot_forms", name="HubSpot Forms", category="customer_interaction",
                           company="HubSpot", country="US", matched="hsforms.com")
    hosts = [
        ThirdPartyHost(host="forms.hsforms.com", tracker=hubspot, form_targets=["https://forms.hsforms.com/submit"],
                       form_pages=[HOME + "melding"], form_pages_total=1),
        ThirdPartyHost(host="www.google-analytics.com", tracker=GA, pages_total=5, pages=[HOME],
                       form_pages_total=1, form_pages=[HOME + "melding"]),
        ThirdPartyHost(host="cdn.onbekend.example", pages_total=2, pages=[HOME]),
    ]
    result = third_party_data_flows(site(inventory=inventory(*hosts)), CONTEXT)
    assert result.outcome == Outcome.FAIL and "forms send data to forms.hsforms.com" in result.summary
    by_rule = {f.rule: f for f in result.findings}
    assert set(by_rule) == {"form-data-to-third-party", "trackers-on-form-pages", "outside-eea"}
    assert by_rule["form-data-to-third-party"].evidence[0].snippet == "https://forms.hsforms.com/submit"
    assert by_rule["form-data-to-third-party"].pages == [HOME + "melding"]
    rows = {row["host"]: row for row in result.details["hosts"]}
    assert rows["forms.hsforms.com"]["owner"] == "HubSpot" and rows["forms.hsforms.com"]["outside_eea"]
    assert rows["cdn.onbekend.example"]["owner"] == "" and not rows["cdn.onbekend.example"]["outside_eea"]


def test_eu_only_third_parties_pass_and_none_at_all_pass():
    eu = ThirdPartyHost(host="siteimproveanalytics.com", tracker=SITEIMPROVE, pages_total=5)
    assert third_party_data_flows(site(inventory=inventory(eu, forms=0)), CONTEXT).outcome == Outcome.PASS
    assert third_party_data_flows(site(inventory=inventory()), CONTEXT).outcome == Outcome.PASS
    assert third_party_data_flows(site(), CONTEXT).outcome == Outcome.NOT_APPLICABLE


def test_privacy_friendly_analytics_tells_self_hosted_and_eu_from_cross_site():
    matomo = ThirdPartyHost(host="www.koekjesdorp.be", tracker=MATOMO, pages_total=5)
    eu = ThirdPartyHost(host="siteimproveanalytics.com", tracker=SITEIMPROVE)
    ga = ThirdPartyHost(host="www.google-analytics.com", tracker=GA)
    assert privacy_friendly_analytics(site(inventory=inventory(self_hosted=[matomo])), CONTEXT).outcome == Outcome.PASS
    assert privacy_friendly_analytics(site(inventory=inventory(eu)), CONTEXT).outcome == Outcome.PASS
    assert privacy_friendly_analytics(site(inventory=inventory(ga)), CONTEXT).outcome == Outcome.FAIL
    mixed = privacy_friendly_analytics(site(inventory=inventory(eu, ga)), CONTEXT)
    assert mixed.outcome == Outcome.WARNING and mixed.details["cross_site"] == ["Google Analytics (Google, US; site_analytics)"]
    none = privacy_friendly_analytics(site(inventory=inventory(ThirdPartyHost(host="fonts.googleapis.com", tracker=FONTS))), CONTEXT)
    assert none.outcome == Outcome.NOT_APPLICABLE
    # trackers that only load after "accept" still count
    after_accept = ConsentProbe(before=[visit()], accept=driven("accept", 1, [visit("after_accept", hosts=[
        ObservedHost(host="connect.facebook.net", tracker=FACEBOOK)])]))
    result = privacy_friendly_analytics(site(after_accept, inventory(self_hosted=[matomo])), CONTEXT)
    assert result.outcome == Outcome.WARNING and "Facebook" in result.summary


def test_ledger_classifies_hosts_counts_pages_and_sees_forms_posting_elsewhere():
    db = load_trackerdb()
    ledger = ThirdPartyLedger(lambda url: "koekjesdorp.be" not in url, db)

    def page(path, requests, html=""):
        return PageArtifacts(url=HOME + path, final_url=HOME + path, html=html,
                             requests=[RequestRecord(url=u, third_party="koekjesdorp.be" not in u) for u in requests])

    ledger.add_page(page("", ["https://www.google-analytics.com/g/collect", "https://www.google-analytics.com/g/collect",
                              HOME + "matomo.js", HOME + "style.css"]))
    ledger.add_page(page("melding", ["https://www.google-analytics.com/g/collect"],
                         html='<form method="post" action="https://forms.hsforms.com/submissions/v3">'
                              '<input name="naam"></form><form action="/zoeken"></form>'))
    ledger.add_page(PageArtifacts(url=HOME + "kapot", status="http_error"))
    result = ledger.inventory()
    assert result.pages_total == 2 and result.pages_with_forms == 1 and ledger.form_page_urls == [HOME + "melding"]
    ga, hubspot = result.hosts
    assert (ga.host, ga.requests, ga.pages_total, ga.form_pages_total) == ("www.google-analytics.com", 3, 2, 1)
    assert ga.tracker.tracker_id == "google_analytics"
    assert hubspot.host == "forms.hsforms.com" and hubspot.form_targets == ["https://forms.hsforms.com/submissions/v3"]
    assert (hubspot.form_pages, hubspot.form_pages_total, hubspot.pages_total) == ([HOME + "melding"], 1, 0)
    assert hubspot.tracker.company == "HubSpot"
    [matomo] = result.self_hosted
    assert matomo.tracker.self_hosted and matomo.tracker.tracker_id == "matomo"
    assert form_actions(page("x", [], "<form></form>")) == [HOME + "x"]
