"""security.txt (RFC 9116): can someone who finds a vulnerability tell the organisation?

The file is fetched once by the site probes (``SiteArtifacts.security_txt``, size-capped) and
parsed here. RFC 9116 requires, for ``/.well-known/security.txt``: served over HTTPS, as
``text/plain``, at least one ``Contact`` field, exactly one ``Expires`` field (an RFC 3339 date
and time) that has not passed. It recommends an ``Expires`` less than a year ahead.
Expiry is judged against the moment the file was fetched, so a rescore gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Optional
from urllib.parse import urlsplit

from auditor.model import CheckResult, Evidence, Finding, Outcome, SecurityTxtInfo, Severity, SiteArtifacts
from auditor.shared.texts import say, t_en
from checks._support import cap_snippet, site_result
from checks.registry import CheckContext, site_check

BLOCKING_STATUSES = frozenset({401, 403, 429})
RECOMMENDED_MAX_AHEAD = timedelta(days=366)
PGP_BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----"
PGP_SIGNATURE = "-----BEGIN PGP SIGNATURE-----"


@dataclass
class SecurityTxt:
    fields: dict[str, list[str]] = field(default_factory=dict)  # lower-case name → values
    signed: bool = False
    unreadable_lines: int = 0

    def values(self, name: str) -> list[str]:
        return self.fields.get(name.lower(), [])


def _signed_body(lines: list[str]) -> list[str]:
    """The cleartext of an OpenPGP-signed file (armour headers and signature removed)."""
    try:
        start = lines.index(PGP_BEGIN)
    except ValueError:
        return lines
    body = lines[start + 1:]
    if "" in body:  # armour headers ("Hash: SHA256") end at the first empty line
        body = body[body.index("") + 1:]
    if PGP_SIGNATURE in body:
        body = body[: body.index(PGP_SIGNATURE)]
    return [line[2:] if line.startswith("- ") else line for line in body]


def parse_security_txt(text: str) -> SecurityTxt:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    parsed = SecurityTxt(signed=PGP_BEGIN in lines)
    for line in _signed_body(lines):
        if not line or line.startswith("#"):
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or " " in name.strip():
            parsed.unreadable_lines += 1
            continue
        parsed.fields.setdefault(name.strip().lower(), []).append(value.strip())
    return parsed


def parse_expires(value: str) -> Optional[datetime]:
    """An RFC 3339 date and time ("2030-12-31T23:00:00.000Z"); None when unreadable."""
    try:
        when = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
    if "T" not in value.upper() or when.tzinfo is None:
        return None  # RFC 3339 needs a time and an offset
    return when


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


@site_check(id="security-txt", requires=("security_txt",))
def security_txt(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    check_id = "security-txt"
    info: Optional[SecurityTxtInfo] = site.security_txt
    if info is None:
        return site_result(check_id, Outcome.NOT_APPLICABLE,
                           **say("security-txt.summary.not-applicable").fields("summary"))
    address = info.final_url or info.url
    details: dict = {"url": info.url, "final_url": info.final_url, "http_status": info.http_status,
                     "content_type": info.content_type}
    expected_file = t_en("family.security_txt.expected.a-security-txt-at", url=info.url)

    def finding(rule: str, outcome: Outcome, severity: Severity, seen: str, expected: str) -> Finding:
        return Finding(check_id=check_id, outcome=outcome, severity=severity, rule=rule,
                       **say(f"security-txt.finding.{rule}").fields("title"), fingerprint=f"{check_id}:{rule}",
                       evidence=[Evidence(page_url=address, value=seen, expected=expected,
                                          snippet=cap_snippet(info.text, 400))])

    if info.http_status is None:
        return site_result(check_id, Outcome.BLOCKED, details=details,
                           **say("security-txt.summary.blocked.not-fetched",
                                 error=info.error or say("security-txt.no-answer")).fields("summary"))
    if info.http_status in BLOCKING_STATUSES:
        return site_result(check_id, Outcome.BLOCKED,
                           **say("security-txt.summary.blocked.the-site-refused",
                                 http_status=info.http_status).fields("summary"), details=details)
    content_type = info.content_type.split(";")[0].strip().lower()
    looks_like_html = content_type == "text/html" or info.text.lstrip()[:1] == "<"
    if info.http_status != 200 or looks_like_html or not info.text.strip():
        why = "status" if info.http_status != 200 else "web-page" if looks_like_html else "empty"
        seen = say(f"security-txt.missing.{why}", url=info.url, http_status=info.http_status,
                   content_type=content_type or say("security-txt.no-type"))
        return site_result(check_id, Outcome.FAIL, details=details,
                           **say("security-txt.summary.fail", seen=seen).fields("summary"), findings=[
            finding("missing", Outcome.FAIL, Severity.MODERATE, seen.en, expected_file)])

    parsed = parse_security_txt(info.text)
    contacts = parsed.values("contact")
    expires_values = parsed.values("expires")
    fetched = info.fetched_at or datetime.now(timezone.utc)
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=timezone.utc)
    details.update({"contact": contacts[:10], "expires": expires_values[:3], "signed": parsed.signed,
                    "fields": sorted(parsed.fields), "truncated": info.truncated})
    findings: list[Finding] = []
    if not contacts:
        findings.append(finding("no-contact", Outcome.FAIL, Severity.MODERATE, t_en("family.security_txt.seen.fields-present",
                                                                                    fields=', '.join(sorted(parsed.fields)) or t_en("family.security_txt.none")),
                                t_en("family.security_txt.expected.at-least-one-contact-line")))
    insecure_contacts = [c for c in contacts if _scheme(c) == "http"]
    if insecure_contacts:
        findings.append(finding("contact-not-https", Outcome.WARNING, Severity.MINOR, ", ".join(insecure_contacts[:3]),
                                t_en("family.security_txt.expected.web-contacts-on-https-rfc")))
    if not expires_values:
        findings.append(finding("no-expires", Outcome.FAIL, Severity.MODERATE, t_en("family.security_txt.seen.no-expires-line"), t_en("family.security_txt.expected.exactly-one-expires-line-e-g")))
    elif len(expires_values) > 1:
        findings.append(finding("several-expires", Outcome.FAIL, Severity.MINOR, ", ".join(expires_values[:3]),
                                t_en("family.security_txt.expected.exactly-one-expires-line")))
    else:
        expires = parse_expires(expires_values[0])
        if expires is None:
            findings.append(finding("expires-unreadable", Outcome.FAIL, Severity.MODERATE, t_en("family.security_txt.seen.expires",
                                                                                                expires=expires_values[0]),
                                    t_en("family.security_txt.expected.an-rfc-3339-date-and")))
        elif expires < fetched:
            days = (fetched - expires).days
            findings.append(finding("expired", Outcome.FAIL, Severity.MODERATE, t_en("family.security_txt.seen.expires-days-before-it",
                                                                                     expires=expires_values[0],
                                                                                     days=days),
                                    t_en("family.security_txt.expected.an-expires-date-in-the")))
        elif expires - fetched > RECOMMENDED_MAX_AHEAD:
            findings.append(finding("expires-far", Outcome.WARNING, Severity.MINOR, t_en("family.security_txt.seen.expires",
                                                                                         expires=expires_values[0]),
                                    t_en("family.security_txt.expected.an-expires-date-less-than")))
    if _scheme(address) != "https":
        findings.append(finding("not-https", Outcome.FAIL, Severity.MODERATE, t_en("family.security_txt.seen.fetched-from",
                                                                                   address=address), t_en("family.security_txt.expected.security-txt-served-over-https-rfc")))
    if content_type != "text/plain":
        findings.append(finding("content-type", Outcome.WARNING, Severity.MINOR, t_en("family.security_txt.seen.content-type",
                                                                                      content_type=info.content_type or t_en("family.security_txt.none")),
                                t_en("family.security_txt.expected.content-type-text-plain-charset-utf-8")))
    if any(f.outcome == Outcome.FAIL for f in findings):
        outcome = Outcome.FAIL
    elif findings:
        outcome = Outcome.WARNING
    else:
        return site_result(check_id, Outcome.PASS,
                           **say("security-txt.summary.pass",
                                 contacts_count=len(contacts),
                                 expires=expires_values[0]).fields("summary"), details=details)
    return site_result(check_id, outcome, "; ".join(f.title for f in findings), findings=findings, details=details,
                       summary_nl="; ".join(f.title_nl for f in findings))
