"""Segment playbooks: name, persona, products P1-P5, message and channel of each segment,
edited here and stored as versions (who and when)."""

import streamlit as st

from segmentor.app import common, history_store
from segmentor.domain.playbook import PRODUCTS, make_playbook
from segmentor.domain.schema import SEGMENTS
from segmentor.errors import SegmentorError
from segmentor.i18n import error_text, t
from segmentor.presentation.crm import MULTI_VALUE_SEPARATOR
from segmentor.presentation.outreach import draft_playbooks

lang = common.language()
st.title(t("playbooks.title", lang))
st.caption(t("playbooks.intro", lang))
store = history_store.store()
drafts = draft_playbooks(common.existing(), lang)
stored = store.playbooks()
author = st.text_input(t("playbooks.author", lang), key="playbook_author")

tabs = st.tabs([t("segment.n", lang, segment=s) for s in SEGMENTS])
for segment, tab in zip(SEGMENTS, tabs, strict=True):
    version = stored.get(segment)
    current = version.playbook if version else drafts[segment]
    with tab:
        if version:
            st.caption(
                t(
                    "playbooks.version",
                    lang,
                    version=version.version,
                    author=version.author,
                    created=f"{version.created:%Y-%m-%d %H:%M}",
                )
            )
        else:
            st.caption(t("playbooks.draft", lang))
        with st.form(f"playbook_{segment}"):
            name = st.text_input(t("playbooks.name", lang), current.name, max_chars=100)
            persona = st.text_area(t("playbooks.persona", lang), current.persona, max_chars=2000)
            products = st.multiselect(
                t("playbooks.products", lang), list(PRODUCTS), default=list(current.products)
            )
            message = st.text_area(t("playbooks.message", lang), current.message, max_chars=2000)
            channel = st.text_input(t("playbooks.channel", lang), current.channel, max_chars=100)
            saved = st.form_submit_button(
                t("playbooks.save", lang, segment=segment), type="primary"
            )
        if saved:
            values = {
                "name": name,
                "persona": persona,
                "products": list(products),
                "message": message,
                "channel": channel,
            }
            try:
                new = store.save_playbook(make_playbook(segment, values), author)
            except SegmentorError as error:
                st.error(error_text(error, lang))
            else:
                st.success(t("playbooks.saved", lang, segment=segment, version=new.version))
                st.rerun()
        history = store.playbook_history(segment)
        if len(history) > 1:
            with st.expander(t("playbooks.history", lang)):
                for old in history[1:]:
                    when = f"{old.created:%Y-%m-%d %H:%M}"
                    title = t(
                        "playbooks.version",
                        lang,
                        version=old.version,
                        author=old.author,
                        created=when,
                    )
                    products = MULTI_VALUE_SEPARATOR.join(old.playbook.products)
                    st.markdown(f"**{title}** — {old.playbook.name} · {products}")
