"""Live progress on stderr while a site is audited: pages discovered, visited, remaining, errors."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.live import Live
from rich.text import Text

from auditor.run.redact import redact_text


def _line(progress) -> Text:
    current = redact_text(progress.current)
    current = current if len(current) <= 70 else current[:67] + "..."
    text = Text()
    text.append(f"{progress.phase:<9}", style="bold")
    text.append(
        f" discovered {progress.discovered} · visited {progress.visited} · "
        f"remaining {progress.remaining} · errors {progress.errors}  "
    )
    text.append(current, style="dim")
    return text


@contextmanager
def live_progress(enabled: bool = True) -> Iterator[Callable]:
    """Yields the callback the runner calls on every change. On a terminal the line is
    redrawn in place; otherwise nothing is printed, so logs stay clean."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda progress: None
        return
    with Live(Text(""), console=console, refresh_per_second=8, transient=True) as live:
        yield lambda progress: live.update(_line(progress))
