"""The fleet database: open it (SQLite file by default, PostgreSQL by URL), migrate it, and
the few operations scans, workers, history and exports need.

Every state change of a site in a scan is one transaction: a finished audit stores its run,
pages, findings and scores, marks the scan site done and releases the site's lease together,
so a crash never leaves a site half-stored or stored twice.
"""

from __future__ import annotations

import os
import socket
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

from sqlalchemy import create_engine, delete, event, func, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from auditor.model import SiteReport
from auditor.fleet.store.models import (
    FindingRow,
    PageRow,
    RunRow,
    ScanRow,
    ScanSiteRow,
    ScoreRow,
    SiteLeaseRow,
    SiteRow,
)

DEFAULT_DB_URL = "sqlite:///results/auditor.db"
MIGRATIONS = Path(__file__).with_name("migrations")

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message is one line for the user."""


def utc(value: Optional[datetime]) -> Optional[datetime]:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def worker_identity() -> str:
    """``host:pid:random``: unique per process, and tells whether a lease holder on this host
    is still alive."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def owner_is_dead(owner: str) -> bool:
    """True when the owner ran on this host and its process is gone (it was killed)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def normalise_db_url(url: Optional[str]) -> str:
    """``postgresql://`` means psycopg 3 (the driver installed with the auditor); a bare path
    is a SQLite file."""
    url = (url or DEFAULT_DB_URL).strip()
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema with the Alembic migrations shipped in the package."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, url: Optional[str] = None, migrate_schema: bool = True) -> "Store":
        url = normalise_db_url(url)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"not a database URL: {url!r}") from None
        options: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                try:
                    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"cannot create the folder of {parsed.database}: {exc.strerror}") from None
            options["connect_args"] = {"timeout": 60}
        else:
            options["pool_pre_ping"] = True
        try:
            engine = create_engine(url, **options)
        except Exception as exc:  # noqa: BLE001 - unknown dialect, missing driver
            raise StoreError(f"cannot open database {parsed.render_as_string(hide_password=True)}: {exc}") from None
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin_immediate)
        store = cls(engine)
        if migrate_schema:
            try:
                migrate(engine)
            except OperationalError as exc:
                raise StoreError(f"cannot open database {parsed.render_as_string(hide_password=True)}: "
                                 f"{str(exc.orig).strip().splitlines()[0]}") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            with session.begin():
                yield session

    # ----------------------------------------------------------------- scans

    def create_scan(self, entries: list, settings: dict[str, Any], out_root: str, source: str = "",
                    trigger: Optional[str] = None) -> Optional[str]:
        """A new scan of these SiteEntry objects; None when ``trigger`` already started one."""
        scan_id = new_id()
        now = now_utc()
        try:
            with self.session() as session:
                session.add(ScanRow(id=scan_id, created_at=now, status=RUNNING, source=source, trigger=trigger,
                                    settings=settings, out_root=out_root))
                session.flush()
                for entry in entries:
                    self._upsert_site(session, entry, now)
                session.flush()
                for position, entry in enumerate(entries):
                    session.add(ScanSiteRow(scan_id=scan_id, site_key=entry.key, position=position,
                                            entry=entry.to_json(), status=PENDING, attempts=0, error="",
                                            worker="", updated_at=now))
        except IntegrityError:
            if trigger is not None:
                return None
            raise
        return scan_id

    def _upsert_site(self, session: Session, entry, now: datetime) -> None:
        row = session.get(SiteRow, entry.key)
        if row is None:
            row = SiteRow(key=entry.key, updated_at=now)
            session.add(row)
        row.organisation = entry.site.organisation
        row.kind = entry.site.kind.value
        row.start_urls = list(entry.site.start_urls)
        row.updated_at = now

    def get_scan(self, scan_id: str) -> Optional[ScanRow]:
        with self.session() as session:
            return session.get(ScanRow, scan_id)

    def scan_sites(self, scan_id: str) -> list[ScanSiteRow]:
        with self.session() as session:
            return list(session.scalars(
                select(ScanSiteRow).where(ScanSiteRow.scan_id == scan_id).order_by(ScanSiteRow.position)))

    def scan_site(self, scan_id: str, site_key: str) -> Optional[ScanSiteRow]:
        with self.session() as session:
            return session.get(ScanSiteRow, (scan_id, site_key))

    def finish_scan_if_complete(self, scan_id: str) -> bool:
        with self.session() as session:
            open_sites = session.scalar(select(func.count()).select_from(ScanSiteRow).where(
                ScanSiteRow.scan_id == scan_id, ScanSiteRow.status.in_([PENDING, RUNNING])))
            if open_sites:
                return False
            session.execute(update(ScanRow).where(ScanRow.id == scan_id, ScanRow.finished_at.is_(None))
                            .values(status=DONE, finished_at=now_utc()))
            return True

    # ----------------------------------------------------------------- leases

    def claim_site(self, scan_id: str, site_key: str, owner: str, lease_s: float) -> str:
        """Try to start auditing a site of a scan. Returns ``"claimed"``, ``"done"`` (already
        completed in this scan: nothing to redo) or ``"locked"`` (another live worker audits it)."""
        now = now_utc()
        expires = now + timedelta(seconds=lease_s)
        with self.session() as session:
            scan_site = session.get(ScanSiteRow, (scan_id, site_key))
            if scan_site is None:
                raise StoreError(f"site {site_key!r} is not part of scan {scan_id}")
            if scan_site.status == DONE:
                return "done"
        if not self._take_lease(site_key, scan_id, owner, now, expires):
            return "locked"
        with self.session() as session:
            changed = session.execute(
                update(ScanSiteRow)
                .where(ScanSiteRow.scan_id == scan_id, ScanSiteRow.site_key == site_key, ScanSiteRow.status != DONE)
                .values(status=RUNNING, attempts=ScanSiteRow.attempts + 1, worker=owner, error="", updated_at=now))
            if changed.rowcount == 0:
                self.release(site_key, owner)
                return "done"
        return "claimed"

    def _take_lease(self, site_key: str, scan_id: str, owner: str, now: datetime, expires: datetime) -> bool:
        try:
            with self.session() as session:
                session.add(SiteLeaseRow(site_key=site_key, owner=owner, scan_id=scan_id, expires_at=expires))
            return True
        except IntegrityError:
            pass
        with self.session() as session:
            lease = session.get(SiteLeaseRow, site_key)
            if lease is None:
                return False  # released in between: the caller retries later
            holder_gone = utc(lease.expires_at) <= now or owner_is_dead(lease.owner)
            if not holder_gone and lease.owner != owner:
                return False
            # compare-and-set on the old owner and expiry: of two workers taking over an expired
            # lease at once, exactly one succeeds
            taken = session.execute(
                update(SiteLeaseRow)
                .where(SiteLeaseRow.site_key == site_key, SiteLeaseRow.owner == lease.owner,
                       SiteLeaseRow.expires_at == lease.expires_at)
                .values(owner=owner, scan_id=scan_id, expires_at=expires))
            return taken.rowcount == 1

    def renew_lease(self, site_key: str, owner: str, lease_s: float) -> bool:
        with self.session() as session:
            renewed = session.execute(
                update(SiteLeaseRow).where(SiteLeaseRow.site_key == site_key, SiteLeaseRow.owner == owner)
                .values(expires_at=now_utc() + timedelta(seconds=lease_s)))
            return renewed.rowcount == 1

    def release(self, site_key: str, owner: str) -> None:
        with self.session() as session:
            session.execute(delete(SiteLeaseRow).where(SiteLeaseRow.site_key == site_key, SiteLeaseRow.owner == owner))

    def abandoned_sites(self, now: Optional[datetime] = None) -> list[tuple[str, str]]:
        """(scan id, site key) of sites marked running whose worker is gone: its lease expired
        or was released without the site being finished, or its process is dead."""
        now = now or now_utc()
        with self.session() as session:
            rows = session.execute(
                select(ScanSiteRow.scan_id, ScanSiteRow.site_key, ScanSiteRow.worker, SiteLeaseRow.owner,
                       SiteLeaseRow.expires_at, SiteLeaseRow.scan_id)
                .join(SiteLeaseRow, SiteLeaseRow.site_key == ScanSiteRow.site_key, isouter=True)
                .where(ScanSiteRow.status == RUNNING)).all()
        abandoned = []
        for scan_id, site_key, worker, lease_owner, expires_at, lease_scan in rows:
            if lease_owner is None or lease_owner != worker or lease_scan != scan_id:
                abandoned.append((scan_id, site_key))
            elif utc(expires_at) <= now or owner_is_dead(lease_owner):
                abandoned.append((scan_id, site_key))
        return abandoned

    def reset_to_pending(self, scan_id: str, site_key: str, reason: str) -> None:
        with self.session() as session:
            session.execute(update(ScanSiteRow)
                            .where(ScanSiteRow.scan_id == scan_id, ScanSiteRow.site_key == site_key,
                                   ScanSiteRow.status == RUNNING)
                            .values(status=PENDING, error=reason, updated_at=now_utc()))

    # ----------------------------------------------------------------- results

    def complete_site(self, scan_id: Optional[str], site_key: str, owner: str, report: SiteReport,
                      out_dir: str) -> None:
        """Store one finished audit and mark its scan site done, in one transaction."""
        now = now_utc()
        with self.session() as session:
            if session.get(SiteRow, site_key) is None:
                session.add(SiteRow(key=site_key, organisation=report.site.organisation,
                                    kind=report.site.kind.value, start_urls=list(report.site.start_urls),
                                    updated_at=now))
                session.flush()
            self._add_run(session, scan_id, site_key, report, out_dir)
            if scan_id is not None:
                session.execute(update(ScanSiteRow)
                                .where(ScanSiteRow.scan_id == scan_id, ScanSiteRow.site_key == site_key)
                                .values(status=DONE, run_id=report.run_id, error="", worker=owner, updated_at=now))
            session.execute(delete(SiteLeaseRow).where(SiteLeaseRow.site_key == site_key, SiteLeaseRow.owner == owner))

    def fail_site(self, scan_id: str, site_key: str, owner: str, error: str, final: bool) -> None:
        """An attempt failed: back to pending for a retry, or failed for good."""
        with self.session() as session:
            session.execute(update(ScanSiteRow)
                            .where(ScanSiteRow.scan_id == scan_id, ScanSiteRow.site_key == site_key,
                                   ScanSiteRow.status != DONE)
                            .values(status=FAILED if final else PENDING, error=error[:2000], updated_at=now_utc()))
            session.execute(delete(SiteLeaseRow).where(SiteLeaseRow.site_key == site_key, SiteLeaseRow.owner == owner))

    def _add_run(self, session: Session, scan_id: Optional[str], site_key: str, report: SiteReport,
                 out_dir: str) -> None:
        method = report.method
        run_id = report.run_id
        session.add(RunRow(
            run_id=run_id, site_key=site_key, scan_id=scan_id, started_at=report.started_at,
            finished_at=report.finished_at, partial=report.partial, assessable=report.assessable,
            not_assessable_reason=report.not_assessable_reason, overall_score=report.overall_score,
            tool_version=method.tool_version, framework_id=method.framework_id,
            framework_version=method.framework_version, axe_version=method.axe_version,
            browser_version=method.browser_version, method=method.model_dump(mode="json"),
            coverage=report.coverage.model_dump(mode="json"), out_dir=out_dir))
        session.flush()
        session.add_all(PageRow(run_id=run_id, url=p.url, final_url=p.final_url, status=p.status.value,
                                http_status=p.http_status, title=p.title[:1000]) for p in report.pages)
        for result in report.results:
            for finding in result.findings:
                session.add(FindingRow(
                    run_id=run_id, fingerprint=finding.fingerprint or f"{finding.check_id}:{finding.rule}:{finding.title}",
                    check_id=finding.check_id, rule=finding.rule, title=finding.title[:1000],
                    outcome=finding.outcome.value, severity=finding.severity.value,
                    occurrences=finding.occurrences, pages_total=finding.pages_total,
                    wcag_sc=",".join(finding.wcag_sc)[:200], first_page=(finding.pages or [""])[0],
                    title_nl=finding.title_nl[:1000]))
            session.add(ScoreRow(run_id=run_id, level="check", ref_id=result.check_id, title=result.summary[:1000],
                                 score=result.score, outcome=result.outcome.value))
        for principle in report.principles:
            session.add(ScoreRow(run_id=run_id, level="principle", ref_id=principle.principle_id,
                                 title=principle.name, score=principle.score, outcome=""))
        for criterion in report.criteria:
            session.add(ScoreRow(run_id=run_id, level="criterion", ref_id=criterion.criterion_id,
                                 title=criterion.title, score=criterion.score, outcome=criterion.outcome.value))

    # ----------------------------------------------------------------- reading

    def site(self, key: str) -> Optional[SiteRow]:
        with self.session() as session:
            return session.get(SiteRow, key)

    def sites(self) -> list[SiteRow]:
        with self.session() as session:
            return list(session.scalars(select(SiteRow).order_by(SiteRow.key)))

    def runs_for_site(self, site_key: str) -> list[RunRow]:
        """Every run of a site, oldest first."""
        with self.session() as session:
            return list(session.scalars(select(RunRow).where(RunRow.site_key == site_key)
                                        .order_by(RunRow.started_at, RunRow.run_id)))

    def run(self, run_id: str) -> Optional[RunRow]:
        with self.session() as session:
            return session.get(RunRow, run_id)

    def runs_of_scan(self, scan_id: str) -> list[RunRow]:
        with self.session() as session:
            return list(session.scalars(select(RunRow).where(RunRow.scan_id == scan_id).order_by(RunRow.site_key)))

    def findings(self, run_id: str) -> list[FindingRow]:
        with self.session() as session:
            return list(session.scalars(select(FindingRow).where(FindingRow.run_id == run_id)
                                        .order_by(FindingRow.fingerprint)))

    def scores(self, run_id: str) -> list[ScoreRow]:
        with self.session() as session:
            return list(session.scalars(select(ScoreRow).where(ScoreRow.run_id == run_id)
                                        .order_by(ScoreRow.level, ScoreRow.ref_id)))

    def latest_runs(self) -> list[tuple[SiteRow, RunRow]]:
        """The newest run of every site that has one, by site key."""
        with self.session() as session:
            newest = (select(RunRow.site_key, func.max(RunRow.started_at).label("started"))
                      .group_by(RunRow.site_key).subquery())
            rows = session.execute(
                select(SiteRow, RunRow)
                .join(RunRow, RunRow.site_key == SiteRow.key)
                .join(newest, (newest.c.site_key == RunRow.site_key) & (newest.c.started == RunRow.started_at))
                .order_by(SiteRow.key)).all()
            seen, result = set(), []
            for site, run in rows:
                if site.key not in seen:
                    seen.add(site.key)
                    result.append((site, run))
            return result


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work while a worker writes; the busy timeout makes concurrent writers
    # (several workers on one machine) wait for each other instead of failing.
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin_immediate
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    # A read-then-write transaction that starts as a reader cannot wait for the write lock
    # (SQLite answers "database is locked" at once); taking the write lock up front makes
    # concurrent workers queue on the busy timeout instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
