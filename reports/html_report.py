"""``report.html``: the self-contained site report, Dutch first (``lang="en"`` for English).

Everything in a report that came from a site (titles, snippets, URLs, error messages) is
hostile: the template engine escapes every value (autoescape on), URLs become links only when
they are plain http(s) URLs, and the file loads nothing from elsewhere (CSS is inlined, charts
are inline SVG drawn here, there is no JavaScript).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Union

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from auditor.model import (
    CheckInfo,
    CheckResult,
    CriterionScore,
    Finding,
    Outcome,
    PageStatus,
    PrincipleScore,
    Severity,
    SiteReport,
)
from auditor.shared.urls import display_url
# the charts are drawn by matplotlib (reports/charts.py); the name is this module's API
from reports.charts import render_bar_chart as svg_bar_chart
from reports.finding_texts import description_in_language, in_language, title_in_language
from reports.how_to_fix import check_guidance_text, finding_fix_links, url_host

__all__ = ["LANGUAGES", "LABELS", "render_html", "safe_href", "svg_bar_chart", "template_environment", "write_html"]

PathLike = Union[str, "os.PathLike[str]"]

_HERE = Path(__file__).parent
TEMPLATE = "report.html.j2"
CSS_FILE = _HERE / "static" / "report.css"

# caps keep a report of a huge site readable; result.json always has everything
MAX_SKIPPED_ROWS = 100
MAX_RESOURCE_ROWS = 200
MAX_BROKEN_ROWS = 200
MAX_PAGES_PER_FINDING = 10
MAX_SNIPPET_CHARS = 1500
TOP_FINDINGS = 5
TOP_CRITERIA = 10  # bars in the findings-by-criterion chart

# --------------------------------------------------------------------------- labels

LANGUAGES = ("nl", "en")

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "doc_title": "Auditrapport {name}",
        "report_kind": "Auditrapport digitale dienstverlening",
        "skip_link": "Ga naar de inhoud",
        "toc": "Inhoud",
        "start_urls": "Startadres",
        "audited_on": "Geaudit op",
        "run_id": "Run",
        "framework": "Kader",
        "summary": "Samenvatting",
        "overall_score": "Totaalscore",
        "not_scored": "niet gescoord",
        "score_note": (
            "Alleen controles met als resultaat ‘voldoet’, ‘voldoet niet’ of ‘waarschuwing’ "
            "tellen mee in een score. Handmatige criteria moeten door een persoon beoordeeld "
            "worden: de score toont dus nooit het volledige beeld."
        ),
        "score_formula": (
            "Berekening: de score van een criterium is het gewogen gemiddelde van de scores van "
            "zijn controles (gewichten uit het kader); de score van een principe is het gemiddelde "
            "van zijn gescoorde criteria; de totaalscore is het gemiddelde van de principes. "
            "Een criterium voldoet vanaf 90%, geeft een waarschuwing vanaf 50%. Toelichtingen "
            "(pas toe of leg uit) en antwoorden op handmatige vragen veranderen de score niet."
        ),
        "automated_coverage": "Automatisch beoordeeld deel van het kader",
        "score_formula_summary": "Hoe de scores berekend worden",
        "coverage_note": (
            "Dekking: het deel van het gewicht van de criteria van een principe dat automatisch "
            "beoordeeld kon worden. Een hoge score met een lage dekking zegt weinig."
        ),
        "top_intro": (
            "Begin hier: de problemen die het zwaarst wegen (eerst wat faalt, dan de ernst maal het "
            "aantal getroffen pagina's). Elk probleem linkt naar de bewijzen en naar hoe je het oplost."
        ),
        "principle_scores": "Score per principe",
        "chart_principles_desc": "Staafdiagram met de score per principe, van 0 tot 100%.",
        "principle": "Principe",
        "score": "Score",
        "criteria_scored": "Criteria gescoord",
        "criteria_manual": "Handmatig te beoordelen",
        "of": "{a} van {b}",
        "coverage": "Dekking",
        "pages_discovered": "Pagina's ontdekt",
        "pages_visited": "Pagina's bezocht",
        "pages_ok": "Pagina's goed geladen",
        "pages_failed": "Pagina's mislukt",
        "pages_blocked": "Pagina's geweigerd door de site",
        "pages_skipped": "URL's overgeslagen",
        "resources_count": "Documenten en bestanden",
        "top_findings": "Belangrijkste problemen",
        "no_top_findings": "Er werden geen problemen gevonden door de automatische controles.",
        "severity_chart": "Bevindingen per ernst",
        "chart_severity_desc": "Staafdiagram met het aantal bevindingen per ernst.",
        "criterion_chart": "Bevindingen per criterium",
        "chart_criterion_desc": "Staafdiagram met het aantal bevindingen (fout of waarschuwing) van de criteria met de meeste bevindingen.",
        "partial_title": "Onvolledige audit",
        "partial_text": (
            "De audit werd onderbroken of de tijdslimiet werd bereikt: niet alle pagina's zijn "
            "bekeken. De scores gelden alleen voor wat wel bekeken werd."
        ),
        "not_assessable_title": "Niet te beoordelen",
        "not_assessable_text": "Deze site kon niet geaudit worden. Er is daarom geen score.",
        "reason": "Reden",
        "blocked_note": (
            "{n} pagina('s) weigerden de auditor (geblokkeerd). Die tellen niet mee in de score."
        ),
        "principles_criteria": "Principes en criteria",
        "no_criteria": "Geen criteria voor dit principe in dit rapport.",
        "other_principle": "Overige criteria",
        "criterion": "Criterium",
        "kind": "Soort",
        "automation": "Automatisering",
        "outcome": "Resultaat",
        "question": "Vraag voor de beoordelaar",
        "changes": "Veranderd sinds de vorige audit",
        "changes_counts": "{new} nieuwe, {fixed} opgeloste en {persisting} blijvende bevindingen; vorige totaalscore {score}.",
        "changes_new": "Nieuw",
        "changes_fixed": "Opgelost",
        "changes_method": "Let op: deze audit is anders uitgevoerd dan de vorige, dus niet elke verandering komt van de site:",
        "trend_chart": "Totaalscore per audit",
        "trend_chart_desc": "Staafdiagram met de totaalscore van de opeenvolgende audits van deze site.",
        "explanation": "Toelichting van de eigenaar",
        "explanation_expired": "Deze toelichting is verlopen op {date}: het gemeten resultaat geldt.",
        "measured_outcome": "Gemeten resultaat",
        "answer": "Antwoord van de eigenaar",
        "criteria_explained": "Toegelicht",
        "criteria_answered": "Handmatige vragen beantwoord",
        "checks_behind": "Controles achter {id}",
        "check": "Controle",
        "weight": "Gewicht",
        "findings_count": "Bevindingen",
        "no_checks": "Geen automatische controles: dit criterium beoordeelt een persoon.",
        "findings": "Bevindingen",
        "no_findings": "Geen bevindingen.",
        "checklist_caption": "Checklist: vereiste onderdelen van de verklaring",
        "checklist_element": "Onderdeel",
        "checklist_proof": "Bewijs (zin uit de verklaring) of wat ontbreekt",
        "counts_toward": "Telt mee voor",
        "no_criterion": "geen criterium",
        "severity": "Ernst",
        "rule": "Regel",
        "wcag_sc": "WCAG-succescriterium",
        "occurrences": "Aantal keer gezien",
        "pages_affected": "Pagina's getroffen",
        "help": "Hoe oplossen",
        "fix_rule": "Uitleg bij de regel {subject}",
        "fix_rule_deque": "Uitleg bij de axe-regel {subject} (Deque University)",
        "fix_understanding": "WCAG {subject} begrijpen (W3C)",
        "fix_check": "Aanpak voor de controle ‘{subject}’",
        "fix_more": "Meer uitleg ({host})",
        "examples": "Voorbeelden",
        "example_n": "Voorbeeld {n}",
        "page": "Pagina",
        "selector": "Element (selector)",
        "snippet": "Fragment",
        "value": "Gezien",
        "expected": "Verwacht",
        "affected_pages": "Getroffen pagina's",
        "and_more": "en nog {n}",
        "truncated": "… (ingekort)",
        "screenshot": "Schermafbeelding",
        "screenshot_alt": "Schermafbeelding van {page} zoals een gsm het toont",
        "pages": "Bezochte pagina's",
        "pages_caption": "Bezochte pagina's ({n})",
        "url": "URL",
        "status": "Status",
        "http_status": "HTTP-status",
        "title": "Titel",
        "roles": "Rol",
        "error": "Fout",
        "limits_hit": "Limiet bereikt",
        "limits_summary": "Limieten bereikt in deze audit:",
        "no_pages": "Er werden geen pagina's bezocht.",
        "skipped": "Overgeslagen URL's",
        "skipped_by_reason": "Overgeslagen URL's per reden",
        "count": "Aantal",
        "skipped_caption": "Overgeslagen URL's met reden",
        "found_on": "Gevonden op",
        "shown_of": (
            "De eerste {shown} van {total} worden getoond; de volledige lijst staat in "
            "result.json."
        ),
        "no_skipped": "Geen URL's overgeslagen.",
        "resources": "Documenten en andere bestanden",
        "resources_caption": "Gevonden documenten en bestanden ({n})",
        "content_type": "Type",
        "size": "Grootte",
        "linked_from": "Gelinkt vanaf",
        "no_resources": "Geen documenten of andere bestanden gevonden.",
        "broken_links": "Gebroken links",
        "broken_caption": "Gebroken links ({n})",
        "no_broken": "Geen gebroken links gevonden.",
        "method": "Werkwijze",
        "wcag_title": "WCAG per principe",
        "wcag_intro": (
            "Per WCAG-principe: welke succescriteria van WCAG {version} niveau A en AA de "
            "automatische controles (deels) testen, op welke ze fouten vonden, en welke een persoon "
            "moet beoordelen. Een automatische test vindt fouten maar bewijst geen conformiteit."
        ),
        "wcag_caption": "WCAG-succescriteria per principe",
        "wcag_principle": "Principe",
        "wcag_automated": "Automatisch getest",
        "wcag_failing": "Fouten gevonden",
        "wcag_manual": "Te beoordelen door een persoon",
        "wcag_none": "geen",
        "wcag_principles": {"perceivable": "Waarneembaar", "operable": "Bedienbaar",
                            "understandable": "Begrijpelijk", "robust": "Robuust"},
        "score_formula_title": "Hoe de toegankelijkheidsscore berekend wordt",
        "a11y_score_formula": (
            "axe-core: per pagina het gewogen aandeel geslaagde regels, elke regel gewogen naar zijn "
            "impact (kritiek 10, ernstig 7, matig 3, klein 1), zoals Lighthouse; de sitescore is het "
            "gemiddelde over de pagina's, zodat een fout die op veel pagina's staat zwaarder weegt dan "
            "een fout op één pagina. Een sjabloonfout op 300 pagina's is één bevinding met 300 "
            "getroffen pagina's. Andere controles: voldoet 1, waarschuwing 0,5, voldoet niet 0, of het "
            "aandeel elementen of documenten dat voldoet. Handmatige en niet-toepasselijke resultaten "
            "tellen niet mee."
        ),
        "tool": "Tool",
        "framework_id": "Kader (id en versie)",
        "axe": "axe-core",
        "data_trackerdb": "Trackerdatabank",
        "data_consent_rules": "Toestemmingsregels",
        "browser": "Browser",
        "user_agent": "User-Agent",
        "started": "Gestart",
        "finished": "Beëindigd",
        "not_finished": "niet beëindigd",
        "schema_version": "Versie van het resultaatschema",
        "settings": "Instellingen",
        "no_settings": "Geen instellingen opgeslagen.",
        "site_meta": "Gegevens van de site",
        "organisation": "Organisatie",
        "site_kind": "Soort organisatie",
        "audiences": "Doelgroepen",
        "contact": "Contact",
        "default_marker": "(standaardwaarde)",
        "defaulted_note": (
            "Deze gegevens werden niet opgegeven; de auditor gebruikte de standaardwaarde: {fields}."
        ),
        "none_given": "niet opgegeven",
        "checks_used": "Gebruikte controles",
        "checks_caption": "Gebruikte controles ({n})",
        "check_id": "ID",
        "scope": "Bereik",
        "family": "Familie",
        "description": "Beschrijving",
        "notes": "Opmerkingen",
        "footer": "Gemaakt met {tool} {version} (run {run_id}).",
        "scroll_hint": "(scrollbare tabel)",
        "unknown": "onbekend",
        "yes": "ja",
        "no": "nee",
        "dt_format": "{day} {month} {year} om {time}",
    },
    "en": {
        "doc_title": "Audit report {name}",
        "report_kind": "Digital service audit report",
        "skip_link": "Skip to content",
        "toc": "Contents",
        "start_urls": "Start address",
        "audited_on": "Audited on",
        "run_id": "Run",
        "framework": "Framework",
        "summary": "Summary",
        "overall_score": "Overall score",
        "not_scored": "not scored",
        "score_note": (
            "Only checks whose outcome is ‘pass’, ‘fail’ or ‘warning’ count toward a score. "
            "Manual criteria need a person to assess them, so the score is never the whole "
            "picture."
        ),
        "score_formula": (
            "Formula: a criterion's score is the weighted mean of its checks' scores (weights "
            "from the framework); a principle's score is the mean of its scored criteria; the "
            "overall score is the mean of the principles. A criterion passes from 90% and warns "
            "from 50%. Explanations (comply or explain) and answers to manual questions never "
            "change the score."
        ),
        "automated_coverage": "Share of the framework assessed automatically",
        "score_formula_summary": "How the scores are calculated",
        "coverage_note": (
            "Coverage: the share of the weight of a principle's criteria that could be assessed "
            "automatically. A high score with a low coverage says little."
        ),
        "top_intro": (
            "Start here: the problems that weigh most (failures first, then severity times the number "
            "of pages affected). Each problem links to its evidence and to how to fix it."
        ),
        "principle_scores": "Score per principle",
        "chart_principles_desc": "Bar chart of the score per principle, from 0 to 100%.",
        "principle": "Principle",
        "score": "Score",
        "criteria_scored": "Criteria scored",
        "criteria_manual": "To assess manually",
        "of": "{a} of {b}",
        "coverage": "Coverage",
        "pages_discovered": "Pages discovered",
        "pages_visited": "Pages visited",
        "pages_ok": "Pages loaded",
        "pages_failed": "Pages failed",
        "pages_blocked": "Pages refused by the site",
        "pages_skipped": "URLs skipped",
        "resources_count": "Documents and files",
        "top_findings": "Most important problems",
        "no_top_findings": "The automated checks found no problems.",
        "severity_chart": "Findings by severity",
        "chart_severity_desc": "Bar chart of the number of findings per severity.",
        "criterion_chart": "Findings by criterion",
        "chart_criterion_desc": "Bar chart of the number of findings (fail or warning) of the criteria with the most findings.",
        "partial_title": "Incomplete audit",
        "partial_text": (
            "The audit was interrupted or hit its time limit: not every page was seen. The "
            "scores only cover what was seen."
        ),
        "not_assessable_title": "Not assessable",
        "not_assessable_text": "This site could not be audited, so there is no score.",
        "reason": "Reason",
        "blocked_note": "{n} page(s) refused the auditor (blocked). They do not count in the score.",
        "principles_criteria": "Principles and criteria",
        "no_criteria": "No criteria for this principle in this report.",
        "other_principle": "Other criteria",
        "criterion": "Criterion",
        "kind": "Kind",
        "automation": "Automation",
        "outcome": "Outcome",
        "question": "Question for the assessor",
        "changes": "Changed since the previous audit",
        "changes_counts": "{new} new, {fixed} fixed and {persisting} persisting findings; previous overall score {score}.",
        "changes_new": "New",
        "changes_fixed": "Fixed",
        "changes_method": "Note: this audit was made differently from the previous one, so not every change comes from the site:",
        "trend_chart": "Overall score per audit",
        "trend_chart_desc": "Bar chart of the overall score of this site's successive audits.",
        "explanation": "Owner's explanation",
        "explanation_expired": "This explanation expired on {date}: the measured outcome stands.",
        "measured_outcome": "Measured outcome",
        "answer": "Owner's answer",
        "criteria_explained": "Explained",
        "criteria_answered": "Manual questions answered",
        "checks_behind": "Checks behind {id}",
        "check": "Check",
        "weight": "Weight",
        "findings_count": "Findings",
        "no_checks": "No automated checks: a person assesses this criterion.",
        "findings": "Findings",
        "no_findings": "No findings.",
        "checklist_caption": "Checklist: required parts of the statement",
        "checklist_element": "Element",
        "checklist_proof": "Proof (sentence from the statement) or what is missing",
        "counts_toward": "Counts toward",
        "no_criterion": "no criterion",
        "severity": "Severity",
        "rule": "Rule",
        "wcag_sc": "WCAG success criterion",
        "occurrences": "Times seen",
        "pages_affected": "Pages affected",
        "help": "How to fix",
        "fix_rule": "Guidance for the rule {subject}",
        "fix_rule_deque": "Guidance for the axe rule {subject} (Deque University)",
        "fix_understanding": "Understanding WCAG {subject} (W3C)",
        "fix_check": "Approach for the check ‘{subject}’",
        "fix_more": "More guidance ({host})",
        "examples": "Examples",
        "example_n": "Example {n}",
        "page": "Page",
        "selector": "Element (selector)",
        "snippet": "Snippet",
        "value": "Seen",
        "expected": "Expected",
        "affected_pages": "Affected pages",
        "and_more": "and {n} more",
        "truncated": "… (truncated)",
        "screenshot": "Screenshot",
        "screenshot_alt": "Screenshot of {page} as a phone shows it",
        "pages": "Pages visited",
        "pages_caption": "Pages visited ({n})",
        "url": "URL",
        "status": "Status",
        "http_status": "HTTP status",
        "title": "Title",
        "roles": "Role",
        "error": "Error",
        "limits_hit": "Limit hit",
        "limits_summary": "Limits hit in this audit:",
        "no_pages": "No pages were visited.",
        "skipped": "Skipped URLs",
        "skipped_by_reason": "Skipped URLs by reason",
        "count": "Count",
        "skipped_caption": "Skipped URLs with reason",
        "found_on": "Found on",
        "shown_of": "The first {shown} of {total} are shown; result.json has the full list.",
        "no_skipped": "No URLs were skipped.",
        "resources": "Documents and other files",
        "resources_caption": "Documents and files found ({n})",
        "content_type": "Type",
        "size": "Size",
        "linked_from": "Linked from",
        "no_resources": "No documents or other files found.",
        "broken_links": "Broken links",
        "broken_caption": "Broken links ({n})",
        "no_broken": "No broken links found.",
        "method": "Method",
        "wcag_title": "WCAG per principle",
        "wcag_intro": (
            "Per WCAG principle: which WCAG {version} level A and AA success criteria the automated "
            "checks (partly) test, where they found failures, and which a person must assess. An "
            "automated test finds failures; it does not prove conformance."
        ),
        "wcag_caption": "WCAG success criteria per principle",
        "wcag_principle": "Principle",
        "wcag_automated": "Tested automatically",
        "wcag_failing": "Failures found",
        "wcag_manual": "To assess by a person",
        "wcag_none": "none",
        "wcag_principles": {"perceivable": "Perceivable", "operable": "Operable",
                            "understandable": "Understandable", "robust": "Robust"},
        "score_formula_title": "How the accessibility score is computed",
        "a11y_score_formula": (
            "axe-core: per page the weighted share of rules that passed, each rule weighted by its "
            "impact (critical 10, serious 7, moderate 3, minor 1), as in Lighthouse; the site score "
            "is the mean over pages, so an error on many pages weighs more than one on a single "
            "page. A template error on 300 pages is one finding with 300 affected pages. Other "
            "checks: pass 1, warning 0.5, fail 0, or the share of elements or documents that pass. "
            "Manual and not-applicable results do not count."
        ),
        "tool": "Tool",
        "framework_id": "Framework (id and version)",
        "axe": "axe-core",
        "data_trackerdb": "Tracker database",
        "data_consent_rules": "Consent rules",
        "browser": "Browser",
        "user_agent": "User-Agent",
        "started": "Started",
        "finished": "Finished",
        "not_finished": "not finished",
        "schema_version": "Result schema version",
        "settings": "Settings",
        "no_settings": "No settings recorded.",
        "site_meta": "Site details",
        "organisation": "Organisation",
        "site_kind": "Kind of organisation",
        "audiences": "Audiences",
        "contact": "Contact",
        "default_marker": "(default)",
        "defaulted_note": "These details were not given; the auditor used the default: {fields}.",
        "none_given": "not given",
        "checks_used": "Checks used",
        "checks_caption": "Checks used ({n})",
        "check_id": "ID",
        "scope": "Scope",
        "family": "Family",
        "description": "Description",
        "notes": "Notes",
        "footer": "Made with {tool} {version} (run {run_id}).",
        "scroll_hint": "(scrollable table)",
        "unknown": "unknown",
        "yes": "yes",
        "no": "no",
        "dt_format": "{day} {month} {year}, {time}",
    },
}

# enumerations shown to people; an unknown value is shown as it is
VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "nl": {
        "outcome": {
            "pass": "Voldoet", "fail": "Voldoet niet", "warning": "Waarschuwing",
            "not_applicable": "Niet van toepassing", "manual": "Handmatig te beoordelen",
            "error": "Fout in de tool", "blocked": "Geblokkeerd door de site",
            "explained": "Toegelicht (pas toe of leg uit)",
        },
        "answer": {"yes": "ja", "partly": "gedeeltelijk", "no": "nee"},
        "severity": {
            "critical": "Kritiek", "serious": "Ernstig", "moderate": "Matig", "minor": "Klein",
            "info": "Informatief",
        },
        "page_status": {
            "ok": "In orde", "http_error": "HTTP-fout", "blocked": "Geblokkeerd",
            "dns_resolution_error": "Domeinnaam niet gevonden",
            "connection_refused": "Verbinding geweigerd",
            "connection_reset": "Verbinding verbroken",
            "invalid_ssl_cert": "Ongeldig TLS-certificaat",
            "too_many_redirects": "Te veel doorverwijzingen", "timeout": "Time-out",
            "not_html": "Geen HTML", "browser_crash": "Browser gecrasht", "error": "Fout",
            "too_large": "Te groot",
        },
        "limit": {
            "page_timeout_s": "tijdslimiet per pagina", "max_response_bytes": "maximale antwoordgrootte",
            "max_dom_bytes": "maximale DOM-grootte", "max_text_chars": "maximale tekstlengte",
            "max_links": "maximum aantal links", "max_document_bytes": "maximale documentgrootte",
            "time_budget_s": "tijdslimiet per site",
        },
        "skip_reason": {
            "robots_disallowed": "Verboden door robots.txt", "out_of_scope": "Buiten bereik",
            "excluded_by_pattern": "Uitgesloten door patroon",
            "page_budget": "Maximum aantal pagina's bereikt",
            "depth_limit": "Maximale diepte bereikt", "time_budget": "Tijdslimiet bereikt",
            "not_html": "Geen HTML", "unsupported_scheme": "Niet-ondersteund protocol",
            "private_address": "Privé-netwerkadres", "interrupted": "Audit onderbroken",
        },
        "site_kind": {
            "flemish_entity": "Vlaamse overheidsentiteit", "municipality": "Gemeente",
            "province": "Provincie", "other": "Andere",
        },
        "audience": {
            "citizens": "Burgers", "entrepreneurs": "Ondernemers",
            "associations": "Verenigingen", "local_governments": "Lokale besturen",
        },
        "criterion_kind": {"user": "Gebruikerscriterium", "inclusion": "Inclusiecriterium"},
        "automation": {
            "automated": "Geautomatiseerd", "partly_automated": "Deels geautomatiseerd",
            "manual": "Handmatig",
        },
        "scope": {"page": "Pagina", "site": "Site"},
        "field": {
            "organisation": "organisatie", "kind": "soort organisatie",
            "audiences": "doelgroepen", "contact": "contact", "start_urls": "startadressen",
        },
    },
    "en": {
        "outcome": {
            "pass": "Pass", "fail": "Fail", "warning": "Warning",
            "not_applicable": "Not applicable", "manual": "Manual review",
            "error": "Tool error", "blocked": "Blocked by the site",
            "explained": "Explained (comply or explain)",
        },
        "answer": {"yes": "yes", "partly": "partly", "no": "no"},
        "severity": {
            "critical": "Critical", "serious": "Serious", "moderate": "Moderate",
            "minor": "Minor", "info": "Info",
        },
        "page_status": {
            "ok": "OK", "http_error": "HTTP error", "blocked": "Blocked",
            "dns_resolution_error": "DNS name not found",
            "connection_refused": "Connection refused", "connection_reset": "Connection reset",
            "invalid_ssl_cert": "Invalid TLS certificate",
            "too_many_redirects": "Too many redirects", "timeout": "Timeout",
            "not_html": "Not HTML", "browser_crash": "Browser crashed", "error": "Error",
            "too_large": "Too large",
        },
        "limit": {
            "page_timeout_s": "page time limit", "max_response_bytes": "response size limit",
            "max_dom_bytes": "DOM size limit", "max_text_chars": "text length limit",
            "max_links": "links per page limit", "max_document_bytes": "document size limit",
            "time_budget_s": "site time budget",
        },
        "skip_reason": {
            "robots_disallowed": "Disallowed by robots.txt", "out_of_scope": "Out of scope",
            "excluded_by_pattern": "Excluded by pattern", "page_budget": "Page limit reached",
            "depth_limit": "Depth limit reached", "time_budget": "Time limit reached",
            "not_html": "Not HTML", "unsupported_scheme": "Unsupported scheme",
            "private_address": "Private network address", "interrupted": "Audit interrupted",
        },
        "site_kind": {
            "flemish_entity": "Flemish government entity", "municipality": "Municipality",
            "province": "Province", "other": "Other",
        },
        "audience": {
            "citizens": "Citizens", "entrepreneurs": "Entrepreneurs",
            "associations": "Associations", "local_governments": "Local governments",
        },
        "criterion_kind": {"user": "User criterion", "inclusion": "Inclusion criterion"},
        "automation": {
            "automated": "Automated", "partly_automated": "Partly automated",
            "manual": "Manual",
        },
        "scope": {"page": "Page", "site": "Site"},
        "field": {
            "organisation": "organisation", "kind": "kind of organisation",
            "audiences": "audiences", "contact": "contact", "start_urls": "start addresses",
        },
    },
}

_MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}

_OUTCOME_ORDER = {"fail": 0, "warning": 1, "error": 2, "blocked": 3, "explained": 4, "manual": 5,
                  "not_applicable": 6, "pass": 7}

# --------------------------------------------------------------------------- hostile input

_HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def safe_href(url: Any) -> Optional[str]:
    """``url`` if it is a plain http(s) URL that is safe as an ``href``, else ``None``.

    Browsers drop tabs and newlines inside URLs (``java\\tscript:``), so any whitespace or
    control character disqualifies the URL rather than being cleaned away.
    """
    if not isinstance(url, str) or _UNSAFE_IN_URL.search(url):
        return None
    return url if _HTTP_URL.match(url) else None


def _clip(text: Any, limit: int) -> tuple[str, bool]:
    text = "" if text is None else str(text)
    return (text[:limit], True) if len(text) > limit else (text, False)


# --------------------------------------------------------------------------- view model


@dataclass
class _CheckGroup:
    anchor: str
    check_id: str
    result: Optional[CheckResult]
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (anchor, finding)
    criteria: list[tuple[str, CriterionScore]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)  # statement elements, see _checklist


@dataclass
class _PrincipleView:
    anchor: str
    name: str
    principle: Optional[PrincipleScore]
    criteria: list[tuple[str, CriterionScore]] = field(default_factory=list)


def _finding_key(f: Finding) -> tuple:
    return (
        _OUTCOME_ORDER.get(f.outcome.value, 9),
        -f.severity.rank,
        -(f.pages_total or len(f.pages)),
        -f.occurrences,
        f.title,
    )


def _top_key(f: Finding) -> tuple:
    """The most important problems first: failures before warnings, then by reach, the severity's
    weight times the pages affected (a serious template error on every page before a critical one
    on a single page), then by severity."""
    pages = f.pages_total or len(f.pages) or 1
    return (_OUTCOME_ORDER.get(f.outcome.value, 9), -f.severity.weight * pages, -f.severity.rank, -f.occurrences,
            f.title)


def _build_view(report: SiteReport) -> dict[str, Any]:
    # criteria, grouped under their principle in the framework's order
    principles: list[_PrincipleView] = []
    by_id: dict[str, _PrincipleView] = {}
    for i, p in enumerate(report.principles):
        view = _PrincipleView(anchor=f"p-{i + 1}", name=p.name or p.principle_id, principle=p)
        principles.append(view)
        by_id.setdefault(p.principle_id, view)
    criterion_anchor: dict[int, str] = {}
    for i, c in enumerate(report.criteria):
        anchor = f"c-{i + 1}"
        criterion_anchor[id(c)] = anchor
        view = by_id.get(c.principle_id)
        if view is None:
            view = _PrincipleView(anchor=f"p-{len(principles) + 1}", name=c.principle_id,
                                  principle=None)
            principles.append(view)
            by_id[c.principle_id] = view
        view.criteria.append((anchor, c))

    # findings, grouped by check, worst first
    groups: dict[str, _CheckGroup] = {}
    for result in report.results:
        for finding in result.findings:
            group = groups.get(finding.check_id)
            if group is None:
                group = _CheckGroup(anchor="", check_id=finding.check_id,
                                    result=report.result_for(finding.check_id))
                groups[finding.check_id] = group
            group.findings.append(("", finding))
    ordered = sorted(groups.values(),
                     key=lambda g: min(_finding_key(f) for _, f in g.findings))
    finding_anchor: dict[int, str] = {}
    n = 0
    for gi, group in enumerate(ordered):
        group.anchor = f"k-{gi + 1}"
        group.findings.sort(key=lambda af: _finding_key(af[1]))
        numbered = []
        for _, finding in group.findings:
            n += 1
            numbered.append((f"f-{n}", finding))
            finding_anchor[id(finding)] = f"f-{n}"
        group.findings = numbered
        group.checklist = _checklist(group)
        for c in report.criteria:
            if any(ch.check_id == group.check_id for ch in c.checks):
                group.criteria.append((criterion_anchor[id(c)], c))
    group_by_check = {g.check_id: g for g in ordered}

    all_findings = [f for g in ordered for _, f in g.findings]
    problems = [f for f in all_findings if f.outcome in (Outcome.FAIL, Outcome.WARNING)]
    top = [(finding_anchor[id(f)], f) for f in sorted(problems, key=_top_key)[:TOP_FINDINGS]]
    severity_counts = Counter(f.severity.value for f in problems)
    problems_per_check = Counter(f.check_id for f in problems)
    criterion_counts = [
        (criterion_anchor[id(c)], c, sum(problems_per_check[ch] for ch in {ch.check_id for ch in c.checks}))
        for c in report.criteria
    ]
    # the criteria with the most failed or warning findings, in the framework's order on ties
    top_criteria = sorted((row for row in criterion_counts if row[2]), key=lambda row: -row[2])[:TOP_CRITERIA]

    skipped_counts = Counter(s.reason.value for s in report.skipped)
    return {
        "principles": principles,
        "groups": ordered,
        "group_by_check": group_by_check,
        "top": top,
        "severity_counts": severity_counts,
        "top_criteria": top_criteria,
        "findings_total": len(all_findings),
        "skipped_counts": skipped_counts.most_common(),
        "skipped_rows": report.skipped[:MAX_SKIPPED_ROWS],
        "resource_rows": report.resources[:MAX_RESOURCE_ROWS],
        "broken_rows": report.broken_links[:MAX_BROKEN_ROWS],
        "manual_total": sum(p.criteria_manual for p in report.principles),
        "wcag": _wcag_view(report, all_findings),
        "scored_total": sum(p.criteria_scored for p in report.principles),
        "criteria_total": sum(p.criteria_total for p in report.principles),
    }


def _checklist(group: _CheckGroup) -> list[dict[str, Any]]:
    """A statement-content check (its result lists ``details["elements"]``: one finding per
    required element of the statement) as a checklist: element, outcome, the sentences that
    prove it or what was expected, in the order the check lists the elements."""
    details = group.result.details if group.result else {}
    elements = details.get("elements") if isinstance(details, dict) else None
    if not isinstance(elements, dict) or not elements:
        return []
    names = details.get("element_names") if isinstance(details.get("element_names"), dict) else {}
    names_nl = details.get("element_names_nl") if isinstance(details.get("element_names_nl"), dict) else {}
    by_rule = {finding.rule: (anchor, finding) for anchor, finding in group.findings}
    rows = []
    for rule in elements:
        if rule not in by_rule:
            continue
        anchor, finding = by_rule[rule]
        evidence = finding.evidence
        rows.append({
            "anchor": anchor, "element": str(names.get(rule) or rule), "element_nl": str(names_nl.get(rule) or ""),
            "outcome": finding.outcome,
            "finding": finding, "proof": [e.snippet for e in evidence if e.snippet],
            "value": next((e.value for e in evidence if e.value), ""),
            "expected": next((e.expected for e in evidence if e.expected), ""),
        })
    return rows


def _wcag_view(report: SiteReport, findings: list[Finding]) -> Optional[dict[str, Any]]:
    """Per WCAG principle: criteria tested automatically (from the ``wcag-coverage`` result),
    criteria with failures and criteria a person must assess (including axe's review items)."""
    coverage = report.result_for("wcag-coverage")
    principles = (coverage.details.get("principles") if coverage else None) or {}
    if not isinstance(principles, dict) or not principles:
        return None
    failing = {sc for f in findings if f.outcome in (Outcome.FAIL, Outcome.WARNING) for sc in f.wcag_sc}
    to_review = {sc for f in findings if f.outcome == Outcome.MANUAL for sc in f.wcag_sc}
    rows = []
    for name, data in principles.items():
        automated = [str(sc) for sc in data.get("automated", [])]
        manual = [str(sc) for sc in data.get("manual", [])]
        manual += [sc for sc in sorted(to_review) if sc in automated and sc not in manual
                   and sc.startswith(str(data.get("number", "-")) + ".")]
        rows.append({"name": name, "automated": automated,
                     "failing": [sc for sc in automated if sc in failing], "manual": manual})
    return {"version": coverage.details.get("wcag_version", "2.1"), "rows": rows}


# --------------------------------------------------------------------------- rendering


class _Formatter:
    """Language-aware formatting helpers handed to the template."""

    def __init__(self, lang: str):
        self.lang = lang
        self.t = LABELS[lang]
        self.values = VALUE_LABELS[lang]

    def tr(self, key: str, **kw: Any) -> str:
        text = self.t[key]
        return text.format(**kw) if kw else text

    def value(self, kind: str, value: Any) -> str:
        raw = getattr(value, "value", value)
        return self.values.get(kind, {}).get(str(raw), str(raw))

    def score(self, score: Optional[float]) -> str:
        if score is None:
            return self.t["not_scored"]
        return f"{round(score * 100)}%"

    def number(self, value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            text = f"{value:.2f}".rstrip("0").rstrip(".")
        else:
            text = str(value)
        return text.replace(".", ",") if self.lang == "nl" else text

    def size(self, size: Optional[int]) -> str:
        if size is None:
            return self.t["unknown"]
        value, unit = float(size), "B"
        for unit in ("B", "kB", "MB", "GB"):
            if value < 1000 or unit == "GB":
                break
            value /= 1000
        return f"{self.number(round(value, 1)) if unit != 'B' else int(value)} {unit}"

    def datetime(self, moment: Optional[datetime]) -> str:
        if moment is None:
            return self.t["not_finished"]
        local = _to_brussels(moment)
        return self.t["dt_format"].format(
            day=local.day, month=_MONTHS[self.lang][local.month - 1], year=local.year,
            time=f"{local:%H:%M} {local.tzname() or 'UTC'}",
        )

    def outcome(self, outcome: Any) -> Markup:
        raw = str(getattr(outcome, "value", outcome))
        css = raw if raw in _OUTCOME_ORDER else "other"
        return Markup('<span class="badge badge-{}">{}</span>').format(
            css, self.value("outcome", raw)
        )

    def severity(self, severity: Any) -> Markup:
        raw = str(getattr(severity, "value", severity))
        css = raw if raw in {s.value for s in Severity} else "other"
        return Markup('<span class="sev sev-{}">{}</span>').format(
            css, self.value("severity", raw)
        )

    def page_status(self, status: Any) -> Markup:
        raw = str(getattr(status, "value", status))
        css = "ok" if raw == PageStatus.OK.value else (
            "blocked" if raw == PageStatus.BLOCKED.value else "failed")
        return Markup('<span class="badge badge-page-{}">{}</span>').format(
            css, self.value("page_status", raw)
        )

    def limits(self, names: Any) -> str:
        """The limits a page hit, in the report's language ("" for none)."""
        return ", ".join(self.value("limit", str(name)) for name in names or [])

    def limits_summary(self, counts: Any) -> str:
        """Every limit hit in the run with how often, e.g. "links per page limit (2×)"."""
        return ", ".join(f"{self.value('limit', str(name))} ({count}×)" for name, count in (counts or {}).items())

    def finding_title(self, finding: Finding) -> Union[str, Markup]:
        """A finding's title in the report's language (reports/finding_texts.py): result.json
        keeps axe's English help and our checks' English titles."""
        return title_in_language(finding.check_id, finding.rule, finding.title, finding.title_nl, self.lang)

    def finding_description(self, finding: Finding) -> Union[str, Markup]:
        return description_in_language(finding.check_id, finding.rule, finding.description,
                                       finding.description_nl, self.lang)

    def check_title(self, info: Optional[CheckInfo], check_id: str = "", failed: bool = False) -> str:
        """A check's title (its failure title with ``failed``) in the report's language; the
        check id when the report has no metadata for it."""
        if info is None:
            return check_id
        if failed:
            return self.in_language(info.failure_title, info.failure_title_nl)
        return self.in_language(info.title, info.title_nl)

    def result_summary(self, result: Optional[CheckResult]) -> str:
        """A check result's one-line summary in the report's language ("" for none)."""
        return self.in_language(result.summary, result.summary_nl) if result else ""

    def in_language(self, english: str, dutch: str) -> str:
        """``dutch`` in a Dutch report when the check gave it, else ``english``."""
        return in_language(english, dutch, self.lang)

    def link(self, url: Any, text: Any = None) -> Markup:
        """A link when the URL is safe, else the URL as plain text; always escaped."""
        href = safe_href(url)
        # an unsafe URL is shown as itself, so a friendly text never hides what it is
        # a host name in punycode is shown in Unicode when that is safe (auditor.shared.urls.display_url)
        shown = display_url(str(url if (href is None or text in (None, "")) else text))
        shown, clipped = _clip(shown, 300)
        if clipped:
            shown += "…"
        if href is None:
            return Markup('<span class="url">{}</span>').format(shown)
        return Markup('<a class="url" href="{}" rel="nofollow noreferrer">{}</a>').format(
            href, shown
        )

    def fix_links(self, finding: Finding, info: Optional[CheckInfo], check_anchor: str) -> list[Markup]:
        """The how-to-fix links of a finding (see reports/how_to_fix.py), each a safe link."""
        return [self.link(fix.href, self.tr(f"fix_{fix.kind}", subject=fix.subject))
                if not fix.href.startswith("#") else
                Markup('<a href="{}">{}</a>').format(fix.href, self.tr(f"fix_{fix.kind}", subject=fix.subject))
                for fix in finding_fix_links(finding, info, check_anchor)]

    def guidance(self, info: Optional[CheckInfo]) -> Optional[dict[str, Any]]:
        """A check's how-to-fix text in the report's language and a link to more, or None."""
        if info is None or info.guidance is None:
            return None
        url = info.guidance.url
        host = url_host(url) if safe_href(url) else ""
        return {"text": check_guidance_text(info.guidance, self.lang),
                "link": self.link(url, self.tr("fix_more", host=host)) if host else None}

    def snippet(self, text: Any) -> tuple[str, bool]:
        return _clip(text, MAX_SNIPPET_CHARS)

    def setting(self, value: Any) -> str:
        if isinstance(value, bool):
            return self.t["yes"] if value else self.t["no"]
        if isinstance(value, (int, float)):
            return self.number(value)
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, default=str)


def _to_brussels(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Brussels"))
    except Exception:  # no time zone database on this machine: say UTC
        return moment.astimezone(timezone.utc)


@lru_cache(maxsize=1)
def template_environment() -> Environment:
    """The jinja2 environment over reports/templates/ shared by every HTML renderer: autoescape on
    (every value from a site is hostile), undefined names are errors, whitespace trimmed."""
    env = Environment(
        loader=FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,  # every value from a site is hostile
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@lru_cache(maxsize=1)
def _css() -> Markup:
    css = CSS_FILE.read_text(encoding="utf-8")
    if "</" in css:  # our own file, but never let it close the <style> element
        raise ValueError(f"{CSS_FILE} must not contain '</'")
    return Markup(css)


def render_html(report: SiteReport, lang: str = "nl") -> str:
    """The report as one self-contained HTML document (``lang`` is ``"nl"`` or ``"en"``)."""
    if lang not in LABELS:
        raise ValueError(f"unknown report language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    fmt = _Formatter(lang)
    view = _build_view(report)

    principle_rows = [
        (pv.name, pv.principle.score if pv.principle else None,
         fmt.score(pv.principle.score if pv.principle else None))
        for pv in view["principles"]
    ]
    charts = {
        "principles": svg_bar_chart(
            principle_rows, title=fmt.tr("principle_scores"),
            desc=fmt.tr("chart_principles_desc"), chart_id="chart-principles",
        ) if principle_rows else None,
    }
    if view["severity_counts"]:
        most = max(view["severity_counts"].values())
        sev_rows = [
            (fmt.value("severity", s.value), view["severity_counts"][s.value] / most,
             str(view["severity_counts"][s.value]))
            for s in Severity if view["severity_counts"].get(s.value)
        ]
        charts["severity"] = svg_bar_chart(
            sev_rows, title=fmt.tr("severity_chart"), desc=fmt.tr("chart_severity_desc"),
            chart_id="chart-severity", colour="#8b2c1f",
        )
    else:
        charts["severity"] = None
    if view["top_criteria"]:
        most = view["top_criteria"][0][2]
        charts["criteria"] = svg_bar_chart(
            [(f"{c.criterion_id} {c.title}", count / most, str(count)) for _, c, count in view["top_criteria"]],
            title=fmt.tr("criterion_chart"), desc=fmt.tr("chart_criterion_desc"),
            chart_id="chart-criteria", colour="#8b2c1f",
        )
    else:
        charts["criteria"] = None
    changes = report.changes
    if changes is not None and len(changes.trend) >= 2:
        trend_rows = [(fmt.datetime(point.started_at), point.score, fmt.score(point.score))
                      for point in changes.trend[-12:]]
        charts["trend"] = svg_bar_chart(
            trend_rows, title=fmt.tr("trend_chart"), desc=fmt.tr("trend_chart_desc"), chart_id="chart-trend",
        )
    else:
        charts["trend"] = None

    site = report.site
    defaulted = [fmt.value("field", name) for name in site.defaulted]
    return template_environment().get_template(TEMPLATE).render(
        r=report,
        lang=lang,
        f=fmt,
        tr=fmt.tr,
        v=view,
        charts=charts,
        css=_css(),
        site_name=site.name,
        defaulted=defaulted,
        limits={"skipped": MAX_SKIPPED_ROWS, "resources": MAX_RESOURCE_ROWS,
                "broken": MAX_BROKEN_ROWS, "pages_per_finding": MAX_PAGES_PER_FINDING},
    )


def write_html(report: SiteReport, path: PathLike, lang: str = "nl") -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, lang=lang), encoding="utf-8")
    return path
