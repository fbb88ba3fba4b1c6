"""Content of the accessibility statement (toegankelijkheidsverklaring).

The Bestuursdecreet (art. II.16, EU directive 2016/2102) and the EU model statement require:
the compliance status (fully / partially / not compliant with WCAG 2.1 AA), the content that is
not accessible with the reasons, accessible alternatives, a feedback mechanism (contact), the
complaint and enforcement procedure (in Flanders: the Vlaamse Ombudsdienst) and the date the
statement was drawn up or last reviewed. Each element is one finding: found (pass, with the
sentence that proved it) or missing. Phrasing is matched in Dutch, French and English, after
the Flemish reference statement (flux-web-components) and the EU model.

The text comes from ``SiteArtifacts.role_texts["accessibility"]`` (the visible text of the
statement page, capped). Whether the statement is linked is ``accessibility-statement-linked``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Optional

from auditor.model import CheckResult, Finding, Outcome, Severity, SiteArtifacts
from auditor.shared.texts import Text, say, t_en, t_nl
from checks._statement_text import (
    dates_in,
    element_finding,
    elements_result,
    first_sentence as _first,
    matches_any as _any,
    sentences_of,
    statement_text,
)
from checks.registry import CheckContext, site_check

CHECK_ID = "accessibility-statement-content"
REVIEW_MAX_DAYS = 365
ROLE = "accessibility"

_I = re.IGNORECASE

STATUS_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "full": [
        re.compile(r"voldoe[nt]?\s+(?:\w+\s+){0,3}volledig", _I),
        re.compile(r"volledig\s+(?:conform|in overeenstemming)", _I),
        re.compile(r"(?:est|sont)\s+(?:totalement|entièrement|pleinement)\s+conformes?", _I),
        re.compile(r"\b(?:is|are)\s+fully\s+(?:compliant|conformant)", _I),
    ],
    "partial": [
        re.compile(r"voldoe[nt]?\s+(?:\w+\s+){0,3}(?:gedeeltelijk|deels|grotendeels)", _I),
        re.compile(r"(?:gedeeltelijk|deels)\s+(?:conform|in overeenstemming)", _I),
        re.compile(r"(?:est|sont)\s+partiellement\s+conformes?", _I),
        re.compile(r"\b(?:is|are)\s+partially\s+(?:compliant|conformant)", _I),
    ],
    "none": [
        re.compile(r"voldoe[nt]?\s+(?:\w+\s+){0,3}niet\s+aan", _I),
        re.compile(r"\bniet\s+conform\b", _I),
        re.compile(r"n['’]est\s+pas\s+conforme|(?:est|sont)\s+non\s+conformes?", _I),
        re.compile(r"\b(?:is|are)\s+not\s+(?:compliant|conformant)", _I),
    ],
}
STATUS_LABELS = {"full": "volledig", "partial": "gedeeltelijk", "none": "niet"}
# the elements looked for, in order; their names are the catalog's accessibility-statement-content.element.<rule>
ELEMENTS = ("compliance-status", "non-accessible-content", "alternatives", "feedback-mechanism", "enforcement-procedure", "review-date")
ELEMENT_NAMES = {rule: t_en(f"accessibility-statement-content.element.{rule}") for rule in ELEMENTS}
ELEMENT_NAMES_NL = {rule: t_nl(f"accessibility-statement-content.element.{rule}") for rule in ELEMENTS}

NON_ACCESSIBLE = [
    re.compile(r"niet[- ]toegankelijke?\s+inhoud|niet[- ]naleving|onevenredige\s+last|buiten\s+de\s+werkingssfeer"
               r"|(?:is|zijn)\s+(?:nog\s+)?niet\s+toegankelijk", _I),
    re.compile(r"contenus?\s+non\s+accessibles?|non[- ]conformités?|charge\s+disproportionnée"
               r"|ne\s+(?:sont|est)\s+pas\s+(?:encore\s+)?accessibles?", _I),
    re.compile(r"non[- ]accessible\s+content|disproportionate\s+burden|(?:is|are)\s+not\s+(?:yet\s+)?accessible", _I),
]
ALTERNATIVES = [
    re.compile(r"toegankelijke?\s+alternatie(?:f|ven)|alternatie(?:f|ven)\b|ander(?:e)?\s+formaat|op\s+(?:aan)?vraag"
               r"|op\s+verzoek", _I),
    re.compile(r"alternatives?\s+accessibles?|\balternatives?\b|sur\s+demande|autre\s+format", _I),
    re.compile(r"accessible\s+alternatives?|alternative\s+format|on\s+request", _I),
]
FEEDBACK_WORDS = [
    re.compile(r"feedback|contactgegevens|contacteer|neem\s+contact|contact\s+opnemen|meld(?:en|t)?\b|laat\s+(?:het\s+)?ons\s+weten", _I),
    re.compile(r"retour\s+d['’]information|commentaires?|contactez|nous\s+contacter|signaler|coordonnées", _I),
    re.compile(r"feedback|contact\s+us|let\s+us\s+know|report", _I),
]
CONTACT_MEANS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+32|\b0)\s?\d[\d /.]{6,}\d|formulier|formulaire|\bform\b", _I)
COMPLAINT_BODY = re.compile(r"ombudsdienst|ombudsman|médiateur|ombudsvrouw|klachtendienst\s+van", _I)
COMPLAINT_WORDS = re.compile(
    r"handhavingsprocedure|klacht|procédure\s+de\s+(?:mise\s+en\s+œuvre|recours)|réclamation|plainte"
    r"|enforcement\s+procedure|complaint", _I)
DATE_CONTEXT = re.compile(
    r"opgesteld|herzien|bijgewerkt|geactualiseerd|laatst|établie|révisée|mise\s+à\s+jour|prepared|reviewed|updated|"
    r"last\s+review", _I)

def assess_statement(text: str, today: date) -> list[Finding]:
    """One finding per required element of the statement, found or not."""
    sentences = sentences_of(text)
    findings: list[Finding] = []

    def element(rule: str, outcome: Outcome, title: Text, sentence: Optional[str], expected: str,
                value: str = "", severity: Severity = Severity.SERIOUS) -> None:
        """One element's finding; ``title`` in English and Dutch, from the text catalog."""
        findings.append(element_finding(CHECK_ID, rule, outcome, **title.fields("title"), proof=[sentence or ""],
                                        expected=expected, value=value, severity=severity))

    status, status_sentence = None, None
    for key, patterns in STATUS_PATTERNS.items():
        status_sentence = _first(sentences, _any(patterns))
        if status_sentence:
            status = key
            break
    if status:
        element("compliance-status", Outcome.PASS,
                say("accessibility-statement-content.finding.compliance-status.pass",
                    status_labels=STATUS_LABELS[status]), status_sentence,
                t_en("family.statement_content.expected.a-compliance-status"), value=STATUS_LABELS[status])
    else:
        element("compliance-status", Outcome.FAIL, say("accessibility-statement-content.finding.compliance-status.fail"),
                None, t_en("family.statement_content.expected.deze-website-voldoet-gedeeltelijk-aan"))

    non_accessible = _first(sentences, _any(NON_ACCESSIBLE))
    if non_accessible:
        element("non-accessible-content", Outcome.PASS, say("accessibility-statement-content.finding.non-accessible-content.pass"),
                non_accessible, t_en("family.statement_content.expected.a-list-of-content-that"))
    elif status == "full":
        element("non-accessible-content", Outcome.PASS,
                say("accessibility-statement-content.finding.non-accessible-content.full-compliance"), status_sentence,
                t_en("family.statement_content.expected.a-list-of-content-that"))
    else:
        element("non-accessible-content", Outcome.FAIL, say("accessibility-statement-content.finding.non-accessible-content.fail"),
                None, t_en("family.statement_content.expected.a-section-niet-toegankelijke-inhoud-list"))

    alternative = _first(sentences, _any(ALTERNATIVES))
    if alternative:
        element("alternatives", Outcome.PASS,
                say("accessibility-statement-content.finding.alternatives.pass"), alternative,
                t_en("family.statement_content.expected.how-to-obtain-inaccessible-content"))
    elif status == "full":
        element("alternatives", Outcome.PASS, say("accessibility-statement-content.finding.alternatives.full-compliance"),
                status_sentence, t_en("family.statement_content.expected.how-to-obtain-inaccessible-content"))
    else:
        element("alternatives", Outcome.WARNING,
                say("accessibility-statement-content.finding.alternatives.warning"), None,
                t_en("family.statement_content.expected.how-to-obtain-inaccessible-content-2"),
                severity=Severity.MODERATE)

    feedback = _first(sentences, lambda s: _any(FEEDBACK_WORDS)(s) and bool(CONTACT_MEANS.search(s)))
    if feedback is None:  # the contact details often sit in the sentence after the invitation
        for index, sentence in enumerate(sentences[:-1]):
            if _any(FEEDBACK_WORDS)(sentence) and CONTACT_MEANS.search(" ".join(sentences[index + 1: index + 4])):
                feedback = " ".join(sentences[index: index + 3])
                break
    if feedback:
        element("feedback-mechanism", Outcome.PASS, say("accessibility-statement-content.finding.feedback-mechanism.pass"), feedback,
                t_en("family.statement_content.expected.how-to-report-a-barrier"))
    else:
        element("feedback-mechanism", Outcome.FAIL, say("accessibility-statement-content.finding.feedback-mechanism.fail"), None,
                t_en("family.statement_content.expected.feedback-en-contactgegevens-an-e-mail"))

    complaint_body = _first(sentences, lambda s: bool(COMPLAINT_BODY.search(s)))
    complaint = complaint_body or _first(sentences, lambda s: bool(COMPLAINT_WORDS.search(s)))
    if complaint_body:
        element("enforcement-procedure", Outcome.PASS, say("accessibility-statement-content.finding.enforcement-procedure.pass"),
                complaint_body, t_en("family.statement_content.expected.the-complaint-route-ending-at"))
    elif complaint:
        element("enforcement-procedure", Outcome.WARNING,
                say("accessibility-statement-content.finding.enforcement-procedure.warning"), complaint,
                t_en("family.statement_content.expected.the-vlaamse-ombudsdienst-klachten-vlaams"),
                severity=Severity.MODERATE)
    else:
        element("enforcement-procedure", Outcome.FAIL, say("accessibility-statement-content.finding.enforcement-procedure.fail"), None,
                t_en("family.statement_content.expected.handhavingsprocedure-the-complaint-route"))

    dated = [(s, d) for s in sentences if DATE_CONTEXT.search(s) for d in dates_in(s)]
    if dated:
        sentence, latest = max(dated, key=lambda item: item[1])
        age = (today - latest).days
        if age > REVIEW_MAX_DAYS:
            element("review-date", Outcome.WARNING,
                    say("accessibility-statement-content.finding.review-date.warning", months=age // 30), sentence,
                    t_en("family.statement_content.expected.a-review-at-least-once"), value=latest.isoformat(),
                    severity=Severity.MODERATE)
        else:
            element("review-date", Outcome.PASS, say("accessibility-statement-content.finding.review-date.pass",
                                                     date=latest.isoformat()),
                    sentence, t_en("family.statement_content.expected.a-date-of-drafting-or"), value=latest.isoformat())
    else:
        element("review-date", Outcome.FAIL, say("accessibility-statement-content.finding.review-date.fail"), None,
                t_en("family.statement_content.expected.deze-verklaring-is-opgesteld-op"),
                severity=Severity.MODERATE)
    return findings


@site_check(id=CHECK_ID, requires=("role_texts",))
def accessibility_statement_content(site: SiteArtifacts, context: CheckContext) -> CheckResult:
    text, url, early = statement_text(site, CHECK_ID, ROLE, say("family.statements.label.accessibility"),
                                      "accessibility-statement-linked")
    if early is not None:
        return early
    today = datetime.now(timezone.utc).date()
    return elements_result(CHECK_ID, assess_statement(text, today), url,
                           details={"element_names": dict(ELEMENT_NAMES), "element_names_nl": dict(ELEMENT_NAMES_NL)})
