"""End to end in a real browser: Debian's Chromium, driven by Playwright, on the real app.

Starts ``segmentor app`` with a temporary SEGMENTOR_HOME holding the session's model,
uploads the bundled test.csv, checks the per-segment counts against ``segmentor predict``,
switches to French and saves a screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import browser_harness as launch
import pandas as pd
import pytest

from segmentor.domain.schema import SEGMENTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not launch.CHROMIUM.is_file(),
        reason="Debian's chromium is not installed (run scripts/install-system-deps.sh)",
    ),
]


UPLOADER_TEXTS = """zone => [
    zone.querySelector("button p"),
    zone.querySelector("[data-testid=stFileUploaderDropzoneInstructions] span"),
].map(element => getComputedStyle(element, "::after").content)"""


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory, trained_model_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("browser-home")
    shutil.copytree(trained_model_dir, home / "model")
    return home


@pytest.fixture(scope="module")
def app_env(app_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEGMENTOR_")}
    return env | {"SEGMENTOR_HOME": str(app_home)}


def cli_counts(prospects: Path, env: dict[str, str], out: Path) -> dict[str, int]:
    """Per-segment counts printed by ``segmentor predict`` (checked against its output file)."""
    result = subprocess.run(
        [*launch.segmentor_command(), "predict", str(prospects), "--out", str(out)],
        env=env | {"COLUMNS": "120"},
        capture_output=True,
        text=True,
        check=True,
    )
    printed = dict(re.findall(r"^\W*([ABCD])\W+(\d+)\W+[\d.]+%", result.stdout, re.MULTILINE))
    counts = {segment: int(printed[segment]) for segment in SEGMENTS}
    written = pd.read_csv(out)["Segmentation"].value_counts()
    assert counts == {segment: int(written.get(segment, 0)) for segment in SEGMENTS}
    return counts


def test_upload_counts_french_and_screenshot(
    app_env: dict[str, str], prospects_path: Path, tmp_path: Path
) -> None:
    expected = cli_counts(prospects_path, app_env, tmp_path / "cli.segments.csv")
    port = launch.free_port()
    started = time.monotonic()
    log = tmp_path / "app.log"
    with launch.running_app(port, app_env, log), launch.chromium_page() as page:
        launch.wait_until_healthy(port)
        page.goto(f"http://127.0.0.1:{port}/")
        launch.wait_for_results(page)
        print(f"first page usable {time.monotonic() - started:.1f} s after `segmentor app`")

        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(prospects_path))
        page.get_by_text("Showing your file test.csv").wait_for(timeout=60_000)
        launch.wait_for_results(page)
        shown = launch.shown_metrics(page)
        counts = {s: int(re.sub(r"\D", "", shown[f"Segment {s}"])) for s in SEGMENTS}
        assert counts == expected
        assert int(re.sub(r"\D", "", shown["Known customers"])) == 2332

        page.get_by_role("radio", name="Français").click()
        page.get_by_role("heading", name="Segmenter un fichier de prospects").wait_for()
        page.get_by_test_id("stMetricLabel").filter(has_text="Clients connus").wait_for()
        french = launch.shown_metrics(page)
        assert re.sub(r"\D", "", french["Clients connus"]) == "2332"

        shot = tmp_path / "prospect-file-fr.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # The address of the prospect page that people bookmark opens that page, no dialog.
        page.goto(f"http://127.0.0.1:{port}/prospects")
        page.get_by_role("heading", name="Segment a prospect file").wait_for(timeout=60_000)
        launch.wait_for_results(page)
        assert page.get_by_text("Page not found").count() == 0

        # Streamlit's own uploader texts (shown while no file is uploaded) read in French
        page.get_by_role("radio", name="Français").click()
        page.get_by_role("heading", name="Segmenter un fichier de prospects").wait_for()
        button, limits = page.get_by_test_id("stFileUploaderDropzone").evaluate(UPLOADER_TEXTS)
        assert button == '"Importer"'
        assert "Mo par fichier • CSV" in limits
