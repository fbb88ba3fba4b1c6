"""``report.html``: the self-contained site report, Dutch first (``lang="en"`` for English).

Everything in a report that came from a site (titles, snippets, URLs, error messages) is
hostile: the template engine escapes every value (autoescape on), URLs become links only when
they are plain http(s) URLs, and the file loads nothing from elsewhere (CSS is inlined, charts
are inline SVG drawn here, there is no JavaScript).

Its words, in both languages, are data: ``reports/labels/<lang>.toml``, read by reports/labels.py.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Union

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from auditor.model import (
    CheckInfo,
    CheckResult,
    CriterionScore,
    Finding,
    Outcome,
    PageStatus,
    PrincipleScore,
    Severity,
    SiteReport,
    StatementChecklist,
    WcagCoverage,
)
from auditor.shared.urls import display_url, host_of
# the charts are drawn by matplotlib (reports/charts.py); the name is this module's API
from reports.charts import render_bar_chart as svg_bar_chart
from reports.finding_texts import description_in_language, in_language, title_in_language
from reports.how_to_fix import check_guidance_text, finding_fix_links
from reports.labels import LANGUAGES, catalog

__all__ = ["LANGUAGES", "render_html", "safe_href", "svg_bar_chart", "template_environment", "write_html"]

PathLike = Union[str, "os.PathLike[str]"]

_HERE = Path(__file__).parent
TEMPLATE = "report.html.j2"
CSS_FILE = _HERE / "static" / "report.css"

# caps keep a report of a huge site readable; result.json always has everything
MAX_SKIPPED_ROWS = 100
MAX_RESOURCE_ROWS = 200
MAX_BROKEN_ROWS = 200
MAX_PAGES_PER_FINDING = 10
MAX_SNIPPET_CHARS = 1500
TOP_FINDINGS = 5
TOP_CRITERIA = 10  # bars in the findings-by-criterion chart

_OUTCOME_ORDER = {"fail": 0, "warning": 1, "error": 2, "blocked": 3, "explained": 4, "manual": 5,
                  "not_applicable": 6, "pass": 7}

# --------------------------------------------------------------------------- hostile input

_HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def safe_href(url: Any) -> Optional[str]:
    """``url`` if it is a plain http(s) URL that is safe as an ``href``, else ``None``.

    Browsers drop tabs and newlines inside URLs (``java\\tscript:``), so any whitespace or
    control character disqualifies the URL rather than being cleaned away.
    """
    if not isinstance(url, str) or _UNSAFE_IN_URL.search(url):
        return None
    return url if _HTTP_URL.match(url) else None


def _clip(text: Any, limit: int) -> tuple[str, bool]:
    text = "" if text is None else str(text)
    return (text[:limit], True) if len(text) > limit else (text, False)


# --------------------------------------------------------------------------- view model


@dataclass
class _CheckGroup:
    anchor: str
    check_id: str
    result: Optional[CheckResult]
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (anchor, finding)
    criteria: list[tuple[str, CriterionScore]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)  # statement elements, see _checklist


@dataclass
class _PrincipleView:
    anchor: str
    name: str
    principle: Optional[PrincipleScore]
    criteria: list[tuple[str, CriterionScore]] = field(default_factory=list)


def _finding_key(f: Finding) -> tuple:
    return (
        _OUTCOME_ORDER.get(f.outcome.value, 9),
        -f.severity.rank,
        -(f.pages_total or len(f.pages)),
        -f.occurrences,
        f.title,
    )


def _top_key(f: Finding) -> tuple:
    """The most important problems first: failures before warnings, then by reach, the severity's
    weight times the pages affected (a serious template error on every page before a critical one
    on a single page), then by severity."""
    pages = f.pages_total or len(f.pages) or 1
    return (_OUTCOME_ORDER.get(f.outcome.value, 9), -f.severity.weight * pages, -f.severity.rank, -f.occurrences,
            f.title)


def _build_view(report: SiteReport) -> dict[str, Any]:
    # criteria, grouped under their principle in the framework's order
    principles: list[_PrincipleView] = []
    by_id: dict[str, _PrincipleView] = {}
    for i, p in enumerate(report.principles):
        view = _PrincipleView(anchor=f"p-{i + 1}", name=p.name or p.principle_id, principle=p)
        principles.append(view)
        by_id.setdefault(p.principle_id, view)
    criterion_anchor: dict[int, str] = {}
    for i, c in enumerate(report.criteria):
        anchor = f"c-{i + 1}"
        criterion_anchor[id(c)] = anchor
        view = by_id.get(c.principle_id)
        if view is None:
            view = _PrincipleView(anchor=f"p-{len(principles) + 1}", name=c.principle_id,
                                  principle=None)
            principles.append(view)
            by_id[c.principle_id] = view
        view.criteria.append((anchor, c))

    # findings, grouped by check, worst first
    groups: dict[str, _CheckGroup] = {}
    for result in report.results:
        for finding in result.findings:
            group = groups.get(finding.check_id)
            if group is None:
                group = _CheckGroup(anchor="", check_id=finding.check_id,
                                    result=report.result_for(finding.check_id))
                groups[finding.check_id] = group
            group.findings.append(("", finding))
    ordered = sorted(groups.values(),
                     key=lambda g: min(_finding_key(f) for _, f in g.findings))
    finding_anchor: dict[int, str] = {}
    n = 0
    for gi, group in enumerate(ordered):
        group.anchor = f"k-{gi + 1}"
        group.findings.sort(key=lambda af: _finding_key(af[1]))
        numbered = []
        for _, finding in group.findings:
            n += 1
            numbered.append((f"f-{n}", finding))
            finding_anchor[id(finding)] = f"f-{n}"
        group.findings = numbered
        group.checklist = _checklist(group)
        for c in report.criteria:
            if any(ch.check_id == group.check_id for ch in c.checks):
                group.criteria.append((criterion_anchor[id(c)], c))
    group_by_check = {g.check_id: g for g in ordered}

    all_findings = [f for g in ordered for _, f in g.findings]
    problems = [f for f in all_findings if f.outcome in (Outcome.FAIL, Outcome.WARNING)]
    top = [(finding_anchor[id(f)], f) for f in sorted(problems, key=_top_key)[:TOP_FINDINGS]]
    severity_counts = Counter(f.severity.value for f in problems)
    problems_per_check = Counter(f.check_id for f in problems)
    criterion_counts = [
        (criterion_anchor[id(c)], c, sum(problems_per_check[ch] for ch in {ch.check_id for ch in c.checks}))
        for c in report.criteria
    ]
    # the criteria with the most failed or warning findings, in the framework's order on ties
    top_criteria = sorted((row for row in criterion_counts if row[2]), key=lambda row: -row[2])[:TOP_CRITERIA]

    skipped_counts = Counter(s.reason.value for s in report.skipped)
    return {
        "principles": principles,
        "groups": ordered,
        "group_by_check": group_by_check,
        "top": top,
        "severity_counts": severity_counts,
        "top_criteria": top_criteria,
        "findings_total": len(all_findings),
        "skipped_counts": skipped_counts.most_common(),
        "skipped_rows": report.skipped[:MAX_SKIPPED_ROWS],
        "resource_rows": report.resources[:MAX_RESOURCE_ROWS],
        "broken_rows": report.broken_links[:MAX_BROKEN_ROWS],
        "manual_total": sum(p.criteria_manual for p in report.principles),
        "wcag": _wcag_view(report, all_findings),
        "scored_total": sum(p.criteria_scored for p in report.principles),
        "criteria_total": sum(p.criteria_total for p in report.principles),
    }


def _checklist(group: _CheckGroup) -> list[dict[str, Any]]:
    """A statement-content check (its result lists the required elements of the statement, see
    ``StatementChecklist``; one finding per element) as a checklist: element, outcome, the
    sentences that prove it or what was expected, in the order the check lists the elements."""
    checklist = StatementChecklist.from_result(group.result)
    if checklist is None:
        return []
    by_rule = {finding.rule: (anchor, finding) for anchor, finding in group.findings}
    rows = []
    for rule in checklist.elements:
        if rule not in by_rule:
            continue
        anchor, finding = by_rule[rule]
        evidence = finding.evidence
        rows.append({
            "anchor": anchor, "element": checklist.name(rule), "element_nl": checklist.name_nl(rule),
            "outcome": finding.outcome,
            "finding": finding, "proof": [e.snippet for e in evidence if e.snippet],
            "value": next((e.value for e in evidence if e.value), ""),
            "expected": next((e.expected for e in evidence if e.expected), ""),
        })
    return rows


def _wcag_view(report: SiteReport, findings: list[Finding]) -> Optional[dict[str, Any]]:
    """Per WCAG principle: criteria tested automatically (from the ``wcag-coverage`` result),
    criteria with failures and criteria a person must assess (including axe's review items)."""
    coverage = WcagCoverage.from_result(report.result_for(WcagCoverage.CHECK_ID))
    if coverage is None:
        return None
    failing = {sc for f in findings if f.outcome in (Outcome.FAIL, Outcome.WARNING) for sc in f.wcag_sc}
    to_review = {sc for f in findings if f.outcome == Outcome.MANUAL for sc in f.wcag_sc}
    rows = []
    for name, principle in coverage.principles.items():
        automated = list(principle.automated)
        manual = list(principle.manual)
        manual += [sc for sc in sorted(to_review) if sc in automated and sc not in manual
                   and sc.startswith(principle.number + ".")]
        rows.append({"name": name, "automated": automated,
                     "failing": [sc for sc in automated if sc in failing], "manual": manual})
    return {"version": coverage.wcag_version, "rows": rows}


# --------------------------------------------------------------------------- rendering


class _Formatter:
    """Language-aware formatting helpers handed to the template."""

    def __init__(self, lang: str):
        self.lang = lang
        labels = catalog(lang)  # reports/labels/<lang>.toml
        self.t = labels.labels
        self.values = labels.values
        self.months = labels.months

    def tr(self, key: str, **kw: Any) -> str:
        text = self.t[key]
        return text.format(**kw) if kw else text

    def value(self, kind: str, value: Any) -> str:
        raw = getattr(value, "value", value)
        return self.values.get(kind, {}).get(str(raw), str(raw))

    def score(self, score: Optional[float]) -> str:
        if score is None:
            return self.t["not_scored"]
        return f"{round(score * 100)}%"

    def number(self, value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            text = f"{value:.2f}".rstrip("0").rstrip(".")
        else:
            text = str(value)
        return text.replace(".", ",") if self.lang == "nl" else text

    def size(self, size: Optional[int]) -> str:
        if size is None:
            return self.t["unknown"]
        value, unit = float(size), "B"
        for unit in ("B", "kB", "MB", "GB"):
            if value < 1000 or unit == "GB":
                break
            value /= 1000
        return f"{self.number(round(value, 1)) if unit != 'B' else int(value)} {unit}"

    def datetime(self, moment: Optional[datetime]) -> str:
        if moment is None:
            return self.t["not_finished"]
        local = _to_brussels(moment)
        return self.t["dt_format"].format(
            day=local.day, month=self.months[local.month - 1], year=local.year,
            time=f"{local:%H:%M} {local.tzname() or 'UTC'}",
        )

    def outcome(self, outcome: Any) -> Markup:
        raw = str(getattr(outcome, "value", outcome))
        css = raw if raw in _OUTCOME_ORDER else "other"
        return Markup('<span class="badge badge-{}">{}</span>').format(
            css, self.value("outcome", raw)
        )

    def severity(self, severity: Any) -> Markup:
        raw = str(getattr(severity, "value", severity))
        css = raw if raw in {s.value for s in Severity} else "other"
        return Markup('<span class="sev sev-{}">{}</span>').format(
            css, self.value("severity", raw)
        )

    def page_status(self, status: Any) -> Markup:
        raw = str(getattr(status, "value", status))
        css = "ok" if raw == PageStatus.OK.value else (
            "blocked" if raw == PageStatus.BLOCKED.value else "failed")
        return Markup('<span class="badge badge-page-{}">{}</span>').format(
            css, self.value("page_status", raw)
        )

    def limits(self, names: Any) -> str:
        """The limits a page hit, in the report's language ("" for none)."""
        return ", ".join(self.value("limit", str(name)) for name in names or [])

    def limits_summary(self, counts: Any) -> str:
        """Every limit hit in the run with how often, e.g. "links per page limit (2×)"."""
        return ", ".join(f"{self.value('limit', str(name))} ({count}×)" for name, count in (counts or {}).items())

    def finding_title(self, finding: Finding) -> Union[str, Markup]:
        """A finding's title in the report's language (reports/finding_texts.py): result.json
        keeps axe's English help and our checks' English titles."""
        return title_in_language(finding.check_id, finding.rule, finding.title, finding.title_nl, self.lang)

    def finding_description(self, finding: Finding) -> Union[str, Markup]:
        return description_in_language(finding.check_id, finding.rule, finding.description,
                                       finding.description_nl, self.lang)

    def check_title(self, info: Optional[CheckInfo], check_id: str = "", failed: bool = False) -> str:
        """A check's title (its failure title with ``failed``) in the report's language; the
        check id when the report has no metadata for it."""
        if info is None:
            return check_id
        if failed:
            return self.in_language(info.failure_title, info.failure_title_nl)
        return self.in_language(info.title, info.title_nl)

    def result_summary(self, result: Optional[CheckResult]) -> str:
        """A check result's one-line summary in the report's language ("" for none)."""
        return self.in_language(result.summary, result.summary_nl) if result else ""

    def in_language(self, english: str, dutch: str) -> str:
        """``dutch`` in a Dutch report when the check gave it, else ``english``."""
        return in_language(english, dutch, self.lang)

    def link(self, url: Any, text: Any = None) -> Markup:
        """A link when the URL is safe, else the URL as plain text; always escaped."""
        href = safe_href(url)
        # an unsafe URL is shown as itself, so a friendly text never hides what it is
        # a host name in punycode is shown in Unicode when that is safe (auditor.shared.urls.display_url)
        shown = display_url(str(url if (href is None or text in (None, "")) else text))
        shown, clipped = _clip(shown, 300)
        if clipped:
            shown += "…"
        if href is None:
            return Markup('<span class="url">{}</span>').format(shown)
        return Markup('<a class="url" href="{}" rel="nofollow noreferrer">{}</a>').format(
            href, shown
        )

    def fix_links(self, finding: Finding, info: Optional[CheckInfo], check_anchor: str) -> list[Markup]:
        """The how-to-fix links of a finding (see reports/how_to_fix.py), each a safe link."""
        return [self.link(fix.href, self.tr(f"fix_{fix.kind}", subject=fix.subject))
                if not fix.href.startswith("#") else
                Markup('<a href="{}">{}</a>').format(fix.href, self.tr(f"fix_{fix.kind}", subject=fix.subject))
                for fix in finding_fix_links(finding, info, check_anchor)]

    def guidance(self, info: Optional[CheckInfo]) -> Optional[dict[str, Any]]:
        """A check's how-to-fix text in the report's language and a link to more, or None."""
        if info is None or info.guidance is None:
            return None
        url = info.guidance.url
        host = host_of(url) if safe_href(url) else ""
        return {"text": check_guidance_text(info.guidance, self.lang),
                "link": self.link(url, self.tr("fix_more", host=host)) if host else None}

    def snippet(self, text: Any) -> tuple[str, bool]:
        return _clip(text, MAX_SNIPPET_CHARS)

    def setting(self, value: Any) -> str:
        if isinstance(value, bool):
            return self.t["yes"] if value else self.t["no"]
        if isinstance(value, (int, float)):
            return self.number(value)
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, default=str)


def _to_brussels(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Brussels"))
    except Exception:  # no time zone database on this machine: say UTC
        return moment.astimezone(timezone.utc)


@lru_cache(maxsize=1)
def template_environment() -> Environment:
    """The jinja2 environment over reports/templates/ shared by every HTML renderer: autoescape on
    (every value from a site is hostile), undefined names are errors, whitespace trimmed."""
    env = Environment(
        loader=FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,  # every value from a site is hostile
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


@lru_cache(maxsize=1)
def _css() -> Markup:
    css = CSS_FILE.read_text(encoding="utf-8")
    if "</" in css:  # our own file, but never let it close the <style> element
        raise ValueError(f"{CSS_FILE} must not contain '</'")
    return Markup(css)


def render_html(report: SiteReport, lang: str = "nl") -> str:
    """The report as one self-contained HTML document (``lang`` is ``"nl"`` or ``"en"``)."""
    fmt = _Formatter(lang)  # an unknown language is a ValueError
    view = _build_view(report)

    principle_rows = [
        (pv.name, pv.principle.score if pv.principle else None,
         fmt.score(pv.principle.score if pv.principle else None))
        for pv in view["principles"]
    ]
    charts = {
        "principles": svg_bar_chart(
            principle_rows, title=fmt.tr("principle_scores"),
            desc=fmt.tr("chart_principles_desc"), chart_id="chart-principles",
        ) if principle_rows else None,
    }
    if view["severity_counts"]:
        most = max(view["severity_counts"].values())
        sev_rows = [
            (fmt.value("severity", s.value), view["severity_counts"][s.value] / most,
             str(view["severity_counts"][s.value]))
            for s in Severity if view["severity_counts"].get(s.value)
        ]
        charts["severity"] = svg_bar_chart(
            sev_rows, title=fmt.tr("severity_chart"), desc=fmt.tr("chart_severity_desc"),
            chart_id="chart-severity", colour="#8b2c1f",
        )
    else:
        charts["severity"] = None
    if view["top_criteria"]:
        most = view["top_criteria"][0][2]
        charts["criteria"] = svg_bar_chart(
            [(f"{c.criterion_id} {c.title}", count / most, str(count)) for _, c, count in view["top_criteria"]],
            title=fmt.tr("criterion_chart"), desc=fmt.tr("chart_criterion_desc"),
            chart_id="chart-criteria", colour="#8b2c1f",
        )
    else:
        charts["criteria"] = None
    changes = report.changes
    if changes is not None and len(changes.trend) >= 2:
        trend_rows = [(fmt.datetime(point.started_at), point.score, fmt.score(point.score))
                      for point in changes.trend[-12:]]
        charts["trend"] = svg_bar_chart(
            trend_rows, title=fmt.tr("trend_chart"), desc=fmt.tr("trend_chart_desc"), chart_id="chart-trend",
        )
    else:
        charts["trend"] = None

    site = report.site
    defaulted = [fmt.value("field", name) for name in site.defaulted]
    return template_environment().get_template(TEMPLATE).render(
        r=report,
        lang=lang,
        f=fmt,
        tr=fmt.tr,
        v=view,
        charts=charts,
        css=_css(),
        site_name=site.name,
        defaulted=defaulted,
        limits={"skipped": MAX_SKIPPED_ROWS, "resources": MAX_RESOURCE_ROWS,
                "broken": MAX_BROKEN_ROWS, "pages_per_finding": MAX_PAGES_PER_FINDING},
    )


def write_html(report: SiteReport, path: PathLike, lang: str = "nl") -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, lang=lang), encoding="utf-8")
    return path
