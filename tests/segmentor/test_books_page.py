"""The app's Books page (pages/books.py) through Streamlit's AppTest: the "why" of each book.

The page runs on the 20-book slice of the real Gutenberg catalogue that the sereadipity tests
use, embedded once by the real MiniLM model into a module-wide cache directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import segmentor.app
from sereadipity.i18n import strings
from sereadipity.recommend import Recommender

PAGE = Path(segmentor.app.__file__).with_name("pages") / "books.py"
SMALL_CATALOG = Path(__file__).parents[1] / "sereadipity" / "data" / "small_catalog.csv"
TIMEOUT = 180

pytestmark = pytest.mark.skipif(
    not SMALL_CATALOG.is_file(), reason="the books test catalogue is missing"
)


@pytest.fixture(scope="module")
def books_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("books-cache")


@pytest.fixture(scope="module")
def small_recommender(books_cache: Path) -> Recommender:
    return Recommender.from_catalog(SMALL_CATALOG, books_cache)


def _books_page(lang: str, cache_dir: Path) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state["sereadipity_catalog"] = str(SMALL_CATALOG)
    at.session_state["sereadipity_cache_dir"] = str(cache_dir)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _why_lines(at: AppTest, lang: str) -> list[str]:
    """The "Why — ..." line of each result panel, without its bold label."""
    label = f"**{strings(lang)['why']}** — "
    lines = []
    for panel in at.expander:
        texts = [m.value for m in panel.markdown if m.value.startswith(label)]
        assert len(texts) == 1, panel.label
        lines.append(texts[0].removeprefix(label))
    return lines


@pytest.mark.parametrize(
    ("lang", "genre", "english_only"),
    [("en", "same genre: ", None), ("fr", "même genre : ", "same genre")],
)
def test_each_recommended_book_says_why_in_the_pages_language(
    books_cache: Path,
    small_recommender: Recommender,
    lang: str,
    genre: str,
    english_only: str | None,
) -> None:
    at = _books_page(lang, books_cache)
    frankenstein = small_recommender.find("Frankenstein")
    at.multiselect[0].set_value([frankenstein]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.expander) == 10
    why = _why_lines(at, lang)
    assert all(line.strip() for line in why), why
    # The same reasons the recommender gives, in the page's language.
    from sereadipity.i18n import describe

    expected = small_recommender.recommend([frankenstein], top=10)
    assert why == [describe(r.why, lang) for r in expected]
    # Frankenstein shares shelves and subjects with Dracula, The Time Machine, ...: some
    # panel names the shared genre, and the French page has no English reason left.
    assert any(line.startswith(genre) or f"; {genre}" in line for line in why), why
    if english_only:
        assert not any(english_only in line for line in why), why


def test_several_liked_books_say_which_one_each_book_is_for(
    books_cache: Path, small_recommender: Recommender
) -> None:
    at = _books_page("fr", books_cache)
    liked = [small_recommender.find("Dracula"), small_recommender.find("On the Origin of Species")]
    at.multiselect[0].set_value(liked).run()
    assert not at.exception, [e.value for e in at.exception]
    why = _why_lines(at, "fr")
    assert all(line.startswith("parce que vous avez aimé ") for line in why), why
    assert {line.split(";")[0] for line in why} == {
        "parce que vous avez aimé Dracula",
        "parce que vous avez aimé On the Origin of Species By Means of Natural Selection",
    }
