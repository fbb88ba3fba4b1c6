"""The registry of checks: each check is metadata plus a pure function of artifacts.

A page check is called once per rendered page with that page's ``PageArtifacts``; a site
check is called once per site with the ``SiteArtifacts`` (site probes plus a summary of every
page). Both return a ``CheckResult``. Checks never touch the network, the browser or a database;
they are tested with artifacts built by hand.

Weights and criteria do not live here: the framework files in ``configs/frameworks`` say which
checks count toward which criteria, with what weight.

Nor do a check's words. Its texts live in the text catalogs ``configs/texts/checks.en.toml`` and
``configs/texts/checks.nl.toml`` (read by ``auditor/shared/texts.py``), in a table named after the
check id. A new check gets its texts in three steps:

1. add the table to both catalogs, with the same keys::

       [focus-visible]
       title = "Keyboard focus is visible"                       # said when it passes
       failure_title = "Keyboard focus is invisible on some elements"  # said when it fails
       description = "Tabs through the first focusable elements …"
       guidance = "Always show a clear focus indicator …"         # how to fix it
       guidance_url = "https://…"                                 # optional, the same in both files
       finding.no-focus-indicator = "Keyboard focus leaves no visible change"
       summary.fail = "{invisible} of {total} elements reached by Tab show no visible focus"

2. register the check with its id and what it reads: ``@page_check(id="focus-visible",
   requires=("keyboard",))``; the registry takes the metadata texts from the table. A
   description that quotes the check's thresholds names them as placeholders and the decorator
   fills them: ``text_values={"min_words": MIN_WORDS}``.
3. fill summaries and findings from keys, both languages at once:
   ``wcag_finding(..., **say("focus-visible.finding.no-focus-indicator").fields("title"))``,
   ``page_result(..., **say(key, invisible=3, total=9).fields("summary"))``.
   Values measured on the site (numbers, hosts, page titles) are placeholders, never part of
   the text; ``tests/shared/test_texts.py`` checks that both catalogs agree and that every key a
   check names exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional, Union

from auditor.model import CheckGuidance, CheckInfo, CheckResult, PageArtifacts, Site, SiteArtifacts
from auditor.shared.texts import TextCatalogError, catalog_path, check_texts

Scope = Literal["page", "site"]


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides artifacts: the site's metadata and the run's settings."""

    site: Site
    settings: dict[str, Any] = field(default_factory=dict)


PageCheckFn = Callable[[PageArtifacts, CheckContext], CheckResult]
SiteCheckFn = Callable[[SiteArtifacts, CheckContext], CheckResult]


@dataclass(frozen=True)
class Check:
    id: str
    title: str  # said when it passes
    failure_title: str  # said when it fails
    description: str
    scope: Scope
    family: str
    requires: tuple[str, ...]  # artifact fields read, for documentation and rescore
    run: Union[PageCheckFn, SiteCheckFn]
    guidance: Optional[CheckGuidance] = None  # how to fix it, shown beside every finding
    title_nl: str = ""  # the title in Dutch, for the Dutch report
    failure_title_nl: str = ""

    def info(self) -> CheckInfo:
        return CheckInfo(
            id=self.id,
            title=self.title,
            failure_title=self.failure_title,
            description=self.description,
            scope=self.scope,
            family=self.family,
            requires=list(self.requires),
            guidance=self.guidance,
            title_nl=self.title_nl,
            failure_title_nl=self.failure_title_nl,
        )


class DuplicateCheckError(ValueError):
    pass


_REGISTRY: dict[str, Check] = {}


def _register(scope: Scope, **meta: Any) -> Callable:
    def decorate(fn: Callable) -> Callable:
        check_id = meta["id"]
        existing = _REGISTRY.get(check_id)
        if existing is not None and existing.run is not fn:
            raise DuplicateCheckError(f"check id {check_id!r} is registered twice")
        texts = _metadata_texts(check_id, meta)
        _REGISTRY[check_id] = Check(
            id=check_id,
            title=texts["title"],
            failure_title=texts["failure_title"],
            description=texts["description"],
            scope=scope,
            family=meta.get("family", fn.__module__.rsplit(".", 1)[-1]),
            requires=tuple(meta.get("requires", ())),
            run=fn,
            guidance=_guidance(check_id, texts["guidance"]),
            title_nl=texts["title_nl"],
            failure_title_nl=texts["failure_title_nl"],
        )
        return fn

    return decorate


def _metadata_texts(check_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    """A check's titles, description and guidance: from the decorator when it gives them, else
    from the check's table in the text catalogs (``configs/texts/checks.<lang>.toml``)."""
    if "title" in meta:
        return {
            "title": meta["title"],
            "failure_title": meta.get("failure_title", meta["title"]),
            "description": meta.get("description", ""),
            "guidance": meta.get("guidance"),
            "title_nl": meta.get("title_nl", ""),
            "failure_title_nl": meta.get("failure_title_nl", meta.get("title_nl", "")),
        }
    found = check_texts(check_id, **meta.get("text_values", {}))
    if "title" not in found:
        raise TextCatalogError(f"text catalog {catalog_path('en')}: key '{check_id}.title' is missing")
    title = found["title"]
    failure_title = found.get("failure_title", title)
    guidance = None
    if "guidance" in found:
        url = found["guidance_url"].en if "guidance_url" in found else ""
        guidance = {"nl": found["guidance"].nl, "en": found["guidance"].en, "url": url}
    return {
        "title": title.en,
        "failure_title": failure_title.en,
        "description": found["description"].en if "description" in found else "",
        "guidance": guidance,
        "title_nl": title.nl,
        "failure_title_nl": failure_title.nl,
    }


def _guidance(check_id: str, raw: Any) -> Optional[CheckGuidance]:
    """``guidance={"nl": ..., "en": ..., "url": ...}`` of a check's metadata; both texts required."""
    if raw is None:
        return None
    guidance = raw if isinstance(raw, CheckGuidance) else CheckGuidance(**raw)
    if not guidance.nl.strip() or not guidance.en.strip():
        raise ValueError(f"check {check_id!r}: guidance needs a Dutch and an English text")
    return guidance


def page_check(**meta: Any) -> Callable[[PageCheckFn], PageCheckFn]:
    """Register a page-scope check: ``@page_check(id="focus-visible", requires=("keyboard",))``.
    Its titles (English and Dutch), failure titles, description and guidance come from the
    check's table in the text catalogs. A check made outside the catalogs (a test's) may give them
    instead: ``title=..., failure_title=..., title_nl=..., failure_title_nl=..., description=...,
    guidance={"nl": ..., "en": ..., "url": ...}``; ``failure_title(_nl)`` defaults to the title."""
    return _register("page", **meta)


def site_check(**meta: Any) -> Callable[[SiteCheckFn], SiteCheckFn]:
    """Register a site-scope check, called once with the site's artifacts."""
    return _register("site", **meta)


_NOT_CHECK_MODULES = {"registry"}


def load_all() -> dict[str, Check]:
    """Import every module of the ``checks`` package (each registers its checks) and return
    the registry. New check families plug in by adding a module; the engine is not touched."""
    import checks

    for module in pkgutil.iter_modules(checks.__path__):
        if module.name not in _NOT_CHECK_MODULES and not module.name.startswith("_"):
            importlib.import_module(f"checks.{module.name}")
    return dict(_REGISTRY)
