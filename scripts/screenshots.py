"""Capture one screenshot of each page of the app into docs/screenshots/.

Starts ``segmentor app`` on a free port (with the current SEGMENTOR_HOME; the default model
is trained first if missing; the History page shows the batches already in its database, e.g.
from ``segmentor predict FILE --save``), drives Debian's Chromium with Playwright, and prints
how long the first page took to become usable. Usage: ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "segmentor"))
import browser_harness as launch  # noqa: E402  (the tests' harness, not shipped)

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
WIDTH = 1440
BOOK = "On the Origin of Species"


def settle(page) -> None:
    """Wait for the script run to finish and the charts to draw, then fit the viewport."""
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=120_000)
    page.wait_for_timeout(1500)
    height = page.evaluate(
        "document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight"
    )
    page.set_viewport_size({"width": WIDTH, "height": int(min(max(height + 60, 900), 4000))})
    page.wait_for_timeout(1000)


def capture(page, base: str, path: str, ready: str, name: str) -> None:
    page.goto(f"{base}/{path}")
    page.get_by_text(ready).first.wait_for(timeout=120_000)
    settle(page)
    page.screenshot(path=str(OUT / name))
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    print(f"saved {OUT / name}")


def capture_books(page, base: str) -> None:
    from sereadipity.i18n import strings

    page.goto(f"{base}/books")
    page.get_by_text(strings("en")["title"]).first.wait_for(timeout=600_000)
    page.get_by_test_id("stMultiSelect").first.wait_for(timeout=600_000)
    page.get_by_test_id("stMultiSelect").first.click()
    page.keyboard.type(BOOK)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_test_id("stExpander").first.wait_for(timeout=120_000)
    settle(page)
    page.screenshot(path=str(OUT / "books.png"))
    print(f"saved {OUT / 'books.png'}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    port = launch.free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    with launch.running_app(port, dict(os.environ)), launch.chromium_page(WIDTH) as page:
        launch.wait_until_healthy(port, timeout=600)
        page.goto(base)
        launch.wait_for_results(page, timeout_ms=600_000)
        print(f"first page usable {time.monotonic() - started:.1f} s after `segmentor app`")
        capture(page, base, "", "Segment D", "prospect-file.png")
        capture(
            page, base, "prospect", "The five most similar existing customers", "one-prospect.png"
        )
        capture(page, base, "profiles", "Segments at a glance", "segment-profiles.png")
        capture(page, base, "market", "Classifier AUC", "market-check.png")
        capture_books(page, base)
        capture(page, base, "history", "History of scored files", "history.png")
        page.goto(base)
        launch.wait_for_results(page)
        page.get_by_role("radio", name="Français").click()
        page.get_by_text("Clients connus").first.wait_for()
        settle(page)
        page.screenshot(path=str(OUT / "prospect-file-fr.png"))
        print(f"saved {OUT / 'prospect-file-fr.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
