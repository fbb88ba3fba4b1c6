"""TLS checks: the certificate, the protocol versions and the HTTP→HTTPS redirects of every host
name the site uses (the start host and its ``www.``/apex twin).

They read the site probes (``SiteArtifacts.tls`` from ``auditor/probes/tls.py`` and the transport
probes), never the browser: Chromium reports every local certificate problem the same way, while
the probe keeps OpenSSL's own reason and the certificate itself, so a finding can say *why* a
certificate is refused and show it.

Grading follows the scanners users know: SSL Labs and internet.nl for certificates and protocol
versions (TLS 1.0/1.1 offered fails, a certificate under 30 days from expiry warns), Mozilla's
HTTP Observatory for redirects (the first redirect of ``http://`` must go to ``https://`` on the
same host, −10 otherwise; leaving the host first is −5 there and a warning here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from auditor.model import (
    CheckResult,
    Evidence,
    Finding,
    Outcome,
    PageStatus,
    Severity,
    SiteArtifacts,
    TlsCertificate,
    TlsInfo,
    TransportProbe,
)
from auditor.shared.texts import Text, joined, say, t_en
from auditor.shared.urls import host_of, scheme_of, strip_www
from checks._support import challenged_on_plain_http, site_result
from checks.registry import CheckContext, site_check

EXPIRY_WARNING_DAYS = 30
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
LEGACY_PROTOCOLS = ("TLSv1.0", "TLSv1.1")
MODERN_PROTOCOLS = ("TLSv1.2", "TLSv1.3")

# tls_probe's failure vocabulary: nothing about the certificate could be learned.
NETWORK_FAILURES = frozenset({"dns_resolution_error", "connection_refused", "connection_reset", "timeout", "error"})
# a failure in words: family.tls.failure.<failure> in the catalogs
FAILURE_WORDS = ("dns_resolution_error", "connection_refused", "connection_reset", "timeout", "tls_error", "error")


# ----------------------------------------------------------------------------- shared helpers




def site_hosts(site: SiteArtifacts) -> set[str]:
    """The start hosts and their ``www.``/apex twins."""
    hosts: set[str] = set()
    for url in site.site.start_urls:
        host = host_of(url)
        if host:
            hosts |= {host, strip_www(host), "www." + strip_www(host)}
    return hosts


def https_address(info: TlsInfo) -> str:
    return f"https://{info.host}/" if info.port == 443 else f"https://{info.host}:{info.port}/"


def _is_start(info: TlsInfo, site: SiteArtifacts) -> bool:
    if info.role:
        return info.role == "start"
    return info.host in {host_of(url) for url in site.site.start_urls}


def twin_not_in_use(info: TlsInfo, site: SiteArtifacts) -> bool:
    """A twin host name (www./apex) that does not resolve or takes no connections is not part of
    the site: nothing to judge there."""
    return (not _is_start(info, site) and not info.reachable
            and info.failure in ("dns_resolution_error", "connection_refused"))


def _failure_words(info: TlsInfo) -> str:
    words = (t_en(f"family.tls.failure.{info.failure}") if info.failure in FAILURE_WORDS
             else info.failure or t_en("family.tls.failure.no-answer"))
    return f"{words} ({info.error})" if info.error else words


def certificate_summary(cert: TlsCertificate) -> str:
    """The certificate in one paragraph a person can compare with their browser's view."""
    T = "family.tls.certificate."
    names = ", ".join(cert.sans[:8]) or cert.subject_cn or t_en(T + "no-names")
    if len(cert.sans) > 8:
        names = t_en(T + "more-names", names=names, more=len(cert.sans) - 8)
    key = cert.key_type or t_en(T + "unknown-key")
    if cert.key_size:
        key = t_en(T + "key-bits", kind=key, bits=cert.key_size)
    if cert.key_curve:
        key += f" ({cert.key_curve})"
    issuer = cert.issuer_cn or cert.issuer or t_en("family.tls.unknown-issuer")
    dates = {"not_before": cert.not_before[:10], "not_after": cert.not_after[:10]}
    parts = [
        t_en(T + "issued-to", names=names),
        t_en(T + ("by-self-signed" if cert.self_signed else "by"), issuer=issuer),
        t_en(T + "valid-days-left", days_left=cert.days_left, **dates)
        if cert.days_left is not None and cert.days_left >= 0 else t_en(T + "valid", **dates),
        t_en(T + "key", kind=key),
        t_en(T + "signature", hash=cert.signature_hash or t_en(T + "unknown-signature")),
    ]
    if cert.fingerprint_sha256:
        parts.append(t_en(T + "fingerprint", fingerprint=cert.fingerprint_sha256[:16]))
    return "; ".join(parts)


@dataclass
class Problem:
    rule: str
    outcome: Outcome
    severity: Severity
    title: Text  # in English and Dutch
    seen: str  # plain words
    expected: str


def _finding(check_id: str, host_key: str, address: str, problem: Problem, snippet: str = "") -> Finding:
    return Finding(
        check_id=check_id,
        outcome=problem.outcome,
        **problem.title.fields("title"),
        severity=problem.severity,
        rule=problem.rule,
        fingerprint=f"{check_id}:{problem.rule}:{host_key}",
        evidence=[Evidence(page_url=address, value=problem.seen, expected=problem.expected, snippet=snippet)],
    )


def _problems_nl(findings: list[Finding]) -> str:
    """The Dutch summary of a TLS result with problems: host and Dutch title of the first four."""
    return "; ".join(f"{f.fingerprint.rsplit(':', 1)[-1]}: {f.title_nl or f.title}" for f in findings[:4])


def _overall(findings: list[Finding]) -> Optional[Outcome]:
    if any(f.outcome == Outcome.FAIL for f in findings):
        return Outcome.FAIL
    if any(f.outcome == Outcome.WARNING for f in findings):
        return Outcome.WARNING
    return None


# ----------------------------------------------------------------------------- certificate


def certificate_problems(info: TlsInfo) -> list[Problem]:
    """Everything wrong with one host's certificate, in plain words (empty when it is fine)."""
    cert = info.certificate
    problems: list[Problem] = []
    trusted = t_en("family.tls.expected.a-certificate-issued-by-a")
    if cert is None:
        return [Problem(
            "no-certificate", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.no-certificate"),
            t_en("family.tls.seen.no-certificate-could", host=info.host, failure_words=_failure_words(info)),
            t_en("family.tls.expected.a-tls-connection-with-a"))]
    reason = info.verify_reason
    names = ", ".join(cert.sans) or cert.subject_cn or t_en("family.tls.no-names")
    if cert.expired or reason == "expired":
        ago = -cert.days_left if cert.days_left is not None else None
        problems.append(Problem(
            "expired", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.expired"),
            t_en("family.tls.seen.expired-days-ago", not_after=cert.not_after[:10], ago=ago) if ago
            else t_en("family.tls.seen.expired", not_after=cert.not_after[:10]),
            t_en("family.tls.expected.a-certificate-that-is-valid")))
    if cert.not_yet_valid or reason == "not_yet_valid":
        problems.append(Problem(
            "not-yet-valid", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.not-yet-valid"),
            t_en("family.tls.seen.the-certificate-is-only-valid", not_before=cert.not_before[:10]),
            t_en("family.tls.expected.a-certificate-whose-validity-period")))
    if cert.matches_host is False or reason == "hostname_mismatch":
        problems.append(Problem(
            "hostname-mismatch", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.hostname-mismatch"),
            t_en("family.tls.seen.the-certificate-is-for", names=names, host=info.host),
            t_en("family.tls.expected.a-certificate-that-names-in", host=info.host)))
    if reason == "self_signed" or (cert.self_signed and not info.verified):
        problems.append(Problem(
            "self-signed", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.self-signed"),
            t_en("family.tls.seen.the-certificate-was-signed-by", issuer=cert.issuer_cn or cert.issuer), trusted))
    elif reason == "unknown_issuer":
        problems.append(Problem(
            "unknown-issuer", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.unknown-issuer"),
            t_en("family.tls.seen.the-certificate-was-issued-by",
                 issuer=cert.issuer_cn or cert.issuer or t_en("family.tls.an-unknown-issuer")),
            t_en("family.tls.expected.trusted-with-intermediates")))
    key_bits = cert.key_size or 0
    if cert.key_type in ("RSA", "DSA") and key_bits and key_bits < MIN_RSA_BITS:
        problems.append(Problem(
            "weak-key", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.weak-key"),
            t_en("family.tls.seen.key-of-bits", key_type=cert.key_type,
                 key_bits=key_bits), t_en("family.tls.expected.an-rsa-key-of-at",
                                                                                                 min_rsa_bits=MIN_RSA_BITS)))
    elif cert.key_type == "EC" and key_bits and key_bits < MIN_EC_BITS:
        problems.append(Problem(
            "weak-key", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.weak-key"),
            t_en("family.tls.seen.ec-key-of-bits", key_bits=key_bits,
                 key_curve=cert.key_curve), t_en("family.tls.expected.an-ec-key-of-at",
                                                                                                      min_ec_bits=MIN_EC_BITS)))
    if cert.signature_hash_weak:
        problems.append(Problem(
            "weak-signature", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.weak-signature"),
            t_en("family.tls.seen.signature-algorithm-uses-which", hash=cert.signature_hash.upper()),
            t_en("family.tls.expected.a-certificate-signed-with-sha-256")))
    if not info.verified and not problems:
        # A refusal none of the rules above explains: say what OpenSSL said.
        if reason == "handshake_failed":
            seen = (t_en("family.tls.seen.a-modern-client-could-not", verify_error=info.verify_error,
                         protocol=info.negotiated_protocol or t_en("family.tls.an-older-protocol")))
            title = say("family.tls.finding.rejected-handshake-failed")
        else:
            seen = t_en("family.tls.seen.the-certificate-was-refused",
                        reason=info.verify_error or reason or t_en("family.tls.unknown-reason"))
            title = say("family.tls.finding.rejected")
        problems.append(Problem(f"rejected-{reason or 'other'}".replace("_", "-"), Outcome.FAIL, Severity.CRITICAL,
                                title, seen, t_en("family.tls.expected.trusted-and-modern-tls")))
    if not problems and cert.days_left is not None and cert.days_left < EXPIRY_WARNING_DAYS:
        problems.append(Problem(
            "expires-soon", Outcome.WARNING, Severity.MODERATE, say("family.tls.finding.expires-soon"),
            t_en("family.tls.seen.the-certificate-expires-on", not_after=cert.not_after[:10], days_left=cert.days_left),
            t_en("family.tls.expected.at-least-days-of-validity", expiry_warning_days=EXPIRY_WARNING_DAYS)))
    return problems


def _tls_details(info: TlsInfo) -> dict:
    cert = info.certificate
    return {
        "host": info.host,
        "port": info.port,
        "role": info.role,
        "reachable": info.reachable,
        "failure": info.failure,
        "verified": info.verified,
        "verify_reason": info.verify_reason,
        "verify_error": info.verify_error,
        "negotiated_protocol": info.negotiated_protocol,
        "certificate": certificate_summary(cert) if cert else "",
        "not_after": cert.not_after if cert else "",
        "days_left": cert.days_left if cert else None,
        "protocols": {p.version: p.status for p in info.protocols},
    }


@site_check(id="tls-certificate", requires=("tls",))
def tls_certificate(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "tls-certificate"
    judged: list[TlsInfo] = []
    findings: list[Finding] = []
    not_in_use: list[str] = []
    blocked: list[str] = []
    for info in site.tls:
        if twin_not_in_use(info, site):
            not_in_use.append(f"{info.host}: {_failure_words(info)}")
            continue
        if info.certificate is None and (info.failure in NETWORK_FAILURES or not info.reachable):
            blocked.append(f"{info.host}: {_failure_words(info)}")
            continue
        judged.append(info)
        snippet = certificate_summary(info.certificate) if info.certificate else ""
        for problem in certificate_problems(info):
            findings.append(_finding(check_id, info.host, https_address(info), problem, snippet))
    details = {"hosts": [_tls_details(i) for i in site.tls], "not_in_use": not_in_use, "unreachable": blocked}
    if not site.tls:
        return site_result(check_id, Outcome.NOT_APPLICABLE, details=details,
                           **say("family.tls.summary.not-applicable").fields("summary"))
    outcome = _overall(findings)
    if outcome is not None:
        summary = "; ".join(f"{f.fingerprint.rsplit(':', 1)[-1]}: {f.evidence[0].value}" for f in findings[:4])
        return site_result(check_id, outcome, summary, findings=findings, details=details,
                           summary_nl=_problems_nl(findings))
    if not judged:
        return site_result(check_id, Outcome.BLOCKED, details=details,
                           **say("tls-certificate.summary.blocked", hosts="; ".join(blocked)).fields("summary"))
    parts = [say("tls-certificate.summary.pass.host", host=info.host, not_after=info.certificate.not_after[:10],
                 days_left=info.certificate.days_left, issuer=info.certificate.issuer_cn or info.certificate.issuer)
             for info in judged]
    if blocked:
        parts.append(say("tls-certificate.summary.pass.unreachable", hosts="; ".join(blocked)))
    return site_result(check_id, Outcome.PASS, details=details, **joined(parts, "; ").fields("summary"))


# ----------------------------------------------------------------------------- protocols


@site_check(id="tls-protocols", requires=("tls",))
def tls_protocols(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "tls-protocols"
    findings: list[Finding] = []
    judged: list[str] = []
    notes: list[str] = []
    blocked: list[str] = []
    for info in site.tls:
        if twin_not_in_use(info, site):
            continue
        status = {p.version: p.status for p in info.protocols}
        verdicts = {v: s for v, s in status.items() if s in ("accepted", "refused")}
        if not verdicts:
            blocked.append(f"{info.host}: "
                           + (_failure_words(info) if info.failure else t_en("family.tls.no-protocol-tested")))
            continue
        judged.append(info.host)
        address = https_address(info)
        accepted = [v for v, s in status.items() if s == "accepted"]
        listing = ", ".join(f"{v} {s.replace('_', ' ')}" for v, s in status.items())
        legacy = [v for v in LEGACY_PROTOCOLS if status.get(v) == "accepted"]
        if legacy:
            findings.append(_finding(check_id, info.host, address, Problem(
                "legacy-protocol", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.legacy-protocol"),
                t_en("family.tls.seen.accepts-seen", host=info.host, legacy=' and '.join(legacy), listing=listing),
                t_en("family.tls.expected.tls-1-0-and-1-1-switched"))))
        modern_refused = all(status.get(v) == "refused" for v in MODERN_PROTOCOLS)
        if modern_refused:
            findings.append(_finding(check_id, info.host, address, Problem(
                "no-modern-protocol", Outcome.FAIL, Severity.CRITICAL, say("family.tls.finding.no-modern-protocol"),
                t_en("family.tls.seen.refuses-tls-1-2-and-1-3", host=info.host,
                     listing=listing), t_en("family.tls.expected.tls-1-2-and-tls-1-3"))))
        if status.get("TLSv1.3") == "refused" and status.get("TLSv1.2") == "accepted":
            notes.append(t_en("tls-protocols.note.no-tls13", host=info.host))
        untestable = [v for v, s in status.items() if s in ("not_testable", "error")]
        if untestable:
            notes.append(t_en("tls-protocols.note.untestable", host=info.host, versions=", ".join(untestable),
                              details="; ".join(p.detail for p in info.protocols
                                                if p.version in untestable and p.detail)[:200]))
        if not legacy and not modern_refused:
            notes.insert(0, t_en("tls-protocols.note.accepts", host=info.host, versions=", ".join(accepted)))
    details = {"hosts": {i.host: {p.version: p.status for p in i.protocols} for i in site.tls},
               "notes": notes, "unreachable": blocked}
    if not site.tls:
        return site_result(check_id, Outcome.NOT_APPLICABLE, details=details,
                           **say("family.tls.summary.not-applicable").fields("summary"))
    outcome = _overall(findings)
    if outcome is not None:
        summary = "; ".join(f.evidence[0].value for f in findings[:4])
        return site_result(check_id, outcome, summary, findings=findings, details=details,
                           summary_nl=_problems_nl(findings))
    if not judged:
        return site_result(check_id, Outcome.BLOCKED, details=details,
                           **say("tls-protocols.summary.blocked", hosts="; ".join(blocked)).fields("summary"))
    return site_result(check_id, Outcome.PASS, details=details,
                       **say("tls-protocols.summary.pass", notes="; ".join(notes)).fields("summary"))


# ----------------------------------------------------------------------------- redirects


def _chain(probe: TransportProbe) -> list[str]:
    """Every address the probe went through, the first request first."""
    urls = [r.url for r in probe.redirects] or [probe.url]
    final = probe.final_url or probe.url
    if urls[-1] != final:
        urls.append(final)
    return urls


def chain_text(probe: TransportProbe) -> str:
    statuses = [str(r.status) for r in probe.redirects]
    steps = []
    for index, url in enumerate(_chain(probe)):
        steps.append(f"{url} ({statuses[index]})" if index < len(statuses) else url)
    text = " → ".join(steps)
    if probe.http_status is not None:
        return t_en("family.tls.chain.answered", chain=text, http_status=probe.http_status)
    if probe.error or probe.failure:
        return t_en("family.tls.chain.failed", chain=text, error=probe.error or probe.failure.value)
    return text


def redirect_problems(probe: TransportProbe) -> tuple[list[Problem], str]:
    """(problems, what happened) for one plain-HTTP address."""
    host = host_of(probe.url)
    chain = chain_text(probe)
    chain_urls = _chain(probe)
    if len(chain_urls) == 1:
        if probe.http_status is None:
            return [], t_en("family.tls.chain.not-served", url=probe.url,
                            error=probe.error or t_en("family.tls.failure.no-answer"))
        return [Problem(
            "no-redirect", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.no-redirect"),
            t_en("family.tls.seen.answers-over-plain-http-and", url=probe.url, http_status=probe.http_status),
            t_en("family.tls.expected.a-redirect-301-or-308", url=probe.url, host=host))], chain
    first_target = chain_urls[1]
    problems: list[Problem] = []
    if scheme_of(first_target) != "https":
        problems.append(Problem(
            "first-redirect-not-https", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.first-redirect-not-https"),
            t_en("family.tls.seen.first-redirects-to-still", url=probe.url, first_target=first_target, chain=chain),
            t_en("family.tls.expected.the-first-redirect-straight-to", host=host)))
    elif host_of(first_target) != host:
        problems.append(Problem(
            "first-redirect-off-host", Outcome.WARNING, Severity.MINOR, say("family.tls.finding.first-redirect-off-host"),
            t_en("family.tls.seen.first-redirects-to-chain", url=probe.url, first_target=first_target, chain=chain,
                 host=host),
            t_en("family.tls.expected.first-https-same-host", host=host, url_host=host_of(first_target))))
    final = chain_urls[-1]
    first_hop_said_it = any(p.rule == "first-redirect-not-https" for p in problems)
    if scheme_of(final) != "https" and not first_hop_said_it:
        problems.append(Problem(
            "ends-on-http", Outcome.FAIL, Severity.SERIOUS, say("family.tls.finding.ends-on-http"),
            t_en("family.tls.seen.ends-on-chain", url=probe.url, final=final,
                 chain=chain), t_en("family.tls.expected.a-chain-that-ends-on")))
    return problems, chain


@site_check(id="http-redirects", requires=("probes",))
def http_redirects(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "http-redirects"
    hosts = site_hosts(site)
    findings: list[Finding] = []
    chains: list[str] = []
    evaluated = challenged = 0
    for probe in site.probes:
        if scheme_of(probe.url) != "http" or host_of(probe.url) not in hosts:
            continue
        if not probe.redirects and probe.failure == PageStatus.DNS_RESOLUTION_ERROR:
            chains.append(t_en("family.tls.chain.not-in-use", url=probe.url))
            continue
        if challenged_on_plain_http(probe):
            challenged += 1
            chains.append(t_en("family.tls.chain.bot-challenge", url=probe.url, challenge=probe.bot_challenge))
            continue
        evaluated += 1
        problems, chain = redirect_problems(probe)
        chains.append(chain)
        findings += [_finding(check_id, host_of(probe.url), probe.url, p, chain) for p in problems]
    details = {"chains": chains, "addresses_evaluated": evaluated}
    if evaluated == 0 and challenged:
        return site_result(check_id, Outcome.BLOCKED, details=details,
                           **say("http-redirects.summary.blocked", chains="; ".join(chains)).fields("summary"))
    if evaluated == 0:
        summary = (say("http-redirects.summary.not-applicable.not-in-use", chains="; ".join(chains)) if chains
                   else say("http-redirects.summary.not-applicable.not-probed"))
        return site_result(check_id, Outcome.NOT_APPLICABLE, details=details, **summary.fields("summary"))
    outcome = _overall(findings)
    if outcome is not None:
        return site_result(check_id, outcome, "; ".join(f.evidence[0].value for f in findings[:4]),
                           findings=findings, details=details, summary_nl=_problems_nl(findings))
    return site_result(check_id, Outcome.PASS, details=details,
                       **say("http-redirects.summary.pass", chains="; ".join(chains)).fields("summary"))
