"""A finding's title and description in the report's language, for every renderer that shows them.

result.json, the CSV exports and the fleet database keep each finding's English ``title`` and
``description``. A Dutch report shows instead, in this order: the Dutch text of an axe-core
rule (``configs/axe-rules.nl.toml``, read by ``reports/axe_rule_texts.py``) for the axe checks'
findings; the Dutch text our own check gave (``Finding.title_nl`` / ``description_nl``, schema
1.5); the English text when there is neither (a result written before 1.5, a rule axe added).
"""

from __future__ import annotations

from typing import Optional, Union

from markupsafe import Markup

from reports.axe_rule_texts import AXE_CHECK_IDS, AxeRuleText, axe_rule_texts, code_markup

__all__ = ["description_in_language", "title_in_language"]


def _axe_text(check_id: str, rule: str, lang: str) -> Optional[AxeRuleText]:
    if lang != "nl" or check_id not in AXE_CHECK_IDS or not rule:
        return None
    return axe_rule_texts().get(rule)


def title_in_language(check_id: str, rule: str, title: str, title_nl: str, lang: str) -> Union[str, Markup]:
    """The title to show in a ``lang`` report (HTML and ARIA terms of axe texts as ``<code>``)."""
    text = _axe_text(check_id, rule, lang)
    if text:
        return code_markup(text.title)
    return title_nl if lang == "nl" and title_nl else title


def description_in_language(check_id: str, rule: str, description: str, description_nl: str,
                            lang: str) -> Union[str, Markup]:
    text = _axe_text(check_id, rule, lang)
    if text:
        return code_markup(text.description)
    return description_nl if lang == "nl" and description_nl else description
