"""Start the Streamlit app in-process with ``AppTest``, as the app and history tests do."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import segmentor.app

HOME = Path(segmentor.app.__file__).with_name("Home.py")
TIMEOUT = 180


def start_app(page: str | None = None, lang: str | None = None) -> AppTest:
    """Run the entry page (in ``lang`` when given), switch to ``page``; fail on any exception."""
    at = AppTest.from_file(str(HOME), default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
