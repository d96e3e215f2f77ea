"""Test harness: run the app as a background server and drive it in Debian's Chromium.

Not shipped with the product. Used by the browser test, ``scripts/screenshots.py``
and ``benchmarks/app_startup.py``.
Chromium is the distribution's ``/usr/bin/chromium`` (never a browser downloaded by
Playwright), started with the flags this sandboxed, offline machine needs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from segmentor.cli.webapp import wait_until_healthy

__all__ = ["wait_until_healthy"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def segmentor_command() -> list[str]:
    """The ``segmentor`` command of this Python environment (also when not on PATH)."""
    script = Path(sys.executable).with_name("segmentor")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "segmentor"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_app(
    port: int, env: dict[str, str], log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``segmentor app --port PORT`` in its own process group, stopped on exit.

    Its output goes to ``log`` when given (a file, so a chatty server never blocks on a
    full pipe), else nowhere.
    """
    command = [*segmentor_command(), "app", "--port", str(port)]
    with open(log or os.devnull, "wb") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def chromium_page(width: int = 1440, height: int = 1000) -> Iterator[Any]:
    """A Playwright page in Debian's headless Chromium (``playwright`` is a dev dependency)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def wait_for_results(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until the prospect-file page shows its per-segment counts."""
    page.get_by_test_id("stMetric").filter(has_text="Segment D").first.wait_for(timeout=timeout_ms)


def shown_metrics(page: Any, attempts: int = 4) -> dict[str, str]:
    """Every metric on the page as ``{label: value}``, read from the DOM.

    Streamlit may rerun the script while the metrics are read (a widget settling after an
    upload), which detaches the elements: the whole read is then tried again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        try:
            metrics = {}
            for metric in page.get_by_test_id("stMetric").all():
                label = metric.get_by_test_id("stMetricLabel").inner_text(timeout=5_000).strip()
                value = metric.get_by_test_id("stMetricValue").inner_text(timeout=5_000)
                metrics[label] = value.strip()
            return metrics
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(1_000)
    return {}
