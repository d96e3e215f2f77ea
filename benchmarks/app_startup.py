"""How fast the web app answers, measured in Debian's Chromium.

For each of ``--runs`` starts of ``segmentor app`` (with an already trained model in
SEGMENTOR_HOME), seconds from the command to: the server answering its health check; the
first page showing the segmented bundled prospects in a browser opened at once (the worst
case: its run imports everything and loads the model); the command printing "ready" (its
warm-up run has filled the caches); and a page opened after that. Then, in the last run,
a few interactions from the click to the updated page: a segment filter, the language
switch, and the market check (computed on the first visit, cached on the second).

Run: ``SEGMENTOR_HOME=... .venv/bin/python benchmarks/app_startup.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "segmentor"))
import browser_harness as launch  # noqa: E402  (the tests' harness, not shipped)

from segmentor.ml import trained
from segmentor.settings import Settings

# The results caption once a filter keeps fewer than all 2,627 rows.
FILTERED = re.compile(r"^(?!2,627 )[\d,]+ of 2,627 rows shown")


def idle(page) -> None:
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=120_000)


def timed(action, done) -> float:
    started = time.monotonic()
    action()
    done()
    return time.monotonic() - started


def start_once(interactions: bool, log: Path) -> dict[str, float]:
    """One start: browser at once (cold) and, once the command says ready, a second tab."""
    port = launch.free_port()
    started = time.monotonic()
    measured: dict[str, float] = {}
    with launch.running_app(port, dict(os.environ), log), launch.chromium_page() as page:
        launch.wait_until_healthy(port, timeout=300)
        measured["server healthy"] = time.monotonic() - started
        page.goto(f"http://127.0.0.1:{port}/")
        launch.wait_for_results(page, timeout_ms=300_000)
        measured["first page usable, browser at once"] = time.monotonic() - started
        while "Segmentor app ready" not in log.read_text(errors="replace"):
            time.sleep(0.1)
        measured["command says ready"] = time.monotonic() - started
        fresh = page.context.browser.new_page()
        measured["page load after ready"] = timed(
            lambda: fresh.goto(f"http://127.0.0.1:{port}/"),
            lambda: launch.wait_for_results(fresh),
        )
        if interactions:
            measured |= measure_interactions(page)
    return measured


def measure_interactions(page) -> dict[str, float]:
    idle(page)
    measured = {
        "segment filter A": timed(
            lambda: page.get_by_role("button", name="A", exact=True).first.click(),
            lambda: (page.get_by_text(FILTERED).wait_for(), idle(page)),
        ),
        "switch to French": timed(
            lambda: page.get_by_role("radio", name="Français").click(),
            lambda: (page.get_by_text("Clients connus").wait_for(), idle(page)),
        ),
    }
    for visit in ("first", "second"):
        measured[f"market check, {visit} visit"] = timed(
            lambda: page.get_by_text("Contrôle du marché").first.click(),
            lambda: (page.get_by_text("AUC du classifieur").wait_for(), idle(page)),
        )
        page.get_by_text("Fichier de prospects").first.click()
        launch.wait_for_results(page)
        idle(page)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    if not trained.exists(Settings().model_path):
        raise SystemExit(f"no model in {Settings().model_path}: run `segmentor train` first")
    with tempfile.TemporaryDirectory() as folder:
        runs_measured = [
            start_once(i == runs - 1, Path(folder) / f"app-{i}.log") for i in range(runs)
        ]
    print(f"{'measure (seconds)':<40}{'median':>8}{'max':>8}")
    for name in runs_measured[-1]:
        values = [run[name] for run in runs_measured if name in run]
        print(f"{name:<40}{statistics.median(values):>8.2f}{max(values):>8.2f}")


if __name__ == "__main__":
    main()
