"""Prospect file: upload, segment every row, filter, chart, and download outreach lists."""

from dataclasses import replace

import streamlit as st

from foundation.errors import UserError
from segmentor.app import charts, common, history_store, results
from segmentor.app import mapping as mapping_step
from segmentor.app.uploader import file_uploader
from segmentor.domain.output import PROBABILITY_COLUMNS, SOURCE_KNOWN, SOURCE_MODEL
from segmentor.domain.schema import SEGMENTS
from segmentor.domain.verdict import UnreadColumns
from segmentor.i18n import error_text, number, percent, percent_format, t
from segmentor.io.readers import SUPPORTED
from segmentor.presentation.wording import unread_columns_text

lang = common.language()
st.title(t("batch.title", lang))
st.caption(t("batch.intro", lang))

uploaded = file_uploader(
    t("batch.upload", lang),
    [suffix.lstrip(".") for suffix in SUPPORTED],
    help=t("batch.upload_help", lang, limit=st.get_option("server.maxUploadSize")),
    key="upload",
    lang=lang,
)


def _scored_or_stopped(candidate: common.Dataset) -> common.Dataset | None:
    """The upload once scored; None, with the verdict on the page, when columns were not
    read and the user has not chosen to score it anyway."""
    try:
        common.batch_view(candidate)
        return candidate
    except UnreadColumns as error:
        st.error(unread_columns_text(error.verdict, lang), icon=":material/table_view:")
        st.caption(t("verdict.way_out", lang))
        if not st.toggle(t("verdict.accept", lang), key="accept_unknown"):
            return None
    accepted = replace(candidate, accept_unknown=True)
    common.batch_view(accepted)
    return accepted


candidate = None
if uploaded is not None:
    candidate = mapping_step.prepare(
        common.Dataset.from_bytes(uploaded.name, uploaded.getvalue()), lang
    )
if candidate is not None:
    try:
        scored = _scored_or_stopped(candidate)
        if scored is not None:
            common.use_dataset(scored)
            history_store.save_upload(scored, common.batch_view(scored), lang)
        else:
            st.caption(t("batch.file_error_kept", lang, name=common.current_dataset().name))
    except UserError as error:
        st.error(
            t("batch.file_error", lang, message=error_text(error, lang)), icon=":material/error:"
        )
        st.caption(t("batch.file_error_kept", lang, name=common.current_dataset().name))

dataset = common.current_dataset()
view = common.batch_view(dataset)
counts = view.counts()
rows = len(view.frame)

info, back = st.columns([5, 1], vertical_alignment="center")
info.info(common.dataset_caption(dataset, rows, lang), icon=":material/description:")
if view.scored.mapped.applied:
    st.caption(t("mapping.applied", lang, mapping=view.scored.mapped.describe()))
if not dataset.bundled and back.button(t("batch.use_bundled", lang), icon=":material/undo:"):
    common.use_dataset(None)
    st.rerun()

known = results.known_count(view)
with_notes = int((view.frame["Notes"] != "").sum())
totals = st.columns(4)
totals[0].metric(
    t("batch.metric.rows", lang), number(rows, lang), help=t("batch.metric.rows_help", lang)
)
totals[1].metric(
    t("batch.metric.known", lang), number(known, lang), help=t("batch.metric.known_help", lang)
)
totals[2].metric(t("batch.metric.model", lang), number(rows - known, lang))
totals[3].metric(t("batch.metric.notes", lang), number(with_notes, lang))

chart_column, segment_column = st.columns([3, 2])
chart_column.altair_chart(charts.counts_chart(counts, lang), width="stretch")
with segment_column:
    for pair in (SEGMENTS[:2], SEGMENTS[2:]):
        cells = st.columns(2)
        for cell, segment in zip(cells, pair, strict=True):
            share = percent(counts[segment] / max(rows, 1), lang)
            cell.metric(
                t("segment.n", lang, segment=segment),
                number(counts[segment], lang),
                t("batch.metric.share", lang, share=share),
                delta_color="off",
                delta_arrow="off",
                help=t("batch.metric.segment_help", lang, segment=segment, share=share),
                border=True,
            )

notes = results.notes_frame(view.scored.notes, lang)
with st.expander(t("batch.notes.title", lang, count=number(len(notes), lang)), expanded=False):
    if notes.empty:
        st.write(t("batch.notes.none", lang))
    else:
        st.caption(t("batch.notes.intro", lang))
        st.dataframe(
            notes,
            hide_index=True,
            column_config={
                "row": st.column_config.NumberColumn(t("col.row", lang), format="%d"),
                "column": t("col.column", lang),
                "value": t("col.value", lang),
                "problem": t("col.problem", lang),
            },
        )

st.subheader(t("batch.results", lang))
pick_segments, pick_sources, pick_confidence = st.columns([2, 2, 2])
segments = pick_segments.pills(
    t("batch.filter.segments", lang), list(SEGMENTS), selection_mode="multi", key="filter_segments"
)
sources = pick_sources.pills(
    t("batch.filter.sources", lang),
    [SOURCE_KNOWN, SOURCE_MODEL],
    selection_mode="multi",
    format_func=lambda source: t(f"source.{source}", lang),
    key="filter_sources",
)
min_confidence = pick_confidence.slider(
    t("batch.filter.confidence", lang),
    0,
    100,
    0,
    step=5,
    format=percent_format(lang),
    help=t("batch.filter.confidence_help", lang),
    key="filter_confidence",
)
keep = results.filter_results(view.frame, segments, sources, min_confidence / 100)
table = results.display_frame(view, lang).loc[keep]
st.caption(
    t("batch.filter.shown", lang, shown=number(int(keep.sum()), lang), rows=number(rows, lang))
)
st.dataframe(
    table,
    hide_index=True,
    height=380,
    column_config={
        "ID": st.column_config.TextColumn(t("col.id", lang)),
        "Segmentation": st.column_config.TextColumn(t("col.segment", lang)),
        "Confidence": st.column_config.ProgressColumn(
            t("col.confidence", lang), min_value=0.0, max_value=100.0, format=percent_format(lang)
        ),
        **{
            column: st.column_config.NumberColumn(
                t("col.prob", lang, segment=column[-1]), format=percent_format(lang)
            )
            for column in PROBABILITY_COLUMNS
        },
        "Source": t("col.source", lang),
        "Notes": t("col.notes", lang),
    },
)

st.subheader(t("batch.downloads", lang))
stem = dataset.name.rsplit(".", 1)[0]


common.download_row(
    t("batch.download.all", lang),
    lambda: view.frame,
    f"{stem}.segments",
    "all",
    lang,
    help_text=t("batch.download.all_help", lang),
)
for segment in (segment for segment in SEGMENTS if counts[segment]):  # no empty lists
    common.download_row(
        t("batch.download.segment", lang, segment=segment, count=number(counts[segment], lang)),
        lambda segment=segment: results.segment_list(view, segment, lang),
        f"{stem}.segment_{segment}",
        f"segment_{segment}",
        lang,
        help_text=t("batch.download.segment_help", lang, segment=segment),
        for_people=True,
    )
