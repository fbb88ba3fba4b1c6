"""Documents: are the PDFs the site links to accessible?

Reads ``SiteArtifacts.documents`` (a bounded sample of linked PDFs, downloaded and parsed by
auditor/probes/documents.py). A document counts as accessible when it is tagged, has a title, declares
its language and has a text layer; each missing property is one finding listing the documents
that lack it, after the WCAG PDF techniques:

* not tagged (PDF1/PDF/UA): WCAG 1.3.1 Info and Relationships;
* no text layer, i.e. a scanned image (PDF7): WCAG 1.1.1 Non-text Content;
* no title (PDF18): WCAG 2.4.2 Page Titled;
* no language (PDF16): WCAG 3.1.1 Language of Page.

Score: the share of analysed documents that are accessible. Reading order, alternative texts
and contrast inside a PDF need a person (or veraPDF/PAC): a pass here is not a conformance claim.
"""

from __future__ import annotations

from auditor.model import CheckResult, DocumentInfo, Evidence, Finding, Outcome, Severity, SiteArtifacts
from auditor.shared.texts import joined, say, t_en
from checks._support import site_result
from auditor.shared.wcag import wcag_finding
from checks.accessibility import is_valid_language_tag
from checks.registry import CheckContext, site_check

EVIDENCE_MAX = 10

# property → (rule, title, criteria, severity, expected, test of the document)
PROBLEMS = (
    ("untagged-pdf", ["1.3.1"], Severity.SERIOUS,
     t_en("document-accessibility.expected.tagged"), lambda d: not d.tagged),
    ("pdf-no-text", ["1.1.1"], Severity.CRITICAL,
     t_en("document-accessibility.expected.text"), lambda d: d.has_text is False),
    ("pdf-no-title", ["2.4.2"], Severity.MODERATE,
     t_en("document-accessibility.expected.title"), lambda d: not d.title.strip()),
    ("pdf-no-language", ["3.1.1"], Severity.MODERATE,
     t_en("document-accessibility.expected.language"), lambda d: not (d.lang and is_valid_language_tag(d.lang))),
)


def document_problems(document: DocumentInfo) -> list[str]:
    """The rules a successfully analysed document breaks (empty = accessible as far as we can tell)."""
    return [rule for rule, _, _, _, test in PROBLEMS if test(document)]


def _yes_no(value: object) -> str:
    return t_en("family.documents.yes" if value else "family.documents.no")


def _describe(document: DocumentInfo) -> str:
    return t_en("family.documents.described", tagged=_yes_no(document.tagged), title=repr(document.title[:80]),
                lang=document.lang or t_en("family.documents.none"), text_layer=_yes_no(document.has_text))


def _linked_from(document: DocumentInfo) -> str:
    return t_en("family.documents.linked-from", page=document.linked_from) if document.linked_from else ""


@site_check(id="document-accessibility", requires=("documents",))
def document_accessibility(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    analysed = [d for d in site.documents if not d.error]
    failed = [d for d in site.documents if d.error]
    per_document = [
        {"url": d.url, "linked_from": d.linked_from, "error": d.error, "tagged": d.tagged, "title": d.title,
         "lang": d.lang, "has_text": d.has_text, "pages": d.pages,
         "problems": [] if d.error else document_problems(d)}
        for d in site.documents
    ]
    details = {"documents": per_document, "analysed": len(analysed), "not_analysed": len(failed)}
    if not site.documents:
        return site_result("document-accessibility", Outcome.NOT_APPLICABLE,
                           **say("document-accessibility.summary.not-applicable").fields("summary"), details=details)
    findings = []
    if failed:
        # a file that is too large, truncated or password-protected: a person has to look at it
        unread = Finding(
            check_id="document-accessibility", outcome=Outcome.MANUAL,
            **say("document-accessibility.finding.pdf-not-analysed").fields("title"),
            severity=Severity.MODERATE, rule="pdf-not-analysed", fingerprint="document-accessibility:pdf-not-analysed",
            occurrences=len(failed), pages=[d.url for d in failed][:50], pages_total=len(failed),
            evidence=[Evidence(page_url=d.url, value=d.error, expected=t_en("family.documents.expected.a-pdf-that"),
                               snippet=_linked_from(d))
                      for d in failed[:EVIDENCE_MAX]],
        )
        findings.append(unread)
    if not analysed:
        return site_result("document-accessibility", Outcome.MANUAL,
                           **say("document-accessibility.summary.manual",
                                 failed_count=len(failed),
                                 error=failed[0].error).fields("summary"),
                           findings=findings, details=details)
    for rule, criteria, severity, expected, test in PROBLEMS:
        lacking = [d for d in analysed if test(d)]
        if not lacking:
            continue
        finding = wcag_finding(
            "document-accessibility", rule, **say(f"document-accessibility.finding.{rule}").fields("title"),
            criteria=criteria, outcome=Outcome.FAIL, severity=severity,
            page_url=lacking[0].url, value=_describe(lacking[0]), expected=expected,
            occurrences=len(lacking),
        )
        finding.pages = [d.url for d in lacking][:50]
        finding.pages_total = len(lacking)
        finding.evidence[0].snippet = _linked_from(lacking[0])
        finding.evidence += [
            finding.evidence[0].model_copy(update={
                "page_url": d.url, "value": _describe(d),
                "snippet": _linked_from(d)})
            for d in lacking[1:EVIDENCE_MAX]
        ]
        findings.append(finding)
    accessible = [d for d in analysed if not document_problems(d)]
    share = len(accessible) / len(analysed)
    details["accessible"] = len(accessible)
    details["share_accessible"] = round(share, 3)
    summary = say("document-accessibility.summary.accessible", accessible=len(accessible), analysed=len(analysed),
                  share=share)
    if failed:
        summary = joined([summary, say("document-accessibility.summary.not-analysed", failed=len(failed))], "")
    outcome = Outcome.FAIL if any(f.outcome == Outcome.FAIL for f in findings) else Outcome.PASS
    return site_result("document-accessibility", outcome, **summary.fields("summary"), score=share, findings=findings,
                       details=details, pages_evaluated=len(analysed), pages_passed=len(accessible))
