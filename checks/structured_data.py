"""Structured data: does the page describe itself in a machine-readable way?

A proxy for principle 4 (Datagedreven): services that publish their information as data
(schema.org in JSON-LD, microdata or RDFa; OSLO vocabularies of data.vlaanderen.be) can be
reused by search engines, the Flemish product catalogue and other governments. Its absence is a
warning, not a failure: no norm obliges it.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from auditor.model import CheckResult, Evidence, Finding, Outcome, PageArtifacts, Severity
from auditor.shared.texts import say, t_en
from checks._dom import parse_dom
from checks._support import cap_snippet, html_mentions, page_result
from checks.registry import CheckContext, page_check

OSLO_NAMESPACE = "data.vlaanderen.be/ns"
TYPES_LISTED_MAX = 30


def _short_type(value: Any) -> str:
    """``https://schema.org/GovernmentOrganization`` and ``schema:GovernmentOrganization``
    both report as ``GovernmentOrganization``; other vocabularies keep their full name."""
    text = str(value).strip()
    for prefix in ("http://schema.org/", "https://schema.org/", "schema:"):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def json_ld_types(document: Any) -> list[str]:
    """Every ``@type`` in a JSON-LD document, through ``@graph`` and nested objects."""
    found: list[str] = []

    def visit(node: Any, depth: int) -> None:
        if depth > 20:  # hostile input: do not recurse without end
            return
        if isinstance(node, list):
            for item in node:
                visit(item, depth + 1)
        elif isinstance(node, dict):
            declared = node.get("@type")
            for value in declared if isinstance(declared, list) else [declared]:
                if value:
                    found.append(_short_type(value))
            for key, value in node.items():
                if key != "@type" and isinstance(value, (list, dict)):
                    visit(value, depth + 1)

    visit(document, 0)
    return found


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


_STRUCTURED_WORDS = ("ld+json", "itemtype", "typeof", "vocab", "prefix")

@page_check(id="structured-data", requires=("html",))
def structured_data(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if not page.html:
        return page_result("structured-data", page, Outcome.ERROR, t_en("structured-data.summary.error"))
    json_ld_found: list[str] = []
    invalid_blocks: list[str] = []
    uses_oslo = False
    # one walk over the tree for the four kinds of element (five walks cost 3 ms a page), and
    # none when the markup never names JSON-LD, microdata or RDFa
    blocks, itemtypes, typeofs, vocabularies = [], [], [], []
    if html_mentions(page.html, *_STRUCTURED_WORDS):
        for el in parse_dom(page.html).find_all(True):
            attrs = el.attrs
            if not attrs:
                continue
            if el.name == "script" and (attrs.get("type") or "").strip().lower() == "application/ld+json":
                blocks.append(el)
            if "itemtype" in attrs:
                itemtypes.append(el)
            if "typeof" in attrs:
                typeofs.append(el)
            if "vocab" in attrs or "prefix" in attrs:
                vocabularies.append(el)
    for block in blocks:
        text = block.string or block.get_text() or ""
        if OSLO_NAMESPACE in text:
            uses_oslo = True
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            invalid_blocks.append(text)
            continue
        json_ld_found.extend(json_ld_types(document) or ["(untyped)"])

    microdata_found = [_short_type(t) for el in itemtypes for t in str(el.get("itemtype", "")).split()]
    rdfa_found = [_short_type(t) for el in typeofs for t in str(el.get("typeof", "")).split()]
    if any(OSLO_NAMESPACE in str(el.get("vocab", "")) + str(el.get("prefix", "")) for el in vocabularies):
        uses_oslo = True

    types = _unique(json_ld_found + microdata_found + rdfa_found)
    details = {
        "types": types[:TYPES_LISTED_MAX],
        "formats": [name for name, found in (("json-ld", json_ld_found), ("microdata", microdata_found),
                                             ("rdfa", rdfa_found)) if found],
        "json_ld_blocks": len(blocks),
        "json_ld_invalid": len(invalid_blocks),
        "oslo": uses_oslo,
    }

    findings: list[Finding] = []
    if invalid_blocks:
        findings.append(Finding(
            check_id="structured-data", outcome=Outcome.WARNING,
            **say("structured-data.finding.json-ld-invalid").fields("title"), severity=Severity.MINOR,
            rule="json-ld-invalid", fingerprint="structured-data:json-ld-invalid",
            occurrences=len(invalid_blocks), pages=[page_url], pages_total=1,
            evidence=[Evidence(page_url=page_url, selector='script[type="application/ld+json"]',
                               snippet=cap_snippet(text), expected=t_en("family.structured_data.expected.valid-json"))
                      for text in invalid_blocks[:3]],
        ))
    if not types:
        findings.append(Finding(
            check_id="structured-data", outcome=Outcome.WARNING,
            **say("structured-data.finding.structured-data-missing").fields("title"), severity=Severity.MINOR,
            rule="structured-data-missing", fingerprint="structured-data:missing",
            pages=[page_url], pages_total=1,
            evidence=[Evidence(page_url=page_url, value=t_en("family.structured_data.seen.none"),
                               expected=t_en("family.structured_data.expected.for-example-json"))],
        ))
        return page_result("structured-data", page, Outcome.WARNING, t_en("structured-data.summary.warning"),
                           findings=findings, details=details)

    summary = t_en("structured-data.summary.types", types=", ".join(types[:5]) + (" …" if len(types) > 5 else ""))
    outcome = Outcome.WARNING if invalid_blocks else Outcome.PASS
    return page_result("structured-data", page, outcome, summary, findings=findings, details=details)
