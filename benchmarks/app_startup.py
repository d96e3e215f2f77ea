"""How fast the web app answers, measured in Debian's Chromium.

For each of ``--runs`` starts of ``segmentor app`` (with an already trained model in
SEGMENTOR_HOME): seconds until the server answers its health check, and until the first
page shows the segmented bundled prospects. Then, in the last run, the time of a few
interactions, from the click to the updated page: a segment filter, the language switch,
and opening the market check (cached after the first visit).

Run: ``SEGMENTOR_HOME=... .venv/bin/python benchmarks/app_startup.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from segmentor import trained
from segmentor.app import launch
from segmentor.config import Settings


def idle(page) -> None:
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=120_000)


def timed(action, done) -> float:
    started = time.monotonic()
    action()
    done()
    return time.monotonic() - started


def start_once(interactions: bool) -> tuple[float, float, dict[str, float]]:
    port = launch.free_port()
    started = time.monotonic()
    measured: dict[str, float] = {}
    with launch.running_app(port, dict(os.environ)), launch.chromium_page() as page:
        launch.wait_until_healthy(port, timeout=300)
        healthy = time.monotonic() - started
        page.goto(f"http://127.0.0.1:{port}/")
        launch.wait_for_results(page, timeout_ms=300_000)
        usable = time.monotonic() - started
        if interactions:
            idle(page)
            measured["segment filter A"] = timed(
                lambda: (
                    page.get_by_test_id("stButtonGroup").first.get_by_text("A", exact=True).click()
                ),
                lambda: (page.get_by_text(" of 2,627 rows shown").wait_for(), idle(page)),
            )
            measured["switch to French"] = timed(
                lambda: page.get_by_role("radio", name="Français").click(),
                lambda: (page.get_by_text("Clients connus").wait_for(), idle(page)),
            )
            for visit in ("first", "second"):
                measured[f"market check, {visit} visit"] = timed(
                    lambda: page.get_by_text("Contrôle du marché").first.click(),
                    lambda: (page.get_by_text("AUC du classifieur").wait_for(), idle(page)),
                )
                page.get_by_text("Fichier de prospects").first.click()
                launch.wait_for_results(page)
                idle(page)
    return healthy, usable, measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    if not trained.exists(Settings().model_path):
        raise SystemExit(f"no model in {Settings().model_path}: run `segmentor train` first")
    results = [start_once(interactions=i == runs - 1) for i in range(runs)]
    healthy = [r[0] for r in results]
    usable = [r[1] for r in results]
    print(f"{'measure':<36}{'median s':>10}{'max s':>10}")
    print(f"{'server healthy':<36}{statistics.median(healthy):>10.1f}{max(healthy):>10.1f}")
    print(
        f"{'first page usable (bundled file)':<36}{statistics.median(usable):>10.1f}"
        f"{max(usable):>10.1f}"
    )
    for name, seconds in results[-1][2].items():
        print(f"{name:<36}{seconds:>10.2f}{'':>10}")


if __name__ == "__main__":
    main()
