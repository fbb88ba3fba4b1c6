"""WCAG 2.2 success criteria: number → conformance level and name, and the four principles.

Findings carry the success criteria they relate to (``Finding.wcag_sc``) and the conformance
level of the lowest one (``Finding.wcag_level``): an auditor reads "1.4.3 (AA)" and knows at
once whether the Flemish legal norm (WCAG 2.1 AA via EN 301 549) is involved. 2.2 criteria are
listed too (marked in ``ADDED_IN_22``), since axe can be asked to test them.
"""

from __future__ import annotations

from typing import Iterable

# number: (level, name). Source: the WCAG 2.2 Recommendation, in document order.
SUCCESS_CRITERIA: dict[str, tuple[str, str]] = {
    "1.1.1": ("A", "Non-text Content"),
    "1.2.1": ("A", "Audio-only and Video-only (Prerecorded)"),
    "1.2.2": ("A", "Captions (Prerecorded)"),
    "1.2.3": ("A", "Audio Description or Media Alternative (Prerecorded)"),
    "1.2.4": ("AA", "Captions (Live)"),
    "1.2.5": ("AA", "Audio Description (Prerecorded)"),
    "1.2.6": ("AAA", "Sign Language (Prerecorded)"),
    "1.2.7": ("AAA", "Extended Audio Description (Prerecorded)"),
    "1.2.8": ("AAA", "Media Alternative (Prerecorded)"),
    "1.2.9": ("AAA", "Audio-only (Live)"),
    "1.3.1": ("A", "Info and Relationships"),
    "1.3.2": ("A", "Meaningful Sequence"),
    "1.3.3": ("A", "Sensory Characteristics"),
    "1.3.4": ("AA", "Orientation"),
    "1.3.5": ("AA", "Identify Input Purpose"),
    "1.3.6": ("AAA", "Identify Purpose"),
    "1.4.1": ("A", "Use of Color"),
    "1.4.2": ("A", "Audio Control"),
    "1.4.3": ("AA", "Contrast (Minimum)"),
    "1.4.4": ("AA", "Resize Text"),
    "1.4.5": ("AA", "Images of Text"),
    "1.4.6": ("AAA", "Contrast (Enhanced)"),
    "1.4.7": ("AAA", "Low or No Background Audio"),
    "1.4.8": ("AAA", "Visual Presentation"),
    "1.4.9": ("AAA", "Images of Text (No Exception)"),
    "1.4.10": ("AA", "Reflow"),
    "1.4.11": ("AA", "Non-text Contrast"),
    "1.4.12": ("AA", "Text Spacing"),
    "1.4.13": ("AA", "Content on Hover or Focus"),
    "2.1.1": ("A", "Keyboard"),
    "2.1.2": ("A", "No Keyboard Trap"),
    "2.1.3": ("AAA", "Keyboard (No Exception)"),
    "2.1.4": ("A", "Character Key Shortcuts"),
    "2.2.1": ("A", "Timing Adjustable"),
    "2.2.2": ("A", "Pause, Stop, Hide"),
    "2.2.3": ("AAA", "No Timing"),
    "2.2.4": ("AAA", "Interruptions"),
    "2.2.5": ("AAA", "Re-authenticating"),
    "2.2.6": ("AAA", "Timeouts"),
    "2.3.1": ("A", "Three Flashes or Below Threshold"),
    "2.3.2": ("AAA", "Three Flashes"),
    "2.3.3": ("AAA", "Animation from Interactions"),
    "2.4.1": ("A", "Bypass Blocks"),
    "2.4.2": ("A", "Page Titled"),
    "2.4.3": ("A", "Focus Order"),
    "2.4.4": ("A", "Link Purpose (In Context)"),
    "2.4.5": ("AA", "Multiple Ways"),
    "2.4.6": ("AA", "Headings and Labels"),
    "2.4.7": ("AA", "Focus Visible"),
    "2.4.8": ("AAA", "Location"),
    "2.4.9": ("AAA", "Link Purpose (Link Only)"),
    "2.4.10": ("AAA", "Section Headings"),
    "2.4.11": ("AA", "Focus Not Obscured (Minimum)"),
    "2.4.12": ("AAA", "Focus Not Obscured (Enhanced)"),
    "2.4.13": ("AAA", "Focus Appearance"),
    "2.5.1": ("A", "Pointer Gestures"),
    "2.5.2": ("A", "Pointer Cancellation"),
    "2.5.3": ("A", "Label in Name"),
    "2.5.4": ("A", "Motion Actuation"),
    "2.5.5": ("AAA", "Target Size (Enhanced)"),
    "2.5.6": ("AAA", "Concurrent Input Mechanisms"),
    "2.5.7": ("AA", "Dragging Movements"),
    "2.5.8": ("AA", "Target Size (Minimum)"),
    "3.1.1": ("A", "Language of Page"),
    "3.1.2": ("AA", "Language of Parts"),
    "3.1.3": ("AAA", "Unusual Words"),
    "3.1.4": ("AAA", "Abbreviations"),
    "3.1.5": ("AAA", "Reading Level"),
    "3.1.6": ("AAA", "Pronunciation"),
    "3.2.1": ("A", "On Focus"),
    "3.2.2": ("A", "On Input"),
    "3.2.3": ("AA", "Consistent Navigation"),
    "3.2.4": ("AA", "Consistent Identification"),
    "3.2.5": ("AAA", "Change on Request"),
    "3.2.6": ("A", "Consistent Help"),
    "3.3.1": ("A", "Error Identification"),
    "3.3.2": ("A", "Labels or Instructions"),
    "3.3.3": ("AA", "Error Suggestion"),
    "3.3.4": ("AA", "Error Prevention (Legal, Financial, Data)"),
    "3.3.5": ("AAA", "Help"),
    "3.3.6": ("AAA", "Error Prevention (All)"),
    "3.3.7": ("A", "Redundant Entry"),
    "3.3.8": ("AA", "Accessible Authentication (Minimum)"),
    "3.3.9": ("AAA", "Accessible Authentication (Enhanced)"),
    "4.1.1": ("A", "Parsing (obsolete in WCAG 2.2)"),
    "4.1.2": ("A", "Name, Role, Value"),
    "4.1.3": ("AA", "Status Messages"),
}

ADDED_IN_22 = frozenset({"2.4.11", "2.4.12", "2.4.13", "2.5.7", "2.5.8", "3.2.6", "3.3.7", "3.3.8", "3.3.9"})

PRINCIPLES: dict[str, str] = {
    "1": "perceivable",
    "2": "operable",
    "3": "understandable",
    "4": "robust",
}

_LEVEL_ORDER = {"A": 1, "AA": 2, "AAA": 3}

# axe tags that name a conformance level (wcag2a, wcag21aa, wcag22aa, wcag2aaa…)
_AXE_LEVEL_TAGS = {
    "wcag2a": "A", "wcag21a": "A", "wcag22a": "A",
    "wcag2aa": "AA", "wcag21aa": "AA", "wcag22aa": "AA",
    "wcag2aaa": "AAA", "wcag21aaa": "AAA", "wcag22aaa": "AAA",
}
KNOWN_AXE_TAGS = frozenset(_AXE_LEVEL_TAGS) | {"best-practice", "section508", "EN-301-549", "experimental"}


def level_of(criterion: str) -> str:
    """"A", "AA" or "AAA" for a success criterion number; "" when unknown."""
    entry = SUCCESS_CRITERIA.get(criterion)
    return entry[0] if entry else ""


def name_of(criterion: str) -> str:
    entry = SUCCESS_CRITERIA.get(criterion)
    return entry[1] if entry else ""


def principle_of(criterion: str) -> str:
    """The WCAG principle a criterion belongs to ("perceivable"…), "" when unknown."""
    return PRINCIPLES.get(criterion.split(".", 1)[0], "") if criterion else ""


def lowest_level(criteria: Iterable[str]) -> str:
    """The least demanding level among the criteria (A before AA before AAA): the level at
    which a failure already breaks conformance."""
    levels = [level_of(c) for c in criteria]
    levels = [lv for lv in levels if lv]
    return min(levels, key=_LEVEL_ORDER.__getitem__) if levels else ""


def level_from_axe_tags(tags: Iterable[str], criteria: Iterable[str] = ()) -> str:
    """The level an axe rule tests: from its level tag (``wcag21aa`` → AA), else from its
    criteria; "" for best-practice rules, which no WCAG level requires."""
    levels = [_AXE_LEVEL_TAGS[t] for t in tags or () if t in _AXE_LEVEL_TAGS]
    if levels:
        return min(levels, key=_LEVEL_ORDER.__getitem__)
    return lowest_level(criteria)


def describe(criterion: str) -> str:
    """"1.4.3 Contrast (Minimum) (AA)" for reports; the number alone when unknown."""
    name, level = name_of(criterion), level_of(criterion)
    return f"{criterion} {name} ({level})" if name else criterion


def wcag_finding(
    check_id: str,
    rule: str,
    title: str,
    criteria: list[str],
    *,
    outcome,
    severity,
    page_url: str = "",
    selector: str = "",
    snippet: str = "",
    value: str = "",
    expected: str = "",
    description: str = "",
    fingerprint: str = "",
    occurrences: int = 1,
    title_nl: str = "",
    description_nl: str = "",
):
    """A finding for a barrier found by one of our own (non-axe) checks, with its WCAG
    criteria and their level, and one example as evidence (``title_nl``, ``description_nl``:
    the same texts in Dutch, for the Dutch report)."""
    from auditor.model import Evidence, Finding
    from auditor.shared.snippets import cap_snippet

    return Finding(
        check_id=check_id,
        outcome=outcome,
        title=title,
        severity=severity,
        rule=rule,
        description=description,
        wcag_sc=list(criteria),
        wcag_level=lowest_level(criteria),
        fingerprint=fingerprint or f"{check_id}:{rule}",
        occurrences=occurrences,
        pages=[page_url] if page_url else [],
        pages_total=1 if page_url else 0,
        evidence=[Evidence(
            page_url=page_url, selector=selector, snippet=cap_snippet(snippet),
            value=cap_snippet(value, 300), expected=expected,
        )],
        title_nl=title_nl,
        description_nl=description_nl,
    )


# Our own checks and the WCAG criteria each one tests (part of) automatically; axe's rules are
# taken from checks/_axe_rules.py for the tags a run used.
CHECK_CRITERIA: dict[str, tuple[str, ...]] = {
    "html-lang": ("3.1.1",),
    "page-title": ("2.4.2",),
    "page-title-unique": ("2.4.2",),
    "lang-matches-text": ("3.1.1",),
    "link-purpose": ("2.4.4",),
    "heading-structure": ("1.3.1", "2.4.6"),
    "focus-visible": ("2.4.7",),
    "autoplay-media": ("1.4.2", "2.2.2"),
    "meta-refresh": ("2.2.1",),
    "blink-marquee": ("2.2.2",),
    "document-accessibility": ("1.1.1", "1.3.1", "2.4.2", "3.1.1"),
    "reflow-320": ("1.4.10",),
    "viewport-meta": ("1.4.4",),
}


def criteria_in_scope(version: str = "2.1", level: str = "AA") -> list[str]:
    """The success criteria a WCAG version/level requires (2.1 AA: the Flemish legal norm),
    without the obsolete 4.1.1."""
    wanted = _LEVEL_ORDER[level]
    return [
        sc for sc, (lv, _) in SUCCESS_CRITERIA.items()
        if _LEVEL_ORDER[lv] <= wanted and sc != "4.1.1" and (version == "2.2" or sc not in ADDED_IN_22)
    ]
