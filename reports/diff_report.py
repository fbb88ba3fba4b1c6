"""What changed between two runs of one site (``auditor diff``): as text for a terminal and as
JSON for scripts. The diff itself is computed by ``auditor/fleet/history.py``; this module only
renders it."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Optional

from reports.labels import catalog

__all__ = ["diff_to_dict", "render_diff_json", "render_diff_text"]

MAX_LISTED = 50


def diff_to_dict(diff) -> dict[str, Any]:
    data = asdict(diff)
    data["same_method"] = diff.same_method
    data["counts"] = {"new": len(diff.new), "fixed": len(diff.fixed), "persisting": len(diff.persisting)}
    for change, raw in zip(diff.score_changes, data["score_changes"]):
        raw["delta"] = change.delta
    for key in ("before", "after"):
        started = data[key]["started_at"]
        data[key]["started_at"] = started.isoformat() if started else None
    return data


def render_diff_json(diff) -> str:
    return json.dumps(diff_to_dict(diff), indent=2, ensure_ascii=False)


def render_diff_text(diff, lang: str = "en") -> str:
    """The diff as lines for a terminal, in ``lang`` (text from reports/labels/<lang>.toml)."""
    t = catalog(lang).section("diff")
    levels = t["levels"]
    before, after = diff.before, diff.after
    lines = [
        t["header"].format(site=diff.site_key, run_before=before.run_id, when_before=_when(before.started_at, t),
                           run_after=after.run_id, when_after=_when(after.started_at, t)),
        t["overall"].format(before=_score(before.score), after=_score(after.score),
                            delta=_delta(before.score, after.score)),
    ]
    if diff.method_differences:
        lines.append(t["method_warning"])
        lines += [f"  - {difference}" for difference in diff.method_differences]
    if before.partial or after.partial:
        lines.append(t["partial_note"])
    lines.append(t["counts"].format(new=len(diff.new), fixed=len(diff.fixed), persisting=len(diff.persisting)))
    for heading, mark, changes in ((t["new"], "+", diff.new), (t["fixed"], "-", diff.fixed)):
        if changes:
            lines.append(heading)
            lines += [f"  {mark} {_finding(change, t)}" for change in changes[:MAX_LISTED]]
            if len(changes) > MAX_LISTED:
                lines.append("  " + t["and_more"].format(n=len(changes) - MAX_LISTED))
    changed_counts = [c for c in diff.persisting if c.occurrences_before != c.occurrences_after]
    if changed_counts:
        lines.append(t["persisting_changed"])
        for change in changed_counts[:MAX_LISTED]:
            lines.append(f"  = {_finding(change, t)}: {change.occurrences_before} → {change.occurrences_after}")
    moved = [c for c in diff.score_changes if c.level in ("principle", "criterion")]
    if moved:
        lines.append(t["score_changes"])
        for change in moved:
            if change.before is None and change.after is None:
                values = f"{change.outcome_before or '—'} → {change.outcome_after or '—'}"
            else:
                values = f"{_score(change.before)} → {_score(change.after)}{_delta(change.before, change.after)}"
            lines.append(f"  {levels.get(change.level, change.level)} {change.ref_id} {change.title}: {values}")
    checks = [c for c in diff.score_changes if c.level == "check" and c.outcome_before != c.outcome_after]
    if checks:
        lines.append(t["checks_changed"])
        for change in checks:
            lines.append(f"  {change.ref_id}: {change.outcome_before or '—'} → {change.outcome_after or '—'}")
    return "\n".join(lines) + "\n"


def _finding(change, t) -> str:
    where = t["example"].format(page=change.first_page) if change.first_page else ""
    return f"[{change.severity}] {change.check_id}/{change.rule or '-'}: {change.title}{where}"


def _score(score: Optional[float]) -> str:
    return "—" if score is None else f"{score * 100:.0f}"


def _delta(before: Optional[float], after: Optional[float]) -> str:
    if before is None or after is None:
        return ""
    delta = (after - before) * 100
    return f" ({delta:+.0f})" if abs(delta) >= 0.5 else " (=)"


def _when(moment, t) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else t["unknown_time"]
