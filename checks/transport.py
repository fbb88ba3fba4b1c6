"""Transport checks: is the site only reachable over an encrypted connection?

Principle 5 (Betrouwbaar) asks for services that are "veilig". The first, and cheapest, signal
is HTTPS on every page, with the plain-HTTP address of the site redirecting to HTTPS so that a
typed or old link never ends on an unencrypted page.
"""

from __future__ import annotations

from typing import Optional

from auditor.model import (
    CheckResult,
    Evidence,
    Finding,
    Outcome,
    PageStatus,
    Severity,
    SiteArtifacts,
    TransportProbe,
)
from auditor.shared.texts import joined, say, t_en
from auditor.shared.urls import host_of, scheme_of, strip_www
from checks._support import challenged_on_plain_http, page_address, site_result
from checks.registry import CheckContext, site_check

PAGES_LISTED_MAX = 50
EVIDENCE_MAX = 10



def plain_http_probes(site: SiteArtifacts) -> list[TransportProbe]:
    """Probes of the ``http://`` address of a start URL's host (``www.`` or not); one answered
    by a bot challenge on plain HTTP says nothing about the site's own redirect, so it is left out."""
    start_hosts = {strip_www(host_of(url)) for url in site.site.start_urls}
    return [
        probe for probe in site.probes
        if scheme_of(probe.url) == "http" and strip_www(host_of(probe.url)) in start_hosts
        and not challenged_on_plain_http(probe)
    ]


V = "https-everywhere.probe."  # the table of the probe explanations in the catalogs


def http_probe_verdict(probe: TransportProbe) -> tuple[bool, str]:
    """(secure, explanation) for one probe of a plain-HTTP address."""
    if probe.http_status is None and not probe.redirects and (probe.error or probe.failure):
        # Nothing answers on plain HTTP: nobody can land on an unencrypted page there.
        reason = probe.error or (probe.failure.value if probe.failure else t_en(V + "no-answer"))
        return True, t_en(V + "no-plain-http", url=probe.url, reason=reason)
    final = probe.final_url or probe.url
    if scheme_of(final) == "https":
        return True, t_en(V + "redirects", url=probe.url, final=final)
    if probe.http_status is None:
        # The chain broke on a plain-HTTP address: it never reached HTTPS.
        return False, t_en(V + "redirects-to-http-failed", url=probe.url, final=final,
                           error=probe.error or t_en(V + "no-answer"))
    if probe.redirects:
        return False, t_en(V + "redirects-to-http", url=probe.url, final=final, status=probe.http_status)
    return False, t_en(V + "no-redirect", url=probe.url, status=probe.http_status)


def _reached_address(status: PageStatus, final_url: str) -> bool:
    """Only pages that answered tell us on which scheme content is served."""
    return bool(final_url) or status == PageStatus.OK


T = "https-everywhere.summary."  # the table of the check's summaries in the catalogs


@site_check(id="https-everywhere", requires=("pages", "probes"))
def https_everywhere(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    insecure_pages: list[str] = []
    pages_checked = 0
    for page in site.pages:
        if not _reached_address(page.status, page.final_url):
            continue
        pages_checked += 1
        address = page_address(page)
        if scheme_of(address) != "https":
            insecure_pages.append(address)

    probe_verdicts = [http_probe_verdict(probe) for probe in plain_http_probes(site)]
    if pages_checked == 0 and not probe_verdicts:
        return site_result(
            "https-everywhere", Outcome.NOT_APPLICABLE,
            **say("https-everywhere.summary.not-applicable").fields("summary"),
        )

    findings: list[Finding] = []
    if insecure_pages:
        findings.append(Finding(
            check_id="https-everywhere",
            outcome=Outcome.FAIL,
            **say("https-everywhere.finding.page-not-https").fields("title"),
            severity=Severity.SERIOUS,
            rule="page-not-https",
            fingerprint="https-everywhere:page-not-https",
            occurrences=len(insecure_pages),
            pages=insecure_pages[:PAGES_LISTED_MAX],
            pages_total=len(insecure_pages),
            evidence=[
                Evidence(page_url=url, value=url, expected=t_en("family.transport.expected.an-https-address"))
                for url in insecure_pages[:EVIDENCE_MAX]
            ],
        ))
    insecure_probes = [explanation for secure, explanation in probe_verdicts if not secure]
    if insecure_probes:
        findings.append(Finding(
            check_id="https-everywhere",
            outcome=Outcome.FAIL,
            **say("https-everywhere.finding.http-no-redirect").fields("title"),
            severity=Severity.SERIOUS,
            rule="http-no-redirect",
            fingerprint="https-everywhere:http-no-redirect",
            occurrences=len(insecure_probes),
            evidence=[Evidence(value=text,
                               expected=t_en("family.transport.expected.a-redirect-to")) for text in insecure_probes],
        ))

    items_total = pages_checked + len(probe_verdicts)
    items_secure = items_total - len(insecure_pages) - len(insecure_probes)
    score: Optional[float] = items_secure / items_total if items_total else None
    details = {
        "pages_checked": pages_checked,
        "pages_insecure": len(insecure_pages),
        "http_probes": [explanation for _, explanation in probe_verdicts],
        "http_redirect_probed": bool(probe_verdicts),
    }
    if findings:
        parts = []
        if insecure_pages:
            parts.append(say(T + "fail.pages", insecure=len(insecure_pages), pages=pages_checked))
        if insecure_probes:
            parts.append(say(T + "fail.no-redirect"))
        return site_result(
            "https-everywhere", Outcome.FAIL, **joined(parts, "; ").fields("summary"), score=score, findings=findings,
            details=details, pages_evaluated=pages_checked,
            pages_passed=pages_checked - len(insecure_pages), use_default_score=False,
        )
    summary = say(T + "pass", pages=pages_checked,
                  probe=say(T + ("probe-redirects" if probe_verdicts else "probe-not-probed")))
    return site_result(
        "https-everywhere", Outcome.PASS, **summary.fields("summary"), score=1.0, details=details,
        pages_evaluated=pages_checked, pages_passed=pages_checked,
    )
