"""The fleet commands of ``auditor``: scan, history, diff, portfolio, worker.

Registered on the main command group by ``auditor/cli/main.py``. User errors are one line and exit
code 1, as everywhere in the CLI; summaries and progress go to stderr, data to stdout or files.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import time
from pathlib import Path
from typing import Optional

import click

from auditor.fleet.defaults import DEFAULT_LEASE_S, DEFAULT_OUT_ROOT
from auditor.settings.limits import size_limit_options

DB_HELP = "Database URL: a SQLite file (default results/auditor.db) or postgresql://user:pass@host/db. Env: AUDITOR_DB."
QUEUE_HELP = "Task queue: a SQLite file (default results/queue.db) or redis://host:6379/0. Env: AUDITOR_QUEUE."

db_option = click.option("--db", "db_url", envvar="AUDITOR_DB", help=DB_HELP)


def _open_store(db_url: Optional[str]):
    from auditor.fleet.store import Store, StoreError

    try:
        return Store.open(db_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def register_fleet_commands(main: click.Group) -> None:
    for command in (scan, history, diff, portfolio, worker):
        main.add_command(command)


# --------------------------------------------------------------------------- scan


@click.command()
@click.argument("sites", required=False, type=click.Path(dir_okay=False))
@db_option
@click.option("--out", "out_root", default=DEFAULT_OUT_ROOT, show_default=True, type=click.Path(file_okay=False),
              help="Reports go to OUT/<site>/<run-id>/.")
@click.option("--resume", "resume_id", metavar="SCAN_ID", help="Finish an interrupted scan: completed sites are kept.")
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 4),
              help="Sites audited at once in this process (each with its own browser).")
@click.option("--queue", "queue_url", envvar="AUDITOR_QUEUE",
              help="Put the sites on this task queue for `auditor worker` processes instead of auditing here. "
                   + QUEUE_HELP)
@click.option("--wait/--no-wait", default=True, show_default=True, help="With --queue: wait until the scan is done.")
@click.option("--max-pages", default=50, show_default=True, type=click.IntRange(1, 100_000),
              help="Page budget of a site whose list entry sets none.")
@click.option("--max-depth", default=10, show_default=True, type=click.IntRange(0, 1_000))
@click.option("--delay", default=0.25, show_default=True, type=click.FloatRange(0, 60),
              help="Seconds between request starts on one host.")
@click.option("--page-timeout", default=30.0, show_default=True, type=click.FloatRange(1, 600))
@click.option("--time-budget", default=1800.0, show_default=True, type=click.FloatRange(1),
              help="Seconds per site (a site list entry may set its own).")
@click.option("--block-third-party", is_flag=True, help="Abort requests to other sites (still recorded).")
@click.option("--chromium", type=click.Path(dir_okay=False), help="Chromium binary.")
@click.option("--framework", type=click.Path(dir_okay=False), help="Criteria framework TOML.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="Only the final summary.")
@size_limit_options
def scan(sites, db_url, out_root, resume_id, concurrency, queue_url, wait, max_pages, max_depth, delay, page_timeout,
         time_budget, block_third_party, chromium, framework, lang, quiet, size_limits) -> None:
    """Audit every site of a site list (TOML or CSV) and store the results in the database."""
    from auditor.fleet.scan import start_scan
    from auditor.score.framework import FrameworkError
    from auditor.score.framework import load_checks_and_framework
    from auditor.settings import AuditSettings
    from auditor.fleet.sitelist import SiteListError, load_site_list

    if not sites and not resume_id:
        raise click.UsageError("give a site list (SITES) or --resume SCAN_ID")
    store = _open_store(db_url)
    if resume_id:
        if sites:
            raise click.UsageError("--resume takes the sites of the interrupted scan; give no SITES with it")
        if store.get_scan(resume_id) is None:
            raise click.ClickException(f"no scan {resume_id!r} in the database")
        scan_id = resume_id
    else:
        try:
            entries = load_site_list(sites)
            load_checks_and_framework(framework)  # a broken framework file fails now, not on every site
        except (SiteListError, FrameworkError) as exc:
            raise click.ClickException(str(exc)) from None
        settings = AuditSettings(max_pages=max_pages, max_depth=max_depth, delay_s=delay, page_timeout_s=page_timeout,
                                 time_budget_s=time_budget, chromium=chromium, framework=framework,
                                 third_party="abort" if block_third_party else "allow", **size_limits)
        scan_id = start_scan(store, entries, settings, out_root, source=str(sites))
    total = len(store.scan_sites(scan_id))
    done_before = sum(1 for row in store.scan_sites(scan_id) if row.status == "done")
    click.echo(f"scan {scan_id}: {total} site(s), {done_before} already done "
               f"(resume with: auditor scan --resume {scan_id})", err=True)
    if queue_url:
        _scan_on_queue(store, scan_id, queue_url, db_url, wait, quiet)
        return
    _scan_here(store, scan_id, total, concurrency, lang, quiet)


def _scan_here(store, scan_id: str, total: int, concurrency: int, lang: str, quiet: bool) -> None:
    from auditor.fleet.scan import AUDITED, run_scan, scan_progress

    finished = [0]

    def on_outcome(outcome) -> None:
        finished[0] += 1
        if quiet:
            return
        score = "" if outcome.score is None else f", score {outcome.score * 100:.0f}"
        detail = f" ({outcome.error})" if outcome.error else ""
        where = f" → {outcome.out_dir}" if outcome.status == AUDITED else ""
        click.echo(f"[{finished[0]}/{total}] {outcome.site_key}: {outcome.status}{score}{detail}{where}", err=True)

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        summary = asyncio.run(run_scan(store, scan_id, concurrency=concurrency, lang=lang, on_outcome=on_outcome))
    except KeyboardInterrupt:
        summary = None
    counts = scan_progress(store, scan_id)
    line = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if summary is None or summary.interrupted:
        raise click.ClickException(f"scan {scan_id} interrupted ({line}); resume with: auditor scan --resume {scan_id}")
    click.echo(f"scan {scan_id} finished: {line}", err=True)
    if counts.get("failed") or counts.get("pending"):
        click.echo(f"Error: not every site could be audited; see auditor scan --resume {scan_id} to retry", err=True)
        sys.exit(1)


def _scan_on_queue(store, scan_id: str, queue_url: str, db_url: Optional[str], wait: bool, quiet: bool) -> None:
    from auditor.fleet.scan import scan_progress
    from auditor.fleet.queue import FleetQueue, QueueError

    try:
        queue = FleetQueue(queue_url, db_url)
        queue._store = store
        queued = queue.enqueue_scan(scan_id)
    except QueueError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - e.g. Redis not reachable
        raise click.ClickException(f"cannot put jobs on the queue {queue_url}: {type(exc).__name__}: {exc}") from None
    click.echo(f"scan {scan_id}: {queued} site(s) queued on {queue_url}; `auditor worker` processes audit them", err=True)
    if not wait:
        click.echo(scan_id)
        return
    last = None
    while True:
        counts = scan_progress(store, scan_id)
        line = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        if line != last and not quiet:
            click.echo(f"scan {scan_id}: {line}", err=True)
            last = line
        if not counts.get("pending") and not counts.get("running"):
            break
        time.sleep(1.0)
    store.finish_scan_if_complete(scan_id)
    click.echo(scan_id)
    if counts.get("failed"):
        sys.exit(1)


# --------------------------------------------------------------------------- history and diff


@click.command()
@click.argument("site")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def history(site, db_url, fmt) -> None:
    """Show the score trend of SITE (its id in the site list), one line per run."""
    from auditor.fleet.history import HistoryError, score_trend

    store = _open_store(db_url)
    try:
        points = score_trend(store, site)
    except HistoryError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps([{**p.__dict__, "started_at": p.started_at.isoformat() if p.started_at else None}
                               for p in points], indent=2, ensure_ascii=False))
        return
    if not points:
        click.echo(f"{site}: no runs yet")
        return
    click.echo(f"{'date (UTC)':<17} {'run':<12} {'score':>5} {'Δ':>4} {'findings':>8}  method")
    previous, previous_method = None, None
    for point in points:
        score = "—" if point.score is None else f"{point.score * 100:.0f}"
        delta = ""
        if point.score is not None and previous is not None:
            delta = f"{(point.score - previous) * 100:+.0f}"
        flags = []
        if point.partial:
            flags.append("partial")
        if not point.assessable:
            flags.append("not assessable")
        if previous_method is not None and point.method != previous_method:
            flags.append("method changed")
        bar = "█" * round((point.score or 0) * 20)
        when = point.started_at.strftime("%Y-%m-%d %H:%M") if point.started_at else "?"
        click.echo(f"{when:<17} {point.run_id:<12} {score:>5} {delta:>4} {point.findings:>8}  {point.method}"
                   f"{' [' + ', '.join(flags) + ']' if flags else ''}  {bar}")
        previous = point.score if point.score is not None else previous
        previous_method = point.method


@click.command()
@click.argument("runs", nargs=-1)
@click.option("--site", help="Compare the two latest runs of this site.")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(runs, site, db_url, fmt) -> None:
    """Show new, fixed and persisting findings and score changes between RUN_A and RUN_B
    (or the two latest runs of --site)."""
    from auditor.fleet.history import HistoryError, diff_runs, latest_two_runs
    from reports.diff_report import render_diff_json, render_diff_text

    if site and runs:
        raise click.UsageError("give either two run ids or --site, not both")
    if not site and len(runs) != 2:
        raise click.UsageError("give two run ids (RUN_A RUN_B) or --site SITE")
    store = _open_store(db_url)
    try:
        run_a, run_b = latest_two_runs(store, site) if site else runs
        result = diff_runs(store, run_a, run_b)
    except HistoryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(render_diff_json(result) if fmt == "json" else render_diff_text(result), nl=fmt == "json")


# --------------------------------------------------------------------------- portfolio

PORTFOLIO_TITLES = {"en": "Portfolio of audited sites", "nl": "Portfolio van de geauditeerde sites"}


@click.command()
@db_option
@click.option("--out", "out_dir", default="results/portfolio", show_default=True, type=click.Path(file_okay=False))
@click.option("--csv-sep", type=click.Choice([",", ";"]), default=",", show_default=True,
              help="CSV separator; ';' (with decimal comma) for Excel with a Belgian/Dutch locale.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of portfolio.html.")
def portfolio(db_url, out_dir, csv_sep, lang) -> None:
    """Export the latest run of every site: portfolio.csv, portfolio.xlsx and portfolio.html."""
    from auditor.fleet.history import common_findings, portfolio_rows, principle_names
    from reports.portfolio import write_portfolio_csv, write_portfolio_html, write_portfolio_xlsx

    store = _open_store(db_url)
    rows = portfolio_rows(store)
    if not rows:
        raise click.ClickException("the database holds no runs yet: run auditor scan first")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create {out}: {exc.strerror}") from None
    paths = [write_portfolio_csv(rows, out / "portfolio.csv", sep=csv_sep), write_portfolio_xlsx(rows, out / "portfolio.xlsx"),
             write_portfolio_html(rows, out / "portfolio.html", title=PORTFOLIO_TITLES[lang],
                                  common=common_findings(store), lang=lang,
                                  principle_names=principle_names(rows, lang))]
    click.echo(f"{len(rows)} site(s): " + ", ".join(str(p) for p in paths), err=True)


# --------------------------------------------------------------------------- worker


@click.command()
@click.option("--queue", "queue_url", envvar="AUDITOR_QUEUE", help=QUEUE_HELP)
@db_option
@click.option("--schedules", type=click.Path(dir_okay=False), help="Schedules TOML (cron expressions) to run.")
@click.option("--lease", "lease_s", default=DEFAULT_LEASE_S, show_default=True, type=click.FloatRange(5, 3600),
              help="Seconds after which a site whose worker stopped renewing its lock is audited again.")
@click.option("--no-periodic", is_flag=True, help="Do not run the minute tick (schedules and re-queueing).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Log every job.")
def worker(queue_url, db_url, schedules, lease_s, no_periodic, lang, verbose) -> None:
    """Run a queue worker: audits one site at a time (one browser), and every minute starts the
    scans whose schedule is due and re-queues sites whose worker died. Ctrl-C finishes the
    current site; SIGTERM stops at once (the site is audited again later)."""
    from auditor.fleet.queue import FleetQueue, QueueError
    from auditor.fleet.schedule import ScheduleError, load_schedules, next_run

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("auditor.fleet.queue").setLevel(logging.INFO)
    try:
        loaded = load_schedules(schedules) if schedules else []
        queue = FleetQueue(queue_url, db_url, schedules=loaded, lease_s=lease_s, lang=lang)
        queue.store()
    except (ScheduleError, QueueError) as exc:
        raise click.ClickException(str(exc)) from None
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - database or Redis not reachable
        raise click.ClickException(f"cannot start the worker: {type(exc).__name__}: {exc}") from None
    from datetime import datetime

    for schedule in loaded:
        upcoming = next_run(schedule, datetime.now())
        click.echo(f"schedule {schedule.name} ({schedule.cron}): next at "
                   f"{upcoming.isoformat(timespec='minutes') if upcoming else 'never'}", err=True)
    click.echo(f"worker {queue.owner} on {queue_url or 'results/queue.db'}", err=True)
    queue.run_worker(periodic=not no_periodic)
