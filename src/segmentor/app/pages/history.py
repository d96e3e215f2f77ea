"""History: the batches scored by the app, the API and `predict --save`; download any again."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from foundation.errors import UserError
from segmentor.app import common, history_store
from segmentor.domain.schema import SEGMENTS
from segmentor.i18n import error_text, number, t

lang = common.language()
st.title(t("history.title", lang))
st.caption(t("history.intro", lang))

SHOWN = 500


def local(moment: datetime) -> str:
    """A stored (UTC) time in the browser's time zone (the server's if the browser's is
    unknown)."""
    try:
        zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


try:
    store = history_store.store()
    batches = store.list_batches(limit=SHOWN)
    total = store.count_batches()
except UserError as error:
    st.error(t("history.error", lang, message=error_text(error, lang)), icon=":material/error:")
    st.stop()

if not batches:
    st.info(t("history.empty", lang), icon=":material/history:")
    st.stop()

st.dataframe(
    pd.DataFrame(
        {
            t("col.batch", lang): [batch.id for batch in batches],
            t("col.created", lang): [local(batch.created) for batch in batches],
            t("col.file", lang): [batch.source_name for batch in batches],
            t("col.origin", lang): [t(f"history.origin.{b.origin}", lang) for b in batches],
            t("col.rows", lang): [batch.rows for batch in batches],
            **{
                t("segment.n", lang, segment=segment): [b.segments[segment] for b in batches]
                for segment in SEGMENTS
            },
            t("col.known", lang): [batch.known for batch in batches],
            t("col.model", lang): [batch.model_version for batch in batches],
        }
    ),
    hide_index=True,
)

if total > len(batches):
    shown, everything = number(len(batches), lang), number(total, lang)
    st.caption(t("history.shown", lang, shown=shown, total=everything))

by_id = {batch.id: batch for batch in batches}
chosen = st.selectbox(
    t("history.pick", lang),
    list(by_id),
    format_func=lambda batch_id: t(
        "history.batch_label",
        lang,
        id=batch_id,
        name=by_id[batch_id].source_name,
        created=local(by_id[batch_id].created),
        rows=number(by_id[batch_id].rows, lang),
    ),
    key="history_batch",
)
batch = by_id[chosen]
stem = f"batch_{batch.id}_{batch.source_name.rsplit('.', 1)[0]}"

st.subheader(t("history.downloads", lang))
st.caption(t("history.downloads.intro", lang))
choices = [(t("history.download.all", lang, count=number(batch.rows, lang)), None, "all")]
choices += [
    (
        t("history.download.segment", lang, segment=s, count=number(batch.segments[s], lang)),
        s,
        f"segment_{s}",
    )
    for s in SEGMENTS
]
for label, segment, suffix in choices:
    common.download_row(
        label,
        lambda segment=segment: store.export(batch.id, segment),
        f"{stem}.{suffix}",
        f"history_{suffix}",
        lang,
    )
