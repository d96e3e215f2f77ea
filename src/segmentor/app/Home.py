"""The app's entry file: it only routes (``streamlit run Home.py``; see ``segmentor app``)."""

import streamlit as st

from segmentor.app import common
from segmentor.i18n import t

st.set_page_config(page_title="Segmentor", page_icon=":material/groups:", layout="wide")
lang = common.language_switch()

prospect_file = st.Page(
    "pages/batch.py",
    title=t("nav.batch", lang),
    icon=":material/table_view:",
    url_path="prospect-file",
    default=True,
)


def _open_prospect_file() -> None:
    st.switch_page(prospect_file)


# Streamlit serves the default page at "/" only; this hidden page sends the address people
# bookmark or type, /prospects, to it instead of a "Page not found" dialog.
prospects_address = st.Page(
    _open_prospect_file, title=t("nav.batch", lang), url_path="prospects", visibility="hidden"
)
customers = [
    prospect_file,
    st.Page(
        "pages/prospect.py",
        title=t("nav.prospect", lang),
        icon=":material/person_search:",
        url_path="prospect",
    ),
    st.Page(
        "pages/profiles.py",
        title=t("nav.profiles", lang),
        icon=":material/bar_chart:",
        url_path="profiles",
    ),
    st.Page(
        "pages/market_check.py",
        title=t("nav.market", lang),
        icon=":material/travel_explore:",
        url_path="market",
    ),
    st.Page(
        "pages/history.py",
        title=t("nav.history", lang),
        icon=":material/history:",
        url_path="history",
    ),
    st.Page(
        "pages/drift.py",
        title=t("nav.drift", lang),
        icon=":material/timeline:",
        url_path="drift",
    ),
    st.Page(
        "pages/review.py",
        title=t("nav.review", lang),
        icon=":material/fact_check:",
        url_path="review",
    ),
    st.Page(
        "pages/playbooks.py",
        title=t("nav.playbooks", lang),
        icon=":material/campaign:",
        url_path="playbooks",
    ),
    prospects_address,
]
reading = [
    st.Page(
        "pages/books.py", title=t("nav.books", lang), icon=":material/menu_book:", url_path="books"
    ),
]

page = st.navigation(
    {t("nav.section.customers", lang): customers, t("nav.section.reading", lang): reading}
)
common.sidebar_footer(lang)
page.run()
