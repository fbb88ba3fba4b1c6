"""Page reducers: every value the site checks read that is *derived* from page content.

A reducer turns one page's saved artifacts into a small value (a page summary with its
readability, the page's Flemish marker matches…) and folds that value into the
``SiteArtifacts`` the site checks see. The same reducers run live, as pages stream in from the
browser, and in ``auditor rescore``, as pages stream in from ``artifacts/pages.jsonl``: so a
rescore after editing ``configs/markers/flemish.toml`` or the readability rules recomputes
those values instead of reusing the ones frozen in ``site.json``.

A reducer is three functions registered with ``@page_reducer(name, order)`` on a module of this
package (``load_reducers`` imports them all):
- ``reduce(page) -> value``: pure, no I/O beyond reading data files; the value must pickle
  (rescore computes it in worker processes);
- ``fold(site, value)``: adds the value to the site artifacts, in page order;
- ``reset(site)``: forgets what an earlier computation folded in (rescore starts from it).
Site reducers (``@site_reducer``) run once after the last page, on the site artifacts alone.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from auditor.model import PageArtifacts, SiteArtifacts

ReduceFn = Callable[[PageArtifacts], Any]
FoldFn = Callable[[SiteArtifacts, Any], None]
ResetFn = Callable[[SiteArtifacts], None]


@dataclass(frozen=True)
class PageReducer:
    name: str
    order: int
    reduce: ReduceFn
    fold: FoldFn
    reset: ResetFn


@dataclass(frozen=True)
class SiteReducer:
    name: str
    order: int
    reduce: Callable[[SiteArtifacts], None]


_PAGE_REDUCERS: dict[str, PageReducer] = {}
_SITE_REDUCERS: dict[str, SiteReducer] = {}


def page_reducer(name: str, *, fold: FoldFn, reset: ResetFn, order: int = 100) -> Callable[[ReduceFn], ReduceFn]:
    def decorate(fn: ReduceFn) -> ReduceFn:
        _PAGE_REDUCERS[name] = PageReducer(name=name, order=order, reduce=fn, fold=fold, reset=reset)
        return fn

    return decorate


def site_reducer(name: str, order: int = 100) -> Callable:
    def decorate(fn: Callable[[SiteArtifacts], None]) -> Callable[[SiteArtifacts], None]:
        _SITE_REDUCERS[name] = SiteReducer(name=name, order=order, reduce=fn)
        return fn

    return decorate


def _load() -> None:
    import auditor.score.reducers as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")


def page_reducers() -> list[PageReducer]:
    _load()
    return sorted(_PAGE_REDUCERS.values(), key=lambda r: (r.order, r.name))


def site_reducers() -> list[SiteReducer]:
    _load()
    return sorted(_SITE_REDUCERS.values(), key=lambda r: (r.order, r.name))


def page_values(page: PageArtifacts, reducers: Iterable[PageReducer]) -> list[Any]:
    """The reducers' values for one page, in their order (a rescore worker computes them)."""
    return [reducer.reduce(page) for reducer in reducers]


class Reduction:
    """Folds pages into site artifacts with every registered reducer, in page order."""

    def __init__(self, site: SiteArtifacts, reducers: Iterable[PageReducer] | None = None):
        self.site = site
        self.reducers = list(reducers) if reducers is not None else page_reducers()

    def fold(self, values: list[Any]) -> None:
        for reducer, value in zip(self.reducers, values):
            reducer.fold(self.site, value)

    def add_page(self, page: PageArtifacts) -> None:
        self.fold(page_values(page, self.reducers))

    def reset(self) -> None:
        """Forget every derived value, before folding the pages again (rescore)."""
        for reducer in self.reducers:
            reducer.reset(self.site)

    def finish(self) -> None:
        for reducer in site_reducers():
            reducer.reduce(self.site)
