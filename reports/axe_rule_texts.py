"""Dutch texts of the axe-core rules, for the Dutch HTML report.

Findings of the axe checks keep axe-core's English ``help`` as their title and its
``description`` (result.json and the CSV exports stay as axe wrote them). The Dutch report
shows the translation from ``configs/axe-rules.nl.toml`` instead; each entry also stores the
English ``source_help`` it was translated from, so a test notices a changed or new rule.
Text between backticks is an HTML or ARIA term and is shown as code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from markupsafe import Markup, escape

from auditor.shared.paths import config_path
from auditor.model import Finding
from auditor.shared.toml_file import check_text_fields, read_toml

__all__ = ["AXE_CHECK_IDS", "AXE_RULES_NL", "AxeRuleText", "AxeRuleTextsError", "axe_rule_texts",
           "code_markup", "finding_text", "rule_text"]

AXE_RULES_NL = config_path("axe-rules.nl.toml")
# the checks whose findings are one axe-core rule each (checks/accessibility.py)
AXE_CHECK_IDS = frozenset({"axe-violations", "axe-needs-review"})
_FIELDS = ("title", "description", "source_help")
_CODE = re.compile(r"`([^`]+)`")


class AxeRuleTextsError(ValueError):
    """The Dutch axe rule file cannot be used; the message is one line."""


@dataclass(frozen=True)
class AxeRuleText:
    title: str
    description: str
    source_help: str


@lru_cache(maxsize=4)
def axe_rule_texts(path: Path = AXE_RULES_NL) -> dict[str, AxeRuleText]:
    """Rule id → its Dutch texts; ``AxeRuleTextsError`` when the file is unreadable or an entry
    lacks a non-empty string field or has an unknown one."""
    data = read_toml(path, AxeRuleTextsError, "axe rule texts")
    rules = data.get("rules")
    if not isinstance(rules, dict) or not rules:
        raise AxeRuleTextsError(f"axe rule texts {path}: no [rules.<id>] tables")
    texts: dict[str, AxeRuleText] = {}
    for rule_id, entry in rules.items():
        if not isinstance(entry, dict):
            raise AxeRuleTextsError(f"axe rule texts {path}: rules.{rule_id} is not a table")
        check_text_fields(entry, _FIELDS, (), AxeRuleTextsError, f"axe rule texts {path}: rules.{rule_id}")
        texts[rule_id] = AxeRuleText(**{name: entry[name] for name in _FIELDS})
    return texts


def code_markup(text: str) -> Markup:
    """``text`` escaped, with each backtick span as ``<code>``."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def rule_text(check_id: str, rule: str, lang: str) -> Optional[AxeRuleText]:
    """The Dutch texts of the axe rule behind a finding of ``check_id`` in a Dutch report;
    None for anything else (the finding's own title and description are shown then)."""
    if lang != "nl" or check_id not in AXE_CHECK_IDS or not rule:
        return None
    return axe_rule_texts().get(rule)


def finding_text(finding: Finding, lang: str) -> Optional[AxeRuleText]:
    """``rule_text`` of a finding."""
    return rule_text(finding.check_id, finding.rule, lang)
