"""Security headers, HSTS and cookie flags of each HTTPS page: the "veilig" of principle 5.

``security-headers`` grades a page the way Mozilla's HTTP Observatory does, so results can be
compared with what users already know: start at 100, add the published modifiers of each test,
count bonuses only when the score without them is at least 90, floor at 0, and map to a letter
(A+ … F) in steps of 5. Two differences, on purpose: a CSP given in ``<meta http-equiv>`` counts
(Observatory misses it, mozilla/http-observatory#105), and the redirection and cookie tests are
left to ``https-everywhere`` and ``cookie-security`` so one problem is not counted twice.

Modifiers used (Observatory's ``SCORE_TABLE``):

========================================  ======
CSP missing, invalid or report-only only     −25
CSP allows inline/``http:`` scripts          −20
CSP allows ``eval``                          −10
CSP without unsafe sources                    +5 (+10 with ``default-src 'none'``)
X-Content-Type-Options not ``nosniff``        −5
X-Frame-Options missing/invalid and no
CSP ``frame-ancestors``                      −20
X-Frame-Options or ``frame-ancestors`` set    +5 when ``frame-ancestors`` is used
Referrer-Policy missing                        0
Referrer-Policy unsafe or invalid             −5
Referrer-Policy private                       +5
HSTS missing or invalid                      −20
HSTS ``max-age`` under six months            −10
========================================  ======

``security-headers`` passes at 90 (grade A) and above, warns from 50 to 85, fails below 50.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Optional
from urllib.parse import urlsplit

from auditor.model import CheckResult, CookieRecord, Evidence, Finding, Outcome, PageArtifacts, Severity
from auditor.shared.texts import Text, say, t_en
from checks._support import cap_snippet, page_address, page_result
from checks.registry import CheckContext, page_check

MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
PASS_POINTS = 90
WARNING_POINTS = 50
HSTS_OBSERVATORY_MIN_AGE = 15768000  # six months, Observatory's threshold
HSTS_RECOMMENDED_MIN_AGE = 31536000  # one year, the (and hstspreload.org's) threshold

GRADE_STEPS = (
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
    (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"),
)

REFERRER_PRIVATE = frozenset({"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"})
REFERRER_NEUTRAL = frozenset({"no-referrer-when-downgrade"})
REFERRER_UNSAFE = frozenset({"origin", "origin-when-cross-origin", "unsafe-url"})

SESSION_COOKIE_MARKERS = ("sess", "sid", "auth", "token", "jsessionid", "phpsessid", "asp.net_sessionid")


def grade_for(points: int) -> str:
    for threshold, letter in GRADE_STEPS:
        if points >= threshold:
            return letter
    return "F"


def _is_https(page: PageArtifacts) -> bool:
    try:
        return urlsplit(page_address(page)).scheme.lower() == "https"
    except ValueError:
        return False


# ----------------------------------------------------------------------------- CSP parsing


class _MetaCspParser(HTMLParser):
    """Collects ``<meta http-equiv="Content-Security-Policy" content=…>`` values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag != "meta":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if values.get("http-equiv", "").strip().lower() == "content-security-policy" and values.get("content"):
            self.policies.append(values["content"])


_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.IGNORECASE)


def meta_csp_policies(page: PageArtifacts) -> list[str]:
    """CSP policies given in ``<meta http-equiv>`` (only the head counts, per the CSP spec)."""
    policies: list[str] = []
    for key, value in page.meta.items():
        if key.lower() == "content-security-policy" and value:
            policies.append(value)
    if page.html:
        head_end = _HEAD_END.search(page.html)
        head = page.html[: head_end.start()] if head_end else page.html[:200000]
        parser = _MetaCspParser()
        try:
            parser.feed(head)
            parser.close()
        except Exception:  # noqa: BLE001 - html.parser is lenient; hostile HTML must not break a check
            pass
        policies.extend(p for p in parser.policies if p not in policies)
    return policies


def parse_csp(policy: str) -> dict[str, list[str]]:
    """Directive → source list (lower-cased); the first occurrence of a directive wins."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        tokens = part.strip().split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if name not in directives:
            directives[name] = [t.lower() for t in tokens[1:]]
    return directives


@dataclass
class CspVerdict:
    present: bool
    source: str  # "header", "meta", "header+meta", "report-only", ""
    text: str
    unsafe_inline: bool = False  # or an http:/wildcard script source
    unsafe_eval: bool = False
    frame_ancestors: bool = False
    default_none: bool = False


def _allows_inline(sources: list[str]) -> bool:
    # A nonce or hash makes CSP2+ browsers ignore 'unsafe-inline' (the common fallback pattern).
    neutralised = any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) or s == "'strict-dynamic'"
                      for s in sources)
    insecure = any(s in ("*", "http:", "data:") or s.startswith("http://") for s in sources)
    return insecure or ("'unsafe-inline'" in sources and not neutralised)


def csp_verdict(page: PageArtifacts) -> CspVerdict:
    header_policies = [p for p in page.headers.get("content-security-policy", "").split(",") if p.strip()]
    meta_policies = meta_csp_policies(page)
    if not header_policies and not meta_policies:
        report_only = page.headers.get("content-security-policy-report-only", "")
        return CspVerdict(False, "report-only" if report_only else "", report_only)
    source = "+".join(name for name, found in (("header", header_policies), ("meta", meta_policies)) if found)
    verdict = CspVerdict(True, source, " , ".join(header_policies + meta_policies))
    # Several policies are all enforced: scripts are restricted if any policy restricts them.
    script_policies: list[list[str]] = []
    for policy in header_policies + meta_policies:
        directives = parse_csp(policy)
        if "script-src" in directives:
            script_policies.append(directives["script-src"])
        elif "default-src" in directives:
            script_policies.append(directives["default-src"])
        if directives.get("default-src") == ["'none'"]:
            verdict.default_none = True
    for policy in header_policies:  # frame-ancestors is ignored in <meta> (CSP spec)
        if "frame-ancestors" in parse_csp(policy):
            verdict.frame_ancestors = True
    if not script_policies or all(_allows_inline(sources) for sources in script_policies):
        verdict.unsafe_inline = True
    verdict.unsafe_eval = bool(script_policies) and all("'unsafe-eval'" in s for s in script_policies)
    return verdict


# ----------------------------------------------------------------------------- HSTS parsing


@dataclass
class HstsVerdict:
    present: bool
    valid: bool = False
    max_age: Optional[int] = None
    include_subdomains: bool = False
    preload: bool = False
    text: str = ""


def hsts_verdict(page: PageArtifacts) -> HstsVerdict:
    text = page.headers.get("strict-transport-security", "")
    if not text.strip():
        return HstsVerdict(False)
    # Several headers are joined with commas; browsers use the first.
    first = text.split(",")[0]
    verdict = HstsVerdict(True, text=text)
    for part in first.split(";"):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if name == "max-age":
            try:
                verdict.max_age = int(value.strip().strip('"'))
            except ValueError:
                verdict.max_age = None
        elif name == "includesubdomains":
            verdict.include_subdomains = True
        elif name == "preload":
            verdict.preload = True
    verdict.valid = verdict.max_age is not None and verdict.max_age >= 0
    return verdict


# ----------------------------------------------------------------------------- the grade


@dataclass
class Modifier:
    rule: str
    points: int
    title: Text  # plain words, for the finding
    seen: str
    expected: str
    severity: Severity = Severity.MODERATE


def _referrer_policy(page: PageArtifacts) -> tuple[str, str]:
    """(effective value, where it came from); the last recognised token of the header wins."""
    for source, raw in (("header", page.headers.get("referrer-policy", "")), ("meta", page.meta.get("referrer", ""))):
        tokens = [t.strip().lower() for t in raw.split(",") if t.strip()]
        known = [t for t in tokens if t in REFERRER_PRIVATE | REFERRER_NEUTRAL | REFERRER_UNSAFE]
        if known:
            return known[-1], source
        if tokens:
            return "invalid:" + raw.strip(), source
    return "", ""


def observatory_modifiers(page: PageArtifacts) -> tuple[list[Modifier], list[Modifier], dict]:
    """(penalties and neutral notes, bonuses, details) for one HTTPS page."""
    penalties: list[Modifier] = []
    bonuses: list[Modifier] = []
    details: dict = {}

    csp = csp_verdict(page)
    details["csp"] = {"present": csp.present, "source": csp.source, "policy": cap_snippet(csp.text, 300),
                      "frame_ancestors": csp.frame_ancestors}
    if not csp.present:
        seen = (t_en("security-headers.seen.report-only") if csp.source == "report-only"
                else t_en("security-headers.seen.no-csp"))
        penalties.append(Modifier("csp-missing", -25, say("security-headers.finding.csp-missing"), seen,
                                  t_en("family.security_headers.expected.a-content-security-policy-header-that-re"),
                                  Severity.SERIOUS))
    else:
        if csp.unsafe_inline:
            penalties.append(Modifier(
                "csp-unsafe-inline", -20, say("security-headers.finding.csp-unsafe-inline"),
                cap_snippet(csp.text, 300),
                t_en("family.security_headers.expected.script-src-or-default-src-without-unsafe"),
                Severity.MODERATE))
        elif csp.unsafe_eval:
            penalties.append(Modifier(
                "csp-unsafe-eval", -10, say("security-headers.finding.csp-unsafe-eval"), cap_snippet(csp.text, 300),
                t_en("family.security_headers.expected.script-src-without-unsafe-eval"), Severity.MINOR))
        else:
            bonus = 10 if csp.default_none else 5
            bonuses.append(Modifier("csp-strict", bonus, say("security-headers.finding.csp-strict"),
                                    cap_snippet(csp.text, 300), "", Severity.INFO))

    xcto = page.headers.get("x-content-type-options", "").strip()
    details["x_content_type_options"] = xcto
    if xcto.lower() != "nosniff":
        penalties.append(Modifier(
            "x-content-type-options-missing" if not xcto else "x-content-type-options-invalid", -5,
            say("security-headers.finding.x-content-type-options"),
            xcto or t_en("security-headers.seen.no-xcto"), t_en("family.security_headers.expected.x-content-type-options-nosniff"), Severity.MINOR))

    xfo = page.headers.get("x-frame-options", "").strip()
    details["x_frame_options"] = xfo
    xfo_valid = xfo.lower() in ("deny", "sameorigin")
    if csp.frame_ancestors:
        bonuses.append(Modifier("frame-ancestors", 5, say("security-headers.finding.frame-ancestors"),
                                t_en("family.security_headers.seen.frame-ancestors"), "", Severity.INFO))
    elif not xfo_valid:
        penalties.append(Modifier(
            "x-frame-options-missing" if not xfo else "x-frame-options-invalid", -20,
            say("security-headers.finding.x-frame-options"),
            f"X-Frame-Options: {xfo}" if xfo else t_en("security-headers.seen.no-xfo"),
            t_en("family.security_headers.expected.x-frame-options-deny-or-sameorigin-or"), Severity.MODERATE))

    referrer, referrer_source = _referrer_policy(page)
    details["referrer_policy"] = referrer
    if not referrer:
        penalties.append(Modifier(
            "referrer-policy-missing", 0, say("security-headers.finding.referrer-policy-missing"),
            t_en("family.security_headers.seen.no-referrer-policy-header-or-meta"),
            t_en("family.security_headers.expected.referrer-policy-strict-origin-when-cross"), Severity.INFO))
    elif referrer.startswith("invalid:") or referrer in REFERRER_UNSAFE:
        penalties.append(Modifier(
            "referrer-policy-unsafe", -5, say("security-headers.finding.referrer-policy-unsafe"),
            t_en("family.security_headers.seen.referrer-policy", policy=referrer.removeprefix('invalid:'),
                 referrer_source=referrer_source),
            t_en("family.security_headers.expected.referrer-policy-strict-origin-when-cross"), Severity.MINOR))
    elif referrer in REFERRER_PRIVATE:
        bonuses.append(Modifier("referrer-policy-private", 5, say("security-headers.finding.referrer-policy-private"), referrer, "", Severity.INFO))

    hsts = hsts_verdict(page)
    details["hsts"] = {"present": hsts.present, "max_age": hsts.max_age,
                       "include_subdomains": hsts.include_subdomains, "preload": hsts.preload}
    if not hsts.present or not hsts.valid:
        penalties.append(Modifier(
            "hsts-missing" if not hsts.present else "hsts-invalid", -20,
            say("security-headers.finding.hsts"),
            f"Strict-Transport-Security: {hsts.text}" if hsts.present
            else t_en("family.security_headers.seen.no-strict-transport-security-header"),
            t_en("family.security_headers.expected.strict-transport-security-max-age",
                 hsts_recommended_min_age=HSTS_RECOMMENDED_MIN_AGE), Severity.MODERATE))
    elif hsts.max_age < HSTS_OBSERVATORY_MIN_AGE:
        penalties.append(Modifier(
            "hsts-short", -10, say("security-headers.finding.hsts-short"),
            t_en("family.security_headers.seen.max-age-days", max_age=hsts.max_age, days=hsts.max_age // 86400),
            t_en("family.security_headers.expected.max-age-of-at-least-six",
                 hsts_observatory_min_age=HSTS_OBSERVATORY_MIN_AGE),
            Severity.MINOR))

    # Not scored by the Observatory; reported so the page's headers are complete in one place.
    details["permissions_policy"] = page.headers.get("permissions-policy", "")
    return penalties, bonuses, details


@page_check(id="security-headers", requires=("headers", "meta", "html"))
def security_headers(page: PageArtifacts, context: CheckContext) -> CheckResult:
    check_id = "security-headers"
    if not _is_https(page):
        return page_result(check_id, page, Outcome.NOT_APPLICABLE, t_en("security-headers.summary.not-applicable"))
    penalties, bonuses, details = observatory_modifiers(page)
    base = 100 + sum(m.points for m in penalties)
    extra = sum(m.points for m in bonuses) if base >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else 0
    points = max(0, base + extra)
    grade = grade_for(points)
    details.update({"points": points, "base_points": base, "bonus_points": extra, "grade": grade,
                    "modifiers": {m.rule: m.points for m in penalties + bonuses}})
    page_url = page_address(page)
    findings = [
        Finding(
            check_id=check_id,
            outcome=Outcome.FAIL if m.points <= -20 else Outcome.WARNING,
            **m.title.fields("title"),
            severity=m.severity,
            rule=m.rule,
            **say("security-headers.finding_description.observatory-modifier",
                  points=m.points).fields("description"),
            fingerprint=f"{check_id}:{m.rule}",
            pages=[page_url],
            pages_total=1,
            evidence=[Evidence(page_url=page_url, value=m.seen, expected=m.expected)],
        )
        for m in penalties
    ]
    if points >= PASS_POINTS:
        outcome = Outcome.PASS
    elif points >= WARNING_POINTS:
        outcome = Outcome.WARNING
    else:
        outcome = Outcome.FAIL
    problems = [m.title.en for m in penalties if m.points < 0]
    summary = (t_en("security-headers.summary.problems", grade=grade, points=points, problems="; ".join(problems))
               if problems else t_en("security-headers.summary.grade", grade=grade, points=points))
    return page_result(check_id, page, outcome, summary, score=min(1.0, points / 100),
                       findings=findings, details=details)


# ----------------------------------------------------------------------------- HSTS


@page_check(
    id="hsts",
    requires=("headers",),
    text_values={"hsts_recommended_min_age": HSTS_RECOMMENDED_MIN_AGE},
)
def hsts(page: PageArtifacts, context: CheckContext) -> CheckResult:
    check_id = "hsts"
    if not _is_https(page):
        return page_result(check_id, page, Outcome.NOT_APPLICABLE, t_en("hsts.summary.not-applicable"))
    verdict = hsts_verdict(page)
    page_url = page_address(page)
    details = {"present": verdict.present, "max_age": verdict.max_age,
               "include_subdomains": verdict.include_subdomains, "preload": verdict.preload,
               "header": cap_snippet(verdict.text, 300)}
    expected = t_en("family.security_headers.expected.strict-transport-security-max-age-includ",
                    hsts_recommended_min_age=HSTS_RECOMMENDED_MIN_AGE)

    def finding(rule: str, outcome: Outcome, severity: Severity, seen: str) -> Finding:
        return Finding(check_id=check_id, outcome=outcome, severity=severity, rule=rule,
                       **say(f"hsts.finding.{rule}").fields("title"),
                       fingerprint=f"{check_id}:{rule}", pages=[page_url], pages_total=1,
                       evidence=[Evidence(page_url=page_url, value=seen, expected=expected)])

    if not verdict.present:
        return page_result(check_id, page, Outcome.FAIL, t_en("hsts.summary.fail.no-strict-transport"), details=details,
                           findings=[finding("hsts-missing", Outcome.FAIL, Severity.MODERATE,
                                             t_en("family.security_headers.seen.no-strict-transport-security-header"))])
    if not verdict.valid:
        return page_result(check_id, page, Outcome.FAIL, t_en("hsts.summary.fail.strict-transport-security"),
                           details=details,
                           findings=[finding("hsts-invalid", Outcome.FAIL, Severity.MODERATE, cap_snippet(verdict.text, 300))])
    notes = ", ".join(n for n, on in (("includeSubDomains", verdict.include_subdomains),
                                      ("preload", verdict.preload)) if on) or t_en("hsts.no-options")
    if verdict.max_age < HSTS_RECOMMENDED_MIN_AGE:
        days = verdict.max_age // 86400
        return page_result(
            check_id, page, Outcome.WARNING, t_en("hsts.summary.warning", days=days, notes=notes),
            details=details,
            findings=[finding("hsts-short", Outcome.WARNING,
                              Severity.MINOR, t_en("family.security_headers.seen.max-age-days-2",
                                                   max_age=verdict.max_age, days=days))])
    return page_result(check_id, page, Outcome.PASS, t_en("hsts.summary.pass", max_age=verdict.max_age, notes=notes),
                       details=details)


# ----------------------------------------------------------------------------- cookies


def looks_like_session_cookie(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in SESSION_COOKIE_MARKERS)


def _cookie_text(cookie: CookieRecord) -> str:
    flags = [f"domain={cookie.domain}", f"path={cookie.path}"]
    flags += [flag for flag, on in (("Secure", cookie.secure), ("HttpOnly", cookie.http_only)) if on]
    flags.append(f"SameSite={cookie.same_site}" if cookie.same_site
                 else t_en("family.security_headers.seen.no-samesite"))
    return f"{cookie.name}: " + ", ".join(flags)


def _same_page(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


@page_check(id="cookie-security", requires=("cookies",))
def cookie_security(page: PageArtifacts, context: CheckContext) -> CheckResult:
    check_id = "cookie-security"
    page_urls = {page.url, page.final_url} - {""}
    # A cookie is judged once, on the page where it first appeared, not again on every page.
    cookies = [c for c in page.cookies if any(_same_page(c.first_seen_on, u) for u in page_urls)]
    if not cookies:
        return page_result(check_id, page, Outcome.NOT_APPLICABLE, t_en("cookie-security.summary.not-applicable"))
    page_url = page_address(page)
    https = _is_https(page)
    problems: dict[str, list[CookieRecord]] = {"no-secure": [], "session-no-httponly": [], "samesite": []}
    for cookie in cookies:
        if https and not cookie.secure:
            problems["no-secure"].append(cookie)
        if looks_like_session_cookie(cookie.name) and not cookie.http_only:
            problems["session-no-httponly"].append(cookie)
        same_site = cookie.same_site.strip().lower()
        if not same_site or (same_site == "none" and not cookie.secure):
            problems["samesite"].append(cookie)

    texts = {
        "no-secure": (Outcome.FAIL, Severity.SERIOUS, t_en("cookie-security.expected.no-secure")),
        "session-no-httponly": (Outcome.FAIL, Severity.SERIOUS, t_en("cookie-security.expected.session-no-httponly")),
        "samesite": (Outcome.WARNING, Severity.MINOR, t_en("cookie-security.expected.samesite")),
    }
    findings: list[Finding] = []
    for rule, affected in problems.items():
        if not affected:
            continue
        outcome, severity, expected = texts[rule]
        findings.append(Finding(
            check_id=check_id, outcome=outcome, **say(f"cookie-security.finding.{rule}").fields("title"),
            severity=severity, rule=rule,
            fingerprint=f"{check_id}:{rule}", occurrences=len(affected), pages=[page_url], pages_total=1,
            evidence=[Evidence(page_url=page_url, value=_cookie_text(c), expected=expected) for c in affected[:10]],
        ))
    bad = {c.name for rule in ("no-secure", "session-no-httponly") for c in problems[rule]}
    details = {"cookies": len(cookies), "cookies_failing": sorted(bad),
               "cookies_without_samesite": sorted({c.name for c in problems["samesite"]})}
    if bad:
        outcome = Outcome.FAIL
    elif problems["samesite"]:
        outcome = Outcome.WARNING
    else:
        outcome = Outcome.PASS
    score = (len(cookies) - len(bad)) / len(cookies)
    if outcome == Outcome.WARNING:
        score = 0.5
    elif outcome == Outcome.PASS:
        score = 1.0
    summary = (t_en("cookie-security.summary.problems", cookies=len(cookies),
                    problems="; ".join(f.title.lower() for f in findings)) if findings
               else t_en("cookie-security.summary.protected", cookies=len(cookies)))
    return page_result(check_id, page, outcome, summary, score=score, findings=findings, details=details)
