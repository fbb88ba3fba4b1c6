"""Keyboard: does focus stay visible while tabbing (WCAG 2.4.7 Focus Visible, level AA)?

The keyboard collector (auditor/gather/collectors/keyboard.py) pressed Tab through the first
focusable elements and compared each element's look on focus with its look without focus
(outline, box-shadow, border, background, colour, underline, on the element, its
``::before``/``::after`` and its parent). An element whose focus changed nothing is invisible
to a keyboard user. The score is the share of focused elements with a visible change.
"""

from __future__ import annotations

from auditor.model import CheckResult, Outcome, PageArtifacts, Severity
from auditor.shared.texts import say, t_en
from checks._support import page_result
from auditor.shared.wcag import wcag_finding
from checks.accessibility import rule_fingerprint
from checks.registry import CheckContext, page_check

EVIDENCE_MAX = 10


@page_check(id="focus-visible", requires=("keyboard",))
def focus_visible(page: PageArtifacts, context: CheckContext) -> CheckResult:
    page_url = page.final_url or page.url
    if "keyboard" in page.collector_errors:
        return page_result("focus-visible", page, Outcome.ERROR,
                           t_en("focus-visible.summary.error", keyboard=page.collector_errors['keyboard']))
    keyboard = page.keyboard
    if keyboard is None:
        return page_result("focus-visible", page, Outcome.NOT_APPLICABLE, t_en("focus-visible.summary.not-applicable.the-keyboard-pass"))
    steps = keyboard.steps
    details = {"tab_presses": keyboard.tab_presses, "elements_checked": len(steps),
               "focusable_total": keyboard.focusable_total, "stopped": keyboard.stopped_reason}
    if not steps:
        return page_result("focus-visible", page, Outcome.NOT_APPLICABLE,
                           t_en("focus-visible.summary.not-applicable.no-element-received"), details=details)
    invisible = [step for step in steps if not step.visible_change]
    score = 1 - len(invisible) / len(steps)
    details["elements_without_visible_focus"] = len(invisible)
    if not invisible:
        return page_result("focus-visible", page, Outcome.PASS,
                           t_en("focus-visible.summary.pass", steps_count=len(steps)), score=1.0, details=details)
    first = invisible[0]
    finding = wcag_finding(
        "focus-visible", "no-focus-indicator", **say("focus-visible.finding.no-focus-indicator").fields("title"),
        criteria=["2.4.7"],
        outcome=Outcome.FAIL, severity=Severity.SERIOUS, page_url=page_url, selector=first.selector,
        snippet=first.snippet, value=t_en("family.keyboard.seen.tab-press-outline", index=first.index),
        expected=t_en("family.keyboard.expected.a-visible-focus"),
        fingerprint=rule_fingerprint("focus-visible", "no-focus-indicator", [s.selector for s in invisible]),
        occurrences=len(invisible),
    )
    finding.evidence += [
        finding.evidence[0].model_copy(update={
            "selector": step.selector, "snippet": step.snippet,
            "value": t_en("family.keyboard.seen.tab-press-outline", index=step.index),
        })
        for step in invisible[1:EVIDENCE_MAX]
    ]
    return page_result(
        "focus-visible", page, Outcome.FAIL,
        t_en("focus-visible.summary.fail", invisible_count=len(invisible), steps_count=len(steps)),
        score=score, findings=[finding], details=details, use_default_score=False,
    )
