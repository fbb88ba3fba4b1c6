"""Fleet scans on a real task queue (Huey): "audit one site" jobs and a periodic tick.

* Queue storage: a SQLite file by default (one machine, nothing to install), Redis with
  ``--queue redis://host:6379/0`` (many machines). The scan command and every worker must use
  the same queue *and* the same ``--db``; results go to that database, reports to the scan's
  output folder (a shared volume when workers run on several machines).
* ``audit_one_site(scan_id, site_key)``: see ``auditor.fleet.scan.audit_scan_site``. A site another
  worker holds is retried later without using up a retry; a failed audit is retried with
  exponential backoff (``retry_delay`` × 2ⁿ), and after the last retry the site is marked failed.
* ``fleet_tick`` (every minute, on every worker): puts back on the queue the sites whose worker
  died (lease expired, or its process is gone), and starts the scans whose schedule is due.
  Huey drops a job whose worker dies mid-run; the lease plus this tick is what re-runs it.
* Each worker process runs one job at a time, so it has one browser at a time; the browser is
  started inside the job, after the worker process started (never shared across a fork).
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Optional

from auditor.fleet.scan import ALREADY_DONE, AUDITED, DEFAULT_LEASE_S, FAILED_ATTEMPT, INTERRUPTED, LOCKED, audit_scan_site
from auditor.fleet.schedule import Schedule, start_due_scans
from auditor.fleet.store import Store, worker_identity

DEFAULT_QUEUE = "results/queue.db"
QUEUE_NAME = "auditor-fleet"
LOCKED_RETRY_DELAY_S = 30.0

logger = logging.getLogger("auditor.fleet.queue")


class QueueError(RuntimeError):
    """A queue URL that cannot be used; the message is one line for the user."""


def make_huey(queue_url: Optional[str | Path] = None, immediate: bool = False):
    """SqliteHuey for a file path or ``sqlite:///path``, RedisHuey for ``redis://`` URLs."""
    from huey import RedisHuey, SqliteHuey

    url = str(queue_url or DEFAULT_QUEUE).strip()
    # Several fleets (or test runs) can share one Redis: each uses its own queue name.
    name = os.environ.get("AUDITOR_QUEUE_NAME") or QUEUE_NAME
    common = {"name": name, "results": False, "utc": False, "immediate": immediate}
    if url.startswith(("redis://", "rediss://", "unix://")):
        try:
            import redis  # noqa: F401 - the Redis client is needed by RedisHuey
        except ImportError:
            raise QueueError("the redis package is needed for a Redis queue: pip install redis") from None
        return RedisHuey(url=url, **common)
    if "://" in url and not url.startswith("sqlite:///"):
        raise QueueError(f"unsupported queue URL {url!r}: use a file path, sqlite:///PATH or redis://HOST:PORT/DB")
    path = Path(url.removeprefix("sqlite:///"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QueueError(f"cannot create the folder of {path}: {exc.strerror}") from None
    return SqliteHuey(filename=str(path), **common)


class FleetQueue:
    """The Huey instance with the fleet's tasks registered on it, for producers and workers alike."""

    def __init__(self, queue_url: Optional[str] = None, db_url: Optional[str] = None,
                 schedules: tuple[Schedule, ...] | list[Schedule] = (), lease_s: float = DEFAULT_LEASE_S,
                 retries: int = 3, retry_delay_s: float = 30.0, immediate: bool = False, lang: str = "nl"):
        from huey import crontab

        self.huey = make_huey(queue_url, immediate=immediate)
        self.db_url = db_url
        self.schedules = list(schedules)
        self.lease_s = lease_s
        self.lang = lang
        self._store: Optional[Store] = None
        self._store_lock = threading.Lock()
        self._owner: Optional[str] = None
        self.audit_task = self.huey.task(retries=retries, retry_delay=retry_delay_s, retry_backoff=2, context=True,
                                         name="audit_one_site")(self._audit_one_site)
        self.tick_task = self.huey.periodic_task(crontab(minute="*"), name="fleet_tick")(self.tick)

    # ----------------------------------------------------------------- producer side

    def store(self) -> Store:
        with self._store_lock:
            if self._store is None:
                self._store = Store.open(self.db_url)
            return self._store

    def enqueue(self, scan_id: str, site_key: str) -> None:
        self.audit_task(scan_id, site_key)

    def enqueue_scan(self, scan_id: str) -> int:
        """Queue every site of the scan that is not done yet; returns how many."""
        count = 0
        for row in self.store().scan_sites(scan_id):
            if row.status != "done":
                self.enqueue(scan_id, row.site_key)
                count += 1
        return count

    # ----------------------------------------------------------------- worker side

    @property
    def owner(self) -> str:
        if self._owner is None:  # per process: a lease names the process that holds it
            self._owner = worker_identity()
        return self._owner

    def _audit_one_site(self, scan_id: str, site_key: str, task=None) -> str:
        from huey.exceptions import CancelExecution, RetryTask

        store = self.store()
        if store.scan_site(scan_id, site_key) is None:
            logger.error("site %s of scan %s is not in the database %s: do the scan and the worker use the same --db?",
                         site_key, scan_id, self.db_url)
            raise CancelExecution(retry=False)
        outcome = audit_scan_site(store, scan_id, site_key, self.owner, self.lease_s, self.lang)
        logger.info("scan %s site %s: %s %s", scan_id, site_key, outcome.status, outcome.error)
        if outcome.status == LOCKED:
            raise RetryTask(f"site {site_key} is being audited by another worker", delay=LOCKED_RETRY_DELAY_S)
        if outcome.status == FAILED_ATTEMPT:
            retries_left = task.retries if task is not None else 0
            if not retries_left:
                store.fail_site(scan_id, site_key, self.owner, outcome.error, final=True)
                store.finish_scan_if_complete(scan_id)
            raise RuntimeError(f"audit of {site_key} failed: {outcome.error}")
        if outcome.status == INTERRUPTED:
            raise RetryTask(f"audit of {site_key} was interrupted", delay=1)
        store.finish_scan_if_complete(scan_id)
        return outcome.status if outcome.status in (AUDITED, ALREADY_DONE) else ""

    def tick(self, moment: Optional[datetime] = None) -> list[str]:
        """Re-queue sites whose worker died, then start the scans whose schedule is due at
        ``moment`` (local time, to the minute; now by default). Returns the scans started."""
        store = self.store()
        for scan_id, site_key in store.abandoned_sites():
            logger.warning("scan %s site %s: its worker stopped mid-audit; queued again", scan_id, site_key)
            store.reset_to_pending(scan_id, site_key, "worker stopped mid-audit; queued again")
            self.enqueue(scan_id, site_key)
        moment = (moment or datetime.now()).replace(second=0, microsecond=0)
        started = start_due_scans(store, self.schedules, moment, self.enqueue)
        for scan_id in started:
            logger.info("schedule due at %s: scan %s started", moment.isoformat(timespec="minutes"), scan_id)
        return started

    def run_worker(self, periodic: bool = True) -> None:
        """Consume jobs until SIGINT (finish the current site, then stop) or SIGTERM (stop now;
        the site is re-queued by the next tick once the lease lapses)."""
        consumer = self.huey.create_consumer(workers=1, worker_type="thread", periodic=periodic,
                                             check_worker_health=True)
        consumer.run()
