"""How to fix a finding: the links the HTML report puts beside it.

- the finding's own ``help_url`` (for axe rules the Deque University page axe-core names);
- the W3C *Understanding* document of each WCAG success criterion it names, from the map in
  ``configs/wcag-understanding.toml`` (data, so a new criterion needs no code);
- the guidance of its check (``CheckInfo.guidance``: a short Dutch/English text and the
  authority's page where one exists), shown once per check and linked from each finding.

Only links: the report stays self-contained and fetches nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from auditor.shared.paths import config_path
from auditor.model import CheckGuidance, CheckInfo, Finding
from auditor.shared.urls import host_of

__all__ = ["FixLink", "UNDERSTANDING_MAP", "check_guidance_text", "finding_fix_links", "understanding_url"]

UNDERSTANDING_MAP = config_path("wcag-understanding.toml")



@dataclass(frozen=True)
class FixLink:
    """One link; the report words it from ``kind`` (``rule``, ``rule_deque``, ``understanding``,
    ``check``) and ``subject`` (the rule or the success criterion) in its own language."""

    kind: str
    subject: str
    href: str  # an absolute http(s) URL, or "#anchor" inside the report


@lru_cache(maxsize=4)
def _understanding_slugs(path: Path = UNDERSTANDING_MAP) -> dict[str, str]:
    """Success criterion → full Understanding URL; WCAG 2.1 documents first, 2.2 for its new criteria."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    urls: dict[str, str] = {}
    for version in ("wcag21", "wcag22"):
        table = data.get(version) or {}
        base = str(table.get("base", ""))
        for sc, slug in (table.get("slugs") or {}).items():
            urls.setdefault(str(sc), f"{base}{slug}.html")
    return urls


def understanding_url(sc: str) -> str:
    """The W3C Understanding document of success criterion ``sc`` (e.g. ``"1.4.3"``); "" if unknown."""
    return _understanding_slugs().get(str(sc).strip(), "")


def check_guidance_text(guidance: Optional[CheckGuidance], lang: str) -> str:
    if guidance is None:
        return ""
    return guidance.en if lang == "en" else guidance.nl


def finding_fix_links(finding: Finding, info: Optional[CheckInfo], check_anchor: str = "") -> list[FixLink]:
    """The links beside one finding, in the order a developer needs them: the rule's own help
    page, the Understanding document of each success criterion, then the check's approach
    (``#<check_anchor>`` when the report shows the check's guidance there)."""
    links: list[FixLink] = []
    if finding.help_url:
        deque = host_of(finding.help_url) == "dequeuniversity.com"
        links.append(FixLink("rule_deque" if deque else "rule", finding.rule or finding.title, finding.help_url))
    for sc in finding.wcag_sc:
        url = understanding_url(sc)
        if url:
            links.append(FixLink("understanding", sc, url))
    if check_anchor and info is not None and info.guidance is not None:
        links.append(FixLink("check", info.title, f"#{check_anchor}"))
    return links
