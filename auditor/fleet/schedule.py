"""Recurring scans defined in a TOML file with cron expressions (``configs/schedules.example.toml``)::

    [[schedule]]
    name = "gemeenten-wekelijks"
    cron = "0 3 * * 1"                 # minute hour day-of-month month day-of-week (0 = Sunday)
    sites = "sites/example.toml"       # relative to this file
    out = "../results/fleet"           # optional, relative to this file; default results/fleet
    max_pages = 30                     # optional fleet-wide settings: max_pages, max_depth,
                                       # delay, page_timeout, time_budget, block_third_party,
                                       # max_response_mb, max_dom_mb, max_text_chars, max_links,
                                       # max_document_mb

Cron fields accept ``*``, ``*/n``, ``a-b``, ``a-b/n`` and lists ``a,b`` (Huey's ``crontab``);
they are matched against the worker's local time (set ``TZ`` to choose, e.g. Europe/Brussels).
A schedule slot starts at most one scan, however many workers see it come due.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from auditor.settings.limits import SIZE_LIMIT_KEYS, size_limit_problem, size_limit_settings
from auditor.settings import AuditSettings

SCHEDULE_KEYS = {"name", "cron", "sites", "out", "max_pages", "max_depth", "delay", "page_timeout", "time_budget",
                 "block_third_party", *SIZE_LIMIT_KEYS}


class ScheduleError(ValueError):
    """A schedule file that cannot be used; the message is ``FILE:LINE: problem``."""


@dataclass
class Schedule:
    name: str
    cron: str
    sites: Path
    out: Path
    settings: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    matches: Callable[[datetime], bool] = field(default=lambda moment: False, repr=False)

    def audit_settings(self) -> AuditSettings:
        settings = AuditSettings()
        names = {"max_pages": "max_pages", "max_depth": "max_depth", "delay": "delay_s",
                 "page_timeout": "page_timeout_s", "time_budget": "time_budget_s"}
        for key, attribute in names.items():
            if key in self.settings:
                setattr(settings, attribute, self.settings[key])
        if self.settings.get("block_third_party"):
            settings.third_party = "abort"
        for attribute, value in size_limit_settings(self.settings).items():
            setattr(settings, attribute, value)
        return settings

    def trigger(self, moment: datetime) -> str:
        """The id of one schedule slot: a slot starts at most one scan."""
        return f"schedule:{self.name}@{moment.strftime('%Y-%m-%dT%H:%M')}"


def cron_matcher(expression: str) -> Callable[[datetime], bool]:
    """A function telling whether a datetime (to the minute) matches a 5-field cron expression."""
    from huey import crontab

    parts = expression.split()
    if len(parts) != 5:
        raise ValueError(f"a cron expression has 5 fields (minute hour day month day-of-week), got {len(parts)}")
    minute, hour, day, month, day_of_week = parts
    try:
        return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week, strict=True)
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expression!r}: {exc}") from None


def load_schedules(path: Path | str) -> list[Schedule]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScheduleError(f"{path}: file not found") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise ScheduleError(f"{path}:{match.group(1) if match else 1}: not valid TOML: "
                            f"{re.sub(r' [(]at line.*', '', str(exc))}") from None
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, 1) if re.match(r"^\s*\[\[\s*schedule\s*\]\]", line)]
    raw_schedules = data.get("schedule", [])
    if set(data) - {"schedule"} or not isinstance(raw_schedules, list):
        raise ScheduleError(f"{path}:1: expected only [[schedule]] tables")
    schedules, names = [], set()
    for index, raw in enumerate(raw_schedules):
        line = headers[index] if index < len(headers) else 1
        where = f"{path}:{line}"
        unknown = set(raw) - SCHEDULE_KEYS
        if unknown:
            raise ScheduleError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(SCHEDULE_KEYS))})")
        for key in ("name", "cron", "sites"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ScheduleError(f"{where}: schedule needs '{key}' (text)")
        if raw["name"] in names:
            raise ScheduleError(f"{where}: schedule name {raw['name']!r} is used twice")
        names.add(raw["name"])
        try:
            matcher = cron_matcher(raw["cron"])
        except ValueError as exc:
            raise ScheduleError(f"{where}: {exc}") from None
        base = path.parent
        settings = {k: v for k, v in raw.items() if k not in ("name", "cron", "sites", "out")}
        for key, value in settings.items():
            expected = bool if key == "block_third_party" else (int, float)
            if not isinstance(value, expected) or (expected != bool and isinstance(value, bool)):
                raise ScheduleError(f"{where}: {key} must be {'true or false' if expected == bool else 'a number'}")
            if key in SIZE_LIMIT_KEYS and size_limit_problem(key, value):
                raise ScheduleError(f"{where}: {size_limit_problem(key, value)}")
        schedules.append(Schedule(
            name=raw["name"], cron=raw["cron"], sites=(base / raw["sites"]).resolve(),
            out=(base / raw["out"]).resolve() if raw.get("out") else Path("results/fleet").resolve(),
            settings=settings, line=line, matches=matcher))
    return schedules


def due_schedules(schedules: list[Schedule], moment: datetime) -> list[Schedule]:
    return [schedule for schedule in schedules if schedule.matches(moment)]


def start_due_scans(store, schedules: list[Schedule], moment: datetime,
                    enqueue: Callable[[str, str], None]) -> list[str]:
    """Start a scan for every schedule due at ``moment`` and hand each of its sites to
    ``enqueue(scan_id, site_key)``. Returns the ids of the scans started; a slot that already
    started a scan (another worker saw it first) starts nothing."""
    from auditor.fleet.scan import start_scan
    from auditor.fleet.sitelist import load_site_list

    started = []
    for schedule in due_schedules(schedules, moment):
        entries = load_site_list(schedule.sites)
        scan_id = start_scan(store, entries, schedule.audit_settings(), schedule.out, source=str(schedule.sites),
                             trigger=schedule.trigger(moment))
        if scan_id is None:
            continue
        for entry in entries:
            enqueue(scan_id, entry.key)
        started.append(scan_id)
    return started


def next_run(schedule: Schedule, after: datetime, horizon_minutes: int = 366 * 24 * 60) -> Optional[datetime]:
    """The first minute after ``after`` that the schedule fires (for ``auditor worker`` to show)."""
    from datetime import timedelta

    moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(horizon_minutes):
        if schedule.matches(moment):
            return moment
        moment += timedelta(minutes=1)
    return None
