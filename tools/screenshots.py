"""``make screenshots``: the dashboard's main pages rendered in headless Chromium into
docs/img/, for the README. Not part of ``make test``.

    python -m tools.screenshots [--out docs/img]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tools.browser import ROOT, browser, served

WAIT = 240_000
#: An element at the top of the view with its title in sight: scrolled to the top of the page's
#: scrolling container, then back a little.
SCROLL_TO_TOP = """e => {
    e.scrollIntoView({block: 'start'});
    let box = e.parentElement;
    while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
    if (box) box.scrollTop -= 60;
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=WAIT)
    with served(env={"SIB_DASHBOARD_REPS": "500"}) as url, sync_playwright() as p:
        b = browser(p)
        page = b.new_page(viewport={"width": 1440, "height": 1100})
        page.set_default_timeout(WAIT)

        def shot(name: str) -> None:
            page.mouse.move(700, 5)  # off the charts and the sidebar: no toolbar drawn over a title
            page.wait_for_timeout(1500)  # charts finish drawing
            path = args.out / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
            print(f"wrote {path}")

        page.goto(url)
        expect(page.get_by_role("heading", name="Vad vill ni veta?")).to_be_visible()
        shot("start")
        for key, question in (("budget", "Vad kostar olika utfallsandelar oss per budgetår?"), ("guarantee", "Vad ändrar en garanti?")):
            page.get_by_role("link", name="Start: tre frågor").click()
            page.get_by_role("button", name=question).click()
            heading = page.get_by_role("heading", name=f"Fråga: {question}")
            expect(heading).to_be_visible()
            heading.evaluate(SCROLL_TO_TOP)
            shot(f"answer-{key}")
        page.goto(f"{url}/compare")
        expect(page.get_by_text("Kommunens hela kostnad, genomsnitt").first).to_be_visible()
        shot("compare")
        page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
        shot("compare-fan")
        page.goto(f"{url}/scenarios")
        expect(page.get_by_text("Inställningar").first).to_be_visible()
        shot("scenarios")
        page.goto(f"{url}/sweep")
        page.get_by_role("button", name="Kör simuleringen").click()
        expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)
        # The risk curve at the top, the municipality's whole cost under it: both in one view,
        # with their titles (a little taller than the other shots).
        page.set_viewport_size({"width": 1440, "height": 1250})
        page.locator('[data-testid="stPlotlyChart"]').first.evaluate(SCROLL_TO_TOP)
        shot("sweep")
        page.set_viewport_size({"width": 1440, "height": 1100})
        page.goto(f"{url}/workshop")
        page.get_by_role("button", name="Kör simuleringen").click()
        expect(page.get_by_text("Steg 1").first).to_be_visible()
        page.get_by_role("button", name="Nästa steg").click()
        expect(page.get_by_text("Steg 2").first).to_be_visible()
        shot("workshop")
        page.goto(f"{url}/assumptions")
        expect(page.get_by_text("Vad modellen lämnar utanför").first).to_be_visible()
        shot("assumptions")
        b.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
