"""Screenshots of the review queue (English and French), the playbooks page and the profiles
page's distinguishing traits into docs/screenshots/.

Uses the current SEGMENTOR_HOME / SEGMENTOR_MODEL_DIR and SEGMENTOR_DB_URL (give a throwaway
database: a sample playbook of segment D is stored first). Usage:
``SEGMENTOR_DB_URL=sqlite:////tmp/shots.db .venv/bin/python scripts/screenshots_review.py``
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "segmentor"))
import browser_harness as launch  # noqa: E402  (the tests' harness, not shipped)
from screenshots import OUT, WIDTH, capture, settle  # noqa: E402

from segmentor.domain.playbook import parse_yaml  # noqa: E402
from segmentor.io.store import open_store  # noqa: E402
from segmentor.settings import Settings  # noqa: E402

SAMPLE = """\
D:
  name: Young first-time buyers
  persona: 2.6x more Healthcare, 73% never married, median age 29
  products: [P2, P5]
  message: Your first car, financed your way
  channel: social
"""


def capture_playbooks(page, base: str) -> None:  # noqa: ANN001
    """The playbooks page on segment D's tab, which holds the stored sample version."""
    page.goto(f"{base}/playbooks")
    page.get_by_role("tab", name="Segment D").wait_for(timeout=120_000)
    page.get_by_role("tab", name="Segment D").click()
    page.get_by_text("Sales lead").first.wait_for(timeout=120_000)
    settle(page)
    page.screenshot(path=str(OUT / "playbooks.png"))
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    print(f"saved {OUT / 'playbooks.png'}")


def main() -> int:
    store = open_store(Settings().database_url)
    store.save_playbook(parse_yaml(SAMPLE)[0], "Sales lead")
    store.close()
    port = launch.free_port()
    base = f"http://127.0.0.1:{port}"
    with launch.running_app(port, dict(os.environ)), launch.chromium_page(WIDTH) as page:
        launch.wait_until_healthy(port, timeout=600)
        page.goto(base)
        launch.wait_for_results(page, timeout_ms=600_000)
        capture(page, base, "review", "Candidate segments", "review-queue.png")
        capture_playbooks(page, base)
        capture(page, base, "profiles", "Segments at a glance", "segment-profiles.png")
        page.goto(f"{base}/review")
        page.get_by_text("Candidate segments").first.wait_for(timeout=120_000)
        page.get_by_role("radio", name="Français").click()
        page.get_by_text("Segments candidats").first.wait_for(timeout=120_000)
        settle(page)
        page.screenshot(path=str(OUT / "review-queue-fr.png"))
        print(f"saved {OUT / 'review-queue-fr.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
