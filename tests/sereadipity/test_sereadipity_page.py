"""The Books page through Streamlit's AppTest, with the real model and the 20-book catalogue."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import sereadipity
from sereadipity.i18n import STRINGS
from sereadipity.recommend import Recommender

PAGE = str(Path(sereadipity.__file__).with_name("streamlit_page.py"))


def _app(lang: str, catalog: Path, cache_dir: Path) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=120)
    app.session_state["lang"] = lang
    app.session_state["sereadipity_catalog"] = str(catalog)
    app.session_state["sereadipity_cache_dir"] = str(cache_dir)
    return app.run()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_page_shows_labels_and_waits_for_a_book(
    recommender: Recommender, small_catalog_path: Path, cache_dir: Path, lang: str
) -> None:
    app = _app(lang, small_catalog_path, cache_dir)
    assert not app.exception
    text = STRINGS[lang]
    assert app.multiselect[0].label == text["liked"]
    assert [s.label for s in app.slider] == [
        text[k] for k in ("synopsis", "genre", "period", "award")
    ]
    assert app.info[0].value == text["pick"]


def test_page_recommends_ten_books_with_chart_and_summaries(
    recommender: Recommender, small_catalog_path: Path, cache_dir: Path
) -> None:
    app = _app("en", small_catalog_path, cache_dir)
    darwin = recommender.find("On the Origin of Species")
    app.multiselect[0].set_value([darwin]).run()
    assert not app.exception
    assert len(app.expander) == 10
    assert app.expander[0].label.startswith("1. ")
    assert len(app.get("vega_lite_chart")) == 1


def test_page_refuses_all_zero_sliders(
    recommender: Recommender, small_catalog_path: Path, cache_dir: Path
) -> None:
    app = _app("en", small_catalog_path, cache_dir)
    app.multiselect[0].set_value([0])
    for slider in app.slider:
        slider.set_value(0)
    app.run()
    assert "all weights are zero" in app.error[0].value
