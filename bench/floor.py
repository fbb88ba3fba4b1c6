"""The floor: the least a browser-based audit can do — goto + axe on one reused page, in the
same Chromium, for a list of URLs. Run as its own process by ``bench/run.py``.

    python bench/floor.py URL_FILE CONCURRENCY
"""

from __future__ import annotations

import asyncio
import sys

from axe_playwright_python.base import AXE_SCRIPT
from playwright.async_api import async_playwright

from auditor.gather.browser import find_chromium, launch_args

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"], "iframes": True}


async def main(urls: list[str], concurrency: int) -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    async with async_playwright() as playwright:
        executable = find_chromium()
        # the same flags as the audit's browser, so that the two compare like with like
        browser = await playwright.chromium.launch(executable_path=executable, args=await launch_args(playwright, executable))
        context = await browser.new_context()
        await context.add_init_script(AXE_SCRIPT)

        async def worker() -> None:
            page = await context.new_page()
            while not queue.empty():
                url = queue.get_nowait()
                await page.goto(url, wait_until="load")
                await page.evaluate("(o) => axe.run(document, o)", AXE_OPTIONS)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        url_list = [line.strip() for line in handle if line.strip()]
    asyncio.run(main(url_list, int(sys.argv[2]) if len(sys.argv) > 2 else 1))
