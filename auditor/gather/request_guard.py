"""The browser's request guard: every request of the audit browser passes here.

Private addresses outside the audited site are refused (SSRF), with ``--block-third-party``
third parties are too, and pop-ups' requests are never sent. Playwright's routes see a
navigation's first request only, so each redirect hop is checked again through Chromium's Fetch
domain (``guard_redirect_hops``).
"""

from __future__ import annotations

import asyncio
from typing import Callable

from auditor.crawl.address_guard import AddressGuard


class RequestGuard:
    def __init__(self, guard: AddressGuard, is_third_party: Callable[[str], bool], abort_third_parties: bool):
        self.guard = guard
        self.is_third_party = is_third_party
        self.abort_third_parties = abort_third_parties

    async def install(self, context) -> None:
        """Route every request of a browser context (navigations, sub-resources) through the guard."""

        async def route_handler(route):
            url = route.request.url
            if await _from_popup(route.request):
                # a pop-up is closed unaudited; its requests (and so their redirect hops, which
                # no CDP session of ours sees) are never sent
                await route.abort("blockedbyclient")
            elif await self.guard.refuses_url(url) or (self.abort_third_parties and self.is_third_party(url)):
                await route.abort("blockedbyclient")
            else:
                await route.continue_()

        await context.route("**/*", route_handler)

    async def guard_redirect_hops(self, page) -> None:
        """Check each redirect hop of the page's requests, paused in Chromium's Fetch domain."""
        cdp = await page.context.new_cdp_session(page)

        async def on_paused(event) -> None:
            request_id = event["requestId"]
            try:
                if await self.guard.refuses_url(event["request"]["url"]):
                    await cdp.send("Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"})
                else:
                    await cdp.send("Fetch.continueRequest", {"requestId": request_id})
            except Exception:  # noqa: BLE001 - the page or request may be gone
                pass

        cdp.on("Fetch.requestPaused", lambda event: asyncio.ensure_future(on_paused(event)))
        await cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})


async def _from_popup(request) -> bool:
    """True for a request of a page the site opened (``window.open``, ``target=_blank``)."""
    try:
        page = request.frame.page
    except Exception:  # noqa: BLE001 - Playwright: "issued before the frame is created"
        # only a pop-up's first navigation has no frame yet (service workers are blocked)
        return request.is_navigation_request()
    try:
        return await page.opener() is not None
    except Exception:  # noqa: BLE001 - the page is gone
        return False
