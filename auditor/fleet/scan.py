"""Fleet scans: audit every site of a list and keep the results in the database.

The unit of work is *audit one site of a scan* (:func:`audit_scan_site`). It is the same
whether a scan runs in this process (:func:`run_scan`) or as Huey jobs on ``auditor worker``
processes (``auditor/fleet/queue.py``):

1. claim the site: a scan site already done is never redone; a site whose lease another live
   worker holds is left alone (one site is never audited by two workers at once);
2. audit it with the one-site runner, writing the reports to ``OUT/<site-slug>/<run-id>/``;
   the lease is renewed while the audit runs, so a worker that dies lets it expire;
3. store run, pages, findings and scores and mark the site done, in one transaction.

An interrupted scan (Ctrl-C, SIGTERM, a killed process) resumes with ``auditor scan --resume
SCAN_ID``: the sites it completed are kept, the others are audited.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from auditor.fleet.defaults import DEFAULT_LEASE_S, DEFAULT_OUT_ROOT  # noqa: F401 - re-exported
from auditor.model import SiteReport
from auditor.settings import AuditSettings
from auditor.fleet.sitelist import SiteEntry, safe_slug
from auditor.fleet.store import DONE, Store, worker_identity

# What happened to one site of a scan in one attempt
AUDITED, ALREADY_DONE, LOCKED, INTERRUPTED, FAILED_ATTEMPT = "audited", "already_done", "locked", "interrupted", "failed"


@dataclass
class SiteOutcome:
    site_key: str
    status: str  # one of the constants above
    run_id: str = ""
    score: Optional[float] = None
    error: str = ""
    out_dir: str = ""


@dataclass
class ScanSummary:
    scan_id: str
    outcomes: list[SiteOutcome] = field(default_factory=list)
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


# --------------------------------------------------------------------------- settings


def settings_to_json(settings: AuditSettings) -> dict[str, Any]:
    return settings.as_method_settings()


def settings_from_json(data: dict[str, Any]) -> AuditSettings:
    """Settings saved with a scan, so every worker audits its sites the same way."""
    return AuditSettings.from_method_settings(data or {})


# --------------------------------------------------------------------------- folders


def run_folder_for(out_root: Path | str, site_key: str, run_id: str) -> Path:
    """``OUT/<site-slug>/<run-id>``, derived so that no site id or run id can leave OUT."""
    root = Path(out_root).resolve()
    folder = (root / safe_slug(site_key) / safe_slug(run_id, fallback="run")).resolve()
    if root not in folder.parents:
        raise ValueError(f"refusing to write outside {root}: {folder}")
    return folder


# --------------------------------------------------------------------------- one site


async def audit_scan_site_async(
    store: Store,
    scan_id: str,
    site_key: str,
    owner: str,
    lease_s: float = DEFAULT_LEASE_S,
    lang: str = "nl",
    on_started: Optional[Callable[[str], None]] = None,
) -> SiteOutcome:
    """Audit one site of a scan (see the module docstring). Exceptions from the audit itself
    are returned as a failed outcome with the site back to pending; the caller decides about
    retries (``final=True`` is passed by the last attempt)."""
    from auditor.run.outputs import write_outputs
    from auditor.run.run_folder import RunFolder
    from auditor.run.site_audit import SiteAudit, new_run_id

    claim = await asyncio.to_thread(store.claim_site, scan_id, site_key, owner, lease_s)
    if claim == "done":
        return SiteOutcome(site_key, ALREADY_DONE)
    if claim == "locked":
        return SiteOutcome(site_key, LOCKED, error="another worker is auditing this site")
    scan = store.get_scan(scan_id)
    row = store.scan_site(scan_id, site_key)
    entry = SiteEntry.from_json(row.entry)
    settings = entry.settings(settings_from_json(scan.settings))
    heartbeat = asyncio.create_task(_renew_lease(store, site_key, owner, lease_s))
    out_dir = ""
    try:
        run_id = new_run_id()
        folder = run_folder_for(scan.out_root, site_key, run_id)
        audit = SiteAudit(entry.site, settings, RunFolder(folder), run_id=run_id)
        out_dir = str(folder)
        if on_started:
            on_started(site_key)
        report = await audit.run()
        write_outputs(report, folder, lang=lang)
    except Exception as exc:  # noqa: BLE001 - one broken site must not stop the fleet
        await _stop(heartbeat)
        message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        await asyncio.to_thread(store.fail_site, scan_id, site_key, owner, message, False)
        return SiteOutcome(site_key, FAILED_ATTEMPT, error=message, out_dir=out_dir)
    finally:
        await _stop(heartbeat)
    if was_interrupted(report):
        # the partial reports stay in their folder; the site is audited again on resume
        await asyncio.to_thread(store.fail_site, scan_id, site_key, owner, "interrupted", False)
        return SiteOutcome(site_key, INTERRUPTED, run_id=report.run_id, out_dir=out_dir)
    await asyncio.to_thread(store.complete_site, scan_id, site_key, owner, report, out_dir)
    await asyncio.to_thread(_write_changes, store, site_key, report, folder, lang)
    return SiteOutcome(site_key, AUDITED, run_id=report.run_id, score=report.overall_score, out_dir=out_dir)


def _write_changes(store: Store, site_key: str, report: SiteReport, folder: Path, lang: str) -> None:
    """Once the run is stored, its reports say what changed since the site's previous run."""
    from auditor.fleet.history import changes_since_previous
    from auditor.run.outputs import write_outputs

    report.changes = changes_since_previous(store, site_key, report.run_id)
    if report.changes is not None:
        write_outputs(report, folder, lang=lang)


def audit_scan_site(store: Store, scan_id: str, site_key: str, owner: str, lease_s: float = DEFAULT_LEASE_S,
                    lang: str = "nl") -> SiteOutcome:
    """The synchronous form, for queue workers (one event loop, one browser, per job)."""
    return asyncio.run(audit_scan_site_async(store, scan_id, site_key, owner, lease_s, lang))


def was_interrupted(report: SiteReport) -> bool:
    return report.partial and any(note.startswith("interrupted") for note in report.notes)


async def _renew_lease(store: Store, site_key: str, owner: str, lease_s: float) -> None:
    while True:
        await asyncio.sleep(max(lease_s / 3, 0.5))
        await asyncio.to_thread(store.renew_lease, site_key, owner, lease_s)


async def _stop(task: asyncio.Task) -> None:
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# --------------------------------------------------------------------------- a whole scan


def start_scan(store: Store, entries: list[SiteEntry], settings: AuditSettings, out_root: Path | str,
               source: str = "", trigger: Optional[str] = None) -> Optional[str]:
    """Record a new scan of these sites; returns its id (None when the trigger already ran)."""
    return store.create_scan(entries, settings_to_json(settings), str(Path(out_root).resolve()), source=source,
                             trigger=trigger)


async def run_scan(
    store: Store,
    scan_id: str,
    concurrency: int = 1,
    lease_s: float = DEFAULT_LEASE_S,
    lang: str = "nl",
    on_outcome: Optional[Callable[[SiteOutcome], None]] = None,
    on_started: Optional[Callable[[str], None]] = None,
) -> ScanSummary:
    """Audit every site of the scan that is not done yet, ``concurrency`` sites at once (each
    with its own browser). An interruption of any site stops the scan: sites not started stay
    pending for ``--resume``."""
    owner = worker_identity()
    summary = ScanSummary(scan_id)
    todo = [row.site_key for row in store.scan_sites(scan_id) if row.status != DONE]
    semaphore = asyncio.Semaphore(max(1, concurrency))
    running: set[asyncio.Task] = set()

    async def one(site_key: str) -> None:
        async with semaphore:
            if summary.interrupted:
                return
            outcome = await audit_scan_site_async(store, scan_id, site_key, owner, lease_s, lang, on_started)
            if outcome.status == FAILED_ATTEMPT:  # no retry in-process: --resume tries it again
                await asyncio.to_thread(store.fail_site, scan_id, site_key, owner, outcome.error, True)
            summary.outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
            if outcome.status == INTERRUPTED and not summary.interrupted:
                summary.interrupted = True
                for task in running:
                    if task is not asyncio.current_task():
                        task.cancel()

    for site_key in todo:
        running.add(asyncio.create_task(one(site_key)))
    try:
        await asyncio.gather(*running, return_exceptions=True)
    except asyncio.CancelledError:
        summary.interrupted = True
        raise
    finally:
        store.finish_scan_if_complete(scan_id)
    return summary


def scan_progress(store: Store, scan_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in store.scan_sites(scan_id):
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


__all__ = [
    "ALREADY_DONE", "AUDITED", "FAILED_ATTEMPT", "INTERRUPTED", "LOCKED", "ScanSummary", "SiteOutcome",
    "audit_scan_site", "audit_scan_site_async", "run_folder_for", "run_scan", "scan_progress",
    "settings_from_json", "settings_to_json", "start_scan", "was_interrupted",
]
