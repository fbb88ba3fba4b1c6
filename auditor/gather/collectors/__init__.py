"""Page collectors: extra browser-side gathering that shares the one visit of a page.

A collector is an async function ``collect(page, artifacts, context)`` registered with
``@page_collector(name, order)``. It runs after the page has loaded, the DOM has been read and
axe has run, on the same Playwright page, and fills its own part of ``PageArtifacts`` (for
example ``artifacts.mobile``). Collectors must leave the page as they found it for the next
collector (e.g. restore the viewport) and bound their own time. A collector that raises is
recorded in ``artifacts.collector_errors`` and never breaks the visit.

Each family lives in its own module here (``mobile.py``, ``keyboard.py``…); ``load_collectors``
imports them all, so adding one touches no engine code.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from playwright.async_api import Page

from auditor.model import PageArtifacts


@dataclass
class CollectorContext:
    """What a collector may know: the run's settings (``settings.as_method_settings()`` keys
    plus collector options) and the run folder path for evidence files such as screenshots."""

    settings: dict[str, Any] = field(default_factory=dict)
    evidence_dir: str = ""


CollectorFn = Callable[[Page, PageArtifacts, CollectorContext], Awaitable[None]]


@dataclass(frozen=True)
class Collector:
    name: str
    order: int
    collect: CollectorFn


_COLLECTORS: dict[str, Collector] = {}


def page_collector(name: str, order: int = 100) -> Callable[[CollectorFn], CollectorFn]:
    def decorate(fn: CollectorFn) -> CollectorFn:
        _COLLECTORS[name] = Collector(name=name, order=order, collect=fn)
        return fn

    return decorate


def load_collectors(enabled: set[str] | None = None) -> list[Collector]:
    """Every collector module's collectors, in order; ``enabled`` narrows them by name."""
    import auditor.gather.collectors as package

    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"auditor.gather.collectors.{module.name}")
    chosen = [c for c in _COLLECTORS.values() if enabled is None or c.name in enabled]
    return sorted(chosen, key=lambda c: (c.order, c.name))
