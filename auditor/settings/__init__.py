"""Settings of one audit, with the polite defaults (after Scrapy's project template)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Optional

from auditor import __version__
from auditor.settings.budgets import load_budgets

PROJECT_URL = "https://github.com/vlaanderen-auditor/auditor"


def default_user_agent(contact_url: str = PROJECT_URL) -> str:
    """An honest, identifying User-Agent with a contact URL, so site owners know who visits."""
    return f"Mozilla/5.0 (compatible; auditor/{__version__}; +{contact_url})"


@dataclass
class AuditSettings:
    max_pages: int = 50
    max_depth: int = 10
    include: list[str] = field(default_factory=list)  # regular expressions on the URL
    exclude: list[str] = field(default_factory=list)
    include_subdomains: bool = False  # sibling subdomains of the same registrable domain
    concurrency: int = 2  # pages at once per host
    delay_s: float = 0.25  # between request starts on one host
    time_budget_s: float = 1800.0
    page_timeout_s: float = 30.0
    user_agent: str = field(default_factory=default_user_agent)
    resolve: dict[tuple[str, int], str] = field(default_factory=dict)
    chromium: Optional[str] = None
    third_party: str = "allow"  # "abort": block requests to other sites (they are still recorded)
    axe_tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
    framework: Optional[str] = None  # path of the criteria framework file
    max_sitemap_urls: int = 5_000
    ca_bundle: Optional[str] = None  # extra CA file trusted by the HTTP client (tests, intranets)
    ignore_https_errors: bool = False  # browser only; the TLS probe still reports the problem
    skip_collectors: list[str] = field(default_factory=list)  # page collectors off (--no-mobile: "mobile")
    mobile_screenshots: bool = False  # JPEG of the phone render of pages that overflow or cut text
    budgets: dict[str, float] = field(default_factory=load_budgets)  # page-weight budgets (configs/budgets.toml)
    consent_pages: int = 3  # pages besides the home page measured before consent (fresh contexts); -1 = no consent probe
    # size limits (docs/reliability.md#limits): each one hit is recorded on the page (limits_hit)
    max_response_bytes: int = 5_000_000  # a page or robots/probe body; larger pages are not loaded
    max_dom_bytes: int = 2_000_000  # rendered DOM kept per page
    max_text_chars: int = 200_000  # visible text kept per page
    max_links: int = 5_000  # links kept per page
    max_document_bytes: int = 15_000_000  # a linked PDF downloaded for analysis

    @classmethod
    def from_method_settings(cls, data: dict[str, Any]) -> "AuditSettings":
        """The settings a run recorded in its method (to resume it with the same settings);
        keys this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        resolve = {}
        for spec in values.pop("resolve", []) or []:
            host, port, address = spec.split(":", 2)  # the address may be IPv6: split from the left
            resolve[(host, int(port))] = address
        values["axe_tags"] = tuple(values.get("axe_tags", cls.axe_tags))
        return cls(resolve=resolve, **values)

    def as_method_settings(self) -> dict[str, Any]:
        """The settings recorded in every result's method, so runs compare like for like."""
        data = asdict(self)
        data["resolve"] = [f"{h}:{p}:{a}" for (h, p), a in self.resolve.items()]
        data["axe_tags"] = list(self.axe_tags)
        return data
