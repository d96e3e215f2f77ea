"""The app's link to the store of scored batches: the connection, and saving an upload once.

Streamlit reruns the page on every click: an upload is saved once per session and file
(keyed by its SHA-256), not once per rerun; and the store keeps one batch per distinct file
content and model, so the same file uploaded in another session is not stored again.
"""

from __future__ import annotations

import streamlit as st

from foundation.errors import UserError
from segmentor import services
from segmentor.analysis.drift import record_batch_check
from segmentor.app import common
from segmentor.app.results import BatchView
from segmentor.i18n import error_text, t
from segmentor.io.readers import read_bytes
from segmentor.io.store import Store

SAVED_KEY = "saved_batches"


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return services.batch_store(url)


def store() -> Store:
    """The store of the settings' database (raises SegmentorError if it is unusable)."""
    return _store(common.settings().database_url)


def save_upload(dataset: common.Dataset, view: BatchView, lang: str) -> int | None:
    """Keep a scored upload in the history (once per session and file); the batch id, or
    None with a warning on the page when the database cannot be used."""
    saved: dict[str, int] = st.session_state.setdefault(SAVED_KEY, {})
    if dataset.digest in saved:
        return saved[dataset.digest]
    try:
        batch_id = store().save_batch(
            view.frame,
            dataset.name,
            "app",
            common.model().version,
            own=view.raw,
            content_sha256=dataset.digest,
        )
    except UserError as error:
        st.warning(
            t("history.save_error", lang, message=error_text(error, lang)),
            icon=":material/warning:",
        )
        return None
    saved[dataset.digest] = batch_id
    _keep_check(batch_id, dataset, lang)
    return batch_id


def _keep_check(batch_id: int, dataset: common.Dataset, lang: str) -> None:
    """Keep the upload's market check with its batch (for the drift page)."""
    try:
        raw = read_bytes(dataset.data, dataset.name)
        record_batch_check(store(), batch_id, raw, dataset.name, common.model())
    except UserError as error:
        st.warning(
            t("history.save_error", lang, message=error_text(error, lang)),
            icon=":material/warning:",
        )
