"""``auditor`` with a variation, for the benchmark only (never for a real audit):

    python bench/audit_variant.py [--guard-off | --no-route | --no-fetch-guard] [--visits-per-page N] \
        [--chromium-arg ARG ...]         -- audit URL --out DIR ...

``--guard-off`` switches the browser's SSRF guard off (its Playwright route and its CDP Fetch
interception), to measure what the always-on guard costs; ``--no-route`` and ``--no-fetch-guard``
switch off one of the two. The HTTP client's guard stays (one set lookup per connection).
``--visits-per-page N`` replaces each reused page after N visits instead of
``auditor.run.site_audit.VISITS_PER_PAGE`` (0: never). ``--chromium-arg`` adds a Chromium flag, to measure a flag's effect before it goes into
``auditor.gather.browser.CHROMIUM_ARGS``. The rest are ``auditor`` arguments.
"""

from __future__ import annotations

import argparse
import sys

from auditor.gather import browser, request_guard
from auditor.run import site_audit as runner
from auditor.cli.main import main


async def _no_guard(self, target) -> None:
    return None


def apply_variant(argv: list[str]) -> list[str]:
    """Patch the auditor as ``argv`` asks; return the ``auditor`` arguments that follow ``--``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guard-off", action="store_true")
    parser.add_argument("--no-route", action="store_true")
    parser.add_argument("--no-fetch-guard", action="store_true")
    parser.add_argument("--visits-per-page", type=int)
    parser.add_argument("--chromium-arg", action="append", default=[])
    split = argv.index("--") if "--" in argv else len(argv)
    options = parser.parse_args(argv[:split])
    if options.guard_off or options.no_route:
        request_guard.RequestGuard.install = _no_guard
    if options.guard_off or options.no_fetch_guard:
        request_guard.RequestGuard.guard_redirect_hops = _no_guard
    if options.visits_per_page is not None:
        runner.VISITS_PER_PAGE = options.visits_per_page or 10**9
    browser.CHROMIUM_ARGS = (*browser.CHROMIUM_ARGS, *options.chromium_arg)
    return argv[split + 1:]


if __name__ == "__main__":
    sys.exit(main(apply_variant(sys.argv[1:])))
