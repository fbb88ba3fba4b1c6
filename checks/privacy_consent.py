"""Consent and trackers: what the site does before the visitor consents, whether "reject" is
respected and as easy as "accept", where visitors' data goes, and how use is measured.

Read from ``SiteArtifacts.consent`` (fresh browser contexts: before consent, after reject, after
accept; auditor/probes/consent.py) and ``SiteArtifacts.third_parties`` (every crawled page's
requests; auditor/probes/third_parties.py). Hosts, cookies and storage keys arrive classified with
Ghostery's tracker database; what counts as a tracker is decided in ``auditor/shared/trackers.py``.

Essential = a first-party cookie or storage key that no tracker's script wrote (session,
functional) and the consent platform's record of the choice. Everything else needs consent
(ePrivacy art. 5(3), GDPR art. 6-7; the Belgian Gegevensbeschermingsautoriteit's cookie
checklist asks for a reject button on the first layer, as the EDPB cookie-banner taskforce does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from auditor.model import (
    BannerAction,
    CheckResult,
    ConsentProbe,
    ConsentVisit,
    Evidence,
    Finding,
    Outcome,
    Severity,
    SiteArtifacts,
    ThirdPartyHost,
    ThirdPartyInventory,
)
from auditor.shared.texts import Text, joined, say, t_en
from checks._support import site_result
from auditor.shared.trackers import ANALYTICS_CATEGORY, CROSS_SITE_CATEGORIES, is_tracking, outside_eea, tracker_text
from checks.registry import CheckContext, site_check

EVIDENCE_MAX = 15
PAGES_MAX = 50


# --------------------------------------------------------------------------- reading a visit


@dataclass
class NonEssential:
    """What a set of visits did that needs consent, split into cross-site (fail) and
    self-hosted analytics (warning)."""

    hosts: list[Evidence] = field(default_factory=list)
    cookies: list[Evidence] = field(default_factory=list)
    storage: list[Evidence] = field(default_factory=list)
    self_hosted: list[Evidence] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    @property
    def tracking(self) -> bool:
        return bool(self.hosts or self.cookies or self.storage)

    def _page(self, url: str) -> None:
        if url not in self.pages:
            self.pages.append(url)


def non_essential(visits: Iterable[ConsentVisit]) -> NonEssential:
    """Tracker requests, non-essential cookies and storage keys of the visits (each item once)."""
    found = NonEssential()
    seen: set[tuple[str, str]] = set()
    for visit in visits:
        page = visit.final_url or visit.url
        for host in visit.hosts:
            if not is_tracking(host.tracker):
                continue
            key = ("host", f"{host.host} {host.tracker.matched}")
            if key in seen:
                continue
            seen.add(key)
            found._page(page)
            bucket = found.self_hosted if host.tracker.self_hosted else found.hosts
            bucket.append(Evidence(page_url=page, value=f"{host.host}: {tracker_text(host.tracker)}",
                                   snippet=host.example_url,
                                   expected=t_en("family.privacy_consent.expected.no-tracker-before")))
        for cookie in visit.cookies:
            if cookie.essential or ("cookie", f"{cookie.name} {cookie.domain}") in seen:
                continue
            seen.add(("cookie", f"{cookie.name} {cookie.domain}"))
            found._page(page)
            origin = (t_en("family.privacy_consent.origin.set-by", host=cookie.set_by) if cookie.set_by
                      else t_en("family.privacy_consent.origin.third-party-cookie") if cookie.third_party
                      else t_en("family.privacy_consent.origin.first-party-cookie"))
            bucket = found.self_hosted if cookie.tracker and cookie.tracker.self_hosted else found.cookies
            bucket.append(Evidence(
                page_url=page, value=t_en("family.privacy_consent.seen.cookie-domain", name=cookie.name,
                                          domain=cookie.domain, origin=origin,
                                          tracker_text=tracker_text(cookie.tracker)),
                expected=t_en("family.privacy_consent.expected.only-essential-first")))
        for entry in visit.storage:
            if entry.essential or ("storage", f"{entry.area} {entry.key} {entry.origin}") in seen:
                continue
            seen.add(("storage", f"{entry.area} {entry.key} {entry.origin}"))
            found._page(page)
            origin = (t_en("family.privacy_consent.origin.written-by", host=entry.set_by) if entry.set_by
                      else t_en("family.privacy_consent.origin.origin", origin=entry.origin))
            bucket = found.self_hosted if entry.tracker and entry.tracker.self_hosted else found.storage
            bucket.append(Evidence(
                page_url=page, value=f"{entry.area} {entry.key} ({origin}; {tracker_text(entry.tracker)})",
                expected=t_en("family.privacy_consent.expected.no-tracker-storage")))
    return found


def _findings(check_id: str, state: Text, found: NonEssential) -> list[Finding]:
    """One finding per kind of non-essential item; ``state`` (in English and Dutch) says when."""
    groups = (
        ("tracker-requests", found.hosts, Outcome.FAIL, Severity.SERIOUS),
        ("tracking-cookies", found.cookies, Outcome.FAIL, Severity.SERIOUS),
        ("tracking-storage", found.storage, Outcome.FAIL, Severity.MODERATE),
        ("self-hosted-analytics", found.self_hosted, Outcome.WARNING, Severity.MINOR),
    )
    findings = []
    for rule, items, outcome, severity in groups:
        if items:
            findings.append(Finding(
                check_id=check_id, outcome=outcome, **say(P + f"finding.{rule}", state=state).fields("title"),
                severity=severity, rule=rule,
                fingerprint=f"{check_id}:{rule}", occurrences=len(items),
                pages=found.pages[:PAGES_MAX], pages_total=len(found.pages), evidence=items[:EVIDENCE_MAX]))
    return findings


def _names(items: list[Evidence], limit: int = 3) -> Text:
    names = ", ".join(item.value.split(" (", 1)[0] for item in items[:limit])
    rest = len(items) - limit
    return say(P + "names-and-more", names=names, rest=rest) if rest > 0 else Text(names, names)


def _summary_of(found: NonEssential) -> Text:
    """What was found, in English and Dutch."""
    parts = []
    if found.hosts:
        parts.append(say(P + "found.trackers", count=len(found.hosts), names=_names(found.hosts)))
    if found.cookies:
        parts.append(say(P + "found.cookies", count=len(found.cookies), names=_names(found.cookies)))
    if found.storage:
        parts.append(say(P + "found.storage", count=len(found.storage)))
    if found.self_hosted:
        parts.append(say(P + "found.self-hosted", names=_names(found.self_hosted)))
    return joined(parts, "; ")


# --------------------------------------------------------------------------- when nothing can be said


def _measured_probe(check_id: str, site: SiteArtifacts) -> ConsentProbe | CheckResult:
    """The probe's measurements, or the result saying why there are none: it did not run, could
    not run (npm packages missing) or could not load the home page."""
    probe = site.consent
    if probe is None:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("family.privacy_consent.summary.not-applicable.the-consent-probe").fields("summary"))
    if probe.skipped:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("family.privacy_consent.summary.not-applicable.the-consent-probe-did",
                                                                   skipped=probe.skipped).fields("summary"))
    if probe.error:
        return site_result(check_id, Outcome.ERROR, probe.error)
    if not probe.before:
        note = probe.notes[0] if probe.notes else t_en(P + "no-page-measured")
        return site_result(check_id, Outcome.ERROR, **say("family.privacy_consent.summary.error",
                                                          note=note).fields("summary"))
    home = probe.before[0]
    if home.error:
        return site_result(check_id, Outcome.BLOCKED,
                           **say("family.privacy_consent.summary.blocked",
                                 error=home.error).fields("summary"))
    return probe


def _gathered_inventory(check_id: str, site: SiteArtifacts) -> ThirdPartyInventory | CheckResult:
    """The third-party inventory, or the result saying why there is none."""
    inventory = site.third_parties
    if inventory is None or inventory.pages_total == 0:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("family.privacy_consent.summary.not-applicable.no-page-was").fields("summary"))
    if inventory.error:
        return site_result(check_id, Outcome.ERROR, inventory.error,
                           details={"hosts": [h.host for h in inventory.hosts]})
    return inventory


def _path_problem(action: Optional[BannerAction], path: str) -> str:
    """Why a banner path could not be judged ("" when it was driven)."""
    if action is None:
        return t_en(P + "path.not-driven", path=path)
    if action.cosmetic:
        return t_en(P + "path.only-hidden", path=path, cmp=action.cmp)
    if not action.done:
        return action.error or t_en(P + "path.no-button", path=path)
    return ""


def _details(probe: ConsentProbe, **extra) -> dict:
    details = {"trackerdb": probe.trackerdb, "consent_rules": probe.autoconsent,
               "fallback_texts": probe.fallback_markers, "banner_found": probe.banner_found,
               "banner_cmp": probe.banner_cmp, "banner_buttons": probe.banner_buttons,
               "pages_measured": [v.final_url or v.url for v in probe.before]}
    if probe.notes:
        details["notes"] = probe.notes
    details.update(extra)
    return details


# --------------------------------------------------------------------------- the checks

# the tables of this family's shared texts in the catalogs
P = "family.privacy_consent."
D = "third-party-data-flows."


@site_check(id="trackers-before-consent", requires=("consent",))
def trackers_before_consent(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "trackers-before-consent"
    probe = _measured_probe(check_id, site)
    if isinstance(probe, CheckResult):
        return probe
    visits = [v for v in probe.before if not v.error]
    found = non_essential(visits)
    other_hosts = sorted({h.host for v in visits for h in v.hosts if not is_tracking(h.tracker)})
    details = _details(probe, third_party_content=other_hosts)
    findings = _findings(check_id, say(P + "state.before-consent"), found)
    summary = say("trackers-before-consent.summary.found", found=_summary_of(found))
    if found.tracking:
        return site_result(check_id, Outcome.FAIL, **summary.fields("summary"),
                           findings=findings, details=details, pages_evaluated=len(visits),
                           pages_passed=len(visits) - len(found.pages))
    if found.self_hosted:
        return site_result(check_id, Outcome.WARNING, **summary.fields("summary"),
                           findings=findings, details=details, pages_evaluated=len(visits))
    return site_result(check_id, Outcome.PASS,
                       **say("trackers-before-consent.summary.pass",
                             visits_count=len(visits)).fields("summary"),
                       details=details, pages_evaluated=len(visits), pages_passed=len(visits))


@site_check(id="consent-reject-respected", requires=("consent",))
def consent_reject_respected(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "consent-reject-respected"
    probe = _measured_probe(check_id, site)
    if isinstance(probe, CheckResult):
        return probe
    before = non_essential(v for v in probe.before if not v.error)
    if not probe.banner_found:
        if before.tracking:
            finding = Finding(
                check_id=check_id,
                outcome=Outcome.FAIL, **say("consent-reject-respected.finding.no-banner").fields("title"),
                severity=Severity.SERIOUS, rule="no-banner", fingerprint=f"{check_id}:no-banner",
                evidence=[*(before.hosts + before.cookies)[:EVIDENCE_MAX]],
            )
            return site_result(check_id, Outcome.FAIL,
                               **say("consent-reject-respected.summary.no-banner",
                                     found=_summary_of(before)).fields("summary"),
                               findings=[finding], details=_details(probe))
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("consent-reject-respected.summary.not-applicable").fields("summary"),
                           details=_details(probe))
    problem = _path_problem(probe.reject, "reject")
    if problem:
        return site_result(check_id, Outcome.MANUAL, **say("consent-reject-respected.summary.manual",
                                                           problem=problem).fields("summary"),
                           details=_details(probe, reject_error=problem))
    assert probe.reject is not None
    after = non_essential(probe.reject.visits)
    accepted = non_essential(probe.accept.visits) if probe.accept is not None else NonEssential()
    details = _details(
        probe, reject_method=probe.reject.method, reject_clicks=probe.reject.clicks,
        after_accept=[e.value for e in accepted.hosts + accepted.cookies][:EVIDENCE_MAX])
    findings = _findings(check_id, say(P + "state.after-reject"), after)
    how = say("consent-reject-respected.rejected-with", method=probe.reject.method,
              cmp=f" ({probe.reject.cmp})" if probe.reject.cmp else "")
    if after.tracking or after.self_hosted:
        return site_result(check_id, Outcome.FAIL if after.tracking else Outcome.WARNING,
                           **say("consent-reject-respected.summary.still", how=how,
                                 found=_summary_of(after)).fields("summary"),
                           findings=findings, details=details)
    return site_result(check_id, Outcome.PASS, details=details,
                       **say("consent-reject-respected.summary.pass", how=how).fields("summary"))


@site_check(id="consent-reject-effort", requires=("consent",))
def consent_reject_effort(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "consent-reject-effort"
    probe = _measured_probe(check_id, site)
    if isinstance(probe, CheckResult):
        return probe
    if not probe.banner_found:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("consent-reject-effort.summary.not-applicable").fields("summary"),
                           details=_details(probe))
    problems = [p for p in (_path_problem(probe.reject, "reject"), _path_problem(probe.accept, "accept")) if p]
    if not problems and (probe.reject.clicks is None or probe.accept.clicks is None):
        problems.append(t_en(P + "clicks-not-counted"))
    if problems:
        return site_result(check_id, Outcome.MANUAL, **say("consent-reject-effort.summary.manual",
                                                           problems='; '.join(problems)).fields("summary"),
                           details=_details(probe))
    reject, accept = probe.reject, probe.accept
    assert reject is not None and accept is not None
    details = _details(probe, reject_clicks=reject.clicks, accept_clicks=accept.clicks,
                       reject_clicked=reject.clicked, accept_clicked=accept.clicked)
    if reject.clicks > accept.clicks:
        home = probe.before[0].final_url or probe.before[0].url
        finding = Finding(
            check_id=check_id,
            outcome=Outcome.FAIL, **say("consent-reject-effort.finding.reject-harder").fields("title"),
            severity=Severity.SERIOUS, rule="reject-harder", fingerprint=f"{check_id}:reject-harder",
            evidence=[Evidence(
                page_url=home,
                value=t_en("family.privacy_consent.seen.reject-click-s", clicks=reject.clicks,
                           reject_path=' (' + ' → '.join(reject.clicked) + ')' if reject.clicked else '',
                           clicks_2=accept.clicks,
                           accept_path=' (' + ' → '.join(accept.clicked) + ')' if accept.clicked else ''),
                expected=t_en("family.privacy_consent.expected.a-reject-button"))],
        )
        return site_result(check_id, Outcome.FAIL,
                           **say("consent-reject-effort.summary.fail",
                                 clicks=reject.clicks,
                                 clicks_2=accept.clicks).fields("summary"),
                           findings=[finding], details=details)
    return site_result(check_id, Outcome.PASS,
                       **say("consent-reject-effort.summary.pass",
                             clicks=reject.clicks,
                             clicks_2=accept.clicks).fields("summary"), details=details)


def _host_row(host: ThirdPartyHost) -> dict:
    tracker = host.tracker
    return {"host": host.host, "owner": tracker.company if tracker else "", "tracker": tracker.name if tracker else "",
            "category": tracker.category if tracker else "", "country": tracker.country if tracker else "",
            "outside_eea": bool(tracker and outside_eea(tracker.country)), "pages": host.pages_total,
            "form_pages": host.form_pages_total, "form_targets": host.form_targets}


def _host_evidence(host: ThirdPartyHost, pages: list[str], expected: str) -> Evidence:
    return Evidence(page_url=pages[0] if pages else "", value=f"{host.host}: {tracker_text(host.tracker)}",
                    snippet=", ".join(host.form_targets[:3]), expected=expected)


@site_check(id="third-party-data-flows", requires=("third_parties",))
def third_party_data_flows(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "third-party-data-flows"
    inventory = _gathered_inventory(check_id, site)
    if isinstance(inventory, CheckResult):
        return inventory
    hosts = inventory.hosts
    details = {"trackerdb": inventory.trackerdb, "pages": inventory.pages_total,
               "pages_with_forms": inventory.pages_with_forms, "hosts": [_host_row(h) for h in hosts]}
    if not hosts:
        return site_result(check_id, Outcome.PASS,
                           **say("third-party-data-flows.summary.pass",
                                 pages_total=inventory.pages_total).fields("summary"), details=details)

    def risky(host: ThirdPartyHost) -> bool:
        return is_tracking(host.tracker) or bool(host.tracker and outside_eea(host.tracker.country))

    form_leaks = [h for h in hosts if h.form_targets and risky(h)]
    form_unknown = [h for h in hosts if h.form_targets and not risky(h)]
    form_trackers = [h for h in hosts if h.form_pages_total and is_tracking(h.tracker) and h not in form_leaks]
    abroad = [h for h in hosts if h.tracker and outside_eea(h.tracker.country) and h not in form_leaks]
    groups = (
        ("form-data-to-third-party", form_leaks, Outcome.FAIL, Severity.SERIOUS,
         t_en("third-party-data-flows.expected.form-data-to-third-party"), "form_pages"),
        ("form-data-elsewhere", form_unknown, Outcome.WARNING, Severity.MODERATE,
         t_en("third-party-data-flows.expected.form-data-elsewhere"), "form_pages"),
        ("trackers-on-form-pages", form_trackers, Outcome.WARNING, Severity.MODERATE,
         t_en("third-party-data-flows.expected.trackers-on-form-pages"), "form_pages"),
        ("outside-eea", abroad, Outcome.WARNING, Severity.MODERATE,
         t_en("third-party-data-flows.expected.outside-eea"), "pages"),
    )
    findings = []
    for rule, items, outcome, severity, expected, pages_field in groups:
        if not items:
            continue
        pages = sorted({p for h in items for p in getattr(h, pages_field)})
        findings.append(Finding(
            check_id=check_id, outcome=outcome, **say(D + f"finding.{rule}").fields("title"), severity=severity,
            rule=rule, fingerprint=f"{check_id}:{rule}", occurrences=len(items), pages=pages[:PAGES_MAX],
            pages_total=len(pages),
            evidence=[_host_evidence(h, h.form_pages or h.pages, expected) for h in items[:EVIDENCE_MAX]]))
    counts = say(D + "counts", hosts=len(hosts), pages=inventory.pages_total)
    if form_leaks:
        outcome = Outcome.FAIL
        summary = say(D + "summary.forms-leak", counts=counts, hosts=", ".join(h.host for h in form_leaks[:3]))
    elif findings:
        outcome = Outcome.WARNING
        summary = say(D + "summary.findings", counts=counts, problems=Text(
            "; ".join(f.title.lower() for f in findings), "; ".join(f.title_nl.lower() for f in findings)))
    else:
        outcome, summary = Outcome.PASS, say(D + "summary.clean", counts=counts)
    return site_result(check_id, outcome, **summary.fields("summary"), findings=findings, details=details,
                       pages_evaluated=inventory.pages_total)


@site_check(id="privacy-friendly-analytics", requires=("third_parties", "consent"))
def privacy_friendly_analytics(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "privacy-friendly-analytics"
    inventory = _gathered_inventory(check_id, site)
    if isinstance(inventory, CheckResult):
        return inventory
    matches = [h.tracker for h in [*inventory.hosts, *inventory.self_hosted] if h.tracker is not None]
    probe = site.consent
    if probe is not None and probe.accept is not None:
        matches += [h.tracker for v in probe.accept.visits for h in v.hosts if h.tracker is not None]
    friendly, cross_site = {}, {}
    for match in matches:
        name = tracker_text(match)
        if match.category == ANALYTICS_CATEGORY and (match.self_hosted or (match.country and not outside_eea(match.country))):
            friendly[name] = match
        elif match.category == ANALYTICS_CATEGORY or match.category in CROSS_SITE_CATEGORIES:
            cross_site[name] = match
    details = {"privacy_friendly": sorted(friendly), "cross_site": sorted(cross_site),
               "trackerdb": inventory.trackerdb}
    if not friendly and not cross_site:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("privacy-friendly-analytics.summary.not-applicable").fields("summary"),
                           details=details)
    finding = None
    if cross_site:
        finding = Finding(
            check_id=check_id, outcome=Outcome.FAIL if not friendly else Outcome.WARNING,
            **say("privacy-friendly-analytics.finding.cross-site-trackers").fields("title"),
            severity=Severity.MODERATE, rule="cross-site-trackers", fingerprint=f"{check_id}:cross-site-trackers",
            occurrences=len(cross_site),
            evidence=[Evidence(value=name, expected=t_en("family.privacy_consent.expected.self-hosted-or"))
                      for name in sorted(cross_site)[:EVIDENCE_MAX]])
    if friendly and not cross_site:
        return site_result(check_id, Outcome.PASS, **say("privacy-friendly-analytics.summary.pass",
                                                         analytics=', '.join(sorted(friendly))).fields("summary"),
                           details=details)
    outcome = Outcome.WARNING if friendly else Outcome.FAIL
    summary = say("privacy-friendly-analytics.summary.cross-site", trackers=", ".join(sorted(cross_site)[:3]))
    if friendly:
        summary = joined([summary, say("privacy-friendly-analytics.summary.beside-friendly",
                                       friendly=", ".join(sorted(friendly)))], "")
    return site_result(check_id, outcome, **summary.fields("summary"), findings=[finding] if finding else [],
                       details=details)
