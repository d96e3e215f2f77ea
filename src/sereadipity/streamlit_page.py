"""Standalone Books page, for ``streamlit run`` and ``AppTest.from_file``.

The multipage app wires :func:`sereadipity.page.render_books_page` itself; this file only
reads the language (and, for tests, a catalogue and cache directory) from the session.
"""

import streamlit as st

from sereadipity.page import render_books_page

render_books_page(
    st.session_state.get("lang", "en"),
    catalog_path=st.session_state.get("sereadipity_catalog"),
    cache_dir=st.session_state.get("sereadipity_cache_dir"),
)
