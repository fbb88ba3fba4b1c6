"""Clear language (digital-inclusion criterion): how easy is the site's Dutch text to read?

Each Dutch page's visible prose gets a Flesch-Douma reading-ease score while it is visited
(auditor/score/reducers/readability.py, stored on its ``PageSummary``). This site check takes the median over
pages and lists the hardest pages. It only ever warns: a formula of sentence and word length
is a signal for a plain-language review (B1 level), never a verdict. WCAG relates it to 3.1.5
Reading Level (level AAA, so outside the legal AA norm).
"""

from __future__ import annotations

from statistics import median

from auditor.model import CheckResult, Outcome, PageStatus, Severity, SiteArtifacts
from auditor.shared.texts import joined, say, t_en
from checks._support import page_address, site_result
from auditor.shared.wcag import wcag_finding
from checks.registry import CheckContext, site_check

PLAIN_LANGUAGE_MIN = 60.0  # Douma 60-70: plain Dutch most adults read without effort
VERY_DIFFICULT_MAX = 30.0  # below: academic / legal prose
HARDEST_LISTED = 10


@site_check(
    id="readability",
    requires=("pages",),
    text_values={"plain_language_min": PLAIN_LANGUAGE_MIN, "very_difficult_max": VERY_DIFFICULT_MAX},
)
def readability(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    scored = [
        (page_address(p), p.readability) for p in site.pages
        if p.status == PageStatus.OK and p.readability is not None
    ]
    if not scored:
        return site_result("readability", Outcome.NOT_APPLICABLE,
                           **say("readability.summary.not-applicable").fields("summary"))
    scores = [r.score for _, r in scored]
    site_median = round(median(scores), 1)
    hardest = sorted(scored, key=lambda item: item[1].score)[:HARDEST_LISTED]
    details = {
        "median": site_median,
        "pages_measured": len(scored),
        "hardest_pages": [{"url": url, "score": r.score, "words": r.words} for url, r in hardest],
        "formula": "Flesch-Douma (textstat, lang=nl)",
    }
    findings = []
    very_difficult = [(url, r) for url, r in sorted(scored, key=lambda i: i[1].score) if r.score < VERY_DIFFICULT_MAX]
    if very_difficult:
        url, first = very_difficult[0]
        finding = wcag_finding(
            "readability", "very-difficult-text", **say("readability.finding.very-difficult-text").fields("title"),
            criteria=["3.1.5"],
            outcome=Outcome.WARNING, severity=Severity.MODERATE, page_url=url,
            value=t_en("family.readability.seen.flesch-douma-words", score=first.score, words=first.words,
                       sentences=first.sentences),
            expected=t_en("family.readability.expected.at-least-plain", plain_language_min=PLAIN_LANGUAGE_MIN),
            occurrences=len(very_difficult),
        )
        finding.pages = [u for u, _ in very_difficult[:50]]
        finding.pages_total = len(very_difficult)
        finding.evidence += [
            finding.evidence[0].model_copy(update={
                "page_url": u, "value": t_en("family.readability.seen.flesch-douma-words", score=r.score,
                                                 words=r.words, sentences=r.sentences)})
            for u, r in very_difficult[1:HARDEST_LISTED]
        ]
        findings.append(finding)
    easy_pages = sum(s >= PLAIN_LANGUAGE_MIN for s in scores)
    if site_median < PLAIN_LANGUAGE_MIN:
        summary = say("readability.summary.warning", median=site_median, pages=len(scored),
                      minimum=PLAIN_LANGUAGE_MIN, hardest=hardest[0][0], hardest_score=hardest[0][1].score)
        if not findings:
            url, first = hardest[0]
            findings.append(wcag_finding(
                "readability", "difficult-text", **say("readability.finding.difficult-text").fields("title"),
                criteria=["3.1.5"],
                outcome=Outcome.WARNING, severity=Severity.MINOR, page_url=url,
                value=t_en("family.readability.seen.site-median-flesch", site_median=site_median, score=first.score),
                expected=t_en("family.readability.expected.a-median-of", plain_language_min=PLAIN_LANGUAGE_MIN),
            ))
        return site_result("readability", Outcome.WARNING, **summary.fields("summary"), findings=findings,
                           details=details, pages_evaluated=len(scored), pages_passed=easy_pages)
    outcome = Outcome.WARNING if findings else Outcome.PASS
    summary = say("readability.summary.median", median=site_median, pages=len(scored))
    if findings:
        summary = joined([summary, say("readability.summary.very-difficult", pages=len(very_difficult))], "")
    return site_result("readability", outcome, **summary.fields("summary"), findings=findings, details=details,
                       pages_evaluated=len(scored), pages_passed=easy_pages)
