"""History of fleet runs: a site's score trend, what changed between two runs, and the latest
run of every site (the portfolio).

Findings are compared by fingerprint (check + rule + normalised location, see
``checks/accessibility.py:rule_fingerprint``), within one site. A change in score is only a
change *of the site* when both runs used the same method: a different tool, framework or
axe-core version, or different crawl settings, is named so nobody mistakes it for progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from auditor.fleet.store import Store
from auditor.fleet.store.database import utc
from auditor.fleet.store.models import FindingRow, RunRow

# Settings that change what is found (a different delay or user agent does not)
COMPARABLE_SETTINGS = ("max_pages", "max_depth", "include", "exclude", "include_subdomains", "axe_tags",
                       "third_party", "consent_pages")
METHOD_FIELDS = (("tool_version", "auditor"), ("framework_id", "framework"), ("framework_version", "framework version"),
                 ("axe_version", "axe-core"), ("browser_version", "Chromium"))


class HistoryError(LookupError):
    """A site or run that is not in the database; the message is one line for the user."""


@dataclass
class TrendPoint:
    run_id: str
    started_at: Optional[datetime]
    score: Optional[float]
    partial: bool
    assessable: bool
    findings: int
    method: str  # "auditor 0.1.0 · framework 2022.1 · axe-core 4.12.1"
    scan_id: str = ""


@dataclass
class RunInfo:
    run_id: str
    site_key: str
    started_at: Optional[datetime]
    score: Optional[float]
    partial: bool
    method: str

    @classmethod
    def of(cls, run: RunRow) -> "RunInfo":
        return cls(run.run_id, run.site_key, utc(run.started_at), run.overall_score, run.partial, method_label(run))


@dataclass
class FindingChange:
    fingerprint: str
    check_id: str
    rule: str
    title: str
    severity: str
    outcome: str
    first_page: str
    occurrences_before: int = 0
    occurrences_after: int = 0


@dataclass
class ScoreChange:
    level: str  # overall | principle | criterion | check
    ref_id: str
    title: str
    before: Optional[float]
    after: Optional[float]
    outcome_before: str = ""
    outcome_after: str = ""

    @property
    def delta(self) -> Optional[float]:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class RunDiff:
    site_key: str
    before: RunInfo
    after: RunInfo
    new: list[FindingChange] = field(default_factory=list)
    fixed: list[FindingChange] = field(default_factory=list)
    persisting: list[FindingChange] = field(default_factory=list)
    score_changes: list[ScoreChange] = field(default_factory=list)
    method_differences: list[str] = field(default_factory=list)

    @property
    def same_method(self) -> bool:
        return not self.method_differences


def changes_since_previous(store: Store, site_key: str, run_id: str, listed: int = 5):
    """The ``RunChanges`` a site report shows: the diff with the site's run before ``run_id``
    and the score trend; None for a site's first run."""
    from auditor.model import RunChanges, ScorePoint

    runs = store.runs_for_site(site_key)
    ids = [run.run_id for run in runs]
    if run_id not in ids or ids.index(run_id) == 0:
        return None
    previous = ids[ids.index(run_id) - 1]
    diff = diff_runs(store, previous, run_id)
    return RunChanges(
        previous_run_id=previous,
        previous_score=diff.before.score,
        new=len(diff.new), fixed=len(diff.fixed), persisting=len(diff.persisting),
        new_titles=[change.title for change in diff.new[:listed]],
        fixed_titles=[change.title for change in diff.fixed[:listed]],
        method_differences=diff.method_differences,
        trend=[ScorePoint(run_id=run.run_id, started_at=utc(run.started_at), score=run.overall_score)
               for run in runs[: ids.index(run_id) + 1]],
    )


def method_label(run: RunRow) -> str:
    return (f"auditor {run.tool_version or '?'} · {run.framework_id or 'framework'} {run.framework_version or '?'}"
            f" · axe-core {run.axe_version or '?'}")


def score_trend(store: Store, site_key: str) -> list[TrendPoint]:
    runs = store.runs_for_site(site_key)
    if not runs and store.site(site_key) is None:
        raise HistoryError(f"no site {site_key!r} in the database (known sites: {_known_sites(store)})")
    return [TrendPoint(run.run_id, utc(run.started_at), run.overall_score, run.partial, run.assessable,
                       len(store.findings(run.run_id)), method_label(run), run.scan_id or "") for run in runs]


def latest_two_runs(store: Store, site_key: str) -> tuple[str, str]:
    runs = store.runs_for_site(site_key)
    if len(runs) < 2:
        if store.site(site_key) is None:
            raise HistoryError(f"no site {site_key!r} in the database (known sites: {_known_sites(store)})")
        raise HistoryError(f"site {site_key!r} has {len(runs)} run(s); two are needed for a diff")
    return runs[-2].run_id, runs[-1].run_id


def diff_runs(store: Store, run_a: str, run_b: str) -> RunDiff:
    """What changed from run A (before) to run B (after) of one site."""
    before, after = store.run(run_a), store.run(run_b)
    for run_id, run in ((run_a, before), (run_b, after)):
        if run is None:
            raise HistoryError(f"no run {run_id!r} in the database")
    if before.site_key != after.site_key:
        raise HistoryError(f"runs {run_a} and {run_b} belong to different sites "
                           f"({before.site_key} and {after.site_key}): only runs of one site can be compared")
    old, new = _by_fingerprint(store.findings(run_a)), _by_fingerprint(store.findings(run_b))
    diff = RunDiff(before.site_key, RunInfo.of(before), RunInfo.of(after))
    for fingerprint in sorted(new.keys() - old.keys()):
        diff.new.append(_change(new[fingerprint], 0, new[fingerprint].occurrences))
    for fingerprint in sorted(old.keys() - new.keys()):
        diff.fixed.append(_change(old[fingerprint], old[fingerprint].occurrences, 0))
    for fingerprint in sorted(old.keys() & new.keys()):
        diff.persisting.append(_change(new[fingerprint], old[fingerprint].occurrences, new[fingerprint].occurrences))
    diff.score_changes = _score_changes(store, before, after)
    diff.method_differences = method_differences(before, after)
    return diff


def method_differences(before: RunRow, after: RunRow) -> list[str]:
    """Plain-words differences in how two runs were made; empty when they compare like for like."""
    differences = []
    for attribute, label in METHOD_FIELDS:
        a, b = getattr(before, attribute) or "", getattr(after, attribute) or ""
        if a != b:
            differences.append(f"{label}: {a or '?'} → {b or '?'}")
    settings_a = (before.method or {}).get("settings", {}) or {}
    settings_b = (after.method or {}).get("settings", {}) or {}
    for key in COMPARABLE_SETTINGS:
        if settings_a.get(key) != settings_b.get(key):
            differences.append(f"setting {key}: {settings_a.get(key)!r} → {settings_b.get(key)!r}")
    # the tracker database and consent rules decide the consent checks' outcomes
    sources_a = (before.method or {}).get("data_sources", {}) or {}
    sources_b = (after.method or {}).get("data_sources", {}) or {}
    for key in sorted(set(sources_a) | set(sources_b)):
        if sources_a.get(key) != sources_b.get(key):
            differences.append(f"data {key}: {sources_a.get(key) or '?'} → {sources_b.get(key) or '?'}")
    return differences


def _by_fingerprint(rows: list[FindingRow]) -> dict[str, FindingRow]:
    result: dict[str, FindingRow] = {}
    for row in rows:
        if row.fingerprint in result:  # one fingerprint reported twice: count it once, add occurrences
            result[row.fingerprint].occurrences += row.occurrences
        else:
            result[row.fingerprint] = row
    return result


def _change(row: FindingRow, before: int, after: int) -> FindingChange:
    return FindingChange(row.fingerprint, row.check_id, row.rule, row.title, row.severity, row.outcome,
                         row.first_page, before, after)


def _score_changes(store: Store, before: RunRow, after: RunRow) -> list[ScoreChange]:
    changes = []
    if before.overall_score != after.overall_score:
        changes.append(ScoreChange("overall", "overall", "Overall score", before.overall_score, after.overall_score))
    old = {(s.level, s.ref_id): s for s in store.scores(before.run_id)}
    new = {(s.level, s.ref_id): s for s in store.scores(after.run_id)}
    order = {"principle": 0, "criterion": 1, "check": 2}
    for key in sorted(old.keys() | new.keys(), key=lambda k: (order.get(k[0], 9), k[1])):
        a, b = old.get(key), new.get(key)
        score_a, score_b = (a.score if a else None), (b.score if b else None)
        outcome_a, outcome_b = (a.outcome if a else ""), (b.outcome if b else "")
        if _differs(score_a, score_b) or outcome_a != outcome_b:
            title = (b or a).title if key[0] != "check" else key[1]
            changes.append(ScoreChange(key[0], key[1], title, score_a, score_b, outcome_a, outcome_b))
    return changes


def _differs(a: Optional[float], b: Optional[float]) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9


def _known_sites(store: Store) -> str:
    keys = [site.key for site in store.sites()]
    if not keys:
        return "none yet: run auditor scan first"
    return ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")


# --------------------------------------------------------------------------- portfolio


def portfolio_rows(store: Store) -> list[dict[str, Any]]:
    """One row per site: its newest run, with overall and principle scores (0–100)."""
    rows = []
    for site, run in store.latest_runs():
        audiences = _audiences(store, run)
        principles = {s.ref_id: s.score for s in store.scores(run.run_id) if s.level == "principle"}
        findings = store.findings(run.run_id)
        coverage = run.coverage or {}
        row: dict[str, Any] = {
            "site": site.key,
            "organisation": site.organisation,
            "kind": site.kind,
            "audiences": ",".join(audiences),
            "start_url": (site.start_urls or [""])[0],
            "run_id": run.run_id,
            "scan_id": run.scan_id or "",
            "started_at": utc(run.started_at).isoformat(timespec="seconds") if run.started_at else "",
            "overall_score": _percent(run.overall_score),
            "assessable": run.assessable,
            "partial": run.partial,
            "pages_visited": coverage.get("pages_visited", 0),
            "pages_ok": coverage.get("pages_ok", 0),
            "pages_blocked": coverage.get("pages_blocked", 0),
            "findings_fail": sum(1 for f in findings if f.outcome == "fail"),
            "findings_warning": sum(1 for f in findings if f.outcome == "warning"),
            "findings_critical": sum(1 for f in findings if f.severity == "critical"),
        }
        for principle_id in sorted(principles):
            row[f"score_{principle_id}"] = _percent(principles[principle_id])
        row.update({"tool_version": run.tool_version, "framework_id": run.framework_id,
                    "framework_version": run.framework_version,
                    "axe_version": run.axe_version, "report": f"{run.out_dir}/report.html" if run.out_dir else ""})
        rows.append(row)
    return rows


def _audiences(store: Store, run: RunRow) -> list[str]:
    """The audiences the site list gave the site in the scan of this run (``ScanSiteRow.entry``);
    none for a run outside a scan, whose site entry was never stored."""
    scan_site = store.scan_site(run.scan_id, run.site_key) if run.scan_id else None
    site = (scan_site.entry or {}).get("site") if scan_site is not None else None
    audiences = site.get("audiences") if isinstance(site, dict) else None
    return [str(a) for a in audiences] if isinstance(audiences, list) else []


def _percent(score: Optional[float]) -> Optional[float]:
    return None if score is None else round(score * 100, 1)


def principle_names(rows: list[dict[str, Any]], lang: str) -> dict[str, str]:
    """Principle id → its name in ``lang`` from the frameworks the portfolio's rows were scored
    against (the ones shipped in configs/frameworks/); an id no framework names is left out."""
    from auditor.score.framework import bundled_framework

    names: dict[str, str] = {}
    for framework_id in dict.fromkeys(str(row.get("framework_id") or "") for row in rows):
        framework = bundled_framework(framework_id) if framework_id else None
        for principle in framework.principles if framework else ():
            name = principle.name_en if lang == "en" and principle.name_en else principle.name
            names.setdefault(principle.id, name)
    return names


def common_findings(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The findings most sites share: over the latest run of every site, the fail and warning
    findings grouped by check and rule, with the number of sites and of pages affected.

    Most sites first, then most pages; at most ``limit`` groups."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for site, run in store.latest_runs():
        for row in store.findings(run.run_id):
            if row.outcome not in ("fail", "warning"):
                continue
            group = groups.setdefault((row.check_id, row.rule), {
                "check_id": row.check_id, "rule": row.rule, "title": row.title, "title_nl": row.title_nl,
                "outcome": row.outcome,
                "sites": set(), "pages": 0})
            group["sites"].add(site.key)
            group["pages"] += max(row.pages_total, 1 if row.first_page else 0)
            if row.outcome == "fail":
                group["outcome"] = "fail"
    ranked = sorted(groups.values(), key=lambda g: (-len(g["sites"]), -g["pages"], g["check_id"], g["rule"]))
    return [{**group, "sites": len(group["sites"])} for group in ranked[:limit]]
