"""Fleet scans on the real services: PostgreSQL as the database and Redis as the queue with
several ``auditor worker`` processes. ``make services`` (called by ``.ci/run``) starts both on
127.0.0.1; without them these tests are skipped with the reason, and under ``CI=true`` they
fail instead, so CI can never pass them silently."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from auditor.fleet.store import Store
from tests.fixtures.fleet_fixtures import build_small_site, write_site_list

pytestmark = pytest.mark.browser

REDIS_URL = os.environ.get("AUDITOR_TEST_REDIS", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get("AUDITOR_TEST_POSTGRES", "postgresql://auditor:auditor@127.0.0.1:5432/auditor_test")
AUDITOR = [sys.executable, "-m", "auditor.cli.main"]


def _unavailable(service: str, error: Exception) -> None:
    reason = f"{service} is not reachable ({type(error).__name__}: {str(error).strip()[:120]}); start it with `make services`"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the {service} tests: {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres_url():
    """A schema of its own in the test database (other test runs may share the server)."""
    import sqlalchemy

    from auditor.fleet.store import normalise_db_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        engine = sqlalchemy.create_engine(normalise_db_url(POSTGRES_URL))
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as exc:  # noqa: BLE001 - any failure means: no usable server
        _unavailable("PostgreSQL", exc)
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


@pytest.fixture
def redis_url(monkeypatch):
    """Redis, with a queue name of its own (other test runs may share the server)."""
    name = f"auditor-test-{uuid.uuid4().hex[:12]}"
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        _unavailable("Redis", exc)
    monkeypatch.setenv("AUDITOR_QUEUE_NAME", name)  # inherited by the worker processes
    yield REDIS_URL
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def start_worker(queue: str, db: str, cwd: Path, lease: float = 20.0) -> subprocess.Popen:
    return subprocess.Popen([*AUDITOR, "worker", "--queue", queue, "--db", db, "--lease", str(lease), "-v"],
                            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)


@pytest.fixture
def fleet_sites():
    sites = {f"site-{n}": build_small_site(f"Nr{n}", missing_alt=n % 2 == 0) for n in range(4)}
    for site in sites.values():
        site.start()
    yield sites
    for site in sites.values():
        site.stop()


# --------------------------------------------------------------------------- PostgreSQL


def test_scan_history_and_diff_on_postgresql(postgres_url, fleet_sites, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from auditor.fleet.store.models import Base

    one = dict(list(fleet_sites.items())[:1])
    site_list = write_site_list(tmp_path / "sites.toml", one, max_pages=2)
    for _ in range(2):
        result = run_cli("scan", str(site_list), "--db", postgres_url, "--out", str(tmp_path / "out"), "--delay", "0")
        assert result.exit_code == 0, result.output
    store = Store.open(postgres_url)
    assert store.engine.dialect.name == "postgresql"
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    first, second = store.runs_for_site("site-0")
    assert first.started_at.tzinfo is not None
    assert {f.fingerprint for f in store.findings(first.run_id)} == {f.fingerprint for f in store.findings(second.run_id)}
    diff = run_cli("diff", "--site", "site-0", "--db", postgres_url)
    assert diff.exit_code == 0 and "New findings: 0 · fixed: 0" in diff.output
    assert len(run_cli("history", "site-0", "--db", postgres_url).output.strip().splitlines()) == 3


def test_postgresql_lease_goes_to_exactly_one_of_many_claimants(postgres_url, tmp_path):
    from auditor.fleet.scan import start_scan
    from auditor.settings import AuditSettings
    from auditor.fleet.sitelist import parse_site_list

    store = Store.open(postgres_url)
    entries = parse_site_list('[[site]]\nid = "a"\nstart_urls = ["https://a.example/"]\n', "s.toml")
    scan_id = start_scan(store, entries, AuditSettings(), tmp_path)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def claim(n: int) -> None:
        barrier.wait()
        results.append(store.claim_site(scan_id, "a", f"other-host:{n}:x", 60))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["claimed"] + ["locked"] * 7


# --------------------------------------------------------------------------- Redis


def test_two_workers_on_redis_share_a_fleet_like_one_process(redis_url, postgres_url, fleet_sites, tmp_path):
    db = postgres_url  # results of every worker in the shared PostgreSQL
    site_list = write_site_list(tmp_path / "sites.toml", fleet_sites, max_pages=2)
    # one process, as the reference
    reference = run_cli("scan", str(site_list), "--db", db, "--out", str(tmp_path / "one"), "--delay", "0", "-q")
    assert reference.exit_code == 0, reference.output
    store = Store.open(db)
    hits_per_audit = {key: len(site.hits) for key, site in fleet_sites.items()}
    for site in fleet_sites.values():
        site.clear_hits()

    workers = [start_worker(redis_url, db, tmp_path) for _ in range(2)]
    try:
        result = run_cli("scan", str(site_list), "--db", db, "--queue", redis_url, "--out", str(tmp_path / "many"),
                         "--delay", "0", "-q")
        assert result.exit_code == 0, result.output
        scan_id = result.output.strip().splitlines()[-1]
    finally:
        for worker in workers:
            stop_worker(worker)
    rows = store.scan_sites(scan_id)
    assert [(r.status, r.attempts) for r in rows] == [("done", 1)] * 4  # none lost, none twice
    assert {r.worker.split(":")[1] for r in rows} <= {str(w.pid) for w in workers}
    # no site audited twice: each site saw the requests of exactly one audit
    for key, site in fleet_sites.items():
        assert abs(len(site.hits) - hits_per_audit[key]) <= 1, key
    # same results as one process
    for key in fleet_sites:
        one, many = store.runs_for_site(key)
        assert {f.fingerprint for f in store.findings(one.run_id)} == {f.fingerprint for f in store.findings(many.run_id)}
        assert one.overall_score == pytest.approx(many.overall_score)


def test_a_site_whose_worker_dies_is_audited_again_by_another(redis_url, tmp_path):
    from auditor.fleet.queue import FleetQueue

    release = threading.Event()
    slow = build_small_site("Traag")
    fast_home = slow.routes["/"]

    def slow_home(request):
        release.wait(60)
        return fast_home

    slow.routes["/"] = slow_home
    slow.start()
    db = f"sqlite:///{tmp_path / 'a.db'}"
    first = start_worker(redis_url, db, tmp_path)
    second = None
    try:
        site_list = write_site_list(tmp_path / "sites.toml", {"traag": slow}, max_pages=2)
        result = run_cli("scan", str(site_list), "--db", db, "--queue", redis_url, "--no-wait", "--delay", "0",
                         "--out", str(tmp_path / "out"))
        assert result.exit_code == 0, result.output
        scan_id = result.output.strip().splitlines()[-1]
        store = Store.open(db)
        deadline = time.monotonic() + 60
        while store.scan_site(scan_id, "traag").status != "running":
            assert time.monotonic() < deadline, "the first worker never started the site"
            time.sleep(0.2)
        os.killpg(first.pid, signal.SIGKILL)  # dies mid-site; Huey has already taken the job off the queue
        first.wait(10)
        second = start_worker(redis_url, db, tmp_path)
        release.set()
        # the minute tick of any worker does this; called here so the test need not wait a minute
        FleetQueue(redis_url, db).tick()
        deadline = time.monotonic() + 90
        while store.scan_site(scan_id, "traag").status != "done":
            assert time.monotonic() < deadline, "the site was not audited again"
            time.sleep(0.3)
        row = store.scan_site(scan_id, "traag")
        assert row.attempts == 2 and row.worker.split(":")[1] == str(second.pid)
        assert len(store.runs_for_site("traag")) == 1
    finally:
        release.set()
        stop_worker(first)
        if second is not None:
            stop_worker(second)
        slow.stop()
