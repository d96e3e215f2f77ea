"""Books: the sereadipity recommender's page, in the app's language."""

import streamlit as st

from segmentor.app import common
from sereadipity.page import render_books_page

# The catalogue and embedding cache can be set in the session (tests use a small catalogue).
render_books_page(
    common.language(),
    catalog_path=st.session_state.get("sereadipity_catalog"),
    cache_dir=st.session_state.get("sereadipity_cache_dir"),
)
