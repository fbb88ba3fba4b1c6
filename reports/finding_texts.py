"""A finding's title and description in the report's language, for every renderer that shows them.

result.json, the CSV exports and the fleet database keep each finding's English ``title`` and
``description``. A Dutch report shows instead, in this order: the Dutch text of an axe-core
rule (``configs/axe-rules.nl.toml``, read by ``reports/axe_rule_texts.py``) for the axe checks'
findings; the Dutch text our own check gave (``Finding.title_nl`` / ``description_nl``, schema
1.5); the English text when there is neither (a result written before 1.5, a rule axe added).
"""

from __future__ import annotations

from typing import Union

from markupsafe import Markup

from reports.axe_rule_texts import code_markup, rule_text

__all__ = ["description_in_language", "in_language", "title_in_language"]


def in_language(english: str, dutch: str, lang: str) -> str:
    """``dutch`` in a Dutch report when there is one, else ``english``: a result written
    before schema 1.5 (no Dutch) still shows its English text."""
    return dutch if lang == "nl" and dutch else english


def title_in_language(check_id: str, rule: str, title: str, title_nl: str, lang: str) -> Union[str, Markup]:
    """The title to show in a ``lang`` report (HTML and ARIA terms of axe texts as ``<code>``)."""
    text = rule_text(check_id, rule, lang)
    return code_markup(text.title) if text else in_language(title, title_nl, lang)


def description_in_language(check_id: str, rule: str, description: str, description_nl: str,
                            lang: str) -> Union[str, Markup]:
    text = rule_text(check_id, rule, lang)
    return code_markup(text.description) if text else in_language(description, description_nl, lang)
