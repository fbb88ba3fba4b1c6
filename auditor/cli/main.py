"""The ``auditor`` command. User errors are one line and exit code 1; a missed ``--fail-under``
is exit code 2; logs and progress go to stderr, data to files."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Optional

import click

from auditor import __version__
from auditor.settings.limits import size_limit_options
from auditor.model import Audience, SiteKind, SiteReport

EXIT_OK, EXIT_ERROR, EXIT_THRESHOLD = 0, 1, 2


def _version_text() -> str:
    from auditor.gather.browser import axe_version, chromium_version, find_chromium

    try:
        executable = find_chromium()
    except Exception:  # noqa: BLE001 - a version banner must not fail
        executable = None
    chromium = chromium_version(executable) if executable else "Playwright's bundled Chromium"
    return f"auditor {__version__}\naxe-core {axe_version()}\nChromium {chromium or 'not found'}"


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the versions of the tool, axe-core and Chromium, then exit.")
def main() -> None:
    """Audit public websites against the Flemish digital service strategy
    (digitale dienstverleningsstrategie): accessibility, mobile, security, privacy,
    recognisability, each check mapped to criteria, with scored reports and evidence."""


# --------------------------------------------------------------------------- audit

_KINDS = [k.value for k in SiteKind]
_AUDIENCES = [a.value for a in Audience]


def _parse_resolve(values: tuple[str, ...]) -> dict:
    from auditor.crawl.http import parse_resolve

    mapping = {}
    for value in values:
        try:
            (host, port), address = parse_resolve(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--resolve") from None
        mapping[(host, port)] = address
    return mapping


def _parse_axe_tags(value: str) -> tuple[str, ...]:
    from auditor.shared.wcag import KNOWN_AXE_TAGS

    tags = tuple(dict.fromkeys(t.strip() for t in (value or "").split(",") if t.strip()))
    unknown = [t for t in tags if t not in KNOWN_AXE_TAGS]
    if not tags or unknown:
        raise click.BadParameter(
            f"unknown tag(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(sorted(KNOWN_AXE_TAGS))}",
            param_hint="--axe-tags")
    return tags


def _validate_patterns(values: tuple[str, ...], option: str) -> list[str]:
    import re

    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise click.BadParameter(f"{value!r} is not a regular expression: {exc}", param_hint=option)
    return list(values)


@main.command()
@click.argument("urls", nargs=-1)
@click.option("--site-file", type=click.Path(dir_okay=False), help="TOML file describing the site (URLs and metadata).")
@click.option("--organisation", help="Name of the organisation that owns the site.")
@click.option("--kind", type=click.Choice(_KINDS), help="Kind of organisation (default: other).")
@click.option("--audience", "audiences", multiple=True, type=click.Choice(_AUDIENCES),
              help="Audience of the site; repeat for several (default: citizens).")
@click.option("--out", "out_dir", default="results", show_default=True, type=click.Path(file_okay=False),
              help="Folder for report.html, result.json, findings.csv and the artifacts.")
@click.option("--max-pages", default=50, show_default=True, type=click.IntRange(1, 100_000),
              help="Page budget (must-visit pages such as the privacy statement come on top).")
@click.option("--max-depth", default=10, show_default=True, type=click.IntRange(0, 1_000), help="Link depth from the start URL.")
@click.option("--include", multiple=True, help="Only crawl URLs matching this regular expression (repeatable).")
@click.option("--exclude", multiple=True, help="Never crawl URLs matching this regular expression (repeatable).")
@click.option("--include-subdomains", is_flag=True, help="Also crawl sibling subdomains of the same registrable domain.")
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 8), help="Pages visited at once on one host.")
@click.option("--delay", default=0.25, show_default=True, type=click.FloatRange(0, 60), help="Seconds between request starts on one host.")
@click.option("--time-budget", default=1800.0, show_default=True, type=click.FloatRange(1), help="Seconds for the whole crawl.")
@click.option("--page-timeout", default=30.0, show_default=True, type=click.FloatRange(1, 600), help="Seconds to load one page.")
@click.option("--user-agent", help="User-Agent header (default names the auditor and a contact URL).")
@click.option("--contact-url", help="Contact URL put in the default User-Agent.")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDRESS",
              help="Send requests for HOST:PORT to ADDRESS, as curl does (repeatable).")
@click.option("--chromium", type=click.Path(dir_okay=False), help="Chromium binary (default: Debian's /usr/lib/chromium/chromium).")
@click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
              help="Extra CA certificates (PEM) to trust, e.g. for a staging server.")
@click.option("--block-third-party", is_flag=True, help="Abort requests to other sites (still recorded for the privacy checks).")
@click.option("--framework", type=click.Path(dir_okay=False), help="Criteria framework TOML (default: the digital service strategy).")
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit with code 2 when the overall score (0-100) is lower.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language of the HTML report.")
@click.option("--csv-sep", type=click.Choice([",", ";"]), default=",", show_default=True,
              help="CSV separator; ';' (with decimal comma) for Excel with a Belgian/Dutch locale.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@click.option("--resume", is_flag=True,
              help="Finish the interrupted audit in --out with its recorded site and settings "
                   "(pages already gathered are kept, none is visited twice).")
@click.option("--no-mobile", is_flag=True,
              help="Skip the mobile pass (phone and 320 px renders, page weight); its checks become not applicable.")
@click.option("--mobile-screenshots", is_flag=True,
              help="Save a small JPEG of the phone render of pages that scroll sideways or cut off text (shown in the report).")
@click.option("--budgets", "budgets_file", type=click.Path(dir_okay=False),
              help="Page-weight budgets TOML ([budgets] table; default configs/budgets.toml).")
@click.option("--consent-pages", default=3, show_default=True, type=click.IntRange(-1, 20),
              help="Pages besides the home page measured in a fresh browser before consent (-1: no consent probe).")
@click.option("--axe-tags", default="wcag2a,wcag2aa,wcag21a,wcag21aa", show_default=True,
              help="axe-core rule tags to run, comma-separated (add wcag22aa for WCAG 2.2, best-practice for advice).")
@size_limit_options
def audit(urls, site_file, organisation, kind, audiences, out_dir, max_pages, max_depth, include, exclude,
          include_subdomains, concurrency, delay, time_budget, page_timeout, user_agent, contact_url, resolve,
          chromium, ca_bundle, block_third_party, framework, fail_under, lang, csv_sep, quiet, resume,
          no_mobile, mobile_screenshots, budgets_file, consent_pages, axe_tags, size_limits) -> None:
    """Audit one site starting from URLS and write the reports to --out."""
    from auditor.settings import AuditSettings, default_user_agent
    from auditor.run.site_config import SiteConfigError, build_site, load_site_file

    if resume:
        site, settings = _recorded_run(Path(out_dir))
        report = _run_audit(site, settings, Path(out_dir), quiet=quiet, resume=True)
        _finish(report, Path(out_dir), lang=lang, fail_under=fail_under, csv_sep=csv_sep)
        return

    try:
        if site_file:
            site = load_site_file(site_file, extra_urls=urls)
            overrides = {"organisation": organisation, "kind": kind}
            for key, value in overrides.items():
                if value:
                    setattr(site, key, SiteKind(value) if key == "kind" else value)
                    site.defaulted = [d for d in site.defaulted if d != key]
            if audiences:
                site.audiences = [Audience(a) for a in audiences]
                site.defaulted = [d for d in site.defaulted if d != "audiences"]
        else:
            if not urls:
                raise click.UsageError("give a start URL or --site-file")
            site = build_site(urls, organisation=organisation, kind=kind, audiences=audiences)
    except SiteConfigError as exc:
        raise click.ClickException(str(exc)) from None

    settings = AuditSettings(
        max_pages=max_pages, max_depth=max_depth,
        include=_validate_patterns(include, "--include"), exclude=_validate_patterns(exclude, "--exclude"),
        include_subdomains=include_subdomains, concurrency=concurrency, delay_s=delay,
        time_budget_s=time_budget, page_timeout_s=page_timeout,
        user_agent=user_agent or (default_user_agent(contact_url) if contact_url else default_user_agent()),
        resolve=_parse_resolve(resolve), chromium=chromium, ca_bundle=ca_bundle,
        third_party="abort" if block_third_party else "allow", framework=framework,
        skip_collectors=["mobile"] if no_mobile else [], mobile_screenshots=mobile_screenshots,
        budgets=_load_budgets(budgets_file), axe_tags=_parse_axe_tags(axe_tags), consent_pages=consent_pages,
        **size_limits,
    )
    report = _run_audit(site, settings, Path(out_dir), quiet=quiet)
    _finish(report, Path(out_dir), lang=lang, fail_under=fail_under, csv_sep=csv_sep)


def _load_budgets(path: Optional[str]) -> dict[str, float]:
    from auditor.settings.budgets import BudgetsError, load_budgets

    try:
        return load_budgets(path)
    except BudgetsError as exc:
        raise click.ClickException(str(exc)) from None


def _recorded_run(out_dir: Path):
    """The site and settings an interrupted run recorded, to resume it like for like."""
    from auditor.model import Site
    from auditor.run.run_folder import RunFolder, RunFolderError
    from auditor.settings import AuditSettings

    try:
        meta = RunFolder(out_dir).read_run_meta()
        return Site.model_validate(meta["site"]), AuditSettings.from_method_settings(meta["method"]["settings"])
    except RunFolderError as exc:
        raise click.ClickException(f"nothing to resume: {exc}") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise click.ClickException(f"nothing to resume: {out_dir}/artifacts/run.json is not usable ({exc})") from None


def _run_audit(site, settings, out_dir: Path, quiet: bool, resume: bool = False) -> SiteReport:
    from auditor.gather.browser import BrowserNotFound
    from auditor.score.framework import FrameworkError
    from auditor.cli.progress import live_progress
    from auditor.run.run_folder import RunFolderError
    from auditor.run.site_audit import SiteAudit, RunFolder

    try:
        audit_job = SiteAudit(site, settings, RunFolder(out_dir), resume=resume)
    except FrameworkError as exc:
        raise click.ClickException(str(exc)) from None
    # A shell starting us in the background sets SIGINT to "ignore"; Ctrl-C must always
    # stop the crawl and write what was gathered.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with live_progress(enabled=not quiet) as on_progress:
            audit_job.on_progress = on_progress
            return asyncio.run(audit_job.run())
    except (RunFolderError, BrowserNotFound) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted before any result could be written") from None
    except Exception as exc:  # noqa: BLE001 - say what broke in one line, never a traceback
        if _browser_launch_failure(exc):
            raise click.ClickException(
                "Chromium could not be started: install Debian's chromium package "
                "(apt-get install chromium) or pass --chromium PATH"
            ) from None
        raise click.ClickException(f"the audit failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None


def _browser_launch_failure(exc: Exception) -> bool:
    text = str(exc)
    return "Executable doesn't exist" in text or "BrowserType.launch" in text


def _finish(report: SiteReport, out_dir: Path, lang: str, fail_under: Optional[float], csv_sep: str = ",") -> None:
    from auditor.run.outputs import write_outputs
    from auditor.cli.summary import print_summary

    paths = write_outputs(report, out_dir, lang=lang, csv_sep=csv_sep)
    print_summary(report, paths)
    if not report.assessable:
        click.echo(f"Error: nothing could be audited: {report.not_assessable_reason}", err=True)
        sys.exit(EXIT_ERROR)
    if fail_under is not None:
        overall = (report.overall_score or 0.0) * 100
        if overall < fail_under:
            click.echo(f"score {overall:.0f} is under --fail-under {fail_under:g}", err=True)
            sys.exit(EXIT_THRESHOLD)


# --------------------------------------------------------------------------- rescore


@main.command()
@click.argument("run_dir", type=click.Path(file_okay=False))
@click.option("--framework", type=click.Path(dir_okay=False), help="Criteria framework TOML to score against.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--fail-under", type=click.FloatRange(0, 100))
@click.option("--csv-sep", type=click.Choice([",", ";"]), default=",", show_default=True,
              help="CSV separator; ';' (with decimal comma) for Excel with a Belgian/Dutch locale.")
@click.option("--markers", type=click.Path(dir_okay=False, exists=True),
              help="Flemish marker file to match instead of configs/markers/flemish.toml.")
def rescore(run_dir, framework, lang, fail_under, csv_sep, markers) -> None:
    """Recompute checks, scores and reports from a saved audit, without a browser."""
    from auditor.score.framework import FrameworkError
    from auditor.run.rescore import rescore_run
    from auditor.run.run_folder import RunFolderError
    from auditor.shared.markers import MARKERS_ENV, MarkerError, load_markers

    try:
        if markers:
            load_markers(markers)  # a broken file is one line here, not an error in every check
            os.environ[MARKERS_ENV] = str(Path(markers).resolve())  # rescore's worker processes too
        report = rescore_run(Path(run_dir), framework)
    except (RunFolderError, FrameworkError, MarkerError) as exc:
        raise click.ClickException(str(exc)) from None
    _finish(report, Path(run_dir), lang=lang, fail_under=fail_under, csv_sep=csv_sep)


# --------------------------------------------------------------------------- criteria


@main.command()
@click.option("--framework", type=click.Path(dir_okay=False), help="Framework TOML (default: the digital service strategy).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv"]), default="table", show_default=True)
def criteria(framework, fmt) -> None:
    """Print the criteria framework: principles, criteria, checks and weights."""
    from auditor.cli.criteria_table import print_criteria
    from auditor.score.framework import FrameworkError
    from auditor.score.framework import load_checks_and_framework

    try:
        _, loaded = load_checks_and_framework(framework)
    except FrameworkError as exc:
        raise click.ClickException(str(exc)) from None
    print_criteria(loaded, fmt)


# --------------------------------------------------------------------------- demo


@main.command()
@click.option("--out", "out_dir", default="results/demo", show_default=True, type=click.Path(file_okay=False))
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("-q", "--quiet", is_flag=True)
def demo(out_dir, lang, quiet) -> None:
    """Serve the bundled demo municipality on 127.0.0.1 and audit it."""
    from auditor.cli.demo import serve_demo_site
    from auditor.settings import AuditSettings
    from auditor.run.site_config import build_site

    with serve_demo_site() as base_url:
        click.echo(f"demo site served at {base_url}", err=True)
        site = build_site([base_url], organisation="Gemeente Voorbeeldegem (demo)", kind="municipality",
                          audiences=["citizens", "entrepreneurs"])
        settings = AuditSettings(delay_s=0.0, third_party="abort")
        report = _run_audit(site, settings, Path(out_dir), quiet=quiet)
    _finish(report, Path(out_dir), lang=lang, fail_under=None)


# --------------------------------------------------------------------------- fleet: scan, history, diff, portfolio, worker

from auditor.cli.fleet import register_fleet_commands  # noqa: E402 - the commands live in their own module

register_fleet_commands(main)


if __name__ == "__main__":  # pragma: no cover
    main()
