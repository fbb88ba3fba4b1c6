"""The size limits of an audit, in one table read by ``auditor audit``, ``auditor scan``, site
lists and schedules: each limit's key (``max_response_mb`` → ``--max-response-mb``), the
:class:`~auditor.settings.AuditSettings` field it sets and its unit, and the allowed range.

Time limits (``page_timeout_s``, ``time_budget_s``) keep their own options; every limit hit
on a page is recorded by its settings name (``PageArtifacts.limits_hit``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import click

from auditor.settings import AuditSettings

__all__ = ["SizeLimit", "SIZE_LIMITS", "SIZE_LIMIT_KEYS", "size_limit_settings", "size_limit_problem",
           "size_limit_options"]

MB = 1_000_000


@dataclass(frozen=True)
class SizeLimit:
    key: str  # option and config key; the CLI option is --key-with-dashes
    field: str  # the AuditSettings field
    unit: int  # value × unit = the field's value (MB → bytes)
    low: float
    high: float
    help: str

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def default(self) -> float:
        value = getattr(AuditSettings, self.field)
        return value / self.unit if self.unit != 1 else value


SIZE_LIMITS = (
    SizeLimit("max_response_mb", "max_response_bytes", MB, 0.01, 1_000,
              "MB of one page or robots/probe response; a larger page is not loaded (too_large)."),
    SizeLimit("max_dom_mb", "max_dom_bytes", MB, 0.01, 100, "MB of rendered DOM kept per page."),
    SizeLimit("max_text_chars", "max_text_chars", 1, 1_000, 10_000_000, "Characters of visible text kept per page."),
    SizeLimit("max_links", "max_links", 1, 1, 1_000_000, "Links kept per page (the rest are not followed)."),
    SizeLimit("max_document_mb", "max_document_bytes", MB, 0.01, 1_000,
              "MB of one linked PDF downloaded for analysis; a larger one is not analysed."),
)
SIZE_LIMIT_KEYS = tuple(limit.key for limit in SIZE_LIMITS)
_BY_KEY = {limit.key: limit for limit in SIZE_LIMITS}


def size_limit_problem(key: str, value: Any) -> str:
    """Why ``value`` cannot be the size limit ``key`` ("" when it can)."""
    limit = _BY_KEY[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{key} must be a number"
    if not limit.low <= value <= limit.high:
        return f"{key} must be between {limit.low:g} and {limit.high:g}, not {value}"
    return ""


def size_limit_settings(values: Mapping[str, Any]) -> dict[str, int]:
    """AuditSettings fields for the size limits given in ``values`` (keys as in SIZE_LIMITS;
    None or absent: the default is kept)."""
    return {limit.field: int(round(values[limit.key] * limit.unit))
            for limit in SIZE_LIMITS if values.get(limit.key) is not None}


def size_limit_options(command: Callable) -> Callable:
    """Click options for every size limit (``--max-response-mb``…); the command receives them
    as one ``size_limits`` argument: the AuditSettings fields to set."""

    @functools.wraps(command)
    def with_limits(*args: Any, **kwargs: Any) -> Any:
        values = {limit.key: kwargs.pop(limit.key) for limit in SIZE_LIMITS}
        return command(*args, size_limits=size_limit_settings(values), **kwargs)

    for limit in reversed(SIZE_LIMITS):
        kind = click.IntRange(int(limit.low), int(limit.high)) if limit.unit == 1 else click.FloatRange(limit.low, limit.high)
        with_limits = click.option(limit.option, limit.key, type=kind, default=None,
                                   help=f"{limit.help} [default: {limit.default:g}]")(with_limits)
    return with_limits
