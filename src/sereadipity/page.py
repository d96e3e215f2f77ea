"""The Streamlit "Books" page: the same Recommender the CLI uses, drawn as a form."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd
import streamlit as st

from sereadipity.errors import SereadipityError
from sereadipity.i18n import describe, strings
from sereadipity.recommend import DEFAULT_WEIGHTS, Recommendation, Recommender
from sereadipity.similarity import CRITERIA, normalise_weights

TOP = 10


@st.cache_resource(show_spinner=False)
def cached_recommender(catalog_path: str | None, cache_dir: str | None) -> Recommender:
    """One Recommender per (catalogue, cache directory) for the whole server."""
    return Recommender.from_catalog(catalog_path, cache_dir)


def render_books_page(
    lang: str = "en", catalog_path: str | None = None, cache_dir: str | None = None
) -> None:
    """Draw the Books page in ``lang`` ("en" or "fr"): pick liked books, weigh, read results."""
    text = strings(lang)
    st.header(text["title"])
    st.caption(text["intro"])
    try:
        with st.spinner(text["loading"]):
            recommender = cached_recommender(catalog_path, cache_dir)
    except SereadipityError as error:
        st.error(error.message)
        return
    liked = st.multiselect(
        text["liked"], **_book_options(recommender), key="sereadipity_liked", select_all=False
    )
    weights = _sliders(text)
    if not liked:
        st.info(text["pick"])
        return
    try:
        results = recommender.recommend(liked, weights, TOP)
    except SereadipityError as error:
        st.error(error.message)
        return
    _show_results(results, normalise_weights(weights), lang)


def _book_options(recommender: Recommender) -> dict:
    catalog = recommender.catalog
    first_editions = catalog.drop_duplicates("edition_key").index.tolist()
    labels = {row: _label(catalog.loc[row]) for row in first_editions}
    return {"options": first_editions, "format_func": labels.__getitem__}


def _label(book: pd.Series) -> str:
    author = f" — {book['author']}" if book["author"] else ""
    return f"{book['title']}{author}"


def _sliders(text: Mapping[str, str]) -> dict[str, float]:
    columns = st.columns(len(CRITERIA))
    return {
        name: float(
            column.slider(text[name], 0, 10, int(DEFAULT_WEIGHTS[name]), key=f"sereadipity_{name}")
        )
        for column, name in zip(columns, CRITERIA, strict=True)
    }


def _show_results(results: list[Recommendation], weights: Mapping[str, float], lang: str) -> None:
    text = strings(lang)
    st.subheader(text["results"])
    st.altair_chart(contribution_chart(results, weights, text), width="stretch")
    for r in results:
        why = describe(r.why, lang)
        with st.expander(
            f"{r.rank}. {r.title} — {r.author} {r.years} · {text['score']} {r.score:.2f}"
        ):
            st.markdown(f"**{text['why']}** — {why}")
            st.write(r.summary or text["no_summary"])


def contribution_chart(
    results: list[Recommendation], weights: Mapping[str, float], text: Mapping[str, str]
) -> alt.Chart:
    """Stacked bars: each criterion's weighted contribution; the bar length is the score."""
    rows = [
        {
            text["book"]: f"{r.rank}. {r.title[:50]}",
            text["criterion"]: text[name],
            text["contribution"]: weights[name] * value,
            text["similarity"]: round(value, 3),
        }
        for r in results
        for name, value in r.components.items()
    ]
    order = [f"{r.rank}. {r.title[:50]}" for r in results]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X(f"{text['contribution']}:Q", stack="zero"),
            y=alt.Y(f"{text['book']}:N", sort=order),
            color=alt.Color(f"{text['criterion']}:N"),
            tooltip=[text["book"], text["criterion"], text["similarity"], text["contribution"]],
        )
    )
