"""One Chromium per worker, driven by Playwright's async API, with pages reused.

Debian's Chromium is preferred (``/usr/lib/chromium/chromium``: the real binary, not the
``/usr/bin/chromium`` wrapper); Playwright's own browser is used where one is installed and no
system Chromium is found. The browser is restarted when it crashes or disconnects.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Awaitable, Callable, Optional

from axe_playwright_python.base import AXE_SCRIPT
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright

SYSTEM_CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/lib/chromium-browser/chromium-browser",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
)

# As root Chromium refuses to start without --no-sandbox; QUIC and the GPU only add noise
# and failures on headless servers.
NO_POPUPS_SCRIPT = "window.open = function open() { return null; };"

# Site isolation is off so that cross-site iframes render in their page's process, where the
# page's CDP session (auditor/run/site_audit.py) checks each of their redirect hops against the SSRF guard.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-dev-shm-usage",
                 "--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process")

# Browser features an auditor never uses, switched off to save memory: the omnibox popups'
# WebUI (a renderer of its own, 40-60 MB, created at start-up even when headless). Chromium
# honours only the last --disable-features on its command line, so this list is sent together
# with the features Playwright itself disables (read once per process: playwright_disabled_features).
DISABLED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")


class BrowserNotFound(RuntimeError):
    pass


def find_chromium(explicit: Optional[str] = None) -> Optional[str]:
    """The Chromium binary to drive: the explicit path, ``$AUDITOR_CHROMIUM``, Debian's
    Chromium, or None to let Playwright use its own download."""
    for candidate in (explicit, os.environ.get("AUDITOR_CHROMIUM")):
        if candidate:
            if not Path(candidate).is_file():
                raise BrowserNotFound(f"Chromium not found at {candidate}")
            return candidate
    for candidate in SYSTEM_CHROMIUM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@lru_cache(maxsize=4)
def chromium_version(executable: Optional[str]) -> str:
    """Version of the given binary without launching Playwright ("156.0.8078.108")."""
    binary = executable or shutil.which("chromium") or ""
    if not binary:
        return ""
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    words = [w for w in out.split() if w[:1].isdigit()]
    return words[0] if words else out.strip()


def axe_version() -> str:
    """The axe-core version bundled by axe-playwright-python (read from its banner)."""
    head = AXE_SCRIPT[:200]
    marker = "axe v"
    if marker in head:
        return head.split(marker, 1)[1].split()[0]
    return ""


_playwright_disabled: dict[Optional[str], Optional[tuple[str, ...]]] = {}


def disable_features_value(command_line: str) -> list[str]:
    """Every feature named by the --disable-features switches of a Chromium command line."""
    names: list[str] = []
    for word in command_line.split():
        if word.startswith("--disable-features="):
            names += [name for name in word.split("=", 1)[1].split(",") if name]
    return names


async def playwright_disabled_features(playwright: Playwright, executable: Optional[str]) -> Optional[tuple[str, ...]]:
    """The features Playwright disables on its own Chromium command line, read from
    ``chrome://version`` of a short launch (once per process and binary); None when it cannot
    be read, and then no --disable-features of ours is sent (it would cancel Playwright's)."""
    if executable not in _playwright_disabled:
        found: Optional[tuple[str, ...]] = None
        try:
            browser = await playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
            try:
                page = await browser.new_page()
                await page.goto("chrome://version", timeout=20_000)
                found = tuple(disable_features_value(await page.inner_text("#command_line", timeout=5_000)))
            finally:
                await browser.close()
        except Exception:  # noqa: BLE001 - an unreadable page: Playwright's own list is kept intact
            found = None
        _playwright_disabled[executable] = found
    return _playwright_disabled[executable]


async def launch_args(playwright: Playwright, executable: Optional[str],
                      resolve: Optional[dict[tuple[str, int], str]] = None) -> list[str]:
    """The Chromium flags of a crawl's browser: CHROMIUM_ARGS, the --resolve mappings, and
    DISABLED_FEATURES merged with the features Playwright disables."""
    args = list(CHROMIUM_ARGS) + host_resolver_rules(resolve or {})
    playwright_own = await playwright_disabled_features(playwright, executable)
    if playwright_own is not None:
        args.append("--disable-features=" + ",".join(dict.fromkeys((*playwright_own, *DISABLED_FEATURES))))
    return args


def host_resolver_rules(resolve: dict[tuple[str, int], str]) -> list[str]:
    """``--resolve`` mappings as a Chromium flag, so the browser reaches the same addresses
    as the HTTP client while keeping the real host name (Host header, TLS SNI)."""
    if not resolve:
        return []
    rules = ", ".join(f"MAP {host}:{port} {address}" for (host, port), address in resolve.items())
    return [f"--host-resolver-rules={rules}"]


@dataclass
class BrowserSettings:
    executable: Optional[str] = None
    user_agent: str = ""
    resolve: dict[tuple[str, int], str] = field(default_factory=dict)
    viewport: tuple[int, int] = (1280, 900)
    ignore_https_errors: bool = False
    headless: bool = True


RouteInstaller = Callable[[BrowserContext], Awaitable[None]]


class BrowserSession:
    """A running browser with one context; hands out reused pages to the worker tasks.

    The axe-core script is added as an init script so that it is present in every frame,
    which lets ``axe.run`` cover iframes.
    """

    def __init__(self, settings: BrowserSettings, route_installer: Optional[RouteInstaller] = None):
        self.settings = settings
        self._route_installer = route_installer
        self._playwright: Optional[Playwright] = None
        self.browser: Optional[Browser] = None
        self.context: Optional[BrowserContext] = None
        self.restarts = 0
        self._lock = asyncio.Lock()

    @property
    def version(self) -> str:
        return self.browser.version if self.browser else ""

    async def start(self) -> None:
        if self._playwright is None:
            self._playwright = await async_playwright().start()
        args = await launch_args(self._playwright, self.settings.executable, self.settings.resolve)
        self.browser = await self._playwright.chromium.launch(
            executable_path=self.settings.executable,
            headless=self.settings.headless,
            args=args,
        )
        self.context = await self.browser.new_context(**self._context_options())
        await self.context.add_init_script(AXE_SCRIPT)
        await self._block_popups(self.context)
        if self._route_installer is not None:
            await self._route_installer(self.context)

    def _context_options(self) -> dict:
        width, height = self.settings.viewport
        return dict(
            user_agent=self.settings.user_agent or None,
            viewport={"width": width, "height": height},
            ignore_https_errors=self.settings.ignore_https_errors,
            accept_downloads=False,
            service_workers="block",
        )

    async def fresh_context(self) -> BrowserContext:
        """A new, empty context (no cookies, no storage) with the crawl's settings and routes,
        for probes that must start as a first-time visitor; the caller closes it."""
        if not self.alive:
            await self.restart()
        assert self.browser is not None
        context = await self.browser.new_context(**self._context_options())
        await self._block_popups(context)
        if self._route_installer is not None:
            await self._route_installer(context)
        return context

    @staticmethod
    async def _block_popups(context: BrowserContext) -> None:
        """Pop-ups are not part of the crawl: ``window.open`` answers as a pop-up blocker does
        (null), and a pop-up opened otherwise (a ``target=_blank`` click) is closed at once."""
        await context.add_init_script(NO_POPUPS_SCRIPT)
        context.on("page", _close_popup)

    async def new_page(self) -> Page:
        assert self.context is not None
        page = await self.context.new_page()
        page.on("dialog", _dismiss_dialog)
        return page

    @property
    def alive(self) -> bool:
        return self.browser is not None and self.browser.is_connected()

    async def restart(self) -> None:
        """Start afresh after a crash; callers then ask for new pages."""
        async with self._lock:
            self.restarts += 1
            await self._close_browser()
            await self.start()

    async def _close_browser(self) -> None:
        try:
            if self.context is not None:
                await self.context.close()
        except Exception:  # noqa: BLE001 - a crashed browser cannot close cleanly
            pass
        try:
            if self.browser is not None:
                await self.browser.close()
        except Exception:  # noqa: BLE001
            pass
        self.context = None
        self.browser = None

    async def close(self) -> None:
        await self._close_browser()
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None

    async def __aenter__(self) -> "BrowserSession":
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()


async def _dismiss_dialog(dialog) -> None:
    # alert/confirm/prompt are dismissed (as a visitor closing them); a beforeunload prompt is
    # accepted, since dismissing it would keep the crawler on the page and abort every later visit
    try:
        if dialog.type == "beforeunload":
            await dialog.accept()
        else:
            await dialog.dismiss()
    except Exception:  # noqa: BLE001 - the page may already be gone
        pass


async def _close_popup(page: Page) -> None:
    # the worker's own pages are created through new_page() before this fires for them,
    # so only pages opened by the site (window.open, target=_blank clicks) have an opener
    try:
        if await page.opener() is not None:
            await page.close()
    except Exception:  # noqa: BLE001
        pass
